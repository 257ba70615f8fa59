app_name = "selfscan"

urlpatterns = []

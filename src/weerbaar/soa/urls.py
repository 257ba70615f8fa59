app_name = "soa"

urlpatterns = []

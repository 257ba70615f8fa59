app_name = "yearreport"

urlpatterns = []

from django.urls import path

from . import views

app_name = "training"

P = "g/<slug:org>/opleiden/"

urlpatterns = [
    path(P, views.plan, name="plan"),
    path(P + "bereik/", views.coverage, name="coverage"),
    path(P + "doelgroepen/", views.GroupList.as_view(), name="groups"),
    path(P + "doelgroepen/standaard/", views.groups_add_shipped, name="groups_add_shipped"),
    path(P + "doelgroepen/nieuw/", views.GroupEdit.as_view(), name="group_new"),
    path(P + "doelgroepen/<int:pk>/bewerken/", views.GroupEdit.as_view(), name="group_edit"),
    path(P + "doelgroepen/<int:pk>/verwijderen/", views.GroupDelete.as_view(), name="group_delete"),
    path(P + "activiteiten/", views.ActivityList.as_view(), name="activities"),
    path(P + "activiteiten/nieuw/", views.ActivityEdit.as_view(), name="activity_new"),
    path(P + "activiteiten/<int:pk>/", views.ActivityDetail.as_view(), name="activity"),
    path(P + "activiteiten/<int:pk>/bewerken/", views.ActivityEdit.as_view(), name="activity_edit"),
    path(P + "activiteiten/<int:pk>/verwijderen/", views.ActivityDelete.as_view(), name="activity_delete"),
    path(P + "activiteiten/<int:pk>/datum-toevoegen/", views.SessionCreate.as_view(), name="session_new"),
    path(P + "uitvoeringen/<int:pk>/", views.SessionDetail.as_view(), name="session"),
    path(P + "uitvoeringen/<int:pk>/bewerken/", views.SessionEdit.as_view(), name="session_edit"),
    path(P + "uitvoeringen/<int:pk>/verwijderen/", views.SessionDelete.as_view(), name="session_delete"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
]

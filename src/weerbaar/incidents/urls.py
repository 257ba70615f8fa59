"""Incidenten."""

from django.urls import path

from . import views

app_name = "incidents"

P = "g/<slug:org>/incidenten/"

urlpatterns = [
    path(P, views.IncidentList.as_view(), name="list"),
    path(P + "nieuw/", views.IncidentEdit.as_view(), name="incident_new"),
    path(P + "<int:pk>/", views.IncidentDetail.as_view(), name="incident"),
    path(P + "<int:pk>/bewerken/", views.IncidentEdit.as_view(), name="incident_edit"),
    path(P + "<int:pk>/evaluatie/", views.IncidentEvaluate.as_view(), name="incident_evaluate"),
    path(P + "<int:pk>/verwijderen/", views.IncidentDelete.as_view(), name="incident_delete"),
    path(P + "<int:pk>/melding/nieuw/", views.ReportNew.as_view(), name="report_new"),
    path(P + "meldingen/<int:pk>/", views.ReportEdit.as_view(), name="report_edit"),
    path(P + "meldingen/<int:pk>/verwijderen/", views.ReportDelete.as_view(), name="report_delete"),
    path(P + "rode-draden/", views.patterns, name="patterns"),
    path(P + "soorten/", views.type_list, name="types"),
    path(P + "soorten/nieuw/", views.TypeEdit.as_view(), name="type_new"),
    path(P + "soorten/<int:pk>/bewerken/", views.TypeEdit.as_view(), name="type_edit"),
    path(P + "soorten/<int:pk>/verwijderen/", views.TypeDelete.as_view(), name="type_delete"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
    path(P + "export/<int:pk>/", views.export_job, name="export_job"),
    path(P + "export/<int:pk>/downloaden/", views.export_download, name="export_download"),
    path(P + "import/", views.import_xlsx, name="import"),
    path(P + "import/sjabloon.xlsx", views.import_template, name="import_template"),
]

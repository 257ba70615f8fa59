from django.urls import path

from . import views

app_name = "risks"

P = "g/<slug:org>/risico/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "dekking/", views.coverage, name="coverage"),
    path(P + "begroting/", views.budget, name="budget"),
    path(P + "matrix/", views.matrix, name="matrix"),
    path(P + "bedrijfsmiddelen/", views.asset_list, name="assets"),
    path(P + "bedrijfsmiddelen/nieuw/", views.asset_edit, name="asset_new"),
    path(P + "bedrijfsmiddelen/<int:pk>/", views.asset_detail, name="asset"),
    path(P + "bedrijfsmiddelen/<int:pk>/bewerken/", views.asset_edit, name="asset_edit"),
    path(P + "bedrijfsmiddelen/<int:pk>/verwijderen/", views.asset_delete, name="asset_delete"),
    path(P + "dreigingen/", views.threat_list, name="threats"),
    path(P + "dreigingen/nieuw/", views.threat_edit, name="threat_new"),
    path(P + "dreigingen/<int:pk>/bewerken/", views.threat_edit, name="threat_edit"),
    path(P + "dreigingen/<int:pk>/verwijderen/", views.threat_delete, name="threat_delete"),
    path(P + "risicos/", views.risk_list, name="risks"),
    path(P + "risicos/nieuw/", views.risk_edit, name="risk_new"),
    path(P + "risicos/<int:pk>/", views.risk_detail, name="risk"),
    path(P + "risicos/<int:pk>/bewerken/", views.risk_edit, name="risk_edit"),
    path(P + "risicos/<int:pk>/verwijderen/", views.risk_delete, name="risk_delete"),
    path(P + "maatregelen/", views.measure_list, name="measures"),
    path(P + "maatregelen/nieuw/", views.measure_edit, name="measure_new"),
    path(P + "maatregelen/<int:pk>/", views.measure_detail, name="measure"),
    path(P + "maatregelen/<int:pk>/bewerken/", views.measure_edit, name="measure_edit"),
    path(P + "maatregelen/<int:pk>/status/", views.measure_status, name="measure_status"),
    path(P + "maatregelen/<int:pk>/verwijderen/", views.measure_delete, name="measure_delete"),
    path(P + "conflicten/nieuw/", views.conflict_edit, name="conflict_new"),
    path(P + "conflicten/<int:pk>/bewerken/", views.conflict_edit, name="conflict_edit"),
    path(P + "conflicten/<int:pk>/verwijderen/", views.conflict_delete, name="conflict_delete"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
    path(P + "import/", views.import_xlsx, name="import"),
    path(P + "import/sjabloon.xlsx", views.import_template, name="import_template"),
]

from django.urls import path

from . import views

app_name = "risks"

P = "g/<slug:org>/risico/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "dekking/", views.coverage, name="coverage"),
    path(P + "begroting/", views.budget, name="budget"),
    path(P + "matrix/", views.matrix, name="matrix"),
    path(P + "bedrijfsmiddelen/", views.AssetList.as_view(), name="assets"),
    path(P + "bedrijfsmiddelen/nieuw/", views.AssetEdit.as_view(), name="asset_new"),
    path(P + "bedrijfsmiddelen/<int:pk>/", views.AssetDetail.as_view(), name="asset"),
    path(P + "bedrijfsmiddelen/<int:pk>/bewerken/", views.AssetEdit.as_view(), name="asset_edit"),
    path(P + "bedrijfsmiddelen/<int:pk>/verwijderen/", views.AssetDelete.as_view(), name="asset_delete"),
    path(P + "dreigingen/", views.threat_list, name="threats"),
    path(P + "dreigingen/nieuw/", views.ThreatEdit.as_view(), name="threat_new"),
    path(P + "dreigingen/<int:pk>/bewerken/", views.ThreatEdit.as_view(), name="threat_edit"),
    path(P + "dreigingen/<int:pk>/verwijderen/", views.ThreatDelete.as_view(), name="threat_delete"),
    path(P + "risicos/", views.RiskList.as_view(), name="risks"),
    path(P + "risicos/nieuw/", views.RiskEdit.as_view(), name="risk_new"),
    path(P + "risicos/<int:pk>/", views.RiskDetail.as_view(), name="risk"),
    path(P + "risicos/<int:pk>/bewerken/", views.RiskEdit.as_view(), name="risk_edit"),
    path(P + "risicos/<int:pk>/verwijderen/", views.RiskDelete.as_view(), name="risk_delete"),
    path(P + "maatregelen/", views.MeasureList.as_view(), name="measures"),
    path(P + "maatregelen/nieuw/", views.MeasureEdit.as_view(), name="measure_new"),
    path(P + "maatregelen/<int:pk>/", views.MeasureDetail.as_view(), name="measure"),
    path(P + "maatregelen/<int:pk>/bewerken/", views.MeasureEdit.as_view(), name="measure_edit"),
    path(P + "maatregelen/<int:pk>/status/", views.measure_status, name="measure_status"),
    path(P + "maatregelen/<int:pk>/verwijderen/", views.MeasureDelete.as_view(), name="measure_delete"),
    path(P + "conflicten/nieuw/", views.ConflictEdit.as_view(), name="conflict_new"),
    path(P + "conflicten/<int:pk>/bewerken/", views.ConflictEdit.as_view(), name="conflict_edit"),
    path(P + "conflicten/<int:pk>/verwijderen/", views.ConflictDelete.as_view(), name="conflict_delete"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
    path(P + "risicobeeld.pdf", views.report_pdf, name="report_pdf"),
    path(P + "risicobeeld.docx", views.report_word, name="report_word"),
    path(P + "import/", views.import_xlsx, name="import"),
    path(P + "import/sjabloon.xlsx", views.import_template, name="import_template"),
]

from django.urls import path

from . import views

app_name = "cycle"

P = "g/<slug:org>/jaarplan/"

urlpatterns = [
    path(P, views.ActionList.as_view(), name="plan"),
    path(P + "voortgang/", views.progress, name="progress"),
    path(P + "te-laat/", views.OverdueList.as_view(), name="overdue"),
    path(P + "meerjarig/", views.multi_year, name="multi_year"),
    path(P + "volgend-jaar/", views.start_next_year, name="start_next_year"),
    path(P + "acties/nieuw/", views.ActionEdit.as_view(), name="action_new"),
    path(P + "acties/<int:pk>/", views.ActionDetail.as_view(), name="action_detail"),
    path(P + "acties/<int:pk>/bewerken/", views.ActionEdit.as_view(), name="action_edit"),
    path(P + "acties/<int:pk>/status/", views.action_status, name="action_status"),
    path(P + "acties/<int:pk>/verwijderen/", views.ActionDelete.as_view(), name="action_delete"),
    path(P + "controles/", views.CheckList.as_view(), name="checks"),
    path(P + "controles/nieuw/", views.CheckEdit.as_view(), name="check_new"),
    path(P + "controles/<int:pk>/", views.CheckDetail.as_view(), name="check_detail"),
    path(P + "controles/<int:pk>/bewerken/", views.CheckEdit.as_view(), name="check_edit"),
    path(P + "controles/<int:pk>/verwijderen/", views.CheckDelete.as_view(), name="check_delete"),
    path(P + "controles/<int:pk>/bevinding/", views.FindingCreate.as_view(), name="finding_new"),
    path(P + "bevindingen/", views.FindingList.as_view(), name="findings"),
    path(P + "bevindingen/<int:pk>/", views.FindingDetail.as_view(), name="finding_detail"),
    path(P + "bevindingen/<int:pk>/bewerken/", views.FindingEdit.as_view(), name="finding_edit"),
    path(P + "bevindingen/<int:pk>/verwijderen/", views.FindingDelete.as_view(), name="finding_delete"),
    path(P + "bevindingen/<int:pk>/actie/", views.FindingActionCreate.as_view(), name="finding_action"),
    path(P + "bevindingen/<int:pk>/risico/", views.FindingRiskCreate.as_view(), name="finding_risk"),
    path(P + "bevindingen/<int:pk>/risico-koppelen/", views.finding_link_risk, name="finding_link_risk"),
    path(P + "afwijkingen/", views.DeviationList.as_view(), name="deviations"),
    path(P + "afwijkingen/nieuw/", views.DeviationEdit.as_view(), name="deviation_new"),
    path(P + "afwijkingen/<int:pk>/", views.DeviationDetail.as_view(), name="deviation_detail"),
    path(P + "afwijkingen/<int:pk>/bewerken/", views.DeviationEdit.as_view(), name="deviation_edit"),
    path(P + "afwijkingen/<int:pk>/verwijderen/", views.DeviationDelete.as_view(), name="deviation_delete"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
    path(P + "import/", views.import_xlsx, name="import"),
    path(P + "import/sjabloon.xlsx", views.import_template, name="import_template"),
]

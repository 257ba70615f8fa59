from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [
    path("g/<slug:org>/kader/", views.overview, name="overview"),
    path("g/<slug:org>/kader/starten/", views.start, name="start"),
    path("g/<slug:org>/kader/sjabloon/", views.word_template, name="word_template"),
    path("g/<slug:org>/kader/sjabloon/verwijderen/", views.word_template_delete, name="word_template_delete"),
    path("g/<slug:org>/kader/versies/<int:number>/", views.version_detail, name="version"),
    path("g/<slug:org>/kader/versies/<int:number>/indienen/", views.submit, name="submit"),
    path("g/<slug:org>/kader/versies/<int:number>/terug-naar-concept/", views.withdraw, name="withdraw"),
    path("g/<slug:org>/kader/versies/<int:number>/vaststellen/", views.adopt, name="adopt"),
    path("g/<slug:org>/kader/versies/<int:number>/besluit/", views.decision_document, name="decision_document"),
    path("g/<slug:org>/kader/versies/<int:number>/nieuwe-versie/", views.new_version, name="new_version"),
    path("g/<slug:org>/kader/versies/<int:number>/vergelijken/", views.compare, name="compare"),
    path("g/<slug:org>/kader/versies/<int:number>/word/", views.export_word, name="export_word"),
    path("g/<slug:org>/kader/versies/<int:number>/pdf/", views.export_pdf, name="export_pdf"),
    path("g/<slug:org>/kader/versies/<int:number>/document/", views.export_html, name="export_html"),
    path("g/<slug:org>/kader/documenten/<int:pk>/", views.document_job, name="document_job"),
    path(
        "g/<slug:org>/kader/documenten/<int:pk>/downloaden/", views.document_job_download, name="document_job_download"
    ),
    path("g/<slug:org>/kader/versies/<int:number>/stap/<str:step>/", views.step, name="step"),
    path("g/<slug:org>/kader/versies/<int:number>/stap/<str:step>/opmerkingen/", views.comment_add, name="comment_add"),
    path("g/<slug:org>/kader/opmerkingen/<int:pk>/afhandelen/", views.comment_resolve, name="comment_resolve"),
]

urlpatterns += [
    path("g/<slug:org>/kader/versies/<int:number>/meeschrijvers/", views.delegation_add, name="delegation_add"),
    path("g/<slug:org>/kader/meeschrijvers/<int:pk>/intrekken/", views.delegation_remove, name="delegation_remove"),
    path("g/<slug:org>/kader/deelplannen/", views.SubPlanList.as_view(), name="subplans"),
    path("g/<slug:org>/kader/deelplannen/nieuw/", views.SubPlanEdit.as_view(), name="subplan_new"),
    path("g/<slug:org>/kader/deelplannen/<int:pk>/", views.SubPlanDetail.as_view(), name="subplan"),
    path("g/<slug:org>/kader/deelplannen/<int:pk>/bewerken/", views.SubPlanEdit.as_view(), name="subplan_edit"),
    path("g/<slug:org>/kader/deelplannen/<int:pk>/verwijderen/", views.SubPlanDelete.as_view(), name="subplan_delete"),
    path("g/<slug:org>/kader/deelplannen/<int:pk>/document/", views.subplan_document, name="subplan_document"),
]

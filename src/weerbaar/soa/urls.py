from django.urls import path

from . import views

app_name = "soa"

P = "g/<slug:org>/verklaring-van-toepasselijkheid/"

urlpatterns = [
    path(P, views.statement, name="statement"),
    path(P + "beoordelen/", views.ApplicabilityEdit.as_view(), name="edit"),
    path(P + "hoofdstuk/", views.chapter_applicable, name="chapter"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
]

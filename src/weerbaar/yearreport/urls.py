from django.urls import path

from . import views

app_name = "yearreport"

urlpatterns = [
    path("g/<slug:org>/jaarverslag/", views.ReportList.as_view(), name="list"),
    path("g/<slug:org>/jaarverslag/<int:pk>/", views.ReportDetail.as_view(), name="detail"),
    path("g/<slug:org>/jaarverslag/<int:pk>/teksten/", views.TextsEdit.as_view(), name="texts"),
    path("g/<slug:org>/jaarverslag/<int:pk>/indienen/", views.Submit.as_view(), name="submit"),
    path("g/<slug:org>/jaarverslag/<int:pk>/terug-naar-concept/", views.Withdraw.as_view(), name="withdraw"),
    path("g/<slug:org>/jaarverslag/<int:pk>/vaststellen/", views.Adopt.as_view(), name="adopt"),
    path("g/<slug:org>/jaarverslag/<int:pk>/nieuwe-versie/", views.NewVersion.as_view(), name="new_version"),
    path("g/<slug:org>/jaarverslag/<int:pk>/word/", views.Download.as_view(word_export=True), name="word"),
    path("g/<slug:org>/jaarverslag/<int:pk>/pdf/", views.Download.as_view(word_export=False), name="pdf"),
]

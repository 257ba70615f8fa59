from django.urls import path

from . import health, views, wellknown

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid", views.accessibility, name="accessibility"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("beheer/gemeenten/", views.organisations_admin, name="organisations_admin"),
    path("g/<slug:org>/", views.dashboard, name="dashboard"),
    path("g/<slug:org>/leden/", views.members, name="members"),
    path("g/<slug:org>/leden/<int:pk>/", views.member_edit, name="member_edit"),
    path("g/<slug:org>/leden/<int:pk>/verwijderen/", views.member_remove, name="member_remove"),
    path("g/<slug:org>/uitnodigingen/<int:pk>/intrekken/", views.invitation_revoke, name="invitation_revoke"),
    path("g/<slug:org>/audit/", views.audit_log, name="audit"),
    path("g/<slug:org>/audit/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("g/<slug:org>/instellingen/", views.organisation_settings, name="settings"),
    path("g/<slug:org>/logo/", views.organisation_logo, name="logo"),
    path("gezondheid/", health.health, name="health"),
    path(".well-known/security.txt", wellknown.security_txt, name="security_txt"),
]

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("g/<slug:org>/api-sleutels/", views.api_tokens, name="api_tokens"),
    path("g/<slug:org>/api-sleutels/<int:pk>/intrekken/", views.api_token_revoke, name="api_token_revoke"),
    path("g/<slug:org>/instellingen/inloggen/", views.sso_settings, name="sso_settings"),
    path("account/gemeente-inlog/", views.sso_start, name="sso_start"),
    path("account/sessies/", views.my_sessions, name="sessions"),
    path("account/sessies/andere-beeindigen/", views.my_sessions_end_others, name="sessions_end_others"),
    path("account/sessies/<int:pk>/beeindigen/", views.my_session_end, name="session_end"),
]

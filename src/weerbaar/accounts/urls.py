from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("g/<slug:org>/api-sleutels/", views.api_tokens, name="api_tokens"),
    path("g/<slug:org>/api-sleutels/<int:pk>/intrekken/", views.api_token_revoke, name="api_token_revoke"),
]

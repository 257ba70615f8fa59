from django.urls import path

from . import views

app_name = "agenda"

P = "g/<slug:org>/kalender/"

urlpatterns = [
    path(P, views.calendar, name="calendar"),
    path(P + "abonnement/", views.feed_settings, name="feed"),
    path(P + "instellingen/", views.MomentList.as_view(), name="settings"),
    path(P + "instellingen/nieuw/", views.MomentEdit.as_view(), name="moment_new"),
    path(P + "instellingen/<int:pk>/bewerken/", views.MomentEdit.as_view(), name="moment_edit"),
    path(P + "instellingen/<int:pk>/verwijderen/", views.MomentDelete.as_view(), name="moment_delete"),
    # Public by token (for calendar programs, which cannot log in); see views.feed_ics.
    path("kalender/<str:token>.ics", views.feed_ics, name="feed_ics"),
]

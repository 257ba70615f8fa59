"""Leerkringen. Only ``pk`` and ``org`` name things in these addresses; every ``pk`` is looked up
through the membership selector, so a non-member gets 404 on every one of them."""

from django.urls import path

from . import views

app_name = "circles"

urlpatterns = [
    path("g/<slug:org>/leerkringen/", views.mine, name="index"),
    path("leerkringen/", views.mine, name="mine"),
    path("leerkringen/nieuw/", views.create, name="create"),
    path("leerkringen/aanmelden/", views.join, name="join"),
    path("leerkringen/<int:pk>/", views.detail, name="detail"),
    path("leerkringen/<int:pk>/wijzigen/", views.edit, name="edit"),
    path("leerkringen/<int:pk>/uitnodiging/", views.invitation, name="invitation"),
    path("leerkringen/<int:pk>/deelnemers/", views.members, name="members"),
    path("leerkringen/<int:pk>/verlaten/", views.leave, name="leave"),
    path("leerkringen/<int:pk>/e-mail/", views.preferences, name="preferences"),
    path("leerkringen/<int:pk>/bijeenkomsten/", views.meetings, name="meetings"),
    path("leerkringen/<int:pk>/bijeenkomsten/nieuw/", views.meeting_create, name="meeting_create"),
    path("leerkringen/<int:pk>/discussie/", views.threads, name="threads"),
    path("leerkringen/<int:pk>/documenten/", views.documents, name="documents"),
    path("leerkringen/deelnemer/<int:pk>/toelaten/", views.place_action, {"action": "approve"}, name="approve"),
    path("leerkringen/deelnemer/<int:pk>/verwijderen/", views.place_action, {"action": "remove"}, name="remove"),
    path("leerkringen/deelnemer/<int:pk>/begeleider/", views.place_action, {"action": "facilitator"}, name="role"),
    path("leerkringen/bijeenkomst/<int:pk>/", views.meeting_detail, name="meeting"),
    path("leerkringen/bijeenkomst/<int:pk>/wijzigen/", views.meeting_edit, name="meeting_edit"),
    path("leerkringen/bijeenkomst/<int:pk>/agenda.ics", views.meeting_ics, name="meeting_ics"),
    path("leerkringen/onderwerp/<int:pk>/", views.thread_detail, name="thread"),
    path("leerkringen/bericht/<int:pk>/kennisbank/", views.share, name="share"),
    path("leerkringen/document/<int:pk>/", views.document_detail, name="document"),
    path("leerkringen/versie/<int:pk>/download/", views.download, name="download"),
]

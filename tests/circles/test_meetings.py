"""Meetings: planned by a facilitator, agenda and minutes, attendance, a calendar entry."""

import datetime

from django.utils import timezone

from weerbaar.circles import services
from weerbaar.circles.models import Attendance, Meeting

from .conftest import place_of


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _meeting(circle, user, **extra):
    start = (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    return services.meeting_create(
        user=user,
        circle=circle,
        title="Kwartaaloverleg",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Stadhuis, zaal 3",
        agenda="1. Opening; 2. Oefenen, met elkaar",
        **extra,
    )


def test_a_facilitator_plans_a_meeting_on_the_page(client, people, circle):
    _login(client, people["facilitator"])
    response = client.post(
        f"/leerkringen/{circle.pk}/bijeenkomsten/nieuw/",
        {
            "title": "Tafeloefening",
            "starts_at": "2031-03-12T14:00",
            "ends_at": "2031-03-12T16:00",
            "location": "",
            "online_url": "https://meet.example.org/oefening",
            "agenda": "1. Scenario",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Tafeloefening")
    assert meeting.online_url == "https://meet.example.org/oefening"
    _login(client, people["other"])
    page = client.get(f"/leerkringen/{circle.pk}/bijeenkomsten/").content.decode()
    assert "Tafeloefening" in page


def test_an_end_before_the_start_and_no_place_are_refused_at_the_fields(client, people, circle):
    _login(client, people["facilitator"])
    response = client.post(
        f"/leerkringen/{circle.pk}/bijeenkomsten/nieuw/",
        {"title": "Fout", "starts_at": "2031-03-12T14:00", "ends_at": "2031-03-12T12:00", "location": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Het einde ligt voor het begin" in page
    assert "Geef een plaats of een link" in page
    assert 'value="2031-03-12T14:00"' in page


def test_members_may_not_plan_meetings(client, people, circle):
    _login(client, people["other"])
    assert client.get(f"/leerkringen/{circle.pk}/bijeenkomsten/nieuw/").status_code == 403
    assert "Bijeenkomst plannen" not in client.get(f"/leerkringen/{circle.pk}/bijeenkomsten/").content.decode()


def test_the_calendar_entry_is_a_valid_ics_with_the_meeting(client, people, circle):
    meeting = _meeting(circle, people["facilitator"])
    _login(client, people["other"])
    response = client.get(f"/leerkringen/bijeenkomst/{meeting.pk}/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART:{meeting.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "LOCATION:Stadhuis\\, zaal 3" in text
    assert "SUMMARY:Kwartaaloverleg (Regio Test)" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_facilitator_records_attendance_and_minutes(client, people, circle):
    meeting = _meeting(circle, people["facilitator"])
    other = place_of(people["other"], circle)
    _login(client, people["facilitator"])
    response = client.post(f"/leerkringen/bijeenkomst/{meeting.pk}/", {f"m{other.pk}": "excused"})
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=other).status == "excused"
    response = client.post(
        f"/leerkringen/bijeenkomst/{meeting.pk}/wijzigen/",
        {
            "title": meeting.title,
            "starts_at": meeting.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": meeting.ends_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M"),
            "location": meeting.location,
            "agenda": meeting.agenda,
            "minutes": "We spraken af **elk kwartaal** te oefenen.",
            "revision": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    _login(client, people["other"])
    page = client.get(f"/leerkringen/bijeenkomst/{meeting.pk}/").content.decode()
    assert "<strong>elk kwartaal</strong>" in page
    assert "Coördinator Voorbeeldrecht (Voorbeeldrecht): afgemeld" in page

"""Demo learning circles: members of Demostad and Voorbeeldrecht, meetings, a discussion, documents.

Safe to re-run: a circle that exists (by name) is left as it is.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Attendance, Circle, CircleMember, Document, DocumentVersion, Meeting, Post, Thread, person_name
from .services import find_mentions


def _user(email):
    return get_user_model().objects.filter(email=email).first()


def _member(circle, user, org, role=CircleMember.Role.MEMBER, state=CircleMember.State.ACTIVE, joined=None):
    return CircleMember.objects.create(
        circle=circle,
        user=user,
        organisation=org,
        role=role,
        state=state,
        joined_at=joined if state == CircleMember.State.ACTIVE else None,
    )


def _post(thread, place, body, when):
    post = Post.objects.create(
        thread=thread,
        circle=thread.circle,
        author=place.user,
        author_name=person_name(place.user),
        author_organisation=place.organisation.name if place.organisation else "",
        body=body,
        created_at=when,
    )
    members = CircleMember.objects.filter(circle=thread.circle, state=CircleMember.State.ACTIVE).select_related("user")
    post.mentions.set(find_mentions(body, members, author=place.user))
    thread.last_post_at = when
    thread.post_count += 1
    thread.save()
    return post


def _document(circle, place, title, description, versions, when):
    document = Document.objects.create(
        circle=circle, title=title, description=description, created_by=place.user, created_at=when, updated_at=when
    )
    for number, (filename, content_type, text, note) in enumerate(versions, start=1):
        content = text.encode()
        DocumentVersion.objects.create(
            document=document,
            number=number,
            filename=filename,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            note=note,
            uploaded_by=place.user,
            uploaded_by_name=person_name(place.user),
            uploaded_at=when + datetime.timedelta(days=number - 1),
        )
    document.version_count = len(versions)
    document.updated_at = when + datetime.timedelta(days=len(versions) - 1)
    document.save()
    return document


def load_circles_demo(organisations: dict) -> list[Circle]:
    demostad, voorbeeldrecht = organisations.get("demostad"), organisations.get("voorbeeldrecht")
    if demostad is None or voorbeeldrecht is None:
        return []
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    made = []
    if not Circle.objects.filter(name="Regio Utrecht-West").exists():
        made.append(_utrecht_west(demostad, voorbeeldrecht, now))
    if not Circle.objects.filter(name="Integriteit in kleine gemeenten").exists():
        made.append(_integrity(demostad, voorbeeldrecht, now))
    return made


def _utrecht_west(demostad, voorbeeldrecht, now):
    start = now - datetime.timedelta(days=60)
    coordinator_d = _user("coordinator@demostad.example")
    coordinator_v = _user("coordinator@voorbeeldrecht.example")
    expert_d = _user("expert@demostad.example")
    circle = Circle.objects.create(
        name="Regio Utrecht-West",
        kind=Circle.Kind.REGION,
        description=(
            "Coördinatoren integrale beveiliging uit de regio wisselen ervaringen uit. We bespreken elk kwartaal "
            "een thema en delen voorbeelden van beleid en oefeningen."
        ),
        created_by=coordinator_d,
        created_at=start,
    )
    facilitator = _member(circle, coordinator_d, demostad, CircleMember.Role.FACILITATOR, joined=start)
    other = _member(circle, coordinator_v, voorbeeldrecht, joined=start + datetime.timedelta(days=2))
    expert = _member(circle, expert_d, demostad, joined=start + datetime.timedelta(days=3))
    if lezer := _user("lezer@voorbeeldrecht.example"):
        CircleMember.objects.create(
            circle=circle,
            user=lezer,
            organisation=voorbeeldrecht,
            state=CircleMember.State.INVITED,
            invited_by=coordinator_d,
        )
    past = Meeting.objects.create(
        circle=circle,
        title="Kwartaaloverleg: risicoanalyse",
        starts_at=now - datetime.timedelta(days=30, hours=-10),
        ends_at=now - datetime.timedelta(days=30, hours=-12),
        location="Stadhuis Demostad, zaal 3",
        agenda="1. Opening\n2. Hoe pakt u de integrale risicoanalyse aan?\n3. Rondvraag",
        minutes=(
            "Beide gemeenten gebruiken de risicomatrix van vijf bij vijf. Voorbeeldrecht deelt het format "
            "voor de sessie met afdelingshoofden.\n\n**Afspraak:** volgende keer bespreken we oefeningen."
        ),
        created_by=coordinator_d,
    )
    Attendance.objects.create(meeting=past, member=facilitator, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=past, member=other, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=past, member=expert, status=Attendance.Status.EXCUSED)
    Meeting.objects.create(
        circle=circle,
        title="Kwartaaloverleg: oefenen met een crisisscenario",
        starts_at=now + datetime.timedelta(days=21, hours=2),
        ends_at=now + datetime.timedelta(days=21, hours=4),
        online_url="https://meet.example.org/utrecht-west",
        agenda="1. Opening\n2. Tafeloefening: uitval van de centrale systemen\n3. Wat nemen we mee?",
        created_by=coordinator_d,
    )
    thread = Thread.objects.create(
        circle=circle, title="Hoe betrekt u afdelingshoofden bij de risicoanalyse?", created_by=coordinator_v
    )
    _post(
        thread,
        other,
        "Wij merken dat afdelingshoofden de risicoanalyse zien als iets van de coördinator. "
        "Hoe krijgen jullie ze aan tafel?",
        start + datetime.timedelta(days=10),
    )
    _post(
        thread,
        facilitator,
        "Wij plannen per domein een korte sessie van een uur, met drie vooraf ingevulde risico's als start. "
        "@Thema-expert Demostad heeft het format gemaakt; zie de documenten.",
        start + datetime.timedelta(days=11),
    )
    _post(
        thread,
        expert,
        "Klopt, het format staat bij de documenten. Vragen hoor ik graag.",
        start + datetime.timedelta(days=12),
    )
    _document(
        circle,
        expert,
        "Format sessie risicoanalyse per domein",
        "Opzet voor een sessie van een uur met afdelingshoofden.",
        [
            (
                "format-sessie-risicoanalyse.md",
                "text/markdown; charset=utf-8",
                "# Sessie risicoanalyse\n\n1. Doel van de sessie\n2. Drie risico's ter bespreking\n",
                "",
            ),
            (
                "format-sessie-risicoanalyse.md",
                "text/markdown; charset=utf-8",
                "# Sessie risicoanalyse\n\n1. Doel van de sessie\n2. Drie risico's ter bespreking\n3. Afspraken\n",
                "Afspraken toegevoegd",
            ),
        ],
        start + datetime.timedelta(days=12),
    )
    return circle


def _integrity(demostad, voorbeeldrecht, now):
    start = now - datetime.timedelta(days=40)
    editor = _user("redacteur@weerbaar.example")
    coordinator_v = _user("coordinator@voorbeeldrecht.example")
    board_d = _user("bestuur@demostad.example")
    coordinator_d = _user("coordinator@demostad.example")
    circle = Circle.objects.create(
        name="Integriteit in kleine gemeenten",
        kind=Circle.Kind.THEME,
        description=(
            "Voor gemeenten tot 30.000 inwoners: hoe organiseert u integriteit met weinig mensen? "
            "Vertrouwenspersoon, meldregeling en de ambtseed in de praktijk."
        ),
        discoverable=True,
        created_by=editor,
        created_at=start,
    )
    facilitator = _member(circle, editor, None, CircleMember.Role.FACILITATOR, joined=start)
    other = _member(circle, coordinator_v, voorbeeldrecht, joined=start + datetime.timedelta(days=1))
    board = _member(circle, board_d, demostad, joined=start + datetime.timedelta(days=1))
    if coordinator_d:
        CircleMember.objects.create(
            circle=circle,
            user=coordinator_d,
            organisation=demostad,
            state=CircleMember.State.REQUESTED,
            message="Wij willen graag leren hoe anderen de meldregeling inrichten.",
        )
    meeting = Meeting.objects.create(
        circle=circle,
        title="Vertrouwenspersoon delen met buurgemeenten",
        starts_at=now - datetime.timedelta(days=14, hours=-13),
        ends_at=now - datetime.timedelta(days=14, hours=-15),
        online_url="https://meet.example.org/integriteit-klein",
        agenda="1. Ervaringen met een gedeelde vertrouwenspersoon\n2. Afspraken over geheimhouding",
        minutes="Twee gemeenten delen al een externe vertrouwenspersoon. Let op heldere afspraken over verslaglegging.",
        created_by=editor,
    )
    Attendance.objects.create(meeting=meeting, member=facilitator, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, member=other, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, member=board, status=Attendance.Status.ABSENT)
    Meeting.objects.create(
        circle=circle,
        title="De ambtseed: meer dan een ritueel",
        starts_at=now + datetime.timedelta(days=35, hours=3),
        ends_at=now + datetime.timedelta(days=35, hours=5),
        location="Gemeentehuis Voorbeeldrecht",
        agenda="1. Hoe bereidt u nieuwe medewerkers voor op de eed?\n2. Dilemmagesprekken",
        created_by=editor,
    )
    thread = Thread.objects.create(circle=circle, title="Dilemmakaarten voor de raad", created_by=board_d)
    _post(
        thread,
        board,
        "Wie heeft ervaring met dilemmakaarten in een raadsvergadering? Wij willen dit in het voorjaar proberen.",
        start + datetime.timedelta(days=5),
    )
    _post(
        thread,
        other,
        "Wij deden het bij de installatie van de nieuwe raad. "
        "Kies dilemma's uit de eigen gemeente, dan gaat het leven.",
        start + datetime.timedelta(days=6),
    )
    _document(
        circle,
        other,
        "Dilemma's voor raadsleden",
        "Tien dilemma's, vrij te gebruiken en aan te passen.",
        [
            (
                "dilemmas-raad.txt",
                "text/plain; charset=utf-8",
                "Dilemma 1: een vriend vraagt om een snelle vergunning.\n",
                "",
            )
        ],
        start + datetime.timedelta(days=6),
    )
    return circle

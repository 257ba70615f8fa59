import datetime
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from weerbaar.core.registry import annual_report_sections, calendar_sources
from weerbaar.documents.excel import XLSX_CONTENT_TYPE
from weerbaar.training.models import Activity, Participation, Session, StaffGroup

from ..conftest import member
from .conftest import TODAY, get

BASE = "/g/demostad/opleiden/"


def _client(login, org, local):
    return login(member(org, local).user)


def test_demo_has_plan_over_two_years_with_participation(plan):
    with scopes_disabled():
        years = {s.date.year for s in Session.objects.filter(organisation=plan, participations__isnull=False)}
        kinds = set(StaffGroup.objects.filter(organisation=plan).values_list("kind", flat=True))
    assert {TODAY.year - 1, TODAY.year} <= years
    assert {"everyone", "front_desk", "enforcement", "ict", "managers", "college", "council", "own"} <= kinds


def test_plan_page_states_whether_college_cyber_training_was_done(plan, login):
    client = _client(login, plan, "bestuur")
    last = client.get(BASE + f"?jaar={TODAY.year - 1}")
    assert last.status_code == 200
    assert "Cybertraining voor het college in" in last.content.decode()
    assert "Uitgevoerd." in last.content.decode()
    never = client.get(BASE + "?jaar=2010").content.decode()
    assert "Niet gepland in dit jaar." in never


def test_board_sees_no_edit_actions_and_may_not_record_participation(plan, login):
    client = _client(login, plan, "bestuur")
    with scopes_disabled():
        session = Session.objects.filter(organisation=plan).first()
    page = client.get(BASE + f"uitvoeringen/{session.pk}/").content.decode()
    assert "Deelname opslaan" not in page and "bewerken/" not in page
    response = client.post(BASE + f"uitvoeringen/{session.pk}/", {})
    assert response.status_code == 403
    assert client.get(BASE + "activiteiten/nieuw/").status_code == 403


def test_coordinator_records_participation_and_the_session_is_done(plan, login):
    client = _client(login, plan, "coordinator")
    with scopes_disabled():
        session = Session.objects.filter(
            organisation=plan, status=Session.Status.PLANNED, activity__title="Phishingtest"
        ).first()
        group = session.activity.groups.get()
    response = client.post(BASE + f"uitvoeringen/{session.pk}/", {f"count_{group.pk}": "600", f"names_{group.pk}": ""})
    assert response.status_code == 302
    with scopes_disabled():
        session.refresh_from_db()
        assert session.status == Session.Status.DONE
        assert Participation.objects.get(session=session, group=group).participants == 600


def test_more_participants_than_the_group_is_refused_at_the_field(plan, login):
    client = _client(login, plan, "coordinator")
    with scopes_disabled():
        session = Session.objects.filter(organisation=plan, activity__title="Cybertraining voor bestuurders").first()
        group = session.activity.groups.get()
    response = client.post(BASE + f"uitvoeringen/{session.pk}/", {f"count_{group.pk}": "60"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Meer deelnemers (60) dan de groep groot is (6)" in body
    assert 'value="60"' in body


def test_coverage_shows_participants_against_group_size(plan, login):
    client = _client(login, plan, "lezer")
    body = client.get(BASE + f"bereik/?jaar={TODAY.year - 1}").content.decode()
    # Training for front desk last year: 19 of 24 people.
    assert "19 (79%)" in body


def test_activity_create_needs_a_group_and_keeps_typed_values(plan, login):
    client = _client(login, plan, "coordinator")
    response = client.post(
        BASE + "activiteiten/nieuw/", {"title": "Tabletop-oefening", "kind": "exercise", "frequency": "yearly"}
    )
    assert response.status_code == 400
    assert "Tabletop-oefening" in response.content.decode()
    with scopes_disabled():
        group = StaffGroup.objects.get(organisation=plan, kind="ict")
    response = client.post(
        BASE + "activiteiten/nieuw/",
        {"title": "Tabletop-oefening", "kind": "exercise", "frequency": "yearly", "groups": [group.pk]},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Activity.objects.get(organisation=plan, title="Tabletop-oefening").groups.get() == group


def test_stale_session_edit_is_a_conflict(plan, login):
    client = _client(login, plan, "coordinator")
    with scopes_disabled():
        session = Session.objects.filter(organisation=plan).first()
        Session.objects.filter(pk=session.pk).update(revision=5)
    response = client.post(
        BASE + f"uitvoeringen/{session.pk}/bewerken/",
        {"date": "2026-02-02", "status": "planned", "location": "", "evaluation": "x", "revision": "1"},
    )
    assert response.status_code == 409


def test_group_with_participation_cannot_be_deleted(plan, login):
    client = _client(login, plan, "coordinator")
    with scopes_disabled():
        group = StaffGroup.objects.get(organisation=plan, kind="college")
    page = client.get(BASE + f"doelgroepen/{group.pk}/verwijderen/").content.decode()
    assert "Cybertraining voor bestuurders" in page  # the session that blocks the delete is named
    response = client.post(BASE + f"doelgroepen/{group.pk}/verwijderen/")
    assert response.status_code == 400
    assert get(StaffGroup, pk=group.pk)


def test_shipped_groups_are_added_once(demo, login):
    org = demo["demostad"]
    client = _client(login, org, "coordinator")
    client.post(BASE + "doelgroepen/standaard/")
    client.post(BASE + "doelgroepen/standaard/")
    with scopes_disabled():
        assert StaffGroup.objects.filter(organisation=org).count() == 7


def test_export_is_a_workbook_with_participation(plan, login):
    client = _client(login, plan, "auditor")
    response = client.get(BASE + "export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="weerbaar-opleidingsplan-demostad.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Doelgroepen", "Activiteiten", "Uitvoeringen", "Deelname"]
    assert wb["Deelname"].max_row > 10


def test_calendar_source_and_report_section(plan):
    coordinator = member(plan, "coordinator")
    with scope(organisation=plan.pk):
        entries = list(
            calendar_sources["training"](
                coordinator, datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31)
            )
        )
        section = annual_report_sections["training"](plan, TODAY.year - 1)
    assert entries and all(e.kind == "training" for e in entries)
    assert any(e.owner_id == coordinator.pk for e in entries)
    assert section.title == "Opleiden, trainen, oefenen en testen"
    text = " ".join(str(b.get("text", "")) for b in section.blocks)
    assert "Uitgevoerd op" in text
    assert any(b["type"] == "table" for b in section.blocks)


def test_api_records_participation_and_refuses_board(plan, api):
    with scopes_disabled():
        session = (
            Session.objects.filter(organisation=plan, status=Session.Status.PLANNED).select_related("activity").first()
        )
        group = session.activity.groups.first()
    body = {"groups": [{"group_id": group.pk, "participants": 3}]}
    assert api(plan, "bestuur")("PUT", f"/training/sessions/{session.pk}/participation", body).status_code == 403
    response = api(plan, "coordinator")("PUT", f"/training/sessions/{session.pk}/participation", body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    cov = api(plan, "lezer")("GET", f"/training/coverage?year={TODAY.year - 1}").json()
    assert cov["board_cyber_training"]["done"] is True


def test_pages_keep_a_query_budget(plan, login):
    client = _client(login, plan, "coordinator")
    with scopes_disabled():
        org = plan
        activity = Activity.objects.filter(organisation=org).first()
        groups = list(StaffGroup.objects.filter(organisation=org))
        for i in range(40):
            a = Activity.objects.create(organisation=org, title=f"Extra {i}")
            a.groups.set(groups[:3])
            s = Session.objects.create(organisation=org, activity=a, date=datetime.date(TODAY.year, 6, 1))
            for g in groups[:3]:
                Participation.objects.create(organisation=org, session=s, group=g, participants=1)
    for url in ["", "activiteiten/", "doelgroepen/", "bereik/", f"activiteiten/{activity.pk}/"]:
        client.get(BASE + url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE + url).status_code == 200
        assert len(ctx) <= 20, (url, len(ctx))

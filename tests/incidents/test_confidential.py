"""Confidential incidents (integrity, people) are seen only by the coordinator and their handlers,
on every path: lists, search, exports, counts by name, calendar, dashboard, the yearly report and
the API. Every path reads through ``selectors.visible_incidents``; these tests walk each path."""

import datetime
import io
import json

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from weerbaar.accounts.services import api_token_create
from weerbaar.core.models import AuditEntry
from weerbaar.core.registry import annual_report_sections, calendar_sources, dashboard_cards, search_documents
from weerbaar.incidents import selectors

from ..conftest import member
from .conftest import kind, theme

BASE = "/g/demostad/incidenten/"
SECRET = "Geheim integriteitsonderzoek Jansen"
SECRET_PLACE = "Woning wethouder Jansen"


@pytest.fixture
def as_(client, register):
    def _as(local):
        client.force_login(member(register, local).user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _as


@pytest.fixture
def secret(confidential, make_incident):
    # A second incident at the same place so the place would count as "recurring" if it leaked.
    make_incident(
        title="Tweede vertrouwelijke melding",
        incident_type=kind("bedreiging-ambtsdragers"),
        themes=[theme("integriteit")],
        place=SECRET_PLACE,
    )
    make_incident(title="Gewoon incident aan de balie")
    return confidential


def test_catalogue_types_about_integrity_and_people_are_confidential_by_default(secret):
    assert secret.confidential


PATHS = [
    "{pk}/",
    "{pk}/bewerken/",
    "{pk}/evaluatie/",
    "{pk}/verwijderen/",
    "{pk}/melding/nieuw/",
]


@pytest.mark.parametrize("local", ["expert", "auditor", "lezer"])
def test_non_handler_gets_404_on_every_page_of_a_confidential_incident(as_, secret, local):
    c = as_(local)
    for path in PATHS:
        url = BASE + path.format(pk=secret.pk)
        assert c.get(url).status_code == 404, url
        assert c.post(url).status_code == 404, url


def test_coordinator_and_handler_see_it(as_, secret):
    for local in ("coordinator", "bestuur"):
        c = as_(local)
        assert SECRET in c.get(f"{BASE}{secret.pk}/").content.decode()
        assert SECRET in c.get(BASE).content.decode()


@pytest.mark.parametrize("local", ["expert", "auditor", "lezer"])
def test_list_search_and_filters_never_show_it_to_others(as_, secret, local):
    c = as_(local)
    page = c.get(BASE).content.decode()
    assert "Gewoon incident aan de balie" in page
    assert SECRET not in page
    for query in ("?q=Jansen", "?q=Geheim", "?sorteer=ernst"):
        page = c.get(BASE + query).content.decode()
        assert SECRET not in page and SECRET_PLACE not in page, query
    # Filtering on the place (typed by the member, so echoed in the filter field) finds nothing.
    assert "Geen incidenten gevonden" in c.get(BASE, {"plaats": SECRET_PLACE}).content.decode()
    assert "1 incident" in c.get(BASE).content.decode()  # the count in the caption counts only what is seen


def test_search_registry_respects_confidentiality(secret, register):
    search = search_documents["incidents"].search
    with scopes_disabled():
        viewer, coordinator = member(register, "lezer"), member(register, "coordinator")
    with scope(organisation=register):
        assert search("Jansen", membership=viewer) == []
        assert [r["title"] for r in search("Geheim", membership=coordinator)] == [f"{secret.reference} {SECRET}"]
        assert search("Jansen") == []


def test_export_holds_it_only_for_those_who_see_it(as_, secret):
    for local, expected in (("lezer", False), ("auditor", False), ("bestuur", True), ("coordinator", True)):
        response = as_(local).get(BASE + "export.xlsx")
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        cells = {str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
        assert (SECRET in cells) is expected, local
        assert (secret.reference in cells) is expected, local


def test_patterns_do_not_name_it_or_count_it_for_others(as_, secret):
    year = timezone.localdate().year
    viewer = as_("lezer").get(f"{BASE}rode-draden/?jaar={year}").content.decode()
    assert SECRET_PLACE not in viewer
    assert "Integriteitsschending" not in viewer.split('data-figure="per-soort"')[1].split("</table>")[0]
    coordinator = as_("coordinator").get(f"{BASE}rode-draden/?jaar={year}").content.decode()
    assert SECRET_PLACE in coordinator  # recurring place, seen by the coordinator


def test_dashboard_card_and_calendar_count_only_what_the_member_sees(secret, register):
    with scopes_disabled():
        viewer, coordinator = member(register, "lezer"), member(register, "coordinator")
        report = secret.reports.get(kind="police") if secret.reports.filter(kind="police").exists() else None
    rf = RequestFactory()
    card = dashboard_cards["incidents"]
    source = calendar_sources["incidents"]
    with scope(organisation=register):
        for m, new in ((viewer, 1), (coordinator, 3)):
            request = rf.get("/")
            request.membership, request.organisation = m, register
            assert card(request).status[0].startswith(f"{new} ")
        today = timezone.localdate()
        # The data breach deadline of a confidential incident stays off other members' calendars.
        from weerbaar.incidents import services

        services.report_save(membership=coordinator, incident=secret, kind="ap")
        start, end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=10)
        assert any(e.kind == "incident_report" for e in source(coordinator, start, end))
        assert not [e for e in source(viewer, start, end) if secret.reference in e.title]
    del report


def test_yearly_report_counts_it_but_never_names_it(secret, register):
    section = annual_report_sections["incidents"]
    with scope(organisation=register):
        result = section(register, timezone.localdate().year)
    text = json.dumps([{k: v for k, v in b.items() if k != "chart"} for b in result.blocks], default=str)
    assert SECRET not in text and SECRET_PLACE not in text
    assert "vertrouwelijk" in text
    assert "3 incidenten" in text  # counted


def test_logboek_keeps_its_text_out(secret, register):
    with scopes_disabled():
        entries = AuditEntry.objects.filter(organisation=register, object_type="incidents.incident")
        dumped = json.dumps([[e.object_repr, e.before, e.after] for e in entries], default=str)
    assert SECRET not in dumped and SECRET_PLACE not in dumped


def test_api_hides_it_from_others(client, secret, register):
    def call(local, method, url, body=None):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(register, local), name="t")
        return client.generic(
            method,
            "/api/v1" + url,
            data=json.dumps(body or {}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    listed = call("lezer", "GET", "/incidents").json()
    assert listed["count"] == 1 and SECRET not in json.dumps(listed)
    assert call("lezer", "GET", f"/incidents/{secret.pk}").status_code == 404
    assert call("expert", "PUT", f"/incidents/{secret.pk}", {"title": "x"}).status_code in (404, 422)
    assert call("expert", "DELETE", f"/incidents/{secret.pk}").status_code == 404
    assert call("auditor", "POST", f"/incidents/{secret.pk}/reports", {"kind": "police"}).status_code == 404
    year = timezone.localdate().year
    assert SECRET_PLACE not in json.dumps(call("lezer", "GET", f"/incidents-patterns?year={year}").json())
    assert call("bestuur", "GET", f"/incidents/{secret.pk}").json()["title"] == SECRET
    assert call("coordinator", "GET", "/incidents").json()["count"] == 3


def test_visibility_is_one_queryset(secret, register):
    with scopes_disabled():
        viewer, handler = member(register, "lezer"), member(register, "bestuur")
    with scope(organisation=register):
        assert not selectors.visible_incidents(membership=viewer).filter(pk=secret.pk).exists()
        assert selectors.visible_incidents(membership=handler).filter(pk=secret.pk).exists()
        # No duplicates from the handler join.
        assert selectors.visible_incidents(membership=handler).count() == 2


def test_non_coordinator_who_records_a_confidential_incident_becomes_handler(make_incident, register):
    with scopes_disabled():
        expert = member(register, "expert")
    incident = make_incident(
        by=expert,
        title="Collega raadpleegt BRP zonder reden",
        incident_type=kind("integriteitsschending"),
        themes=[theme("informatiebeveiliging")],
    )
    with scopes_disabled():
        assert list(incident.handlers.all()) == [expert]

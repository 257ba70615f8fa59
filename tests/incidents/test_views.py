import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.incidents.models import ExternalReport, Incident

from ..conftest import member
from .conftest import get, kind, theme

BASE = "/g/demostad/incidenten/"


@pytest.fixture
def as_(client, register):
    def _as(local):
        client.force_login(member(register, local).user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _as


PAGES = ["", "?q=balie&sorteer=ernst", "rode-draden/", "rode-draden/?jaar=2025", "soorten/", "import/"]


@pytest.mark.parametrize("local", ["coordinator", "expert", "bestuur", "auditor", "lezer"])
def test_every_role_reads_the_register_pages(as_, make_incident, local):
    incident = make_incident()
    c = as_(local)
    for url in PAGES + [f"{incident.pk}/"]:
        response = c.get(BASE + url)
        assert response.status_code == 200, (local, url)


def test_coordinator_records_an_incident_and_gets_the_data_breach_deadline(as_, register):
    c = as_("coordinator")
    with scopes_disabled():
        data_breach = kind("datalek")
        asset = register.asset_set.first() if hasattr(register, "asset_set") else None
    response = c.post(
        BASE + "nieuw/",
        {
            "title": "Brief naar verkeerd adres",
            "occurred_at": "2026-11-20T09:15",
            "discovered_at": "2026-11-20T10:00",
            "incident_type": f"c{data_breach.pk}",
            "themes": [theme("informatiebeveiliging")],
            "severity": "2",
            "place": "Gemeentehuis",
            "status": "open",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = get(Incident, title="Brief naar verkeerd adres")
    assert incident.reference.startswith("I-")
    report = get(ExternalReport, incident=incident)
    assert report.kind == "ap"
    local_due = timezone.localtime(report.due_at)
    assert (local_due.date(), local_due.hour) == (datetime.date(2026, 11, 23), 10)
    page = c.get(response["Location"]).content.decode()
    assert "Melding datalek aan de Autoriteit Persoonsgegevens" in page
    assert "23 nov 2026 10:00" in page
    del asset


def test_bad_input_is_shown_at_the_field_and_kept(as_, register):
    c = as_("coordinator")
    response = c.post(
        BASE + "nieuw/",
        {"title": "Iets", "occurred_at": "gisteren", "incident_type": "", "themes": [], "severity": "2"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Geef een datum en tijd" in page
    assert 'value="Iets"' in page


def test_discovery_before_occurrence_is_refused(as_, register):
    c = as_("coordinator")
    with scopes_disabled():
        k = kind("vernieling")
    response = c.post(
        BASE + "nieuw/",
        {
            "title": "Ruit ingegooid",
            "occurred_at": "2026-11-20T09:15",
            "discovered_at": "2026-11-19T09:15",
            "incident_type": f"c{k.pk}",
            "themes": [theme("fysieke-beveiliging")],
            "severity": "1",
            "status": "open",
        },
    )
    assert response.status_code == 400
    assert "kan niet ontdekt zijn voordat het gebeurde" in response.content.decode()


def test_viewer_is_not_offered_and_may_not_record(as_, make_incident):
    incident = make_incident()
    c = as_("lezer")
    assert "Incident vastleggen" not in c.get(BASE).content.decode()
    detail = c.get(f"{BASE}{incident.pk}/").content.decode()
    assert "Incident bewerken" not in detail and "Evalueren" not in detail
    assert c.get(BASE + "nieuw/").status_code == 403
    assert c.get(f"{BASE}{incident.pk}/bewerken/").status_code == 403
    assert c.post(f"{BASE}{incident.pk}/verwijderen/").status_code == 403


def test_theme_expert_edits_only_incidents_within_their_themes(as_, make_incident):
    # The demo expert is limited to information security.
    own = make_incident(title="Phishing", incident_type=kind("cyberincident"), themes=[theme("informatiebeveiliging")])
    other = make_incident()
    c = as_("expert")
    assert c.get(f"{BASE}{own.pk}/bewerken/").status_code == 200
    assert c.get(f"{BASE}{other.pk}/bewerken/").status_code == 403
    assert "Incident bewerken" not in c.get(f"{BASE}{other.pk}/").content.decode()


def test_report_made_late_is_shown_as_late(as_, make_incident):
    incident = make_incident(
        title="Mail aan verkeerde ontvanger",
        incident_type=kind("datalek"),
        themes=[theme("informatiebeveiliging")],
        occurred_at=timezone.now() - datetime.timedelta(days=10),
    )
    with scopes_disabled():
        report = incident.reports.get()
    made = timezone.localtime(report.due_at + datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    c = as_("coordinator")
    response = c.post(
        f"{BASE}meldingen/{report.pk}/",
        {"kind": "ap", "status": "made", "made_at": made, "their_reference": "AP-1", "revision": report.revision},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "nee, te laat" in c.get(f"{BASE}{incident.pk}/").content.decode()


def test_not_needed_needs_a_reason(as_, make_incident):
    incident = make_incident(incident_type=kind("datalek"), themes=[theme("informatiebeveiliging")])
    with scopes_disabled():
        report = incident.reports.get()
    response = as_("coordinator").post(
        f"{BASE}meldingen/{report.pk}/", {"kind": "ap", "status": "not_needed", "revision": report.revision}
    )
    assert response.status_code == 400
    assert "Leg uit waarom" in response.content.decode()


def test_stale_edit_is_a_409_with_differences(as_, make_incident):
    incident = make_incident()
    c = as_("coordinator")
    data = {
        "title": "Nieuwe titel",
        "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "incident_type": f"c{incident.incident_type_id}",
        "themes": [theme("personele-beveiliging")],
        "severity": "3",
        "status": "open",
        "revision": incident.revision,
    }
    assert c.post(f"{BASE}{incident.pk}/bewerken/", data).status_code == 302
    data["title"] = "Andere titel"
    response = c.post(f"{BASE}{incident.pk}/bewerken/", data)
    assert response.status_code == 409
    assert "Nieuwe titel" in response.content.decode()


def test_coordinator_writes_the_yearly_conclusion(as_, make_incident):
    make_incident()
    c = as_("coordinator")
    year = timezone.localdate().year
    response = c.post(f"{BASE}rode-draden/?jaar={year}", {"text": "Agressie aan de balie neemt toe."})
    assert response.status_code == 302
    page = c.get(f"{BASE}rode-draden/?jaar={year}").content.decode()
    assert "Agressie aan de balie neemt toe." in page
    viewer = as_("lezer")
    assert viewer.post(f"{BASE}rode-draden/?jaar={year}", {"text": "x"}).status_code == 403
    assert "Conclusie opslaan" not in viewer.get(f"{BASE}rode-draden/?jaar={year}").content.decode()


def test_patterns_page_shows_charts_with_tables(as_, incidents_demo):
    c = as_("coordinator")
    year = timezone.localdate().year
    page = c.get(f"{BASE}rode-draden/?jaar={year}").content.decode()
    assert page.count('role="img"') >= 4
    assert 'data-figure="per-maand"' in page and 'data-figure="per-soort"' in page
    assert "Gemeentewerf, Industrieweg" in page  # recurring place
    assert "Inbraak op de gemeentewerf" in page  # materialised risk


def test_own_type_is_the_coordinators(as_, register):
    c = as_("coordinator")
    response = c.post(BASE + "soorten/nieuw/", {"name": "Overlast hangjongeren", "description": "", "themes": []})
    assert response.status_code == 302
    assert "Overlast hangjongeren" in c.get(BASE + "soorten/").content.decode()
    assert as_("expert").get(BASE + "soorten/nieuw/").status_code == 403

"""A coordinator records an incident by keyboard, sees the data-breach deadline, evaluates the
incident into an action in the yearly plan; the register and the patterns page pass axe-core for
the coordinator and for a viewer, and reflow at 320 px."""

import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.incidents.content import load_incident_types
from weerbaar.incidents.demo import load_incidents_demo
from weerbaar.incidents.models import Incident
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks.demo import load_risks_demo

from .conftest import check_axe
from .test_journeys import login_by_keyboard


@pytest.fixture
def register(demo):
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_incident_types()
        load_risks_demo(demo["demostad"])
        load_incidents_demo(demo["demostad"])
    return demo["demostad"]


def type_into(page, label: str, text: str) -> None:
    page.get_by_label(label).first.focus()
    page.keyboard.type(text)


def reflows(page, label: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => {
            const depth = e => { let d = 0; while (e = e.parentElement) d++; return d; };
            const wide = [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().width > 330);
            let e = wide.sort((a, b) => depth(b) - depth(a))[0];
            const chain = [];
            while (e && e.tagName !== 'MAIN') {
                chain.push(e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width));
                e = e.parentElement;
            }
            return chain.join(' < ');
        }"""
    )
    assert width <= 320, f"{label}: {width}px wide at 320px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_coordinator_records_and_evaluates_an_incident_by_keyboard(live_server, register, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Incidenten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Incidenten"
    check_axe(page, "incident register")
    reflows(page, "incident register")

    page.get_by_role("link", name="Incident vastleggen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/incidenten/nieuw/")
    check_axe(page, "new incident")
    type_into(page, "Korte omschrijving", "Brief met BSN naar verkeerd adres")
    moment = timezone.localtime() - timezone.timedelta(hours=3)
    page.get_by_label("Datum en tijd").first.fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Soort incident").select_option(label="Datalek")
    page.get_by_label("Informatiebeveiliging").focus()
    page.keyboard.press("Space")
    type_into(page, "Plaats", "Gemeentehuis, afdeling sociaal domein")
    type_into(page, "Wat is er gebeurd?", "Een beschikking is naar een oud adres van de inwoner gestuurd.")
    type_into(page, "Wat is direct gedaan?", "Ontvanger gebeld; brief wordt teruggestuurd.")
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/incidenten/\d+/$"))  # the new incident's page, not the form again
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Brief met BSN naar verkeerd adres" in heading, page.locator("main").inner_text()[:1500]
    assert "Melding datalek aan de Autoriteit Persoonsgegevens" in page.locator("#meldingen + div").inner_text()
    check_axe(page, "incident detail")

    # Evaluate into an action in the yearly plan.
    page.get_by_role("link", name="Evalueren").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/evaluatie/")
    check_axe(page, "evaluation")
    type_into(page, "Lessen", "Adreswijzigingen komen niet op tijd in het zaaksysteem.")
    page.get_by_label("Welke risico's deden zich voor?").select_option(
        label="R-019 Persoonsgegevens naar de verkeerde ontvanger"
    )
    type_into(page, "Nieuwe actie (optioneel)", "Adres controleren vóór verzending beschikkingen")
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/incidenten/*/")
    assert "Adres controleren vóór verzending beschikkingen" in page.locator("#acties").inner_text()
    with scopes_disabled():
        incident = Incident.objects.get(title="Brief met BSN naar verkeerd adres")
        action = incident.actions.get()
        assert action.title == "Adres controleren vóór verzending beschikkingen"
        assert [r.reference for r in action.risks.all()] == ["R-019"]
    check_axe(page, "evaluated incident")

    # Patterns of the year, with the coordinator's conclusion form.
    page.get_by_role("link", name="Rode draden").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Rode draden")
    assert page.locator("svg.weerbaar-incidents-chart").count() >= 4
    check_axe(page, "patterns")
    reflows(page, "patterns")
    for name in ("Soorten", "Excel"):
        page.get_by_role("navigation", name="Incidentenregister").get_by_role("link", name=name).click()
        check_axe(page, name)


def test_viewer_reads_register_and_patterns(live_server, register, page):
    base = live_server.url
    login_by_keyboard(page, base, "lezer@demostad.example")
    page.goto(base + "/g/demostad/incidenten/")
    assert page.get_by_role("link", name="Incident vastleggen").count() == 0
    check_axe(page, "register as viewer")
    reflows(page, "register as viewer")
    page.locator("#incidenten tbody a").first.click()
    assert page.get_by_role("link", name="Incident bewerken").count() == 0
    check_axe(page, "incident as viewer")
    page.goto(base + "/g/demostad/incidenten/rode-draden/")
    check_axe(page, "patterns as viewer")
    reflows(page, "patterns as viewer")
    for path in ("soorten/", "import/"):
        page.goto(base + "/g/demostad/incidenten/" + path)
        check_axe(page, path)

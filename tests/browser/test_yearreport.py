"""The yearly report by keyboard: the coordinator builds it and writes the foreword, submits
with confirmation; a board member adopts with confirmation. axe-core on every page, and every
page reflows at 320 CSS pixels without horizontal scrolling."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.yearreport.models import YearReport

from .conftest import check_axe
from .test_journeys import login_by_keyboard


def reflows(page, label):
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    # The deepest element wider than the screen, with its ancestors, to say what to fix.
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
    page.set_viewport_size(size)
    assert width <= 320, f"{label}: {width}px wide at 320px: {wide}"


def visit(page, label):
    check_axe(page, label)
    reflows(page, label)


def press(page, locator):
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, label, text):
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def logout(page):
    page.get_by_role("button", name="Uitloggen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_coordinator_builds_and_submits_board_adopts_the_yearly_report(live_server, demo, page):
    base = live_server.url
    year = timezone.localdate().year - 1
    login_by_keyboard(page, base, "coordinator@demostad.example")
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Jaarverslag"))
    visit(page, "yearly reports, none yet")

    # One click builds the report for last year (the year chosen by default).
    assert page.get_by_label("Verslagjaar").input_value() == str(year)
    press(page, page.get_by_role("button", name="Jaarverslag opstellen"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Jaarverslag integrale beveiliging {year}"
    assert page.get_by_role("heading", name="2. Risicobeeld").is_visible()
    visit(page, "draft report")

    # Submitting without a foreword explains what is missing and offers no button.
    press(page, page.get_by_role("link", name="Indienen ter besluitvorming"))
    assert page.get_by_text("Schrijf een voorwoord.").is_visible()
    assert page.get_by_role("button", name="Ja, indienen").count() == 0
    visit(page, "submit refused")
    press(page, page.get_by_role("link", name="Terug naar het jaarverslag").first)

    # Foreword and conclusions.
    press(page, page.get_by_role("link", name="Voorwoord en conclusies bewerken"))
    visit(page, "texts")
    type_into(page, "Voorwoord", "Demostad kijkt terug op een jaar van opbouw.")
    type_into(page, "Conclusies en aanbevelingen", "Maatregelen die achterlopen krijgen voorrang.")
    press(page, page.get_by_role("button", name="Opslaan"))
    assert page.get_by_text("Demostad kijkt terug op een jaar van opbouw.").is_visible()
    visit(page, "report with foreword")

    # Submit: a page says what will happen, then the report is frozen for the board.
    press(page, page.get_by_role("link", name="Indienen ter besluitvorming"))
    assert page.get_by_role("heading", name="Wat er gebeurt").is_visible()
    visit(page, "submit confirmation")
    press(page, page.get_by_role("button", name="Ja, indienen"))
    assert page.get_by_text("ligt nu ter besluitvorming").is_visible()
    visit(page, "submitted report")
    logout(page)

    # The board member adopts.
    login_by_keyboard(page, base, "bestuur@demostad.example")
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Jaarverslag"))
    assert page.get_by_role("button", name="Jaarverslag opstellen").count() == 0
    press(page, page.get_by_role("link", name=f"Jaarverslag {year}"))
    press(page, page.get_by_role("link", name="Vaststellen"))
    visit(page, "adopt confirmation")
    # Without a reference: the error at the field and in the summary on top; the date is kept.
    day = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Datum besluit").fill(day.isoformat())
    press(page, page.get_by_role("button", name="Ja, vaststellen"))
    summary = page.get_by_role("alert").filter(has_text="Controleer het volgende")
    assert summary.is_visible()
    assert page.get_by_label("Datum besluit").input_value() == day.isoformat()
    visit(page, "adopt with an error")
    link = summary.get_by_role("link", name=re.compile("^Kenmerk besluit"))
    assert link.get_attribute("href") == "#id_decision_reference"
    type_into(page, "Kenmerk besluit (verplicht)", "B&W 2026/0311")
    press(page, page.get_by_role("button", name="Ja, vaststellen"))
    assert page.get_by_text(f"Jaarverslag {year}, versie 1 is vastgesteld.").is_visible()
    visit(page, "adopted report")
    with scopes_disabled():
        report = YearReport.objects.get(organisation__slug="demostad", year=year)
    assert report.status == YearReport.Status.ADOPTED and report.decision_reference == "B&W 2026/0311"
    assert report.word and report.pdf


def test_whole_cycle_incident_to_action_to_yearly_report_adopted(live_server, demo, page):
    """The issue's journey: record an incident, evaluate it into an action, close the action,
    build the yearly report (which now counts the incident and the closed action), board adopts."""
    from weerbaar.cycle.models import Action
    from weerbaar.incidents.content import load_incident_types
    from weerbaar.knowledge.content import load_catalogue

    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_incident_types()
    base = live_server.url
    year = timezone.localdate().year
    login_by_keyboard(page, base, "coordinator@demostad.example")

    # Record an incident.
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Incidenten"))
    press(page, page.get_by_role("link", name="Incident vastleggen"))
    visit(page, "new incident")
    page.get_by_label("Korte omschrijving").focus()
    page.keyboard.type("Dreigende taal aan de balie")
    moment = timezone.localtime() - datetime.timedelta(hours=2)
    page.get_by_label("Datum en tijd").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Soort incident").focus()
    page.get_by_label("Soort incident").select_option(label="Datalek")
    page.get_by_label("Informatiebeveiliging").focus()
    page.keyboard.press("Space")
    page.get_by_label("Wat is er gebeurd?").focus()
    page.keyboard.type("Een bezoeker bedreigde een medewerker van burgerzaken.")
    press(page, page.get_by_role("button", name="Opslaan"))
    assert "Dreigende taal aan de balie" in page.get_by_role("heading", level=1).inner_text()
    visit(page, "incident")

    # Evaluate it into an action of the yearly plan.
    press(page, page.get_by_role("link", name="Evalueren"))
    visit(page, "evaluation")
    page.get_by_label("Lessen").focus()
    page.keyboard.type("De balie mist een noodknop.")
    page.get_by_label("Nieuwe actie (optioneel)").focus()
    page.keyboard.type("Noodknop bij de balie plaatsen")
    press(page, page.get_by_role("button", name="Opslaan"))
    assert "Noodknop bij de balie plaatsen" in page.locator("#acties").inner_text()
    with scopes_disabled():
        action = Action.objects.get(title="Noodknop bij de balie plaatsen")
    page.goto(base + reverse("cycle:action_detail", kwargs={"org": "demostad", "pk": action.pk}))
    visit(page, "action")

    # Close the action.
    page.get_by_label("Status wijzigen").focus()
    page.get_by_label("Status wijzigen").select_option("done")
    press(page, page.get_by_role("button", name="Status opslaan"))
    with scopes_disabled():
        assert Action.objects.get(title="Noodknop bij de balie plaatsen").status == "done"
    visit(page, "closed action")

    # Build this year's report: the incident and the plan are in it.
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Jaarverslag"))
    page.get_by_label("Verslagjaar").select_option(str(year))
    press(page, page.get_by_role("button", name="Jaarverslag opstellen"))
    visit(page, "report of this year")
    assert page.get_by_role("heading", name=re.compile(r"\. Incidenten")).count() == 1
    assert page.get_by_role("heading", name=re.compile(r"\. Jaarplan")).count() == 1
    press(page, page.get_by_role("link", name="Voorwoord en conclusies bewerken"))
    type_into(page, "Voorwoord", "Een jaar met een ernstig incident aan de balie.")
    type_into(page, "Conclusies en aanbevelingen", "De noodknop is geplaatst.")
    press(page, page.get_by_role("button", name="Opslaan"))
    press(page, page.get_by_role("link", name="Indienen ter besluitvorming"))
    press(page, page.get_by_role("button", name="Ja, indienen"))
    logout(page)

    # The board adopts.
    login_by_keyboard(page, base, "bestuur@demostad.example")
    press(page, page.get_by_role("link", name=f"Jaarverslag {year}, versie 1 vaststellen"))
    visit(page, "adopt from the board's start page")
    page.get_by_label("Datum besluit").fill(timezone.localdate().isoformat())
    type_into(page, "Kenmerk besluit (verplicht)", "B&W 2026/0500")
    press(page, page.get_by_role("button", name="Ja, vaststellen"))
    assert page.get_by_text(f"Jaarverslag {year}, versie 1 is vastgesteld.").is_visible()
    visit(page, "adopted report of this year")
    with scopes_disabled():
        report = YearReport.objects.get(organisation__slug="demostad", year=year)
    assert report.status == YearReport.Status.ADOPTED
    assert any(c["key"] == "incidents" for c in report.content)

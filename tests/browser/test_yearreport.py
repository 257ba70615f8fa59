"""The yearly report by keyboard: the coordinator builds it and writes the foreword, submits
with confirmation; a board member adopts with confirmation. axe-core on every page, and every
page reflows at 320 CSS pixels without horizontal scrolling."""

import datetime
import re

from django.utils import timezone
from django_scopes import scopes_disabled

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

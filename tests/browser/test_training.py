"""The training plan and the calendar in a browser, by keyboard: the coordinator records the
participation of a planned date, views the calendar and makes a feed link; axe-core on every page
of both apps as coordinator and as board member, and every page reflows at 320 CSS pixels."""

import datetime

import pytest
from django_scopes import scopes_disabled

from weerbaar.agenda.demo import load_agenda_demo
from weerbaar.agenda.models import PlanningMoment
from weerbaar.core.audit import acting_as
from weerbaar.training.demo import load_training_demo
from weerbaar.training.models import Activity, Participation, Session, StaffGroup

from .conftest import check_axe
from .test_journeys import login_by_keyboard

TODAY = datetime.date.today()


def reflows(page, label):
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, f"{label}: {width}px wide at 320px"


def visit(page, label):
    check_axe(page, label)
    reflows(page, label)


def press(page, locator):
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def logout(page):
    page.get_by_role("button", name="Uitloggen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def plan(demo):
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_training_demo(org)
        load_agenda_demo(org)
        return {
            "org": org,
            "activity": Activity.objects.get(organisation=org, title="Phishingtest"),
            "session": Session.objects.filter(
                organisation=org, activity__title="Phishingtest", status=Session.Status.PLANNED
            ).first(),
            "group": StaffGroup.objects.get(organisation=org, kind="college"),
            "moment": PlanningMoment.objects.filter(organisation=org).first(),
        }


def pages(plan):
    g = "/g/demostad/opleiden/"
    k = "/g/demostad/kalender/"
    a, s, grp, m = plan["activity"].pk, plan["session"].pk, plan["group"].pk, plan["moment"].pk
    read = {
        "plan": g,
        "plan last year": g + f"?jaar={TODAY.year - 1}",
        "activities": g + "activiteiten/",
        "activity": g + f"activiteiten/{a}/",
        "session": g + f"uitvoeringen/{s}/",
        "groups": g + "doelgroepen/",
        "coverage": g + "bereik/",
        "calendar": k,
        "calendar filtered": k + "?soort=ensia&te_laat=on",
        "feed": k + "abonnement/",
    }
    manage = {
        "activity new": g + "activiteiten/nieuw/",
        "activity edit": g + f"activiteiten/{a}/bewerken/",
        "activity delete": g + f"activiteiten/{a}/verwijderen/",
        "session new": g + f"activiteiten/{a}/datum-toevoegen/",
        "session edit": g + f"uitvoeringen/{s}/bewerken/",
        "session delete": g + f"uitvoeringen/{s}/verwijderen/",
        "group new": g + "doelgroepen/nieuw/",
        "group edit": g + f"doelgroepen/{grp}/bewerken/",
        "group delete": g + f"doelgroepen/{grp}/verwijderen/",
        "planning moments": k + "instellingen/",
        "moment new": k + "instellingen/nieuw/",
        "moment edit": k + f"instellingen/{m}/bewerken/",
        "moment delete": k + f"instellingen/{m}/verwijderen/",
    }
    return read, manage


def test_coordinator_records_participation_by_keyboard_and_views_the_calendar(live_server, plan, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Opleiden en oefenen"))
    assert page.get_by_role("heading", name=f"Cybertraining voor het college in {TODAY.year}").is_visible()
    visit(page, "plan")

    # The phishing test of November has passed without participation: record it by keyboard.
    session = plan["session"]
    press(page, page.get_by_role("link", name="Phishingtest").last)
    assert page.url.endswith(f"/uitvoeringen/{session.pk}/")
    visit(page, "session before")
    field = page.get_by_label("Aantal deelnemers Alle medewerkers", exact=False)
    field.focus()
    page.keyboard.type("9999")
    press(page, page.get_by_role("button", name="Deelname opslaan"))
    # Too many: the message at the field and in the summary, the number kept.
    assert page.get_by_text("Meer deelnemers (9999) dan de groep groot is (640)").first.is_visible()
    assert field.input_value() == "9999"
    visit(page, "session with error")
    field.fill("")
    field.focus()
    page.keyboard.type("604")
    press(page, page.get_by_role("button", name="Deelname opslaan"))
    assert page.get_by_text("De deelname is opgeslagen.").is_visible()
    with scopes_disabled():
        assert Participation.objects.get(session=session).participants == 604
        session.refresh_from_db()
        assert session.status == Session.Status.DONE

    # The calendar, through the main menu: months as headings, the cycle's dates listed.
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kalender"))
    assert page.get_by_role("heading", name="Kalender", exact=False).first.is_visible()
    assert page.get_by_text(f"ENSIA-zelfevaluatie {TODAY.year} afronden").is_visible()
    visit(page, "calendar")
    # Filter by kind with the keyboard: only training dates remain.
    page.get_by_label("Opleiden en oefenen", exact=True).focus()
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Filteren"))
    assert page.get_by_text(f"ENSIA-zelfevaluatie {TODAY.year} afronden").count() == 0
    assert page.get_by_text("Phishingtest").first.is_visible()
    visit(page, "calendar filtered")

    # A private feed link.
    press(page, page.get_by_role("link", name="Abonneren en herinneringen"))
    press(page, page.get_by_role("button", name="Link maken"))
    link = page.locator("#kalenderlink").inner_text()
    assert link.endswith(".ics") and "/kalender/" in link
    visit(page, "feed with new link")
    feed = page.request.get(link)
    assert feed.status == 200 and b"BEGIN:VCALENDAR" in feed.body()


def test_every_page_of_both_apps_is_accessible_and_reflows(live_server, plan, page):
    base = live_server.url
    read, manage = pages(plan)
    login_by_keyboard(page, base, "coordinator@demostad.example")
    for label, url in {**read, **manage}.items():
        response = page.goto(base + url)
        assert response.status == 200, (label, response.status)
        visit(page, f"coordinator: {label}")
    logout(page)

    login_by_keyboard(page, base, "bestuur@demostad.example")
    for label, url in read.items():
        response = page.goto(base + url)
        assert response.status == 200, (label, response.status)
        visit(page, f"board: {label}")
    # The board is offered no action it may not take.
    page.goto(base + read["session"])
    assert page.get_by_role("button", name="Deelname opslaan").count() == 0
    assert page.get_by_role("link", name="Verwijderen").count() == 0
    page.goto(base + read["calendar"])
    assert page.get_by_role("link", name="Planning en control").count() == 0

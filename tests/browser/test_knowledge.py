import re

from django_scopes import scopes_disabled

from weerbaar.knowledge.content import load_all

from .conftest import check_axe
from .test_journeys import login_by_keyboard


def test_user_searches_opens_building_block_and_follows_a_law(live_server, demo, page):
    with scopes_disabled():
        load_all()
    base = live_server.url
    login_by_keyboard(page, base, "lezer@demostad.example")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kennisbank").click()
    assert page.get_by_role("heading", level=1).is_visible()
    check_axe(page, "knowledge index")

    page.goto(base + "/kennisbank/zoeken/")
    check_axe(page, "search form")
    page.get_by_label("Zoekterm").fill("zonering")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/zoeken/?q=zonering*")
    results = page.locator("#zoekresultaten")
    assert results.locator("mark").first.is_visible()
    check_axe(page, "search results")

    results.get_by_role("link", name="Zonering van het gemeentehuis").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Zonering van het gemeentehuis"
    check_axe(page, "building block")

    law_link = page.locator("main").get_by_role("link", name="Besluit bouwwerken leefomgeving", exact=False).first
    law_link.click()
    page.wait_for_url("**/kennisbank/wetten/#bouwbesluit-bbl")
    assert page.locator("#bouwbesluit-bbl").is_visible()
    check_axe(page, "legal framework")


def test_editor_edits_a_goal_and_reviews_submissions(live_server, demo, page):
    with scopes_disabled():
        load_all()
    base = live_server.url
    login_by_keyboard(page, base, "redacteur@weerbaar.example")
    page.goto(base + "/kennisbank/catalogus/doelen/")
    check_axe(page, "goals (editor)")
    page.locator("#detecteren").get_by_role("link", name="Bewerken").click()
    check_axe(page, "goal edit form")
    page.get_by_label("Toelichting").fill("Een inbreuk zo vroeg mogelijk opmerken.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/kennisbank/catalogus/doelen/#detecteren")
    assert page.get_by_text("Een inbreuk zo vroeg mogelijk opmerken.").is_visible()
    page.goto(base + "/kennisbank/redactie/")
    check_axe(page, "editorial review")


def test_coordinator_shares_an_example_and_sees_its_status(live_server, demo, page):
    with scopes_disabled():
        load_all()
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(base + "/kennisbank/")
    page.get_by_role("link", name="Voorbeeld of tip delen").click()
    check_axe(page, "submissions")
    page.get_by_role("combobox", name=re.compile("^Thema")).select_option(label="Integriteit")
    page.get_by_label(re.compile("^Titel")).fill("Integriteitsspreekuur op donderdag")
    page.get_by_label(re.compile("^Tekst")).fill("Elke donderdag kunnen medewerkers anoniem binnenlopen.")
    page.get_by_role("button", name=re.compile("versturen|Aanbieden|Insturen", re.I)).click()
    assert page.get_by_text("De redactie beoordeelt uw bijdrage").is_visible()
    assert page.get_by_text("Integriteitsspreekuur op donderdag").is_visible()
    check_axe(page, "submission sent")

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


def assert_reflows_at_320(page, label: str):
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{label}: the page is {width}px wide at a 320px viewport"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_visitor_reads_the_open_knowledge_base_and_a_typo_gets_a_suggestion(live_server, demo, page):
    with scopes_disabled():
        load_all()
    base = live_server.url
    page.goto(base + "/welkom/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Weerbaar")
    # A visitor sees no municipal menu and no account tools.
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0
    assert page.get_by_role("button", name="Uitloggen").count() == 0
    check_axe(page, "visitor start page")
    assert_reflows_at_320(page, "visitor start page")

    # Keyboard only: the search field on the start page, a typo, Enter.
    page.get_by_label("Zoekterm").focus()
    page.keyboard.type("zonerng")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/zoeken/?q=zonerng*")
    results = page.locator("#zoekresultaten")
    assert "0 resultaten" in results.inner_text()
    suggestion = results.get_by_role("link", name="zonering")
    assert suggestion.is_visible()
    check_axe(page, "search with a suggestion")
    suggestion.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**q=zonering*")
    block = page.locator("#zoekresultaten").get_by_role("link", name="Zonering van het gemeentehuis")
    block.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/bouwstenen/zonering-gemeentehuis/")
    assert page.get_by_role("heading", level=1).inner_text() == "Zonering van het gemeentehuis"
    assert page.get_by_role("heading", name="Hoe begint u?").is_visible()
    assert "http://" not in page.locator("main").inner_text()
    check_axe(page, "building block (visitor)")


def test_visitor_filters_the_laws_page_which_reflows_at_320(live_server, demo, page):
    with scopes_disabled():
        load_all()
    base = live_server.url
    page.goto(base + "/kennisbank/wetten/")
    check_axe(page, "laws page")
    assert_reflows_at_320(page, "laws page")
    index = page.get_by_role("navigation", name="Onderwerpen")
    assert index.get_by_role("link", name="Informatiebeveiliging").is_visible()
    # Each law once: the AVG appears as one entry, and as references elsewhere.
    assert page.locator("article#avg").count() == 1
    page.get_by_label("Soort").select_option(label="EU-verordening")
    page.get_by_role("button", name="Filteren").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**soort=verordening-eu*")
    assert page.locator("article").count() == 1
    assert page.locator("article#avg").is_visible()
    page.locator("article#avg summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("article#avg details").get_attribute("open") is not None
    check_axe(page, "laws page filtered, explanation open")


def test_editor_creates_a_law_and_marks_an_old_one_replaced(live_server, demo, page):
    with scopes_disabled():
        load_all()
    base = live_server.url
    login_by_keyboard(page, base, "redacteur@weerbaar.example")
    page.goto(base + "/kennisbank/redactie/")
    check_axe(page, "editorial page")
    link = page.get_by_role("link", name="Wet of norm", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/redactie/nieuw/wet/")
    check_axe(page, "new law form")

    # Submitting without a name: the error sits at the field, with a summary on top.
    page.get_by_role("button", name="Toevoegen").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Het formulier is nog niet in orde").wait_for()
    check_axe(page, "new law form with errors")

    page.get_by_label(re.compile(r"^Naam")).focus()
    page.keyboard.type("Circulaire beveiligen van personen 2027")
    page.get_by_label(re.compile(r"^Status")).select_option(label="gepubliceerd")
    page.get_by_label(re.compile(r"^Soort")).select_option(label="circulaire")
    page.get_by_label(re.compile(r"^Groep")).select_option(label="Personele veiligheid")
    page.get_by_role("button", name="Toevoegen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/wetten/#circulaire-beveiligen-van-personen-2027")
    assert page.locator("article#circulaire-beveiligen-van-personen-2027").is_visible()

    page.goto(base + "/kennisbank/wetten/circulaire-bewaking-beveiliging/bewerken/")
    check_axe(page, "law edit page with status actions")
    replace = page.get_by_role("link", name="Vervangen door een andere wet")
    replace.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/wetten/circulaire-bewaking-beveiliging/vervangen/")
    check_axe(page, "replace law form")
    page.get_by_label(re.compile(r"^Vervangen door")).select_option(label="Circulaire beveiligen van personen 2027")
    page.get_by_role("button", name="Vervangen", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kennisbank/wetten/#circulaire-bewaking-beveiliging")
    old = page.locator("article#circulaire-bewaking-beveiliging")
    assert "buiten gebruik" in old.inner_text()
    assert old.get_by_role("link", name="Circulaire beveiligen van personen 2027").is_visible()
    check_axe(page, "laws page with a replaced law")

    page.goto(base + "/kennisbank/redactie/koppelingen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Koppelingen die niet meer werken"
    check_axe(page, "link check page")

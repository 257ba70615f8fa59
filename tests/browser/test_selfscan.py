"""The self-scan by keyboard only: the coordinator starts a round and assigns information security
to the theme expert, both answer, the coordinator reviews and closes the round, the radar shows
progress against the previous round, and a weak answer becomes an action in the yearly plan.
axe-core on every page; every page reflows at 320 px."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.cycle.models import Action
from weerbaar.selfscan import services
from weerbaar.selfscan.content import load_questionnaire
from weerbaar.selfscan.models import Answer, ScanRound

from ..conftest import member
from .conftest import check_axe
from .test_journeys import login_by_keyboard


@pytest.fixture
def previous_round(demo):
    """Demostad closed a first round last year with every answer at level 1."""
    org = demo["demostad"]
    coordinator = member(org, "coordinator")
    with scopes_disabled(), acting_as(None):
        from weerbaar.knowledge.content import load_building_blocks

        load_building_blocks()
        load_questionnaire()
        scan_round = services.round_start(organisation=org, membership=coordinator, title="Zelfscan 2025")
        Answer.objects.filter(scan_round=scan_round).update(level=1)
        services.round_close(membership=coordinator, scan_round=scan_round)
    return scan_round


def reflows(page, label):
    """WCAG 1.4.10: at 320 CSS pixels wide nothing needs scrolling sideways (tables scroll in their own box)."""
    page.set_viewport_size({"width": 320, "height": 900})
    width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 322
                && ![...e.children].some(c => c.getBoundingClientRect().right > 322))
            .slice(0, 5).map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 40))"""
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 320, f"{label}: {width}px wide at 320px: {culprits}"


def check(page, label):
    check_axe(page, label)
    reflows(page, label)


def press(page, locator):
    """Follow a link or press a button by keyboard: focus it, then Enter."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, locator, text):
    locator.focus()
    page.keyboard.type(text)


def choose_level(page, question_code, level):
    group = page.get_by_role("group", name=f"Niveau bij vraag {question_code}")
    radio = group.get_by_role("radio").nth(level - 1)
    radio.focus()
    page.keyboard.press("Space")
    assert radio.is_checked()


def test_round_answered_by_two_members_closed_shows_progress_and_weak_answer_becomes_action(
    live_server, demo, previous_round, page, browser
):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zelfscan"))
    assert page.get_by_role("heading", level=1).inner_text() == "Zelfscan integrale beveiliging"
    check(page, "zelfscan index")

    # Start a round; information security goes to the theme expert.
    press(page, page.get_by_role("link", name="Nieuwe scanronde starten"))
    check(page, "start round")
    type_into(page, page.get_by_label("Naam van de ronde"), "Zelfscan 2026")
    page.get_by_label("Informatiebeveiliging").focus()
    page.keyboard.type("Thema-expert")
    press(page, page.get_by_role("button", name="Ronde starten"))
    assert page.get_by_role("heading", level=1).inner_text() == "Zelfscan 2026"
    check(page, "round")

    # The coordinator answers governance: GO-1 on level 2 with a justification and a link.
    press(page, page.get_by_role("link", name="Governance (structuur) beantwoorden"))
    check(page, "answer governance")
    choose_level(page, "GO-1", 2)
    type_into(page, page.get_by_label("Korte onderbouwing").first, "Een coördinator zonder mandaat.")
    type_into(page, page.get_by_label("Link naar bewijs").first, "https://intranet.demostad.example/rollen")
    press(page, page.get_by_role("button", name="Opslaan en terug naar de ronde"))
    assert "Uw antwoorden bij Governance (structuur) zijn opgeslagen" in page.content()

    # The expert, in their own browser, answers information security.
    expert_context = browser.new_context(bypass_csp=True, locale="nl-NL")
    expert = expert_context.new_page()
    expert.set_default_timeout(15000)
    try:
        login_by_keyboard(expert, base, "expert@demostad.example")
        press(expert, expert.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zelfscan"))
        press(expert, expert.get_by_role("link", name="Verder met Zelfscan 2026"))
        check(expert, "round as expert")
        assert expert.get_by_role("link", name="Antwoorden bekijken en ronde afsluiten").count() == 0
        press(expert, expert.get_by_role("link", name="Informatiebeveiliging beantwoorden"))
        check(expert, "answer information security")
        choose_level(expert, "IB-1", 3)
        choose_level(expert, "IB-2", 4)
        press(expert, expert.get_by_role("button", name="Opslaan", exact=True))
        assert "2 van 4 vragen met een niveau" in expert.content()
    finally:
        expert_context.close()

    # The coordinator reviews and closes the round.
    page.reload()
    press(page, page.get_by_role("link", name="Antwoorden bekijken en ronde afsluiten"))
    check(page, "close round")
    checkbox = page.get_by_label("Ik heb de antwoorden bekeken", exact=False)
    checkbox.focus()
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Ronde definitief afsluiten"))
    assert page.get_by_role("heading", level=1).inner_text() == "Resultaten Zelfscan 2026"
    check(page, "results")
    with scopes_disabled():
        assert ScanRound.objects.get(title="Zelfscan 2026").is_closed

    # The radar has both rounds; the table shows the progress per theme.
    assert page.locator("svg.weerbaar-selfscan-radar").get_attribute("data-rounds") == "2"
    assert page.locator('[data-change="informatiebeveiliging"]').inner_text() == "+2,5"
    assert page.locator('[data-change="governance"]').inner_text() == "+1,0"

    # The weak governance answer becomes an action in this year's plan.
    press(page, page.locator("#zwakste ~ ul").get_by_role("button", name="Actie in jaarplan maken").first)
    assert "staat in het jaarplan" in page.content()
    check(page, "results after follow-up")
    with scopes_disabled():
        answer = Answer.objects.get(scan_round__title="Zelfscan 2026", question__code="GO-1")
        assert Action.objects.filter(pk=answer.action_id, organisation=demo["demostad"]).exists()

    # The other pages of the scan, by keyboard, accessible and reflowing.
    press(
        page,
        page.get_by_role("navigation", name="Zelfscan").get_by_role("link", name="Vergelijking met andere gemeenten"),
    )
    check(page, "benchmark")
    press(page, page.get_by_role("navigation", name="Zelfscan").get_by_role("link", name="Instellingen zelfscan"))
    check(page, "settings")


def test_editor_makes_a_new_version_edits_a_question_and_publishes_by_keyboard(live_server, demo, page):
    """The national editor's pages: versions, a draft, a question's five levels, publish, the national view."""
    with scopes_disabled(), acting_as(None):
        load_questionnaire()
    base = live_server.url
    login_by_keyboard(page, base, "redacteur@weerbaar.example")
    page.goto(base + "/zelfscan/vragenlijst/")
    check(page, "questionnaire versions")
    press(page, page.get_by_role("button", name="Nieuwe versie maken"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("(versie 2)")
    check(page, "draft version")
    press(page, page.get_by_role("link", name="Vraag AW-1 bewerken"))
    check(page, "edit question")
    field = page.get_by_label("Niveau 1 (laagste)")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Niemand besteedt aandacht aan bewustwording.")
    press(page, page.get_by_role("button", name="Opslaan"))
    assert "De vraag is opgeslagen" in page.content()
    press(page, page.get_by_role("link", name="Vraag PR-4 verwijderen"))
    check(page, "delete question")
    press(page, page.get_by_role("link", name="Nee, terug"))
    press(page, page.get_by_role("button", name="Deze versie publiceren"))
    assert "Versie 2 is gepubliceerd" in page.content()
    press(page, page.get_by_role("link", name="Alle versies"))
    press(page, page.locator("#inhoud").get_by_role("link", name="Landelijk beeld"))
    check(page, "national view")

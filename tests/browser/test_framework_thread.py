"""By keyboard only: the coordinator links a measure to Demostad's own principle and own goal of the
adopted framework, sees them on the measure's page (labelled as own, from the adopted version) and
finds the own goal in the coverage table. axe-core on every page."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from weerbaar.core.audit import acting_as
from weerbaar.framework.demo import load_framework_demo
from weerbaar.knowledge.content import load_catalogue, load_laws
from weerbaar.risks.demo import load_risks_demo

from .conftest import check_axe
from .test_journeys import login_by_keyboard

OWN_PRINCIPLE = "Raadsleden krijgen bij hun installatie een veiligheidsgesprek"


@pytest.fixture
def threaded(demo):
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_laws()
        load_framework_demo(org)
        load_risks_demo(org)
    return org


def press_on(page, locator, key="Space"):
    locator.focus()
    page.keyboard.press(key)


def test_coordinator_links_a_measure_to_an_own_principle_and_sees_it_in_coverage(live_server, threaded, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(base + "/g/demostad/risico/maatregelen/nieuw/")
    check_axe(page, "new measure, adopted framework")
    expect(page.get_by_text("Vastgesteld kader, versie 1").first).to_be_visible()

    page.get_by_label("Titel").focus()
    page.keyboard.type("Weerbaarheidstraining voor raadsleden")
    press_on(page, page.get_by_label("Integriteit", exact=True))
    press_on(page, page.get_by_label("Weerbare raad (eigen doel)"))
    own = page.get_by_label(OWN_PRINCIPLE, exact=False)
    press_on(page, own)
    expect(own).to_be_checked()
    press_on(page, page.get_by_role("button", name="Opslaan"), "Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Weerbaarheidstraining voor raadsleden")
    main = page.locator("main")
    expect(main).to_contain_text(OWN_PRINCIPLE)
    expect(main).to_contain_text("eigen uitgangspunt")
    expect(main).to_contain_text("Weerbare raad (eigen doel)")
    expect(main).to_contain_text("het vastgestelde strategisch kader (versie 1)")
    check_axe(page, "measure with own principle")

    # Coverage: the own goal is a column of the adopted choice, with this measure counted.
    page.get_by_role("navigation", name="Register risico’s en maatregelen").get_by_role(
        "link", name="Dekking", exact=True
    ).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dekking per thema en doel")
    header = page.get_by_role("columnheader", name="Weerbare raad (eigen doel)")
    expect(header).to_be_visible()
    row = page.get_by_role("row", name="Integriteit")
    column = page.locator("thead th").all_inner_texts().index(header.inner_text())
    expect(row.locator("th, td").nth(column)).to_contain_text("1")
    check_axe(page, "coverage with own goal")

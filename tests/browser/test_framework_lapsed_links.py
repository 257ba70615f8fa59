"""By keyboard only: the coordinator removes an own goal of the draft (the effective framework) that a
measure links to. The step shows the linked measure, the save asks to confirm and names it, and after
the yes the lapsed link is in the version's report "Koppelingen die niet meegingen" with a link to the
measure. axe-core on every page."""

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from weerbaar.core.audit import acting_as
from weerbaar.core.models import Membership
from weerbaar.framework import services
from weerbaar.framework.models import Step
from weerbaar.knowledge.content import load_catalogue, load_laws
from weerbaar.risks.models import Measure

from .conftest import check_axe
from .test_journeys import login_by_keyboard

MEASURE = "M-050 Weerbaarheidstraining voor raadsleden"


@pytest.fixture
def linked_draft(demo):
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_laws()
        coordinator = Membership.objects.get(organisation=org, user__email="coordinator@demostad.example")
    with scope(organisation=org.pk), acting_as(None):
        framework = services.framework_start(organisation=org, membership=coordinator)
        version = framework.versions.get()
        entry = version.steps.get(step=Step.GOALS)
        services.step_save(
            entry=entry,
            expected_revision=entry.revision,
            membership=coordinator,
            goals=[services.GoalInput(name="Weerbare raad", why="Intimidatie van raadsleden")],
        )
        measure = Measure.objects.create(
            organisation=org, reference="M-050", title="Weerbaarheidstraining voor raadsleden"
        )
        measure.goals.add(version.goals.get())
    return version


def test_removing_a_linked_own_goal_asks_first_and_reports_the_lapsed_link(live_server, linked_draft, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(f"{base}/g/demostad/kader/versies/{linked_draft.number}/stap/doelen/")
    main = page.locator("main")
    expect(main).to_contain_text("Gekoppeld aan 1 maatregel")
    check_axe(page, "goals step with a linked measure")

    remove = page.get_by_label("Dit eigen doel verwijderen")
    remove.focus()
    page.keyboard.press("Space")
    expect(remove).to_be_checked()
    page.get_by_role("button", name="Stap opslaan").focus()
    page.keyboard.press("Enter")

    alert = page.locator("#bevestig-weghalen")
    expect(alert).to_contain_text("Maatregelen zijn gekoppeld aan wat u weghaalt")
    expect(alert).to_contain_text("Beveiligingsdoel “Weerbare raad”: 1 maatregel")
    expect(alert.get_by_role("link", name=MEASURE)).to_be_visible()
    expect(alert).to_be_focused()  # the question is where keyboard and screen reader users land
    expect(page.get_by_label("Dit eigen doel verwijderen")).to_be_checked()  # the choice is kept
    check_axe(page, "confirm removing a linked goal")

    confirm = page.get_by_role("button", name="Ja, weghalen en koppelingen laten vervallen")
    for _ in range(10):  # Tab from the question to its yes-button
        page.keyboard.press("Tab")
        if confirm.evaluate("el => el === document.activeElement"):
            break
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".weerbaar-messages")).to_contain_text("zijn vervallen en vastgelegd")
    expect(page.locator("#bevestig-weghalen")).to_have_count(0)
    report_link = page.get_by_role("link", name="Bekijk ze onder Koppelingen die niet meegingen")
    report_link.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Koppelingen die niet meegingen")).to_be_visible()
    table = page.get_by_role("region", name="Koppelingen die niet meegingen")
    row = table.get_by_role("row", name=MEASURE)
    expect(row).to_contain_text("Weerbare raad")
    expect(row).to_contain_text("Uit het concept verwijderd op")
    check_axe(page, "version with the lapsed link")
    row.get_by_role("link", name=MEASURE).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weerbaarheidstraining voor raadsleden")

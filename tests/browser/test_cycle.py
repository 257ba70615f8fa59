"""The quality cycle by keyboard: an action from a measure not yet in place, a check with a finding
that becomes an improvement action, closing that action. axe-core on every page of the cycle, as
coordinator and as board member; the list pages reflow at 320 px."""

import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.cycle.demo import load_cycle_demo
from weerbaar.cycle.models import Action, Check, Deviation, Finding
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Measure

from .conftest import check_axe
from .test_journeys import login_by_keyboard

LIST_PAGES = ["", "voortgang/", "te-laat/", "meerjarig/", "controles/", "bevindingen/", "afwijkingen/", "import/"]


@pytest.fixture
def cycle(demo):
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_risks_demo(org)
        load_cycle_demo(org)
    return org


def press(page, locator, key="Enter", navigates=True):
    locator.focus()
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def field(page, label):
    """The field with this label; required fields add "(verplicht)" to it."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(verplicht\))?$"))


def type_into(page, label, text):
    field(page, label).focus()
    page.keyboard.type(text)


def tick(page, label):
    box = page.get_by_label(label, exact=True)
    box.focus()
    if not box.is_checked():
        page.keyboard.press("Space")
    assert box.is_checked()


def choose(page, label, option_text):
    """Pick an option of a closed select by typing its first letters, as a keyboard user does."""
    select = field(page, label)
    select.focus()
    page.keyboard.type(option_text)
    chosen = select.evaluate("s => s.options[s.selectedIndex].text")
    assert chosen.startswith(option_text), chosen


def reflows_at_320(page, url):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 320, f"{url} is {width}px wide at 320px"


def subnav(page, name):
    return page.get_by_role("navigation", name="Jaarplan en controles").get_by_role("link", name=name, exact=True)


def test_action_from_measure_check_finding_action_closed_by_keyboard(live_server, cycle, page):
    base = live_server.url
    year = timezone.localdate().year
    login_by_keyboard(page, base, "coordinator@demostad.example")
    press(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Jaarplan en controles"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Jaarplan {year}"
    assert page.get_by_text("te laat").first.is_visible()
    check_axe(page, "plan")

    # An action from a measure that is not yet in place.
    with scopes_disabled():
        measure = Measure.objects.get(organisation=cycle, reference="M-009")
    page.goto(f"{base}/g/demostad/risico/maatregelen/{measure.pk}/")
    press(page, page.get_by_role("link", name="Actie in het jaarplan zetten"))
    check_axe(page, "new action from measure")
    assert field(page, "Titel").input_value() == f"Invoeren: {measure.title}"
    choose(page, "Eigenaar", "Thema-expert")
    field(page, "Uiterste datum").fill(f"{year + 1}-03-31")
    field(page, "Jaar van het jaarplan").fill(str(year + 1))
    press(page, page.get_by_role("button", name="Opslaan"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Invoeren: {measure.title}"
    assert measure.title in page.locator("main").inner_text()
    check_axe(page, "action from measure")
    with scopes_disabled():
        made = Action.objects.get(organisation=cycle, title=f"Invoeren: {measure.title}")
        assert made.year == year + 1 and list(made.measures.all()) == [measure]
        assert made.owner.user.email == "expert@demostad.example"

    # A check with a finding that becomes an improvement action.
    press(page, subnav(page, "Controles"))
    press(page, page.get_by_role("link", name="Controle vastleggen"))
    check_axe(page, "new check")
    type_into(page, "Titel", "Phishingtest najaar")
    choose(page, "Soort controle", "phishingtest")
    field(page, "Datum").fill(f"{year}-11-20")
    tick(page, "Informatiebeveiliging")
    press(page, page.get_by_role("button", name="Opslaan"))
    assert page.get_by_role("heading", level=1).inner_text() == "Phishingtest najaar"
    check_axe(page, "check detail")
    press(page, page.get_by_role("link", name="Bevinding vastleggen"))
    check_axe(page, "new finding")
    type_into(page, "Bevinding", "Wachtwoorden ingevuld op nepsite")
    choose(page, "Ernst", "hoog")
    press(page, page.get_by_role("button", name="Opslaan"))
    assert page.get_by_role("heading", level=1).inner_text() == "Wachtwoorden ingevuld op nepsite"
    check_axe(page, "finding detail")
    press(page, page.get_by_role("link", name="Verbeteractie maken"))
    check_axe(page, "improvement action")
    assert field(page, "Titel").input_value() == "Verbeteren: Wachtwoorden ingevuld op nepsite"
    assert page.get_by_label("Informatiebeveiliging", exact=True).is_checked()
    press(page, page.get_by_role("button", name="Opslaan"))
    assert page.get_by_role("heading", level=1).inner_text() == "Verbeteren: Wachtwoorden ingevuld op nepsite"
    assert "Phishingtest najaar" not in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=re.compile("Wachtwoorden ingevuld op nepsite")).is_visible()

    # Close the action.
    choose(page, "Status wijzigen", "afgerond")
    press(page, page.get_by_role("button", name="Status opslaan"))
    assert page.get_by_text("is nu: afgerond").is_visible()
    check_axe(page, "action closed")
    with scopes_disabled():
        finding = Finding.objects.get(organisation=cycle, title="Wachtwoorden ingevuld op nepsite")
        assert finding.action.status == Action.Status.DONE and finding.action.completed_at


def _every_page(cycle):
    year = timezone.localdate().year
    with scopes_disabled():
        action = Action.objects.filter(organisation=cycle, year=year).exclude(findings=None).first()
        check = Check.objects.filter(organisation=cycle).exclude(findings=None).first()
        finding = Finding.objects.filter(organisation=cycle).first()
        deviation = Deviation.objects.filter(organisation=cycle).first()
    base = "/g/demostad/jaarplan/"
    read = [base + p for p in LIST_PAGES] + [
        f"{base}?jaar={year - 1}",
        f"{base}acties/{action.pk}/",
        f"{base}controles/{check.pk}/",
        f"{base}bevindingen/{finding.pk}/",
        f"{base}afwijkingen/{deviation.pk}/",
    ]
    write = [
        f"{base}acties/nieuw/",
        f"{base}acties/{action.pk}/bewerken/",
        f"{base}acties/{action.pk}/verwijderen/",
        f"{base}controles/nieuw/",
        f"{base}controles/{check.pk}/bewerken/",
        f"{base}controles/{check.pk}/verwijderen/",
        f"{base}controles/{check.pk}/bevinding/",
        f"{base}bevindingen/{finding.pk}/bewerken/",
        f"{base}bevindingen/{finding.pk}/verwijderen/",
        f"{base}bevindingen/{finding.pk}/actie/",
        f"{base}bevindingen/{finding.pk}/risico/",
        f"{base}afwijkingen/nieuw/?bevinding={finding.pk}",
        f"{base}afwijkingen/{deviation.pk}/bewerken/",
        f"{base}afwijkingen/{deviation.pk}/verwijderen/",
        f"{base}volgend-jaar/?jaar={year}",
    ]
    return read, write


def test_every_cycle_page_is_accessible_for_coordinator_and_board_and_lists_reflow(live_server, cycle, page):
    base = live_server.url
    read, write = _every_page(cycle)
    login_by_keyboard(page, base, "coordinator@demostad.example")
    for url in read + write:
        response = page.goto(base + url)
        assert response.status == 200, url
        check_axe(page, f"coordinator {url}")
    # A form sent back with errors is accessible too (error summary, messages at the fields).
    page.goto(base + "/g/demostad/jaarplan/afwijkingen/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Dit veld is verplicht.").first.is_visible()
    check_axe(page, "deviation with errors")
    for path in LIST_PAGES:
        reflows_at_320(page, f"{base}/g/demostad/jaarplan/{path}")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile("/account/login/"))
    login_by_keyboard(page, base, "bestuur@demostad.example")
    for url in read:
        response = page.goto(base + url)
        assert response.status == 200, url
        check_axe(page, f"board {url}")
        assert page.get_by_role("link", name="Actie toevoegen").count() == 0
        assert page.get_by_role("link", name="Bevinding vastleggen").count() == 0

"""axe-core on pages the journeys do not pass through, as the roles that see them."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from weerbaar.core.models import AuditEntry, Membership
from weerbaar.risks.models import Asset, LocalThreat, Measure, MeasureConflict, Risk

from .conftest import check_axe, check_reflow
from .test_journeys import login_by_keyboard

COORDINATOR_PAGES = [
    "/g/demostad/audit/?action=update",
    "/g/demostad/leden/{member}/",
    "/g/demostad/leden/{member}/verwijderen/",
    "/g/demostad/audit/{audit}/",
    "/g/demostad/kennisbank/bijdragen/",
    "/kennisbank/thema/integriteit/",
    "/kennisbank/begrippen/",
    "/kennisbank/wetten/",
    "/kennisbank/catalogus/stappen/",
    "/kennisbank/catalogus/scope/",
    "/kennisbank/catalogus/doelen/",
    "/kennisbank/catalogus/uitgangspunten/",
    "/kennisbank/catalogus/pdca/",
    "/kennisbank/catalogus/governance/",
    "/kennisbank/zoeken/?q=continuiteit&soort=begrip",
    "/account/password/change/",
    "/g/demostad/instellingen/inloggen/",
    "/g/demostad/bestaat-niet/",
    # The register on the generic views: edit and delete pages, with what depends on the object.
    "/g/demostad/risico/bedrijfsmiddelen/{asset}/bewerken/",
    "/g/demostad/risico/bedrijfsmiddelen/{asset}/verwijderen/",
    "/g/demostad/risico/risicos/{risk}/verwijderen/",
    "/g/demostad/risico/maatregelen/{measure}/verwijderen/",
    "/g/demostad/risico/dreigingen/nieuw/",
    "/g/demostad/risico/dreigingen/{threat}/verwijderen/",
    "/g/demostad/risico/conflicten/{conflict}/bewerken/",
    "/g/demostad/risico/conflicten/{conflict}/verwijderen/",
    "/g/demostad/risico/matrix/",
    "/g/demostad/risico/dekking/",
    "/g/demostad/risico/begroting/",
    "/g/demostad/risico/import/",
]


def test_remaining_pages_have_no_axe_violations(live_server, demo, page):
    with scopes_disabled():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        member = Membership.objects.get(organisation=demo["demostad"], user__email="lezer@demostad.example").pk
        audit = AuditEntry.objects.filter(organisation=demo["demostad"], action="update").first().pk
        ids = {
            "asset": Asset.objects.get(organisation=demo["demostad"], reference="BM-002").pk,
            "risk": Risk.objects.get(organisation=demo["demostad"], reference="R-001").pk,
            "measure": Measure.objects.filter(organisation=demo["demostad"]).order_by("reference").first().pk,
            "threat": LocalThreat.objects.filter(organisation=demo["demostad"]).first().pk,
            "conflict": MeasureConflict.objects.filter(organisation=demo["demostad"]).first().pk,
        }
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    for url in COORDINATOR_PAGES:
        page.goto(base + url.format(member=member, audit=audit, **ids))
        check_axe(page, url)
    page.get_by_role("button", name="Uitloggen").click()

    login_by_keyboard(page, base, "lezer@demostad.example")
    page.goto(base + "/g/demostad/instellingen/")  # the Dutch 403 page
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    check_axe(page, "403")
    page.get_by_role("button", name="Uitloggen").click()

    # The board's own start page, and the user menu opened by keyboard, at 320 px wide too.
    login_by_keyboard(page, base, "bestuur@demostad.example")
    assert "overzicht voor het bestuur" in page.get_by_role("heading", level=1).inner_text()
    check_axe(page, "board start page")
    page.locator("summary.weerbaar-usermenu__toggle").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Mijn sessies").is_visible()
    check_axe(page, "user menu open")
    check_reflow(page, "board start page with the user menu open")
    page.get_by_role("button", name="Uitloggen").click()

    login_by_keyboard(page, base, "beheer@weerbaar.example")
    page.goto(base + "/beheer/gemeenten/")
    check_axe(page, "organisations admin")
    page.get_by_role("button", name="Uitloggen").click()

    page.goto(base + "/account/password/reset/")
    check_axe(page, "password reset")

    # Too many failed logins from this browser: the Dutch 429 page.
    for _ in range(6):
        page.goto(base + "/account/login/")
        page.get_by_label("E-mail").fill("onbekend@demostad.example")
        page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord")
        page.get_by_label("Wachtwoord").press("Enter")
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Even geduld"
    check_axe(page, "429")

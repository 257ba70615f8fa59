"""axe-core on pages the journeys do not pass through, as the roles that see them."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from weerbaar.core.models import AuditEntry, Membership

from .conftest import check_axe
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
    "/g/demostad/bestaat-niet/",
]


def test_remaining_pages_have_no_axe_violations(live_server, demo, page):
    with scopes_disabled():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        member = Membership.objects.get(organisation=demo["demostad"], user__email="lezer@demostad.example").pk
        audit = AuditEntry.objects.filter(organisation=demo["demostad"], action="update").first().pk
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    for url in COORDINATOR_PAGES:
        page.goto(base + url.format(member=member, audit=audit))
        check_axe(page, url)
    page.get_by_role("button", name="Uitloggen").click()

    login_by_keyboard(page, base, "lezer@demostad.example")
    page.goto(base + "/g/demostad/instellingen/")  # the Dutch 403 page
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    check_axe(page, "403")
    page.get_by_role("button", name="Uitloggen").click()

    login_by_keyboard(page, base, "beheer@weerbaar.example")
    page.goto(base + "/beheer/gemeenten/")
    check_axe(page, "organisations admin")
    page.get_by_role("button", name="Uitloggen").click()

    page.goto(base + "/account/password/reset/")
    check_axe(page, "password reset")

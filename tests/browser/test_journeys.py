import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django_scopes import scopes_disabled

from weerbaar.core.models import Role

from ..factories import MembershipFactory, UserFactory
from .conftest import check_axe


def login_by_keyboard(page, base, email, password="weerbaar-demo"):
    page.goto(base + "/account/login/")
    check_axe(page, "login")
    page.keyboard.press("Tab")  # skip link first
    page.get_by_label("E-mail").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/account/login/" not in url)


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def test_coordinator_walks_workspace_and_sets_up_two_factor(live_server, demo, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    assert page.url == base + "/g/demostad/"
    assert page.get_by_role("heading", level=1).inner_text() == "Integrale beveiliging Demostad"
    check_axe(page, "dashboard")

    # Every workspace page, reached through the main menu, is accessible.
    for link, heading in [
        ("Leden", "Leden"),
        ("Logboek", "Logboek"),
        ("Instellingen", "Instellingen van Demostad"),
    ]:
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=link, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        check_axe(page, link)

    # Account tools sit in the user menu (a disclosure that opens by keyboard).
    page.locator("summary.weerbaar-usermenu__toggle").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="API-sleutels").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Persoonlijke API-sleutels"
    check_axe(page, "API-sleutels")

    # Invite a colleague; a bad address is explained next to the field and nothing typed is lost.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leden", exact=True).click()
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("combobox", name=re.compile("^Rol")).select_option("auditor")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert page.get_by_text("Voer een geldig e-mailadres in.").is_visible()
    assert page.get_by_label("E-mailadres").input_value() == "geen-adres"
    assert page.get_by_role("combobox", name=re.compile("^Rol")).input_value() == "auditor"
    check_axe(page, "invite with error")
    page.get_by_label("E-mailadres").fill("nieuwe.auditor@demostad.example")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert page.get_by_text("Uitnodiging verstuurd naar nieuwe.auditor@demostad.example.").is_visible()
    assert page.get_by_text("nieuwe.auditor@demostad.example — Auditor").is_visible()

    # Two-factor authentication with an authenticator app and recovery codes.
    page.locator("summary.weerbaar-usermenu__toggle").click()
    page.get_by_role("link", name="Tweestapsverificatie").click()
    check_axe(page, "mfa index")
    page.goto(base + "/account/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again before security changes
        check_axe(page, "reauthenticate")
        page.get_by_label("Wachtwoord").fill("weerbaar-demo")
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/account/2fa/totp/activate/")
    check_axe(page, "totp activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Authenticatorcode|code", re.I)).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("^Activeer")).click()
    page.wait_for_load_state()
    page.goto(base + "/account/2fa/recovery-codes/")
    check_axe(page, "recovery codes")
    assert page.locator("body").inner_text().count("\n") > 5

    # Next login asks for the code.
    page.get_by_role("button", name="Uitloggen").click()
    page.goto(base + "/account/login/")
    page.get_by_label("E-mail").fill("coordinator@demostad.example")
    page.get_by_label("Wachtwoord").fill("weerbaar-demo")
    page.get_by_role("button", name="Inloggen").click()
    check_axe(page, "mfa authenticate")
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(secret, offset=-1))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/g/demostad/")


def test_member_of_two_municipalities_switches_by_keyboard(live_server, demo, page):
    with scopes_disabled():
        user = UserFactory(email="gedeeld@regio.example", full_name="Gedeelde Adviseur")
        MembershipFactory(organisation=demo["demostad"], user=user, role=Role.EXPERT)
        MembershipFactory(organisation=demo["voorbeeldrecht"], user=user, role=Role.COORDINATOR)
    base = live_server.url
    login_by_keyboard(page, base, "gedeeld@regio.example")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom bij Weerbaar"
    check_axe(page, "choose municipality")
    page.get_by_role("link", name="Demostad").click()
    assert "Demostad" in page.get_by_role("heading", level=1).inner_text()

    switcher = page.get_by_label("Gemeente", exact=True)
    switcher.focus()
    switcher.select_option("voorbeeldrecht")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Wissel button
    page.wait_for_url(base + "/g/voorbeeldrecht/")
    assert page.get_by_role("heading", level=1).inner_text() == "Integrale beveiliging Voorbeeldrecht"
    check_axe(page, "switched")

    # Another municipality's address is a Dutch 404, also accessible.
    page.goto(base + "/g/indringerdorp/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    check_axe(page, "404")


def test_public_pages_are_accessible_in_both_languages(live_server, db, page):
    base = live_server.url
    page.goto(base + "/toegankelijkheid")
    assert page.get_by_role("heading", level=1).inner_text() == "Toegankelijkheidsverklaring"
    check_axe(page, "accessibility statement")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    check_axe(page, "accessibility statement (en)")

"""Bad input in the browser: a Dutch amount is read as meant and shown back before it is saved,
and of two people editing the same asset the second sees what the first changed and keeps their
own text. axe-core on every page, keyboard for the forms."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from weerbaar.core.audit import acting_as
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Asset, Measure

from .conftest import check_axe
from .test_journeys import login_by_keyboard


@pytest.fixture
def register(demo):
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_risks_demo(demo["demostad"])
    return demo["demostad"]


def test_a_dutch_amount_is_shown_back_and_saved_as_meant(live_server, register, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(base + "/g/demostad/risico/maatregelen/nieuw/")
    page.get_by_label("Titel").fill("Camera bij de publieksingang")
    page.get_by_label("Fysieke en technische beveiliging").check()
    page.get_by_label("Eenmalige kosten (€)").fill("1.250")
    page.get_by_label("Eenmalige kosten (€)").press("Enter")

    # Not saved yet: the amount read is shown at the field, everything typed is still there.
    expect(page.get_by_text("Weerbaar leest dit als € 1.250,00")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Camera bij de publieksingang")
    expect(page.get_by_label("Eenmalige kosten (€)")).to_have_value("1.250")
    check_axe(page, "amount shown back")
    with scopes_disabled():
        assert not Measure.objects.filter(title="Camera bij de publieksingang").exists()

    page.get_by_label("Eenmalige kosten (€)").press("Enter")  # confirm by saving again
    page.wait_for_url(lambda url: "/nieuw/" not in url)
    expect(page.get_by_text("1.250,00").first).to_be_visible()
    with scopes_disabled():
        measure = Measure.objects.get(title="Camera bij de publieksingang")
    assert str(measure.cost_once) == "1250.00"

    # NaN is a Dutch field error, not a server error.
    page.goto(base + f"/g/demostad/risico/maatregelen/{measure.pk}/bewerken/")
    page.get_by_label("Jaarlijkse kosten (€)").fill("NaN")
    page.get_by_label("Jaarlijkse kosten (€)").press("Enter")
    expect(page.get_by_text("Geef een bedrag in euro's, bijvoorbeeld 1.250,00.").first).to_be_visible()
    check_axe(page, "NaN refused")


def test_the_second_of_two_editors_sees_the_difference_and_keeps_their_text(live_server, register, browser, page):
    base = live_server.url
    with scopes_disabled():
        asset = Asset.objects.get(organisation=register, reference="BM-001")
    url = f"{base}/g/demostad/risico/bedrijfsmiddelen/{asset.pk}/bewerken/"

    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(url)
    other_context = browser.new_context(bypass_csp=True, locale="nl-NL")
    other = other_context.new_page()
    try:
        login_by_keyboard(other, base, "coordinator@demostad.example")
        other.goto(url)
        other.get_by_label("Locatie").fill("Stadskantoor, tweede verdieping")
        other.get_by_label("Locatie").press("Enter")
        other.wait_for_url(lambda u: "/bewerken/" not in u)
    finally:
        other_context.close()

    page.get_by_label("Locatie").fill("Stadskantoor, begane grond")
    page.get_by_label("Locatie").press("Enter")
    expect(page.get_by_text("Iemand anders heeft dit opgeslagen").first).to_be_visible()
    expect(page.get_by_label("Locatie")).to_have_value("Stadskantoor, begane grond")
    expect(page.get_by_role("cell", name="Stadskantoor, tweede verdieping")).to_be_visible()
    check_axe(page, "stale edit")
    with scopes_disabled():
        assert Asset.objects.get(pk=asset.pk).location == "Stadskantoor, tweede verdieping"

    page.get_by_label("Locatie").press("Enter")  # save again, knowingly
    page.wait_for_url(lambda u: "/bewerken/" not in u)
    with scopes_disabled():
        assert Asset.objects.get(pk=asset.pk).location == "Stadskantoor, begane grond"

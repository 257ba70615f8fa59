"""The statement of applicability in a browser: a coordinator decides a BIO2 measure does not
apply (with the reason), exports the statement; a measure gets BIO2 numbers through the picker
by keyboard only. axe-core on every page; the statement reflows at 320 px."""

import io

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from weerbaar.core.audit import acting_as
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Measure
from weerbaar.soa.demo import load_for_demo
from weerbaar.soa.models import Applicability

from .conftest import check_axe
from .test_journeys import login_by_keyboard


@pytest.fixture
def statement_org(demo):
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_risks_demo(org)
        load_for_demo({"demostad": org})
    return org


def test_coordinator_decides_applicability_with_reason_and_exports(live_server, statement_org, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verklaring van toepasselijkheid").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Verklaring van toepasselijkheid"
    check_axe(page, "statement")

    # Only the open measures of the technological chapter.
    page.get_by_label("Toepasselijkheid", exact=True).select_option("open")
    page.get_by_label("Hoofdstuk", exact=True).select_option("technologisch")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(lambda url: "beoordeling=open" in url)
    assert page.locator('tr[id^="bio2-5."]').count() == 0
    check_axe(page, "statement filtered")

    page.locator("#bio2-8\\.01\\.01").get_by_role("link", name="Beoordelen 8.01.01").click()
    assert "8.01.01" in page.get_by_role("heading", level=1).inner_text()
    check_axe(page, "decide")
    page.get_by_label("niet van toepassing", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    # No reason: the error sits at the field, the choice is kept.
    assert page.locator("#id_reason_error").is_visible()
    assert page.get_by_label("niet van toepassing", exact=True).is_checked()
    check_axe(page, "decide with error")
    reason = "Medewerkers werken alleen op vaste werkplekken; zie risicoanalyse mobiel werken 2026."
    page.get_by_label("Reden", exact=True).fill(reason)
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(lambda url: "beoordelen" not in url)
    assert "beoordeling=open" in page.url  # back to the filtered statement
    page.goto(base + "/g/demostad/verklaring-van-toepasselijkheid/")
    row = page.locator("#bio2-8\\.01\\.01")
    assert reason in row.inner_text() and "nee" in row.inner_text()
    with scopes_disabled():
        assert Applicability.objects.get(organisation=statement_org, bio2__number="8.01.01").reason == reason

    # Reflow: at 320 CSS px the page itself does not scroll sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_axe(page, "statement at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als Excel").click()
    wb = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    values = [[c.value for c in r] for r in wb["Verklaring"].iter_rows()]
    assert any(r[0] == "8.01.01" and r[5] == reason for r in values)


def test_measure_gets_bio2_numbers_with_the_picker_by_keyboard(live_server, statement_org, page):
    base = live_server.url
    with scopes_disabled():
        measure = Measure.objects.get(organisation=statement_org, reference="M-001")
        before = {b.number for b in measure.bio2_measures.all()}
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(f"{base}/g/demostad/risico/maatregelen/{measure.pk}/bewerken/")
    check_axe(page, "measure edit with pickers")
    picker = page.locator("#id_bio2_measures_list")
    total = picker.locator("li").count()
    assert total == 118

    page.get_by_role("group", name="BIO2-maatregelen").get_by_label("Typ om de lijst te filteren").focus()
    page.keyboard.type("back-up")
    visible = picker.locator("li:visible")
    assert 1 <= visible.count() < 10
    assert "getoond" in page.locator("#id_bio2_measures_list_count").inner_text()
    page.keyboard.press("Enter")  # filtering, not submitting
    assert "/bewerken/" in page.url
    page.keyboard.press("Tab")  # the first visible checkbox
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("id_bio2_measures_")
    page.keyboard.press("Space")
    label = page.locator(f'label[for="{focused}"]').inner_text()
    number = label.split()[0]
    assert number.startswith("8.13.")
    check_axe(page, "picker filtered")
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/bewerken/" not in url)
    with scopes_disabled():
        after = {b.number for b in Measure.objects.get(pk=measure.pk).bio2_measures.all()}
    assert after == before | {number}
    assert number in page.locator("main").inner_text()

"""A coordinator records a risk, scores it, adds two measures of different themes, sees the
residual risk drop on the heat map and exports the register to Excel. axe-core on every page."""

import io
import re

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from playwright.sync_api import expect

from weerbaar.core.audit import acting_as
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Measure

from .conftest import check_axe
from .test_journeys import login_by_keyboard


@pytest.fixture
def register(demo):
    with scopes_disabled(), acting_as(None):
        load_catalogue()
        load_risks_demo(demo["demostad"])
    return demo["demostad"]


def heat_count(page, position: str, likelihood: int, impact: int) -> int:
    cell = page.locator(f'svg[data-position="{position}"] g[data-likelihood="{likelihood}"][data-impact="{impact}"]')
    return int(cell.get_attribute("data-count"))


def test_coordinator_records_risk_adds_measures_and_sees_residual_drop(live_server, register, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Risico's en maatregelen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Integraal beeld risico's en maatregelen"
    check_axe(page, "integral view")
    assert heat_count(page, "bruto", 5, 4) == 0
    assert heat_count(page, "netto", 1, 3) == 0

    # Record and score a risk.
    page.get_by_role("link", name="Risico vastleggen").first.click()
    check_axe(page, "new risk")
    page.get_by_label("Titel").fill("Verstoring van de raadsvergadering")
    page.get_by_label("Dreiging").select_option(label="Agressie en geweld")
    page.get_by_label("Scenario").fill("Een groep bezoekers verstoort de vergadering en bedreigt raadsleden.")
    page.get_by_label("Fysieke en technische beveiliging").check()
    page.get_by_label("Personele beveiliging").check()
    page.get_by_label("Bruto kans").select_option("5")
    page.get_by_label("Bruto impact").select_option("4")
    page.get_by_label("Risico-eigenaar").fill("Griffier")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Verstoring van de raadsvergadering"
    assert "20 (kans 5 × impact 4) — zeer hoog" in page.locator("#bruto-score").inner_text()
    check_axe(page, "risk detail")
    risk_url = page.url

    page.get_by_role("navigation", name="Register risico’s en maatregelen").get_by_role(
        "link", name="Integraal beeld"
    ).click()
    assert heat_count(page, "bruto", 5, 4) == 1
    assert heat_count(page, "netto", 5, 4) == 1  # no residual assessment yet: on its inherent position

    # Two measures from different themes.
    for title, theme, goal, cost in [
        ("Toegangspoortjes publieke tribune", "Fysieke en technische beveiliging", "Tegenhouden", "18.000,00"),
        (
            "Oefening ordeverstoring met griffie en bode",
            "Preparatie: trainen, oefenen en testen",
            "Interventie",
            "2500",
        ),
    ]:
        page.goto(risk_url)
        page.get_by_role("link", name="Maatregel toevoegen voor dit risico").click()
        check_axe(page, "new measure")
        page.get_by_label("Titel").fill(title)
        page.get_by_label(theme).check()
        page.get_by_label(goal, exact=True).check()
        page.get_by_label("Eenmalige kosten (€)").fill(cost)
        page.get_by_role("button", name="Opslaan").click()
        assert page.get_by_role("heading", level=1).inner_text() == title
        assert "Verstoring van de raadsvergadering" in page.locator("main").inner_text()
    check_axe(page, "measure detail")

    # The residual risk after the measures.
    page.goto(risk_url)
    page.get_by_role("link", name="Risico bewerken").click()
    check_axe(page, "edit risk")
    page.get_by_label("Netto kans (na maatregelen)").select_option("1")
    page.get_by_label("Netto impact (na maatregelen)").select_option("3")
    page.get_by_role("button", name="Opslaan").click()
    assert "3 (kans 1 × impact 3) — acceptabel" in page.locator("#netto-score").inner_text()
    assert page.get_by_text("Oefening ordeverstoring met griffie en bode").is_visible()

    page.get_by_role("navigation", name="Register risico’s en maatregelen").get_by_role(
        "link", name="Integraal beeld"
    ).click()
    assert heat_count(page, "bruto", 5, 4) == 1
    assert heat_count(page, "netto", 5, 4) == 0
    assert heat_count(page, "netto", 1, 3) == 1
    check_axe(page, "integral view after measures")

    # Inline status change (htmx) in the measure list.
    page.get_by_role("link", name="Maatregelen", exact=True).click()
    page.get_by_label("Zoeken").fill("Toegangspoortjes")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"q=Toegangspoortjes"))
    check_axe(page, "measures")
    row = page.locator("tr", has_text="Toegangspoortjes publieke tribune")
    row.get_by_role("combobox").select_option("in_progress")
    row.get_by_role("button", name=re.compile("^Opslaan")).click()
    expect(page.locator("tr", has_text="Toegangspoortjes publieke tribune").get_by_text("Opgeslagen")).to_be_visible()
    assert "/status/" not in page.url  # swapped in place, no page load
    with scopes_disabled():
        assert Measure.objects.get(title="Toegangspoortjes publieke tribune").status == "in_progress"

    for link in ["Bedrijfsmiddelen", "Dreigingen", "Risico's", "Dekking", "Begroting", "Risicomatrix"]:
        page.get_by_role("navigation", name="Register risico’s en maatregelen").get_by_role(
            "link", name=link, exact=True
        ).click()
        check_axe(page, link)

    # Export to Excel.
    page.get_by_role("navigation", name="Register risico’s en maatregelen").get_by_role("link", name="Excel").click()
    check_axe(page, "excel")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Alle registers downloaden")).click()
    download = download_info.value
    assert download.suggested_filename == "weerbaar-register-demostad.xlsx"
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    titles = [r[1] for r in wb["Risico's"].iter_rows(min_row=2, values_only=True)]
    assert "Verstoring van de raadsvergadering" in titles
    measures = [r[1] for r in wb["Maatregelen"].iter_rows(min_row=2, values_only=True)]
    assert "Oefening ordeverstoring met griffie en bode" in measures

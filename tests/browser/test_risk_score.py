"""The risk form shows the score and its place against the acceptance level while choosing, by keyboard."""

import re

import pytest
from django.core.management import call_command

from .conftest import check_axe
from .test_journeys import login_by_keyboard

pytestmark = pytest.mark.browser


def test_risk_form_shows_the_live_score_and_level(live_server, page):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    login_by_keyboard(page, live_server.url, "coordinator@demostad.example")
    page.goto(live_server.url + "/g/demostad/risico/risicos/nieuw/")
    page.get_by_label(re.compile("^Bruto kans")).select_option("3")
    page.get_by_label(re.compile("^Bruto impact")).focus()
    page.keyboard.press("ArrowDown")  # the first level
    page.get_by_label(re.compile("^Bruto impact")).select_option("4")
    output = page.locator("#id_inherent_impact-score")
    assert output.inner_text() == "Bruto score: 3 × 4 = 12 (boven de acceptatiegrens)"
    page.get_by_label(re.compile("^Bruto impact")).select_option("1")
    assert output.inner_text() == "Bruto score: 3 × 1 = 3 (acceptabel)"
    assert "Boven 6 is een risico niet acceptabel" in page.content()
    check_axe(page, "risk form with live score")

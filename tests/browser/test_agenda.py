"""The calendar's pages at 320 CSS pixels: nothing but a labelled table region scrolls sideways,
the filter's list of kinds (a fieldset) stays inside the page, axe-core passes."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.agenda.demo import load_agenda_demo
from weerbaar.core.audit import acting_as
from weerbaar.training.demo import load_training_demo

from .conftest import check_axe, check_reflow
from .test_journeys import login_by_keyboard

CALENDAR = "/g/demostad/kalender/"


@pytest.fixture
def calendar_org(demo):
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_training_demo(org)
        load_agenda_demo(org)
    return org


def test_the_calendar_pages_reflow_at_320_px_and_the_kinds_filter_wraps(live_server, calendar_org, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(base + CALENDAR)
    kinds = page.get_by_role("group", name="Soort")
    assert kinds.count() == 1
    page.set_viewport_size({"width": 320, "height": 800})
    # A fieldset is by default as wide as its widest line (min-content); the form style lets it shrink.
    assert kinds.evaluate("el => getComputedStyle(el).minInlineSize") == "0px"
    box = kinds.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    for label, path in {
        "calendar": CALENDAR,
        "calendar filtered": CALENDAR + "?soort=ensia&soort=planning&te_laat=on",
        "feed and reminders": CALENDAR + "abonnement/",
        "planning moments": CALENDAR + "instellingen/",
        "new moment": CALENDAR + "instellingen/nieuw/",
    }.items():
        response = page.goto(base + path)
        assert response.status == 200, (label, response.status)
        check_reflow(page, label)
        check_axe(page, label)

"""An editor takes a building block out of view only after a confirmation page, by keyboard."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.knowledge.content import load_all

from .conftest import check_axe
from .test_journeys import login_by_keyboard

pytestmark = pytest.mark.browser


def test_unpublishing_asks_first(live_server, demo, page):
    with scopes_disabled():
        load_all()
    login_by_keyboard(page, live_server.url, "redacteur@weerbaar.example")
    page.goto(live_server.url + "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/")
    page.get_by_role("button", name="Terugzetten naar concept").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text().endswith("terugzetten naar concept?")
    check_axe(page, "unpublish confirmation")
    page.get_by_role("button", name="Ja, terugzetten naar concept").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Publiceren").is_visible()

"""'Mijn sessies' in the browser: a second sign-in is listed and ended by keyboard; axe-core clean."""

import re

from .conftest import check_axe
from .test_journeys import login_by_keyboard


def test_viewer_ends_a_session_on_another_browser(live_server, demo, browser, page):
    base = live_server.url
    other_context = browser.new_context(locale="nl-NL")
    other = other_context.new_page()
    try:
        login_by_keyboard(other, base, "lezer@demostad.example")
        login_by_keyboard(page, base, "lezer@demostad.example")

        page.goto(base + "/account/sessies/")
        assert page.get_by_role("heading", level=1).inner_text() == "Mijn sessies"
        check_axe(page, "mijn sessies")
        rows = page.locator("table tbody tr")
        assert rows.count() == 2
        assert "deze sessie" in rows.nth(0).inner_text()

        page.get_by_role("button", name=re.compile(r"^Beëindigen \(")).focus()
        page.keyboard.press("Enter")
        page.get_by_text("De sessie is beëindigd.").wait_for()
        assert page.locator("table tbody tr").count() == 1
        check_axe(page, "mijn sessies na beëindigen")

        other.goto(base + "/account/sessies/")
        assert "/account/login/" in other.url
    finally:
        other_context.close()

"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited."""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM must still work here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # axe-core is injected by the test, which the page's strict CSP would otherwise refuse.
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def check_axe(page, label: str = ""):
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page and fail on any violation."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"axe-core on {label or page.url}: {json.dumps(violations, indent=1)}"
    return result


REFLOW_SCRIPT = """(width) => {
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && !el.closest('.weerbaar-table-wrap, .weerbaar-scroll')) {
      wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8)};
}"""


def check_reflow(page, label: str = "", width: int = 320):
    """WCAG 1.4.10: at 320 CSS px the page does not scroll sideways (only a labelled table region may)."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    try:
        result = page.evaluate(REFLOW_SCRIPT, width)
    finally:
        page.set_viewport_size(original)
    assert result["scrollWidth"] <= width, f"{label or page.url} is {result['scrollWidth']} px wide: {result['wide']}"

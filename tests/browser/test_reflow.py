"""Reflow (WCAG 2.1 1.4.10) and axe-core on every page type: at 320 CSS px nothing makes the page scroll sideways.

A crawler follows the links a coordinator and a board member see, from their start page, and
checks one page of every URL shape (ids replaced): wide tables must scroll inside their own region,
forms and menus must wrap. axe-core does not test this, so this test does.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from .conftest import AXE, REFLOW_SCRIPT
from .test_journeys import login_by_keyboard

pytestmark = pytest.mark.browser

SKIP = re.compile(
    r"(\.xlsx|\.docx|\.pdf|\.ics|/word/|/pdf/|/excel/|/export|/downloaden/|/document/|openapi|/api/|"
    r"/account/logout|/taal/|/sjabloon|/2fa/|/feed/|/agenda\.ics)"
)
MAX_PAGES = 140


def shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


AXE_RUN = """async () => { const r = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return r.violations.map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')); }"""


def crawl(page, base: str, start: str) -> tuple[list[str], list[str]]:
    """Reflow and axe-core (WCAG 2.1 A/AA) on one page of every URL shape reachable from ``start``."""
    seen_shapes, checked, failures = set(), [], []
    queue = [start]
    while queue and len(checked) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if shape(path) in seen_shapes or SKIP.search(url):
            continue
        seen_shapes.add(shape(path))
        response = page.goto(url)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        checked.append(path)
        result = page.evaluate(REFLOW_SCRIPT, 320)
        if result["scrollWidth"] > 320:
            failures.append(f"{path}: {result['scrollWidth']} px {result['wide'][:3]}")
        page.evaluate(AXE.read_text())
        failures.extend(f"{path}: axe-core {v}" for v in page.evaluate(AXE_RUN))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            if target.startswith(base) and shape(urlsplit(target).path) not in seen_shapes:
                queue.append(target)
    return checked, failures


@pytest.mark.parametrize("email", ["coordinator@demostad.example", "bestuur@demostad.example"])
def test_every_page_type_reflows_at_320_px_and_passes_axe(live_server, page, email):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    base = live_server.url
    login_by_keyboard(page, base, email)
    page.set_viewport_size({"width": 320, "height": 800})
    checked, failures = crawl(page, base, base + "/g/demostad/")
    assert len(checked) >= 25, f"the crawl reached only {checked}"
    assert not failures, "pages wider than 320 px or with axe-core violations:\n" + "\n".join(failures)


def test_every_page_a_visitor_sees_reflows_and_passes_axe(live_server, page):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    checked, failures = crawl(page, base, base + "/kennisbank/")
    assert len(checked) >= 10, f"the crawl reached only {checked}"
    assert not failures, "pages wider than 320 px or with axe-core violations:\n" + "\n".join(failures)

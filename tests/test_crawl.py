"""Every link a person is shown leads somewhere: crawled as every role, as a national editor and as a visitor.

The crawler starts where each person starts, follows every link into the product that a page
shows them (one page of every URL shape: ids and query values replaced) and asks for it. A link
may not end in a server error (the test client raises it), a 404 (a broken link), a 403 (an
action the role is refused: pages must not offer it) or a 405 (a link to something that only
takes a form post). This is the outside crawler's check, kept in the suite.
"""

import re
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

from .conftest import member

HREF = re.compile(r'href="([^"]+)"')
# Not pages: sign-out, language switch, documents and feeds (their own tests open them), static files.
SKIP = re.compile(
    r"(^/static/|^/media/|/account/logout|/taal/|\.(xlsx|docx|pdf|ics|png|svg|zip)$|/(word|pdf|excel)/$|"
    r"/downloaden/|/bestand/|/export|/feed/|/api/)"
)
MAX_PAGES = 600


def _shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def crawl(client, starts: list[str]) -> tuple[int, list[str]]:
    seen, queue, problems, visited = set(), list(starts), [], 0
    referrer = dict.fromkeys(starts, "(start)")
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        cache.clear()  # rate limits of anonymous search are not what this test is about
        response = client.get(url)
        visited += 1
        if response.status_code in (403, 404, 405):
            problems.append(f"{url} ({response.status_code}), linked from {referrer[url]}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            target = urljoin(url, unescape(href)).split("#")[0]
            if not target.startswith("/") or target.startswith("//") or SKIP.search(urlsplit(target).path):
                continue
            if _shape(target) not in seen:
                referrer.setdefault(target, url)
                queue.append(target)
    return visited, problems


@pytest.fixture
def full_demo(demo):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # every app's demo rows, as `make run` has them
    return demo


@pytest.mark.parametrize("local", ["coordinator", "expert", "bestuur", "auditor", "lezer"])
def test_every_link_a_member_is_shown_answers(client, full_demo, local):
    client.force_login(member(full_demo["demostad"], local).user, backend="django.contrib.auth.backends.ModelBackend")
    visited, problems = crawl(client, ["/", "/g/demostad/"])
    assert visited > 40, f"the crawl reached only {visited} pages"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("email", ["redacteur@weerbaar.example", "beheer@weerbaar.example"])
def test_every_link_a_national_role_is_shown_answers(client, full_demo, email):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
    visited, problems = crawl(client, ["/", "/kennisbank/"])
    assert visited > 15, f"the crawl reached only {visited} pages"
    assert not problems, "\n".join(problems)


def test_every_link_a_visitor_is_shown_answers(client, full_demo):
    visited, problems = crawl(client, ["/", "/kennisbank/"])
    assert visited > 15, f"the crawl reached only {visited} pages"
    assert not problems, "\n".join(problems)

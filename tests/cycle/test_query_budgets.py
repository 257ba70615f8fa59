"""The cycle's list pages and API lists: the query count does not grow with the rows."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.cycle.testdata import generate

from ..conftest import member

YEAR = timezone.localdate().year
BASE = "/g/demostad/jaarplan/"
PAGES = {
    f"?jaar={YEAR}": 16,
    f"?jaar={YEAR}&status=open&sorteer=status&pagina=2": 16,
    "te-laat/": 16,
    f"voortgang/?jaar={YEAR}": 14,
    "meerjarig/": 16,
    "controles/": 16,
    "bevindingen/": 14,
    "afwijkingen/": 14,
}
API = {
    "/api/v1/actions?limit=50": 14,
    "/api/v1/checks?limit=50": 14,
    "/api/v1/findings?limit=50": 12,
    "/api/v1/deviations?limit=50": 12,
}


def _count(client, url, **headers) -> int:
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow_with_rows(cycle, login, django_assert_max_num_queries):
    client = login(member(cycle, "coordinator").user)
    with scopes_disabled():
        _, raw = api_token_create(membership=member(cycle, "coordinator"), name="budget")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api = Client()
    few = {url: _count(client, BASE + url) for url in PAGES}
    few_api = {url: _count(api, url, **headers) for url in API}
    with scopes_disabled():
        generate(organisation=cycle, actions=300, checks=60)
    for url, budget in PAGES.items():
        with django_assert_max_num_queries(budget):
            assert client.get(BASE + url).status_code == 200
        assert _count(client, BASE + url) == few[url], url
    for url, budget in API.items():
        with django_assert_max_num_queries(budget):
            assert api.get(url, **headers).status_code == 200
        assert _count(api, url, **headers) == few_api[url], url


def test_list_pages_count_their_rows_without_grouping(cycle, login):
    """The number of rows for the pager is a plain COUNT; the findings per row are counted for the
    rows on the page only (a joined count would group every matching action or check)."""
    client = login(member(cycle, "coordinator").user)
    with scopes_disabled():
        generate(organisation=cycle, actions=60, checks=20)
    for url in (f"?jaar={YEAR}&status=open", "controles/"):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(BASE + url)
        assert page.status_code == 200
        counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(")]
        assert counts, url
        assert not [sql for sql in counts if "GROUP BY" in sql or "JOIN" in sql], url

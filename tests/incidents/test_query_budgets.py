"""Register pages and the API list read a fixed number of queries, however many incidents there are;
the patterns page counts in the database."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.incidents.testdata import generate

from ..conftest import member

BASE = "/g/demostad/incidenten/"


def _count(client, url, **headers) -> int:
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("local", ["coordinator", "lezer"])
def test_query_counts_do_not_grow_with_incidents(
    register, client, local, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year
    pages = {
        "": 20,
        "?q=Incident&sorteer=ernst&pagina=2": 20,
        f"?jaar={year}&ernst=3": 20,
        f"rode-draden/?jaar={year}": 30,
        "export.xlsx": 20,
    }
    client.force_login(member(register, local).user, backend="django.contrib.auth.backends.ModelBackend")
    with scopes_disabled():
        generate(organisation=register, incidents=150)
        _, raw = api_token_create(membership=member(register, local), name="budget")
    api = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    few = {url: _count(client, BASE + url) for url in pages if not url.endswith(".xlsx")}
    few_api = _count(api, "/api/v1/incidents?limit=50", **headers)
    # As in production: after the commit the shared counts are made again, by the writer.
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        generate(organisation=register, incidents=400, seed=9)
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            assert client.get(BASE + url).status_code == 200
        if url in few:
            assert _count(client, BASE + url) == few[url], url
    with django_assert_max_num_queries(25):
        assert api.get("/api/v1/incidents?limit=50", **headers).status_code == 200
    assert _count(api, "/api/v1/incidents?limit=50", **headers) == few_api

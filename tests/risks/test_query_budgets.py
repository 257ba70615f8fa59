"""Lists count and annotate only the rows they show: the query count of a list page or API list
does not grow with the register, and the counts shown are those of the whole link tables."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.api import listcache
from weerbaar.risks import selectors, summary
from weerbaar.risks.models import Asset, Measure, Risk
from weerbaar.risks.testdata import generate

from ..conftest import member

BASE = "/g/demostad/risico/"
PAGES = {
    "risicos/": 16,
    "risicos/?sorteer=bruto&pagina=2": 16,
    "maatregelen/": 16,
    "bedrijfsmiddelen/": 14,
}
# Built: the token, the data versions (api.listcache), the page's ids with the count, the rows
# with their links (api.lists.values_page); measures also read the framework thread. Kept: the
# token and the versions. On PostgreSQL the database cache of the token-use log may add up to four.
API = {"/api/v1/risks?limit=50": 4, "/api/v1/measures?limit=50": 5, "/api/v1/assets?limit=50": 4}
API_KEPT = 2
API_CACHE_ALLOWANCE = 4 if connection.vendor == "postgresql" else 0


@pytest.fixture
def token_headers(register):
    with scopes_disabled():
        _, raw = api_token_create(membership=member(register, "coordinator"), name="budget")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _count_queries(client, url, *, built=False, **headers) -> int:
    client.get(url, **headers)  # warm caches (matrix, session, token use) so both runs compare alike
    if built:  # the API list built again, not the answer kept since the warming call
        listcache.store.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow_with_rows(
    register, coordinator_client, token_headers, django_assert_max_num_queries
):
    few = {url: _count_queries(coordinator_client, BASE + url) for url in PAGES}
    api = Client()  # a token and no session, as an integration calls
    few_api = {url: _count_queries(api, url, built=True, **token_headers) for url in API}
    with scopes_disabled():
        generate(organisation=register, assets=120, risks=300, measures=400)
    for url, budget in PAGES.items():
        with django_assert_max_num_queries(budget):
            response = coordinator_client.get(BASE + url)
        assert response.status_code == 200
        assert _count_queries(coordinator_client, BASE + url) == few[url], url
    for url, budget in API.items():
        with django_assert_max_num_queries(budget + API_CACHE_ALLOWANCE):
            response = api.get(url, **token_headers)
        assert response.status_code == 200
        assert len(response.json()["items"]) == 50
        assert _count_queries(api, url, built=True, **token_headers) == few_api[url], url
        assert _count_queries(api, url, **token_headers) == API_KEPT, url  # the kept answer


def test_list_counts_equal_whole_table_annotations(register):
    with scopes_disabled():
        generate(organisation=register, assets=30, risks=80, measures=120)
    with scope(organisation=register.pk):
        expected = {
            r.pk: (r.n, r.eff)
            for r in Risk.objects.filter(organisation=register).annotate(
                n=Count("measures", distinct=True),
                eff=Count("measures", filter=Q(measures__status__in=Measure.EFFECTIVE), distinct=True),
            )
        }
        got = {r.pk: (r.measure_count, r.effective_count) for r in selectors.risk_list(organisation=register)}
        assert got == expected and any(n for n, _ in got.values())
        page = list(selectors.risk_list(organisation=register, sort="titel")[10:35])
        assert [(r.measure_count, r.effective_count) for r in page] == [expected[r.pk] for r in page]
        measures = {
            m.pk: m.n for m in Measure.objects.filter(organisation=register).annotate(n=Count("risks", distinct=True))
        }
        assert {m.pk: m.risk_count for m in selectors.measure_list(organisation=register)} == measures
        assets = {
            a.pk: a.n for a in Asset.objects.filter(organisation=register).annotate(n=Count("risks", distinct=True))
        }
        assert {a.pk: a.risk_count for a in selectors.asset_list(organisation=register)} == assets
        attention = list(selectors.attention_risks(organisation=register))
        assert [(r.measure_count, r.effective_count) for r in attention] == [expected[r.pk] for r in attention]


def test_api_list_items_equal_the_detail(register, coordinator_client, token_headers):
    for kind in ("risks", "measures"):
        items = coordinator_client.get(f"/api/v1/{kind}?limit=20", **token_headers).json()["items"]
        assert items
        for item in items:
            detail = coordinator_client.get(f"/api/v1/{kind}/{item['id']}", **token_headers).json()
            assert item == detail


def test_integral_view_reads_the_kept_overlaps_in_a_fixed_number_of_queries(register, coordinator_client):
    """Once the overlap summary is built, the integral view runs no self-join of the link tables,
    and its query count does not grow with the register."""
    coordinator_client.get(BASE)
    few = _count_queries(coordinator_client, BASE)
    with scopes_disabled():
        generate(organisation=register, assets=60, risks=200, measures=400)
    first = coordinator_client.get(BASE)  # rebuilds the summary: the generator's writes made it out of date
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = coordinator_client.get(BASE)
    assert response.status_code == 200
    assert len(ctx.captured_queries) == few <= 23
    assert not any("rb.measure_id > ra.measure_id" in q["sql"] for q in ctx.captured_queries)
    with scope(organisation=register.pk):
        _, total = summary.compute_groups(organisation_id=register.pk, limit=1)
    assert total > 25
    assert f"De eerste 25 van {total} gevallen." in response.content.decode()

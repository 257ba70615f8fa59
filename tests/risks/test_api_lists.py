"""The API lists of assets, risks and measures: one query per page, and the same answer per item as
the detail of that id (links in the same order, amounts and dates written the same way)."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.framework.demo import load_framework_demo
from weerbaar.knowledge.content import load_laws
from weerbaar.knowledge.models import Bio2Measure, Theme
from weerbaar.risks import api as risks_api
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Asset, Measure, Risk
from weerbaar.risks.testdata import generate

KINDS = {"assets": Asset, "risks": Risk, "measures": Measure}
SCHEMAS = {"assets": risks_api.AssetList, "risks": risks_api.RiskList, "measures": risks_api.MeasureList}


@pytest.fixture
def threaded(demo, catalogue):
    """Demostad with framework version 1 adopted (measures link to its goals and principles),
    the demo register, and a generated register beside it."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(org)
        load_risks_demo(org)
        generate(organisation=org, assets=12, risks=30, measures=40)
    return org


def _pages(call, kind, size):
    items, offset = [], 0
    while True:
        page = call("GET", f"/{kind}?limit={size}&offset={offset}").json()
        items += page["items"]
        offset += size
        if offset >= page["count"]:
            return page["count"], items


@pytest.mark.parametrize("kind", KINDS)
def test_every_list_item_equals_the_detail_in_content_and_key_order(threaded, api, kind):
    call = api(threaded, "coordinator")
    count, items = _pages(call, kind, 17)
    with scopes_disabled():
        assert count == KINDS[kind].objects.filter(organisation=threaded).count() == len(items)
    assert items == call("GET", f"/{kind}?limit=1000").json()["items"]  # pages continue one order
    assert len({i["id"] for i in items}) == count
    linked = 0
    for item in items:
        detail = call("GET", f"/{kind}/{item['id']}").json()
        assert item == detail
        assert list(item) == list(detail)
        linked += any(isinstance(v, list) and v for v in item.values())
    if kind != "assets":
        assert linked > 10  # the comparison covered items with links, not only empty lists


def test_measure_items_carry_the_framework_thread_bio2_numbers_and_amounts(threaded, api):
    call = api(threaded, "coordinator")
    with scopes_disabled():
        measure = Measure.objects.filter(organisation=threaded, goals__isnull=False).first()
        Measure.objects.filter(pk=measure.pk).update(cost_once=Decimal("2500"), deadline=datetime.date(2027, 3, 1))
        numbers = list(Bio2Measure.objects.filter(status=Bio2Measure.Status.MEASURE).order_by("order")[:3])
        measure.bio2_measures.set(reversed(numbers))
    item = next(i for i in call("GET", "/measures?limit=1000").json()["items"] if i["id"] == measure.pk)
    assert item["goals_source"] == "adopted" and item["goals"] and item["principles"] is not None
    assert item["bio2_measures"] == [b.number for b in numbers]  # the catalogue's order, not the order set
    assert item["cost_once"] == "2500.00" and item["deadline"] == "2027-03-01"
    assert item == call("GET", f"/measures/{measure.pk}").json()


def test_link_lists_follow_the_related_order_not_the_ids(register, api):
    call = api(register, "coordinator")
    created = [call("POST", "/assets", {"name": name}).json()["id"] for name in ("Zuidpost", "Archief", "Meldkamer")]
    themes = list(Theme.objects.order_by("-order")[:3])  # created in the reverse of their order
    response = call(
        "POST",
        "/risks",
        {
            "title": "Aaa eerste risico",
            "themes": [t.slug for t in themes],
            "assets": created,
            "inherent_likelihood": 5,
            "inherent_impact": 5,
        },
    )
    assert response.status_code == 201, response.content
    risk = response.json()
    item = next(i for i in call("GET", "/risks?limit=1000").json()["items"] if i["id"] == risk["id"])
    assert item["assets"] == [created[1], created[2], created[0]]  # Archief, Meldkamer, Zuidpost
    assert item["themes"] == [t.slug for t in reversed(themes)]
    assert item == risk


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_past_the_end_and_a_search_without_hits_still_count(register, api, kind):
    call = api(register, "coordinator")
    total = call("GET", f"/{kind}").json()["count"]
    assert total > 20
    assert call("GET", f"/{kind}?offset=1000000").json() == {"count": total, "items": []}
    assert call("GET", f"/{kind}?q=bestaat-nergens").json() == {"count": 0, "items": []}
    page = call("GET", f"/{kind}?limit=5&offset=3").json()
    assert page["count"] == total and len(page["items"]) == 5


@pytest.mark.parametrize("kind", KINDS)
def test_list_answers_are_what_the_openapi_document_declares(threaded, api, kind):
    """The lists write their rows without pydantic: the declared schema must still describe them."""
    response = api(threaded, "coordinator")("GET", f"/{kind}?limit=1000")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert SCHEMAS[kind].model_validate(data).model_dump(mode="json") == data


def test_lists_show_only_the_own_municipality_and_its_links(threaded, voorbeeldrecht, api):
    with scopes_disabled(), acting_as(None):
        generate(organisation=voorbeeldrecht, assets=5, risks=8, measures=9, seed=11)
        own = {
            kind: set(model.objects.filter(organisation=voorbeeldrecht).values_list("pk", flat=True))
            for kind, model in KINDS.items()
        }
    call = api(voorbeeldrecht, "coordinator")
    for kind in KINDS:
        data = call("GET", f"/{kind}?limit=1000").json()
        assert data["count"] == len(own[kind]) and {i["id"] for i in data["items"]} == own[kind]
        for item in data["items"]:
            for link in ("assets", "risks", "measures"):
                assert set(item.get(link, [])) <= own[link]

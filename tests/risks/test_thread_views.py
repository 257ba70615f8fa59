"""The thread to the framework as a coordinator meets it: measure form, measure page, coverage, API and Excel."""

import io
import json

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.audit import acting_as
from weerbaar.framework.demo import load_framework_demo
from weerbaar.framework.models import ChosenPrinciple, FrameworkVersion
from weerbaar.knowledge.content import load_laws
from weerbaar.risks import excel
from weerbaar.risks.demo import OWN_THREAD_MEASURE, load_risks_demo
from weerbaar.risks.models import Measure

from ..conftest import member
from .conftest import theme

BASE = "/g/demostad/risico/"


@pytest.fixture
def threaded(demo, catalogue):
    """Demostad as the demo loads it: framework version 1 adopted (v2 a draft), then the register."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(org)
        load_risks_demo(org)
    return org


def _adopted(org):
    with scopes_disabled():
        return FrameworkVersion.objects.get(organisation=org, status="adopted")


def _own_principle(org) -> ChosenPrinciple:
    with scopes_disabled():
        return ChosenPrinciple.objects.get(version=_adopted(org), catalogue_principle__isnull=True)


def test_demo_links_a_measure_to_the_adopted_own_principle_and_goal(threaded):
    own = _own_principle(threaded)
    with scopes_disabled():
        measure = Measure.objects.get(organisation=threaded, reference=OWN_THREAD_MEASURE)
        assert own in measure.principles.all()
        assert any(g.is_own for g in measure.goals.all())
        # Every demo link points at the adopted version (none at the catalogue or the v2 draft).
        adopted = _adopted(threaded)
        measures = Measure.objects.filter(organisation=threaded)
        assert not measures.filter(catalogue_goals__isnull=False).exists()
        assert not measures.filter(goals__isnull=False).exclude(goals__version=adopted).exists()
        assert measures.filter(goals__isnull=False).count() > 10


def test_form_offers_the_adopted_choice_with_own_items_marked(threaded, coordinator_client):
    page = coordinator_client.get(BASE + "maatregelen/nieuw/").content.decode()
    assert "Vastgesteld kader, versie 1" in page
    assert "Weerbare raad (eigen doel)" in page
    assert "eigen uitgangspunt" in page and "Raadsleden krijgen bij hun installatie" in page


def test_coordinator_links_a_measure_to_an_own_principle_and_sees_it_in_coverage(threaded, coordinator_client):
    own = _own_principle(threaded)
    with scopes_disabled():
        own_goal = _adopted(threaded).goals.get(catalogue_goal__isnull=True)
    response = coordinator_client.post(
        BASE + "maatregelen/nieuw/",
        {
            "title": "Weerbaarheidstraining voor raadsleden",
            "themes": [theme("integriteit")],
            "measure_type": "preventive",
            "kind": "personnel",
            "goals": [own_goal.pk],
            "principles": [own.pk],
            "status": "in_place",
            "cost_once": "0",
            "cost_yearly": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Raadsleden krijgen bij hun installatie" in page and "eigen uitgangspunt" in page
    assert "het vastgestelde strategisch kader (versie 1)" in page
    coverage = coordinator_client.get(BASE + "dekking/").content.decode()
    assert "Weerbare raad" in coverage and "(eigen doel)" in coverage
    assert "het vastgestelde strategisch kader (versie 1)" in coverage


def test_without_framework_the_pages_say_catalogue(register, coordinator_client):
    assert "landelijke catalogus" in coordinator_client.get(BASE + "dekking/").content.decode()
    assert "Landelijke catalogus" in coordinator_client.get(BASE + "maatregelen/nieuw/").content.decode()


def test_coverage_query_count_does_not_grow_with_measures(threaded, coordinator_client):
    def count():
        coordinator_client.get(BASE + "dekking/")
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(BASE + "dekking/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    with scopes_disabled():
        goals = list(_adopted(threaded).goals.all())
        for i in range(30):
            m = Measure.objects.create(organisation=threaded, title=f"Extra {i}", reference=f"X-{i}")
            m.goals.set(goals[: 1 + i % len(goals)])
    assert count() == before


@pytest.fixture
def call(threaded, client):
    with scopes_disabled():
        _, raw = api_token_create(membership=member(threaded, "coordinator"), name="thread")

    def _call(method, url, body=None):
        return client.generic(
            method,
            "/api/v1" + url,
            data=json.dumps(body or {}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    return _call


def test_api_lists_the_choice_and_takes_own_ids(threaded, call, voorbeeldrecht):
    thread = call("GET", "/register/framework-thread").json()
    assert thread["source"] == "adopted" and thread["version"] == 1
    own = [p for p in thread["principles"] if p["is_own"]]
    assert len(own) == 1 and own[0]["id"] == _own_principle(threaded).pk
    body = {"title": "Veiligheidsgesprek", "themes": ["integriteit"], "principles": [own[0]["id"]]}
    response = call("POST", "/measures", body)
    assert response.status_code == 201, response.content
    assert response.json()["principles"] == [own[0]["id"]] and response.json()["goals_source"] == "adopted"
    listed = call("GET", f"/measures?q={'Veiligheidsgesprek'}").json()["items"]
    assert listed[0]["principles"] == [own[0]["id"]]
    # An id that is no choice of this framework (here: far beyond any) is a 422 at the field.
    response = call("POST", "/measures", {**body, "principles": [own[0]["id"] + 100_000]})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "principles" in {p["name"] for p in response.json()["invalid_params"]}


def test_excel_round_trip_keeps_the_own_principle(threaded):
    own = _own_principle(threaded)
    with scope(organisation=threaded.pk):
        exported = excel.export_register(organisation=threaded)
        sheet = openpyxl.load_workbook(io.BytesIO(exported))[excel.MEASURE_SHEET]
        header = [c.value for c in sheet[1]]
        column = header.index("Uitgangspunten")
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == OWN_THREAD_MEASURE)
        assert f"eigen-{own.lineage.hex[:8]}" in row[column]
        measure = Measure.objects.get(organisation=threaded, reference=OWN_THREAD_MEASURE)
        measure.principles.clear()
        excel.import_register(
            organisation=threaded,
            membership=member(threaded, "coordinator"),
            upload=ContentFile(exported, name="register.xlsx"),
        )
        assert own in measure.principles.all()

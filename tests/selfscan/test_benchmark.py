"""The anonymous benchmark and the national view: aggregates only, never a group below five.

Tests try to narrow a group below five through every filter and parameter, on the page and
through the API, and check that no other municipality's name or score appears.
"""

import itertools

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from weerbaar.core.models import PROVINCES
from weerbaar.selfscan import selectors
from weerbaar.selfscan.models import ScanSettings

from ..conftest import member
from .conftest import answer_all, close, make_participant

pytestmark = pytest.mark.django_db

# Five in Utrecht with 20.000–50.000 inhabitants, two in Gelderland, one large one in Utrecht.
GROUP = [
    ("Alfa", "UT", 30_000, 2),
    ("Bravo", "UT", 35_000, 3),
    ("Charlie", "UT", 40_000, 3),
    ("Delta", "UT", 25_000, 4),
    ("Echo", "UT", 45_000, 5),
    ("Foxtrot", "GE", 30_000, 1),
    ("Golf", "GE", 12_000, 1),
    ("Hotel", "UT", 250_000, 2),
]
SECRET_NAMES = [name for name, *_ in GROUP]


@pytest.fixture
def participants(questionnaire):
    return [make_participant(n, province=p, inhabitants=i, levels=lv) for n, p, i, lv in GROUP]


@pytest.fixture
def own(demostad, coordinator, participants, open_round):
    """Demostad takes part with one closed round at level 3."""
    answer_all(open_round, coordinator, lambda a: 3)
    close(open_round, coordinator)
    with scopes_disabled():
        ScanSettings.objects.update_or_create(organisation=demostad, defaults={"benchmark_opt_in": True})
    return demostad


def _bench(org, **filters):
    with scope(organisation=org.pk):  # the caller's own scope, as in a request
        return selectors.benchmark_aggregates_scopes_disabled(organisation=org, **filters)


def test_group_of_eight_others_shows_median_and_quartiles(own):
    b = _bench(own)
    assert b.shown and b.municipalities == 8
    d = b.themes[0]
    assert d.shown and d.median == pytest.approx(2.5) and d.own == 3


def test_utrecht_middle_size_group_of_five_is_shown(own):
    b = _bench(own, size_class="middel", province="UT")
    assert b.shown and b.municipalities == 5
    assert b.themes[0].median == 3


def test_every_combination_of_filters_hides_groups_below_five(own):
    sizes = ["", *[k for k, _label in selectors.SIZE_CHOICES]]
    provinces = ["", *[k for k, _label in PROVINCES]]
    for size, province in itertools.product(sizes, provinces):
        b = _bench(own, size_class=size, province=province)
        for d in b.themes:
            if d.shown:
                assert d.count >= selectors.MIN_GROUP, (size, province)
        if not b.shown:
            assert b.municipalities == 0
            assert all(d.median is None and d.q1 is None and d.q3 is None for d in b.themes)
            assert b.radar is None
        else:
            assert b.municipalities >= selectors.MIN_GROUP


def test_a_municipality_that_did_not_opt_in_does_not_count(own):
    with scopes_disabled():
        ScanSettings.objects.filter(organisation__name="Echo").update(benchmark_opt_in=False)
    b = _bench(own, size_class="middel", province="UT")
    assert not b.shown and b.municipalities == 0


def test_open_rounds_do_not_count(own, questionnaire):
    from weerbaar.selfscan import services
    from weerbaar.selfscan.models import ScanRound

    # Another municipality with only an open round: no contribution.
    with scopes_disabled():
        org = make_participant("India", province="GE", inhabitants=30_000, levels=5)
        ScanRound.objects.filter(organisation=org).update(status=ScanRound.Status.OPEN, closed_at=None)
    b = _bench(own, province="GE")
    assert not b.shown
    assert services  # imported for clarity of what is tested


def test_own_scores_do_not_count_in_own_group(own):
    # Demostad is in Utrecht with 45.000 inhabitants; its own group in that class stays the five others.
    assert _bench(own, size_class="middel", province="UT").municipalities == 5


def test_unknown_filter_values_are_refused(own):
    with pytest.raises(ValueError):
        _bench(own, size_class="een")
    with pytest.raises(ValueError):
        _bench(own, province="XX")


def test_page_shows_the_group_and_hides_names_and_scores_of_others(own, coordinator_client):
    url = reverse("selfscan:benchmark", kwargs={"org": "demostad"})
    response = coordinator_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groep van 8 gemeenten" in html
    for name in SECRET_NAMES:
        assert name not in html
    for slug in (n.lower() for n in SECRET_NAMES):
        assert f"@{slug}.example" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"provincie": "GE"},
        {"grootte": "zeergroot"},
        {"grootte": "klein", "provincie": "GE"},
        {"grootte": "groot", "provincie": "UT"},
        {"provincie": "FR"},
    ],
)
def test_page_hides_every_group_below_five(own, coordinator_client, query):
    response = coordinator_client.get(reverse("selfscan:benchmark", kwargs={"org": "demostad"}), query)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="group-hidden"' in html
    assert "data-median" not in html and "<svg" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"provincie": "XX"},
        {"grootte": "1"},
        {"grootte": ["middel", "klein"]},
        {"provincie": "UT", "gemeente": "alfa"},
        {"grootte": "middel", "provincie": "UT", "jaar": "2020"},
    ],
)
def test_page_ignores_or_refuses_every_other_parameter(own, coordinator_client, query):
    response = coordinator_client.get(reverse("selfscan:benchmark", kwargs={"org": "demostad"}), query)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    for name in SECRET_NAMES:
        assert name not in html
    # Whatever is sent, a figure is only ever shown for a group of at least five.
    if "data-median" in html:
        import re

        assert int(re.search(r"Groep van (\d+) gemeenten", html).group(1)) >= 5


def test_page_without_opt_in_shows_no_figures(demostad, participants, coordinator_client):
    response = coordinator_client.get(reverse("selfscan:benchmark", kwargs={"org": "demostad"}))
    assert response.status_code == 200
    assert "data-median" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "status", "shown"),
    [
        ({}, 200, True),
        ({"size_class": "middel", "province": "UT"}, 200, True),
        ({"province": "GE"}, 200, False),
        ({"size_class": "zeergroot"}, 200, False),
        ({"size_class": "klein", "province": "GE"}, 200, False),
        ({"province": "XX"}, 422, None),
        ({"size_class": "mini"}, 422, None),
        ({"organisation": "alfa"}, 422, None),
        ({"min_group": "1"}, 422, None),
    ],
)
def test_api_benchmark_never_shows_a_group_below_five(own, api_client, params, status, shown):
    response = api_client("get", "/api/v1/selfscan/benchmark", **params)
    assert response.status_code == status, response.content
    body = response.content.decode()
    for name in SECRET_NAMES:
        assert name not in body
    if status == 200:
        data = response.json()
        assert data["shown"] is shown
        if not shown:
            assert data["municipalities"] == 0
            assert all(t["median"] is None and t["q1"] is None and t["q3"] is None for t in data["themes"])
        else:
            assert data["municipalities"] >= 5


def test_api_benchmark_refused_without_opt_in(demostad, participants, api_client):
    assert api_client("get", "/api/v1/selfscan/benchmark").status_code == 403


def test_national_view_for_editors_only_and_aggregated(own, client):
    from django.contrib.auth import get_user_model

    from weerbaar.core.demo import load_demo

    load_demo()
    url = reverse("selfscan:national")
    client.force_login(member(own, "coordinator").user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == 403
    editor = get_user_model().objects.get(email="redacteur@weerbaar.example")
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for name in [*SECRET_NAMES, "Demostad"]:
        assert f">{name}<" not in html
    data = selectors.national_overview_scopes_disabled()
    assert [y.municipalities for y in data["years"]] == [9]


def test_national_view_hides_a_year_below_five(questionnaire):
    for name, province, inhabitants, level in GROUP[:4]:
        make_participant(name, province=province, inhabitants=inhabitants, levels=level)
    data = selectors.national_overview_scopes_disabled()
    assert data["years"] and all(not y.shown and y.municipalities == 0 for y in data["years"])
    assert data["chart"] is None


def test_benchmark_page_query_count_does_not_grow_with_municipalities(
    own, coordinator_client, django_assert_max_num_queries, questionnaire
):
    url = reverse("selfscan:benchmark", kwargs={"org": "demostad"})
    with django_assert_max_num_queries(25) as first:
        coordinator_client.get(url)
    for i in range(4):
        make_participant(f"Extra{i}", province="NB", inhabitants=60_000, levels=2)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = coordinator_client.get(url)
    assert "Groep van 12 gemeenten" in response.content.decode()

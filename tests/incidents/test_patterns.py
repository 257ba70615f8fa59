"""The patterns page (rode draden) counts exactly what a walk over the member's incidents would
count, with months in local time, and the cached figures follow every change."""

import collections
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from weerbaar.incidents import selectors, services
from weerbaar.incidents.models import Incident
from weerbaar.incidents.testdata import generate
from weerbaar.risks.models import Asset

from ..conftest import member
from .conftest import kind, theme

BASE = "/g/demostad/incidenten/"


@pytest.fixture
def as_(client, register):
    def _as(local):
        client.force_login(member(register, local).user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _as


def _default_year() -> int:
    # make_incident records incidents two days ago
    return timezone.localtime(timezone.now() - datetime.timedelta(days=2)).year


def _reference(incidents, year):
    """What the figures must say, counted by hand over the given incidents."""
    months = {y: [0] * 12 for y in (year - 1, year)}
    themes, types, places = collections.Counter(), collections.Counter(), collections.Counter()
    for i in incidents:
        local = timezone.localtime(i.occurred_at)
        if local.year not in months:
            continue
        months[local.year][local.month - 1] += 1
        for t in i.themes.all():
            themes[(t.name, local.year)] += 1
        types[(str(i.type_obj or ""), local.year)] += 1
        if local.year == year and i.place:
            places[i.place] += 1
    return months, themes, types, places


@pytest.mark.parametrize("local", ["coordinator", "lezer"])
def test_figures_equal_a_count_by_hand(register, make_incident, local):
    year = timezone.localdate().year
    with scopes_disabled():
        generate(organisation=register, incidents=300, confidential_share=0.2)
    # On the edge of a month in local time: 1 March 00:30 in the Netherlands is still February in UTC.
    edge = timezone.make_aware(datetime.datetime(year - 1, 3, 1, 0, 30))
    make_incident(occurred_at=edge, place="Rand van de maand", incident_type=kind("inbraak-diefstal"))
    with scopes_disabled():
        membership = member(register, local)
    with scope(organisation=register):
        visible = list(
            selectors.visible_incidents(membership=membership)
            .prefetch_related("themes")
            .select_related("incident_type", "local_type")
        )
        p = selectors.member_patterns(membership=membership, year=year)
        everything = Incident.objects.count()
    assert local == "coordinator" or len(visible) < everything
    months, themes, types, places = _reference(visible, year)
    figures = {f.chart.key: f for f in p.figures}
    assert figures["per-maand"].rows == [[selectors.MONTHS[m], months[year - 1][m], months[year][m]] for m in range(12)]
    assert months[year - 1][2] >= 1  # the edge incident counts in March
    assert (p.total, p.previous_total) == (sum(months[year]), sum(months[year - 1]))
    assert {r[0]: (r[1], r[2]) for r in figures["per-thema"].rows} == {
        name: (themes[(name, year - 1)], themes[(name, year)]) for name, _ in themes
    }
    assert {r[0]: (r[1], r[2]) for r in figures["per-soort"].rows} == {
        name: (types[(name, year - 1)], types[(name, year)]) for name, _ in types
    }
    assert [r[2] for r in figures["per-soort"].rows] == sorted((r[2] for r in figures["per-soort"].rows), reverse=True)
    top = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert [tuple(r) for r in figures["per-plaats"].rows] == top
    first = min(timezone.localtime(i.occurred_at).year for i in visible)
    assert p.years == list(range(year, first - 1, -1))


def test_cold_figures_cost_the_same_number_of_queries_for_more_incidents(register):
    year = timezone.localdate().year
    with scopes_disabled():
        coordinator = member(register, "coordinator")
        generate(organisation=register, incidents=100)

    def cold_queries():
        with scope(organisation=register), CaptureQueriesContext(connection) as ctx:
            selectors.patterns(
                base=selectors.visible_incidents(membership=coordinator), organisation=register, year=year
            )
        return len(ctx.captured_queries)

    few = cold_queries()
    with scopes_disabled():
        generate(organisation=register, incidents=500, seed=11)
    assert cold_queries() == few <= 12


def test_cached_figures_follow_new_incidents_and_renamed_assets(as_, make_incident, register):
    year = _default_year()
    url = f"{BASE}rode-draden/?jaar={year}"
    c = as_("coordinator")
    with scopes_disabled():
        asset = Asset.objects.filter(organisation=register).first()
    make_incident(assets=[asset], place="Stadskantoor, balie")
    make_incident(assets=[asset], place="Stadskantoor, balie")
    page = c.get(url).content.decode()
    assert f"2 incidenten in {year}" in page and asset.name in page
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).content.decode().count(asset.name) == page.count(asset.name)
    assert not [q for q in ctx.captured_queries if "GROUP BY" in q["sql"]]  # from the cache
    make_incident(place="Stadskantoor, balie")
    assert f"3 incidenten in {year}" in c.get(url).content.decode()
    with scopes_disabled():
        asset.name = "Hernoemd bedrijfsmiddel"
        asset.save()
    assert "Hernoemd bedrijfsmiddel" in c.get(url).content.decode()
    with scopes_disabled():
        incident = Incident.objects.filter(organisation=register).first()
        services.incident_delete(membership=member(register, "coordinator"), incident=incident)
    assert f"2 incidenten in {year}" in c.get(url).content.decode()


def test_viewer_and_coordinator_do_not_share_cached_figures(as_, make_incident, register):
    year = _default_year()
    url = f"{BASE}rode-draden/?jaar={year}"
    make_incident()
    make_incident(
        title="Vertrouwelijk",
        incident_type=kind("integriteitsschending"),
        themes=[theme("integriteit")],
        confidential=True,
        place="Geheime plek",
    )
    assert f"2 incidenten in {year}" in as_("coordinator").get(url).content.decode()
    viewer = as_("lezer").get(url).content.decode()
    assert f"1 incidenten in {year}" in viewer and "Geheime plek" not in viewer


def _page(client, year) -> tuple[str, list]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"{BASE}rode-draden/?jaar={year}").content.decode()
    return page, [q for q in ctx.captured_queries if "GROUP BY" in q["sql"]]


def test_after_a_committed_write_the_next_reader_counts_nothing(
    as_, make_incident, register, django_capture_on_commit_callbacks
):
    year = _default_year()
    make_incident()
    c = as_("coordinator")
    _page(c, year)
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(place="Nieuwe plek")
    page, counted = _page(c, year)
    assert f"2 incidenten in {year}" in page and "Nieuwe plek" in page
    assert not counted  # the writer made the counts again after its commit


def test_a_handler_counts_only_the_confidential_incidents_they_handle(as_, make_incident, register):
    year = _default_year()
    with scopes_disabled():
        reader, coordinator = member(register, "lezer"), member(register, "coordinator")
    make_incident()
    secret = make_incident(
        title="Vertrouwelijk",
        incident_type=kind("integriteitsschending"),
        themes=[theme("integriteit")],
        confidential=True,
        place="Geheime plek",
        handlers=[reader],
    )
    handler = _page(as_("lezer"), year)[0]
    assert f"2 incidenten in {year}" in handler and "Geheime plek" in handler
    other = _page(as_("bestuur"), year)[0]
    assert f"1 incidenten in {year}" in other and "Geheime plek" not in other
    # No longer a handler: the counts of that member go at once.
    with scopes_disabled():
        services.incident_save(
            organisation=register,
            membership=coordinator,
            incident=secret,
            title=secret.title,
            occurred_at=secret.occurred_at,
            incident_type=secret.incident_type,
            themes=[theme("integriteit")],
            place=secret.place,
            handlers=[],
        )
    after = _page(as_("lezer"), year)[0]
    assert f"1 incidenten in {year}" in after and "Geheime plek" not in after
    assert f"2 incidenten in {year}" in _page(as_("coordinator"), year)[0]


def test_counts_follow_an_incident_that_becomes_confidential_or_moves_a_year(as_, make_incident, register):
    year = _default_year()
    with scopes_disabled():
        coordinator = member(register, "coordinator")
    make_incident()
    moving = make_incident(place="Plek die verdwijnt")
    viewer = as_("lezer")
    assert "Plek die verdwijnt" in _page(viewer, year)[0]

    def change(**kw):
        values = {
            "title": moving.title,
            "occurred_at": moving.occurred_at,
            "incident_type": moving.incident_type,
            "themes": [theme("personele-beveiliging")],
            "place": moving.place,
        }
        values.update(kw)
        with scopes_disabled():
            return services.incident_save(organisation=register, membership=coordinator, incident=moving, **values)

    moving = change(confidential=True)
    page = _page(viewer, year)[0]
    assert f"1 incidenten in {year}" in page and "Plek die verdwijnt" not in page
    assert f"2 incidenten in {year}" in _page(as_("coordinator"), year)[0]
    moving = change(confidential=False, occurred_at=moving.occurred_at - datetime.timedelta(days=366))
    page = _page(viewer, year)[0]
    assert f"1 incidenten in {year}; 1 in {year - 1}" in page

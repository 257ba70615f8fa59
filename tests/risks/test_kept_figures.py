"""The integral view keeps its counts, heat-map figures and overlaps per process until the
municipality's data changes (``core.dataversion.kept``): every write shows on the next view,
also a write that bypasses Django's signals."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from weerbaar.core import dataversion
from weerbaar.core.audit import acting_as
from weerbaar.framework.demo import load_framework_demo
from weerbaar.framework.models import ChosenGoal
from weerbaar.knowledge.content import load_laws
from weerbaar.knowledge.models import SecurityGoal
from weerbaar.risks import selectors
from weerbaar.risks.models import MeasureConflict, Risk

OVERVIEW = "/g/demostad/risico/"


def _counts(html: str) -> tuple[int, ...]:
    found = re.search(r"(\d+) bedrijfsmiddelen, (\d+) risico's, (\d+) maatregelen en (\d+) open conflicten", html)
    assert found, "the register counts are on the page"
    return tuple(int(n) for n in found.groups())


def test_counts_and_heat_maps_follow_writes_that_bypass_signals(register, coordinator_client):
    first = coordinator_client.get(OVERVIEW).content.decode()
    assets, risks, measures, conflicts = _counts(first)
    with scopes_disabled():
        risk = Risk.objects.filter(organisation=register).first()
        Risk.objects.filter(pk=risk.pk).delete()
        MeasureConflict.objects.filter(organisation=register).update(state=MeasureConflict.State.OPEN)
        open_now = MeasureConflict.objects.filter(organisation=register, state=MeasureConflict.State.OPEN).count()
    assert open_now > 0
    second = coordinator_client.get(OVERVIEW).content.decode()
    assert _counts(second) == (assets, risks - 1, measures, open_now)
    with scopes_disabled():
        inherent, _ = selectors.heatmaps(organisation=register)
    assert sum(c.count for row in inherent.cells for c in row) == risks - 1


def test_overlaps_name_the_goal_as_it_is_now(register, coordinator_client):
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(register)
    with scopes_disabled():
        groups, total = selectors.overlaps(organisation=register, limit=25)
    assert groups, "the demo register with its framework has overlaps to show"
    goal = groups[0].goal
    assert goal.name in coordinator_client.get(OVERVIEW).content.decode()
    model = type(goal)
    model._base_manager.filter(pk=goal.pk).update(name="Hernoemd beveiligingsdoel")
    assert "Hernoemd beveiligingsdoel" in coordinator_client.get(OVERVIEW).content.decode()


def test_a_kept_figure_is_computed_once_per_version(register):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert dataversion.kept(register.pk, "test", compute) == 1
    assert dataversion.kept(register.pk, "test", compute) == 1
    with scopes_disabled():
        Risk.objects.filter(organisation=register).update(owner="Iemand anders")
    assert dataversion.kept(register.pk, "test", compute) == 2


def test_conflicts_and_goals_change_the_version(register):
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(register)
        conflict = MeasureConflict.objects.filter(organisation=register).first()
        goal = ChosenGoal.objects.filter(organisation=register).first()
    for write in (
        lambda: MeasureConflict.objects.filter(pk=conflict.pk).update(description="Anders"),
        lambda: ChosenGoal.objects.filter(pk=goal.pk).update(name="Ander doel"),
    ):
        before = dataversion.current(register.pk)
        with scopes_disabled():
            write()
        assert dataversion.current(register.pk) != before
    before = dataversion.current(register.pk)[1]
    SecurityGoal.objects.filter(pk=SecurityGoal.objects.first().pk).update(order=7)
    assert dataversion.current(register.pk)[1] != before


def test_the_integral_view_reads_the_versions_once_and_keeps_its_figures(register, coordinator_client):
    coordinator_client.get(OVERVIEW)  # builds and keeps the figures
    with CaptureQueriesContext(connection) as built:
        dataversion.forget_kept()
        coordinator_client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as kept_page:
        coordinator_client.get(OVERVIEW)
    version_reads = [q for q in kept_page.captured_queries if "core_dataversion" in q["sql"]]
    assert len(version_reads) == 1
    assert len(kept_page.captured_queries) < len(built.captured_queries)

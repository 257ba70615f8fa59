"""The integral view's overlaps, found by the database, equal a straightforward computation."""

from collections import defaultdict
from itertools import combinations

import pytest
from django_scopes import scope, scopes_disabled

from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks import selectors
from weerbaar.risks.models import Measure
from weerbaar.risks.testdata import generate

from .factories import MeasureFactory, RiskFactory


def reference(organisation) -> list[tuple[int, int, list[int]]]:
    """Every (risk, goal) with two measures of it that have no theme in common, with all its measures."""
    groups: dict[tuple[int, int], set[int]] = defaultdict(set)
    themes = {}
    for m in Measure.objects.filter(organisation=organisation).prefetch_related("risks", "catalogue_goals", "themes"):
        themes[m.pk] = {t.pk for t in m.themes.all()}
        for r in m.risks.all():
            for g in m.catalogue_goals.all():
                groups[(r.pk, g.pk)].add(m.pk)
    return sorted(
        (r, g, sorted(ms))
        for (r, g), ms in groups.items()
        if any(not (themes[a] & themes[b]) for a, b in combinations(sorted(ms), 2))
    )


def found(organisation, limit):
    items, total = selectors.overlaps(organisation=organisation, limit=limit)
    return [(o.risk.pk, o.goal.pk, [m.pk for m in o.measures]) for o in items], total


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_overlaps_equal_the_reference_on_a_generated_register(register, voorbeeldrecht, seed):
    with scopes_disabled():
        generate(organisation=register, assets=10, risks=40, measures=120, seed=seed)
        # Another municipality's rows on the same risks' ids space must not leak in.
        generate(organisation=voorbeeldrecht, assets=5, risks=20, measures=60, seed=seed)
    with scope(organisation=register.pk):
        expected = reference(register)
        assert expected
        assert found(register, limit=10_000) == (expected, len(expected))
        assert found(register, limit=5) == (expected[:5], len(expected))


def test_overlap_cases(register):
    with scopes_disabled():
        t1, t2 = Theme.objects.order_by("pk")[:2]
        goal = SecurityGoal.objects.first()
        risk = RiskFactory(organisation=register, reference="OV-R", themes=[t1])
        shared = MeasureFactory(organisation=register, reference="OV-1", risks=[risk], themes=[t1, t2])
        only1 = MeasureFactory(organisation=register, reference="OV-2", risks=[risk], themes=[t1])
        for m in (shared, only1):
            m.catalogue_goals.set([goal])
    with scope(organisation=register.pk):
        before = reference(register)
        assert (risk.pk, goal.pk, sorted([shared.pk, only1.pk])) not in before  # a theme in common
        assert found(register, 10_000) == (before, len(before))
    with scopes_disabled():
        only2 = MeasureFactory(organisation=register, reference="OV-3", risks=[risk], themes=[t2])
        themeless = MeasureFactory(organisation=register, reference="OV-4", risks=[risk])
        for m in (only2, themeless):
            m.catalogue_goals.set([goal])
    with scope(organisation=register.pk):
        after = reference(register)
        assert (risk.pk, goal.pk, sorted([shared.pk, only1.pk, only2.pk, themeless.pk])) in after
        assert found(register, 10_000) == (after, len(after))

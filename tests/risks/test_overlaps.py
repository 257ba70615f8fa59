"""The integral view's overlaps, found by the database, equal a straightforward computation."""

import io
from collections import defaultdict
from itertools import combinations

import pytest
from django.core.management import call_command
from django.db.models import F
from django_scopes import scope, scopes_disabled

from weerbaar.core import dataversion
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks import selectors, services, summary
from weerbaar.risks.models import Measure, OverlapSummary, Risk
from weerbaar.risks.testdata import generate

from ..conftest import member
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


def kept(organisation):
    """What the integral view shows: the groups from the kept summary (limit within KEPT_GROUPS)."""
    return found(organisation, limit=summary.KEPT_GROUPS)


def test_the_kept_summary_follows_every_write(register):
    """Each kind of write that changes an overlap is seen on the next read, without a rebuild by hand."""
    with scopes_disabled():
        generate(organisation=register, assets=10, risks=30, measures=90, seed=4)
    with scope(organisation=register.pk):
        expected = reference(register)
        assert kept(register) == (expected[: summary.KEPT_GROUPS], len(expected))
        row = OverlapSummary.objects.get(organisation=register)
        assert row.built_generation == row.generation  # the read stored it
        t1, t2 = Theme.objects.order_by("pk")[:2]
        goal = SecurityGoal.objects.order_by("pk").first()
        risk = RiskFactory(organisation=register, reference="KS-R", themes=[t1])
        a = MeasureFactory(organisation=register, reference="KS-1", themes=[t1])
        b = MeasureFactory(organisation=register, reference="KS-2", themes=[t2])
        a.catalogue_goals.set([goal])
        b.catalogue_goals.set([goal])
        a.risks.add(risk)
        b.risks.add(risk)
        assert (risk.pk, goal.pk, [a.pk, b.pk]) in kept(register)[0]
        assert kept(register)[1] == len(reference(register))
        b.themes.add(t1)  # a theme in common: no overlap any more
        assert all(r != risk.pk for r, _, _ in kept(register)[0])
        b.themes.remove(t1)
        assert (risk.pk, goal.pk, [a.pk, b.pk]) in kept(register)[0]
        services.measure_delete(membership=member(register, "coordinator"), measure=b)
        assert all(r != risk.pk for r, _, _ in kept(register)[0])
        assert kept(register) == (reference(register)[: summary.KEPT_GROUPS], len(reference(register)))
        victim = kept(register)[0][0][0]
        services.risk_delete(membership=member(register, "coordinator"), risk=Risk.objects.get(pk=victim))
        assert all(r != victim for r, _, _ in kept(register)[0])
        assert kept(register) == (reference(register)[: summary.KEPT_GROUPS], len(reference(register)))


def test_a_write_during_a_rebuild_leaves_the_summary_out_of_date(register, monkeypatch):
    """The groups are stored as built for the generation read *before* the data: a write that
    commits while they are computed makes the next read rebuild them."""
    with scopes_disabled():
        generate(organisation=register, assets=10, risks=30, measures=90, seed=6)
    with scope(organisation=register.pk):
        before = kept(register)
        compute = summary.compute_groups
        victim = Measure.objects.get(pk=before[0][0][2][0])

        def with_a_concurrent_write(**kwargs):
            result = compute(**kwargs)  # computed on the data as it was
            victim.risks.clear()  # another worker's write lands meanwhile
            return result

        summary.invalidate(register.pk)
        # Below the figures the process keeps (core.dataversion.kept, which only a data change
        # renews): this is about the summary's own rebuild.
        dataversion.forget_kept()
        monkeypatch.setattr(summary, "compute_groups", with_a_concurrent_write)
        assert kept(register) == before  # this read saw the old data
        monkeypatch.setattr(summary, "compute_groups", compute)
        row = OverlapSummary.objects.get(organisation=register)
        assert row.built_generation < row.generation
        assert kept(register) == (reference(register)[: summary.KEPT_GROUPS], len(reference(register)))
        assert kept(register) != before


def test_deleting_a_theme_from_the_catalogue_refreshes_every_summary(register, voorbeeldrecht):
    with scopes_disabled():
        generate(organisation=register, assets=10, risks=30, measures=90, seed=7)
        kept(register)
        theme = Theme.objects.create(slug="tijdelijk", name="Tijdelijk")
        OverlapSummary.objects.filter(organisation=register).update(built_generation=F("generation"))
        theme.delete()
        row = OverlapSummary.objects.get(organisation=register)
        assert row.built_generation < row.generation
        assert OverlapSummary.objects.filter(organisation=voorbeeldrecht).exists()  # made with the municipality


def test_rebuild_command(register, voorbeeldrecht):
    with scopes_disabled():
        generate(organisation=register, assets=10, risks=30, measures=90, seed=8)
        OverlapSummary.objects.all().delete()  # e.g. restored without the table's rows
        call_command("rebuild_overlaps", stdout=io.StringIO())
        row = OverlapSummary.objects.get(organisation=register)
        assert row.built_generation == row.generation and row.total == len(reference(register))

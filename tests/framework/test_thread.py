"""The thread from the adopted framework to the register: measures link to the municipality's own choice.

Fixtures come from tests/framework/conftest.py: test bodies run inside Demostad's scope.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from weerbaar.core.models import AuditEntry
from weerbaar.framework import services
from weerbaar.framework.models import ChosenGoal, ChosenPrinciple
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks import selectors
from weerbaar.risks import services as risk_services
from weerbaar.risks.models import Measure
from weerbaar.risks.thread import thread_for

from ..conftest import member


def _measure(org, coordinator, **links):
    theme = Theme.objects.order_by("order").first()
    return risk_services.measure_save(
        organisation=org, membership=coordinator, title="Veiligheidsgesprek raadsleden", themes=[theme], **links
    )


def _adopt(version, coordinator, board, on=datetime.date(2026, 4, 14), ref="B&W 2026/0412"):
    services.version_submit(version=version, membership=coordinator)
    return services.version_adopt(
        version=version,
        membership=board,
        adopted_on=on,
        decision_reference=ref,
        adopted_by_body="college van burgemeester en wethouders",
    )


def test_without_framework_measures_link_to_the_labelled_catalogue(demostad, coordinator):
    thread = thread_for(organisation=demostad)
    assert thread.source == "catalogue" and "Landelijke catalogus" in thread.label
    goal = SecurityGoal.objects.get(slug="detecteren")
    measure = _measure(demostad, coordinator, goals=[goal])
    assert list(measure.catalogue_goals.all()) == [goal] and not measure.goals.exists()


def test_a_draft_choosing_a_catalogue_goal_takes_over_the_catalogue_links(demostad, coordinator, draft):
    goal = SecurityGoal.objects.get(slug="detecteren")
    measure = Measure.objects.create(organisation=demostad, title="Camera's")
    measure.catalogue_goals.add(goal)
    entry = draft.steps.get(step="doelen")
    services.step_save(
        entry=entry,
        expected_revision=entry.revision,
        membership=coordinator,
        goals=[services.GoalInput(catalogue_goal=goal)],
    )
    chosen = draft.goals.get(catalogue_goal=goal)
    assert list(measure.goals.all()) == [chosen] and not measure.catalogue_goals.exists()
    thread = thread_for(organisation=demostad)
    assert thread.source == "draft" and "concept" in thread.label


def test_measure_links_to_own_items_of_the_adopted_version_only(demostad, coordinator, adopted, voorbeeldrecht):
    own_goal = adopted.goals.get(catalogue_goal__isnull=True)
    own_principle = adopted.principles.get(catalogue_principle__isnull=True)
    measure = _measure(demostad, coordinator, goals=[own_goal], principles=[own_principle])
    assert list(measure.principles.all()) == [own_principle] and list(measure.goals.all()) == [own_goal]
    # An item of the new draft is not (yet) a choice of the adopted framework.
    v2 = services.version_create_from(source=adopted, membership=coordinator)
    with pytest.raises(ValidationError) as e:
        _measure(demostad, coordinator, principles=[v2.principles.first()])
    assert "versie 1" in str(e.value.message_dict["principles"])


def test_adopting_a_new_version_moves_links_by_identity_and_lineage_and_reports_the_rest(
    demostad, coordinator, board, adopted
):
    own_goal = adopted.goals.get(catalogue_goal__isnull=True)
    own_principle = adopted.principles.get(catalogue_principle__isnull=True)
    catalogue_goal = adopted.goals.filter(catalogue_goal__isnull=False).first()
    dropped = adopted.goals.filter(catalogue_goal__isnull=False).exclude(pk=catalogue_goal.pk).first()
    measure = _measure(demostad, coordinator, goals=[own_goal, catalogue_goal, dropped], principles=[own_principle])
    v2 = services.version_create_from(source=adopted, membership=coordinator)
    new_own = v2.goals.get(catalogue_goal__isnull=True)
    assert new_own.lineage == own_goal.lineage and new_own.pk != own_goal.pk
    # The draft renames the own goal (same lineage) and drops one catalogue goal.
    entry = v2.steps.get(step="doelen")
    keep = [
        services.GoalInput(catalogue_goal=g.catalogue_goal, why=g.why)
        for g in v2.goals.filter(catalogue_goal__isnull=False).exclude(catalogue_goal=dropped.catalogue_goal)
    ]
    services.step_save(
        entry=entry,
        expected_revision=entry.revision,
        membership=coordinator,
        goals=[*keep, services.GoalInput(id=new_own.pk, name="Weerbare raad en commissies", why=new_own.why)],
    )
    # Before adoption the links stay with the adopted version.
    assert set(measure.goals.all()) == {own_goal, catalogue_goal, dropped}
    _adopt(v2, coordinator, board, on=datetime.date(2026, 6, 1), ref="B&W 2026/0601")
    v2.refresh_from_db()
    assert set(measure.goals.all()) == {
        v2.goals.get(lineage=own_goal.lineage),
        v2.goals.get(catalogue_goal=catalogue_goal.catalogue_goal),
    }
    assert list(measure.principles.all()) == [v2.principles.get(lineage=own_principle.lineage)]
    assert v2.link_report == [
        {
            "kind": "goal",
            "object": "measure",
            "object_id": measure.pk,
            "object_label": str(measure),
            "item": dropped.name,
        }
    ]
    with scopes_disabled():
        event = AuditEntry.objects.filter(organisation=demostad, event="version_links_moved").latest("pk")
    assert event.after["not_mapped"] == 1


def test_coverage_shows_the_adopted_goals_with_own_goal(demostad, coordinator, adopted):
    own_goal = adopted.goals.get(catalogue_goal__isnull=True)
    _measure(demostad, coordinator, goals=[own_goal])
    goals, rows, totals = selectors.coverage(organisation=demostad)
    assert goals == list(adopted.goals.order_by("order", "id"))
    assert totals["goals"][goals.index(own_goal)] == 1
    assert totals["thread"].source == "adopted"
    # Goals the college did not choose are not columns; chosen goals without a measure are gaps.
    assert SecurityGoal.objects.count() > len([g for g in goals if g.catalogue_goal_id])
    assert own_goal not in totals["uncovered"] and len(totals["uncovered"]) == len(goals) - 1


def test_overlaps_use_the_framework_goals(demostad, coordinator, adopted):
    from tests.risks.factories import RiskFactory

    t1, t2 = Theme.objects.order_by("order")[:2]
    own_goal = adopted.goals.get(catalogue_goal__isnull=True)
    risk = RiskFactory(organisation=demostad, themes=[t1])
    for theme in (t1, t2):
        m = Measure.objects.create(organisation=demostad, title=f"Maatregel {theme.pk}")
        m.themes.set([theme])
        m.risks.set([risk])
        m.goals.set([own_goal])
    found, total = selectors.overlaps(organisation=demostad)
    assert total == 1 and found[0].goal == own_goal and len(found[0].measures) == 2


def test_the_migration_gives_copied_items_one_lineage(demostad, coordinator, adopted):
    from importlib import import_module

    from django.apps import apps

    v2 = services.version_create_from(source=adopted, membership=coordinator)
    ChosenGoal.objects.filter(version__in=[adopted, v2]).update(lineage="00000000-0000-0000-0000-000000000000")
    ChosenPrinciple.objects.filter(version__in=[adopted, v2]).update(lineage="00000000-0000-0000-0000-000000000000")
    migration = import_module("weerbaar.framework.migrations.0005_thread_lineage_and_link_report")
    with scopes_disabled():
        migration.set_lineages(apps, None)
        own1 = ChosenGoal.objects.get(version=adopted, catalogue_goal__isnull=True)
        own2 = ChosenGoal.objects.get(version=v2, catalogue_goal__isnull=True)
        assert own1.lineage == own2.lineage
        assert ChosenGoal.objects.filter(version=adopted).values("lineage").distinct().count() == adopted.goals.count()


def test_another_municipality_cannot_link_our_items(demostad, adopted, voorbeeldrecht):
    own_principle = adopted.principles.get(catalogue_principle__isnull=True)
    other = member(voorbeeldrecht, "coordinator")
    with scope(organisation=voorbeeldrecht.pk):
        services.framework_start(organisation=voorbeeldrecht, membership=other)
        with pytest.raises(ValidationError) as e:
            _measure(voorbeeldrecht, other, principles=[own_principle.pk])
    assert "principles" in e.value.message_dict

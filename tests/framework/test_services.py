import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weerbaar.core.models import AuditEntry
from weerbaar.framework import selectors, services
from weerbaar.framework.models import ChosenGoal, FrameworkVersion, Step
from weerbaar.knowledge.models import Principle, SecurityGoal

from ..conftest import member


def _entry(version, step):
    return version.steps.get(step=step)


def test_coordinator_starts_framework_with_a_draft_and_five_steps(framework):
    version = framework.versions.get()
    assert version.number == 1 and version.status == FrameworkVersion.Status.DRAFT
    assert sorted(version.steps.values_list("step", flat=True)) == sorted(Step.values)
    assert AuditEntry.objects.filter(event="framework_started").exists()


def test_a_municipality_has_one_framework(framework, demostad, coordinator):
    with pytest.raises(ValidationError):
        services.framework_start(organisation=demostad, membership=coordinator)


@pytest.mark.parametrize("local", ["expert", "bestuur", "auditor", "lezer"])
def test_only_coordinators_edit_the_framework(draft, demostad, local):
    someone = member(demostad, local)
    entry = _entry(draft, Step.VISION)
    with pytest.raises(PermissionDenied):
        services.step_save(entry=entry, expected_revision=0, membership=someone, fields={"text": "x"})
    with pytest.raises(PermissionDenied):
        services.version_submit(version=draft, membership=someone)
    entry.refresh_from_db()
    assert entry.text == "" and entry.revision == 0


def test_step_save_increments_revision_and_records_who(draft, coordinator):
    entry = services.step_save(
        entry=_entry(draft, Step.VISION), expected_revision=0, membership=coordinator, fields={"text": "Onze visie"}
    )
    assert entry.revision == 1 and entry.text == "Onze visie" and entry.updated_by == coordinator.user
    assert AuditEntry.objects.filter(object_type="framework.stepentry", action="update").exists()


def test_second_save_from_the_same_revision_is_refused_and_writes_nothing(draft, coordinator):
    entry = _entry(draft, Step.VISION)
    services.step_save(entry=entry, expected_revision=0, membership=coordinator, fields={"text": "Eerste"})
    with pytest.raises(services.StaleRevision) as caught:
        services.step_save(entry=entry, expected_revision=0, membership=coordinator, fields={"text": "Tweede"})
    assert caught.value.current.text == "Eerste"
    entry.refresh_from_db()
    assert entry.text == "Eerste" and entry.revision == 1


def test_fields_of_another_step_are_refused(draft, coordinator):
    with pytest.raises(ValidationError):
        services.step_save(
            entry=_entry(draft, Step.VISION), expected_revision=0, membership=coordinator, fields={"assets": "x"}
        )


def test_completeness_lists_what_is_missing_and_blocks_submission(draft, coordinator):
    completeness = selectors.completeness(draft)
    assert completeness.percent == 0
    labels = [item for _step, item in completeness.missing]
    assert "de eigen visie" in labels and "minstens één gekozen beveiligingsdoel" in labels
    with pytest.raises(ValidationError) as caught:
        services.version_submit(version=draft, membership=coordinator)
    assert caught.value.code == "incomplete"


def test_complete_framework_has_nothing_missing(complete_draft):
    completeness = selectors.completeness(complete_draft)
    assert completeness.missing == []
    assert all(s.percent == 100 for s in completeness.steps)


def test_no_sub_plans_yet_is_a_valid_scope(complete_draft, coordinator):
    entry = _entry(complete_draft, Step.SCOPE)
    fields = dict.fromkeys(["sub_plan_information", "sub_plan_physical"], "")
    services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, fields=fields)
    status = selectors.completeness(complete_draft).for_step(Step.SCOPE)
    assert not status.complete
    entry.refresh_from_db()
    services.step_save(
        entry=entry, expected_revision=entry.revision, membership=coordinator, fields={"no_sub_plans": True}
    )
    assert selectors.completeness(complete_draft).for_step(Step.SCOPE).complete


def test_coverage_shows_goals_without_principle_and_principles_without_goal(complete_draft, coordinator):
    goals_entry = _entry(complete_draft, Step.GOALS)
    existing = [
        services.GoalInput(catalogue_goal=g.catalogue_goal, id=g.pk, name=g.name, why=g.why)
        for g in complete_draft.goals.all()
    ]
    vertragen = SecurityGoal.objects.get(slug="vertragen")
    services.step_save(
        entry=goals_entry,
        expected_revision=goals_entry.revision,
        membership=coordinator,
        goals=[*existing, services.GoalInput(catalogue_goal=vertragen, why="Tijd winnen")],
    )
    principles_entry = _entry(complete_draft, Step.PRINCIPLES)
    current = [
        services.PrincipleInput(
            catalogue_principle=p.catalogue_principle,
            id=p.pk,
            category=p.category,
            text=p.text,
            goal_ids=[g.pk for g in p.goals.all()],
        )
        for p in complete_draft.principles.all()
    ]
    lonely = Principle.objects.get(slug="kwaliteit-scenarios")
    services.step_save(
        entry=principles_entry,
        expected_revision=principles_entry.revision,
        membership=coordinator,
        principles=[*current, services.PrincipleInput(catalogue_principle=lonely, goal_ids=[])],
    )
    coverage = selectors.coverage(complete_draft)
    assert [g.name for g in coverage.goals_without_principle] == ["Vertragen"]
    assert [p.catalogue_principle_id for p in coverage.principles_without_goal] == [lonely.pk]
    missing = [m for _s, m in selectors.completeness(complete_draft).missing]
    assert "elk doel wordt gediend door minstens één uitgangspunt" in missing


def test_principles_link_only_to_goals_of_the_same_version(complete_draft, coordinator, demostad):
    other = ChosenGoal.objects.create(organisation=demostad, version=complete_draft, name="tmp")
    other_version_goal_id = other.pk + 10_000
    entry = _entry(complete_draft, Step.PRINCIPLES)
    p = Principle.objects.first()
    with pytest.raises(ValidationError):
        services.step_save(
            entry=entry,
            expected_revision=entry.revision,
            membership=coordinator,
            principles=[services.PrincipleInput(catalogue_principle=p, goal_ids=[other_version_goal_id])],
        )


def test_board_member_adopts_and_adopted_version_is_frozen(adopted, coordinator):
    assert adopted.status == FrameworkVersion.Status.ADOPTED and adopted.is_frozen
    assert adopted.adopted_on == datetime.date(2026, 4, 14)
    assert AuditEntry.objects.filter(event="version_adopted").exists()
    entry = _entry(adopted, Step.VISION)
    with pytest.raises(services.FrozenVersion):
        services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, fields={"text": "x"})
    with pytest.raises(ValidationError):
        services.comment_add(version=adopted, step=Step.VISION, body="Nog iets", membership=coordinator)


def test_coordinator_cannot_adopt(complete_draft, coordinator):
    services.version_submit(version=complete_draft, membership=coordinator)
    with pytest.raises(PermissionDenied):
        services.version_adopt(
            version=complete_draft,
            membership=coordinator,
            adopted_on=datetime.date(2026, 1, 1),
            decision_reference="x",
            adopted_by_body="college",
        )


def test_submitted_version_is_not_editable_until_withdrawn(complete_draft, coordinator):
    services.version_submit(version=complete_draft, membership=coordinator)
    entry = _entry(complete_draft, Step.VISION)
    with pytest.raises(services.FrozenVersion):
        services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, fields={"text": "x"})
    services.version_withdraw(version=complete_draft, membership=coordinator)
    services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, fields={"text": "x"})


def test_new_version_is_a_copy_and_adopting_it_supersedes_the_old_one(adopted, coordinator, board):
    v2 = services.version_create_from(source=adopted, membership=coordinator)
    assert v2.number == 2 and v2.is_draft and v2.based_on == adopted
    assert v2.goals.count() == adopted.goals.count()
    assert v2.principles.count() == adopted.principles.count()
    for principle in v2.principles.all():
        assert all(g.version_id == v2.pk for g in principle.goals.all())
    assert _entry(v2, Step.SCOPE).laws.count() == _entry(adopted, Step.SCOPE).laws.count()
    with pytest.raises(ValidationError):
        services.version_create_from(source=adopted, membership=coordinator)  # one open version at a time
    services.version_submit(version=v2, membership=coordinator)
    services.version_adopt(
        version=v2,
        membership=board,
        adopted_on=datetime.date(2026, 6, 1),
        decision_reference="B&W 2026/0601",
        adopted_by_body="college",
    )
    adopted.refresh_from_db()
    assert adopted.status == FrameworkVersion.Status.SUPERSEDED and adopted.superseded_at


def test_comparison_shows_what_changed(adopted, coordinator):
    v2 = services.version_create_from(source=adopted, membership=coordinator)
    entry = _entry(v2, Step.VISION)
    services.step_save(
        entry=entry, expected_revision=entry.revision, membership=coordinator, fields={"text": "Een nieuwe visie"}
    )
    goals = _entry(v2, Step.GOALS)
    kept = [
        services.GoalInput(catalogue_goal=g.catalogue_goal, id=g.pk, name=g.name, why=g.why)
        for g in v2.goals.all()
        if g.name != "Ontmoedigen"
    ]
    services.step_save(entry=goals, expected_revision=goals.revision, membership=coordinator, goals=kept)
    changes = {block["step"]: block["changes"] for block in selectors.compare_versions(adopted, v2)}
    assert any(c["new"] == "Een nieuwe visie" for c in changes[Step.VISION])
    assert any(c["label"] == "Verwijderd" and c["old"] == "Ontmoedigen" for c in changes[Step.GOALS])
    assert changes[Step.QUALITY] == []


def test_comments_by_experts_and_board_resolved_by_coordinator(draft, demostad, coordinator):
    expert, board, viewer = member(demostad, "expert"), member(demostad, "bestuur"), member(demostad, "lezer")
    c1 = services.comment_add(version=draft, step=Step.VISION, body="Te lang", membership=expert)
    services.comment_add(version=draft, step=Step.VISION, body="Akkoord", membership=board)
    with pytest.raises(PermissionDenied):
        services.comment_add(version=draft, step=Step.VISION, body="x", membership=viewer)
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment=c1, membership=expert)
    services.comment_resolve(comment=c1, membership=coordinator)
    assert selectors.open_comment_counts(draft) == {Step.VISION: 1}


def test_demo_loader_is_idempotent(demostad, catalogue):
    from django_scopes import scopes_disabled

    from weerbaar.framework.demo import load_demo_frameworks

    with scopes_disabled():
        load_demo_frameworks()
        load_demo_frameworks()
        versions = list(FrameworkVersion.objects.filter(organisation=demostad).order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "adopted"), (2, "draft")]

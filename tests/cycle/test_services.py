"""The yearly plan's services: what other apps call to add actions, and what the pages call."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from weerbaar.cycle import services
from weerbaar.cycle.models import Action, Check, Deviation, Finding
from weerbaar.risks.models import Measure, Risk

from ..conftest import member
from .conftest import theme


def _create(org, who="coordinator", **kw):
    kw.setdefault("title", "Sleutelplan actualiseren")
    return services.action_create(organisation=org, membership=member(org, who), **kw)


def test_action_create_allocates_references_and_sets_links(register):
    with scope(organisation=register.pk):
        measure = Measure.objects.get(organisation=register, reference="M-007")
        risk = Risk.objects.filter(organisation=register).first()
        owner = member(register, "expert")
        first = _create(
            register,
            due_date=datetime.date(2031, 5, 1),
            owner=owner,
            themes=[theme("informatiebeveiliging")],
            measures=[measure],
            risks=[risk.pk],
        )
        second = _create(register, title="Tweede")
        assert first.reference == "A-001" and second.reference == "A-002"
        assert first.year == 2031  # the year of its due date
        assert second.year == timezone.localdate().year
        assert first.owner == owner and list(first.measures.all()) == [measure]
        assert list(measure.actions.all()) == [first]
        assert first.status == Action.Status.PLANNED


def test_action_create_reports_bad_input_in_dutch_by_field(register, demo):
    other = demo["voorbeeldrecht"]
    with scope(organisation=register.pk):
        with pytest.raises(ValidationError) as caught:
            _create(
                register,
                title="  ",
                year=1850,
                owner=member(other, "coordinator"),
                measures=[10**9],
                themes=[10**9],
            )
        errors = caught.value.message_dict
        assert set(errors) >= {"title", "year", "owner", "measures", "themes"}
        assert "gemeente" in errors["owner"][0]
        assert not Action.objects.exists()


def test_reference_moves_on_when_another_writer_took_it(register):
    with scope(organisation=register.pk):
        # Both writers were offered A-001; the first stored it before the second wrote.
        prepared = services.action_prepare(
            organisation=register, membership=member(register, "coordinator"), title="Tweede"
        )
        assert prepared.instance.reference == "A-001"
        _create(register, title="Eerste")
        second = services.write_prepared(prepared)
        assert second.reference == "A-002"


def test_roles_and_theme_limits(register):
    with scope(organisation=register.pk):
        for role in ("lezer", "bestuur", "auditor"):
            with pytest.raises(PermissionDenied):
                _create(register, who=role)
        # The demo expert is limited to information security.
        with pytest.raises(PermissionDenied):
            _create(register, who="expert", themes=[theme("fysieke-beveiliging")])
        with pytest.raises(PermissionDenied):
            _create(register, who="expert")  # no themes: only the coordinator's
        own = _create(register, who="expert", themes=[theme("informatiebeveiliging")])
        physical = _create(register, themes=[theme("fysieke-beveiliging")])
        with pytest.raises(PermissionDenied):
            services.action_save(
                organisation=register, membership=member(register, "expert"), action=physical, title="Anders"
            )
        services.action_save(
            organisation=register,
            membership=member(register, "expert"),
            action=own,
            title="Anders",
            themes=[theme("informatiebeveiliging")],
        )
        own.refresh_from_db()
        assert own.title == "Anders"


def test_action_save_refuses_a_stale_edit(register):
    with scope(organisation=register.pk):
        action = _create(register)
        coordinator = member(register, "coordinator")
        services.action_save(
            organisation=register, membership=coordinator, action=action, title="Eerst", expected_revision=0
        )
        stale = Action.objects.get(pk=action.pk)
        stale.revision = 0
        with pytest.raises(services.StaleRevision) as caught:
            services.action_save(
                organisation=register, membership=coordinator, action=stale, title="Later", expected_revision=0
            )
        assert caught.value.current.title == "Eerst"
        assert Action.objects.get(pk=action.pk).title == "Eerst"


def test_set_status_records_completion_and_the_owner_may_close_their_action(register):
    with scope(organisation=register.pk):
        expert = member(register, "expert")
        action = _create(register, themes=[theme("fysieke-beveiliging")], owner=expert)
        services.action_set_status(membership=expert, action=action, status=Action.Status.DONE)
        action.refresh_from_db()
        assert action.status == Action.Status.DONE and action.completed_at is not None
        services.action_set_status(membership=expert, action=action, status=Action.Status.IN_PROGRESS)
        action.refresh_from_db()
        assert action.completed_at is None
        with pytest.raises(ValidationError):
            services.action_set_status(membership=expert, action=action, status=Action.Status.CARRIED_OVER)
        with pytest.raises(PermissionDenied):
            services.action_set_status(membership=member(register, "lezer"), action=action, status="done")


def test_next_years_plan_carries_over_only_what_is_open(register):
    with scope(organisation=register.pk):
        coordinator = member(register, "coordinator")
        open_one = _create(register, year=2030, themes=[theme("integriteit")], owner=coordinator)
        done = _create(register, year=2030, title="Klaar", status="done")
        preview = services.carry_over_preview(organisation=register, year=2030)
        assert preview.actions == [open_one] and preview.next_year == 2031
        with pytest.raises(PermissionDenied):
            services.plan_start_next_year(organisation=register, membership=member(register, "expert"), year=2030)
        created = services.plan_start_next_year(organisation=register, membership=coordinator, year=2030)
        assert len(created) == 1
        new = created[0]
        assert new.year == 2031 and new.title == open_one.title and new.carried_from == open_one
        assert list(new.themes.all()) == list(open_one.themes.all()) and new.owner == coordinator
        open_one.refresh_from_db()
        done.refresh_from_db()
        assert open_one.status == Action.Status.CARRIED_OVER and done.status == Action.Status.DONE
        # A second click carries over nothing new.
        assert services.plan_start_next_year(organisation=register, membership=coordinator, year=2030) == []


def test_findings_lead_to_an_action_a_risk_or_a_deviation(register):
    with scope(organisation=register.pk):
        coordinator = member(register, "coordinator")
        check = services.check_save(
            organisation=register,
            membership=coordinator,
            title="Phishingtest",
            kind=Check.Kind.PHISHING,
            date=datetime.date(2026, 4, 1),
            themes=[theme("informatiebeveiliging")],
        )
        assert check.reference == "C-001"
        finding = services.finding_save(
            organisation=register, membership=coordinator, check=check, title="Veel kliks", severity=3
        )
        assert finding.reference == "B-001"
        action = services.finding_to_action(
            organisation=register, membership=coordinator, finding=finding, title="Training", year=2026
        )
        finding.refresh_from_db()
        assert finding.action == action and list(action.findings.all()) == [finding]
        risk = services.finding_to_risk(
            organisation=register,
            membership=coordinator,
            finding=finding,
            title="Phishing leidt tot datalek",
            themes=[theme("informatiebeveiliging")],
            inherent_likelihood=4,
            inherent_impact=4,
        )
        finding.refresh_from_db()
        assert finding.risk == risk and risk.reference.startswith("R-")
        with pytest.raises(ValidationError) as caught:
            services.deviation_save(
                organisation=register, membership=coordinator, title="x", reason="", accepted_by="", expires_on=None
            )
        assert set(caught.value.message_dict) == {"reason", "accepted_by", "expires_on", "owner"}
        deviation = services.deviation_save(
            organisation=register,
            membership=coordinator,
            title="Oud pakket",
            reason="Vervanging loopt",
            accepted_by="Gemeentesecretaris",
            owner=coordinator,
            expires_on=datetime.date(2027, 6, 30),
            finding=finding,
        )
        assert deviation.reference == "AF-001" and list(finding.deviations.all()) == [deviation]
        with pytest.raises(ValidationError):
            services.finding_save(organisation=register, membership=coordinator, check=check, title="Ernst", severity=9)


def test_deleting_an_action_reopens_its_findings(cycle):
    with scope(organisation=cycle.pk):
        finding = Finding.objects.exclude(action=None).first()
        services.action_delete(membership=member(cycle, "coordinator"), action=finding.action)
        finding.refresh_from_db()
        assert finding.action is None


def test_demo_holds_two_years_with_findings_and_deviations(cycle):
    with scope(organisation=cycle.pk):
        year = timezone.localdate().year
        assert set(Action.objects.values_list("year", flat=True)) == {year - 1, year}
        assert Action.objects.filter(year=year - 1, status=Action.Status.CARRIED_OVER).count() == 2
        assert Action.objects.filter(year=year).exclude(carried_from=None).count() == 2
        assert Finding.objects.exclude(action=None).count() == 3
        assert Finding.objects.filter(action=None, risk=None, deviations=None).exists()
        assert Deviation.objects.count() == 3

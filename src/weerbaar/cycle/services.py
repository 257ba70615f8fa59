"""Every write to the yearly plan and the checks. Views, the API, the import and other apps call these.

Each function takes the acting membership, asks the permission gate (``cycle/permissions.py``),
validates with Dutch messages keyed by field, writes in one transaction and leaves the audit
trail (field changes through the model signals, business events explicitly).

Other apps create actions with :func:`action_create` (an incident's evaluation, a weak
self-scan answer); a finding becomes an action with :func:`finding_to_action`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions, registers
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import Prepared, StaleRevision, write_prepared
from weerbaar.core.registers import check_revision as _check_revision
from weerbaar.core.registers import claim_revision as _claim_revision
from weerbaar.core.text import clean_line
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks import services as risk_services
from weerbaar.risks.models import Asset, Measure, Risk

from .models import Action, Check, Deviation, Finding

__all__ = ["Prepared", "StaleRevision", "write_prepared"]

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- references and writing (shared with every register: core.registers) --------------------


class ReferenceAllocator(registers.ReferenceAllocator):
    """Hands out the next free reference (A-001, C-001, B-001, AF-001) for a model in one municipality."""

    prefixes = {Action: "A-", Check: "C-", Finding: "B-", Deviation: "AF-"}


def _assign_reference(instance, reference: str, allocator=None, taken: set[str] | None = None) -> None:
    registers.assign_reference(instance, reference, ReferenceAllocator, allocator, taken)


def _full_clean(instance) -> None:
    try:
        instance.full_clean(exclude=["organisation"], validate_constraints=False)
    except ValidationError as e:
        raise ValidationError(e.message_dict) from None


def _ids(values: Iterable | None) -> set[int]:
    out = set()
    for v in values or ():
        if hasattr(v, "pk"):
            out.add(v.pk)
        else:
            try:
                out.add(int(v))
            except (TypeError, ValueError):
                out.add(-1)  # reported as unknown by the link checks
    return out


def _unknown(message: str) -> ValidationError:
    """An id or slug that names nothing here (code ``unknown``: the API reports it as such)."""
    return ValidationError(message, code="unknown")


def _check_links(errors: dict, organisation: Organisation, links: dict[str, set[int]]) -> None:
    """Every linked id exists (catalogue) or belongs to this municipality (register)."""
    sources = {
        "themes": (Theme.objects.all(), _("Onbekend thema.")),
        "goals": (SecurityGoal.objects.all(), _("Onbekend beveiligingsdoel.")),
        "measures": (Measure.objects.filter(organisation=organisation), _("Onbekende maatregel.")),
        "risks": (Risk.objects.filter(organisation=organisation), _("Onbekend risico.")),
        "assets": (Asset.objects.filter(organisation=organisation), _("Onbekend bedrijfsmiddel.")),
    }
    for name, ids in links.items():
        queryset, message = sources[name]
        if ids and queryset.filter(pk__in=ids).count() != len(ids):
            errors[name] = _unknown(message)


def _owner(errors: dict, organisation: Organisation, owner, field_name: str = "owner") -> Membership | None:
    """The owner must be a member of this municipality."""
    if owner in (None, ""):
        return None
    owner_id = owner.pk if isinstance(owner, Membership) else owner
    try:
        return Membership.objects.get(organisation=organisation, pk=int(owner_id))
    except (Membership.DoesNotExist, TypeError, ValueError):
        errors[field_name] = _unknown(_("Kies als eigenaar iemand van deze gemeente."))
        return None


def _valid_year(errors: dict, year) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("Geef een jaar van %(min)s tot en met %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


# --- actions -----------------------------------------------------------------------------

SETTABLE_STATUSES = (
    Action.Status.PLANNED,
    Action.Status.IN_PROGRESS,
    Action.Status.DONE,
    Action.Status.CANCELLED,
)


def action_prepare(
    *,
    organisation: Organisation,
    membership: Membership,
    action: Action | None = None,
    title: str,
    year: int | None = None,
    description: str = "",
    owner: Membership | int | None = None,
    due_date: datetime.date | None = None,
    status: str | None = None,
    themes: Iterable = (),
    measures: Iterable = (),
    risks: Iterable = (),
    goals: Iterable = (),
    reference: str = "",
    allocator: ReferenceAllocator | None = None,
    taken: set[str] | None = None,
    expected_revision: int | None = None,
) -> Prepared:
    """Check an action save without writing; see :func:`action_create` and :func:`action_save`."""
    theme_ids = _ids(themes)
    if action is not None and action.pk:
        permissions.require(membership, "cycle.edit_object", action)
    else:
        permissions.require(membership, "cycle.create")
    permissions.require(membership, "cycle.edit_themes", theme_ids)
    _check_revision(action, expected_revision)
    errors: dict[str, str] = {}
    if year is None:
        if action is not None and action.pk:
            year = action.year
        elif due_date and MIN_YEAR <= due_date.year <= MAX_YEAR:
            year = due_date.year
        else:
            year = timezone.localdate().year
    _valid_year(errors, year)
    title = clean_line(title or "").strip()
    if not title:
        errors["title"] = _("Geef de actie een titel.")
    if status is not None and status not in SETTABLE_STATUSES and not (action and status == action.status):
        errors["status"] = _("Kies een geldige status.")
    links = {"themes": theme_ids, "measures": _ids(measures), "risks": _ids(risks), "goals": _ids(goals)}
    _check_links(errors, organisation, links)
    owner_member = _owner(errors, organisation, owner)
    if errors:
        raise ValidationError(errors)
    action = action or Action(organisation=organisation)
    _assign_reference(action, reference, allocator, taken)
    action.title = title.strip()
    action.year = year
    action.description = description or ""
    action.owner = owner_member
    action.due_date = due_date
    if status is not None:
        _apply_status(action, status)
    _full_clean(action)
    return Prepared(instance=action, m2m={k: sorted(v) for k, v in links.items()}, expected_revision=expected_revision)


def _apply_status(action: Action, status: str) -> None:
    if status == Action.Status.DONE and action.status != Action.Status.DONE:
        action.completed_at = timezone.now()
    elif status != Action.Status.DONE:
        action.completed_at = None
    action.status = status


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    membership: Membership,
    title: str,
    year: int | None = None,
    description: str = "",
    owner: Membership | int | None = None,
    due_date: datetime.date | None = None,
    themes: Iterable = (),
    measures: Iterable = (),
    risks: Iterable = (),
    goals: Iterable = (),
    status: str | None = None,
    reference: str = "",
) -> Action:
    """Add an action to the yearly plan (the year of its due date, else this year) with reference A-001..

    Raises PermissionDenied when the member may not add actions in these themes, and a Dutch
    ValidationError keyed by field for bad input (unknown links, an owner from elsewhere).
    """
    action = write_prepared(
        action_prepare(
            organisation=organisation,
            membership=membership,
            title=title,
            year=year,
            description=description,
            owner=owner,
            due_date=due_date,
            status=status,
            themes=themes,
            measures=measures,
            risks=risks,
            goals=goals,
            reference=reference,
        )
    )
    return action


@transaction.atomic
def action_save(*, action: Action, expected_revision: int | None = None, **kwargs) -> Action:
    """Change an action; ``expected_revision`` is the revision the editor started from."""
    return write_prepared(action_prepare(action=action, expected_revision=expected_revision, **kwargs))


@transaction.atomic
def action_set_status(
    *, membership: Membership, action: Action, status: str, expected_revision: int | None = None
) -> Action:
    """Move an action to planned, in progress, done or cancelled (done records when)."""
    permissions.require(membership, "cycle.set_status", action)
    if status not in SETTABLE_STATUSES:
        raise ValidationError({"status": _("Kies een geldige status.")})
    _check_revision(action, expected_revision)
    if action.status != status:
        _claim_revision(action, expected_revision)
        _apply_status(action, status)
        action.save(update_fields=["status", "completed_at", "updated_at", "revision"])
    return action


@transaction.atomic
def action_delete(*, membership: Membership, action: Action) -> None:
    """Delete an action; findings that led to it become open again."""
    permissions.require(membership, "cycle.edit_object", action)
    findings = list(action.findings.all())
    audit.record_event(instance=action, event="action.deleted", data={"reopened_findings": [f.pk for f in findings]})
    for finding in findings:
        finding.action = None
        finding.save(update_fields=["action", "updated_at"])
    action.delete()


def action_from_measure_initial(measure: Measure) -> dict:
    """What a new action from a measure not yet in place starts with."""
    return {
        "title": (_("Invoeren: ") + measure.title)[:200],
        "description": measure.description,
        "due_date": measure.deadline,
        "themes": [t.pk for t in measure.themes.all()],
        "measures": [measure.pk],
        "risks": [r.pk for r in measure.risks.all()],
        "goals": [g.pk for g in measure.goals.all()],
    }


# --- next year's plan ----------------------------------------------------------------------


@dataclass
class CarryOver:
    year: int
    next_year: int
    actions: list[Action]
    already_started: int


def carry_over_preview(*, organisation: Organisation, year: int) -> CarryOver:
    """What starting next year's plan would do: the open actions of ``year`` that move on."""
    actions = list(
        Action.objects.filter(organisation=organisation, year=year, status__in=Action.OPEN)
        .select_related("owner__user")
        .order_by("due_date", "reference", "id")
    )
    started = Action.objects.filter(organisation=organisation, year=year + 1).count()
    return CarryOver(year=year, next_year=year + 1, actions=actions, already_started=started)


@transaction.atomic
def plan_start_next_year(*, organisation: Organisation, membership: Membership, year: int) -> list[Action]:
    """Carry every open action of ``year`` over to the plan of ``year + 1``.

    Each open action gets a successor in the new year (same title, owner, due date, themes and
    links, status kept) and is itself marked "doorgeschoven", so the old plan still shows what
    was not finished. Running it again carries over nothing new.
    """
    permissions.require(membership, "cycle.manage_plan")
    errors: dict[str, str] = {}
    _valid_year(errors, year)
    _valid_year(errors, year + 1 if isinstance(year, int) else year)
    if errors:
        raise ValidationError(errors)
    # Lock the municipality so two coordinators clicking at once do not carry over twice.
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk", flat=True))
    open_actions = list(
        Action.objects.filter(organisation=organisation, year=year, status__in=Action.OPEN)
        .prefetch_related("themes", "measures", "risks", "goals")
        .order_by("reference", "id")
    )
    allocator = ReferenceAllocator(Action, organisation)
    created = []
    for old in open_actions:
        new = Action(
            organisation=organisation,
            reference=allocator.next(),
            year=year + 1,
            title=old.title,
            description=old.description,
            owner_id=old.owner_id,
            due_date=old.due_date,
            status=old.status,
            carried_from=old,
        )
        new.save()
        new.themes.set(old.themes.all())
        new.measures.set(old.measures.all())
        new.risks.set(old.risks.all())
        new.goals.set(old.goals.all())
        old.status = Action.Status.CARRIED_OVER
        old.revision = F("revision") + 1
        old.save(update_fields=["status", "revision", "updated_at"])
        old.refresh_from_db(fields=["revision"])
        created.append(new)
    audit.record_event(
        instance=organisation,
        event="yearly_plan.started",
        data={"year": year + 1, "carried_over": [a.pk for a in created]},
    )
    return created


# --- checks --------------------------------------------------------------------------------


def check_prepare(
    *,
    organisation: Organisation,
    membership: Membership,
    check: Check | None = None,
    title: str,
    date: datetime.date | None,
    kind: str = Check.Kind.INTERNAL,
    status: str = Check.Status.DONE,
    performed_by: str = "",
    owner: Membership | int | None = None,
    summary: str = "",
    themes: Iterable = (),
    measures: Iterable = (),
    assets: Iterable = (),
    reference: str = "",
    expected_revision: int | None = None,
) -> Prepared:
    theme_ids = _ids(themes)
    if check is not None and check.pk:
        permissions.require(membership, "cycle.edit_object", check)
    else:
        permissions.require(membership, "cycle.create")
    permissions.require(membership, "cycle.edit_themes", theme_ids)
    _check_revision(check, expected_revision)
    errors: dict[str, str] = {}
    title = clean_line(title or "").strip()
    if not title:
        errors["title"] = _("Geef de controle een titel.")
    if date is None:
        errors["date"] = _("Wanneer is (of wordt) de controle gehouden?")
    if kind not in Check.Kind.values:
        errors["kind"] = _("Kies een soort controle.")
    if status not in Check.Status.values:
        errors["status"] = _("Kies een geldige status.")
    links = {"themes": theme_ids, "measures": _ids(measures), "assets": _ids(assets)}
    _check_links(errors, organisation, links)
    owner_member = _owner(errors, organisation, owner)
    if errors:
        raise ValidationError(errors)
    check = check or Check(organisation=organisation)
    _assign_reference(check, reference)
    check.title = title.strip()
    check.date = date
    check.kind = kind
    check.status = status
    check.performed_by = performed_by or ""
    check.owner = owner_member
    check.summary = summary or ""
    _full_clean(check)
    return Prepared(instance=check, m2m={k: sorted(v) for k, v in links.items()}, expected_revision=expected_revision)


@transaction.atomic
def check_save(**kwargs) -> Check:
    """Record or change a check (controle) with its scope: themes, measures, assets."""
    return write_prepared(check_prepare(**kwargs))


@transaction.atomic
def check_delete(*, membership: Membership, check: Check) -> None:
    """Delete a check with its findings; actions, risks and deviations that followed stay."""
    permissions.require(membership, "cycle.edit_object", check)
    audit.record_event(
        instance=check, event="check.deleted", data={"findings": list(check.findings.values_list("pk", flat=True))}
    )
    Deviation.objects.filter(finding__source_check=check).update(finding=None)
    check.findings.all().delete()
    check.delete()


# --- findings ------------------------------------------------------------------------------


@transaction.atomic
def finding_save(
    *,
    organisation: Organisation,
    membership: Membership,
    check: Check,
    finding: Finding | None = None,
    title: str,
    description: str = "",
    severity: int = Finding.Severity.MEDIUM,
    reference: str = "",
    expected_revision: int | None = None,
) -> Finding:
    """Record or change a finding of a check (whoever may change the check)."""
    if check.organisation_id != organisation.pk:
        raise ValidationError({"source_check": _("Onbekende controle.")})
    permissions.require(membership, "cycle.edit_object", check)
    _check_revision(finding, expected_revision)
    errors: dict[str, str] = {}
    title = clean_line(title or "").strip()
    if not title:
        errors["title"] = _("Beschrijf de bevinding in een paar woorden.")
    try:
        severity = int(severity)
    except (TypeError, ValueError):
        severity = 0
    if severity not in Finding.Severity.values:
        errors["severity"] = _("Kies de ernst: laag, midden, hoog of zeer hoog.")
    if errors:
        raise ValidationError(errors)
    finding = finding or Finding(organisation=organisation)
    finding.source_check = check
    _assign_reference(finding, reference)
    finding.title = title.strip()
    finding.description = description or ""
    finding.severity = severity
    _full_clean(finding)
    return write_prepared(Prepared(instance=finding, expected_revision=expected_revision))


@transaction.atomic
def finding_delete(*, membership: Membership, finding: Finding) -> None:
    permissions.require(membership, "cycle.edit_object", finding)
    finding.deviations.update(finding=None)
    finding.delete()


def finding_action_initial(finding: Finding) -> dict:
    """What an improvement action from a finding starts with: the check's scope."""
    check = finding.source_check
    return {
        "title": (_("Verbeteren: ") + finding.title)[:200],
        "description": finding.description,
        "themes": [t.pk for t in check.themes.all()],
        "measures": [m.pk for m in check.measures.all()],
        "year": timezone.localdate().year,
    }


@transaction.atomic
def finding_to_action(
    *, organisation: Organisation, membership: Membership, finding: Finding, **action_fields
) -> Action:
    """Create the improvement action of a finding and link the two."""
    permissions.require(membership, "cycle.edit_object", finding)
    action = action_create(organisation=organisation, membership=membership, **action_fields)
    _link_finding(finding, action=action)
    return action


def _link_finding(finding: Finding, **links) -> None:
    for name, value in links.items():
        setattr(finding, name, value)
    finding.revision = F("revision") + 1
    finding.save(update_fields=[*links, "revision", "updated_at"])
    finding.refresh_from_db(fields=["revision"])


@transaction.atomic
def finding_link(
    *,
    organisation: Organisation,
    membership: Membership,
    finding: Finding,
    action: Action | int | None = None,
    risk: Risk | int | None = None,
) -> Finding:
    """Link a finding to an existing action and/or a risk it changes (None leaves that link)."""
    permissions.require(membership, "cycle.edit_object", finding)
    errors: dict[str, str] = {}
    links = {}
    if action is not None:
        action_id = action.pk if isinstance(action, Action) else action
        found = Action.objects.filter(organisation=organisation, pk=action_id).first() if action_id else None
        if action_id and found is None:
            errors["action"] = _unknown(_("Onbekende actie."))
        links["action"] = found
    if risk is not None:
        risk_id = risk.pk if isinstance(risk, Risk) else risk
        found = Risk.objects.filter(organisation=organisation, pk=risk_id).first() if risk_id else None
        if risk_id and found is None:
            errors["risk"] = _unknown(_("Onbekend risico."))
        links["risk"] = found
    if errors:
        raise ValidationError(errors)
    if links:
        _link_finding(finding, **links)
    return finding


@transaction.atomic
def finding_to_risk(*, organisation: Organisation, membership: Membership, finding: Finding, **risk_fields) -> Risk:
    """Record a new risk the finding brought to light (through the risks services) and link it."""
    permissions.require(membership, "cycle.edit_object", finding)
    risk_fields.setdefault("scenario", finding.description)
    risk = risk_services.risk_save(organisation=organisation, membership=membership, **risk_fields)
    _link_finding(finding, risk=risk)
    return risk


# --- deviations ----------------------------------------------------------------------------


def deviation_prepare(
    *,
    organisation: Organisation,
    membership: Membership,
    deviation: Deviation | None = None,
    title: str,
    reason: str,
    accepted_by: str,
    expires_on: datetime.date | None,
    owner: Membership | int | None = None,
    finding: Finding | int | None = None,
    themes: Iterable = (),
    measures: Iterable = (),
    ended: bool = False,
    reference: str = "",
    expected_revision: int | None = None,
) -> Prepared:
    theme_ids = _ids(themes)
    if deviation is not None and deviation.pk:
        permissions.require(membership, "cycle.edit_object", deviation)
    else:
        permissions.require(membership, "cycle.create")
    permissions.require(membership, "cycle.edit_themes", theme_ids)
    _check_revision(deviation, expected_revision)
    errors: dict[str, str] = {}
    title, accepted_by = clean_line(title or "").strip(), clean_line(accepted_by or "").strip()
    if not title:
        errors["title"] = _("Beschrijf de afwijking in een paar woorden.")
    if not clean_line(reason or "").strip():
        errors["reason"] = _("Waarom accepteert de gemeente deze afwijking?")
    if not accepted_by:
        errors["accepted_by"] = _("Wie heeft de afwijking geaccepteerd?")
    if expires_on is None:
        errors["expires_on"] = _("Tot wanneer geldt de acceptatie? Een afwijking geldt nooit onbeperkt.")
    owner_member = _owner(errors, organisation, owner)
    if owner_member is None and "owner" not in errors:
        errors["owner"] = _("Wie is eigenaar van de afwijking?")
    finding_obj = None
    if finding not in (None, ""):
        finding_id = finding.pk if isinstance(finding, Finding) else finding
        finding_obj = Finding.objects.filter(organisation=organisation, pk=finding_id).first()
        if finding_obj is None:
            errors["finding"] = _unknown(_("Onbekende bevinding."))
    links = {"themes": theme_ids, "measures": _ids(measures)}
    _check_links(errors, organisation, links)
    if errors:
        raise ValidationError(errors)
    deviation = deviation or Deviation(organisation=organisation)
    _assign_reference(deviation, reference)
    deviation.title = title.strip()
    deviation.reason = reason
    deviation.accepted_by = accepted_by.strip()
    deviation.expires_on = expires_on
    deviation.owner = owner_member
    deviation.finding = finding_obj
    deviation.ended = bool(ended)
    _full_clean(deviation)
    return Prepared(
        instance=deviation, m2m={k: sorted(v) for k, v in links.items()}, expected_revision=expected_revision
    )


@transaction.atomic
def deviation_save(**kwargs) -> Deviation:
    """Record or change an accepted deviation: reason, who accepted it, owner and expiry are required."""
    return write_prepared(deviation_prepare(**kwargs))


@transaction.atomic
def deviation_delete(*, membership: Membership, deviation: Deviation) -> None:
    permissions.require(membership, "cycle.edit_object", deviation)
    deviation.delete()

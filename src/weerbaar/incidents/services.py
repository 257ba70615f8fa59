"""Every write to the incident register. Views, the API and the Excel import call these.

Each function takes the acting membership, asks ``core.permissions`` what that member may do,
validates (Dutch ``ValidationError``\\s keyed by field), writes in one transaction and leaves
the logboek entry (field changes through the model signals, business events explicitly).
Optimistic locking as in the risk register: a save that started from an older ``revision``
raises :class:`~weerbaar.core.registers.StaleRevision`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions, registers
from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.core.registers import Prepared, write_prepared
from weerbaar.core.registers import check_revision as _check_revision
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset, LocalThreat, Measure, Risk, Threat

from .models import (
    REPORT_HOURS,
    ExternalReport,
    Incident,
    IncidentType,
    LocalIncidentType,
    PatternConclusion,
    ReportKind,
)

PREFIX = "I-"
_REFERENCE = re.compile(r"^I-(\d{1,9})$")
# A little room for clocks that differ between the browser and the server.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


def _full_clean(instance) -> None:
    instance.full_clean(exclude=["organisation"], validate_constraints=False)


def _ids(values: Iterable) -> set[int]:
    return {v.pk if hasattr(v, "pk") else int(v) for v in values or ()}


def next_reference(organisation: Organisation) -> str:
    """The next free I-number, computed by the database (no loop over the register)."""
    last = (
        Incident.objects.filter(organisation=organisation, reference__regex=r"^I-[0-9]{1,9}$")
        .annotate(number=Cast(Substr("reference", 3), IntegerField()))
        .aggregate(m=Max("number"))["m"]
    )
    return f"{PREFIX}{(last or 0) + 1:04d}"


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time without a zone (an Excel cell, an API client) is read as Dutch local time."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _plausible(moment: datetime.datetime) -> bool:
    return 2000 <= moment.year <= 2100


def _due_at(kind: str, discovered_at: datetime.datetime | None) -> datetime.datetime | None:
    hours = REPORT_HOURS.get(kind)
    if hours is None or discovered_at is None:
        return None
    return discovered_at + datetime.timedelta(hours=hours)


def _in_org(model, organisation: Organisation, ids: set[int], field: str, message: str) -> list[int]:
    found = set(model.objects.filter(organisation=organisation, pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ValidationError({field: message})
    return sorted(ids)


# --- Incidents -----------------------------------------------------------------------------------


@transaction.atomic
def incident_save(
    *,
    organisation: Organisation,
    membership: Membership,
    incident: Incident | None = None,
    title: str,
    occurred_at: datetime.datetime,
    discovered_at: datetime.datetime | None = None,
    themes: Iterable = (),
    incident_type: IncidentType | None = None,
    local_type: LocalIncidentType | None = None,
    severity: int = Incident.Severity.LIMITED,
    place: str = "",
    assets: Iterable = (),
    threat: Threat | None = None,
    local_threat: LocalThreat | None = None,
    description: str = "",
    immediate_actions: str = "",
    confidential: bool | None = None,
    handlers: Iterable = (),
    status: str | None = None,
    reference: str = "",
    expected_revision: int | None = None,
    now: datetime.datetime | None = None,
) -> Incident:
    """Record or change an incident.

    New incidents get the external reports their type usually needs (a data breach: the
    Autoriteit Persoonsgegevens within 72 hours of discovery), each with its time limit. A
    confidential incident recorded by someone other than the coordinator gets that member as
    handler, so they keep seeing what they recorded.
    """
    creating = incident is None or not incident.pk
    if creating:
        permissions.require(membership, "incidents.create")
    else:
        permissions.require(membership, "incidents.edit", incident)
    theme_ids = _ids(themes)
    errors: dict = {}
    if not theme_ids:
        errors["themes"] = _("Kies ten minste één thema.")
    elif Theme.objects.filter(pk__in=theme_ids).count() != len(theme_ids):
        errors["themes"] = _("Onbekend thema.")
    elif not permissions.allowed(membership, "incidents.edit_themes", theme_ids):
        raise PermissionDenied(_("U kunt alleen incidenten in uw eigen thema's vastleggen."))
    if incident_type is None and local_type is None:
        errors["incident_type"] = _("Kies een soort incident.")
    if incident_type is not None and local_type is not None:
        errors["incident_type"] = _("Kies één soort: uit de catalogus of een eigen soort.")
    if local_type is not None and local_type.organisation_id != organisation.pk:
        errors["incident_type"] = _("Onbekende soort.")
    if threat is not None and local_threat is not None:
        errors["threat"] = _("Kies één dreiging.")
    if local_threat is not None and local_threat.organisation_id != organisation.pk:
        errors["threat"] = _("Onbekende dreiging.")
    now = now or timezone.now()
    occurred_at, discovered_at = _aware(occurred_at), _aware(discovered_at)
    if occurred_at is None:
        errors["occurred_at"] = _("Vul de datum en tijd in.")
    elif not _plausible(occurred_at):
        errors["occurred_at"] = _("Kies een datum tussen 2000 en 2100.")
        occurred_at = None
    elif occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = _("Een incident kan niet in de toekomst liggen.")
    if discovered_at is not None and not _plausible(discovered_at):
        errors["discovered_at"] = _("Kies een datum tussen 2000 en 2100.")
        discovered_at = None
    discovered_at = discovered_at or occurred_at
    if occurred_at is not None and discovered_at is not None:
        if discovered_at < occurred_at:
            errors["discovered_at"] = _("Het incident kan niet ontdekt zijn voordat het gebeurde.")
        elif discovered_at > now + FUTURE_TOLERANCE:
            errors["discovered_at"] = _("Dit moment ligt in de toekomst.")
    if status is not None and status not in Incident.Status.values:
        errors["status"] = _("Kies een geldige status.")
    asset_ids = _ids(assets)
    handler_ids = _ids(handlers)
    try:
        asset_ids = _in_org(Asset, organisation, asset_ids, "assets", _("Onbekend bedrijfsmiddel."))
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        handler_ids = set(_in_org(Membership, organisation, handler_ids, "handlers", _("Onbekende behandelaar.")))
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    _check_revision(incident, expected_revision)

    kind = incident_type or local_type
    if confidential is None:
        confidential = incident.confidential if not creating else bool(kind and kind.confidential)
    if confidential and membership.role != Role.COORDINATOR:
        handler_ids.add(membership.pk)

    incident = incident or Incident(organisation=organisation, recorded_by=membership.user)
    old_discovered = incident.discovered_at
    incident.title = title
    incident.occurred_at = occurred_at
    incident.discovered_at = discovered_at
    incident.incident_type = incident_type
    incident.local_type = local_type
    incident.severity = severity
    incident.place = (place or "").strip()
    incident.threat = threat
    incident.local_threat = local_threat
    incident.description = description or ""
    incident.immediate_actions = immediate_actions or ""
    incident.confidential = bool(confidential)
    if status is not None:
        incident.status = status
    reference = (reference or "").strip()
    if reference:
        registers.check_reference(incident, reference)
        incident.reference = reference
    _full_clean(incident)
    if creating and not incident.reference:
        # Writers of new incidents take turns (PostgreSQL), so two people never get the same number.
        registers.lock_organisation(organisation)
        incident.reference = next_reference(organisation)
    try:
        saved = write_prepared(
            Prepared(
                instance=incident,
                m2m={"themes": sorted(theme_ids), "assets": asset_ids, "handlers": sorted(handler_ids)},
                expected_revision=expected_revision,
            )
        )
    except IntegrityError:  # pragma: no cover (write_prepared turns it into a reference error)
        raise
    if creating:
        for report_kind in getattr(incident_type, "reports", None) or []:
            ExternalReport.objects.create(
                organisation=organisation,
                incident=saved,
                kind=report_kind,
                due_at=_due_at(report_kind, saved.discovered_at),
            )
    elif old_discovered != saved.discovered_at:
        # The time limits count from discovery: open reports move with it.
        for report in saved.reports.filter(status=ExternalReport.Status.DUE):
            new_due = _due_at(report.kind, saved.discovered_at)
            if new_due is not None and report.due_at != new_due:
                report.due_at = new_due
                report.save(update_fields=["due_at"])
    return saved


@transaction.atomic
def incident_delete(*, membership: Membership, incident: Incident) -> None:
    permissions.require(membership, "incidents.edit", incident)
    audit.record_event(instance=incident, event="incident.deleted", data={"reference": incident.reference})
    incident.delete()


@dataclasses.dataclass
class NewAction:
    """An action that an evaluation adds to the yearly plan."""

    title: str
    due_date: datetime.date | None = None
    owner: Membership | None = None
    description: str = ""


@transaction.atomic
def incident_evaluate(
    *,
    organisation: Organisation,
    membership: Membership,
    incident: Incident,
    lessons: str,
    materialised_risks: Iterable = (),
    failed_measures: Iterable = (),
    working_measures: Iterable = (),
    evaluated_on: datetime.date | None = None,
    new_actions: Iterable[NewAction] = (),
    close: bool = False,
    expected_revision: int | None = None,
) -> Incident:
    """Record the evaluation: lessons, which risks materialised, which measures failed or worked,
    and new actions, which go into the yearly plan (``cycle.services.action_create``) linked to
    the incident and to its risks and themes."""
    permissions.require(membership, "incidents.edit", incident)
    errors: dict = {}
    if not (lessons or "").strip():
        errors["lessons"] = _("Beschrijf wat u van dit incident leert.")
    risk_ids, failed_ids, working_ids = _ids(materialised_risks), _ids(failed_measures), _ids(working_measures)
    for model, ids, name, message in (
        (Risk, risk_ids, "materialised_risks", _("Onbekend risico.")),
        (Measure, failed_ids, "failed_measures", _("Onbekende maatregel.")),
        (Measure, working_ids, "working_measures", _("Onbekende maatregel.")),
    ):
        try:
            _in_org(model, organisation, ids, name, message)
        except ValidationError as e:
            errors.update(e.message_dict)
    both = failed_ids & working_ids
    if both:
        errors["working_measures"] = _("Een maatregel kan niet tegelijk tekortschieten en werken.")
    today = timezone.localdate()
    evaluated_on = evaluated_on or today
    if evaluated_on > today:
        errors["evaluated_on"] = _("De evaluatie kan niet in de toekomst liggen.")
    if errors:
        raise ValidationError(errors)
    _check_revision(incident, expected_revision)
    theme_ids = sorted(t.pk for t in incident.themes.all())
    created = []
    new_actions = list(new_actions)
    if new_actions:
        from weerbaar.cycle import services as cycle_services
    for new in new_actions:
        created.append(
            cycle_services.action_create(
                organisation=organisation,
                membership=membership,
                title=new.title,
                description=new.description
                or _("Actie uit de evaluatie van incident %(ref)s.") % {"ref": incident.reference},
                owner=new.owner,
                due_date=new.due_date,
                themes=theme_ids,
                risks=sorted(risk_ids),
                measures=sorted(failed_ids),
            )
        )
    incident.lessons = lessons.strip()
    incident.evaluated_on = evaluated_on
    if incident.status == Incident.Status.OPEN or close:
        incident.status = Incident.Status.CLOSED if close else Incident.Status.EVALUATED
    _full_clean(incident)
    saved = write_prepared(
        Prepared(
            instance=incident,
            m2m={
                "materialised_risks": sorted(risk_ids),
                "failed_measures": sorted(failed_ids),
                "working_measures": sorted(working_ids),
            },
            expected_revision=expected_revision,
        )
    )
    if created:
        saved.actions.add(*created)
        audit.record_event(instance=saved, event="incident.actions_created", data={"actions": [a.pk for a in created]})
    return saved


# --- External reports ----------------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    membership: Membership,
    incident: Incident,
    report: ExternalReport | None = None,
    kind: str,
    status: str = ExternalReport.Status.DUE,
    made_at: datetime.datetime | None = None,
    due_at: datetime.datetime | None = None,
    their_reference: str = "",
    note: str = "",
    expected_revision: int | None = None,
    now: datetime.datetime | None = None,
) -> ExternalReport:
    """Add or change a report; the time limit follows from its kind and the incident's discovery
    (a given ``due_at`` is used only for reports without a legal limit)."""
    permissions.require(membership, "incidents.edit", incident)
    if report is not None and report.incident_id != incident.pk:
        raise ValidationError(_("Deze melding hoort bij een ander incident."))
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Kies een soort melding.")
    elif kind != ReportKind.OTHER:
        clash = ExternalReport.objects.filter(incident=incident, kind=kind)
        if report is not None and report.pk:
            clash = clash.exclude(pk=report.pk)
        if clash.exists():
            errors["kind"] = _("Deze melding staat al bij het incident.")
    if status not in ExternalReport.Status.values:
        errors["status"] = _("Kies een geldige status.")
    now = now or timezone.now()
    made_at, due_at = _aware(made_at), _aware(due_at)
    if made_at is not None and not _plausible(made_at):
        errors["made_at"] = _("Kies een datum tussen 2000 en 2100.")
    elif due_at is not None and not _plausible(due_at):
        errors["due_at"] = _("Kies een datum tussen 2000 en 2100.")
    elif status == ExternalReport.Status.MADE:
        if made_at is None:
            errors["made_at"] = _("Vul in wanneer de melding is gedaan.")
        elif made_at > now + FUTURE_TOLERANCE:
            errors["made_at"] = _("Dit moment ligt in de toekomst.")
        elif made_at < incident.occurred_at:
            errors["made_at"] = _("De melding kan niet gedaan zijn voordat het incident gebeurde.")
    if status == ExternalReport.Status.NOT_NEEDED and not (note or "").strip():
        errors["note"] = _("Leg uit waarom deze melding niet nodig is.")
    if errors:
        raise ValidationError(errors)
    _check_revision(report, expected_revision)
    report = report or ExternalReport(organisation_id=incident.organisation_id, incident=incident)
    report.kind = kind
    report.status = status
    report.made_at = made_at if status == ExternalReport.Status.MADE else None
    report.due_at = _due_at(kind, incident.discovered_at) or (
        due_at if kind in (ReportKind.OTHER, ReportKind.POLICE) else None
    )
    report.their_reference = their_reference or ""
    report.note = note or ""
    _full_clean(report)
    return write_prepared(Prepared(instance=report, expected_revision=expected_revision))


@transaction.atomic
def report_delete(*, membership: Membership, report: ExternalReport) -> None:
    permissions.require(membership, "incidents.edit", report.incident)
    report.delete()


# --- Own types and the yearly conclusion -------------------------------------------------------


@transaction.atomic
def local_type_save(
    *,
    organisation: Organisation,
    membership: Membership,
    local_type: LocalIncidentType | None = None,
    name: str,
    description: str = "",
    confidential: bool = False,
    themes: Iterable = (),
    expected_revision: int | None = None,
) -> LocalIncidentType:
    permissions.require(membership, "incidents.manage")
    _check_revision(local_type, expected_revision)
    name = (name or "").strip()
    clash = LocalIncidentType.objects.filter(organisation=organisation, name__iexact=name)
    if local_type is not None and local_type.pk:
        clash = clash.exclude(pk=local_type.pk)
    if name and (clash.exists() or IncidentType.objects.filter(name__iexact=name).exists()):
        raise ValidationError({"name": ValidationError(_("Er is al een soort met deze naam."), code="exists")})
    local_type = local_type or LocalIncidentType(organisation=organisation)
    local_type.name = name
    local_type.description = description or ""
    local_type.confidential = bool(confidential)
    _full_clean(local_type)
    theme_ids = _ids(themes)
    if Theme.objects.filter(pk__in=theme_ids).count() != len(theme_ids):
        raise ValidationError({"themes": _("Onbekend thema.")})
    return write_prepared(
        Prepared(instance=local_type, m2m={"themes": sorted(theme_ids)}, expected_revision=expected_revision)
    )


@transaction.atomic
def local_type_delete(*, membership: Membership, local_type: LocalIncidentType) -> None:
    permissions.require(membership, "incidents.manage")
    if local_type.incidents.exists():
        raise ValidationError(
            _("Deze soort wordt nog gebruikt bij incidenten. Kies bij die incidenten eerst een andere soort.")
        )
    local_type.delete()


@transaction.atomic
def conclusion_save(
    *,
    organisation: Organisation,
    membership: Membership,
    year: int,
    text: str,
    expected_revision: int | None = None,
) -> PatternConclusion:
    """The coordinator's written conclusion on a year's patterns (one per year)."""
    permissions.require(membership, "incidents.manage")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Kies een jaar tussen 2000 en 2100.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Schrijf de conclusie.")})
    conclusion = PatternConclusion.objects.filter(organisation=organisation, year=year).first()
    _check_revision(conclusion, expected_revision)
    conclusion = conclusion or PatternConclusion(organisation=organisation, year=year)
    conclusion.text = text.strip()
    _full_clean(conclusion)
    return write_prepared(Prepared(instance=conclusion, expected_revision=expected_revision))

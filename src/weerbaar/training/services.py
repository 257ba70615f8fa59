"""Every write to the training plan; views, the API and the demo call these functions.

Each takes the acting membership, asks ``training.manage``, validates with Dutch messages keyed
by field, and writes in one transaction. Rows carry a ``revision``: a save that started from an
older revision raises :class:`StaleRevision` (the generic edit view shows both versions).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import StaleRevision  # noqa: F401  (raised by _claim_revision; views catch it)
from weerbaar.core.registers import claim_revision as _claim_revision

from .models import MAX_PEOPLE, Activity, Participation, Session, StaffGroup


def _full_clean(instance, exclude=("organisation",)) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _save(instance, expected_revision, unique_error: dict | None = None):
    _claim_revision(instance, expected_revision)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        if unique_error:
            raise ValidationError(unique_error) from None
        raise
    return instance


# --- Groups --------------------------------------------------------------------------------


@transaction.atomic
def group_save(
    *,
    organisation: Organisation,
    membership: Membership,
    group: StaffGroup | None = None,
    name: str,
    size: int | None = None,
    description: str = "",
    expected_revision: int | None = None,
) -> StaffGroup:
    """Create or change a staff group; a new group is always an own group."""
    permissions.require(membership, "training.manage")
    group = group or StaffGroup(organisation=organisation, kind=StaffGroup.Kind.OWN, order=500)
    name = (name or "").strip()
    clash = StaffGroup.objects.filter(organisation=organisation, name__iexact=name)
    if group.pk:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"name": ValidationError(_("Er is al een doelgroep met deze naam."), code="exists")})
    group.name = name
    group.size = size
    group.description = description or ""
    _full_clean(group)
    return _save(
        group,
        expected_revision,
        {"name": ValidationError(_("Er is al een doelgroep met deze naam."), code="exists")},
    )


@transaction.atomic
def group_delete(*, membership: Membership, group: StaffGroup) -> None:
    permissions.require(membership, "training.manage")
    if group.participations.exists():
        raise ValidationError(
            _("Deze doelgroep heeft geregistreerde deelnames. Verwijder die eerst, zodat de cijfers kloppen.")
        )
    audit.record_event(instance=group, event="staff_group.deleted", data={"name": group.name})
    group.delete()


@transaction.atomic
def shipped_groups_add(*, organisation: Organisation, membership: Membership | None) -> list[StaffGroup]:
    """Add the standard staff groups that the municipality does not have yet (by kind)."""
    if membership is not None:
        permissions.require(membership, "training.manage")
    have = set(StaffGroup.objects.filter(organisation=organisation).values_list("kind", flat=True))
    names = set(StaffGroup.objects.filter(organisation=organisation).values_list("name", flat=True))
    added = []
    for order, kind in enumerate(StaffGroup.SHIPPED, start=1):
        label = str(kind.label)
        if kind in have or label in names:
            continue
        added.append(StaffGroup.objects.create(organisation=organisation, kind=kind, name=label, order=order * 10))
    return added


def everyone_group(*, organisation: Organisation, membership: Membership) -> StaffGroup:
    """The group "all staff" (added with the other standard groups when missing)."""
    permissions.require(membership, "training.manage")
    group = StaffGroup.objects.filter(organisation=organisation, kind=StaffGroup.Kind.EVERYONE).first()
    if group is None:
        shipped_groups_add(organisation=organisation, membership=membership)
        group = StaffGroup.objects.filter(organisation=organisation, kind=StaffGroup.Kind.EVERYONE).first()
    if group is None:  # an own group took the standard name
        raise ValidationError({"groups": _("Kies minstens één doelgroep.")})
    return group


# --- Activities ----------------------------------------------------------------------------


def _check_owner(organisation, owner) -> None:
    if owner is not None and owner.organisation_id != organisation.pk:
        raise ValidationError({"owner": _("Kies een lid van deze gemeente.")})


@transaction.atomic
def activity_save(
    *,
    organisation: Organisation,
    membership: Membership,
    activity: Activity | None = None,
    title: str,
    kind: str = Activity.Kind.TRAINING,
    groups: list[StaffGroup] | None = None,
    frequency: str = Activity.Frequency.YEARLY,
    description: str = "",
    first_year: int | None = None,
    last_year: int | None = None,
    owner: Membership | None = None,
    board_cyber_training: bool = False,
    expected_revision: int | None = None,
) -> Activity:
    """Create or change an activity of the plan; it is aimed at one or more staff groups."""
    permissions.require(membership, "training.manage")
    groups = list(groups or [])
    errors = {}
    if not groups:
        errors["groups"] = _("Kies minstens één doelgroep.")
    if any(g.organisation_id != organisation.pk for g in groups):
        errors["groups"] = _("Kies doelgroepen van deze gemeente.")
    if first_year and last_year and last_year < first_year:
        errors["last_year"] = _("Het laatste jaar ligt voor het eerste jaar.")
    for field, year in (("first_year", first_year), ("last_year", last_year)):
        if year is not None and not 2000 <= year <= 2100:
            errors[field] = _("Geef een jaar tussen 2000 en 2100.")
    if errors:
        raise ValidationError(errors)
    _check_owner(organisation, owner)
    activity = activity or Activity(organisation=organisation)
    activity.title = title
    activity.kind = kind
    activity.frequency = frequency
    activity.description = description or ""
    activity.first_year = first_year
    activity.last_year = last_year
    activity.owner = owner
    activity.board_cyber_training = bool(board_cyber_training)
    _full_clean(activity)
    _save(activity, expected_revision)
    activity.groups.set(groups)
    return activity


@transaction.atomic
def activity_delete(*, membership: Membership, activity: Activity) -> None:
    permissions.require(membership, "training.manage")
    if Participation.objects.filter(session__activity=activity).exists():
        raise ValidationError(
            _(
                "Voor deze activiteit zijn deelnames geregistreerd. Verwijder eerst die uitvoeringen, "
                "zodat de cijfers van eerdere jaren niet stilzwijgend verdwijnen."
            )
        )
    audit.record_event(instance=activity, event="training_activity.deleted", data={"title": activity.title})
    activity.delete()


# --- Sessions and participation ------------------------------------------------------------


@transaction.atomic
def session_save(
    *,
    organisation: Organisation,
    membership: Membership,
    activity: Activity,
    session: Session | None = None,
    date: datetime.date,
    status: str = Session.Status.PLANNED,
    location: str = "",
    evaluation: str = "",
    expected_revision: int | None = None,
) -> Session:
    """Plan a date of an activity, or change its status and evaluation."""
    permissions.require(membership, "training.manage")
    if activity.organisation_id != organisation.pk:
        raise ValidationError({"activity": _("Kies een activiteit van deze gemeente.")})
    session = session or Session(organisation=organisation, activity=activity)
    if date is None:
        raise ValidationError({"date": _("Vul een datum in.")})
    session.date = date
    session.status = status
    session.location = location or ""
    session.evaluation = evaluation or ""
    _full_clean(session)
    return _save(session, expected_revision)


@transaction.atomic
def session_delete(*, membership: Membership, session: Session) -> None:
    permissions.require(membership, "training.manage")
    audit.record_event(
        instance=session,
        event="training_session.deleted",
        data={"activity": session.activity_id, "date": session.date.isoformat()},
    )
    session.delete()


@transaction.atomic
def participation_set(
    *,
    membership: Membership,
    session: Session,
    counts: dict[int, tuple[int | None, str]],
    mark_done: bool = True,
) -> list[Participation]:
    """Record the participants per group of one session: ``counts`` maps a group id to (number, names).

    A group with no number (None) is removed from the session; a number for a group the activity
    is not aimed at is refused. Recording participation of a planned session marks it done.
    """
    permissions.require(membership, "training.manage")
    groups = {g.pk: g for g in session.activity.groups.all()}
    errors = {}
    for group_id, (number, _names) in counts.items():
        if group_id not in groups:
            errors[f"group_{group_id}"] = _("Deze doelgroep hoort niet bij de activiteit.")
        elif number is not None and not 0 <= number <= MAX_PEOPLE:
            errors[f"count_{group_id}"] = _("Geef een aantal van 0 tot en met %(max)s.") % {"max": MAX_PEOPLE}
        elif number is not None and groups[group_id].size is not None and number > groups[group_id].size:
            errors[f"count_{group_id}"] = _(
                "Meer deelnemers (%(n)s) dan de groep groot is (%(size)s). Pas zo nodig eerst de groepsgrootte aan."
            ) % {"n": number, "size": groups[group_id].size}
    if errors:
        raise ValidationError(errors)
    existing = {p.group_id: p for p in Participation.objects.filter(session=session)}
    saved = []
    for group_id, (number, names) in counts.items():
        current = existing.get(group_id)
        if number is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            current = Participation(organisation_id=session.organisation_id, session=session, group_id=group_id)
        if current.pk and current.participants == number and current.names == (names or ""):
            saved.append(current)
            continue
        current.participants = number
        current.names = names or ""
        current.save()
        saved.append(current)
    if mark_done and saved and session.status == Session.Status.PLANNED:
        session.status = Session.Status.DONE
        Session.objects.filter(pk=session.pk).update(status=session.status, revision=F("revision") + 1)
        audit.record_event(instance=session, event="training_session.done", data={"date": session.date.isoformat()})
    return saved

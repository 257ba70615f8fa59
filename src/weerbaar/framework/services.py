"""Every write to the strategic framework: one function per business action.

Rules that live here and nowhere else (who may act is asked of ``permissions.py`` through
``core.permissions``):
- only a draft version changes; submitted versions wait for the board, adopted and superseded
  versions are frozen;
- a step save names the revision it started from (optimistic locking): when someone else
  saved in between, :class:`StaleRevision` is raised and nothing is written;
- a version is submitted only when the completeness check finds nothing missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import StaleRevision, claim_revision  # noqa: F401 (StaleRevision: raised here, caught by views)
from weerbaar.knowledge.models import GovernanceVariant, Law, Principle, PrincipleCategory, SecurityGoal, StepActivity

from .models import (
    STEP_ORDER,
    ChosenGoal,
    ChosenPrinciple,
    Framework,
    FrameworkVersion,
    Step,
    StepComment,
    StepDelegation,
    StepEntry,
    SubPlan,
    WordTemplate,
)
from .signals import version_adopted
from .step_fields import COMMON_FIELDS, STEP_FIELDS, editable_fields  # noqa: F401 (re-exported)

# --- errors --------------------------------------------------------------------------------

KIND_LABELS = {"goal": gettext_lazy("Beveiligingsdoel"), "principle": gettext_lazy("Uitgangspunt")}


class FrozenVersion(ValidationError):
    def __init__(self, version: FrameworkVersion):
        super().__init__(
            _("Versie %(number)s is %(status)s en kan niet meer worden gewijzigd.")
            % {"number": version.number, "status": version.get_status_display()},
            code="frozen",
        )


class LinkedMeasures(ValidationError):
    """Removing goals or principles would drop links of measures to them; nothing was written.

    ``items`` lists what would go, each as ``{"kind", "id", "label", "measures": [{"id", "label"}]}``.
    The caller asks the user and saves again with ``confirm_unlink=True``.
    """

    def __init__(self, items: list[dict]):
        self.items = items
        count = len({m["id"] for item in items for m in item["measures"]})
        messages = [
            ngettext(
                "%(count)s maatregel is gekoppeld aan wat u weghaalt. Bevestig dat deze koppeling mag vervallen.",
                "%(count)s maatregelen zijn gekoppeld aan wat u weghaalt. Bevestig dat deze koppelingen mogen "
                "vervallen.",
                count,
            )
            % {"count": count}
        ]
        for item in items:
            messages.append(
                _("%(kind)s “%(item)s” is gekoppeld aan: %(measures)s.")
                % {
                    "kind": KIND_LABELS[item["kind"]],
                    "item": item["label"],
                    "measures": "; ".join(m["label"] for m in item["measures"]),
                }
            )
        super().__init__([ValidationError(m, code="linked") for m in messages])


def _ensure_draft(version: FrameworkVersion) -> None:
    if not version.is_draft:
        raise FrozenVersion(version)


def _ensure_not_frozen(version: FrameworkVersion) -> None:
    if version.is_frozen:
        raise FrozenVersion(version)


# --- starting and versions -----------------------------------------------------------------


@transaction.atomic
def framework_start(*, organisation: Organisation, membership: Membership) -> Framework:
    permissions.require(membership, "framework.edit")
    if Framework.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("Uw gemeente heeft al een strategisch kader."), code="exists")
    try:
        with transaction.atomic():
            framework = Framework.objects.create(organisation=organisation, created_by=membership.user)
    except IntegrityError:
        raise ValidationError(_("Uw gemeente heeft al een strategisch kader."), code="exists")
    version = FrameworkVersion.objects.create(
        organisation=organisation, framework=framework, number=1, created_by=membership.user
    )
    for step in STEP_ORDER:
        StepEntry.objects.create(organisation=organisation, version=version, step=step)
    audit.record_event(instance=framework, event="framework_started", data={"version": 1})
    return framework


def _open_version(framework: Framework) -> FrameworkVersion | None:
    return (
        framework.versions.filter(status__in=[FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.SUBMITTED])
        .order_by("-number")
        .first()
    )


@transaction.atomic
def version_create_from(*, source: FrameworkVersion, membership: Membership) -> FrameworkVersion:
    """A new draft as a copy of ``source``; there is at most one open version at a time."""
    permissions.require(membership, "framework.edit")
    framework = Framework.objects.select_for_update().get(pk=source.framework_id)
    open_version = _open_version(framework)
    if open_version is not None:
        raise ValidationError(
            _("Versie %(number)s is nog niet vastgesteld. Rond die eerst af voordat u een nieuwe versie begint.")
            % {"number": open_version.number},
            code="open_version",
        )
    number = (framework.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    org = source.organisation
    version = FrameworkVersion.objects.create(
        organisation=org, framework=framework, number=number, based_on=source, created_by=membership.user
    )
    copy_fields = [
        f.name
        for f in StepEntry._meta.concrete_fields
        if f.name not in ("id", "organisation", "version", "revision", "updated_at", "updated_by")
    ]
    for old in source.steps.prefetch_related("laws", "activities_done"):
        new = StepEntry(organisation=org, version=version, updated_by=membership.user)
        for name in copy_fields:
            setattr(new, name, getattr(old, name))
        new.save()
        new.laws.set(old.laws.all())
        new.scope_assets.set(old.scope_assets.all())
        new.activities_done.set(old.activities_done.all())
    goal_map = {}
    for old in source.goals.all():
        goal_map[old.pk] = ChosenGoal.objects.create(
            organisation=org,
            version=version,
            catalogue_goal_id=old.catalogue_goal_id,
            name=old.name,
            why=old.why,
            order=old.order,
            lineage=old.lineage,
        )
    for old in source.principles.prefetch_related("goals"):
        new = ChosenPrinciple.objects.create(
            organisation=org,
            version=version,
            catalogue_principle_id=old.catalogue_principle_id,
            category_id=old.category_id,
            text=old.text,
            order=old.order,
            lineage=old.lineage,
        )
        new.goals.set([goal_map[g.pk] for g in old.goals.all() if g.pk in goal_map])
    audit.record_event(instance=version, event="version_created", data={"based_on": source.number})
    return version


# --- saving a step -------------------------------------------------------------------------

# Which fields a step may write lives in step_fields, which the selectors read too.


@dataclass
class GoalInput:
    """One goal as the editor left it: a catalogue goal, or an own goal (existing ``id`` or new)."""

    catalogue_goal: SecurityGoal | None = None
    id: int | None = None
    name: str = ""
    why: str = ""


@dataclass
class PrincipleInput:
    catalogue_principle: Principle | None = None
    id: int | None = None
    category: PrincipleCategory | None = None
    text: str = ""
    goal_ids: list[int] | None = None


@transaction.atomic
def step_save(
    *,
    entry: StepEntry,
    expected_revision: int,
    membership: Membership,
    fields: dict | None = None,
    laws: list[Law] | None = None,
    activities_done: list[StepActivity] | None = None,
    goals: list[GoalInput] | None = None,
    principles: list[PrincipleInput] | None = None,
    scope_assets: list | None = None,
    confirm_unlink: bool = False,
) -> StepEntry:
    """Save one step. ``None`` leaves a part unchanged; an empty list clears it.

    Goals and principles left out are removed. When measures link to one of them,
    :class:`LinkedMeasures` is raised and nothing is written, unless ``confirm_unlink``: then the
    links lapse, and are recorded in the logbook and in the version's report of links that did
    not carry over (so they can be linked again).

    The coordinator saves every step; a member the coordinator gave this step (co-writing) saves it too.
    """
    permissions.require(membership, "framework.edit_step", entry)
    version = FrameworkVersion.objects.select_for_update().get(pk=entry.version_id)
    _ensure_draft(version)
    fields = dict(fields or {})
    unknown = set(fields) - set(editable_fields(entry.step))
    if unknown:
        raise ValidationError(
            _("Deze velden horen niet bij deze stap: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    if "governance_variant" in fields and isinstance(fields["governance_variant"], int):
        fields["governance_variant"] = GovernanceVariant.objects.filter(pk=fields["governance_variant"]).first()
    # Claim the revision first: of two saves that started from the same revision, one wins.
    entry = StepEntry.objects.get(pk=entry.pk)  # a fresh copy: the caller's row stays as it was
    claim_revision(entry, expected_revision)
    for name, value in fields.items():
        field = StepEntry._meta.get_field(name)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        if value is None and not field.null:
            value = False if isinstance(field, models.BooleanField) else ""
        setattr(entry, name, value)
    entry.updated_by = membership.user
    entry.full_clean(exclude=["version", "organisation", "laws", "activities_done"])
    entry.save()
    if laws is not None:
        if entry.step != Step.SCOPE and laws:
            raise ValidationError(_("Wetten en normen horen bij de stap Scope."), code="unknown_field")
        entry.laws.set(laws)
    if scope_assets is not None:
        _set_scope_assets(entry, scope_assets)
    if activities_done is not None:
        from .selectors import step_catalogue

        allowed = {a.pk for a in step_catalogue(entry.step)["activities"]}
        if any(a.pk not in allowed for a in activities_done):
            raise ValidationError(_("Deze activiteit hoort niet bij deze stap."), code="invalid_activity")
        entry.activities_done.set(activities_done)
    if goals is not None:
        if entry.step != Step.GOALS:
            raise ValidationError(_("Doelen kiest u in de stap Beveiligingsdoelen."), code="unknown_field")
        _sync_goals(version, goals, membership=membership, confirm_unlink=confirm_unlink)
    if principles is not None:
        if entry.step != Step.PRINCIPLES:
            raise ValidationError(_("Uitgangspunten kiest u in de stap Uitgangspunten."), code="unknown_field")
        _sync_principles(version, principles, membership=membership, confirm_unlink=confirm_unlink)
    return entry


def _sync_goals(
    version: FrameworkVersion, goals: list[GoalInput], *, membership: Membership, confirm_unlink: bool
) -> None:
    existing = {g.pk: g for g in version.goals.all()}
    by_catalogue = {g.catalogue_goal_id: g for g in existing.values() if g.catalogue_goal_id}
    keep = set()
    seen_catalogue = set()
    own_order = 100
    for item in goals:
        if item.catalogue_goal is not None:
            if item.catalogue_goal.pk in seen_catalogue:
                continue
            seen_catalogue.add(item.catalogue_goal.pk)
            goal = by_catalogue.get(item.catalogue_goal.pk)
            if goal is None:
                goal = ChosenGoal(
                    organisation=version.organisation,
                    version=version,
                    catalogue_goal=item.catalogue_goal,
                    name=item.catalogue_goal.name,
                )
            goal.why = (item.why or "").strip()
            goal.order = item.catalogue_goal.order
        else:
            name = (item.name or "").strip()
            if not name:
                raise ValidationError(_("Geef een eigen doel een naam."), code="goal_name")
            if item.id is not None:
                goal = existing.get(item.id)
                if goal is None or goal.catalogue_goal_id:
                    raise ValidationError(_("Dit eigen doel bestaat niet in deze versie."), code="invalid_goal")
            else:
                goal = ChosenGoal(organisation=version.organisation, version=version)
            own_order += 1
            goal.name, goal.why, goal.order = name[:200], (item.why or "").strip(), own_order
        goal.save()
        keep.add(goal.pk)
    removed = [goal for pk, goal in existing.items() if pk not in keep]
    _lapse_links(version, "goal", removed, membership=membership, confirm=confirm_unlink)
    for goal in removed:
        goal.delete()


def _sync_principles(
    version: FrameworkVersion, principles: list[PrincipleInput], *, membership: Membership, confirm_unlink: bool
) -> None:
    existing = {p.pk: p for p in version.principles.all()}
    by_catalogue = {p.catalogue_principle_id: p for p in existing.values() if p.catalogue_principle_id}
    goal_ids = set(version.goals.values_list("pk", flat=True))
    keep = set()
    seen_catalogue = set()
    own_order = 10000
    for item in principles:
        text = (item.text or "").strip()
        if item.goal_ids is not None and not set(item.goal_ids) <= goal_ids:
            raise ValidationError(_("Koppel uitgangspunten alleen aan doelen uit deze versie."), code="invalid_goal")
        if item.catalogue_principle is not None:
            cp = item.catalogue_principle
            if cp.pk in seen_catalogue:
                continue
            seen_catalogue.add(cp.pk)
            principle = by_catalogue.get(cp.pk) or ChosenPrinciple(
                organisation=version.organisation, version=version, catalogue_principle=cp
            )
            principle.category_id = cp.category_id
            principle.text = text or cp.text
            principle.order = cp.category.order * 1000 + cp.order
        else:
            if not text:
                raise ValidationError(_("Een eigen uitgangspunt heeft een tekst nodig."), code="principle_text")
            if item.category is None:
                raise ValidationError(_("Kies een categorie voor uw eigen uitgangspunt."), code="principle_category")
            if item.id is not None:
                principle = existing.get(item.id)
                if principle is None or principle.catalogue_principle_id:
                    raise ValidationError(_("Dit eigen uitgangspunt bestaat niet in deze versie."), code="invalid")
            else:
                principle = ChosenPrinciple(organisation=version.organisation, version=version)
            own_order += 1
            principle.category = item.category
            principle.text = text
            principle.order = item.category.order * 1000 + 900 + own_order % 100
        principle.save()
        if item.goal_ids is not None:
            principle.goals.set(item.goal_ids)
        keep.add(principle.pk)
    removed = [principle for pk, principle in existing.items() if pk not in keep]
    _lapse_links(version, "principle", removed, membership=membership, confirm=confirm_unlink)
    for principle in removed:
        principle.delete()


def linked_measures(items: list) -> dict[int, list]:
    """The measures linked to each of these goals (or principles), by the item's id. One query."""
    if not items:
        return {}
    model = type(items[0])
    through = model.measures.through
    column = "chosengoal_id" if model is ChosenGoal else "chosenprinciple_id"
    found: dict[int, list] = {}
    rows = through.objects.filter(**{f"{column}__in": [i.pk for i in items]}).select_related("measure")
    for row in rows.order_by("measure__reference", "measure__title", "measure_id"):
        found.setdefault(getattr(row, column), []).append(row.measure)
    return found


def _lapse_links(version: FrameworkVersion, kind: str, removed: list, *, membership: Membership, confirm: bool):
    """Goals or principles are about to go: refuse while measures link to them, or record what lapses."""
    linked = linked_measures(removed)
    if not linked:
        return
    items = [
        {
            "kind": kind,
            "id": item.pk,
            "label": item_label(item),
            "measures": [{"id": m.pk, "label": str(m)} for m in linked[item.pk]],
        }
        for item in removed
        if item.pk in linked
    ]
    if not confirm:
        raise LinkedMeasures(items)
    today, who = timezone.localdate().isoformat(), _member_name(membership)
    version = FrameworkVersion.objects.get(pk=version.pk)
    for item in items:
        version.link_report.extend(
            {
                "kind": kind,
                "object": "measure",
                "object_id": m["id"],
                "object_label": m["label"],
                "item": item["label"],
                "reason": "removed",
                "on": today,
                "by": who,
            }
            for m in item["measures"]
        )
        audit.record_event(
            instance=version,
            event="framework_links_lapsed",
            data={"kind": kind, "item": item["label"], "measures": item["measures"]},
        )
        for m in linked[item["id"]]:
            audit.record_event(instance=m, event="framework_link_lapsed", data={"kind": kind, "item": item["label"]})
    version.save(update_fields=["link_report"])


def item_label(item) -> str:
    """How a chosen goal or principle is named in reports and messages."""
    return item.name if isinstance(item, ChosenGoal) else item.text[:120]


# --- submission and adoption ---------------------------------------------------------------


@transaction.atomic
def version_submit(*, version: FrameworkVersion, membership: Membership) -> FrameworkVersion:
    from .selectors import completeness

    permissions.require(membership, "framework.edit")
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_draft(version)
    missing = completeness(version).missing
    if missing:
        raise ValidationError(
            _("Het kader is nog niet compleet: %(count)s punten ontbreken.") % {"count": len(missing)},
            code="incomplete",
        )
    version.status = FrameworkVersion.Status.SUBMITTED
    version.submitted_at = timezone.now()
    version.submitted_by = membership.user
    version.save()
    audit.record_event(instance=version, event="version_submitted", data={"number": version.number})
    return version


@transaction.atomic
def version_withdraw(*, version: FrameworkVersion, membership: Membership) -> FrameworkVersion:
    """Back to draft: the coordinator takes it back, or the board sends it back for changes."""
    permissions.require(membership, "framework.withdraw")
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.SUBMITTED:
        raise ValidationError(_("Alleen een versie die ter besluitvorming ligt, kan terug naar concept."))
    version.status = FrameworkVersion.Status.DRAFT
    version.submitted_at = None
    version.submitted_by = None
    version.save()
    audit.record_event(instance=version, event="version_withdrawn", data={"number": version.number})
    return version


@transaction.atomic
def version_adopt(
    *,
    version: FrameworkVersion,
    membership: Membership,
    adopted_on: datetime.date,
    decision_reference: str,
    adopted_by_body: str,
    decision_document=None,
) -> FrameworkVersion:
    """Record the college's decision. Errors are keyed by field, so the form shows each at its field."""
    permissions.require(membership, "framework.adopt")
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.SUBMITTED:
        raise ValidationError(_("Alleen een versie die ter besluitvorming ligt, kan worden vastgesteld."))
    errors: dict[str, list[str]] = {}
    reference, body = decision_reference.strip(), adopted_by_body.strip()
    if len(reference) < 3 or not any(c.isalnum() for c in reference):
        errors.setdefault("decision_reference", []).append(
            _("Vul het kenmerk van het besluit in zoals het is vastgelegd, bijvoorbeeld B&W 2026/123.")
        )
    if len(body) < 5 or not any(c.isalpha() for c in body):
        errors.setdefault("adopted_by_body", []).append(
            _("Vul in welk orgaan het besluit nam, bijvoorbeeld het college van burgemeester en wethouders.")
        )
    if adopted_on > timezone.localdate():
        errors.setdefault("adopted_on", []).append(_("De datum van het besluit ligt in de toekomst."))
    previous = (
        FrameworkVersion.objects.filter(
            framework_id=version.framework_id,
            status__in=(FrameworkVersion.Status.ADOPTED, FrameworkVersion.Status.SUPERSEDED),
            adopted_on__isnull=False,
        )
        .exclude(pk=version.pk)
        .order_by("-adopted_on")
        .first()
    )
    if previous and adopted_on < previous.adopted_on:
        errors.setdefault("adopted_on", []).append(
            _("Versie %(n)s werd op %(date)s vastgesteld; dit besluit kan niet van eerder zijn.")
            % {"n": previous.number, "date": date_format(previous.adopted_on, "j F Y")}
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    previous_effective = (
        FrameworkVersion.objects.filter(framework_id=version.framework_id, status=FrameworkVersion.Status.ADOPTED)
        .exclude(pk=version.pk)
        .order_by("-number")
        .first()
    )
    for superseded in FrameworkVersion.objects.filter(
        framework_id=version.framework_id, status=FrameworkVersion.Status.ADOPTED
    ).exclude(pk=version.pk):
        superseded.status = FrameworkVersion.Status.SUPERSEDED
        superseded.superseded_at = now
        superseded.save()
        audit.record_event(instance=superseded, event="version_superseded", data={"by": version.number})
    version.status = FrameworkVersion.Status.ADOPTED
    version.adopted_on = adopted_on
    version.decision_reference = reference
    version.adopted_by_body = body
    version.adoption_recorded_by = membership.user
    if decision_document is not None:
        decision_document.seek(0)
        extension = ".pdf" if decision_document.read(5) == b"%PDF-" else ".docx"
        decision_document.seek(0)
        version.decision_document.save(
            f"besluit-{version.organisation.slug}-kader-v{version.number}{extension}", decision_document, save=False
        )
    version.save()
    audit.record_event(
        instance=version,
        event="version_adopted",
        data={"number": version.number, "adopted_on": adopted_on.isoformat(), "reference": version.decision_reference},
    )
    # Links of measures and risks move to the new version in this same transaction.
    report = []
    for _receiver, rows in version_adopted.send(sender=FrameworkVersion, version=version, previous=previous_effective):
        report.extend(rows or [])
    # Links removed from this version while it was a draft stay in its report, before the adoption's.
    version.link_report = [*version.link_report, *report]
    version.save(update_fields=["link_report"])
    audit.record_event(
        instance=version,
        event="version_links_moved",
        data={"number": version.number, "not_mapped": len(report)},
    )
    return version


# --- comments ------------------------------------------------------------------------------


def comment_add(*, version: FrameworkVersion, step: str, body: str, membership: Membership) -> StepComment:
    permissions.require(membership, "framework.comment")
    _ensure_not_frozen(version)
    if step not in Step.values:
        raise ValidationError(_("Onbekende stap."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Schrijf een opmerking.")})
    user = membership.user
    return StepComment.objects.create(
        organisation=version.organisation,
        version=version,
        step=step,
        author=user,
        author_name=user.get_full_name() or user.email,
        body=body,
    )


def comment_resolve(*, comment: StepComment, membership: Membership) -> StepComment:
    permissions.require(membership, "framework.edit")
    _ensure_not_frozen(comment.version)
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = membership.user
        comment.save()
    return comment


# --- Word template ---------------------------------------------------------------------------

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


@transaction.atomic
def word_template_upload(
    *,
    organisation: Organisation,
    membership: Membership,
    name: str,
    content: bytes,
    kind: str = WordTemplate.Kind.PLACEHOLDERS,
):
    """Check and store the municipality's Word template. ``kind`` defaults to a placeholder
    template, what every caller meant before style templates existed; the form offers style first."""
    from weerbaar.documents.word import as_document

    from .documents import missing_chapters_of, validate_word_template

    permissions.require(membership, "framework.edit")
    if kind not in WordTemplate.Kind.values:
        raise ValidationError({"kind": _("Kies een soort sjabloon.")})
    validate_word_template(name=name, content=content, max_bytes=MAX_TEMPLATE_BYTES, kind=kind)
    template = WordTemplate.objects.filter(organisation=organisation).first() or WordTemplate(organisation=organisation)
    template.name = name[:200]
    template.kind = kind
    template.content = as_document(content)  # a .dotx is stored as the document it opens as
    template.missing_chapters = missing_chapters_of(content) if kind == WordTemplate.Kind.PLACEHOLDERS else []
    template.size = len(content)
    template.uploaded_by = membership.user
    template.save()
    audit.record_event(
        instance=template, event="word_template_uploaded", data={"name": template.name, "kind": template.kind}
    )
    return template


def word_template_delete(*, organisation: Organisation, membership: Membership) -> None:
    permissions.require(membership, "framework.edit")
    for template in WordTemplate.objects.filter(organisation=organisation):
        template.delete()


# --- scope: assets from the register ----------------------------------------------------------


def _set_scope_assets(entry: StepEntry, assets: list) -> None:
    """The scope's assets are rows of the municipality's own register: one list, never a copy."""
    if entry.step != Step.SCOPE and assets:
        raise ValidationError(_("Bedrijfsmiddelen horen bij de stap Scope."), code="unknown_field")
    if any(a.organisation_id != entry.organisation_id for a in assets):
        raise ValidationError(
            {"scope_assets": _("Kies bedrijfsmiddelen uit het register van uw eigen gemeente.")}, code="invalid"
        )
    entry.scope_assets.set(assets)


# --- sub-plans ---------------------------------------------------------------------------------


SUBPLAN_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def subplan_date_problem(*, status, adopted_on, review_on) -> tuple[str, str] | None:
    """(field, Dutch message) when the dates do not fit the status, else None."""
    if status == SubPlan.Status.ADOPTED and adopted_on is None:
        return "adopted_on", _("Vul de datum in waarop het deelplan is vastgesteld.")
    if adopted_on and review_on and review_on < adopted_on:
        return "review_on", _("De herziening ligt voor de datum van vaststelling.")
    return None


@transaction.atomic
def subplan_save(
    *,
    organisation: Organisation,
    membership: Membership,
    subplan: SubPlan | None = None,
    kind: str,
    title: str,
    owner: Membership | None = None,
    status: str = SubPlan.Status.PREPARING,
    adopted_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    scope: str = "",
    document_url: str = "",
    document=None,
    remove_document: bool = False,
    expected_revision: int | None = None,
) -> SubPlan:
    """Create or change a sub-plan. ``document`` is an upload already checked by the form (or None)."""
    if subplan is None:
        permissions.require(membership, "framework.create_subplan")
    else:
        permissions.require(membership, "framework.edit_subplan", subplan)
    errors = {}
    if owner is not None and owner.organisation_id != organisation.pk:
        errors["owner"] = _("Kies een lid van deze gemeente.")
    if document is not None and getattr(document, "size", 0) > SUBPLAN_DOCUMENT_MAX_BYTES:
        errors["document"] = _("Het bestand is groter dan 20 MB.")
    if errors:
        raise ValidationError(errors)
    # Rules between fields (the form names the field; here they concern the sub-plan as a whole).
    problem = subplan_date_problem(status=status, adopted_on=adopted_on, review_on=review_on)
    if problem:
        raise ValidationError(problem[1], code="invalid")
    if subplan is not None and subplan.pk:
        subplan = SubPlan.objects.get(pk=subplan.pk)  # a fresh copy: the caller's row stays as it was
        claim_revision(subplan, expected_revision)
    else:
        subplan = SubPlan(organisation=organisation)
    subplan.kind = kind
    subplan.title = title
    subplan.owner = owner
    subplan.status = status
    subplan.adopted_on = adopted_on
    subplan.review_on = review_on
    subplan.scope = (scope or "").replace("\r\n", "\n")
    subplan.document_url = document_url or ""
    subplan.updated_by = membership.user
    subplan.full_clean(exclude=["organisation", "owner", "document"])
    old_file = subplan.document.name if subplan.document else ""
    if document is not None:
        name = document.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        subplan.document.save(name, document, save=False)
        subplan.document_name = name
    elif remove_document:
        subplan.document = ""
        subplan.document_name = ""
    subplan.save()
    if old_file and old_file != (subplan.document.name if subplan.document else ""):
        storage = SubPlan._meta.get_field("document").storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return subplan


@transaction.atomic
def subplan_delete(*, membership: Membership, subplan: SubPlan) -> None:
    permissions.require(membership, "framework.edit_subplan", subplan)
    old_file = subplan.document.name if subplan.document else ""
    subplan.delete()
    if old_file:
        storage = SubPlan._meta.get_field("document").storage
        transaction.on_commit(lambda: storage.delete(old_file))


# --- co-writing ----------------------------------------------------------------------------------


@transaction.atomic
def delegation_add(*, version: FrameworkVersion, step: str, member: Membership, membership: Membership):
    """Give ``member`` edit rights on one step of ``version``; others keep commenting."""
    permissions.require(membership, "framework.delegate")
    _ensure_not_frozen(version)
    if step not in Step.values:
        raise ValidationError({"step": _("Kies een stap.")}, code="invalid")
    if member.organisation_id != version.organisation_id:
        raise ValidationError({"member": _("Kies een lid van deze gemeente.")}, code="invalid")
    if permissions.allowed(member, "framework.edit"):
        raise ValidationError(
            {"member": _("%(name)s mag als coördinator alle stappen al bewerken.") % {"name": _member_name(member)}},
            code="already",
        )
    delegation, created = StepDelegation.objects.get_or_create(
        organisation=version.organisation,
        version=version,
        step=step,
        member=member,
        defaults={"granted_by": membership.user},
    )
    if not created:
        raise ValidationError(
            {"member": _("%(name)s schrijft al mee aan deze stap.") % {"name": _member_name(member)}},
            code="exists",
        )
    return delegation


@transaction.atomic
def delegation_remove(*, delegation: StepDelegation, membership: Membership) -> None:
    permissions.require(membership, "framework.delegate")
    delegation.delete()


def _member_name(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email

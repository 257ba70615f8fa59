"""Every write to the register. Views, the API and the Excel import call these functions.

Each function takes the acting membership, checks what that member may do (see
``permissions.py``), validates, writes in one transaction and leaves the audit trail (field
changes through the model signals, business events explicitly). Validation errors are
Dutch ``ValidationError``\\s keyed by field name, so forms and the API can show them in place.

The register's rows (assets, risks, measures) are saved in two halves: ``*_prepare`` does
every permission check and validation (it reads, never writes) and returns a
:class:`Prepared`; ``*_save`` prepares and then writes with :func:`write_prepared`. The Excel
import prepares a whole sheet first, passing one ``taken`` set of references so references
chosen earlier in the batch count as used, and writes afterwards in one short transaction.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions, registers
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.money import MAX_AMOUNT
from weerbaar.core.registers import Prepared, write_prepared
from weerbaar.core.registers import StaleRevision as StaleRevision  # other apps import it from here
from weerbaar.core.registers import check_revision as _check_revision
from weerbaar.core.registers import claim_revision as _claim_revision
from weerbaar.knowledge.models import Bio2Measure, Principle, SecurityGoal, Theme

from . import scoring
from .models import (
    LABEL_MAX_LENGTH,
    Asset,
    LocalThreat,
    Measure,
    MeasureConflict,
    Risk,
    RiskMatrix,
    Threat,
)
from .selectors import matrix_for


class ReferenceAllocator(registers.ReferenceAllocator):
    """Hands out the next free reference (BM-001, R-001, M-001) for a model in one municipality."""

    prefixes = {Asset: "BM-", Risk: "R-", Measure: "M-"}


def _assign_reference(instance, reference: str, allocator, taken: set[str] | None) -> None:
    registers.assign_reference(instance, reference, ReferenceAllocator, allocator, taken)


# --- Errors --------------------------------------------------------------------------------


class LinkNotAllowed(PermissionDenied):
    """A theme expert tried to add or remove a link to something outside their themes.

    ``field`` names the form field, ``message`` is Dutch.
    """

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _check_amounts(errors: dict, amounts: dict) -> dict:
    """Finite amounts from 0 to ``MAX_AMOUNT`` with at most cents; returns the amounts as Decimal."""
    out = {}
    for name, value in amounts.items():
        if value is None or value == "":
            out[name] = Decimal(0)
            continue
        try:
            amount = value if isinstance(value, Decimal) else Decimal(str(value))
        except (ArithmeticError, ValueError, TypeError):
            amount = Decimal("NaN")
        if isinstance(value, bool) or not amount.is_finite():
            errors[name] = _("Geef een bedrag in euro's, bijvoorbeeld 1.250,00.")
        elif amount < 0:
            errors[name] = _("Kosten kunnen niet negatief zijn.")
        elif amount > MAX_AMOUNT:
            errors[name] = _("Geef een bedrag tot 10 miljard euro.")
        elif amount != amount.quantize(Decimal("0.01")):
            errors[name] = _("Geef een bedrag met hoogstens twee cijfers achter de komma.")
        else:
            out[name] = amount
    return out


def _full_clean(instance) -> None:
    instance.full_clean(exclude=["organisation"], validate_constraints=False)


def _ids(values: Iterable) -> set[int]:
    return {v.pk if hasattr(v, "pk") else int(v) for v in values or ()}


# --- Matrix --------------------------------------------------------------------------------


@transaction.atomic
def matrix_update(
    *,
    organisation: Organisation,
    membership: Membership,
    likelihood_levels: int,
    impact_levels: int,
    acceptance_level: int,
    critical_level: int,
    likelihood_labels: list[str] | None = None,
    impact_labels: list[str] | None = None,
) -> tuple[RiskMatrix, int]:
    """Change the matrix and recompute every score that depends on it; returns (matrix, risks changed).

    Bounds: 2 to 10 levels per axis; the acceptance level from 1 to below the highest score
    (likelihood levels × impact levels); the level 'zeer hoog' above the acceptance level and at
    most the highest score; no names or exactly one name per level, each at most 60 characters.
    """
    permissions.require(membership, "risks.manage_register")
    errors = {}
    levels_ok = True
    for field_name, levels in (("likelihood_levels", likelihood_levels), ("impact_levels", impact_levels)):
        if not isinstance(levels, int) or not 2 <= levels <= 10:
            errors[field_name] = _("Kies 2 tot en met 10 niveaus.")
            levels_ok = False
    labels_by_field = {}
    for field_name, labels, levels in (
        ("likelihood_labels", likelihood_labels, likelihood_levels),
        ("impact_labels", impact_labels, impact_levels),
    ):
        labels = [str(label).strip() for label in labels or [] if str(label).strip()]
        labels_by_field[field_name] = labels
        if any(len(label) > LABEL_MAX_LENGTH for label in labels):
            errors[field_name] = _("Een naam is hoogstens %(n)s tekens lang.") % {"n": LABEL_MAX_LENGTH}
        elif labels and levels_ok and len(labels) != levels:
            errors[field_name] = _("Geef precies %(n)s namen, één per regel, of laat het veld leeg.") % {"n": levels}
    if levels_ok:
        max_score = likelihood_levels * impact_levels
        acceptance_ok = isinstance(acceptance_level, int) and 1 <= acceptance_level < max_score
        if not acceptance_ok:
            errors["acceptance_level"] = _("De acceptatiegrens ligt tussen 1 en %(max)s.") % {"max": max_score - 1}
        if not isinstance(critical_level, int) or not 1 <= critical_level <= max_score:
            errors["critical_level"] = _("De grens 'zeer hoog' ligt tussen 2 en %(max)s (kans × impact).") % {
                "max": max_score
            }
        elif acceptance_ok and critical_level <= acceptance_level:
            errors["critical_level"] = _("De grens 'zeer hoog' ligt boven de acceptatiegrens.")
    if errors:
        raise ValidationError(errors)
    matrix = matrix_for(organisation)
    matrix.organisation = organisation
    matrix.likelihood_levels = likelihood_levels
    matrix.impact_levels = impact_levels
    matrix.acceptance_level = acceptance_level
    matrix.critical_level = critical_level
    matrix.likelihood_labels = labels_by_field["likelihood_labels"]
    matrix.impact_labels = labels_by_field["impact_labels"]
    _full_clean(matrix)
    matrix.save()
    changed = scoring.recompute_organisation(organisation=organisation, scale=scoring.Scale.of(matrix))
    audit.record_event(instance=matrix, event="risk_matrix.recomputed", data={"risks_changed": changed})
    return matrix, changed


# --- Assets --------------------------------------------------------------------------------


def asset_prepare(
    *,
    organisation: Organisation,
    membership: Membership,
    asset: Asset | None = None,
    name: str,
    kind: str = Asset.Kind.OTHER,
    description: str = "",
    location: str = "",
    owner: str = "",
    criticality: int = Asset.Criticality.MEDIUM,
    reference: str = "",
    allocator: ReferenceAllocator | None = None,
    taken: set[str] | None = None,
    expected_revision: int | None = None,
) -> Prepared:
    """Check an asset save without writing; see :func:`asset_save`."""
    permissions.require(membership, "risks.manage_register")
    _check_revision(asset, expected_revision)
    asset = asset or Asset(organisation=organisation)
    _assign_reference(asset, reference, allocator, taken)
    asset.name = name
    asset.kind = kind
    asset.description = description or ""
    asset.location = location or ""
    asset.owner = owner or ""
    asset.criticality = criticality
    _full_clean(asset)
    return Prepared(instance=asset, expected_revision=expected_revision)


@transaction.atomic
def asset_save(**kwargs) -> Asset:
    """Create or change an asset; takes the keyword arguments of :func:`asset_prepare`."""
    return write_prepared(asset_prepare(**kwargs))


@transaction.atomic
def asset_delete(*, membership: Membership, asset: Asset) -> None:
    """Delete an asset; the risks that named it keep existing without the link."""
    permissions.require(membership, "risks.manage_register")
    risks = list(asset.risks.all())
    audit.record_event(instance=asset, event="asset.deleted", data={"unlinked_risks": [r.pk for r in risks]})
    for risk in risks:  # from the risk's side, so each risk's audit trail shows the change
        risk.assets.remove(asset)
    asset.delete()


# --- Own threats ---------------------------------------------------------------------------


@transaction.atomic
def local_threat_save(
    *,
    organisation: Organisation,
    membership: Membership,
    threat: LocalThreat | None = None,
    name: str,
    deliberate: bool = True,
    description: str = "",
    themes: Iterable = (),
    expected_revision: int | None = None,
) -> LocalThreat:
    permissions.require(membership, "risks.manage_register")
    _check_revision(threat, expected_revision)
    threat = threat or LocalThreat(organisation=organisation)
    threat.name = name
    threat.deliberate = deliberate
    threat.description = description or ""
    _full_clean(threat)
    theme_ids = _ids(themes)
    if Theme.objects.filter(pk__in=theme_ids).count() != len(theme_ids):
        raise ValidationError({"themes": _("Onbekend thema.")})
    return write_prepared(
        Prepared(instance=threat, m2m={"themes": sorted(theme_ids)}, expected_revision=expected_revision)
    )


@transaction.atomic
def local_threat_delete(*, membership: Membership, threat: LocalThreat) -> None:
    permissions.require(membership, "risks.manage_register")
    if threat.risks.exists():
        raise ValidationError(
            _("Deze dreiging wordt nog gebruikt in risico's. Kies bij die risico's eerst een andere dreiging.")
        )
    threat.delete()


# --- Risks ---------------------------------------------------------------------------------


def _validate_scale(errors: dict, scale: scoring.Scale, values: dict) -> None:
    for field, maximum in (
        ("inherent_likelihood", scale.likelihood_levels),
        ("inherent_impact", scale.impact_levels),
        ("residual_likelihood", scale.likelihood_levels),
        ("residual_impact", scale.impact_levels),
    ):
        value = values.get(field)
        if value is None:
            continue
        if not 1 <= int(value) <= maximum:
            errors[field] = _("Kies een waarde van 1 tot en met %(max)s.") % {"max": maximum}


def risk_prepare(
    *,
    organisation: Organisation,
    membership: Membership,
    risk: Risk | None = None,
    title: str,
    themes: Iterable,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    scenario: str = "",
    threat: Threat | None = None,
    local_threat: LocalThreat | None = None,
    assets: Iterable = (),
    treatment: str = Risk.Treatment.REDUCE,
    accepted_by: str = "",
    accepted_until: datetime.date | None = None,
    owner: str = "",
    review_date: datetime.date | None = None,
    reference: str = "",
    scale: scoring.Scale | None = None,
    allocator: ReferenceAllocator | None = None,
    taken: set[str] | None = None,
    expected_revision: int | None = None,
) -> Prepared:
    """Check a risk save without writing; see :func:`risk_save`."""
    theme_ids = _ids(themes)
    if risk is not None and risk.pk:
        permissions.require(membership, "risks.edit_object", risk)
    permissions.require(membership, "risks.edit_themes", theme_ids)
    _check_revision(risk, expected_revision)
    scale = scale or scoring.Scale.of(matrix_for(organisation))
    errors: dict[str, str] = {}
    if not theme_ids:
        errors["themes"] = _("Kies minstens één thema.")
    if threat is not None and local_threat is not None:
        errors["threat"] = _("Kies één dreiging: uit de catalogus of een eigen dreiging.")
    if (residual_likelihood is None) != (residual_impact is None):
        errors["residual_impact" if residual_impact is None else "residual_likelihood"] = _(
            "Vul voor het restrisico zowel de kans als de impact in, of laat beide leeg."
        )
    if treatment == Risk.Treatment.ACCEPT:
        if not (accepted_by or "").strip():
            errors["accepted_by"] = _("Wie heeft het risico geaccepteerd?")
        if accepted_until is None:
            errors["accepted_until"] = _("Tot wanneer geldt de acceptatie?")
    _validate_scale(
        errors,
        scale,
        {
            "inherent_likelihood": inherent_likelihood,
            "inherent_impact": inherent_impact,
            "residual_likelihood": residual_likelihood,
            "residual_impact": residual_impact,
        },
    )
    asset_ids = _ids(assets)
    current_assets = set(risk.assets.values_list("pk", flat=True)) if risk is not None and risk.pk else set()
    if asset_ids != current_assets:
        found = set(Asset.objects.filter(organisation=organisation, pk__in=asset_ids).values_list("pk", flat=True))
        if found != asset_ids:
            errors["assets"] = _("Onbekend bedrijfsmiddel.")
    if errors:
        raise ValidationError(errors)
    risk = risk or Risk(organisation=organisation)
    _assign_reference(risk, reference, allocator, taken)
    risk.title = title
    risk.scenario = scenario or ""
    risk.threat = threat
    risk.local_threat = local_threat
    risk.inherent_likelihood = inherent_likelihood
    risk.inherent_impact = inherent_impact
    risk.residual_likelihood = residual_likelihood
    risk.residual_impact = residual_impact
    risk.treatment = treatment
    risk.accepted_by = (accepted_by or "") if treatment == Risk.Treatment.ACCEPT else ""
    risk.accepted_until = accepted_until if treatment == Risk.Treatment.ACCEPT else None
    risk.owner = owner or ""
    risk.review_date = review_date
    scoring.apply_scores(risk, scale)
    _full_clean(risk)
    m2m = {"themes": sorted(theme_ids), "assets": sorted(asset_ids)}
    return Prepared(instance=risk, m2m=m2m, expected_revision=expected_revision)


@transaction.atomic
def risk_save(**kwargs) -> Risk:
    """Create or change a risk with its scores; takes the keyword arguments of :func:`risk_prepare`."""
    return write_prepared(risk_prepare(**kwargs))


@transaction.atomic
def risk_delete(*, membership: Membership, risk: Risk) -> None:
    """Delete a risk; measures that reduced it keep existing without the link."""
    permissions.require(membership, "risks.edit_object", risk)
    measures = list(risk.measures.all())
    audit.record_event(instance=risk, event="risk.deleted", data={"unlinked_measures": [m.pk for m in measures]})
    for measure in measures:  # from the measure's side, so each measure's audit trail shows the change
        measure.risks.remove(risk)
    risk.assets.clear()
    risk.delete()


# --- Measures ------------------------------------------------------------------------------


def measure_prepare(
    *,
    organisation: Organisation,
    membership: Membership,
    measure: Measure | None = None,
    title: str,
    themes: Iterable,
    measure_type: str = Measure.Type.PREVENTIVE,
    kind: str = Measure.Kind.ORGANISATIONAL,
    description: str = "",
    goals: Iterable = (),
    principles: Iterable = (),
    risks: Iterable = (),
    owner: str = "",
    status: str = Measure.Status.PLANNED,
    deadline: datetime.date | None = None,
    cost_once: Decimal | None = None,
    cost_yearly: Decimal | None = None,
    side_effects: str = "",
    bio2_measures: Iterable = (),
    bio2_unmatched: str | None = None,
    reference: str = "",
    allocator: ReferenceAllocator | None = None,
    taken: set[str] | None = None,
    expected_revision: int | None = None,
) -> Prepared:
    """Check a measure save without writing; see :func:`measure_save`.

    A theme expert changes only links to risks they may edit: adding or removing a link to a
    risk outside their themes raises :class:`LinkNotAllowed`; such links that were already
    there stay as they are.
    """
    theme_ids = _ids(themes)
    if measure is not None and measure.pk:
        permissions.require(membership, "risks.edit_object", measure)
    permissions.require(membership, "risks.edit_themes", theme_ids)
    _check_revision(measure, expected_revision)
    errors: dict[str, str] = {}
    if not theme_ids:
        errors["themes"] = _("Kies minstens één thema.")
    amounts = _check_amounts(errors, {"cost_once": cost_once, "cost_yearly": cost_yearly})
    goal_ids, principle_ids, risk_ids = _ids(goals), _ids(principles), _ids(risks)
    if SecurityGoal.objects.filter(pk__in=goal_ids).count() != len(goal_ids):
        errors["goals"] = _("Onbekend beveiligingsdoel.")
    if Principle.objects.filter(pk__in=principle_ids).count() != len(principle_ids):
        errors["principles"] = _("Onbekend uitgangspunt.")
    linked = list(Risk.objects.filter(organisation=organisation, pk__in=risk_ids).prefetch_related("themes"))
    if len(linked) != len(risk_ids):
        errors["risks"] = _("Onbekend risico.")
    bio2_ids = _ids(bio2_measures)
    if bio2_ids and Bio2Measure.objects.filter(pk__in=bio2_ids, status=Bio2Measure.Status.MEASURE).count() != len(
        bio2_ids
    ):
        errors["bio2_measures"] = _("Kies BIO2-overheidsmaatregelen uit de lijst.")
    if errors:
        raise ValidationError(errors)
    current_ids = set(measure.risks.values_list("pk", flat=True)) if measure is not None and measure.pk else set()
    changed = risk_ids ^ current_ids
    if changed:
        changed_risks = [r for r in linked if r.pk in changed]
        changed_risks += list(Risk.objects.filter(pk__in=changed - risk_ids).prefetch_related("themes"))
        refused = [r for r in changed_risks if not permissions.allowed(membership, "risks.edit_object", r)]
        if refused:
            raise LinkNotAllowed(
                "risks",
                _("U kunt deze maatregel niet koppelen aan of loskoppelen van risico's buiten uw thema's: %(risks)s.")
                % {"risks": ", ".join(str(r) for r in sorted(refused, key=lambda r: (r.reference, r.pk)))},
            )
    measure = measure or Measure(organisation=organisation)
    _assign_reference(measure, reference, allocator, taken)
    measure.title = title
    measure.description = description or ""
    measure.measure_type = measure_type
    measure.kind = kind
    measure.owner = owner or ""
    measure.status = status
    measure.deadline = deadline
    measure.cost_once = amounts["cost_once"]
    measure.cost_yearly = amounts["cost_yearly"]
    measure.side_effects = side_effects or ""
    if bio2_unmatched is not None:  # None: keep what the old free-text field left behind
        measure.bio2_unmatched = bio2_unmatched
    _full_clean(measure)
    m2m = {
        "themes": sorted(theme_ids),
        "goals": sorted(goal_ids),
        "principles": sorted(principle_ids),
        "risks": sorted(risk_ids),
        "bio2_measures": sorted(bio2_ids),
    }
    return Prepared(instance=measure, m2m=m2m, expected_revision=expected_revision)


@transaction.atomic
def measure_save(**kwargs) -> Measure:
    """Create or change a measure; takes the keyword arguments of :func:`measure_prepare`."""
    return write_prepared(measure_prepare(**kwargs))


@transaction.atomic
def measure_set_status(
    *, membership: Membership, measure: Measure, status: str, expected_revision: int | None = None
) -> Measure:
    permissions.require(membership, "risks.edit_object", measure)
    if status not in Measure.Status.values:
        raise ValidationError({"status": _("Kies een geldige status.")})
    _check_revision(measure, expected_revision)
    if measure.status != status:
        _claim_revision(measure, expected_revision)
        measure.status = status
        measure.save(update_fields=["status", "updated_at", "revision"])
    return measure


@transaction.atomic
def measure_delete(*, membership: Membership, measure: Measure) -> None:
    """Delete a measure with the conflicts recorded about it; risks keep existing."""
    permissions.require(membership, "risks.edit_object", measure)
    conflicts = MeasureConflict.objects.filter(Q(measure_a=measure) | Q(measure_b=measure))
    audit.record_event(
        instance=measure,
        event="measure.deleted",
        data={"unlinked_risks": list(measure.risks.values_list("pk", flat=True))},
    )
    for conflict in conflicts:
        conflict.delete()
    measure.risks.clear()
    measure.delete()


# --- Conflicts -----------------------------------------------------------------------------


@transaction.atomic
def conflict_save(
    *,
    organisation: Organisation,
    membership: Membership,
    conflict: MeasureConflict | None = None,
    measure_a: Measure,
    measure_b: Measure,
    description: str,
    resolution: str = "",
    state: str = MeasureConflict.State.OPEN,
    expected_revision: int | None = None,
) -> MeasureConflict:
    """Record or change a conflict; a member records conflicts only between measures they may both edit."""
    permissions.require(membership, "risks.edit_conflict", (measure_a, measure_b))
    if conflict is not None and conflict.pk:
        permissions.require(membership, "risks.edit_conflict", conflict)
    _check_revision(conflict, expected_revision)
    if measure_a.pk == measure_b.pk:
        raise ValidationError({"measure_b": _("Kies twee verschillende maatregelen.")})
    if measure_a.organisation_id != organisation.pk or measure_b.organisation_id != organisation.pk:
        raise ValidationError({"measure_a": _("Onbekende maatregel.")})
    if state == MeasureConflict.State.RESOLVED and not (resolution or "").strip():
        raise ValidationError({"resolution": _("Beschrijf hoe het conflict is opgelost.")})
    conflict = conflict or MeasureConflict(organisation=organisation, recorded_by=membership.user)
    conflict.measure_a = measure_a
    conflict.measure_b = measure_b
    conflict.description = description
    conflict.resolution = resolution or ""
    conflict.state = state
    _full_clean(conflict)
    return write_prepared(Prepared(instance=conflict, expected_revision=expected_revision))


@transaction.atomic
def conflict_delete(*, membership: Membership, conflict: MeasureConflict) -> None:
    permissions.require(membership, "risks.edit_conflict", conflict)
    conflict.delete()

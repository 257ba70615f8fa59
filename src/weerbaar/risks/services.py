"""Every write to the register. Views, the API and the Excel import call these functions.

Each function takes the acting membership, checks what that member may do (see
``permissions.py``), validates, writes in one transaction and leaves the audit trail (field
changes through the model signals, business events explicitly). Validation errors are
Dutch ``ValidationError``\\s keyed by field name, so forms and the API can show them in place.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from weerbaar.core import audit
from weerbaar.core.models import Membership, Organisation
from weerbaar.knowledge.models import Principle, SecurityGoal

from . import scoring
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk, RiskMatrix, Threat
from .permissions import can_edit_object, can_edit_themed, can_manage_register, require
from .selectors import matrix_for

REFERENCE_PREFIX = {Asset: "BM-", Risk: "R-", Measure: "M-"}


class ReferenceAllocator:
    """Hands out the next free reference (BM-001, R-001, M-001) for a model in one municipality."""

    def __init__(self, model, organisation: Organisation):
        self.prefix = REFERENCE_PREFIX[model]
        pattern = re.compile(re.escape(self.prefix) + r"(\d+)$")
        refs = model.objects.filter(organisation=organisation, reference__startswith=self.prefix).values_list(
            "reference", flat=True
        )
        self.last = max((int(m.group(1)) for r in refs if (m := pattern.match(r))), default=0)

    def next(self) -> str:
        self.last += 1
        return f"{self.prefix}{self.last:03d}"


def _check_reference(model, organisation: Organisation, reference: str, instance) -> None:
    if not reference:
        return
    clash = model.objects.filter(organisation=organisation, reference=reference)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"reference": _("Het kenmerk %(ref)s is al in gebruik.") % {"ref": reference}})


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
    """Change the matrix and recompute every score that depends on it; returns (matrix, risks changed)."""
    require(can_manage_register(membership))
    matrix = matrix_for(organisation)
    matrix.organisation = organisation
    matrix.likelihood_levels = likelihood_levels
    matrix.impact_levels = impact_levels
    matrix.acceptance_level = acceptance_level
    matrix.critical_level = critical_level
    matrix.likelihood_labels = [s.strip() for s in likelihood_labels or [] if s.strip()]
    matrix.impact_labels = [s.strip() for s in impact_labels or [] if s.strip()]
    _full_clean(matrix)
    errors = {}
    for field, labels, levels in (
        ("likelihood_labels", matrix.likelihood_labels, likelihood_levels),
        ("impact_labels", matrix.impact_labels, impact_levels),
    ):
        if labels and len(labels) != levels:
            errors[field] = _("Geef precies %(n)s namen, één per regel, of laat het veld leeg.") % {"n": levels}
    if not 1 <= acceptance_level < likelihood_levels * impact_levels:
        errors["acceptance_level"] = _("De acceptatiegrens ligt tussen 1 en %(max)s.") % {
            "max": likelihood_levels * impact_levels - 1
        }
    if critical_level <= acceptance_level:
        errors["critical_level"] = _("De grens 'zeer hoog' ligt boven de acceptatiegrens.")
    if errors:
        raise ValidationError(errors)
    matrix.save()
    changed = scoring.recompute_organisation(organisation=organisation, scale=scoring.Scale.of(matrix))
    audit.record_event(instance=matrix, event="risk_matrix.recomputed", data={"risks_changed": changed})
    return matrix, changed


# --- Assets --------------------------------------------------------------------------------


@transaction.atomic
def asset_save(
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
) -> Asset:
    require(can_manage_register(membership))
    asset = asset or Asset(organisation=organisation)
    reference = (reference or "").strip() or asset.reference
    _check_reference(Asset, organisation, reference, asset)
    asset.reference = reference or (allocator or ReferenceAllocator(Asset, organisation)).next()
    asset.name = name
    asset.kind = kind
    asset.description = description or ""
    asset.location = location or ""
    asset.owner = owner or ""
    asset.criticality = criticality
    _full_clean(asset)
    asset.save()
    return asset


@transaction.atomic
def asset_delete(*, membership: Membership, asset: Asset) -> None:
    """Delete an asset; the risks that named it keep existing without the link."""
    require(can_manage_register(membership))
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
) -> LocalThreat:
    require(can_manage_register(membership))
    threat = threat or LocalThreat(organisation=organisation)
    threat.name = name
    threat.deliberate = deliberate
    threat.description = description or ""
    _full_clean(threat)
    threat.save()
    threat.themes.set(list(themes))
    return threat


@transaction.atomic
def local_threat_delete(*, membership: Membership, threat: LocalThreat) -> None:
    require(can_manage_register(membership))
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


@transaction.atomic
def risk_save(
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
) -> Risk:
    theme_ids = _ids(themes)
    if risk is not None and risk.pk:
        require(can_edit_object(membership, risk))
    require(can_edit_themed(membership, theme_ids))
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
    if errors:
        raise ValidationError(errors)
    risk = risk or Risk(organisation=organisation)
    reference = (reference or "").strip() or risk.reference
    _check_reference(Risk, organisation, reference, risk)
    risk.reference = reference or (allocator or ReferenceAllocator(Risk, organisation)).next()
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
    risk.save()
    risk.themes.set(sorted(theme_ids))
    asset_ids = _ids(assets)
    if asset_ids != set(risk.assets.values_list("pk", flat=True)):
        found = set(Asset.objects.filter(organisation=organisation, pk__in=asset_ids).values_list("pk", flat=True))
        if found != asset_ids:
            raise ValidationError({"assets": _("Onbekend bedrijfsmiddel.")})
        risk.assets.set(sorted(asset_ids))
    return risk


@transaction.atomic
def risk_delete(*, membership: Membership, risk: Risk) -> None:
    """Delete a risk; measures that reduced it keep existing without the link."""
    require(can_edit_object(membership, risk))
    measures = list(risk.measures.all())
    audit.record_event(instance=risk, event="risk.deleted", data={"unlinked_measures": [m.pk for m in measures]})
    for measure in measures:  # from the measure's side, so each measure's audit trail shows the change
        measure.risks.remove(risk)
    risk.assets.clear()
    risk.delete()


# --- Measures ------------------------------------------------------------------------------


@transaction.atomic
def measure_save(
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
    bio2_refs: str = "",
    reference: str = "",
    allocator: ReferenceAllocator | None = None,
) -> Measure:
    theme_ids = _ids(themes)
    if measure is not None and measure.pk:
        require(can_edit_object(membership, measure))
    require(can_edit_themed(membership, theme_ids))
    errors: dict[str, str] = {}
    if not theme_ids:
        errors["themes"] = _("Kies minstens één thema.")
    for field, value in (("cost_once", cost_once), ("cost_yearly", cost_yearly)):
        if value is not None and Decimal(value) < 0:
            errors[field] = _("Kosten kunnen niet negatief zijn.")
    if errors:
        raise ValidationError(errors)
    measure = measure or Measure(organisation=organisation)
    reference = (reference or "").strip() or measure.reference
    _check_reference(Measure, organisation, reference, measure)
    measure.reference = reference or (allocator or ReferenceAllocator(Measure, organisation)).next()
    measure.title = title
    measure.description = description or ""
    measure.measure_type = measure_type
    measure.kind = kind
    measure.owner = owner or ""
    measure.status = status
    measure.deadline = deadline
    measure.cost_once = Decimal(cost_once or 0)
    measure.cost_yearly = Decimal(cost_yearly or 0)
    measure.side_effects = side_effects or ""
    measure.bio2_refs = bio2_refs or ""
    _full_clean(measure)
    measure.save()
    measure.themes.set(sorted(theme_ids))
    goal_ids, principle_ids, risk_ids = _ids(goals), _ids(principles), _ids(risks)
    if SecurityGoal.objects.filter(pk__in=goal_ids).count() != len(goal_ids):
        raise ValidationError({"goals": _("Onbekend beveiligingsdoel.")})
    if Principle.objects.filter(pk__in=principle_ids).count() != len(principle_ids):
        raise ValidationError({"principles": _("Onbekend uitgangspunt.")})
    if Risk.objects.filter(organisation=organisation, pk__in=risk_ids).count() != len(risk_ids):
        raise ValidationError({"risks": _("Onbekend risico.")})
    measure.goals.set(sorted(goal_ids))
    measure.principles.set(sorted(principle_ids))
    measure.risks.set(sorted(risk_ids))
    return measure


@transaction.atomic
def measure_set_status(*, membership: Membership, measure: Measure, status: str) -> Measure:
    require(can_edit_object(membership, measure))
    if status not in Measure.Status.values:
        raise ValidationError({"status": _("Kies een geldige status.")})
    if measure.status != status:
        measure.status = status
        measure.save(update_fields=["status", "updated_at"])
    return measure


@transaction.atomic
def measure_delete(*, membership: Membership, measure: Measure) -> None:
    """Delete a measure with the conflicts recorded about it; risks keep existing."""
    require(can_edit_object(membership, measure))
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
) -> MeasureConflict:
    if not (can_edit_object(membership, measure_a) or can_edit_object(membership, measure_b)):
        require(False)
    if conflict is not None and conflict.pk:
        old_a, old_b = conflict.measure_a, conflict.measure_b
        require(can_edit_object(membership, old_a) or can_edit_object(membership, old_b))
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
    conflict.save()
    return conflict


@transaction.atomic
def conflict_delete(*, membership: Membership, conflict: MeasureConflict) -> None:
    require(can_edit_object(membership, conflict.measure_a) or can_edit_object(membership, conflict.measure_b))
    conflict.delete()

"""Risk scores: the one place where likelihood and impact become a score and a level.

A score is likelihood × impact on the municipality's own matrix. The *current* score is the
residual score once both residual parts are assessed, otherwise the inherent score; it is
what the acceptance level is held against. Changing the matrix clamps values to the new
scales and recomputes every stored score through :func:`recompute_organisation`.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

DEFAULT_LIKELIHOOD_LABELS = [
    "zeer onwaarschijnlijk",
    "onwaarschijnlijk",
    "mogelijk",
    "waarschijnlijk",
    "zeer waarschijnlijk",
]
DEFAULT_IMPACT_LABELS = ["zeer klein", "klein", "aanzienlijk", "groot", "zeer groot"]

LEVEL_ACCEPTABLE = "acceptable"
LEVEL_HIGH = "high"
LEVEL_CRITICAL = "critical"
LEVEL_LABELS = {
    LEVEL_ACCEPTABLE: _("acceptabel"),
    LEVEL_HIGH: _("boven acceptatiegrens"),
    LEVEL_CRITICAL: _("zeer hoog"),
}
# Light fills with black text keep a contrast above 7:1; the level is also written out.
LEVEL_FILLS = {LEVEL_ACCEPTABLE: "#cfe8cf", LEVEL_HIGH: "#ffd9a8", LEVEL_CRITICAL: "#f6b3b3"}


@dataclass(frozen=True)
class Scale:
    likelihood_levels: int = 5
    impact_levels: int = 5
    acceptance_level: int = 6
    critical_level: int = 15
    likelihood_labels: tuple[str, ...] = ()
    impact_labels: tuple[str, ...] = ()

    @classmethod
    def of(cls, matrix) -> "Scale":
        return cls(
            likelihood_levels=matrix.likelihood_levels,
            impact_levels=matrix.impact_levels,
            acceptance_level=matrix.acceptance_level,
            critical_level=matrix.critical_level,
            likelihood_labels=tuple(labels_for(matrix.likelihood_labels, matrix.likelihood_levels, "likelihood")),
            impact_labels=tuple(labels_for(matrix.impact_labels, matrix.impact_levels, "impact")),
        )

    @property
    def max_score(self) -> int:
        return self.likelihood_levels * self.impact_levels


def labels_for(labels: list | None, levels: int, axis: str) -> list[str]:
    """Labels for each level (1..levels): the municipality's own, else the defaults, else numbers."""
    labels = [str(v).strip() for v in (labels or []) if str(v).strip()]
    if len(labels) == levels:
        return labels
    default = DEFAULT_LIKELIHOOD_LABELS if axis == "likelihood" else DEFAULT_IMPACT_LABELS
    if levels == len(default):
        return list(default)
    return [str(i) for i in range(1, levels + 1)]


def score(likelihood: int | None, impact: int | None) -> int | None:
    if likelihood is None or impact is None:
        return None
    return int(likelihood) * int(impact)


def level(value: int | None, scale: Scale) -> str | None:
    if value is None:
        return None
    if value > scale.acceptance_level and value >= scale.critical_level:
        return LEVEL_CRITICAL
    if value > scale.acceptance_level:
        return LEVEL_HIGH
    return LEVEL_ACCEPTABLE


def clamp(value: int | None, maximum: int) -> int | None:
    if value is None:
        return None
    return max(1, min(int(value), maximum))


def apply_scores(risk, scale: Scale) -> None:
    """Set a risk's derived fields from its likelihood and impact (clamped to the scale). No save."""
    risk.inherent_likelihood = clamp(risk.inherent_likelihood, scale.likelihood_levels)
    risk.inherent_impact = clamp(risk.inherent_impact, scale.impact_levels)
    risk.residual_likelihood = clamp(risk.residual_likelihood, scale.likelihood_levels)
    risk.residual_impact = clamp(risk.residual_impact, scale.impact_levels)
    risk.inherent_score = score(risk.inherent_likelihood, risk.inherent_impact)
    risk.residual_score = score(risk.residual_likelihood, risk.residual_impact)
    risk.current_score = risk.residual_score if risk.residual_score is not None else risk.inherent_score
    risk.exceeds_acceptance = risk.current_score > scale.acceptance_level


SCORED_FIELDS = [
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "inherent_score",
    "residual_score",
    "current_score",
    "exceeds_acceptance",
]


@transaction.atomic
def recompute_organisation(*, organisation, scale: Scale) -> int:
    """Recompute every stored score of a municipality after its matrix changed; returns rows changed.

    Each changed risk is saved on its own so that the audit trail shows the new scores.
    """
    from .models import Risk

    changed = 0
    for risk in Risk.objects.filter(organisation=organisation):
        before = tuple(getattr(risk, f) for f in SCORED_FIELDS)
        apply_scores(risk, scale)
        if tuple(getattr(risk, f) for f in SCORED_FIELDS) != before:
            risk.save(update_fields=SCORED_FIELDS)
            changed += 1
    return changed

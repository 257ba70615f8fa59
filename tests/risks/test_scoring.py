import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weerbaar.knowledge.models import Theme
from weerbaar.risks import scoring, services
from weerbaar.risks.models import Risk
from weerbaar.risks.selectors import matrix_for, scale_for

from ..conftest import member


def test_score_is_likelihood_times_impact_and_level_follows_acceptance():
    scale = scoring.Scale(acceptance_level=6, critical_level=15)
    assert scoring.score(3, 4) == 12
    assert scoring.score(None, 4) is None
    assert scoring.level(6, scale) == scoring.LEVEL_ACCEPTABLE
    assert scoring.level(7, scale) == scoring.LEVEL_HIGH
    assert scoring.level(15, scale) == scoring.LEVEL_CRITICAL


def test_current_score_is_residual_once_assessed():
    scale = scoring.Scale()
    risk = Risk(inherent_likelihood=4, inherent_impact=4)
    scoring.apply_scores(risk, scale)
    assert (risk.inherent_score, risk.residual_score, risk.current_score) == (16, None, 16)
    assert risk.exceeds_acceptance
    risk.residual_likelihood, risk.residual_impact = 2, 3
    scoring.apply_scores(risk, scale)
    assert (risk.residual_score, risk.current_score, risk.exceeds_acceptance) == (6, 6, False)


def test_default_labels_for_five_levels_and_numbers_otherwise():
    assert scoring.labels_for([], 5, "impact")[0] == "zeer klein"
    assert scoring.labels_for([], 4, "impact") == ["1", "2", "3", "4"]
    assert scoring.labels_for(["laag", "midden", "hoog"], 3, "likelihood") == ["laag", "midden", "hoog"]


def _risk(org, coordinator, l_, i, rl=None, ri=None):
    return services.risk_save(
        organisation=org,
        membership=coordinator,
        title="Testrisico",
        themes=[Theme.objects.get(slug="informatiebeveiliging")],
        inherent_likelihood=l_,
        inherent_impact=i,
        residual_likelihood=rl,
        residual_impact=ri,
    )


def test_changing_the_matrix_recomputes_scores_and_clamps_to_the_new_scale(demostad, catalogue, org_scope):
    with org_scope(demostad):
        _changing_the_matrix(demostad)


def _changing_the_matrix(demostad):
    coordinator = member(demostad, "coordinator")
    risk = _risk(demostad, coordinator, 5, 5, 3, 2)
    low = _risk(demostad, coordinator, 2, 3)
    assert not low.exceeds_acceptance
    matrix, changed = services.matrix_update(
        organisation=demostad,
        membership=coordinator,
        likelihood_levels=4,
        impact_levels=4,
        acceptance_level=4,
        critical_level=12,
        likelihood_labels=["zelden", "soms", "vaak", "bijna zeker"],
    )
    assert changed == 2
    risk.refresh_from_db()
    low.refresh_from_db()
    assert (risk.inherent_likelihood, risk.inherent_impact, risk.inherent_score) == (4, 4, 16)
    assert risk.current_score == 6 and risk.exceeds_acceptance
    assert low.exceeds_acceptance  # 6 > new acceptance level 4
    assert scale_for(demostad).likelihood_labels[3] == "bijna zeker"
    assert matrix_for(demostad).pk == matrix.pk


def test_matrix_validation_and_role(demostad, catalogue, org_scope):
    with org_scope(demostad):
        _matrix_validation(demostad)


def _matrix_validation(demostad):
    coordinator = member(demostad, "coordinator")
    with pytest.raises(ValidationError) as e:
        services.matrix_update(
            organisation=demostad,
            membership=coordinator,
            likelihood_levels=5,
            impact_levels=5,
            acceptance_level=10,
            critical_level=8,
            impact_labels=["a", "b"],
        )
    assert set(e.value.message_dict) == {"critical_level", "impact_labels"}
    with pytest.raises(PermissionDenied):
        services.matrix_update(
            organisation=demostad,
            membership=member(demostad, "expert"),
            likelihood_levels=5,
            impact_levels=5,
            acceptance_level=6,
            critical_level=15,
        )


def test_risk_values_outside_the_scale_are_refused(demostad, catalogue, org_scope):
    with org_scope(demostad), pytest.raises(ValidationError) as e:
        _risk(demostad, member(demostad, "coordinator"), 6, 2, 1, None)
    assert "Kies een waarde van 1 tot en met 5." in e.value.message_dict["inherent_likelihood"]
    assert "residual_impact" in e.value.message_dict

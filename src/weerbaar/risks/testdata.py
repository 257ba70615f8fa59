"""A large synthetic register, for query-budget tests and the benchmark (bench/risks.py).

Rows are bulk-created (no audit entries: this is not user data), with scores computed by
``scoring.apply_scores`` so that the data looks exactly like data entered through the services.
"""

import datetime
import random
from decimal import Decimal

from weerbaar.core.models import Organisation
from weerbaar.knowledge.models import SecurityGoal, Theme

from . import scoring, summary
from .models import Asset, Measure, Risk, Threat
from .selectors import scale_for


def generate(*, organisation: Organisation, assets: int, risks: int, measures: int, seed: int = 5) -> None:
    rnd = random.Random(seed)
    scale = scale_for(organisation)
    theme_ids = list(Theme.objects.values_list("pk", flat=True))
    goal_ids = list(SecurityGoal.objects.values_list("pk", flat=True))
    threat_ids = list(Threat.objects.values_list("pk", flat=True)) or [None]
    created = Asset.objects.bulk_create(
        [
            Asset(
                organisation=organisation,
                reference=f"GA-{i:05d}",
                name=f"Bedrijfsmiddel {i}",
                kind=rnd.choice(Asset.Kind.values),
                criticality=rnd.randint(1, 4),
                location=f"Locatie {i % 40}",
                owner=f"Afdeling {i % 12}",
            )
            for i in range(assets)
        ],
        batch_size=500,
    )
    asset_ids = [a.pk for a in created]
    risk_rows = []
    for i in range(risks):
        residual = rnd.random() < 0.6
        r = Risk(
            organisation=organisation,
            reference=f"GR-{i:05d}",
            title=f"Risico {i}",
            scenario="Gegenereerd scenario.",
            threat_id=rnd.choice(threat_ids),
            inherent_likelihood=rnd.randint(1, scale.likelihood_levels),
            inherent_impact=rnd.randint(1, scale.impact_levels),
            treatment=rnd.choice(Risk.Treatment.values),
            owner=f"Eigenaar {i % 20}",
        )
        if r.treatment == Risk.Treatment.ACCEPT:
            r.accepted_by, r.accepted_until = "college", datetime.date.today() + datetime.timedelta(days=200)
        if residual:
            r.residual_likelihood = rnd.randint(1, r.inherent_likelihood)
            r.residual_impact = rnd.randint(1, r.inherent_impact)
        scoring.apply_scores(r, scale)
        risk_rows.append(r)
    risk_objs = Risk.objects.bulk_create(risk_rows, batch_size=500)
    risk_ids = [r.pk for r in risk_objs]
    measure_objs = Measure.objects.bulk_create(
        [
            Measure(
                organisation=organisation,
                reference=f"GM-{i:05d}",
                title=f"Maatregel {i}",
                measure_type=rnd.choice(Measure.Type.values),
                kind=rnd.choice(Measure.Kind.values),
                status=rnd.choice(Measure.Status.values),
                deadline=datetime.date(2025 + i % 4, 1 + i % 12, 1),
                cost_once=Decimal(rnd.randint(0, 50) * 500),
                cost_yearly=Decimal(rnd.randint(0, 20) * 250),
                owner=f"Eigenaar {i % 20}",
            )
            for i in range(measures)
        ],
        batch_size=500,
    )
    RiskAsset, RiskTheme = Risk.assets.through, Risk.themes.through
    MeasureTheme, MeasureGoal, MeasureRisk = Measure.themes.through, Measure.goals.through, Measure.risks.through
    if asset_ids:
        RiskAsset.objects.bulk_create(
            [
                RiskAsset(risk_id=r, asset_id=a)
                for r in risk_ids
                for a in set(rnd.sample(asset_ids, min(2, len(asset_ids))))
            ],
            batch_size=1000,
        )
    RiskTheme.objects.bulk_create(
        [RiskTheme(risk_id=r, theme_id=t) for r in risk_ids for t in set(rnd.sample(theme_ids, 2))], batch_size=1000
    )
    MeasureTheme.objects.bulk_create(
        [MeasureTheme(measure_id=m.pk, theme_id=rnd.choice(theme_ids)) for m in measure_objs], batch_size=1000
    )
    MeasureGoal.objects.bulk_create(
        [MeasureGoal(measure_id=m.pk, securitygoal_id=g) for m in measure_objs for g in set(rnd.sample(goal_ids, 2))],
        batch_size=1000,
    )
    if risk_ids:
        MeasureRisk.objects.bulk_create(
            [
                MeasureRisk(measure_id=m.pk, risk_id=r)
                for m in measure_objs
                for r in set(rnd.sample(risk_ids, min(2, len(risk_ids))))
            ],
            batch_size=1000,
        )
    summary.invalidate(organisation.pk)  # bulk writes send no signals

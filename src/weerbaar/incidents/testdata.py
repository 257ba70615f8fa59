"""A large synthetic incident register, for query-budget tests and the benchmark
(bench/incidents_load.py). Rows are bulk-created (no logboek entries: this is not user data)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from weerbaar.core.models import Membership, Organisation
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset, Measure, Risk

from .models import REPORT_HOURS, ExternalReport, Incident, IncidentType
from .signals import data_changed

PLACES = [f"Locatie {i}" for i in range(60)]


def generate(*, organisation: Organisation, incidents: int, seed: int = 7, confidential_share: float = 0.05) -> None:
    rnd = random.Random(seed)
    now = timezone.now()
    theme_ids = list(Theme.objects.values_list("pk", flat=True))
    types = list(IncidentType.objects.all())
    asset_ids = list(Asset.objects.filter(organisation=organisation).values_list("pk", flat=True))
    risk_ids = list(Risk.objects.filter(organisation=organisation).values_list("pk", flat=True))
    measure_ids = list(Measure.objects.filter(organisation=organisation).values_list("pk", flat=True))
    member_ids = list(Membership.objects.filter(organisation=organisation).values_list("pk", flat=True))
    start = Incident.objects.filter(organisation=organisation).count()
    rows = []
    for i in range(incidents):
        occurred = now - datetime.timedelta(minutes=rnd.randint(60, 2 * 365 * 24 * 60))
        kind = rnd.choice(types)
        rows.append(
            Incident(
                organisation=organisation,
                reference=f"G-{start + i:06d}",
                title=f"Incident {start + i}",
                occurred_at=occurred,
                discovered_at=occurred + datetime.timedelta(hours=rnd.choice([0, 1, 5])),
                incident_type=kind,
                severity=rnd.randint(1, 4),
                place=rnd.choice(PLACES),
                description="Gegenereerd incident.",
                confidential=rnd.random() < confidential_share,
                status=rnd.choice(Incident.Status.values),
                lessons="Gegenereerde les." if rnd.random() < 0.2 else "",
            )
        )
    created = Incident.objects.bulk_create(rows, batch_size=1000)
    themes, assets, handlers, risks, failed, reports = [], [], [], [], [], []
    for incident in created:
        for theme_id in rnd.sample(theme_ids, k=min(len(theme_ids), rnd.randint(1, 2))):
            themes.append(Incident.themes.through(incident_id=incident.pk, theme_id=theme_id))
        if asset_ids:
            assets.append(Incident.assets.through(incident_id=incident.pk, asset_id=rnd.choice(asset_ids)))
        if incident.confidential and member_ids:
            handlers.append(Incident.handlers.through(incident_id=incident.pk, membership_id=rnd.choice(member_ids)))
        if incident.lessons and risk_ids:
            risks.append(Incident.materialised_risks.through(incident_id=incident.pk, risk_id=rnd.choice(risk_ids)))
        if incident.lessons and measure_ids:
            failed.append(Incident.failed_measures.through(incident_id=incident.pk, measure_id=rnd.choice(measure_ids)))
        for kind in incident.incident_type.reports:
            hours = REPORT_HOURS.get(kind)
            reports.append(
                ExternalReport(
                    organisation=organisation,
                    incident=incident,
                    kind=kind,
                    due_at=incident.discovered_at + datetime.timedelta(hours=hours) if hours else None,
                    status=ExternalReport.Status.MADE if rnd.random() < 0.9 else ExternalReport.Status.DUE,
                    made_at=incident.discovered_at + datetime.timedelta(hours=3),
                )
            )
    for model, batch in (
        (Incident.themes.through, themes),
        (Incident.assets.through, assets),
        (Incident.handlers.through, handlers),
        (Incident.materialised_risks.through, risks),
        (Incident.failed_measures.through, failed),
        (ExternalReport, reports),
    ):
        model.objects.bulk_create(batch, batch_size=1000)
    data_changed(organisation.pk)  # bulk_create sends no signals: the cached pattern figures must go

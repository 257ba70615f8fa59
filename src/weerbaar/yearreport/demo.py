"""Demo data: Demostad has an adopted yearly report for last year.

Runs after every other app's demo loader (order 90), so the frozen report holds their chapters.
Idempotent: when Demostad already has a yearly report, nothing is touched.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role

from . import services
from .models import YearReport

FOREWORD = (
    "Dit jaarverslag legt verantwoording af over de integrale beveiliging van Demostad. Het jaar stond in het "
    "teken van het eerste vastgestelde strategisch kader en van de opbouw van één risicoregister voor alle "
    "thema's.\n\nWij vragen het college het verslag vast te stellen en kennis te nemen van de aanbevelingen."
)
CONCLUSIONS = (
    "De basis staat: er is een vastgesteld kader en een register waarin risico's en maatregelen samenkomen. "
    "Aandacht blijft nodig voor maatregelen die over hun uiterste datum zijn en voor geaccepteerde risico's "
    "die binnenkort verlopen.\n\nAanbeveling: bespreek het risicobeeld twee keer per jaar in het directieteam."
)


def _member(org: Organisation, role: str) -> Membership | None:
    return Membership.objects.select_related("user").filter(organisation=org, role=role).order_by("pk").first()


@transaction.atomic
def load_yearreport_demo(organisation: Organisation, *, today: datetime.date | None = None) -> YearReport | None:
    today = today or timezone.localdate()
    with scope(organisation=organisation.pk):
        if YearReport.objects.filter(organisation=organisation).exists():
            return None
        coordinator, board = _member(organisation, Role.COORDINATOR), _member(organisation, Role.BOARD)
        if coordinator is None or board is None:
            return None
        report = services.report_build(organisation=organisation, membership=coordinator, year=today.year - 1)
        report = services.texts_save(report=report, membership=coordinator, foreword=FOREWORD, conclusions=CONCLUSIONS)
        report = services.report_submit(report=report, membership=coordinator)
        return services.report_adopt(
            report=report,
            membership=board,
            adopted_on=min(today, datetime.date(today.year, 3, 10)),
            decision_reference=f"B&W {today.year}/0142",
            adopted_by_body="college van burgemeester en wethouders",
        )


def load_for_demo(organisations: dict[str, Organisation]) -> YearReport | None:
    org = organisations.get("demostad")
    return load_yearreport_demo(org) if org is not None else None

"""Demostad's own planning-and-control moments, the coordinator's calendar choices and one sent
reminder, so the calendar, the feed page and the reminder log have real rows. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role

from .models import MemberAgenda, PlanningMoment, ReminderLog

MOMENTS = [
    (4, 15, "Kadernota naar de raad", "Ruimte voor nieuwe beveiligingsmaatregelen aanvragen."),
    (6, 1, "Jaarrekening en jaarverslag naar de raad", "Paragraaf bedrijfsvoering noemt de stand van de beveiliging."),
    (7, 1, "Voorjaarsnota behandeld", ""),
    (11, 10, "Begroting vastgesteld", "Budget voor het meerjarenplan integrale beveiliging."),
]


@transaction.atomic
def load_agenda_demo(organisation: Organisation, today: datetime.date | None = None) -> dict:
    today = today or datetime.date.today()
    with scope(organisation=organisation.pk):
        if PlanningMoment.objects.filter(organisation=organisation).exists():
            return {"moments": 0}
        coordinator = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).order_by("pk").first()
        for year in (today.year, today.year + 1):
            for month, day, title, description in MOMENTS:
                PlanningMoment.objects.create(
                    organisation=organisation,
                    title=title,
                    date=datetime.date(year, month, day),
                    description=description,
                    owner=coordinator,
                )
        _risk_dates(organisation, today)
        if coordinator is not None:
            MemberAgenda.objects.get_or_create(
                membership=coordinator, defaults={"organisation": organisation, "reminders": True}
            )
            ReminderLog.objects.get_or_create(
                organisation=organisation,
                membership=coordinator,
                day=today - datetime.timedelta(days=1),
                defaults={"items": 1},
            )
    return {"moments": 2 * len(MOMENTS)}


def _risk_dates(organisation: Organisation, today: datetime.date) -> None:
    """Give a few demo risks a review date, and accepted risks an end to their acceptance."""
    from weerbaar.risks.models import Risk

    risks = Risk.objects.filter(organisation=organisation, review_date__isnull=True).order_by("pk")
    for offset, pk in zip((-20, 10, 75, 160), risks.values_list("pk", flat=True)[:4], strict=False):
        Risk.objects.filter(pk=pk).update(review_date=today + datetime.timedelta(days=offset))
    accepted = Risk.objects.filter(
        organisation=organisation, treatment=Risk.Treatment.ACCEPT, accepted_until__isnull=True
    )
    for offset, pk in zip((45, 200), accepted.order_by("pk").values_list("pk", flat=True)[:2], strict=False):
        Risk.objects.filter(pk=pk).update(accepted_until=today + datetime.timedelta(days=offset))


def load_for_demo(organisations: dict[str, Organisation]) -> dict:
    if "demostad" not in organisations:
        return {"moments": 0}
    return load_agenda_demo(organisations["demostad"])

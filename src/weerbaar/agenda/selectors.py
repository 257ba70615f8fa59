"""The calendar assembled from every registered source, and what reminders read of it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from weerbaar.core.registry import CalendarEntry, calendar_sources

# Labels of the kinds the apps register; a kind not listed here is shown by its own name.
KIND_LABELS = {
    "ensia": _("ENSIA"),
    "verantwoording": _("Verantwoording ENSIA"),
    "planning": _("Planning en control"),
    "framework_review": _("Herziening kader"),
    "subplan_review": _("Herziening deelplan"),
    "risk_review": _("Herbeoordeling risico"),
    "acceptance": _("Acceptatie risico verloopt"),
    "action": _("Actie jaarplan"),
    "check": _("Controle of audit"),
    "finding": _("Bevinding"),
    "deviation": _("Geaccepteerde afwijking"),
    "incident": _("Incident"),
    "incident_report": _("Externe melding incident"),
    "external_report": _("Externe melding incident"),
    "report": _("Jaarverslag"),
    "training": _("Opleiden en oefenen"),
    "selfscan": _("Zelfscan"),
    "circle": _("Lerende cirkel"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind.replace("_", " ")))


@dataclass(frozen=True)
class Item:
    """A calendar entry as the pages show it, with its state on ``today``."""

    entry: CalendarEntry
    source: str
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return not self.entry.done and self.entry.date < self.today

    @property
    def due_soon(self) -> bool:
        return not self.entry.done and self.today <= self.entry.date <= self.today + datetime.timedelta(days=14)

    @property
    def kind_label(self) -> str:
        return kind_label(self.entry.kind)

    def __getattr__(self, name):
        return getattr(self.entry, name)


def entries(membership, start: datetime.date, end: datetime.date, *, today: datetime.date | None = None) -> list[Item]:
    """Every registered source's dates between start and end that this member may see, in date order."""
    today = today or datetime.date.today()
    items = []
    for identifier, source in calendar_sources.items():
        for entry in source(membership, start, end) or ():
            if start <= entry.date <= end:
                items.append(Item(entry=entry, source=identifier, today=today))
    items.sort(key=lambda i: (i.entry.date, i.entry.kind, i.entry.title))
    return items


@dataclass
class Month:
    number: int
    year: int
    items: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        return date_format(datetime.date(self.year, self.number, 1), "F Y")

    @property
    def anchor(self) -> str:
        return f"maand-{self.number:02d}"


def by_month(year: int, items: Iterable[Item]) -> list[Month]:
    months = [Month(number=n, year=year) for n in range(1, 13)]
    for item in items:
        if item.entry.date.year == year:
            months[item.entry.date.month - 1].items.append(item)
    return months


def reminder_items(membership, today: datetime.date, *, horizon: int = 14, lookback: int = 366) -> list[Item]:
    """What this member owns that falls due within ``horizon`` days, and what is overdue (not done)."""
    start = today - datetime.timedelta(days=lookback)
    end = today + datetime.timedelta(days=horizon)
    return [
        item
        for item in entries(membership, start, end, today=today)
        if item.entry.owner_id == membership.pk and not item.entry.done
    ]


def planning_moments(*, organisation, **_filters):
    from .models import PlanningMoment

    return PlanningMoment.objects.filter(organisation=organisation).select_related("owner__user").order_by("date", "id")

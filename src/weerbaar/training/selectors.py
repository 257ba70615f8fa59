"""Reads of the training plan: the year's overview, coverage per group, the college's cyber
training, and the dates for the calendar. Each takes the organisation explicitly and reads in a
fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum

from .models import Activity, Participation, Session, StaffGroup


def group_list(*, organisation, **_filters):
    return (
        StaffGroup.objects.filter(organisation=organisation)
        .annotate(activity_count=Count("activities"))
        .order_by("order", "name", "id")
    )


def activity_list(*, organisation, query: str = "", kind: str = "", group: int | None = None, **_filters):
    qs = (
        Activity.objects.filter(organisation=organisation)
        .select_related("owner__user")
        .prefetch_related(Prefetch("groups", queryset=StaffGroup.objects.order_by("order", "name")))
        .annotate(session_count=Count("sessions", distinct=True))
    )
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    if group:
        qs = qs.filter(groups=group)
    return qs.order_by("title", "id")


def sessions_of(activity):
    return (
        activity.sessions.all()
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("group")))
        .order_by("-date", "-id")
    )


def years_with_data(*, organisation, around: int) -> list[int]:
    dates = Session.objects.filter(organisation=organisation).dates("date", "year")
    years = {d.year for d in dates} | {around - 1, around, around + 1}
    return sorted(years)


def year_sessions(*, organisation, year: int):
    return (
        Session.objects.filter(organisation=organisation, date__year=year)
        .select_related("activity")
        .annotate(participant_total=Sum("participations__participants"))
        .order_by("date", "id")
    )


@dataclass
class CoverageCell:
    year: int
    participants: int
    size: int | None

    @property
    def percent(self) -> int | None:
        if not self.size:
            return None
        return round(100 * self.participants / self.size)


@dataclass
class CoverageRow:
    group: StaffGroup
    cells: list[CoverageCell] = field(default_factory=list)


def coverage(*, organisation, years: list[int]) -> list[CoverageRow]:
    """Per group and year: participants in sessions carried out, against the group's size.

    One person who attends two activities counts twice: the figure is *deelnames*, so a share
    above 100% means the group was reached more than once on average.
    """
    groups = list(StaffGroup.objects.filter(organisation=organisation).order_by("order", "name"))
    totals = defaultdict(int)
    rows = (
        Participation.objects.filter(
            organisation=organisation, session__status=Session.Status.DONE, session__date__year__in=years
        )
        .values_list("group_id", "session__date__year")
        .annotate(total=Sum("participants"))
    )
    for group_id, year, total in rows:
        totals[(group_id, year)] = total or 0
    return [CoverageRow(group=g, cells=[CoverageCell(y, totals[(g.pk, y)], g.size) for y in years]) for g in groups]


@dataclass
class CyberTrainingStatus:
    year: int
    activities: list[Activity]
    planned: list[Session]
    done: list[Session]
    participants: int
    college_size: int | None

    @property
    def is_planned(self) -> bool:
        return bool(self.planned or self.done)

    @property
    def is_done(self) -> bool:
        return bool(self.done)


def board_cyber_training(*, organisation, year: int) -> CyberTrainingStatus:
    """Is the cyber training the Cyberbeveiligingswet asks of the college planned and done this year?"""
    activities = list(Activity.objects.filter(organisation=organisation, board_cyber_training=True).order_by("title"))
    sessions = list(
        Session.objects.filter(organisation=organisation, activity__board_cyber_training=True, date__year=year)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("activity")
        .order_by("date")
    )
    college = StaffGroup.objects.filter(organisation=organisation, kind=StaffGroup.Kind.COLLEGE).first()
    participants = 0
    if college is not None:
        participants = (
            Participation.objects.filter(
                group=college,
                session__in=[s for s in sessions if s.status == Session.Status.DONE],
            ).aggregate(n=Sum("participants"))["n"]
            or 0
        )
    return CyberTrainingStatus(
        year=year,
        activities=activities,
        planned=[s for s in sessions if s.status == Session.Status.PLANNED],
        done=[s for s in sessions if s.status == Session.Status.DONE],
        participants=participants,
        college_size=college.size if college else None,
    )


def participation_table(*, organisation, year: int) -> tuple[list[StaffGroup], list[dict]]:
    """Sessions carried out in the year, with participants per group: the yearly report's table."""
    groups = list(StaffGroup.objects.filter(organisation=organisation).order_by("order", "name"))
    sessions = list(
        Session.objects.filter(organisation=organisation, date__year=year, status=Session.Status.DONE)
        .select_related("activity")
        .prefetch_related("participations")
        .order_by("date", "id")
    )
    rows = []
    for s in sessions:
        by_group = {p.group_id: p.participants for p in s.participations.all()}
        rows.append({"session": s, "counts": [by_group.get(g.pk) for g in groups], "total": sum(by_group.values())})
    return groups, rows


def calendar_sessions(*, organisation, start: datetime.date, end: datetime.date):
    return (
        Session.objects.filter(organisation=organisation, date__gte=start, date__lte=end)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("activity")
        .order_by("date", "id")
    )

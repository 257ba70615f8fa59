"""Reads of the yearly plan and the checks: lists, progress per theme, overdue, the multi-year view."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from weerbaar.core.models import Membership, Organisation
from weerbaar.knowledge.models import Theme

from .models import Action, Check, Deviation, Finding

ACTION_SORTS = {
    "datum": ("due_date", "reference", "id"),
    "-datum": ("-due_date", "reference", "id"),
    "kenmerk": ("reference", "id"),
    "titel": ("title", "id"),
    "status": ("status", "due_date", "id"),
}


def today() -> datetime.date:
    return timezone.localdate()


def _findings_of(column: str, *conditions) -> Coalesce:
    """The number of findings of each row, as a correlated subquery: a list's count() leaves it
    out (a joined ``Count`` would group every matching row), the page computes it for its rows."""
    findings = (
        Finding.objects.filter(*conditions, **{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(findings, output_field=IntegerField()), 0)


def action_list(
    *,
    organisation: Organisation,
    year: int | None = None,
    query: str = "",
    theme: int | None = None,
    status: str = "",
    owner: int | None = None,
    overdue: bool = False,
    sort: str = "",
) -> QuerySet[Action]:
    qs = (
        Action.objects.filter(organisation=organisation)
        .select_related("owner__user")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
        .annotate(finding_count=_findings_of("action"))
    )
    if year:
        qs = qs.filter(year=year)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(reference__icontains=query) | Q(description__icontains=query))
    if theme:
        qs = qs.filter(themes=theme)
    if status == "open":
        qs = qs.filter(status__in=Action.OPEN)
    elif status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=owner)
    if overdue:
        qs = qs.filter(status__in=Action.OPEN, due_date__lt=today())
    return qs.order_by(*ACTION_SORTS.get(sort, ACTION_SORTS["datum"]))


def action_detail_queryset() -> QuerySet[Action]:
    return Action.objects.select_related("owner__user", "carried_from").prefetch_related(
        "themes", "measures", "risks", "goals", "findings__source_check", "carried_to"
    )


def plan_years(*, organisation: Organisation) -> list[int]:
    """The years that have a plan, newest first, and always this year."""
    years = set(Action.objects.filter(organisation=organisation).values_list("year", flat=True).distinct())
    years.add(today().year)
    return sorted(years, reverse=True)


@dataclass
class ThemeProgress:
    theme: Theme | None
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    cancelled: int = 0
    carried: int = 0

    @property
    def percent(self) -> int:
        counted = self.total - self.cancelled - self.carried
        return round(100 * self.done / counted) if counted > 0 else 0


def progress_by_theme(*, organisation: Organisation, year: int) -> tuple[list[ThemeProgress], ThemeProgress]:
    """Per theme (and one row for actions without a theme): how many done, open and overdue.

    An action with two themes counts in both; the total row counts each action once.
    Two aggregate queries, whatever the number of actions.
    """
    now = today()
    base = Action.objects.filter(organisation=organisation, year=year)
    counts = {
        "total": Count("id", distinct=True),
        "done": Count("id", filter=Q(status=Action.Status.DONE), distinct=True),
        "open": Count("id", filter=Q(status__in=Action.OPEN), distinct=True),
        "overdue": Count("id", filter=Q(status__in=Action.OPEN, due_date__lt=now), distinct=True),
        "cancelled": Count("id", filter=Q(status=Action.Status.CANCELLED), distinct=True),
        "carried": Count("id", filter=Q(status=Action.Status.CARRIED_OVER), distinct=True),
    }
    per_theme = {row.pop("themes"): row for row in base.values("themes").annotate(**counts).order_by()}
    themes = list(Theme.objects.order_by("order", "name"))
    rows = [ThemeProgress(theme=t, **per_theme[t.pk]) for t in themes if t.pk in per_theme]
    if None in per_theme:
        rows.append(ThemeProgress(theme=None, **per_theme[None]))
    total = ThemeProgress(theme=None, **base.aggregate(**counts))
    return rows, total


@dataclass
class YearColumn:
    year: int
    total: int = 0
    done: int = 0
    open: int = 0
    carried: int = 0
    checks: int = 0
    findings: int = 0


@dataclass
class MultiYear:
    years: list[YearColumn]
    themes: list[tuple[Theme, list[int]]] = field(default_factory=list)


def multi_year(*, organisation: Organisation, first: int, last: int) -> MultiYear:
    """Actions per year (and per theme per year) from ``first`` to ``last``, checks and findings per year."""
    years = {y: YearColumn(year=y) for y in range(first, last + 1)}
    rows = (
        Action.objects.filter(organisation=organisation, year__gte=first, year__lte=last)
        .values("year")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=Action.Status.DONE)),
            open=Count("id", filter=Q(status__in=Action.OPEN)),
            carried=Count("id", filter=Q(status=Action.Status.CARRIED_OVER)),
        )
        .order_by()
    )
    for row in rows:
        y = years[row.pop("year")]
        for k, v in row.items():
            setattr(y, k, v)
    checks = (
        Check.objects.filter(organisation=organisation, date__year__gte=first, date__year__lte=last)
        .values("date__year")
        .annotate(n=Count("id", distinct=True), f=Count("findings", distinct=True))
        .order_by()
    )
    for row in checks:
        years[row["date__year"]].checks = row["n"]
        years[row["date__year"]].findings = row["f"]
    per_theme: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        Action.objects.filter(organisation=organisation, year__gte=first, year__lte=last)
        .exclude(status__in=(Action.Status.CANCELLED, Action.Status.CARRIED_OVER))
        .values("themes", "year")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["themes"] is not None:
            per_theme[row["themes"]][row["year"]] = row["n"]
    themes = [
        (t, [per_theme[t.pk].get(y, 0) for y in years])
        for t in Theme.objects.filter(pk__in=per_theme).order_by("order", "name")
    ]
    return MultiYear(years=list(years.values()), themes=themes)


def overdue_actions(*, organisation: Organisation) -> QuerySet[Action]:
    return action_list(organisation=organisation, overdue=True)


CHECK_SORTS = {"-datum": ("-date", "-id"), "datum": ("date", "id"), "kenmerk": ("reference", "id")}


def check_list(
    *,
    organisation: Organisation,
    year: int | None = None,
    query: str = "",
    kind: str = "",
    theme: int | None = None,
    sort: str = "",
) -> QuerySet[Check]:
    qs = (
        Check.objects.filter(organisation=organisation)
        .select_related("owner__user")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
        .annotate(
            finding_count=_findings_of("source_check"),
            open_findings=_findings_of(
                "source_check",
                Q(action=None, risk=None),
                ~Exists(Deviation.objects.filter(finding=OuterRef("pk"))),
            ),
        )
    )
    if year:
        qs = qs.filter(date__year=year)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(reference__icontains=query) | Q(summary__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    if theme:
        qs = qs.filter(themes=theme)
    return qs.order_by(*CHECK_SORTS.get(sort, CHECK_SORTS["-datum"]))


def check_detail_queryset() -> QuerySet[Check]:
    return Check.objects.select_related("owner__user").prefetch_related(
        "themes",
        "measures",
        "assets",
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("action", "risk").prefetch_related("deviations"),
        ),
    )


def _followed_up() -> Q:
    has_deviation = Exists(Deviation.objects.filter(finding=OuterRef("pk")))
    return Q(action__isnull=False) | Q(risk__isnull=False) | Q(has_deviation)


def finding_list(
    *,
    organisation: Organisation,
    query: str = "",
    severity: int | None = None,
    state: str = "",
    year: int | None = None,
) -> QuerySet[Finding]:
    qs = (
        Finding.objects.filter(organisation=organisation)
        .select_related("source_check", "action", "risk")
        .annotate(has_deviation=Exists(Deviation.objects.filter(finding=OuterRef("pk"))))
    )
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(reference__icontains=query) | Q(description__icontains=query))
    if severity:
        qs = qs.filter(severity=severity)
    if state == "open":
        qs = qs.exclude(_followed_up())
    elif state == "opgevolgd":
        qs = qs.filter(_followed_up())
    if year:
        qs = qs.filter(source_check__date__year=year)
    return qs.order_by("-severity", "-source_check__date", "reference", "id")


def finding_detail_queryset() -> QuerySet[Finding]:
    return Finding.objects.select_related("source_check", "action", "risk").prefetch_related(
        "deviations", "source_check__themes"
    )


def deviation_list(*, organisation: Organisation, query: str = "", state: str = "") -> QuerySet[Deviation]:
    qs = (
        Deviation.objects.filter(organisation=organisation)
        .select_related("owner__user", "finding")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
    )
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(reference__icontains=query) | Q(reason__icontains=query))
    now = today()
    if state == "geldig":
        qs = qs.filter(ended=False, expires_on__gte=now)
    elif state == "verlopen":
        qs = qs.filter(ended=False, expires_on__lt=now)
    elif state == "beeindigd":
        qs = qs.filter(ended=True)
    return qs.order_by("ended", "expires_on", "id")


def deviation_detail_queryset() -> QuerySet[Deviation]:
    return Deviation.objects.select_related("owner__user", "finding__source_check").prefetch_related(
        "themes", "measures"
    )


def members(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__full_name")


@dataclass
class CycleSummary:
    due_soon: int
    overdue: int
    new: int
    open_findings: int
    expiring_deviations: int


def summary(*, organisation: Organisation, days: int = 14) -> CycleSummary:
    """The dashboard card's figures: due within ``days``, overdue, added in the last ``days``."""
    now = today()
    open_actions = Action.objects.filter(organisation=organisation, status__in=Action.OPEN)
    counts = open_actions.aggregate(
        due_soon=Count("id", filter=Q(due_date__gte=now, due_date__lte=now + datetime.timedelta(days=days))),
        overdue=Count("id", filter=Q(due_date__lt=now)),
    )
    since = timezone.now() - datetime.timedelta(days=days)
    new = Action.objects.filter(organisation=organisation, created_at__gte=since).count()
    open_findings = Finding.objects.filter(organisation=organisation).exclude(_followed_up()).count()
    expiring = Deviation.objects.filter(
        organisation=organisation, ended=False, expires_on__lte=now + datetime.timedelta(days=60)
    ).count()
    return CycleSummary(
        due_soon=counts["due_soon"],
        overdue=counts["overdue"],
        new=new,
        open_findings=open_findings,
        expiring_deviations=expiring,
    )

"""Reads of the incident register. Every read of incidents starts at :func:`visible_incidents`.

Confidential incidents (integrity, people) are seen only by the coordinator and the members
assigned as handlers. That rule lives in ``permissions.can_see`` for one incident and here, as a
query, for every list, search, export, count, chart, calendar entry and API answer: nothing in
this app reads ``Incident.objects`` for a member without going through this function.

Pattern figures (rode draden) are counted by the database (grouped queries), never by a loop
over all incidents, so the patterns page costs the same with 200 or 20,000 incidents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership, Organisation
from weerbaar.documents import charts

from .models import ExternalReport, Incident, IncidentType, LocalIncidentType, PatternConclusion
from .permissions import sees_all_confidential

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


# --- Visibility: the one place -------------------------------------------------------------------


def visible_incidents(*, membership: Membership | None) -> QuerySet[Incident]:
    """The incidents this member may see: all for the coordinator; for others the ordinary ones
    plus the confidential ones they handle. A membership without the view permission sees none."""
    from weerbaar.core.permissions import has_perm

    if membership is None or not has_perm(membership, "view"):
        return Incident.objects.none()
    qs = Incident.objects.filter(organisation_id=membership.organisation_id)
    if sees_all_confidential(membership):
        return qs
    handled = Incident.handlers.through.objects.filter(membership_id=membership.pk).values("incident_id")
    return qs.filter(Q(confidential=False) | Q(pk__in=handled))


def all_incidents_for_counts(*, organisation: Organisation) -> QuerySet[Incident]:
    """Every incident of the municipality, for anonymous totals only (the yearly report's counts
    per month, theme and type). Never used where a name, title or place is shown."""
    return Incident.objects.filter(organisation=organisation)


def visible_reports(*, membership: Membership | None) -> QuerySet[ExternalReport]:
    return ExternalReport.objects.filter(incident__in=visible_incidents(membership=membership).values("pk"))


# --- Lists ---------------------------------------------------------------------------------------

SORTS = {
    "datum": ("-occurred_at", "-id"),
    "oud": ("occurred_at", "id"),
    "ernst": ("-severity", "-occurred_at", "-id"),
    "kenmerk": ("reference", "id"),
}


def incident_list(
    *,
    membership: Membership,
    query: str = "",
    theme: int | None = None,
    type_key: str = "",
    severity: int | None = None,
    status: str = "",
    year: int | None = None,
    place: str = "",
    confidential: bool | None = None,
    reports_due: bool = False,
    sort: str = "",
) -> QuerySet[Incident]:
    qs = (
        visible_incidents(membership=membership)
        .select_related("incident_type", "local_type")
        .prefetch_related("themes")
    )
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(reference__icontains=query)
            | Q(description__icontains=query)
            | Q(place__icontains=query)
        )
    if theme:
        qs = qs.filter(pk__in=Incident.themes.through.objects.filter(theme_id=theme).values("incident_id"))
    if type_key.startswith("c") and type_key[1:].isdigit():
        qs = qs.filter(incident_type_id=int(type_key[1:]))
    elif type_key.startswith("e") and type_key[1:].isdigit():
        qs = qs.filter(local_type_id=int(type_key[1:]))
    if severity:
        qs = qs.filter(severity=severity)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(occurred_at__gte=_year_start(year), occurred_at__lt=_year_start(year + 1))
    if place:
        qs = qs.filter(place=place)
    if confidential is not None:
        qs = qs.filter(confidential=confidential)
    if reports_due:
        qs = qs.filter(pk__in=ExternalReport.objects.filter(status=ExternalReport.Status.DUE).values("incident_id"))
    return qs.order_by(*SORTS.get(sort, SORTS["datum"]))


def incident_detail_queryset(*, membership: Membership) -> QuerySet[Incident]:
    return (
        visible_incidents(membership=membership)
        .select_related("incident_type", "local_type", "threat", "local_threat", "recorded_by")
        .prefetch_related(
            "themes",
            "assets",
            "handlers__user",
            "materialised_risks",
            "failed_measures",
            "working_measures",
            "actions",
            "reports",
        )
    )


def type_choices(*, organisation: Organisation) -> list:
    """Catalogue and own types as grouped choices: ``c<id>`` and ``e<id>``."""
    catalogue = [(f"c{t.pk}", t.name) for t in IncidentType.objects.order_by("order", "name")]
    own = [(f"e{t.pk}", t.name) for t in LocalIncidentType.objects.filter(organisation=organisation).order_by("name")]
    groups = [(_("Catalogus"), catalogue)]
    if own:
        groups.append((_("Eigen soorten"), own))
    return groups


def local_types(*, organisation: Organisation) -> QuerySet[LocalIncidentType]:
    return (
        LocalIncidentType.objects.filter(organisation=organisation)
        .prefetch_related("themes")
        .annotate(incident_count=Count("incidents"))
        .order_by("name")
    )


# --- Deadlines -----------------------------------------------------------------------------------


def open_reports(*, membership: Membership, until: datetime.datetime | None = None) -> QuerySet[ExternalReport]:
    """Reports still to be made (with a time limit), soonest first."""
    qs = visible_reports(membership=membership).filter(status=ExternalReport.Status.DUE, due_at__isnull=False)
    if until is not None:
        qs = qs.filter(due_at__lte=until)
    return qs.select_related("incident").order_by("due_at", "id")


def report_counts(*, membership: Membership, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=3)
    return visible_reports(membership=membership).aggregate(
        overdue=Count("id", filter=Q(status=ExternalReport.Status.DUE, due_at__lt=now)),
        due=Count("id", filter=Q(status=ExternalReport.Status.DUE, due_at__gte=now, due_at__lte=soon)),
    )


def new_incident_count(*, membership: Membership, days: int = 30, now: datetime.datetime | None = None) -> int:
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return visible_incidents(membership=membership).filter(created_at__gte=since).count()


# --- Patterns (rode draden) ----------------------------------------------------------------------


def _year_start(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def in_year(qs: QuerySet[Incident], year: int) -> QuerySet[Incident]:
    return qs.filter(occurred_at__gte=_year_start(year), occurred_at__lt=_year_start(year + 1))


@dataclass
class Figure:
    """A chart with the rows of the table beside it (label, then one value per column)."""

    chart: object
    headers: list[str]
    rows: list[list]
    caption: str


@dataclass
class Patterns:
    year: int
    total: int
    previous_total: int
    figures: list[Figure] = field(default_factory=list)
    recurring_places: list[tuple[str, int]] = field(default_factory=list)
    recurring_assets: list[tuple[str, int]] = field(default_factory=list)
    materialised_risks: list[tuple[str, int]] = field(default_factory=list)
    failed_measures: list[tuple[str, int]] = field(default_factory=list)
    working_measures: list[tuple[str, int]] = field(default_factory=list)
    confidential_counted: int = 0
    conclusion: PatternConclusion | None = None
    years: list[int] = field(default_factory=list)


def _pairs(qs, label: str, minimum: int = 1, limit: int = 15) -> list[tuple[str, int]]:
    rows = qs.values(label).annotate(n=Count("pk")).filter(n__gte=minimum).order_by("-n", label)[:limit]
    return [(r[label], r["n"]) for r in rows]


def _link_counts(through, column: str, ids_qs, label: str, minimum: int = 1, limit: int = 15):
    rows = (
        through.objects.filter(incident_id__in=ids_qs)
        .values(label)
        .annotate(n=Count(column))
        .filter(n__gte=minimum)
        .order_by("-n", label)[:limit]
    )
    return [(r[label], r["n"]) for r in rows]


def _bar(key: str, title: str, description: str, pairs: list[tuple[str, int]], series_label: str) -> Figure:
    categories = tuple(str(p[0]) for p in pairs)
    chart = charts.BarChart(
        key=key,
        title=title,
        description=description,
        categories=categories,
        series=(charts.Series(series_label, tuple(p[1] for p in pairs)),),
        value_label=_("aantal"),
    )
    return Figure(chart, [_("Categorie"), series_label], [[p[0], p[1]] for p in pairs], title)


def incident_years(qs: QuerySet[Incident]) -> list[int]:
    rows = qs.annotate(y=ExtractYear("occurred_at")).values_list("y", flat=True).distinct().order_by("-y")
    return [y for y in rows if y]


def patterns(*, base: QuerySet[Incident], organisation: Organisation, year: int, names: bool = True) -> Patterns:
    """The patterns of one year over ``base`` (a member's visible incidents, or all for anonymous totals).

    ``names=False`` leaves out the lists that name places, assets, risks and measures.
    """
    current = in_year(base, year)
    previous = in_year(base, year - 1)
    ids = current.values("pk")
    totals = base.filter(occurred_at__gte=_year_start(year - 1), occurred_at__lt=_year_start(year + 1)).aggregate(
        now=Count("pk", filter=Q(occurred_at__gte=_year_start(year))),
        before=Count("pk", filter=Q(occurred_at__lt=_year_start(year))),
    )
    result = Patterns(year=year, total=totals["now"], previous_total=totals["before"])

    # Per month, this year beside last year.
    by_month = {y: [0] * 12 for y in (year - 1, year)}
    rows = (
        base.filter(occurred_at__gte=_year_start(year - 1), occurred_at__lt=_year_start(year + 1))
        .annotate(y=ExtractYear("occurred_at"), m=ExtractMonth("occurred_at"))
        .values("y", "m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        if r["y"] in by_month and r["m"]:
            by_month[r["y"]][r["m"] - 1] = r["n"]
    month_chart = charts.LineChart(
        key="per-maand",
        title=_("Incidenten per maand, %(year)s naast %(prev)s") % {"year": year, "prev": year - 1},
        description=_(
            "Aantal incidenten per maand in %(year)s en in het jaar ervoor; de tabel ernaast geeft de getallen."
        )
        % {"year": year},
        categories=MONTHS,
        series=(
            charts.Series(str(year - 1), tuple(by_month[year - 1])),
            charts.Series(str(year), tuple(by_month[year])),
        ),
        value_label=_("aantal"),
    )
    result.figures.append(
        Figure(
            month_chart,
            [_("Maand"), str(year - 1), str(year)],
            [[MONTHS[i], by_month[year - 1][i], by_month[year][i]] for i in range(12)],
            month_chart.title,
        )
    )

    # Per theme and per type, this year beside last year.
    prev_ids = previous.values("pk")
    through = Incident.themes.through
    theme_rows = (
        through.objects.filter(Q(incident_id__in=ids) | Q(incident_id__in=prev_ids))
        .values("theme__name", "theme__order")
        .annotate(
            now=Count("incident_id", filter=Q(incident__occurred_at__gte=_year_start(year))),
            before=Count("incident_id", filter=Q(incident__occurred_at__lt=_year_start(year))),
        )
        .order_by("theme__order", "theme__name")
    )
    result.figures.append(
        _compare(
            "per-thema",
            _("Incidenten per thema"),
            _("Aantal incidenten per thema in %(year)s en het jaar ervoor. Een incident kan bij meer thema's horen.")
            % {"year": year},
            [(r["theme__name"], r["before"], r["now"]) for r in theme_rows],
            year,
            _("Thema"),
        )
    )
    type_rows = (
        base.filter(occurred_at__gte=_year_start(year - 1), occurred_at__lt=_year_start(year + 1))
        .values("incident_type__name", "local_type__name")
        .annotate(
            now=Count("pk", filter=Q(occurred_at__gte=_year_start(year))),
            before=Count("pk", filter=Q(occurred_at__lt=_year_start(year))),
        )
        .order_by("-now", "incident_type__name", "local_type__name")
    )
    result.figures.append(
        _compare(
            "per-soort",
            _("Incidenten per soort"),
            _("Aantal incidenten per soort in %(year)s en het jaar ervoor.") % {"year": year},
            [
                (r["incident_type__name"] or r["local_type__name"] or _("zonder soort"), r["before"], r["now"])
                for r in type_rows
            ],
            year,
            _("Soort"),
        )
    )
    if names:
        places = _pairs(current.exclude(place=""), "place", limit=10)
        result.figures.append(
            _bar(
                "per-plaats",
                _("Incidenten per plaats"),
                _("De tien plaatsen met de meeste incidenten in %(year)s.") % {"year": year},
                places,
                str(year),
            )
        )
        result.recurring_places = [p for p in places if p[1] >= 2]
        result.recurring_assets = _link_counts(Incident.assets.through, "incident_id", ids, "asset__name", minimum=2)
        result.materialised_risks = _link_counts(Incident.materialised_risks.through, "incident_id", ids, "risk__title")
        result.failed_measures = _link_counts(Incident.failed_measures.through, "incident_id", ids, "measure__title")
        result.working_measures = _link_counts(Incident.working_measures.through, "incident_id", ids, "measure__title")
    result.conclusion = PatternConclusion.objects.filter(organisation=organisation, year=year).first()
    return result


def _compare(key, title, description, rows: list[tuple[str, int, int]], year: int, label: str) -> Figure:
    chart = charts.BarChart(
        key=key,
        title=title,
        description=description,
        categories=tuple(str(r[0]) for r in rows),
        series=(
            charts.Series(str(year - 1), tuple(r[1] for r in rows)),
            charts.Series(str(year), tuple(r[2] for r in rows)),
        ),
        value_label=_("aantal"),
    )
    return Figure(chart, [label, str(year - 1), str(year)], [list(r) for r in rows], title)


def member_patterns(*, membership: Membership, year: int) -> Patterns:
    """The patterns page of a member: only what this member may see is counted and named."""
    base = visible_incidents(membership=membership)
    result = patterns(base=base, organisation=membership.organisation, year=year)
    result.years = incident_years(base)
    return result

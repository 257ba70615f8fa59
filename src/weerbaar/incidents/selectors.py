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

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership, Organisation
from weerbaar.documents import charts
from weerbaar.knowledge.models import Theme

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


def _month_starts(year: int) -> list[datetime.datetime]:
    """The 25 local month starts from January of the year before ``year`` up to next January."""
    starts = [timezone.make_aware(datetime.datetime(y, m, 1)) for y in (year - 1, year) for m in range(1, 13)]
    return [*starts, _year_start(year + 1)]


def _interval(field_name: str, bounds: list[datetime.datetime]):
    """The index ``i`` of the interval ``bounds[i] <= value < bounds[i + 1]`` as a SQL expression.

    A binary search in nested CASE expressions: five comparisons a row for 24 months, where a
    per-month filter costs 48 and extracting the month in local time (a Python function on
    SQLite) costs far more. Rows must already lie within ``bounds[0]`` and ``bounds[-1]``."""

    def node(lo: int, hi: int):
        if hi - lo == 1:
            return Value(lo)
        mid = (lo + hi) // 2
        return Case(
            When(**{f"{field_name}__lt": bounds[mid]}, then=node(lo, mid)),
            default=node(mid, hi),
            output_field=IntegerField(),
        )

    return node(0, len(bounds) - 1)


def _named_counts(qs, relation: str, label: str, minimum: int = 1, limit: int = 15) -> list[tuple[str, int]]:
    """Incidents per linked object (asset, risk, measure), grouped in the database, busiest first."""
    key = f"{relation}__{label}"
    rows = qs.values(key).annotate(n=Count("pk")).filter(n__gte=minimum).order_by("-n", key)[: limit + 1]
    return [(r[key], r["n"]) for r in rows if r[key] is not None][:limit]


def incident_years(qs: QuerySet[Incident]) -> list[int]:
    """The years from the first to the last incident, newest first (two index look-ups)."""
    dates = qs.order_by().values_list("occurred_at", flat=True)
    first, last = dates.order_by("occurred_at").first(), dates.order_by("-occurred_at").first()
    if first is None:
        return []
    first, last = timezone.localtime(first).year, timezone.localtime(last).year
    return list(range(last, max(first, last - 50) - 1, -1))


def patterns(
    *, base: QuerySet[Incident], organisation: Organisation, year: int, names: bool = True, conclusion: bool = True
) -> Patterns:
    """The patterns of one year over ``base`` (a member's visible incidents, or all for anonymous totals).

    ``names=False`` leaves out the lists that name places, assets, risks and measures. Every
    figure is one grouped query; the months come from the same query as the types.
    """
    result = Patterns(year=year, total=0, previous_total=0)
    starts = _month_starts(year)
    span = base.filter(occurred_at__gte=starts[0], occurred_at__lt=starts[-1])
    current = in_year(base, year)

    # Per month and per type, this year beside last year: one grouped query.
    by_month = {y: [0] * 12 for y in (year - 1, year)}
    by_type: dict[tuple, list[int]] = {}
    rows = (
        span.annotate(month=_interval("occurred_at", starts))
        .values("month", "incident_type_id", "local_type_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        this_year = r["month"] >= 12
        by_month[year if this_year else year - 1][r["month"] % 12] += r["n"]
        counts = by_type.setdefault((r["incident_type_id"], r["local_type_id"]), [0, 0])
        counts[1 if this_year else 0] += r["n"]
    result.total, result.previous_total = sum(by_month[year]), sum(by_month[year - 1])

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

    # Per theme, this year beside last year (an incident can count for several themes).
    theme_rows = (
        span.annotate(this_year=_interval("occurred_at", [starts[0], starts[12], starts[24]]))
        .values("themes", "this_year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_theme: dict[int, list[int]] = {}
    for r in theme_rows:
        if r["themes"] is not None:
            by_theme.setdefault(r["themes"], [0, 0])[r["this_year"]] += r["n"]
    themes = Theme.objects.filter(pk__in=by_theme).order_by("order", "name").values_list("pk", "name")
    result.figures.append(
        _compare(
            "per-thema",
            _("Incidenten per thema"),
            _("Aantal incidenten per thema in %(year)s en het jaar ervoor. Een incident kan bij meer thema's horen.")
            % {"year": year},
            [(name, *by_theme[pk]) for pk, name in themes],
            year,
            _("Thema"),
        )
    )

    # Per type: names of the (few) catalogue and own types that occur.
    catalogue = dict(IncidentType.objects.filter(pk__in={k[0] for k in by_type if k[0]}).values_list("pk", "name"))
    own = dict(
        LocalIncidentType.objects.filter(pk__in={k[1] for k in by_type if k[1]}).values_list("pk", "name")
        if any(k[1] for k in by_type)
        else ()
    )
    typed = [
        (catalogue.get(type_id) or own.get(local_id) or _("zonder soort"), counts[0], counts[1])
        for (type_id, local_id), counts in by_type.items()
    ]
    typed.sort(key=lambda r: (-r[2], r[0]))
    result.figures.append(
        _compare(
            "per-soort",
            _("Incidenten per soort"),
            _("Aantal incidenten per soort in %(year)s en het jaar ervoor.") % {"year": year},
            typed,
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
        result.recurring_assets = _named_counts(current, "assets", "name", minimum=2)
        result.materialised_risks = _named_counts(current, "materialised_risks", "title")
        result.failed_measures = _named_counts(current, "failed_measures", "title")
        result.working_measures = _named_counts(current, "working_measures", "title")
    if conclusion:
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


PATTERNS_CACHE_SECONDS = 15 * 60


def member_patterns(*, membership: Membership, year: int) -> Patterns:
    """The patterns page of a member: only what this member may see is counted and named.

    The figures are kept in the cache under the municipality's data version (``signals``: every
    write to incidents, their links and the names shown gives a new version), per member unless
    the member sees every incident, and per language. The conclusion and the years are read
    fresh: both are single index look-ups.
    """
    from .signals import data_version

    base = visible_incidents(membership=membership)
    who = "all" if sees_all_confidential(membership) else f"m{membership.pk}"
    key = "incidents:patterns:{}:{}:{}:{}:{}".format(
        membership.organisation_id, year, who, get_language() or "", data_version(membership.organisation_id)
    )
    result = cache.get(key)
    if result is None:
        result = patterns(base=base, organisation=membership.organisation, year=year, conclusion=False)
        cache.set(key, result, PATTERNS_CACHE_SECONDS)
    result.conclusion = PatternConclusion.objects.filter(organisation_id=membership.organisation_id, year=year).first()
    result.years = incident_years(base)
    return result

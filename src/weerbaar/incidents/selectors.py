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

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership, Organisation
from weerbaar.documents import charts
from weerbaar.knowledge.models import Theme

from .counts import YearCounts, cached_counts, count_years, sum_counts, year_start
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
    # ``__in`` rather than ``=``: SQLite turns ``confidential=False`` into ``NOT confidential``,
    # which no index serves; ``confidential IN (0)`` reads the class index.
    return qs.filter(Q(confidential__in=[False]) | Q(pk__in=handled))


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
        qs = qs.filter(occurred_at__gte=year_start(year), occurred_at__lt=year_start(year + 1))
    if place:
        qs = qs.filter(place=place)
    if confidential is not None:
        qs = qs.filter(confidential=confidential)
    if reports_due:
        qs = qs.filter(pk__in=ExternalReport.objects.filter(status=ExternalReport.Status.DUE).values("incident_id"))
    return qs.order_by(*SORTS.get(sort, SORTS["datum"]))


def register_page_rows(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """Only what the register's table shows: no long texts, the themes by name."""
    themes = Prefetch("themes", queryset=Theme.objects.only("pk", "name", "order"))
    return qs.defer("description", "immediate_actions", "lessons").prefetch_related(None).prefetch_related(themes)


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
    catalogue = [
        (f"c{pk}", name) for pk, name in IncidentType.objects.order_by("order", "name").values_list("pk", "name")
    ]
    own = [
        (f"e{pk}", name)
        for pk, name in LocalIncidentType.objects.filter(organisation=organisation)
        .order_by("name")
        .values_list("pk", "name")
    ]
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


def in_year(qs: QuerySet[Incident], year: int) -> QuerySet[Incident]:
    return qs.filter(occurred_at__gte=year_start(year), occurred_at__lt=year_start(year + 1))


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


# --- From counts to figures ----------------------------------------------------------------------


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


def _top(counts: dict, names: dict, minimum: int = 1, limit: int = 15) -> list[tuple[str, int]]:
    """Busiest first (then by name); ids without a name (deleted meanwhile) are left out."""
    rows = [(names[k], n) for k, n in counts.items() if n >= minimum and k in names]
    rows.sort(key=lambda r: (-r[1], str(r[0])))
    return rows[:limit]


def _names(model, ids, label: str = "name") -> dict:
    ids = set(ids)
    return dict(model.objects.filter(pk__in=ids).values_list("pk", label)) if ids else {}


def incident_years(qs: QuerySet[Incident]) -> list[int]:
    """The years from the first to the last incident, newest first (two index look-ups)."""
    dates = qs.order_by().values_list("occurred_at", flat=True)
    first, last = dates.order_by("occurred_at").first(), dates.order_by("-occurred_at").first()
    if first is None:
        return []
    first, last = timezone.localtime(first).year, timezone.localtime(last).year
    return list(range(last, max(first, last - 50) - 1, -1))


def build_patterns(year: int, current: YearCounts, previous: YearCounts, *, names: bool = True) -> Patterns:
    """The figures of ``year`` beside the year before. ``names=False`` leaves out the lists that
    name places, assets, risks and measures."""
    from weerbaar.risks.models import Asset, Measure, Risk

    result = Patterns(year=year, total=current.total, previous_total=previous.total)
    month_chart = charts.LineChart(
        key="per-maand",
        title=_("Incidenten per maand, %(year)s naast %(prev)s") % {"year": year, "prev": year - 1},
        description=_(
            "Aantal incidenten per maand in %(year)s en in het jaar ervoor; de tabel ernaast geeft de getallen."
        )
        % {"year": year},
        categories=MONTHS,
        series=(
            charts.Series(str(year - 1), tuple(previous.months)),
            charts.Series(str(year), tuple(current.months)),
        ),
        value_label=_("aantal"),
    )
    result.figures.append(
        Figure(
            month_chart,
            [_("Maand"), str(year - 1), str(year)],
            [[MONTHS[i], previous.months[i], current.months[i]] for i in range(12)],
            month_chart.title,
        )
    )

    # Per theme, this year beside last year (an incident can count for several themes).
    theme_ids = set(current.themes) | set(previous.themes)
    themes = (
        Theme.objects.filter(pk__in=theme_ids).order_by("order", "name").values_list("pk", "name") if theme_ids else []
    )
    result.figures.append(
        _compare(
            "per-thema",
            _("Incidenten per thema"),
            _("Aantal incidenten per thema in %(year)s en het jaar ervoor. Een incident kan bij meer thema's horen.")
            % {"year": year},
            [(name, previous.themes.get(pk, 0), current.themes.get(pk, 0)) for pk, name in themes],
            year,
            _("Thema"),
        )
    )

    # Per type: names of the (few) catalogue and own types that occur.
    type_keys = set(current.types) | set(previous.types)
    catalogue = _names(IncidentType, {k[0] for k in type_keys if k[0]})
    own = _names(LocalIncidentType, {k[1] for k in type_keys if k[1]})
    typed: dict[str, list[int]] = {}
    for key in type_keys:
        type_id, local_id = key
        name = catalogue.get(type_id) or own.get(local_id) or _("zonder soort")
        counts = typed.setdefault(name, [0, 0])
        counts[0] += previous.types.get(key, 0)
        counts[1] += current.types.get(key, 0)
    rows = sorted(((name, c[0], c[1]) for name, c in typed.items()), key=lambda r: (-r[2], r[0]))
    result.figures.append(
        _compare(
            "per-soort",
            _("Incidenten per soort"),
            _("Aantal incidenten per soort in %(year)s en het jaar ervoor.") % {"year": year},
            rows,
            year,
            _("Soort"),
        )
    )
    if names:
        places = _top(current.places, {p: p for p in current.places}, limit=10)
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
        assets = {k: n for k, n in current.assets.items() if n >= 2}
        result.recurring_assets = _top(assets, _names(Asset, assets))
        result.materialised_risks = _top(current.risks, _names(Risk, current.risks, "title"))
        measures = _names(Measure, set(current.failed) | set(current.working), "title")
        result.failed_measures = _top(current.failed, measures)
        result.working_measures = _top(current.working, measures)
    return result


def patterns(
    *, base: QuerySet[Incident], organisation: Organisation, year: int, names: bool = True, conclusion: bool = True
) -> Patterns:
    """The patterns of one year over any set of incidents ``base``, counted now (not cached)."""
    counted = count_years(base, [year - 1, year])
    result = build_patterns(year, counted[year], counted[year - 1], names=names)
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


def organisation_patterns(*, organisation: Organisation, year: int, confidential: bool, names: bool = True) -> Patterns:
    """The patterns of every incident (``confidential=True``: the confidential ones counted as
    well) from the cached counts; for anonymous totals and the yearly report."""
    parts = [("p", None), ("c", None)] if confidential else [("p", None)]
    got = cached_counts(organisation.pk, parts, [year - 1, year])
    result = build_patterns(
        year,
        sum_counts(got[(year, cls, h)] for cls, h in parts),
        sum_counts(got[(year - 1, cls, h)] for cls, h in parts),
        names=names,
    )
    result.conclusion = PatternConclusion.objects.filter(organisation=organisation, year=year).first()
    return result


def member_patterns(*, membership: Membership, year: int) -> Patterns:
    """The patterns page of a member: only what this member may see is counted and named.

    The ordinary incidents' counts are shared by every member; the coordinator adds those of all
    confidential incidents, any other member those of the confidential incidents they handle
    (kept apart per member). All are kept in the cache under the versions of ``signals`` and
    counted again right after a write, so a reader seldom counts. The conclusion and the years
    are read fresh: both are single index look-ups.
    """
    from weerbaar.core.permissions import has_perm

    base = visible_incidents(membership=membership)
    if not has_perm(membership, "view"):
        result = build_patterns(year, YearCounts(), YearCounts())
    else:
        handler = None if sees_all_confidential(membership) else membership.pk
        parts = [("p", None), ("c", handler)]
        got = cached_counts(membership.organisation_id, parts, [year - 1, year])
        result = build_patterns(
            year,
            sum_counts(got[(year, cls, h)] for cls, h in parts),
            sum_counts(got[(year - 1, cls, h)] for cls, h in parts),
        )
    result.conclusion = PatternConclusion.objects.filter(organisation_id=membership.organisation_id, year=year).first()
    result.years = incident_years(base)
    return result

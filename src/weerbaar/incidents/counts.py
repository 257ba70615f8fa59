"""Counting the patterns (rode draden): per municipality, local year and class of incidents.

``p`` is the class of the ordinary incidents, which every member sees; ``c`` that of the
confidential ones, counted in full for the coordinator and, per member, only the ones that
member handles. :class:`YearCounts` are by id (names are read when the page is built) and add
up over disjoint sets, so a member's figures are the sum of the parts they may see. They are
kept in the cache under versions that ``signals`` renews on every write (and counted again
right after the commit); the pages are built from them in ``selectors``.

Counting is done by the database in grouped queries (three for any number of years), never by
a loop over the incidents, and reads the class index (organisation, confidential, occurred_at,
type, place) alone.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from .models import Incident

ORG_KEY = "incidents:data-version:{}"
YEAR_KEY = "incidents:data-version:{}:{}:{}"
CLASSES = ("p", "c")


def _ensure(keys: list[str]) -> dict:
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found = cache.get_many(keys)
    return found


def versions(organisation_id: int, years) -> dict[tuple[int, str], str]:
    """The current version of the counts of each (year, class), in one cache read."""
    org_key = ORG_KEY.format(organisation_id)
    keys = {(y, c): YEAR_KEY.format(organisation_id, y, c) for y in years for c in CLASSES}
    found = _ensure([org_key, *keys.values()])
    return {yc: f"{found.get(org_key, '')}-{found.get(key, '')}" for yc, key in keys.items()}


def bump(organisation_id, year, cls) -> None:
    """A new version: for one (year, class), or (``year`` None) for the whole municipality."""
    key = ORG_KEY.format(organisation_id) if year is None else YEAR_KEY.format(organisation_id, year, cls)
    cache.set(key, uuid.uuid4().hex, None)


def year_start(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


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


@dataclass
class YearCounts:
    """What the patterns page counts for one year over one set of incidents.

    By id (names are read when the page is built, so a renamed asset needs no recount) and
    additive: the counts of two disjoint sets of incidents add up to those of their union. A
    member's figures are the ordinary incidents' counts plus those of the confidential incidents
    the member may see (all for the coordinator, the ones they handle for others).
    """

    months: list[int] = field(default_factory=lambda: [0] * 12)
    types: dict[tuple, int] = field(default_factory=dict)  # (incident_type_id, local_type_id) -> n
    themes: dict[int, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    assets: dict[int, int] = field(default_factory=dict)
    risks: dict[int, int] = field(default_factory=dict)
    failed: dict[int, int] = field(default_factory=dict)
    working: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.months)

    def __add__(self, other: YearCounts) -> YearCounts:
        def merged(a: dict, b: dict) -> dict:
            out = dict(a)
            for k, n in b.items():
                out[k] = out.get(k, 0) + n
            return out

        return YearCounts(
            months=[a + b for a, b in zip(self.months, other.months, strict=True)],
            **{
                name: merged(getattr(self, name), getattr(other, name))
                for name in ("types", "themes", "places", "assets", "risks", "failed", "working")
            },
        )


# YearCounts field -> the incident's many-to-many relation it counts.
LINKS = (
    ("themes", "themes"),
    ("assets", "assets"),
    ("risks", "materialised_risks"),
    ("failed", "failed_measures"),
    ("working", "working_measures"),
)


def count_years(qs: QuerySet[Incident], years) -> dict[int, YearCounts]:
    """The counts of each of the given consecutive years over ``qs``: three grouped queries for
    all of them, whatever the number of incidents (months in local time)."""
    first, last = min(years), max(years)
    result = {y: YearCounts() for y in range(first, last + 1)}
    months = [timezone.make_aware(datetime.datetime(y, m, 1)) for y in range(first, last + 1) for m in range(1, 13)]
    months.append(year_start(last + 1))
    span = qs.filter(occurred_at__gte=months[0], occurred_at__lt=months[-1]).order_by()
    rows = (
        span.annotate(month=_interval("occurred_at", months))
        .values("month", "incident_type_id", "local_type_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        counts = result[first + r["month"] // 12]
        counts.months[r["month"] % 12] += r["n"]
        key = (r["incident_type_id"], r["local_type_id"])
        counts.types[key] = counts.types.get(key, 0) + r["n"]
    year_of = _interval("occurred_at", [year_start(y) for y in range(first, last + 2)])
    places = span.exclude(place="").annotate(y=year_of).values("y", "place").annotate(n=Count("pk")).order_by()
    for r in places:
        result[first + r["y"]].places[r["place"]] = r["n"]
    linked = [
        span.filter(**{f"{relation}__isnull": False})
        .annotate(y=year_of)
        .values("y", kind=Value(name), key=F(relation))
        .annotate(n=Count("pk"))
        .order_by()
        for name, relation in LINKS
    ]
    for r in linked[0].union(*linked[1:], all=True):
        getattr(result[first + r["y"]], r["kind"])[r["key"]] = r["n"]
    return result


# --- Counts in the cache: per municipality, year and class (see ``signals``) ----------------------

COUNTS_KEY = "incidents:counts:{}:{}:{}:{}:{}"
COUNTS_SECONDS = 24 * 60 * 60


def _class_incidents(organisation_id: int, cls: str, handler_id: int | None) -> QuerySet[Incident]:
    """``p``: the ordinary incidents; ``c``: the confidential ones, or only those ``handler_id`` handles."""
    # ``__in``: read from the class index (see ``visible_incidents``).
    qs = Incident.objects.filter(organisation_id=organisation_id, confidential__in=[cls == "c"])
    if handler_id is not None:
        handled = Incident.handlers.through.objects.filter(membership_id=handler_id).values("incident_id")
        qs = qs.filter(pk__in=handled)
    return qs


def cached_counts(organisation_id: int, parts, years) -> dict[tuple, YearCounts]:
    """(year, class, handler) -> counts, from the cache where the version still holds; counted
    (and kept) otherwise. ``parts`` are (class, handler id or None)."""
    current = versions(organisation_id, years)
    keys = {
        (y, cls, h): COUNTS_KEY.format(organisation_id, y, cls, h or "all", current[(y, cls)])
        for y in years
        for cls, h in parts
    }
    found = cache.get_many(list(keys.values()))
    result, fresh = {}, {}
    for cls, h in parts:
        missing = [y for y in years if keys[(y, cls, h)] not in found]
        if missing:
            counted = count_years(_class_incidents(organisation_id, cls, h), missing)
        for y in years:
            key = keys[(y, cls, h)]
            if key in found:
                result[(y, cls, h)] = found[key]
            else:
                result[(y, cls, h)] = fresh[key] = counted[y]
    if fresh:
        cache.set_many(fresh, COUNTS_SECONDS)
    return result


def refresh_counts(entries) -> None:
    """Count again (after a write) the shared classes of the given (municipality, year, class)."""
    grouped: dict[tuple, set[int]] = {}
    for organisation_id, year, cls in entries:
        grouped.setdefault((organisation_id, cls), set()).add(year)
    for (organisation_id, cls), years in grouped.items():
        current = versions(organisation_id, years)  # before counting: never newer than what is counted
        counted = count_years(_class_incidents(organisation_id, cls, None), sorted(years))
        cache.set_many(
            {COUNTS_KEY.format(organisation_id, y, cls, "all", current[(y, cls)]): counted[y] for y in years},
            COUNTS_SECONDS,
        )


def sum_counts(counts) -> YearCounts:
    total = YearCounts()
    for c in counts:
        total = total + c
    return total

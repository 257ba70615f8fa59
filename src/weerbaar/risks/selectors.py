"""Reads of the register: lists with filters, the heat map and the integral analysis.

Each function takes the organisation explicitly and keeps its query count independent of the
number of rows (asserted in the tests with many rows).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from weerbaar.core import dataversion
from weerbaar.core.models import Organisation
from weerbaar.documents import charts
from weerbaar.knowledge.models import Theme

from . import scoring, summary
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk, RiskMatrix, Threat
from .thread import Thread, thread_for


def matrix_for(organisation: Organisation) -> RiskMatrix:
    """The municipality's matrix, or an unsaved default 5×5 one (a read never writes)."""
    matrix = RiskMatrix.objects.filter(organisation=organisation).first()
    return matrix or RiskMatrix(organisation=organisation)


def scale_for(organisation: Organisation) -> scoring.Scale:
    return scoring.Scale.of(matrix_for(organisation))


# --- Lists -------------------------------------------------------------------------------

# Counts shown in a list are computed for the fetched rows only. Annotating them on the
# queryset would make the database count over the whole register before the page is cut
# (and again in the paginator's COUNT); instead the rows are fetched plain and one grouped
# query over the link table counts for exactly those ids. The iterable class travels with
# the queryset through the paginator's slice, so views need no change.

_IDS_PER_QUERY = 900  # below SQLite's historic limit of 999 bound parameters


def _chunks(ids: list[int]):
    for i in range(0, len(ids), _IDS_PER_QUERY):
        yield ids[i : i + _IDS_PER_QUERY]


class _CountsAfterFetch(ModelIterable):
    """Yields the rows after setting the counts of :meth:`counts` on them (one query per 900 rows)."""

    defaults: dict[str, int] = {}

    def counts(self, ids: list[int]) -> dict[int, dict[str, int]]:
        raise NotImplementedError

    def __iter__(self):
        rows = list(super().__iter__())
        found: dict[int, dict[str, int]] = {}
        for chunk in _chunks([r.pk for r in rows]):
            found.update(self.counts(chunk))
        for r in rows:
            for name, value in {**self.defaults, **found.get(r.pk, {})}.items():
                setattr(r, name, value)
        return iter(rows)


def _names(through, owner: str, target: str, order: tuple[str, ...], ids: list[int]) -> dict[int, str]:
    """The names of each row's linked ``target`` as one text ("A, B"), in ``order``: one query.

    Lists show the names only; a prefetch would build a queryset per row to hold them, which
    costs more than the query itself on a page of 25 or 50 rows.
    """
    names: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(list(ids)):
        rows = through.objects.filter(**{f"{owner}__in": chunk}).order_by(*order).values_list(owner, f"{target}__name")
        for pk, name in rows:
            names[pk].append(name)
    return {pk: ", ".join(n) for pk, n in names.items()}


def _theme_names(through, owner: str, ids: list[int]) -> dict[int, str]:
    """The theme names of each row, in the themes' order (``Theme.Meta.ordering``, then id)."""
    return _names(through, owner, "theme", ("theme__order", "theme__name", "theme_id"), ids)


class _RiskCounts(_CountsAfterFetch):
    """Measure counts and ``theme_names`` of the fetched risks."""

    defaults = {"measure_count": 0, "effective_count": 0, "theme_names": ""}

    def counts(self, ids):
        links = Measure.risks.through.objects.filter(risk_id__in=ids)
        found = {
            row["risk_id"]: {"measure_count": row["n"], "effective_count": row["eff"]}
            for row in links.values("risk_id")
            .annotate(n=Count("measure_id"), eff=Count("measure_id", filter=Q(measure__status__in=Measure.EFFECTIVE)))
            .order_by()
        }
        for pk, names in _theme_names(Risk.themes.through, "risk_id", ids).items():
            found.setdefault(pk, {})["theme_names"] = names
        return found


class _MeasureRiskCounts(_CountsAfterFetch):
    """Risk counts and ``goal_names`` of the fetched measures.

    ``goal_names``: the framework's goals, then the catalogue's (as ``Measure.linked_goals``),
    each in their model's order. (The themes stay prefetched: the edit rule asks for them.)
    """

    defaults = {"risk_count": 0, "goal_names": ""}

    def counts(self, ids):
        links = Measure.risks.through.objects.filter(measure_id__in=ids)
        found = {
            m: {"risk_count": n} for m, n in links.values_list("measure_id").annotate(n=Count("risk_id")).order_by()
        }
        chosen = _names(
            Measure.goals.through,
            "measure_id",
            "chosengoal",
            ("chosengoal__version", "chosengoal__order", "chosengoal_id"),
            ids,
        )
        catalogue = _names(
            Measure.catalogue_goals.through,
            "measure_id",
            "securitygoal",
            ("securitygoal__order", "securitygoal__name", "securitygoal_id"),
            ids,
        )
        for pk in chosen.keys() | catalogue.keys():
            found.setdefault(pk, {})["goal_names"] = ", ".join(n for n in (chosen.get(pk), catalogue.get(pk)) if n)
        return found


class _AssetRiskCounts(_CountsAfterFetch):
    defaults = {"risk_count": 0}

    def counts(self, ids):
        links = Risk.assets.through.objects.filter(asset_id__in=ids)
        return {a: {"risk_count": n} for a, n in links.values_list("asset_id").annotate(n=Count("risk_id")).order_by()}


def _counted(qs: QuerySet, iterable: type[_CountsAfterFetch]) -> QuerySet:
    qs = qs.all()
    qs._iterable_class = iterable
    return qs


def without_counts(qs: QuerySet) -> QuerySet:
    """The same rows without the list counts, for readers that do not show them (the API)."""
    qs = qs.all()
    if issubclass(qs._iterable_class, _CountsAfterFetch):
        qs._iterable_class = ModelIterable
    return qs


def _search(qs: QuerySet, query: str, *fields: str) -> QuerySet:
    if not query:
        return qs
    condition = Q()
    for f in fields:
        condition |= Q(**{f"{f}__icontains": query})
    return qs.filter(condition)


ASSET_SORTS = {"naam": ("name", "id"), "soort": ("kind", "name"), "belang": ("-criticality", "name")}


def asset_list(
    *, organisation: Organisation, query: str = "", kind: str = "", criticality: int | None = None, sort: str = ""
) -> QuerySet[Asset]:
    qs = _counted(Asset.objects.filter(organisation=organisation), _AssetRiskCounts)
    qs = _search(qs, query, "name", "reference", "location", "owner")
    if kind:
        qs = qs.filter(kind=kind)
    if criticality:
        qs = qs.filter(criticality=criticality)
    return qs.order_by(*ASSET_SORTS.get(sort, ASSET_SORTS["naam"]))


def threat_catalogue_with_counts(*, organisation: Organisation) -> list[Threat]:
    counts = dict(
        Risk.objects.filter(organisation=organisation, threat__isnull=False)
        .values_list("threat_id")
        .annotate(n=Count("id"))
    )
    threats = list(Threat.objects.prefetch_related("themes"))
    for t in threats:
        t.risk_count = counts.get(t.pk, 0)
    return threats


def local_threats(*, organisation: Organisation) -> QuerySet[LocalThreat]:
    return (
        LocalThreat.objects.filter(organisation=organisation)
        .prefetch_related("themes")
        .annotate(risk_count=Count("risks", distinct=True))
        .order_by("name")
    )


RISK_SORTS = {
    "score": ("-current_score", "-inherent_score", "title", "id"),
    "bruto": ("-inherent_score", "title", "id"),
    "titel": ("title", "id"),
    "kenmerk": ("reference", "id"),
    "herbeoordeling": (F("review_date").asc(nulls_last=True), "title", "id"),
}


def risk_list(
    *,
    organisation: Organisation,
    query: str = "",
    theme: int | None = None,
    treatment: str = "",
    above_acceptance: bool = False,
    position: str = "",
    likelihood: int | None = None,
    impact: int | None = None,
    sort: str = "",
) -> QuerySet[Risk]:
    qs = _counted(
        Risk.objects.filter(organisation=organisation).select_related("threat", "local_threat"),
        _RiskCounts,
    )
    qs = _search(qs, query, "title", "reference", "scenario", "owner")
    if theme:
        qs = qs.filter(themes=theme)
    if treatment:
        qs = qs.filter(treatment=treatment)
    if above_acceptance:
        qs = qs.filter(exceeds_acceptance=True)
    if likelihood and impact:
        if position == "netto":
            qs = qs.annotate(
                cur_l=Coalesce("residual_likelihood", "inherent_likelihood"),
                cur_i=Coalesce("residual_impact", "inherent_impact"),
            ).filter(cur_l=likelihood, cur_i=impact)
        else:
            qs = qs.filter(inherent_likelihood=likelihood, inherent_impact=impact)
    return qs.order_by(*RISK_SORTS.get(sort, RISK_SORTS["score"]))


def risk_detail_queryset() -> QuerySet[Risk]:
    return Risk.objects.select_related("threat", "local_threat").prefetch_related(
        "themes", "assets", "measures__themes"
    )


MEASURE_SORTS = {
    "titel": ("title", "id"),
    "kenmerk": ("reference", "id"),
    "deadline": (F("deadline").asc(nulls_last=True), "title", "id"),
    "status": ("status", "title", "id"),
    "kosten": ("-cost_once", "-cost_yearly", "title", "id"),
}


def measure_list(
    *,
    organisation: Organisation,
    query: str = "",
    theme: int | None = None,
    status: str = "",
    measure_type: str = "",
    kind: str = "",
    goal: int | None = None,
    sort: str = "",
) -> QuerySet[Measure]:
    qs = _counted(Measure.objects.filter(organisation=organisation).prefetch_related("themes"), _MeasureRiskCounts)
    qs = _search(qs, query, "title", "reference", "owner", "description")
    if theme:
        qs = qs.filter(themes=theme)
    if goal:
        field = thread_for(organisation=organisation, with_items=False).goal_field
        qs = qs.filter(**{field: goal})
    if status:
        qs = qs.filter(status=status)
    if measure_type:
        qs = qs.filter(measure_type=measure_type)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(*MEASURE_SORTS.get(sort, MEASURE_SORTS["titel"]))


def measure_row(*, organisation: Organisation, pk: int) -> Measure:
    """One measure as a line of the measure list (with its counts and names), after a change."""
    return measure_list(organisation=organisation).get(pk=pk)


def measure_detail_queryset() -> QuerySet[Measure]:
    return Measure.objects.prefetch_related(
        "themes",
        "goals",
        "catalogue_goals",
        "principles__category",
        "catalogue_principles__category",
        "risks",
        "bio2_measures",
    )


@dataclass
class MeasureThread:
    """A measure's goals and principles as its page shows them, with where they come from."""

    thread: Thread
    goals: list
    principles: list
    # Catalogue links kept from before the framework that the draft has not chosen (yet).
    waiting_goals: list
    waiting_principles: list


def measure_thread(*, organisation: Organisation, measure: Measure) -> MeasureThread:
    """One query (the effective version); the links come from :func:`measure_detail_queryset`'s prefetch."""
    thread = thread_for(organisation=organisation, with_items=False)
    goals, principles = list(measure.goals.all()), list(measure.principles.all())
    cat_goals, cat_principles = list(measure.catalogue_goals.all()), list(measure.catalogue_principles.all())
    if thread.is_catalogue:
        return MeasureThread(thread, cat_goals, cat_principles, [], [])
    return MeasureThread(thread, goals, principles, cat_goals, cat_principles)


def conflicts(*, organisation: Organisation) -> QuerySet[MeasureConflict]:
    return (
        MeasureConflict.objects.filter(organisation=organisation)
        .select_related("measure_a", "measure_b", "recorded_by")
        .prefetch_related("measure_a__themes", "measure_b__themes")
    )


# --- Dependents (asked before deleting) ----------------------------------------------------


def asset_dependents(*, asset: Asset) -> dict:
    return {"risks": list(asset.risks.order_by("title"))}


def risk_dependents(*, risk: Risk) -> dict:
    return {"measures": list(risk.measures.order_by("title"))}


def measure_dependents(*, measure: Measure) -> dict:
    return {
        "risks": list(measure.risks.order_by("title")),
        "conflicts": list(
            MeasureConflict.objects.filter(Q(measure_a=measure) | Q(measure_b=measure)).select_related(
                "measure_a", "measure_b"
            )
        ),
    }


def local_threat_dependents(*, threat: LocalThreat) -> dict:
    return {"risks": list(threat.risks.order_by("title"))}


# --- Heat map ------------------------------------------------------------------------------

# The levels of the matrix in the shared chart palette: light fills under black text.
LEVEL_PALETTE = {
    scoring.LEVEL_ACCEPTABLE: charts.PALETTE["ok"],
    scoring.LEVEL_HIGH: charts.PALETTE["warning"],
    scoring.LEVEL_CRITICAL: charts.PALETTE["danger"],
}


def _heatmap(position: str, counts: dict, scale: scoring.Scale, *, risks_url: str = "") -> charts.HeatMap:
    """Chart data for one position; ``risks_url`` (the risk list) makes each counted cell a filter link."""
    levels = {key: charts.Level(key, str(label), LEVEL_PALETTE[key]) for key, label in scoring.LEVEL_LABELS.items()}
    rows = []
    total = above = 0
    for likelihood in range(scale.likelihood_levels, 0, -1):
        row = []
        for impact in range(1, scale.impact_levels + 1):
            s = scoring.score(likelihood, impact)
            lvl = scoring.level(s, scale)
            n = counts.get((likelihood, impact), 0)
            total += n
            if lvl != scoring.LEVEL_ACCEPTABLE:
                above += n
            href = f"{risks_url}?positie={position}&kans={likelihood}&impact={impact}" if risks_url and n else ""
            row.append(
                charts.HeatCell(
                    row=likelihood, col=impact, count=n, level=lvl, note=f"({s}, {levels[lvl].label})", href=href
                )
            )
        rows.append(row)
    # Constant translations are ours and shown as they are, like {% translate %} does.
    if position == "bruto":
        title = _("Bruto risico (zonder maatregelen)")
        caption = _("Aantal risico's per kans en impact, bruto")
    else:
        title = _("Netto risico (restrisico)")
        caption = _("Aantal risico's per kans en impact, netto (zonder netto-inschatting: bruto positie)")
    return charts.HeatMap(
        key=position,
        title=title,
        description=_(
            "%(total)s risico's, waarvan %(above)s boven de acceptatiegrens. "
            "De tabel hieronder geeft dezelfde gegevens."
        )
        % {"total": total, "above": above},
        rows=charts.Axis(
            _("Kans"),
            "likelihood",
            tuple(charts.Tick(i, scale.likelihood_labels[i - 1]) for i in range(scale.likelihood_levels, 0, -1)),
        ),
        cols=charts.Axis(
            _("Impact"),
            "impact",
            tuple(charts.Tick(i, scale.impact_labels[i - 1]) for i in range(1, scale.impact_levels + 1)),
        ),
        cells=rows,
        levels=levels,
        unit=mark_safe(_("risico's")),  # noqa: S308
        table_caption=mark_safe(caption),  # noqa: S308
        corner_label=_("Kans ↓ / impact →"),
        data={"position": position},
    )


def _heatmap_counts(organisation: Organisation) -> tuple[dict, dict]:
    """Risks per (likelihood, impact), inherent and current: one grouped query over both positions
    (at most levels⁴ groups), summed per map here."""
    inherent: dict[tuple[int, int], int] = defaultdict(int)
    residual: dict[tuple[int, int], int] = defaultdict(int)
    for inh_l, inh_i, cur_l, cur_i, n in (
        Risk.objects.filter(organisation=organisation)
        .annotate(
            cur_l=Coalesce("residual_likelihood", "inherent_likelihood"),
            cur_i=Coalesce("residual_impact", "inherent_impact"),
        )
        .values_list("inherent_likelihood", "inherent_impact", "cur_l", "cur_i")
        .annotate(n=Count("id"))
        .order_by()
    ):
        inherent[(inh_l, inh_i)] += n
        residual[(cur_l, cur_i)] += n
    return dict(inherent), dict(residual)


def heatmaps(
    *, organisation: Organisation, scale: scoring.Scale | None = None, versions: tuple[int, int] | None = None
) -> tuple[charts.HeatMap, charts.HeatMap]:
    """Inherent and residual heat maps as chart data: one aggregate query whatever the number of risks.

    A risk without a residual assessment stands on its inherent position in the residual map.
    Each counted cell links to the risk list filtered on that position. The counts are kept until
    the municipality's data changes (``versions``: read once for a page, see ``dataversion.kept``).
    """
    scale = scale or scale_for(organisation)
    inherent, residual = dataversion.kept(
        organisation.pk, "risks.heatmap_counts", lambda: _heatmap_counts(organisation), versions=versions
    )
    url = reverse("risks:risks", kwargs={"org": organisation.slug})
    return _heatmap("bruto", inherent, scale, risks_url=url), _heatmap("netto", residual, scale, risks_url=url)


# --- Integral analysis ---------------------------------------------------------------------


def attention_risks(
    *, organisation: Organisation, today: datetime.date | None = None, brief: bool = False
) -> QuerySet[Risk]:
    """Risks above the acceptance level that are not validly accepted, with their measure counts.

    Such a risk needs (more) measures, a residual assessment, or a formal acceptance. ``brief``:
    only the fields of the integral view's table (name, scores, decision), no threat.
    """
    today = today or timezone.localdate()
    qs = Risk.objects.filter(organisation=organisation, exceeds_acceptance=True).exclude(
        treatment=Risk.Treatment.ACCEPT, accepted_until__gte=today
    )
    qs = qs.only(*_ATTENTION_LINE) if brief else qs.select_related("threat", "local_threat")
    return _counted(qs.order_by("-current_score", "title", "id"), _RiskCounts)


# The fields a risk or measure needs to be named and linked in a list: ``str()`` and the pk.
_NAMED = ("id", "organisation_id", "reference", "title")
# A line of the integral view's attention table (see ``attention_risks(brief=True)``).
_ATTENTION_LINE = (*_NAMED, "inherent_score", "residual_score", "current_score", "treatment")


@dataclass
class Overlap:
    risk: Risk
    goal: object  # a ChosenGoal of the effective framework version, or a catalogue SecurityGoal
    measures: list[Measure]


def overlaps(
    *, organisation: Organisation, limit: int = 100, versions: tuple[int, int] | None = None
) -> tuple[list[Overlap], int]:
    """Measures of different themes (no theme in common) that reduce the same risk with the same goal.

    Not necessarily wrong, but worth a conversation between the theme owners. Returns at most
    ``limit`` groups (by risk id, then goal id) and the total number of groups. Up to
    :data:`summary.KEPT_GROUPS` the groups come from the municipality's overlap summary, kept
    up to date on every write (:mod:`weerbaar.risks.summary`); the page then runs no self-join.
    The named groups are kept by the process until the municipality's data changes
    (``core.dataversion``: measures, risks, their links, themes, the framework's goals).
    """
    return dataversion.kept(
        organisation.pk,
        f"risks.overlaps.{limit}",
        lambda: _overlaps(organisation=organisation, limit=limit),
        versions=versions,
    )


def _overlaps(*, organisation: Organisation, limit: int) -> tuple[list[Overlap], int]:
    thread = thread_for(organisation=organisation, with_items=False)
    if limit <= summary.KEPT_GROUPS:
        kept, total = summary.overlap_groups(organisation.pk)
        groups = kept[:limit]
    else:
        groups, total = summary.compute_groups(organisation_id=organisation.pk, limit=limit)
    if not groups:
        return [], total
    # The page names them and links to them: only what ``str()`` and the link read.
    risks = Risk.objects.filter(organisation=organisation).only(*_NAMED).in_bulk({r for r, _, _ in groups})
    ms_by_id = (
        Measure.objects.filter(organisation=organisation).only(*_NAMED).in_bulk({m for _, _, ms in groups for m in ms})
    )
    names = _theme_names(Measure.themes.through, "measure_id", list(ms_by_id))
    for pk, m in ms_by_id.items():
        m.theme_names = names.get(pk, "")
    # The goals of the effective framework version (the catalogue's before any framework).
    goals = thread.goal_queryset().in_bulk({g for _, g, _ in groups})
    return [
        Overlap(risk=risks[r], goal=goals[g], measures=[ms_by_id[m] for m in ms if m in ms_by_id])
        for r, g, ms in groups
        if r in risks and g in goals
    ], total


@dataclass
class CoverageRow:
    theme: Theme
    cells: list[dict]
    total: int
    effective: int


def coverage(*, organisation: Organisation) -> tuple[list, list[CoverageRow], dict]:
    """Measures per theme and goal (all, and in place or verified).

    The goals are those of the effective framework version (own goals included); before any
    framework the catalogue's. ``totals["thread"]`` says which, for the label on the page.
    """
    thread = thread_for(organisation=organisation, with_items=False)
    goals = list(thread.goal_queryset())
    field = thread.goal_field
    themes = list(Theme.objects.order_by("order", "name"))
    measures = Measure.objects.filter(organisation=organisation)
    pairs = (
        measures.filter(**{"themes__isnull": False, f"{field}__isnull": False})
        .values("themes", field)
        .annotate(n=Count("id", distinct=True), eff=Count("id", distinct=True, filter=Q(status__in=Measure.EFFECTIVE)))
        .order_by()
    )
    cell = {(p["themes"], p[field]): (p["n"], p["eff"]) for p in pairs}
    per_theme = {
        p["themes"]: (p["n"], p["eff"])
        for p in measures.filter(themes__isnull=False)
        .values("themes")
        .annotate(n=Count("id", distinct=True), eff=Count("id", distinct=True, filter=Q(status__in=Measure.EFFECTIVE)))
        .order_by()
    }
    rows = []
    for t in themes:
        cells = []
        for g in goals:
            n, eff = cell.get((t.pk, g.pk), (0, 0))
            cells.append({"goal": g, "count": n, "effective": eff})
        n, eff = per_theme.get(t.pk, (0, 0))
        rows.append(CoverageRow(theme=t, cells=cells, total=n, effective=eff))
    goal_totals = {
        p[field]: p["n"]
        for p in measures.filter(**{f"{field}__isnull": False})
        .values(field)
        .annotate(n=Count("id", distinct=True))
        .order_by()
    }
    uncovered = [g for g in goals if not goal_totals.get(g.pk)]
    return (
        goals,
        rows,
        {"goals": [goal_totals.get(g.pk, 0) for g in goals], "thread": thread, "uncovered": uncovered},
    )


@dataclass
class BudgetRow:
    label: str
    cells: list[dict]
    once: Decimal
    yearly: Decimal


ZERO = Decimal("0.00")


def budget(*, organisation: Organisation) -> tuple[list, list[BudgetRow], BudgetRow]:
    """One-off and yearly costs per theme and year (the year of the measure's deadline).

    A measure with several themes counts fully in each of its themes; the total row counts
    every measure once, so the theme rows may add up to more than the total.
    """
    measures = Measure.objects.filter(organisation=organisation).annotate(year=ExtractYear("deadline"))
    per_theme = (
        measures.filter(themes__isnull=False)
        .values("themes", "year")
        .annotate(once=Sum("cost_once"), yearly=Sum("cost_yearly"))
        .order_by()
    )
    totals = measures.values("year").annotate(once=Sum("cost_once"), yearly=Sum("cost_yearly")).order_by()
    years = sorted({r["year"] for r in totals}, key=lambda y: (y is None, y or 0))
    themes = list(Theme.objects.order_by("order", "name"))
    data = {(r["themes"], r["year"]): (r["once"] or ZERO, r["yearly"] or ZERO) for r in per_theme}

    def row(label, lookup) -> BudgetRow:
        cells = [{"year": y, "once": lookup(y)[0], "yearly": lookup(y)[1]} for y in years]
        return BudgetRow(
            label=label,
            cells=cells,
            once=sum((c["once"] for c in cells), ZERO),
            yearly=sum((c["yearly"] for c in cells), ZERO),
        )

    rows = [row(t.name, lambda y, t=t: data.get((t.pk, y), (ZERO, ZERO))) for t in themes]
    total_data = {r["year"]: (r["once"] or ZERO, r["yearly"] or ZERO) for r in totals}
    total = row("", lambda y: total_data.get(y, (ZERO, ZERO)))
    return years, rows, total


def register_counts(*, organisation: Organisation, versions: tuple[int, int] | None = None) -> dict:
    """The size of each register: one query (four counting subqueries), kept by the process until
    the municipality's data changes (``core.dataversion``)."""
    return dataversion.kept(
        organisation.pk, "risks.register_counts", lambda: _register_counts(organisation), versions=versions
    )


def _register_counts(organisation: Organisation) -> dict:

    def count(qs: QuerySet) -> Subquery:
        return Subquery(qs.order_by().values("organisation").annotate(n=Count("id")).values("n")[:1])

    counts = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(
            assets=count(Asset.objects.filter(organisation=organisation)),
            risks=count(Risk.objects.filter(organisation=organisation)),
            measures=count(Measure.objects.filter(organisation=organisation)),
            open_conflicts=count(
                MeasureConflict.objects.filter(organisation=organisation, state=MeasureConflict.State.OPEN)
            ),
        )
        .values("assets", "risks", "measures", "open_conflicts")
        .first()
    ) or {}
    return {key: counts.get(key) or 0 for key in ("assets", "risks", "measures", "open_conflicts")}

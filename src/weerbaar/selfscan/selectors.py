"""Reads of the self-scan: progress of a round, scores, results with history, and the two
cross-municipality views (the anonymous benchmark and the national view for editors).

The cross-municipality reads are the only place where data of several municipalities meet.
They open ``scopes_disabled()`` explicitly in a function whose name says so, and return
aggregates only: never a municipality's name, id or score, and never a group of fewer than
:data:`MIN_GROUP` municipalities, whatever filters are combined.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from weerbaar.core.models import PROVINCES, Organisation
from weerbaar.documents import charts
from weerbaar.knowledge.models import Theme

from .models import Answer, ScanRound, ScanSettings, ThemeAssignment

MIN_GROUP = 5  # never show a group of fewer municipalities than this

SIZE_CLASSES = [
    ("klein", gettext_lazy("tot 20.000 inwoners"), 0, 20_000),
    ("middel", gettext_lazy("20.000 tot 50.000 inwoners"), 20_000, 50_000),
    ("groot", gettext_lazy("50.000 tot 100.000 inwoners"), 50_000, 100_000),
    ("zeergroot", gettext_lazy("100.000 inwoners of meer"), 100_000, None),
]
SIZE_CHOICES = [(key, label) for key, label, _lo, _hi in SIZE_CLASSES]
PROVINCE_CHOICES = PROVINCES

# The IBD's BRIA growth model in three stages, as a summary of the five levels (own words).
GROWTH_STAGES = [
    (
        1,
        gettext_lazy("Basis op orde"),
        gettext_lazy(
            "Niveau 1 en 2: de belangrijkste afspraken en maatregelen worden opgezet; veel hangt nog af van personen."
        ),
    ),
    (
        2,
        gettext_lazy("Uitbreiden en verdiepen"),
        gettext_lazy("Niveau 3: het is vastgelegd en werkt in de hele organisatie; nu breder en dieper maken."),
    ),
    (
        3,
        gettext_lazy("Weerbaar en volwassen"),
        gettext_lazy("Niveau 4 en 5: de verbetercyclus draait, het bestuur stuurt en de werking wordt getoetst."),
    ),
]


def growth_stage(score: float | None):
    """The growth stage (number, name) a score falls in; None without a score."""
    if score is None:
        return None
    number = 1 if score < 2.5 else (2 if score < 3.5 else 3)
    stage = GROWTH_STAGES[number - 1]
    return {"number": stage[0], "name": stage[1]}


def size_class_of(inhabitants: int | None) -> str:
    if inhabitants is None:
        return ""
    for key, _label, lo, hi in SIZE_CLASSES:
        if inhabitants >= lo and (hi is None or inhabitants < hi):
            return key
    return ""


def _size_filter(key: str) -> Q:
    for k, _label, lo, hi in SIZE_CLASSES:
        if k == key:
            q = Q(inhabitants__gte=lo)
            return q & Q(inhabitants__lt=hi) if hi is not None else q
    raise ValueError(key)


def themes() -> list[Theme]:
    return list(Theme.objects.order_by("order", "name"))


def fmt(value: float | None) -> str:
    """A score the Dutch way (3,3); a dash without one."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


# --- one municipality ------------------------------------------------------------------------------


def round_list(*, organisation: Organisation):
    return (
        ScanRound.objects.filter(organisation=organisation)
        .select_related("questionnaire", "started_by__user", "closed_by__user")
        .annotate(
            answered=Count("answers", filter=Q(answers__level__isnull=False)),
            total=Count("answers"),
            average=Avg("answers__level"),
        )
        .order_by("-started_at", "-id")
    )


def open_round(*, organisation: Organisation) -> ScanRound | None:
    return ScanRound.objects.filter(organisation=organisation, status=ScanRound.Status.OPEN).first()


def theme_scores(round_ids: list[int]) -> dict[int, dict[int, float]]:
    """Average level per theme of each round: ``{round_id: {theme_id: score}}``, in one query."""
    rows = (
        Answer.objects.filter(scan_round_id__in=round_ids, level__isnull=False)
        .values("scan_round_id", "question__theme")
        .annotate(score=Avg("level"))
    )
    result: dict[int, dict[int, float]] = defaultdict(dict)
    for r in rows:
        result[r["scan_round_id"]][r["question__theme"]] = float(r["score"])
    return result


def overall(scores: dict[int, float]) -> float | None:
    """The overall maturity: the average of the theme scores (each theme weighs the same)."""
    return sum(scores.values()) / len(scores) if scores else None


@dataclass
class ThemeProgress:
    theme: Theme
    assignment: ThemeAssignment | None
    answered: int
    total: int


def round_progress(*, scan_round: ScanRound) -> list[ThemeProgress]:
    counts = (
        Answer.objects.filter(scan_round=scan_round)
        .values("question__theme")
        .annotate(total=Count("id"), answered=Count("id", filter=Q(level__isnull=False)))
    )
    by_theme = {c["question__theme"]: c for c in counts}
    assignments = {
        a.theme_id: a
        for a in ThemeAssignment.objects.filter(scan_round=scan_round).select_related("member__user", "theme")
    }
    return [
        ThemeProgress(
            theme=t,
            assignment=assignments.get(t.pk),
            answered=by_theme.get(t.pk, {}).get("answered", 0),
            total=by_theme.get(t.pk, {}).get("total", 0),
        )
        for t in themes()
        if t.pk in by_theme
    ]


def theme_answers(*, scan_round: ScanRound, theme: Theme):
    return (
        Answer.objects.filter(scan_round=scan_round, question__theme=theme)
        .select_related("question", "answered_by__user")
        .prefetch_related("question__building_blocks", "question__bio2_measures")
        .defer("evidence_data")
    )


def review_answers(*, scan_round: ScanRound):
    return (
        Answer.objects.filter(scan_round=scan_round)
        .select_related("question__theme", "answered_by__user")
        .defer("evidence_data")
    )


@dataclass
class ThemeResult:
    theme: Theme
    score: float | None
    previous: float | None
    stage: dict | None = None

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def score_text(self) -> str:
        return fmt(self.score)

    @property
    def previous_text(self) -> str:
        return fmt(self.previous)

    @property
    def change_text(self) -> str:
        c = self.change
        if c is None:
            return "—"
        return ("+" if c > 0 else "") + fmt(c)


@dataclass
class Results:
    scan_round: ScanRound
    previous_round: ScanRound | None
    rows: list[ThemeResult]
    overall: float | None
    previous_overall: float | None
    radar: charts.Radar
    history: list[dict]
    weakest: list[Answer] = field(default_factory=list)
    history_chart: charts.LineChart | None = None

    @property
    def overall_text(self) -> str:
        return fmt(self.overall)

    @property
    def previous_overall_text(self) -> str:
        return fmt(self.previous_overall)

    @property
    def stage(self):
        return growth_stage(self.overall)


WEAK_LEVEL = 2  # answers at or below this level are the weakest and offered for follow-up


def results(*, organisation: Organisation, scan_round: ScanRound, weakest_limit: int = 10) -> Results:
    """Scores per theme with the previous closed round beside them, the radar, history and weak answers."""
    earlier = list(
        ScanRound.objects.filter(organisation=organisation, status=ScanRound.Status.CLOSED)
        .exclude(pk=scan_round.pk)
        .filter(started_at__lt=scan_round.started_at)
        .order_by("-started_at")
        .only("pk", "title", "started_at", "closed_at")[:4]
    )
    previous = earlier[0] if earlier else None
    history_rounds = [*reversed(earlier), scan_round]
    scores = theme_scores([r.pk for r in history_rounds])
    all_themes = themes()
    current = scores.get(scan_round.pk, {})
    before = scores.get(previous.pk, {}) if previous else {}
    rows = [
        ThemeResult(theme=t, score=current.get(t.pk), previous=before.get(t.pk), stage=growth_stage(current.get(t.pk)))
        for t in all_themes
    ]
    series = [charts.Series(scan_round.title, tuple(current.get(t.pk, 0) for t in all_themes))]
    if previous:
        series.insert(0, charts.Series(previous.title, tuple(before.get(t.pk, 0) for t in all_themes)))
    radar = charts.Radar(
        key=f"radar-{scan_round.pk}",
        title=_("Volwassenheid per thema"),
        description=_(
            "Gemiddeld niveau (1 tot 5) per thema in %(round)s%(prev)s. De tabel ernaast geeft dezelfde cijfers."
        )
        % {"round": scan_round.title, "prev": _(", vergeleken met %(p)s") % {"p": previous.title} if previous else ""},
        axes=tuple(t.name for t in all_themes),
        series=tuple(series),
        maximum=5,
        data={"rounds": str(len(series))},
    )
    history = [
        {
            "round": r,
            "scores": [fmt(scores.get(r.pk, {}).get(t.pk)) for t in all_themes],
            "overall": fmt(overall(scores.get(r.pk, {}))),
        }
        for r in history_rounds
    ]
    history_chart = None
    if len(history_rounds) > 1:
        history_chart = charts.LineChart(
            key=f"history-{scan_round.pk}",
            title=_("Gemiddelde volwassenheid per ronde"),
            description=_("Het gemiddelde over alle thema's per scanronde, van oud naar nieuw."),
            categories=tuple(r.title for r in history_rounds),
            series=(
                charts.Series(_("Gemiddeld niveau"), tuple(overall(scores.get(r.pk, {})) or 0 for r in history_rounds)),
            ),
            value_label=_("niveau"),
        )
    weakest = list(
        Answer.objects.filter(scan_round=scan_round, level__isnull=False, level__lte=WEAK_LEVEL)
        .select_related("question__theme", "action", "measure")
        .prefetch_related("question__building_blocks")
        .defer("evidence_data")
        .order_by("level", "question__theme__order", "question__order")[:weakest_limit]
    )
    return Results(
        scan_round=scan_round,
        previous_round=previous,
        rows=rows,
        overall=overall(current),
        previous_overall=overall(before) if previous else None,
        radar=radar,
        history=history,
        weakest=weakest,
        history_chart=history_chart,
    )


def latest_closed_round(*, organisation: Organisation) -> ScanRound | None:
    return (
        ScanRound.objects.filter(organisation=organisation, status=ScanRound.Status.CLOSED)
        .order_by("-closed_at", "-id")
        .first()
    )


def bio2_references(organisation: Organisation) -> dict[str, list[tuple[str, str]]]:
    """Answers of the newest round that touch a BIO2 number, for the statement of applicability."""
    from django.urls import reverse

    latest = ScanRound.objects.filter(organisation=organisation).order_by("-started_at", "-id").first()
    if latest is None:
        return {}
    through = Answer.question.field.related_model.bio2_measures.through
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(scan_round=latest)
        .select_related("question")
        .only("pk", "level", "question__code", "question__text", "question__theme", "scan_round_id")
    }
    refs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    for question_id, number in through.objects.filter(question_id__in=answers).values_list(
        "question_id", "bio2measure__number"
    ):
        a = answers[question_id]
        label = _("Zelfscan %(round)s, vraag %(code)s: niveau %(level)s") % {
            "round": latest.title,
            "code": a.question.code,
            "level": a.level or _("nog niet beantwoord"),
        }
        url = reverse(
            "selfscan:answer_theme",
            kwargs={"org": organisation.slug, "pk": latest.pk, "slug": slugs[a.question.theme_id]},
        )
        refs[number].append((label, url))
    return dict(refs)


# --- across municipalities: aggregates only ---------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """Median and quartiles of one theme over a group, or hidden (``shown`` False) below MIN_GROUP."""

    theme: Theme
    count: int
    shown: bool
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    own: float | None = None

    @property
    def text(self) -> dict:
        return {"q1": fmt(self.q1), "median": fmt(self.median), "q3": fmt(self.q3), "own": fmt(self.own)}


@dataclass(frozen=True)
class Benchmark:
    size_class: str
    province: str
    municipalities: int  # contributing municipalities in the group (0 when hidden)
    shown: bool
    themes: tuple[Distribution, ...]
    radar: charts.Radar | None = None


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def _latest_closed_round_ids_scopes_disabled(organisation_ids, *, year: int | None = None) -> dict[int, int]:
    """``{organisation_id: id of its newest closed round}`` (in ``year`` when given). Caller disabled scopes."""
    rounds = ScanRound.objects.filter(status=ScanRound.Status.CLOSED, organisation_id__in=organisation_ids)
    if year is not None:
        rounds = rounds.filter(closed_at__year=year)
    newest = rounds.values("organisation_id").annotate(last=Max("closed_at"))
    keys = {(r["organisation_id"], r["last"]) for r in newest}
    result = {}
    for pk, org_id, closed_at in rounds.values_list("pk", "organisation_id", "closed_at").order_by("pk"):
        if (org_id, closed_at) in keys:
            result[org_id] = pk
    return result


def _per_org_theme_scores_scopes_disabled(round_by_org: dict[int, int]) -> dict[int, dict[int, float]]:
    org_of_round = {r: o for o, r in round_by_org.items()}
    scores = theme_scores(list(org_of_round))
    return {org_of_round[r]: s for r, s in scores.items()}


def _participant_scores_scopes_disabled() -> dict[int, dict[int, float]]:
    """Theme scores of every participating municipality's newest closed round, cached.

    The cache key is a fingerprint of what can change the figures: the closed rounds (a closed
    round is frozen, so their number and newest closing time say enough) and the opt-in rows.
    Returns ``{organisation_id: {theme_id: score}}``; the caller has disabled scopes.
    """
    rounds = ScanRound.objects.filter(status=ScanRound.Status.CLOSED).aggregate(n=Count("id"), last=Max("closed_at"))
    opted = ScanSettings.objects.aggregate(
        n=Count("id", filter=Q(benchmark_opt_in=True)), last=Max("updated_at"), total=Count("id")
    )
    fingerprint = "|".join(str(v) for v in (*rounds.values(), *opted.values()))
    key = "selfscan:benchmark:" + hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    scores = cache.get(key)
    if scores is None:
        participating = list(
            ScanSettings.objects.filter(benchmark_opt_in=True).values_list("organisation_id", flat=True)
        )
        scores = _per_org_theme_scores_scopes_disabled(_latest_closed_round_ids_scopes_disabled(participating))
        cache.set(key, scores, 24 * 3600)
    return scores


def benchmark_aggregates_scopes_disabled(
    *, organisation: Organisation, size_class: str = "", province: str = ""
) -> Benchmark:
    """The anonymous benchmark for ``organisation``: its own newest closed scores against the
    distribution (quartiles and median per theme) of the *other* participating municipalities,
    filtered by size class and province.

    Opens ``scopes_disabled()`` because it reads scan answers of many municipalities; returns
    aggregates only. A group (or a theme within it) of fewer than MIN_GROUP municipalities is
    hidden: its count is reported as 0 and no figure of it leaves this function.
    """
    if size_class and size_class not in dict(SIZE_CHOICES):
        raise ValueError("unknown size class")
    if province and province not in dict(PROVINCE_CHOICES):
        raise ValueError("unknown province")
    all_themes = themes()
    with scopes_disabled():
        scores = _participant_scores_scopes_disabled()
        others = Organisation.objects.filter(pk__in=list(scores)).exclude(pk=organisation.pk)
        if size_class:
            others = others.filter(_size_filter(size_class))
        if province:
            others = others.filter(province=province)
        per_org = {pk: scores[pk] for pk in others.values_list("pk", flat=True)}
    own_round = latest_closed_round(organisation=organisation)
    own = theme_scores([own_round.pk]).get(own_round.pk, {}) if own_round else {}
    group_size = len(per_org)
    shown = group_size >= MIN_GROUP
    distributions = []
    for t in all_themes:
        values = sorted(s[t.pk] for s in per_org.values() if t.pk in s)
        if shown and len(values) >= MIN_GROUP:
            q1, median, q3 = _quartiles(values)
            distributions.append(
                Distribution(theme=t, count=len(values), shown=True, q1=q1, median=median, q3=q3, own=own.get(t.pk))
            )
        else:
            distributions.append(Distribution(theme=t, count=0, shown=False, own=own.get(t.pk)))
    radar = None
    if shown:
        radar = charts.Radar(
            key="benchmark",
            title=_("Uw scores en de mediaan van vergelijkbare gemeenten"),
            description=_(
                "Uw gemiddelde niveau per thema naast de mediaan van de groep. De tabel geeft ook de kwartielen."
            ),
            axes=tuple(t.name for t in all_themes),
            series=(
                charts.Series(_("Mediaan groep"), tuple(d.median or 0 for d in distributions)),
                charts.Series(_("Uw gemeente"), tuple(d.own or 0 for d in distributions)),
            ),
        )
    return Benchmark(
        size_class=size_class,
        province=province,
        municipalities=group_size if shown else 0,
        shown=shown,
        themes=tuple(distributions),
        radar=radar,
    )


@dataclass(frozen=True)
class NationalYear:
    year: int
    municipalities: int
    shown: bool
    averages: tuple[str, ...]
    overall: str


def national_overview_scopes_disabled(*, years: int = 5) -> dict:
    """For national editors: per year how many participating municipalities closed a scan and the
    average maturity per theme (of each municipality's newest closed round that year).

    Opens ``scopes_disabled()``; returns aggregates only, and hides a year with fewer than
    MIN_GROUP municipalities (its count too).
    """
    all_themes = themes()
    with scopes_disabled():
        participating = list(
            ScanSettings.objects.filter(benchmark_opt_in=True).values_list("organisation_id", flat=True)
        )
        closed_years = sorted(
            {
                d.year
                for d in ScanRound.objects.filter(
                    status=ScanRound.Status.CLOSED, organisation_id__in=participating
                ).dates("closed_at", "year")
            }
        )[-years:]
        rows = []
        for year in closed_years:
            per_org = _per_org_theme_scores_scopes_disabled(
                _latest_closed_round_ids_scopes_disabled(participating, year=year)
            )
            n = len(per_org)
            if n < MIN_GROUP:
                rows.append(NationalYear(year=year, municipalities=0, shown=False, averages=(), overall="—"))
                continue
            averages = []
            for t in all_themes:
                values = [s[t.pk] for s in per_org.values() if t.pk in s]
                averages.append(statistics.fmean(values) if len(values) >= MIN_GROUP else None)
            known = [a for a in averages if a is not None]
            rows.append(
                NationalYear(
                    year=year,
                    municipalities=n,
                    shown=True,
                    averages=tuple(fmt(a) for a in averages),
                    overall=fmt(statistics.fmean(known) if known else None),
                )
            )
    chart = None
    visible = [r for r in rows if r.shown]
    if visible:
        chart = charts.BarChart(
            key="national",
            title=_("Aantal gemeenten met een afgesloten scan per jaar"),
            description=_(
                "Alleen gemeenten die meedoen aan de vergelijking; jaren met minder dan vijf gemeenten ontbreken."
            ),
            categories=tuple(str(r.year) for r in visible),
            series=(charts.Series(_("Gemeenten"), tuple(r.municipalities for r in visible)),),
            value_label=_("gemeenten"),
        )
    return {"themes": all_themes, "years": rows, "chart": chart, "min_group": MIN_GROUP}

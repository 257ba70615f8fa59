"""This app's own chapters of the yearly report: framework, risk picture, accepted risks, measures.

Each is registered in ``core.registry.annual_report_sections`` (orders 10-40, before the other
apps' chapters) as ``section(organisation, year) -> ReportSection``.

How the risk picture "then" is known
------------------------------------
The heat maps compare the register at the start of the year (1 January, 00:00) with its end
(1 January of the next year, or now for the running year). The state at a moment is
*reconstructed from the audit trail* (``core.AuditEntry``) rather than taken from snapshots:

- every change to a risk or a measure is already recorded with its full ``before`` state, by
  signals that no service, import or API call can bypass, and entries are never changed or
  deleted; a separate snapshot table would be a second, weaker copy of the same facts;
- a snapshot only exists from the day the job that writes it first ran (and only if it ran
  that day); the audit trail answers for any moment since the municipality started, so a report
  for a year already past, or built late, is still right;
- the rule is simple and exact: a row existed at moment *M* when its ``created_at`` lies before
  *M* (for a deleted row: the ``created_at`` in its delete entry); its state at *M* is the
  ``before`` of its first full change recorded at or after *M*, or, when nothing changed
  since, its current state. Link-table changes (themes) carry no scores and are skipped.

Scores are recomputed from the reconstructed likelihood and impact on the *current* risk matrix,
so both maps use one scale and compare like with like.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.core.models import AuditEntry, Organisation
from weerbaar.core.money import format_money
from weerbaar.core.registry import ReportSection
from weerbaar.documents import charts
from weerbaar.framework.models import Framework, ReviewFrequency, Step, StepEntry
from weerbaar.risks import scoring
from weerbaar.risks import selectors as risk_selectors
from weerbaar.risks.models import Measure, Risk

REVIEW_MONTHS = {
    ReviewFrequency.QUARTERLY: 3,
    ReviewFrequency.HALF_YEARLY: 6,
    ReviewFrequency.YEARLY: 12,
    ReviewFrequency.TWO_YEARLY: 24,
    ReviewFrequency.FOUR_YEARLY: 48,
}
RISK_FIELDS = (
    "reference",
    "title",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "treatment",
    "accepted_by",
    "accepted_until",
    "owner",
    "created_at",
)
MEASURE_FIELDS = ("reference", "title", "status", "deadline", "cost_once", "cost_yearly", "created_at")
MOVED_ROWS = 25


def _date(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else "—"


@dataclasses.dataclass(frozen=True)
class Period:
    """A report year: ``start`` and ``end`` are moments (aware); ``end_date`` the last day covered."""

    year: int
    start: datetime.datetime
    end: datetime.datetime
    end_date: datetime.date
    running: bool

    @classmethod
    def of(cls, year: int, now: datetime.datetime | None = None) -> Period:
        now = now or timezone.now()
        tz = timezone.get_current_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=tz)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
        running = start <= now < end
        if running:
            end = now
        end_date = timezone.localdate(end) if running else datetime.date(year, 12, 31)
        return cls(year=year, start=start, end=end, end_date=end_date, running=running)

    @property
    def end_label(self) -> str:
        if self.running:
            return _date(self.end_date)
        return _("31 december %(year)s") % {"year": self.year}

    @property
    def start_label(self) -> str:
        return _("1 januari %(year)s") % {"year": self.year}


# --- reconstruction from the audit trail ------------------------------------------------------


def _as_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _as_moment(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


def states_at(model, *, organisation: Organisation, moment: datetime.datetime, fields: tuple[str, ...]) -> dict:
    """Each row of ``model`` that existed at ``moment``, as a dict of ``fields``, keyed by id.

    See the module docstring for the rule. Two queries: the rows as they are, and the audit
    entries after ``moment`` (their ``before`` only).
    """
    states: dict[int, dict] = {
        row["pk"]: row
        for row in model.objects.filter(organisation=organisation, created_at__lt=moment).values("pk", *fields)
    }
    seen: set[int] = set()
    entries = (
        AuditEntry.objects.filter(
            organisation=organisation,
            object_type=model._meta.label_lower,
            created_at__gte=moment,
            action__in=(AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE),
        )
        .order_by("created_at", "id")
        .values_list("object_id", "before")
    )
    for object_id, before in entries.iterator(chunk_size=2000):
        if not object_id.isdigit() or not isinstance(before, dict) or "created_at" not in before:
            continue  # a link-table change: no fields of the row itself
        pk = int(object_id)
        if pk in seen:
            continue
        seen.add(pk)
        created = _as_moment(before.get("created_at"))
        if created is None or created >= moment:
            states.pop(pk, None)
            continue
        states[pk] = {"pk": pk, **{f: before.get(f) for f in fields}}
    return states


def risk_states_at(organisation: Organisation, moment: datetime.datetime, scale: scoring.Scale) -> dict[int, dict]:
    """Risks at ``moment`` with their current position (netto when assessed, else bruto) and level."""
    states = states_at(Risk, organisation=organisation, moment=moment, fields=RISK_FIELDS)
    for state in states.values():
        assessed = state["residual_likelihood"] is not None and state["residual_impact"] is not None
        likelihood = state["residual_likelihood"] if assessed else state["inherent_likelihood"]
        impact = state["residual_impact"] if assessed else state["inherent_impact"]
        likelihood = scoring.clamp(likelihood or 1, scale.likelihood_levels)
        impact = scoring.clamp(impact or 1, scale.impact_levels)
        state["position"] = (likelihood, impact)
        state["score"] = scoring.score(likelihood, impact)
        state["level"] = scoring.level(state["score"], scale)
        state["accepted_until"] = _as_date(state["accepted_until"])
    return states


def _heatmap(key: str, title: str, states: dict, scale: scoring.Scale) -> charts.HeatMap:
    counts = Counter(s["position"] for s in states.values())
    # The register's own heat map (levels, labels, colours); links are dropped for the report.
    hm = risk_selectors._heatmap("netto", counts, scale)
    above = sum(1 for s in states.values() if s["level"] != scoring.LEVEL_ACCEPTABLE)
    return dataclasses.replace(
        hm,
        key=key,
        title=title,
        description=_(
            "%(total)s risico's, waarvan %(above)s boven de acceptatiegrens. De tabel geeft dezelfde gegevens."
        )
        % {"total": len(states), "above": above},
        table_caption=_("Aantal risico's per kans en impact: %(title)s") % {"title": title},
        data={"position": key},
    )


# --- chapters ----------------------------------------------------------------------------------


def framework_section(organisation: Organisation, year: int) -> ReportSection:
    period = Period.of(year)
    blocks: list[dict] = []
    framework = Framework.objects.filter(organisation=organisation).first()
    if framework is None:
        blocks.append(
            {"type": "paragraph", "text": _("De gemeente heeft nog geen strategisch kader integrale beveiliging.")}
        )
        return ReportSection(title=_("Strategisch kader"), blocks=blocks)
    # Versions that existed by the end of the period; a draft begun later is not part of that year.
    versions = [v for v in framework.versions.order_by("number") if v.created_at < period.end]
    adopted = [
        v
        for v in versions
        if v.adopted_on and v.adopted_on <= period.end_date and v.status in ("adopted", "superseded")
    ]
    in_force = max(adopted, key=lambda v: (v.adopted_on, v.number), default=None)
    if in_force is None:
        blocks.append(
            {
                "type": "paragraph",
                "text": _("Op %(date)s was er nog geen vastgesteld strategisch kader.") % {"date": period.end_label},
            }
        )
    else:
        blocks.append(
            {
                "type": "paragraph",
                "text": _(
                    "Op %(date)s gold versie %(n)s van het strategisch kader, vastgesteld door %(body)s op "
                    "%(adopted)s (kenmerk %(ref)s)."
                )
                % {
                    "date": period.end_label,
                    "n": in_force.number,
                    "body": in_force.adopted_by_body or _("het college"),
                    "adopted": _date(in_force.adopted_on),
                    "ref": in_force.decision_reference or "—",
                },
            }
        )
    rows = [
        [
            str(v.number),
            v.get_status_display(),
            _date(v.adopted_on) if v.adopted_on else "—",
            v.decision_reference or "—",
        ]
        for v in versions
        if v.adopted_on is None or v.adopted_on <= period.end_date
    ]
    if rows:
        blocks.append(
            {
                "type": "table",
                "caption": _("Versies van het strategisch kader"),
                "headers": [_("Versie"), _("Status"), _("Vastgesteld op"), _("Kenmerk")],
                "rows": rows,
            }
        )
    during = [v for v in adopted if v.adopted_on.year == year]
    if during:
        blocks.append(
            {
                "type": "paragraph",
                "text": _("In %(year)s vastgesteld: %(versions)s.")
                % {"year": year, "versions": ", ".join(_("versie %(n)s") % {"n": v.number} for v in during)},
            }
        )
    if in_force is not None:
        quality = StepEntry.objects.filter(version=in_force, step=Step.QUALITY).first()
        months = REVIEW_MONTHS.get(quality.review_frequency) if quality else None
        if months:
            due = _add_months(in_force.adopted_on, months)
            text = _("Volgende herziening: uiterlijk %(date)s (%(frequency)s%(owner)s).") % {
                "date": _date(due),
                "frequency": quality.get_review_frequency_display(),
                "owner": (", " + _("eigenaar: %(owner)s") % {"owner": quality.review_owner})
                if quality.review_owner
                else "",
            }
            if due < timezone.localdate() and not any(v.number > in_force.number and v.is_frozen for v in versions):
                text += " " + _("Die datum is voorbij; de herziening is te laat.")
            blocks.append({"type": "paragraph", "text": text})
        else:
            blocks.append({"type": "paragraph", "text": _("In het kader staat geen frequentie van herziening.")})
    open_version = next((v for v in reversed(versions) if v.is_draft or v.status == "submitted"), None)
    if open_version is not None and period.running:
        blocks.append(
            {
                "type": "paragraph",
                "text": _("Versie %(n)s is in voorbereiding (%(status)s).")
                % {"n": open_version.number, "status": open_version.get_status_display()},
            }
        )
    return ReportSection(title=_("Strategisch kader"), blocks=blocks)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def risk_section(organisation: Organisation, year: int) -> ReportSection:
    period = Period.of(year)
    scale = risk_selectors.scale_for(organisation)
    start = risk_states_at(organisation, period.start, scale)
    end = risk_states_at(organisation, period.end, scale)
    start_map = _heatmap("begin", _("Begin van het jaar (%(date)s)") % {"date": period.start_label}, start, scale)
    end_title = _("Nu (%(date)s)") if period.running else _("Einde van het jaar (%(date)s)")
    end_map = _heatmap("eind", end_title % {"date": period.end_label}, end, scale)

    def counts(states):
        levels = Counter(s["level"] for s in states.values())
        return [
            len(states),
            levels[scoring.LEVEL_HIGH] + levels[scoring.LEVEL_CRITICAL],
            levels[scoring.LEVEL_CRITICAL],
        ]

    new = [s for pk, s in end.items() if pk not in start]
    gone = [s for pk, s in start.items() if pk not in end]
    both = [(start[pk], end[pk]) for pk in end if pk in start]
    up = [(a, b) for a, b in both if b["score"] > a["score"]]
    down = [(a, b) for a, b in both if b["score"] < a["score"]]
    s_counts, e_counts = counts(start), counts(end)
    blocks: list[dict] = [
        {
            "type": "paragraph",
            "text": _(
                "Het risicobeeld aan het begin en aan het einde van het jaar, op de huidige risicomatrix "
                "(%(lk)s×%(im)s, acceptatiegrens %(acc)s). Elk risico staat op zijn netto positie, of op zijn "
                "bruto positie zolang het restrisico niet is ingeschat. De stand aan het begin is herleid uit het "
                "logboek van wijzigingen."
            )
            % {
                "lk": scale.likelihood_levels,
                "im": scale.impact_levels,
                "acc": scale.acceptance_level,
            },
        },
        {
            "type": "charts",
            "items": [
                {"chart": start_map, "alt": start_map.description},
                {"chart": end_map, "alt": end_map.description},
            ],
        },
        {
            "type": "table",
            "caption": _("Het risicobeeld in cijfers"),
            "headers": [_("Onderdeel"), period.start_label, period.end_label],
            "rows": [
                [_("Risico's"), str(s_counts[0]), str(e_counts[0])],
                [_("Boven de acceptatiegrens"), str(s_counts[1]), str(e_counts[1])],
                [_("Zeer hoog"), str(s_counts[2]), str(e_counts[2])],
            ],
        },
        {
            "type": "bullets",
            "items": [
                _("Nieuwe risico's in het jaar: %(n)s") % {"n": len(new)},
                _("Vervallen risico's: %(n)s") % {"n": len(gone)},
                _("Risico's met een hogere score: %(n)s") % {"n": len(up)},
                _("Risico's met een lagere score: %(n)s") % {"n": len(down)},
            ],
        },
    ]
    moved = sorted(up + down, key=lambda ab: (-abs(ab[1]["score"] - ab[0]["score"]), ab[1]["title"]))
    if moved:
        blocks.append({"type": "heading", "text": _("Risico's die verschoven")})
        blocks.append(
            {
                "type": "table",
                "caption": _("Risico's waarvan de score veranderde (grootste verschuiving eerst)"),
                "headers": [_("Kenmerk"), _("Risico"), _("Score begin"), _("Score einde")],
                "rows": [
                    [b["reference"] or "—", b["title"], str(a["score"]), str(b["score"])] for a, b in moved[:MOVED_ROWS]
                ],
            }
        )
        if len(moved) > MOVED_ROWS:
            blocks.append(
                {
                    "type": "paragraph",
                    "text": _("En nog %(n)s risico's; het volledige overzicht staat in het risicoregister.")
                    % {"n": len(moved) - MOVED_ROWS},
                }
            )
    return ReportSection(title=_("Risicobeeld"), blocks=blocks)


def accepted_section(organisation: Organisation, year: int) -> ReportSection:
    period = Period.of(year)
    scale = risk_selectors.scale_for(organisation)
    end = risk_states_at(organisation, period.end, scale)
    accepted = sorted(
        (s for s in end.values() if s["treatment"] == Risk.Treatment.ACCEPT),
        key=lambda s: (s["accepted_until"] or datetime.date.max, s["title"]),
    )
    soon = _add_months(period.end_date, 3)

    def state(s) -> str:
        until = s["accepted_until"]
        if until is None:
            return _("geen einddatum")
        if until < period.end_date:
            return _("verlopen")
        if until <= soon:
            return _("verloopt binnen drie maanden")
        return _("geldig")

    if not accepted:
        return ReportSection(
            title=_("Geaccepteerde risico's"),
            blocks=[
                {
                    "type": "paragraph",
                    "text": _("Op %(date)s waren er geen geaccepteerde risico's.") % {"date": period.end_label},
                }
            ],
        )
    states = Counter(state(s) for s in accepted)
    blocks = [
        {
            "type": "paragraph",
            "text": _(
                "Bewust geaccepteerde risico's op %(date)s: %(n)s. Daarvan is de acceptatie van %(expired)s "
                "verlopen en verloopt die van %(soon)s binnen drie maanden. Een verlopen acceptatie vraagt een "
                "nieuw besluit."
            )
            % {
                "date": period.end_label,
                "n": len(accepted),
                "expired": states[_("verlopen")],
                "soon": states[_("verloopt binnen drie maanden")],
            },
        },
        {
            "type": "table",
            "caption": _("Geaccepteerde risico's en hun einddatum"),
            "headers": [
                _("Kenmerk"),
                _("Risico"),
                _("Score"),
                _("Geaccepteerd door"),
                _("Geaccepteerd tot"),
                _("Stand"),
            ],
            "rows": [
                [
                    s["reference"] or "—",
                    s["title"],
                    str(s["score"]),
                    s["accepted_by"] or "—",
                    _date(s["accepted_until"]),
                    state(s),
                ]
                for s in accepted
            ],
        },
    ]
    return ReportSection(title=_("Geaccepteerde risico's"), blocks=blocks)


def _money(value) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        return Decimal("0")


def measures_section(organisation: Organisation, year: int) -> ReportSection:
    period = Period.of(year)
    start = states_at(Measure, organisation=organisation, moment=period.start, fields=MEASURE_FIELDS)
    end = states_at(Measure, organisation=organisation, moment=period.end, fields=MEASURE_FIELDS)
    statuses = list(Measure.Status)
    s_count = Counter(s["status"] for s in start.values())
    e_count = Counter(s["status"] for s in end.values())
    effective = {str(s) for s in Measure.EFFECTIVE}
    done_in_year = [
        s
        for pk, s in end.items()
        if s["status"] in effective and (pk not in start or start[pk]["status"] not in effective)
    ]
    overdue = sorted(
        (
            s
            for s in end.values()
            if s["status"] not in effective and _as_date(s["deadline"]) and _as_date(s["deadline"]) <= period.end_date
        ),
        key=lambda s: (_as_date(s["deadline"]), s["title"]),
    )
    chart = charts.BarChart(
        key="maatregelen",
        title=_("Maatregelen per status, begin en einde van het jaar"),
        description=_("Aantal maatregelen per status op %(start)s en op %(end)s. De tabel geeft dezelfde gegevens.")
        % {"start": period.start_label, "end": period.end_label},
        categories=tuple(str(s.label) for s in statuses),
        series=(
            charts.Series(period.start_label, tuple(float(s_count[s.value]) for s in statuses)),
            charts.Series(period.end_label, tuple(float(e_count[s.value]) for s in statuses)),
        ),
        value_label=_("maatregelen"),
    )
    blocks: list[dict] = [
        {
            "type": "paragraph",
            "text": _(
                "Aan het einde van het jaar waren er %(n)s maatregelen, waarvan %(eff)s ingevoerd of gecontroleerd. "
                "In het jaar zijn %(done)s maatregelen ingevoerd; %(late)s maatregelen hebben hun uiterste datum "
                "overschreden."
            )
            % {
                "n": len(end),
                "eff": sum(e_count[s] for s in effective),
                "done": len(done_in_year),
                "late": len(overdue),
            },
        },
        {"type": "chart", "chart": chart, "alt": chart.description},
    ]
    if overdue:
        blocks.append(
            {
                "type": "table",
                "caption": _("Maatregelen over hun uiterste datum"),
                "headers": [_("Kenmerk"), _("Maatregel"), _("Status"), _("Uiterste datum")],
                "rows": [
                    [
                        s["reference"] or "—",
                        s["title"],
                        str(Measure.Status(s["status"]).label) if s["status"] in Measure.Status.values else s["status"],
                        _date(_as_date(s["deadline"])),
                    ]
                    for s in overdue[:MOVED_ROWS]
                ],
            }
        )
    # Budget: measures by the year of their uiterste datum, this year and next.
    blocks.append({"type": "heading", "text": _("Budget")})
    rows = []
    for budget_year in (year, year + 1):
        chosen = [s for s in end.values() if (d := _as_date(s["deadline"])) and d.year == budget_year]
        done = [s for s in chosen if s["status"] in effective]
        rows.append(
            [
                str(budget_year),
                str(len(chosen)),
                "€ " + format_money(sum((_money(s["cost_once"]) for s in chosen), Decimal("0"))),
                "€ " + format_money(sum((_money(s["cost_yearly"]) for s in chosen), Decimal("0"))),
                "€ " + format_money(sum((_money(s["cost_once"]) for s in done), Decimal("0"))),
            ]
        )
    blocks.append(
        {
            "type": "table",
            "caption": _("Kosten van maatregelen naar het jaar van hun uiterste datum"),
            "headers": [
                _("Jaar"),
                _("Maatregelen"),
                _("Eenmalig"),
                _("Jaarlijks"),
                _("Eenmalig, al ingevoerd"),
            ],
            "rows": rows,
        }
    )
    return ReportSection(title=_("Maatregelen: voortgang en budget"), blocks=blocks)


SECTIONS = (
    ("yearreport.framework", framework_section, 10),
    ("yearreport.risks", risk_section, 20),
    ("yearreport.accepted", accepted_section, 30),
    ("yearreport.measures", measures_section, 40),
)

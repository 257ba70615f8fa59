"""Reads of the statement of applicability: every BIO2 government measure with the
municipality's decision, the measures of the register that implement it, and what other apps
registered about it (``core.registry.bio2_references``), in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.core.registry import bio2_references
from weerbaar.knowledge.models import Bio2Measure
from weerbaar.risks.models import Measure

from . import catalogue
from .models import Applicability

# Filter values (Dutch, they appear in URLs).
OPEN, APPLICABLE, NOT_APPLICABLE = "open", "ja", "nee"
NO_MEASURE, PLANNED, EFFECTIVE, GAP = "geen", "gepland", "ingevoerd", "gat"


@dataclass
class LinkedMeasure:
    id: int
    reference: str
    title: str
    status: str
    status_label: str

    @property
    def effective(self) -> bool:
        return self.status in Measure.EFFECTIVE

    def __str__(self):
        return f"{self.reference} {self.title}".strip()


@dataclass
class StatementRow:
    bio2: Bio2Measure
    title: str
    applicability: Applicability | None
    measures: list[LinkedMeasure] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.bio2.number

    @property
    def assessed(self) -> bool:
        return self.applicability is not None

    @property
    def applicable(self) -> bool | None:
        if self.applicability is None:
            return None
        return self.applicability.decision == Applicability.Decision.APPLICABLE

    @property
    def implementation(self) -> str:
        """geen (no measure), gepland (measures, none in place yet) or ingevoerd."""
        if not self.measures:
            return NO_MEASURE
        return EFFECTIVE if any(m.effective for m in self.measures) else PLANNED

    @property
    def implementation_label(self) -> str:
        return {
            NO_MEASURE: _("geen maatregel"),
            PLANNED: _("gepland of in uitvoering"),
            EFFECTIVE: _("ingevoerd"),
        }[self.implementation]

    @property
    def gap(self) -> bool:
        """Applicable, but nothing in the register implements it yet."""
        return self.applicable is True and not self.measures


@dataclass
class ChapterSummary:
    key: str
    label: str
    total: int = 0
    open: int = 0
    applicable: int = 0
    not_applicable: int = 0
    effective: int = 0
    gaps: int = 0


def _linked_measures(organisation: Organisation) -> dict[int, list[LinkedMeasure]]:
    """{bio2 id: the municipality's measures that point at it}, in one query."""
    statuses = {k: str(v) for k, v in Measure.Status.choices}
    through = Measure.bio2_measures.through
    out: dict[int, list[LinkedMeasure]] = {}
    rows = (
        through.objects.filter(measure__organisation=organisation)
        .order_by("measure__reference", "measure__title", "measure_id")
        .values_list("bio2measure_id", "measure_id", "measure__reference", "measure__title", "measure__status")
    )
    for bio2_id, pk, reference, title, status in rows:
        out.setdefault(bio2_id, []).append(LinkedMeasure(pk, reference, title, status, statuses.get(status, status)))
    return out


def _references(organisation: Organisation) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for source in bio2_references:
        for number, items in (source(organisation) or {}).items():
            found.setdefault(number, []).extend(items)
    return found


def statement(*, organisation: Organisation) -> list[StatementRow]:
    """Every BIO2 government measure, in the BIO2's order, with everything the statement shows."""
    decisions = {a.bio2_id: a for a in Applicability.objects.filter(organisation=organisation)}
    measures = _linked_measures(organisation)
    references = _references(organisation)
    return [
        StatementRow(
            bio2=b,
            title=catalogue.title_for(b.number),
            applicability=decisions.get(b.pk),
            measures=measures.get(b.pk, []),
            references=references.get(b.number, []),
        )
        for b in Bio2Measure.objects.filter(status=Bio2Measure.Status.MEASURE).order_by("order", "number")
    ]


def summarise(rows: list[StatementRow]) -> list[ChapterSummary]:
    """Counts per ISO chapter, plus a total row (key ``""``)."""
    chapters = {key: ChapterSummary(key, label) for key, label in catalogue.CHAPTERS.items()}
    total = ChapterSummary("", _("Totaal"))
    for row in rows:
        for s in (chapters.get(row.bio2.chapter), total):
            if s is None:
                continue
            s.total += 1
            s.open += row.applicable is None
            s.applicable += row.applicable is True
            s.not_applicable += row.applicable is False
            s.effective += row.applicable is True and row.implementation == EFFECTIVE
            s.gaps += row.gap
    return [s for s in chapters.values() if s.total] + [total]


def _matches(row: StatementRow, words: list[str]) -> bool:
    text = " ".join(
        [row.number, row.title, row.bio2.description, row.applicability.reason if row.applicability else ""]
        + [str(m) for m in row.measures]
    ).lower()
    return all(w in text for w in words)


def filter_rows(
    rows: list[StatementRow], *, chapter: str = "", decision: str = "", implementation: str = "", query: str = ""
) -> list[StatementRow]:
    out = rows
    if chapter:
        out = [r for r in out if r.bio2.chapter == chapter]
    if decision == OPEN:
        out = [r for r in out if r.applicable is None]
    elif decision == APPLICABLE:
        out = [r for r in out if r.applicable is True]
    elif decision == NOT_APPLICABLE:
        out = [r for r in out if r.applicable is False]
    if implementation == GAP:
        out = [r for r in out if r.gap]
    elif implementation in (NO_MEASURE, PLANNED, EFFECTIVE):
        out = [r for r in out if r.implementation == implementation]
    words = (query or "").lower().split()
    if words:
        out = [r for r in out if _matches(r, words)]
    return out


def by_chapter(rows: list[StatementRow]) -> list[tuple[str, str, list[StatementRow]]]:
    groups = []
    for key, label in catalogue.CHAPTERS.items():
        members = [r for r in rows if r.bio2.chapter == key]
        if members:
            groups.append((key, label, members))
    return groups


def government_measure(number: str) -> Bio2Measure | None:
    return Bio2Measure.objects.filter(number=number, status=Bio2Measure.Status.MEASURE).first()

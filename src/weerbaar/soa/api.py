"""API of the statement of applicability: the same selectors and services as the pages."""

from typing import Annotated, Literal

from django.http import Http404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from weerbaar.api.schemas import InputSchema
from weerbaar.core import permissions

from . import catalogue, selectors, services
from .models import REASON_MAX_LENGTH, Applicability

router = Router(tags=["verklaring van toepasselijkheid (bio2)"])

Number = Annotated[str, Path(max_length=12, description="BIO2-nummer, bijvoorbeeld 5.15.01")]
ChapterFilter = Literal[("", *catalogue.CHAPTERS)]
DecisionFilter = Literal["", selectors.OPEN, selectors.APPLICABLE, selectors.NOT_APPLICABLE]
ImplementationFilter = Literal["", selectors.GAP, selectors.NO_MEASURE, selectors.PLANNED, selectors.EFFECTIVE]


class LinkedMeasureOut(Schema):
    id: int
    reference: str
    title: str
    status: str


class ReferenceOut(Schema):
    label: str
    url: str


class StatementRowOut(Schema):
    number: str
    chapter: str
    title: str
    description: str
    decision: str | None = Field(description="applicable, not_applicable, of leeg: nog niet beoordeeld")
    reason: str
    revision: int | None
    measures: list[LinkedMeasureOut]
    implementation: str = Field(description="geen, gepland of ingevoerd")
    references: list[ReferenceOut]


class SummaryOut(Schema):
    chapter: str
    label: str
    total: int
    open: int
    applicable: int
    not_applicable: int
    effective: int
    gaps: int


class StatementOut(Schema):
    version: str
    source: str
    count: int
    summary: list[SummaryOut]
    items: list[StatementRowOut]


class ApplicabilityIn(InputSchema):
    decision: Literal[tuple(Applicability.Decision.values)]
    reason: Annotated[str, Field(max_length=REASON_MAX_LENGTH)] = ""
    revision: Annotated[int | None, Field(ge=services.NEW, le=2**31 - 1)] = Field(
        None, description="De revisie die u las (-1: nog niet beoordeeld); bij een andere revisie volgt 409."
    )


def _row_out(r: selectors.StatementRow) -> dict:
    a = r.applicability
    return {
        "number": r.number,
        "chapter": r.bio2.chapter,
        "title": r.title,
        "description": r.bio2.description,
        "decision": a.decision if a else None,
        "reason": a.reason if a else "",
        "revision": a.revision if a else None,
        "measures": [{"id": m.id, "reference": m.reference, "title": m.title, "status": m.status} for m in r.measures],
        "implementation": r.implementation,
        "references": [{"label": label, "url": url} for label, url in r.references],
    }


def _row(request, number: str) -> selectors.StatementRow:
    for r in selectors.statement(organisation=request.organisation):
        if r.number == number:
            return r
    raise Http404


@router.get("/statement-of-applicability", response=StatementOut, summary="Verklaring van toepasselijkheid")
def statement(
    request,
    chapter: Query[ChapterFilter] = "",
    decision: Query[DecisionFilter] = "",
    implementation: Query[ImplementationFilter] = "",
    q: Annotated[str, Query(max_length=200)] = "",
):
    permissions.require(request.membership, "soa.view")
    rows = selectors.statement(organisation=request.organisation)
    shown = selectors.filter_rows(rows, chapter=chapter, decision=decision, implementation=implementation, query=q)
    return {
        "version": catalogue.VERSION,
        "source": catalogue.source_url(),
        "count": len(shown),
        "summary": [s.__dict__ | {"chapter": s.key} for s in selectors.summarise(rows)],
        "items": [_row_out(r) for r in shown],
    }


@router.get("/statement-of-applicability/{number}", response=StatementRowOut, summary="Eén maatregel uit de verklaring")
def statement_row(request, number: Number):
    permissions.require(request.membership, "soa.view")
    return _row_out(_row(request, number))


@router.put("/statement-of-applicability/{number}", response=StatementRowOut, summary="Toepasselijkheid vastleggen")
def statement_row_set(request, number: Number, payload: ApplicabilityIn):
    bio2 = selectors.government_measure(number)
    if bio2 is None:
        raise Http404
    services.applicability_set(
        organisation=request.organisation,
        membership=request.membership,
        bio2=bio2,
        decision=payload.decision,
        reason=payload.reason,
        expected_revision=payload.revision,
    )
    return _row_out(_row(request, number))

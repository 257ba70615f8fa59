"""API router of the self-scan: the same services and selectors as the pages.

Rounds, answers and results of the token's municipality (another municipality's id is a 404);
the anonymous benchmark (aggregates only, never a group of fewer than five municipalities);
the national view for national editors (403 for anyone else).
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from weerbaar.api.schemas import InputSchema
from weerbaar.core import permissions
from weerbaar.core.models import PROVINCES, Membership
from weerbaar.knowledge.models import Theme

from . import selectors, services
from .models import Answer, ScanRound, ThemeAssignment

router = Router(tags=["zelfscan volwassenheid"])

PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
RevisionIn = Annotated[int | None, Field(ge=0, le=2**31 - 1)]
SizeClass = Literal[("", *[k for k, _label in selectors.SIZE_CHOICES])]
Province = Literal[("", *[k for k, _label in PROVINCES])]


# A web address as the model's URLField accepts it: http(s), a host name with a top-level domain,
# an optional path of printable characters. Stated in the schema, so a client knows before sending.
URL_PATTERN = r"^(?:https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?:[/?#][!-~]*)?)?$"


def _score(value):
    return None if value is None else round(value, 2)


# --- questionnaire ----------------------------------------------------------------------------------


class ScanQuestionOut(Schema):
    id: int
    code: str
    theme: str
    text: str
    explanation: str
    levels: list[str]
    building_blocks: list[str]
    bio2_measures: list[str]


class ScanQuestionnaireOut(Schema):
    version: int
    title: str
    questions: list[ScanQuestionOut]


def _question_out(q) -> dict:
    return {
        "id": q.pk,
        "code": q.code,
        "theme": q.theme.slug,
        "text": q.text,
        "explanation": q.explanation,
        "levels": [text for _n, text in q.levels],
        "building_blocks": [b.slug for b in q.building_blocks.all()],
        "bio2_measures": [m.number for m in q.bio2_measures.all()],
    }


@router.get("/selfscan/questionnaire", response=ScanQuestionnaireOut, summary="De geldende vragenlijst van de zelfscan")
def questionnaire_current(request):
    permissions.require(request.membership, "selfscan.view")
    q = services.current_questionnaire()
    if q is None:
        from django.http import Http404

        raise Http404
    questions = q.questions.select_related("theme").prefetch_related("building_blocks", "bio2_measures")
    return {"version": q.version, "title": q.title, "questions": [_question_out(x) for x in questions]}


# --- rounds -------------------------------------------------------------------------------------------


class ScanAssignmentIn(InputSchema):
    theme: Annotated[str, Field(max_length=100)]
    member_id: Id | None = None


class ScanRoundIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=120)]
    due_date: datetime.date | None = None
    assignments: list[ScanAssignmentIn] = Field([], max_length=50)


class ScanAssignmentOut(Schema):
    theme: str
    member_id: int | None
    answered: int
    total: int


class ScanRoundOut(Schema):
    id: int
    title: str
    status: str
    questionnaire_version: int
    due_date: datetime.date | None
    started_at: datetime.datetime
    closed_at: datetime.datetime | None
    revision: int


class ScanRoundDetailOut(ScanRoundOut):
    assignments: list[ScanAssignmentOut]


class ScanRoundList(Schema):
    count: int
    items: list[ScanRoundOut]


class ScanPage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def _round_out(r: ScanRound) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "status": r.status,
        "questionnaire_version": r.questionnaire.version,
        "due_date": r.due_date,
        "started_at": r.started_at,
        "closed_at": r.closed_at,
        "revision": r.revision,
    }


def _round_detail(r: ScanRound) -> dict:
    progress = selectors.round_progress(scan_round=r)
    return {
        **_round_out(r),
        "assignments": [
            {
                "theme": p.theme.slug,
                "member_id": p.assignment.member_id if p.assignment else None,
                "answered": p.answered,
                "total": p.total,
            }
            for p in progress
        ],
    }


def _get_round(round_id: int) -> ScanRound:
    return get_object_or_404(ScanRound.objects.select_related("questionnaire"), pk=round_id)


def _assignments(request, items: list[ScanAssignmentIn]) -> dict:
    slugs = {t.slug: t.pk for t in Theme.objects.all()}
    result = {}
    for item in items:
        if item.theme not in slugs:
            message = _("Onbekend thema: %(slug)s.") % {"slug": item.theme}
            raise ValidationError({"assignments": ValidationError(message, code="unknown")})
        member = None
        if item.member_id is not None:
            member = Membership.objects.filter(organisation=request.organisation, pk=item.member_id).first()
            if member is None:
                raise ValidationError({"assignments": ValidationError(_("Onbekend lid."), code="unknown")})
        result[slugs[item.theme]] = member
    return result


@router.get("/selfscan/rounds", response=ScanRoundList, summary="Scanrondes")
def round_list(request, page: Query[ScanPage]):
    permissions.require(request.membership, "selfscan.view")
    qs = ScanRound.objects.select_related("questionnaire").order_by("-started_at", "-id")
    return {"count": qs.count(), "items": [_round_out(r) for r in qs[page.offset : page.offset + page.limit]]}


@router.post("/selfscan/rounds", response={201: ScanRoundDetailOut}, summary="Scanronde starten")
def round_create(request, payload: ScanRoundIn):
    scan_round = services.round_start(
        organisation=request.organisation,
        membership=request.membership,
        title=payload.title,
        due_date=payload.due_date,
        assignments=_assignments(request, payload.assignments),
    )
    return Status(201, _round_detail(_get_round(scan_round.pk)))


@router.get("/selfscan/rounds/{round_id}", response=ScanRoundDetailOut, summary="Eén scanronde")
def round_detail(request, round_id: PathId):
    permissions.require(request.membership, "selfscan.view")
    return _round_detail(_get_round(round_id))


class ScanAssignmentsIn(InputSchema):
    assignments: list[ScanAssignmentIn] = Field(max_length=50)


@router.put("/selfscan/rounds/{round_id}/assignments", response=ScanRoundDetailOut, summary="Thema's toewijzen")
def round_assign(request, round_id: PathId, payload: ScanAssignmentsIn):
    scan_round = _get_round(round_id)
    wanted = _assignments(request, payload.assignments)
    existing = {a.theme_id: a for a in ThemeAssignment.objects.filter(scan_round=scan_round)}
    for theme_id, member in wanted.items():
        if theme_id in existing:
            services.assignment_set(membership=request.membership, assignment=existing[theme_id], member=member)
    return _round_detail(scan_round)


class ScanCloseIn(InputSchema):
    note: Annotated[str, Field(max_length=2000)] = ""
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


@router.post("/selfscan/rounds/{round_id}/close", response=ScanRoundDetailOut, summary="Scanronde afsluiten")
def round_close(request, round_id: PathId, payload: ScanCloseIn):
    scan_round = _get_round(round_id)
    services.round_close(
        membership=request.membership, scan_round=scan_round, note=payload.note, expected_revision=payload.revision
    )
    return _round_detail(scan_round)


# --- answers ----------------------------------------------------------------------------------------------


class ScanAnswerOut(Schema):
    id: int
    question_id: int
    question_code: str
    theme: str
    level: int | None
    justification: str
    evidence_url: str
    evidence_file: str
    action_id: int | None
    measure_id: int | None
    revision: int


class ScanAnswerIn(InputSchema):
    level: Annotated[int | None, Field(ge=1, le=5)] = None
    justification: Annotated[str, Field(max_length=2000)] = ""
    evidence_url: Annotated[str, Field(max_length=500, pattern=URL_PATTERN)] = ""
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


def _answer_out(a: Answer) -> dict:
    return {
        "id": a.pk,
        "question_id": a.question_id,
        "question_code": a.question.code,
        "theme": a.question.theme.slug,
        "level": a.level,
        "justification": a.justification,
        "evidence_url": a.evidence_url,
        "evidence_file": a.evidence_name,
        "action_id": a.action_id,
        "measure_id": a.measure_id,
        "revision": a.revision,
    }


def _answers_qs():
    return Answer.objects.select_related("question__theme", "scan_round").defer("evidence_data")


@router.get("/selfscan/rounds/{round_id}/answers", response=list[ScanAnswerOut], summary="Antwoorden van een ronde")
def round_answers(request, round_id: PathId):
    permissions.require(request.membership, "selfscan.view")
    scan_round = _get_round(round_id)
    return [_answer_out(a) for a in _answers_qs().filter(scan_round=scan_round)]


@router.put("/selfscan/answers/{answer_id}", response=ScanAnswerOut, summary="Antwoord opslaan (ook gedeeltelijk)")
def answer_update(request, answer_id: PathId, payload: ScanAnswerIn):
    answer = get_object_or_404(_answers_qs(), pk=answer_id)
    services.answer_save(
        membership=request.membership,
        answer=answer,
        level=payload.level,
        justification=payload.justification,
        evidence_url=payload.evidence_url,
        expected_revision=payload.revision,
    )
    return _answer_out(answer)


class ScanFollowUpOut(Schema):
    id: int
    title: str


@router.post(
    "/selfscan/answers/{answer_id}/action", response={201: ScanFollowUpOut}, summary="Actie in het jaarplan maken"
)
def answer_action(request, answer_id: PathId):
    answer = get_object_or_404(_answers_qs(), pk=answer_id)
    action = services.answer_to_action(organisation=request.organisation, membership=request.membership, answer=answer)
    return Status(201, {"id": action.pk, "title": action.title})


@router.post("/selfscan/answers/{answer_id}/measure", response={201: ScanFollowUpOut}, summary="Maatregel maken")
def answer_measure(request, answer_id: PathId):
    answer = get_object_or_404(_answers_qs(), pk=answer_id)
    measure = services.answer_to_measure(
        organisation=request.organisation, membership=request.membership, answer=answer
    )
    return Status(201, {"id": measure.pk, "title": measure.title})


# --- results ------------------------------------------------------------------------------------------------


class ScanThemeScoreOut(Schema):
    theme: str
    score: float | None
    previous: float | None
    growth_stage: int | None


class ScanResultsOut(Schema):
    round_id: int
    previous_round_id: int | None
    overall: float | None
    previous_overall: float | None
    themes: list[ScanThemeScoreOut]
    weakest: list[ScanAnswerOut]


@router.get("/selfscan/rounds/{round_id}/results", response=ScanResultsOut, summary="Resultaten van een ronde")
def round_results(request, round_id: PathId):
    permissions.require(request.membership, "selfscan.view")
    scan_round = _get_round(round_id)
    r = selectors.results(organisation=request.organisation, scan_round=scan_round)
    return {
        "round_id": scan_round.pk,
        "previous_round_id": r.previous_round.pk if r.previous_round else None,
        "overall": _score(r.overall),
        "previous_overall": _score(r.previous_overall),
        "themes": [
            {
                "theme": row.theme.slug,
                "score": _score(row.score),
                "previous": _score(row.previous),
                "growth_stage": row.stage["number"] if row.stage else None,
            }
            for row in r.rows
        ],
        "weakest": [_answer_out(a) for a in r.weakest],
    }


# --- settings, benchmark, national view ---------------------------------------------------------------------


class ScanSettingsOut(Schema):
    benchmark_opt_in: bool
    revision: int


class ScanSettingsIn(InputSchema):
    benchmark_opt_in: bool
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


@router.get("/selfscan/settings", response=ScanSettingsOut, summary="Instellingen zelfscan")
def settings_get(request):
    permissions.require(request.membership, "selfscan.view")
    s = services.settings_for(request.organisation)
    return {"benchmark_opt_in": s.benchmark_opt_in, "revision": s.revision}


@router.put("/selfscan/settings", response=ScanSettingsOut, summary="Meedoen aan de anonieme vergelijking")
def settings_put(request, payload: ScanSettingsIn):
    s = services.settings_update(
        organisation=request.organisation,
        membership=request.membership,
        benchmark_opt_in=payload.benchmark_opt_in,
        expected_revision=payload.revision,
    )
    return {"benchmark_opt_in": s.benchmark_opt_in, "revision": s.revision}


class ScanDistributionOut(Schema):
    theme: str
    shown: bool
    own: float | None
    q1: float | None
    median: float | None
    q3: float | None


class ScanBenchmarkOut(Schema):
    size_class: str
    province: str
    shown: bool
    municipalities: int = Field(description="Aantal gemeenten in de groep; 0 als de groep te klein is om te tonen.")
    minimum_group: int
    themes: list[ScanDistributionOut]


@router.get("/selfscan/benchmark", response=ScanBenchmarkOut, summary="Anonieme vergelijking met andere gemeenten")
def benchmark(request, size_class: Query[SizeClass] = "", province: Query[Province] = ""):
    permissions.require(request.membership, "selfscan.view")
    if not services.settings_for(request.organisation).benchmark_opt_in:
        raise PermissionDenied(_("Alleen gemeenten die meedoen aan de vergelijking zien die."))
    b = selectors.benchmark_aggregates_scopes_disabled(
        organisation=request.organisation, size_class=size_class, province=province
    )
    return {
        "size_class": b.size_class,
        "province": b.province,
        "shown": b.shown,
        "municipalities": b.municipalities,
        "minimum_group": selectors.MIN_GROUP,
        "themes": [
            {
                "theme": d.theme.slug,
                "shown": d.shown,
                "own": _score(d.own),
                "q1": _score(d.q1),
                "median": _score(d.median),
                "q3": _score(d.q3),
            }
            for d in b.themes
        ],
    }


class ScanNationalYearOut(Schema):
    year: int
    shown: bool
    municipalities: int
    averages: dict[str, str]


@router.get("/selfscan/national", response=list[ScanNationalYearOut], summary="Landelijk beeld (alleen redactie)")
def national(request):
    permissions.require(request.user, "selfscan.national_view")
    data = selectors.national_overview_scopes_disabled()
    return [
        {
            "year": y.year,
            "shown": y.shown,
            "municipalities": y.municipalities,
            "averages": dict(zip([t.slug for t in data["themes"]], y.averages, strict=False)) if y.shown else {},
        }
        for y in data["years"]
    ]

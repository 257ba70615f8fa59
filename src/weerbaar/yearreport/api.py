"""API router for the yearly report: the same services and selectors as the web pages."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from weerbaar.api.schemas import InputSchema, problem_responses
from weerbaar.core import permissions
from weerbaar.documents.word import DOCX_CONTENT_TYPE

from . import documents, selectors, services
from .models import FIRST_YEAR, LAST_YEAR, TEXT_MAX_LENGTH, YearReport

router = Router(tags=["jaarverslag integrale beveiliging"])


class YearReportSummary(Schema):
    id: int
    year: int
    number: int
    status: str
    adopted_on: datetime.date | None = None
    decision_reference: str = ""
    adopted_by_body: str = ""


class YearReportChapter(Schema):
    key: str
    title: str
    blocks: list[dict]


class YearReportOut(YearReportSummary):
    foreword: str
    conclusions: str
    revision: int
    frozen_at: datetime.datetime | None = None
    chapters: list[YearReportChapter]


class YearReportBuildIn(InputSchema):
    # A report covers a year that has begun; the bound is read when the server starts (a server
    # running into the new year accepts that year although the schema still says the previous).
    year: Annotated[int, Field(ge=FIRST_YEAR, le=timezone.now().year)]


class YearReportTextsIn(InputSchema):
    foreword: str = Field(max_length=TEXT_MAX_LENGTH)
    conclusions: str = Field(max_length=TEXT_MAX_LENGTH)
    revision: int | None = Field(None, ge=0, le=2**31 - 1)


class YearReportAdoptIn(InputSchema):
    adopted_on: datetime.date
    decision_reference: str = Field(max_length=100)
    adopted_by_body: str = Field("college van burgemeester en wethouders", max_length=200)


def _report(pk: int) -> YearReport:
    return get_object_or_404(selectors.detail_queryset(), pk=pk)


def _summary(r: YearReport) -> dict:
    return {
        "id": r.pk,
        "year": r.year,
        "number": r.number,
        "status": r.status,
        "adopted_on": r.adopted_on,
        "decision_reference": r.decision_reference,
        "adopted_by_body": r.adopted_by_body,
    }


def _out(r: YearReport) -> dict:
    r = _report(r.pk)
    return {
        **_summary(r),
        "foreword": r.foreword,
        "conclusions": r.conclusions,
        "revision": r.revision,
        "frozen_at": r.frozen_at,
        "chapters": selectors.chapters_of(r),
    }


@router.get("/yearreports", response=list[YearReportSummary], summary="Alle jaarverslagen")
def report_list(request, year: Annotated[int | None, Field(ge=FIRST_YEAR, le=LAST_YEAR)] = None):
    permissions.require(request.membership, "yearreport.view")
    return [_summary(r) for r in selectors.report_list(organisation=request.organisation, year=year)[:200]]


@router.post(
    "/yearreports",
    response={201: YearReportOut},
    summary="Jaarverslag opstellen voor een jaar",
    openapi_extra=problem_responses(status_409=_("Voor dit jaar is er al een jaarverslag in voorbereiding.")),
)
def report_build(request, payload: YearReportBuildIn):
    report = services.report_build(organisation=request.organisation, membership=request.membership, year=payload.year)
    return Status(201, _out(report))


@router.get("/yearreports/{version_id}", response=YearReportOut, summary="Eén jaarverslag met zijn hoofdstukken")
def report_detail(request, version_id: int):
    report = _report(version_id)
    permissions.require(request.membership, "yearreport.view")
    return _out(report)


@router.put(
    "/yearreports/{version_id}/texts",
    response=YearReportOut,
    summary="Voorwoord en conclusies",
    openapi_extra=problem_responses(status_409=_("Iemand anders heeft de teksten intussen gewijzigd.")),
)
def texts_save(request, version_id: int, payload: YearReportTextsIn):
    report = services.texts_save(
        report=_report(version_id),
        membership=request.membership,
        foreword=payload.foreword,
        conclusions=payload.conclusions,
        expected_revision=payload.revision,
    )
    return _out(report)


@router.post("/yearreports/{version_id}/submit", response=YearReportOut, summary="Indienen ter besluitvorming")
def submit(request, version_id: int):
    return _out(services.report_submit(report=_report(version_id), membership=request.membership))


@router.post("/yearreports/{version_id}/withdraw", response=YearReportOut, summary="Terug naar concept")
def withdraw(request, version_id: int):
    return _out(services.report_withdraw(report=_report(version_id), membership=request.membership))


@router.post("/yearreports/{version_id}/adopt", response=YearReportOut, summary="Vaststellen (bestuurder)")
def adopt(request, version_id: int, payload: YearReportAdoptIn):
    return _out(services.report_adopt(report=_report(version_id), membership=request.membership, **payload.dict()))


@router.post(
    "/yearreports/{version_id}/new-version",
    response={201: YearReportOut},
    summary="Nieuwe versie als concept",
    openapi_extra=problem_responses(status_409=_("Voor dit jaar is er al een jaarverslag in voorbereiding.")),
)
def new_version(request, version_id: int):
    return Status(201, _out(services.new_version(report=_report(version_id), membership=request.membership)))


def _download(report: YearReport, *, word_export: bool) -> HttpResponse:
    extension, content_type = ("docx", DOCX_CONTENT_TYPE) if word_export else ("pdf", "application/pdf")
    response = HttpResponse(documents.document_bytes(report, word_export=word_export), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(report, extension)}"'
    return response


@router.get("/yearreports/{version_id}/document.docx", summary="Het jaarverslag als Word-document")
def document_docx(request, version_id: int):
    return _download(_report(version_id), word_export=True)


@router.get("/yearreports/{version_id}/document.pdf", summary="Het jaarverslag als PDF")
def document_pdf(request, version_id: int):
    return _download(_report(version_id), word_export=False)

"""Reads of the yearly report: the list, and the chapters of one version (frozen or built now)."""

from __future__ import annotations

from django.db.models import QuerySet

from weerbaar.core.models import Organisation

from .content import build_content
from .models import YearReport

LIST_FIELDS_DEFERRED = ("content", "word", "pdf")


def report_list(*, organisation: Organisation, year: int | None = None) -> QuerySet[YearReport]:
    qs = YearReport.objects.filter(organisation=organisation).defer(*LIST_FIELDS_DEFERRED).order_by("-year", "-number")
    if year:
        qs = qs.filter(year=year)
    return qs


def detail_queryset() -> QuerySet[YearReport]:
    return YearReport.objects.select_related("organisation", "submitted_by", "adoption_recorded_by").defer(
        "word", "pdf"
    )


def build_chapters(organisation: Organisation, year: int) -> list[dict]:
    return build_content(organisation, year)


def chapters_of(report: YearReport) -> list[dict]:
    """The frozen chapters of a submitted or adopted report; a draft's are built from the registers now."""
    if report.content is not None:
        return report.content
    return build_chapters(report.organisation, report.year)


def open_version(*, organisation: Organisation, year: int) -> YearReport | None:
    return (
        YearReport.objects.filter(
            organisation=organisation, year=year, status__in=(YearReport.Status.DRAFT, YearReport.Status.SUBMITTED)
        )
        .defer(*LIST_FIELDS_DEFERRED)
        .first()
    )

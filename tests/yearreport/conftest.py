import datetime
import io
import json

import pypdf
import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from docx import Document

from weerbaar.accounts.services import api_token_create
from weerbaar.core.registry import ReportSection, annual_report_sections
from weerbaar.documents import charts
from weerbaar.yearreport import services

from ..conftest import member

FOREWORD = "Een jaar waarin Demostad het kader vaststelde."
CONCLUSIONS = "Blijf sturen op maatregelen die achterlopen."


def docx_document(content: bytes):
    return Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    doc = docx_document(content)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def last_year() -> int:
    return timezone.localdate().year - 1


def build(org, year=None, *, texts=True):
    """A draft report (with foreword and conclusions) made by Demostad's coordinator."""
    with scope(organisation=org.pk):
        coordinator = member(org, "coordinator")
        report = services.report_build(organisation=org, membership=coordinator, year=year or last_year())
        if texts:
            report = services.texts_save(
                report=report, membership=coordinator, foreword=FOREWORD, conclusions=CONCLUSIONS
            )
        return report


def adopt(org, report, on: datetime.date | None = None, reference="B&W 2026/1"):
    with scope(organisation=org.pk):
        report = services.report_submit(report=report, membership=member(org, "coordinator"))
        return services.report_adopt(
            report=report,
            membership=member(org, "bestuur"),
            adopted_on=on or timezone.localdate(),
            decision_reference=reference,
            adopted_by_body="college van burgemeester en wethouders",
        )


def training_section(organisation, year):
    """A chapter as another app would register it, with every block type."""
    return ReportSection(
        title="Opleiden en oefenen",
        blocks=[
            {"type": "heading", "text": "Deelname per groep"},
            {"type": "paragraph", "text": "Iedereen volgde de e-learning."},
            {"type": "bullets", "items": ["Baliemedewerkers: 40", "Handhavers: 12"]},
            {"type": "table", "headers": ["Groep", "Deelnemers"], "rows": [["Baliemedewerkers", 40], ["ICT", 9]]},
            {
                "type": "chart",
                "chart": charts.BarChart(
                    key="deelname",
                    title="Deelname aan oefeningen",
                    description="Deelnemers per groep.",
                    categories=("Balie", "ICT"),
                    series=(charts.Series("2025", (40.0, 9.0)),),
                ),
                "alt": "Deelnemers per groep",
            },
        ],
    )


@pytest.fixture
def extra_chapter():
    annual_report_sections.register("test.training", training_section, order=500)
    yield
    annual_report_sections.unregister("test.training")


@pytest.fixture
def api_as(client):
    def _as(org, local):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(org, local), name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def call(method, url, body=None):
            return client.generic(
                method, "/api/v1" + url, data=json.dumps(body or {}), content_type="application/json", **headers
            )

        return call

    return _as

"""Every PDF Weerbaar makes carries the municipality's logo and house colour (one shared base)."""

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.template.loader import get_template
from django_scopes import scope, scopes_disabled

from weerbaar.core import services
from weerbaar.documents import pdf
from weerbaar.documents.house import DEFAULT_COLOUR, house_colour

SRC = Path(__file__).resolve().parents[2] / "src" / "weerbaar"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b5563"/></svg>'


def print_templates() -> set[str]:
    """Every template handed to pdf.render_pdf anywhere in the product."""
    names = set()
    for path in SRC.rglob("*.py"):
        names |= set(re.findall(r"render_pdf\(\s*\"([^\"]+\.html)\"", path.read_text()))
    return names


def test_every_pdf_template_extends_the_shared_house_style_base():
    names = print_templates()
    assert {"framework/document_print.html", "risks/report_print.html", "selfscan/report_print.html"} <= names
    assert "yearreport/document_print.html" in names
    for name in names:
        source = Path(get_template(name).origin.name).read_text()
        assert source.startswith('{% extends "documents/print_base.html" %}'), name


@pytest.fixture
def captured(monkeypatch):
    seen = []
    real = pdf.html_to_pdf

    def capture(html):
        seen.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", capture)
    return seen


def test_the_risk_report_pdf_takes_logo_and_colour_from_its_municipality(demostad, captured):
    from weerbaar.risks import report

    with scopes_disabled():
        services.organisation_logo_set(organisation=demostad, name="wapen.svg", content=SVG)
        services.organisation_update(organisation=demostad, primary_colour="#0b5563", primary_text_colour="#ffffff")
        content = report.render_pdf(report.register_report(organisation=demostad))
    assert 'class="weerbaar-print-logo" src="data:image/svg+xml;base64,' in captured[0]
    assert 'alt="Logo van Demostad"' in captured[0]
    assert "color: #0b5563" in captured[0]
    assert content.startswith(b"%PDF")


def test_a_pdf_without_a_named_municipality_uses_the_active_scope(demostad, captured):
    with scopes_disabled():
        services.organisation_logo_set(organisation=demostad, name="wapen.svg", content=SVG)
    with scope(organisation=demostad.pk):
        content = pdf.render_pdf("documents/print_base.html", {})
    assert "data:image/svg+xml;base64," in captured[0]
    # WeasyPrint drew the SVG logo as vector graphics: the page is not empty.
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 1


def test_without_a_logo_the_name_stands_at_the_top_and_the_default_colour_is_used(demostad, captured):
    with scope(organisation=demostad.pk):
        pdf.render_pdf("documents/print_base.html", {})
    assert "<img" not in captured[0]
    assert 'class="weerbaar-print-house__name">Demostad<' in captured[0]
    assert f"color: {DEFAULT_COLOUR}" in captured[0]


def test_a_house_colour_too_light_for_text_falls_back_to_dark_blue(demostad):
    demostad.primary_colour = "#ffff99"
    assert house_colour(demostad) == DEFAULT_COLOUR
    demostad.primary_colour = "#0b5563"
    assert house_colour(demostad) == "#0b5563"

"""The register report "Risicobeeld": both heat maps and the risks above acceptance, in PDF and Word."""

import io
import re
import zipfile

import pytest
from django.template.loader import render_to_string
from django_scopes import scopes_disabled
from docx import Document
from pypdf import PdfReader

from weerbaar.risks import report
from weerbaar.risks.models import Risk

from ..conftest import member

BASE = "/g/demostad/risico/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def words(text: str) -> str:
    return " ".join(text.split())


def titles(organisation, **filters) -> list[str]:
    with scopes_disabled():
        return list(Risk.objects.filter(organisation=organisation, **filters).values_list("title", flat=True))


def test_pdf_shows_both_heat_maps_and_every_risk_above_acceptance(register, coordinator_client):
    response = coordinator_client.get(BASE + "risicobeeld.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = words("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert "Risicobeeld" in text and "Demostad" in text
    assert "Bruto risico (zonder maatregelen)" in text and "Netto risico (restrisico)" in text
    above = titles(register, exceeds_acceptance=True)
    assert above and all(words(t) in text for t in above)
    below = titles(register, exceeds_acceptance=False)
    assert below and not any(words(t) in text for t in below)


def test_pdf_draws_the_heat_maps_as_inline_svg_with_their_tables(register):
    with scopes_disabled():
        data = report.register_report(organisation=register)
        html = render_to_string("risks/report_print.html", {"report": data})
    assert html.count('role="img"') == 2 and 'data-position="bruto"' in html and 'data-position="netto"' in html
    assert html.count("<title id=") == 2 and html.count("<desc id=") == 2
    assert html.count('<table class="utrecht-table weerbaar-heatmap__table">') == 2
    assert "<a " not in html  # links to the web pages mean nothing on paper
    inherent = data.heatmaps[0]
    cells = re.findall(r'<g data-likelihood="(\d)" data-impact="(\d)" data-count="(\d+)"', html)
    assert len(cells) == 2 * 25
    assert sum(int(n) for _, _, n in cells[:25]) == inherent.total == len(titles(register))


def test_word_has_the_heading_both_heat_maps_as_pictures_with_alt_text_and_the_risks(register, coordinator_client):
    response = coordinator_client.get(BASE + "risicobeeld.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        xml = archive.read("word/document.xml").decode()
    assert len(media) == 2
    assert 'descr="Bruto risico (zonder maatregelen). ' in xml and 'descr="Netto risico (restrisico). ' in xml
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "Risicobeeld" in headings and "Risico's boven de acceptatiegrens" in headings
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert set(titles(register, exceeds_acceptance=True)) <= cells


def test_heat_map_picture_is_a_sensible_size(register):
    from PIL import Image

    from weerbaar.documents import charts

    with scopes_disabled():
        hm = report.register_report(organisation=register).heatmaps[0]
    image = Image.open(io.BytesIO(charts.render_png(hm)))
    assert image.format == "PNG" and 500 <= image.width <= 1200 and 500 <= image.height <= 1200


@pytest.mark.parametrize("path", ["risicobeeld.pdf", "risicobeeld.docx"])
def test_report_is_for_every_member_with_view_and_hidden_from_another_municipality(
    register, voorbeeldrecht, login, client, path
):
    assert client.get(BASE + path).status_code == 302  # to the login page
    assert login(member(register, "lezer").user).get(BASE + path).status_code == 200
    assert login(member(voorbeeldrecht, "coordinator").user).get(BASE + path).status_code == 404


def test_integral_view_links_to_the_report(register, coordinator_client):
    body = coordinator_client.get(BASE).content.decode()
    assert f'href="{BASE}risicobeeld.pdf"' in body and f'href="{BASE}risicobeeld.docx"' in body


def test_report_query_count_does_not_grow_with_the_register(
    register, coordinator_client, django_assert_max_num_queries
):
    from weerbaar.risks.testdata import generate

    with scopes_disabled():
        generate(organisation=register, assets=60, risks=300, measures=200)
    for path in ("risicobeeld.pdf", "risicobeeld.docx"):
        with django_assert_max_num_queries(14):
            response = coordinator_client.get(BASE + path)
        assert response.status_code == 200, path

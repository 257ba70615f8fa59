"""The report as Word and PDF: every chapter, foreword and conclusions, house style."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from docx.shared import RGBColor

from weerbaar.core.audit import acting_as
from weerbaar.core.registry import annual_report_sections
from weerbaar.framework.demo import load_framework_demo
from weerbaar.knowledge.content import load_catalogue, load_laws

from ..risks.factories import MeasureFactory, RiskFactory
from .conftest import CONCLUSIONS, FOREWORD, build, docx_document, docx_text, last_year, pdf_text


def _download(client, org, report, kind):
    response = client.get(reverse(f"yearreport:{kind}", kwargs={"org": org.slug, "pk": report.pk}))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _chapter_titles(org, year):
    with scope(organisation=org.pk):
        return [section(org, year).title for section in annual_report_sections if section(org, year) is not None]


def test_word_holds_every_chapter_the_foreword_and_the_conclusions(demostad, coordinator_client, extra_chapter):
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_catalogue()
        load_framework_demo(demostad)
        RiskFactory(organisation=demostad, title="Agressie aan de balie", inherent_likelihood=4, inherent_impact=4)
        MeasureFactory(organisation=demostad, title="Camerabewaking hal")
    report = build(demostad, year=last_year() + 1)
    text = docx_text(_download(coordinator_client, demostad, report, "word"))
    assert "Jaarverslag integrale beveiliging" in text and "Demostad" in text
    assert "Voorwoord" in text and FOREWORD in text
    assert "Conclusies en aanbevelingen" in text and CONCLUSIONS in text
    titles = _chapter_titles(demostad, report.year)
    assert {"Strategisch kader", "Risicobeeld", "Geaccepteerde risico's", "Maatregelen: voortgang en budget"} <= set(
        titles
    )
    for number, title in enumerate(titles, start=1):
        assert f"{number}. {title}" in text
    # The other app's chapter is rendered generically: heading, paragraph, bullets, table and the chart's table.
    assert "Opleiden en oefenen" in text
    assert "Baliemedewerkers: 40" in text and "Deelname per groep" in text
    assert "Deelname aan oefeningen" in text  # chart caption with its table
    assert "Versie 1 van het strategisch kader" in text or "versie 1 van het strategisch kader" in text
    assert "CONCEPT" in text


def test_word_is_in_the_municipalitys_house_style(demostad, coordinator_client):
    with scopes_disabled():
        demostad.primary_colour = "#8a0a4b"
        demostad.save()
    report = build(demostad)
    doc = docx_document(_download(coordinator_client, demostad, report, "word"))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x8A, 0x0A, 0x4B)
    header = " ".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "Demostad" in header and "Jaarverslag integrale beveiliging" in header
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    # Pictures carry alternative text (the heat maps).
    assert 'descr="Begin van het jaar' in doc.element.xml


def test_too_light_house_colour_falls_back_to_a_readable_one(demostad, coordinator_client):
    with scopes_disabled():
        demostad.primary_colour = "#ffff99"
        demostad.save()
    report = build(demostad)
    doc = docx_document(_download(coordinator_client, demostad, report, "word"))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x15, 0x42, 0x73)


def test_pdf_holds_every_chapter_the_foreword_and_page_numbers(demostad, coordinator_client, extra_chapter):
    report = build(demostad)
    text = pdf_text(_download(coordinator_client, demostad, report, "pdf"))
    assert FOREWORD in text and CONCLUSIONS in text
    for title in _chapter_titles(demostad, report.year):
        assert title in text
    assert "Baliemedewerkers: 40" in text
    assert "Pagina 2 van" in text
    assert "Demostad" in text


def test_detail_page_shows_the_chapters_and_a_table_beside_each_chart(demostad, coordinator_client, extra_chapter):
    report = build(demostad)
    response = coordinator_client.get(reverse("yearreport:detail", kwargs={"org": demostad.slug, "pk": report.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Risicobeeld" in html and "Opleiden en oefenen" in html
    assert html.count("<svg") == html.count("Tabel bij de grafiek") >= 3
    assert FOREWORD in html

"""The adopted framework in the municipality's house style: a style template dresses the complete
standard document; a placeholder template that leaves out chapters is warned about."""

import io

import pypdf
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from docx import Document

from weerbaar.documents.word import docx_text
from weerbaar.framework import documents, services
from weerbaar.framework.demo import demo_word_template
from weerbaar.framework.demo_documents import (
    DEMO_COLOUR,
    DEMO_FONT,
    DEMO_HEADER_TEXT,
    demo_style_template,
    load_house_style_demo,
)
from weerbaar.framework.models import WordTemplate

CHAPTERS = ["1. Visie", "2. Scope", "3. Beveiligingsdoelen", "4. Uitgangspunten", "5. Kwaliteitssysteem"]
ANNEX = "Bijlage: wettelijk kader"


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_demostads_adopted_framework_exports_completely_in_its_house_style(adopted, coordinator, demostad):
    load_house_style_demo(demostad, coordinator)
    template = WordTemplate.objects.get()
    assert template.kind == WordTemplate.Kind.STYLE and template.name.endswith(".dotx")
    content = documents.render_word(adopted)
    doc = Document(io.BytesIO(content))
    assert set(CHAPTERS + [ANNEX]) <= set(headings(doc))
    assert doc.styles["Heading 1"].font.name == DEMO_FONT
    assert DEMO_HEADER_TEXT in " ".join(p.text for p in doc.sections[0].header.paragraphs)
    text = docx_text(content)
    for goal in adopted.goals.all():
        assert goal.name in text
    for principle in adopted.principles.all():
        assert principle.text in text
    assert "CONCEPT" not in text
    assert len(content) > 20_000 and len(text) > 5_000  # not the 842 characters of the old demo
    assert len(doc.tables) >= 4


def test_the_demo_replaces_its_old_placeholder_template(adopted, coordinator, demostad):
    services.word_template_upload(
        organisation=demostad, membership=coordinator, name="huisstijl-demostad.docx", content=demo_word_template()
    )
    assert documents.missing_chapters(WordTemplate.objects.get())
    load_house_style_demo(demostad, coordinator)
    template = WordTemplate.objects.get()
    assert template.kind == WordTemplate.Kind.STYLE and not documents.missing_chapters(template)
    with scopes_disabled():
        demostad.refresh_from_db()
    assert demostad.has_logo and demostad.primary_colour == DEMO_COLOUR
    load_house_style_demo(demostad, coordinator)  # idempotent
    assert WordTemplate.objects.count() == 1


def test_a_placeholder_template_that_leaves_out_chapters_is_warned_about(coordinator_client, catalogue, adopted):
    upload = SimpleUploadedFile("kort.docx", demo_word_template())
    response = coordinator_client.post("/g/demostad/kader/sjabloon/", {"kind": "placeholders", "file": upload})
    assert response.status_code == 302
    warning = " ".join(str(m) for m in get_messages(response.wsgi_request))
    for chapter in ["Scope", "Uitgangspunten", "Kwaliteitssysteem", "Bijlage: wettelijk kader"]:
        assert chapter in warning
    assert "Visie" not in warning and "Beveiligingsdoelen" not in warning
    for url in ["/g/demostad/kader/sjabloon/", "/g/demostad/kader/"]:
        html = coordinator_client.get(url).content.decode()
        assert "laat deze hoofdstukken van het kader weg" in html and "Kwaliteitssysteem" in html


def test_a_style_template_uploaded_through_the_page_is_used_for_the_complete_export(coordinator_client, adopted):
    upload = SimpleUploadedFile("huisstijl.dotx", demo_style_template())
    response = coordinator_client.post("/g/demostad/kader/sjabloon/", {"kind": "style", "file": upload})
    assert response.status_code == 302
    assert "laat deze hoofdstukken" not in coordinator_client.get("/g/demostad/kader/").content.decode()
    doc = Document(io.BytesIO(documents.render_word(adopted)))
    assert set(CHAPTERS + [ANNEX]) <= set(headings(doc))
    assert DEMO_HEADER_TEXT in " ".join(p.text for p in doc.sections[0].header.paragraphs)


def test_a_style_template_with_placeholders_gets_a_hint_about_the_kind(coordinator_client, catalogue, adopted):
    upload = SimpleUploadedFile("kort.docx", demo_word_template())
    response = coordinator_client.post("/g/demostad/kader/sjabloon/", {"kind": "style", "file": upload})
    assert response.status_code == 302
    notes = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "de plaatshouders worden niet ingevuld" in notes
    doc = Document(io.BytesIO(documents.render_word(adopted)))
    assert set(CHAPTERS + [ANNEX]) <= set(headings(doc))  # still the complete document


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("huisstijl.dot", b"whatever", ".dotx"),
        ("huisstijl.dotx", b"PK\x03\x04 kapot", "geen geldig Word"),
    ],
)
def test_broken_style_templates_are_refused(coordinator, demostad, catalogue, name, content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.word_template_upload(
            organisation=demostad, membership=coordinator, name=name, content=content, kind="style"
        )
    assert message in caught.value.messages[0]


def test_the_framework_pdf_carries_the_logo_and_house_colour(adopted, coordinator, demostad, monkeypatch):
    load_house_style_demo(demostad, coordinator)
    pdf = documents.render_pdf(adopted)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages[0].images) >= 1  # the logo on the first page
    from weerbaar.documents import pdf as pdf_module

    seen = {}
    real = pdf_module.html_to_pdf
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html: seen.setdefault("html", html) and real(html))
    documents.render_pdf(adopted)
    assert 'class="weerbaar-print-logo" src="data:image/png;base64,' in seen["html"]
    assert f"color: {DEMO_COLOUR}" in seen["html"]

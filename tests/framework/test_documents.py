import io
import shutil
import subprocess

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docxtpl import DocxTemplate  # noqa: F401  (the template engine must be installed)

from weerbaar.documents.word import docx_text
from weerbaar.framework import documents, services
from weerbaar.framework.models import WordTemplate


def normalise(text: str) -> str:
    # Line breaks inside table cells (also after hyphens) are layout, not content.
    return "".join(text.split())


def pdf_text(content: bytes) -> str:
    return normalise(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


def make_docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_word_has_title_page_toc_a_chapter_per_step_tables_and_the_legal_annex(complete_draft):
    content = documents.render_word(complete_draft)
    doc = Document(io.BytesIO(content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for chapter in ["1. Visie", "2. Scope", "3. Beveiligingsdoelen", "4. Uitgangspunten", "5. Kwaliteitssysteem"]:
        assert chapter in headings
    assert "Bijlage: wettelijk kader" in headings
    assert 'TOC \\o "1-2"' in doc.element.xml
    text = docx_text(content)
    assert "CONCEPT" in text
    for goal in complete_draft.goals.all():
        assert goal.name in text
    for principle in complete_draft.principles.all():
        assert principle.text in text
    scope = complete_draft.steps.get(step="scope")
    for law in scope.laws.all():
        assert law.name in text
    assert len(doc.tables) >= 4


def test_pdf_contains_every_chosen_goal_and_principle_and_a_concept_mark(complete_draft):
    text = pdf_text(documents.render_pdf(complete_draft))
    assert "CONCEPT" in text
    for goal in complete_draft.goals.all():
        assert normalise(goal.name) in text
    for principle in complete_draft.principles.all():
        assert normalise(principle.text) in text


def test_adopted_exports_carry_no_concept_mark(adopted):
    assert "CONCEPT" not in pdf_text(documents.render_pdf(adopted))
    assert "CONCEPT" not in docx_text(documents.render_word(adopted))
    assert "B&W 2026/0412" in docx_text(documents.render_word(adopted))


def test_downloads_and_web_page(coordinator_client, complete_draft):
    base = f"/g/demostad/kader/versies/{complete_draft.number}"
    word = coordinator_client.get(f"{base}/word/")
    assert word.status_code == 200 and word["Content-Disposition"].endswith('-concept.docx"')
    pdf = coordinator_client.get(f"{base}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = coordinator_client.get(f"{base}/document/").content.decode()
    assert "CONCEPT" in page and "Bijlage: wettelijk kader" in page


def test_a_valid_template_is_accepted_and_used_for_exports(coordinator, complete_draft, demostad):
    content = make_docx("Huisstijl {{ gemeente }}", "{% for d in doelen %}{{ d.naam }}; {% endfor %}")
    services.word_template_upload(organisation=demostad, membership=coordinator, name="huisstijl.docx", content=content)
    text = docx_text(documents.render_word(complete_draft))
    assert "Huisstijl Demostad" in text and "Beschermen;" in text
    assert "CONCEPT" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kader.doc", b"whatever", "Upload een Word-bestand (.docx)"),
        ("kader.docx", b"not a zip", "geen geldig Word-document"),
        ("kader.docx", make_docx("{{ gemeente "), "Het sjabloon werkt niet"),
        ("kader.docx", make_docx("{% for d in doelen %}"), "Het sjabloon werkt niet"),
        ("kader.docx", make_docx("{{ ''.__class__.__mro__ }}"), "Het sjabloon werkt niet"),
    ],
)
def test_broken_templates_are_refused_with_a_dutch_message(coordinator, demostad, name, content, message):
    with pytest.raises(ValidationError) as caught:
        services.word_template_upload(organisation=demostad, membership=coordinator, name=name, content=content)
    assert message in caught.value.messages[0]
    assert not WordTemplate.objects.exists()


def test_too_large_templates_are_refused(coordinator, demostad):
    with pytest.raises(ValidationError) as caught:
        services.word_template_upload(
            organisation=demostad, membership=coordinator, name="groot.docx", content=b"PK\x03\x04" + b"0" * (6 << 20)
        )
    assert "te groot" in caught.value.messages[0]


def test_template_upload_page_shows_the_error(coordinator_client, catalogue):
    upload = SimpleUploadedFile("kapot.docx", make_docx("{{ gemeente "))
    response = coordinator_client.post("/g/demostad/kader/sjabloon/", {"file": upload})
    assert response.status_code == 400
    assert "Het sjabloon werkt niet" in response.content.decode()
    good = SimpleUploadedFile("goed.docx", make_docx("{{ titel }}"))
    assert coordinator_client.post("/g/demostad/kader/sjabloon/", {"file": good}).status_code == 302
    assert WordTemplate.objects.get().name == "goed.docx"


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed")
def test_word_document_opens_in_libreoffice(complete_draft, tmp_path):
    source = tmp_path / "kader.docx"
    source.write_bytes(documents.render_word(complete_draft))
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run(
        [binary, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    converted = (tmp_path / "kader.pdf").read_bytes()
    assert "Beveiligingsdoelen" in pdf_text(converted)

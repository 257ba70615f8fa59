"""Documents survive text that was stored before control characters were stripped on save."""

import io

import pypdf
from docx import Document

from weerbaar.core.models import Organisation
from weerbaar.documents import word
from weerbaar.documents.word import docx_text
from weerbaar.framework import documents, services
from weerbaar.framework.models import ChosenGoal, ChosenPrinciple, Framework, StepEntry

# No NUL: PostgreSQL text cannot hold it, so only SQLite databases could have it stored.
DIRTY = "Eerste\x0bregel\x0cmet\x01stuurtekens\x1b en \x7f meer"


def _dirty_everything(version):
    # QuerySet.update() bypasses the save hook that strips control characters today.
    StepEntry.objects.filter(version=version).update(text=DIRTY, rationale=DIRTY, drafted_by="Jan\x0bJansen")
    ChosenGoal.objects.filter(version=version).update(name="Doel\x0b1", why=DIRTY)
    ChosenPrinciple.objects.filter(version=version).update(text=DIRTY)
    Framework.objects.filter(pk=version.framework_id).update(title="Kader\x0b2026")
    Organisation.objects.filter(pk=version.organisation_id).update(name="Demo\x08stad")
    version.refresh_from_db()
    version.framework.refresh_from_db()
    version.organisation.refresh_from_db()


def test_word_export_strips_control_characters_from_stored_text(complete_draft):
    _dirty_everything(complete_draft)
    content = documents.render_word(complete_draft)
    text = docx_text(content)
    assert "Eersteregelmetstuurtekens en  meer" in text
    assert "Kader2026" in text and "Doel1" in text


def test_word_template_export_strips_control_characters(complete_draft, coordinator, demostad):
    from .test_documents import make_docx

    services.word_template_upload(
        organisation=demostad,
        membership=coordinator,
        name="huisstijl.docx",
        content=make_docx(
            "{{ gemeente }} {{ titel }}", "{% for d in doelen %}{{ d.naam }}: {{ d.waarom }}{% endfor %}"
        ),
    )
    _dirty_everything(complete_draft)
    result = documents.render_word_result(complete_draft)
    assert not result.fell_back
    text = docx_text(result.content)
    assert "Demostad Kader2026" in text
    assert "Doel1: Eersteregelmetstuurtekens" in text


def test_word_document_builder_strips_control_characters():
    doc = word.WordDocument(title="T\x0bitel", concept_label="CON\x0bCEPT")
    doc.title_page(title="Ti\x0btel", lines=["re\x0bgel"])
    doc.heading("Kop\x0b", 1)
    doc.paragraphs("a\x0bb\n\nc\x0cd")
    doc.labelled("La\x0bbel", "te\x0bkst")
    doc.table(["k\x0bop"], [["ce\x0bl"]])
    text = docx_text(doc.to_bytes())
    for expected in ("Titel", "regel", "Kop", "ab", "cd", "Label: tekst", "kop", "cel", "CONCEPT"):
        assert expected in text
    Document(io.BytesIO(doc.to_bytes()))


def test_pdf_and_web_document_strip_control_characters(complete_draft, coordinator_client):
    _dirty_everything(complete_draft)
    pdf = documents.render_pdf(complete_draft)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "\x0b" not in text and "Eersteregel" in text
    page = coordinator_client.get(f"/g/demostad/kader/versies/{complete_draft.number}/document/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "\x0b" not in body and "\x01" not in body and "Eersteregelmetstuurtekens" in body

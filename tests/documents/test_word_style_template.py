"""A Word style template (.dotx or .docx) dresses a whole document Weerbaar writes; without one,
Weerbaar's plain style carries the municipality's PNG logo in the header."""

import io

import pytest
from django_scopes import scope, scopes_disabled
from docx import Document
from docx.shared import RGBColor

from weerbaar.core import services
from weerbaar.documents import word
from weerbaar.framework.demo_documents import (
    DEMO_FONT,
    DEMO_FOOTER_TEXT,
    DEMO_HEADER_TEXT,
    demo_logo_png,
    demo_style_template,
)

TEMPLATE_TYPE = b"wordprocessingml.template.main+xml"


def _build(style_template=None, **kwargs) -> Document:
    doc = word.WordDocument(title="Proef", style_template=style_template, **kwargs)
    doc.heading("1. Hoofdstuk")
    doc.paragraphs("Tekst")
    doc.table(["Kop"], [["Cel"]])
    return Document(io.BytesIO(doc.to_bytes()))


def test_a_dotx_opens_as_a_document_and_a_docx_is_left_as_is():
    dotx = demo_style_template()
    assert TEMPLATE_TYPE in _content_types(dotx)
    with pytest.raises(ValueError):
        Document(io.BytesIO(dotx))  # python-docx alone refuses a template
    converted = word.as_document(dotx)
    assert TEMPLATE_TYPE not in _content_types(converted)
    Document(io.BytesIO(converted))
    assert word.as_document(converted) == converted


def _content_types(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("[Content_Types].xml")


def test_the_document_takes_styles_page_set_up_header_and_footer_but_not_the_text_of_the_template():
    doc = _build(demo_style_template())
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Voorbeeldtekst" not in text and "1. Hoofdstuk" in text
    assert doc.styles["Heading 1"].font.name == DEMO_FONT
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x0B, 0x55, 0x63)
    assert doc.styles["Normal"].font.name == DEMO_FONT
    section = doc.sections[0]
    assert round(section.left_margin.cm, 1) == 2.5 and round(section.top_margin.cm, 1) == 3.0
    assert DEMO_HEADER_TEXT in " ".join(p.text for p in section.header.paragraphs)
    assert "<w:drawing" in section.header._element.xml  # the logo in the header
    assert DEMO_FOOTER_TEXT in " ".join(p.text for p in section.footer.paragraphs)
    assert doc.tables[0].style.name == "Light Grid Accent 1"  # the template's table style


def test_a_template_without_heading_styles_gets_words_standard_ones():
    bare = Document()
    styles = bare.styles.element
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title", "Table Grid"):
        styles.remove(bare.styles[name].element)
    out = io.BytesIO()
    bare.save(out)
    doc = _build(out.getvalue())
    assert [p.style.name for p in doc.paragraphs if p.text == "1. Hoofdstuk"] == ["Heading 1"]
    assert doc.tables[0].style.name == "Table Grid"


def test_a_broken_style_template_raises_a_dutch_template_error():
    with pytest.raises(word.TemplateError) as caught:
        word.WordDocument(title="x", style_template=b"PK\x03\x04 kapot")
    assert "kan niet worden geopend" in caught.value.message


def test_without_a_style_template_the_png_logo_is_in_the_header(demostad):
    assert "<w:drawing" not in _build(organisation=demostad).sections[0].header._element.xml
    with scopes_disabled():
        services.organisation_logo_set(organisation=demostad, name="logo.png", content=demo_logo_png())
    assert "<w:drawing" in _build(organisation=demostad).sections[0].header._element.xml
    # Other apps' documents name no municipality: the active scope's logo is used.
    with scope(organisation=demostad.pk):
        doc = word.WordDocument(title="Risicobeeld", concept_label="CONCEPT")
        parsed = Document(io.BytesIO(doc.to_bytes()))
    header = parsed.sections[0].header
    assert "<w:drawing" in header._element.xml and "CONCEPT" in " ".join(p.text for p in header.paragraphs)


ATTACHED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
FRAME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/frame"


def _saved(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _all_rels(content: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".rels"))


def test_the_attached_template_on_a_network_share_is_not_passed_on_to_every_export():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    template = Document(io.BytesIO(word.as_document(demo_style_template())))
    settings_part = template.part._settings_part
    rid = settings_part.rels.get_or_add_ext_rel(ATTACHED, "file://fileserver/huisstijl/gemeente.dotx")
    attached = OxmlElement("w:attachedTemplate")
    attached.set(qn("r:id"), rid)
    settings_part.element.append(attached)
    # A linked (not embedded) file in the body is dropped with the body.
    template.part.rels.get_or_add_ext_rel(FRAME, "https://tracker.example/pixel")
    content = _saved(template)
    assert "fileserver" in _all_rels(content)
    out = word.WordDocument(title="x", style_template=content).to_bytes()
    assert "fileserver" not in _all_rels(out) and "tracker.example" not in _all_rels(out)
    assert "attachedTemplate" not in Document(io.BytesIO(out)).settings.element.xml


def test_a_template_whose_header_fetches_from_outside_is_refused():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    template = Document(io.BytesIO(word.as_document(demo_style_template())))
    header = template.sections[0].header
    rid = header.part.rels.get_or_add_ext_rel(FRAME, "https://tracker.example/pixel")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    header.paragraphs[0]._p.append(link)
    with pytest.raises(word.TemplateError) as caught:
        word.WordDocument(title="x", style_template=_saved(template))
    assert "tracker.example" in caught.value.message and "van buiten het bestand" in caught.value.message

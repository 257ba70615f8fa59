"""Word (.docx) rendering shared by every app.

Two ways in: :class:`WordDocument` builds a document in Weerbaar's own plain style
(title page, table of contents, headings, tables, a CONCEPT mark for drafts), and
:func:`render_template` fills a municipality's own docxtpl template. User templates run in
Jinja's sandbox: a template is data from outside and must not reach Python internals.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONCEPT_COLOUR = RGBColor(0xB0, 0x00, 0x20)


class TemplateError(Exception):
    """A user template could not be opened or rendered; ``message`` is for the user (Dutch)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WordDocument:
    def __init__(self, *, title: str, concept_label: str | None = None):
        self.doc = Document()
        self.doc.core_properties.title = title
        styles = self.doc.styles
        styles["Normal"].font.name = "Calibri"
        styles["Normal"].font.size = Pt(11)
        self.concept_label = concept_label
        if concept_label:
            self._mark_header(concept_label)

    def _mark_header(self, label: str) -> None:
        for section in self.doc.sections:
            paragraph = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(label)
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = CONCEPT_COLOUR

    def title_page(self, *, title: str, lines: Iterable[str]) -> None:
        if self.concept_label:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(self.concept_label)
            run.bold = True
            run.font.size = Pt(36)
            run.font.color.rgb = CONCEPT_COLOUR
        self.doc.add_paragraph().add_run().add_break()
        self.doc.add_heading(title, level=0)
        for line in lines:
            if line:
                self.doc.add_paragraph(line)
        self.page_break()

    def table_of_contents(self, heading: str, hint: str) -> None:
        """A Word TOC field; Word fills it when the reader updates fields (F9)."""
        self.doc.add_heading(heading, level=1)
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = 'TOC \\o "1-2" \\h \\z \\u'
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        placeholder = OxmlElement("w:t")
        placeholder.text = hint
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instr, separate, placeholder, end):
            run._r.append(element)
        self._update_fields_on_open()
        self.page_break()

    def _update_fields_on_open(self) -> None:
        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def paragraphs(self, text: str) -> None:
        """Plain text with blank lines between paragraphs; single newlines stay line breaks."""
        for block in (text or "").replace("\r\n", "\n").split("\n\n"):
            block = block.strip()
            if not block:
                continue
            paragraph = self.doc.add_paragraph()
            for i, line in enumerate(block.split("\n")):
                if i:
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                paragraph.add_run(line)

    def labelled(self, label: str, text: str) -> None:
        if not (text or "").strip():
            return
        p = self.doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text.strip())

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        rows = list(rows)
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        # Header row repeats on every page.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = str(text or "")
        self.doc.add_paragraph()

    def page_break(self) -> None:
        self.doc.add_page_break()

    def new_section(self) -> None:
        self.doc.add_section(WD_SECTION.NEW_PAGE)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _sandbox():
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=False)


def looks_like_docx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def render_template(content: bytes, context: dict, *, concept_label: str | None = None) -> bytes:
    """Fill a docxtpl template. Raises :class:`TemplateError` with a Dutch message."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaError

    try:
        template = DocxTemplate(io.BytesIO(content))
        template.render(context, jinja_env=_sandbox())
    except JinjaError as e:
        line = getattr(e, "lineno", None)
        where = f" (regel {line})" if line else ""
        raise TemplateError(f"Het sjabloon bevat een fout in een plaatshouder{where}: {e}.")
    except Exception as e:  # docx/XML errors come in many types; all mean "this file breaks"
        raise TemplateError(f"Het sjabloon kan niet worden gevuld: {e.__class__.__name__}.")
    if concept_label:
        for section in template.docx.sections:
            paragraph = section.header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(concept_label)
            run.bold = True
            run.font.color.rgb = CONCEPT_COLOUR
        first = template.docx.paragraphs[0] if template.docx.paragraphs else template.docx.add_paragraph()
        run = first.insert_paragraph_before().add_run(concept_label)
        run.bold = True
        run.font.color.rgb = CONCEPT_COLOUR
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def docx_text(content: bytes) -> str:
    """All visible text of a .docx (paragraphs, tables, headers), for tests and search."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)

"""The yearly report as a document: one context, rendered to HTML (screen), Word and PDF.

House style: the municipality's ``primary_colour`` colours the headings and the rule under the
running header (a colour too light to read on white falls back to Weerbaar's dark blue); the
header carries the municipality's name and the report's title, the footer the page number.
Charts are PNG pictures with alternative text in Word and inline SVG in the PDF, each with a
table of the same figures under it.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from weerbaar.core.text import clean_line, clean_text
from weerbaar.documents import charts, pdf, word

from .content import prepare_for_display
from .models import YearReport

CONCEPT = "CONCEPT"
DEFAULT_COLOUR = "#154273"


def house_colour(organisation) -> str:
    colour = (organisation.primary_colour or "").strip()
    if not colour or charts.contrast(colour, "#ffffff") < 4.5:
        return DEFAULT_COLOUR
    return colour


def title_of(report: YearReport) -> str:
    return _("Jaarverslag integrale beveiliging %(year)s") % {"year": report.year}


def is_concept(report: YearReport) -> bool:
    return report.is_open


def filename(report: YearReport, extension: str) -> str:
    suffix = "-concept" if is_concept(report) else ""
    return f"jaarverslag-{report.organisation.slug}-{report.year}-v{report.number}{suffix}.{extension}"


def document_context(report: YearReport, chapters: list[dict]) -> dict:
    organisation = report.organisation
    lines = [
        organisation.name,
        _("Versie %(n)s — %(status)s") % {"n": report.number, "status": report.get_status_display()},
    ]
    if report.adopted_on:
        lines.append(
            _("Vastgesteld door %(body)s op %(date)s, kenmerk %(ref)s")
            % {
                "body": report.adopted_by_body,
                "date": date_format(report.adopted_on, "j F Y"),
                "ref": report.decision_reference,
            }
        )
    made = timezone.localtime(report.frozen_at) if report.frozen_at else timezone.localtime()
    lines.append(_("Stand van de registers op %(date)s") % {"date": date_format(made, "j F Y, H:i")})
    return {
        "report": report,
        "organisation": organisation,
        "title": title_of(report),
        "lines": lines,
        "colour": house_colour(organisation),
        "concept": CONCEPT if is_concept(report) else "",
        "foreword": report.foreword,
        "conclusions": report.conclusions,
        "chapters": prepare_for_display(chapters),
    }


# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(report: YearReport, chapters: list[dict]) -> bytes:
    return pdf.render_pdf("yearreport/document_print.html", document_context(report, chapters))


# --- Word --------------------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``paragraph``; Word fills it when it lays out the page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, text, end):
        run._r.append(element)


class HouseStyleDocument(word.WordDocument):
    """The standard Word layout in the municipality's colour, with its name in the header."""

    def __init__(self, *, title: str, organisation_name: str, colour: str, concept_label: str | None = None):
        super().__init__(title=title, concept_label=concept_label)
        rgb = RGBColor.from_string(colour.lstrip("#").upper())
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            style = self.doc.styles[name]
            style.font.color.rgb = rgb
            style.font.name = "Calibri"
        for section in self.doc.sections:
            section.left_margin = section.right_margin = Cm(2.2)
            header = section.header.add_paragraph()
            header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = header.add_run(f"{clean_line(organisation_name)} — {clean_line(title)}")
            run.font.size = Pt(9)
            run.font.color.rgb = rgb
            footer = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            footer.add_run(_("Pagina") + " ").font.size = Pt(9)
            _field(footer, "PAGE")
            footer.add_run(" " + _("van") + " ").font.size = Pt(9)
            _field(footer, "NUMPAGES")

    def caption(self, text: str) -> None:
        text = clean_line(str(text or "")).strip()
        if text:
            self.doc.add_paragraph().add_run(text).italic = True

    def bullets(self, items) -> None:
        for item in items:
            self.doc.add_paragraph(clean_text(str(item)), style="List Bullet")

    def charts_row(self, items: list[dict]) -> None:
        """Charts side by side (two to a row), each as a picture with alternative text, then their tables."""
        for i in range(0, len(items), 2):
            pair = items[i : i + 2]
            if len(pair) == 1:
                charts.add_to_word(self, pair[0]["chart"], width_cm=12)
            else:
                table = self.doc.add_table(rows=2, cols=len(pair))
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, caption, item in zip(table.rows[0].cells, table.rows[1].cells, pair, strict=True):
                    chart = item["chart"]
                    shape = cell.paragraphs[0].add_run().add_picture(io.BytesIO(charts.render_png(chart)), width=Cm(8))
                    doc_pr = shape._inline.docPr
                    doc_pr.set("title", clean_line(chart.title)[:255])
                    doc_pr.set("descr", clean_text(f"{chart.title}. {item.get('alt') or chart.description}"))
                    caption.paragraphs[0].add_run(clean_line(chart.title)).bold = True
            for item in pair:
                t = item["table"]
                self.caption(t["caption"])
                self.table(t["headers"], t["rows"])


def render_word(report: YearReport, chapters: list[dict]) -> bytes:
    c = document_context(report, chapters)
    doc = HouseStyleDocument(
        title=c["title"],
        organisation_name=c["organisation"].name,
        colour=c["colour"],
        concept_label=c["concept"] or None,
    )
    doc.title_page(title=c["title"], lines=c["lines"])
    doc.table_of_contents(_("Inhoud"), _("Werk de inhoudsopgave bij met F9 of via Verwijzingen."))
    number = 0
    if c["foreword"].strip():
        doc.heading(_("Voorwoord"))
        doc.paragraphs(c["foreword"])
    for chapter in c["chapters"]:
        number += 1
        doc.heading(f"{number}. {chapter['title']}")
        for block in chapter["blocks"]:
            kind = block["type"]
            if kind == "paragraph":
                doc.paragraphs(block["text"])
            elif kind == "heading":
                doc.heading(block["text"], 2)
            elif kind == "bullets":
                doc.bullets(block["items"])
            elif kind == "table":
                doc.caption(block.get("caption", ""))
                if block["headers"]:
                    width = len(block["headers"])
                    doc.table(block["headers"], [(list(row) + [""] * width)[:width] for row in block["rows"]])
            elif kind == "charts":
                doc.charts_row(block["items"])
    if c["conclusions"].strip():
        doc.heading(_("Conclusies en aanbevelingen"))
        doc.paragraphs(c["conclusions"])
    return doc.to_bytes()


def document_bytes(report: YearReport, *, word_export: bool) -> bytes:
    """The document as adopted (stored bytes) for a frozen report; rendered now for an open one."""
    from . import selectors

    if report.is_frozen:
        stored = YearReport.objects.filter(pk=report.pk).values_list("word" if word_export else "pdf", flat=True).get()
        if stored:
            return bytes(stored)
    chapters = selectors.chapters_of(report)
    return render_word(report, chapters) if word_export else render_pdf(report, chapters)

"""Demo data: Demostad's adopted framework exported to Word by a background job."""

from __future__ import annotations

from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.documents.models import RenderedDocument
from weerbaar.documents.tasks import request_render
from weerbaar.documents.word import DOCX_CONTENT_TYPE

from . import documents
from .models import FrameworkVersion


def load_document_demo(organisation: Organisation) -> RenderedDocument | None:
    """Idempotent: once Demostad has a rendered document, nothing is added."""
    with scope(organisation=organisation.pk):
        if RenderedDocument.objects.filter(organisation=organisation).exists():
            return None
        version = (
            FrameworkVersion.objects.filter(organisation=organisation)
            .select_related("framework", "organisation")
            .order_by("number")
            .first()
        )
        if version is None:
            return None
        coordinator = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).first()
        return request_render(
            organisation=organisation,
            render=documents.word_job,
            source_id=version.pk,
            title=f"Strategisch kader, versie {version.number} (Word)",
            filename=documents.filename(version, "docx"),
            content_type=DOCX_CONTENT_TYPE,
            user=coordinator.user if coordinator else None,
        )


# --- Demostad's house style: a logo and a Word style template -------------------------------------

DEMO_COLOUR = "#0b5563"  # a dark teal, 7.6:1 on white
DEMO_TEMPLATE_NAME = "huisstijl-demostad.dotx"
DEMO_HEADER_TEXT = "Gemeente Demostad · Integrale beveiliging"
DEMO_FOOTER_TEXT = "Demostad — vertrouwelijkheid: intern"
DEMO_FONT = "Georgia"


def demo_logo_png() -> bytes:
    """Demostad's logo: a teal shield with a white tower, drawn with Pillow (no file in the repository)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(20, 20), (220, 20), (220, 130), (120, 225), (20, 130)], fill=(11, 85, 99, 255))
    draw.rectangle([95, 70, 145, 170], fill=(255, 255, 255, 255))
    for x in (95, 113, 131):
        draw.rectangle([x, 55, x + 12, 70], fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def demo_style_template() -> bytes:
    """A Word style template (.dotx) as a municipality's communication department would make one:
    fonts and heading colours, A4 with wide margins, a header with the logo, a footer, a table style."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    from weerbaar.documents.word import dotx_from_docx

    teal = RGBColor(0x0B, 0x55, 0x63)
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name = DEMO_FONT
    styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 13), ("Heading 3", 11)):
        styles[name].font.name = DEMO_FONT
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = teal
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run().add_picture(io.BytesIO(demo_logo_png()), height=Cm(1.4))
    header.add_run(" " + DEMO_HEADER_TEXT).font.color.rgb = teal
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(DEMO_FOOTER_TEXT).font.size = Pt(8)
    # Text and the sample table are the designer's example; only their styles are used.
    doc.add_paragraph("Voorbeeldtekst in de huisstijl van Demostad.")
    table = doc.add_table(rows=2, cols=2)
    table.style = "Light Grid Accent 1"
    buffer = io.BytesIO()
    doc.save(buffer)
    return dotx_from_docx(buffer.getvalue())


def load_house_style_demo(organisation: Organisation, membership: Membership | None) -> None:
    """Demostad's logo, house colour and style template. Idempotent; an older placeholder template
    of the demo (which left out most chapters) is replaced by the style template."""
    from weerbaar.core import services as core_services

    from . import services
    from .models import WordTemplate

    if not organisation.has_logo:
        core_services.organisation_logo_set(
            organisation=organisation, name="logo-demostad.png", content=demo_logo_png()
        )
    if not organisation.primary_colour:
        core_services.organisation_update(
            organisation=organisation, primary_colour=DEMO_COLOUR, primary_text_colour="#ffffff"
        )
    if membership is None:
        return
    with scope(organisation=organisation.pk):
        template = WordTemplate.objects.filter(organisation=organisation).first()
        old_demo = template is not None and template.name == "huisstijl-demostad.docx"
        if template is None or old_demo:
            services.word_template_upload(
                organisation=organisation,
                membership=membership,
                name=DEMO_TEMPLATE_NAME,
                content=demo_style_template(),
                kind=WordTemplate.Kind.STYLE,
            )

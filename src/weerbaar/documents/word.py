"""Word (.docx) rendering shared by every app.

Two ways in: :class:`WordDocument` builds a document (title page, table of contents, headings,
tables, a CONCEPT mark for drafts), and :func:`render_template` fills a municipality's own
docxtpl template (placeholders).

House style: a :class:`WordDocument` can start FROM a municipality's style template (.dotx or
.docx, see :func:`open_style_template`): its styles (fonts, colours, headings, table style),
page set-up, headers and footers (with the logo in them) dress the complete document. Without a
style template the document has Weerbaar's plain style with the municipality's PNG logo in the
header (from the active scope, see ``documents.house``). User templates run in
Jinja's sandbox: a template is data from outside and must not reach Python internals, and
it must not spend the server's time or memory either (:class:`LimitedEnvironment`).

Every text written into a document passes :func:`weerbaar.core.text.clean_text`: Word (XML 1.0)
refuses control characters, and text stored before they were stripped on save still has them.
"""

from __future__ import annotations

import copy
import io
import time
import zipfile
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from weerbaar.core.text import clean_line, clean_text

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MAIN_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN_TEMPLATE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MAIN_TEMPLATE_MACROS = b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
_ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# Styles the document writes with; a template made in Word often lacks the ones it never used.
_NEEDED_STYLES = ["Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"]
CONCEPT_COLOUR = RGBColor(0xB0, 0x00, 0x20)


class TemplateError(Exception):
    """A user template could not be opened or rendered; ``message`` is for the user (Dutch)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TemplateTooHeavy(TemplateError):
    """A user template broke a limit on time, output size or loop iterations."""


def _t(value) -> str:
    return clean_text(str(value if value is not None else ""))


def as_document(content: bytes) -> bytes:
    """A Word template (.dotx) as a document (.docx): the same parts, the main part's content
    type changed (python-docx and docxtpl open documents only). A .docx comes back unchanged."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read("[Content_Types].xml")
        if _MAIN_TEMPLATE not in types and _MAIN_TEMPLATE_MACROS not in types:
            return content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(_MAIN_TEMPLATE_MACROS, _MAIN_DOCUMENT).replace(_MAIN_TEMPLATE, _MAIN_DOCUMENT)
                target.writestr(info, data)
    return out.getvalue()


def dotx_from_docx(content: bytes) -> bytes:
    """A document saved as a Word template (.dotx): the main part's content type changed."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(_MAIN_DOCUMENT, _MAIN_TEMPLATE)
                target.writestr(info, data)
    return out.getvalue()


def open_style_template(content: bytes):
    """The style template as an empty document: body cleared, page set-up (the last section),
    headers, footers, styles, theme and numbering kept. Raises :class:`TemplateError`."""
    try:
        doc = Document(io.BytesIO(as_document(content)))
    except Exception as e:  # zip, XML and package errors come in many types
        raise TemplateError(_("Het sjabloon kan niet worden geopend: %(error)s.") % {"error": e.__class__.__name__})
    table_style = None
    if doc.tables:
        style = doc.tables[0].style
        table_style = style.name if style is not None else None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _drop_outside_references(doc)
    _add_missing_styles(doc)
    doc._weerbaar_table_style = table_style
    return doc


def _drop_outside_references(doc) -> None:
    """Every exported document would inherit the template's links to outside files, and Word
    fetches some of them on opening (a linked picture, a frame, the attached template on a
    network share: a tracking pixel or a leak of the reader's credentials). The attached
    template and unused links are dropped; a link still in use refuses the template. Hyperlinks
    (a footer's link to the municipality's website) stay: Word follows them only when clicked."""
    for part in doc.part.package.iter_parts():
        element = getattr(part, "_element", None)
        for rid, rel in list(part.rels.items()):
            if not rel.is_external or rel.reltype == _HYPERLINK:
                continue
            if rel.reltype == _ATTACHED_TEMPLATE and element is not None:
                for attached in element.findall(qn("w:attachedTemplate")):
                    element.remove(attached)
            elif element is not None and f'"{rid}"' in element.xml:
                raise TemplateError(
                    _(
                        "Het sjabloon haalt iets op van buiten het bestand (%(target)s). Sla het op zonder "
                        "gekoppelde afbeeldingen of bestanden en upload het opnieuw."
                    )
                    % {"target": clean_line(str(rel.target_ref))[:100]}
                )
            del part.rels[rid]


def _add_missing_styles(doc) -> None:
    """Copy Word's standard definitions of the styles we write with, when the template lacks them."""
    names = {style.name for style in doc.styles}
    missing = [name for name in _NEEDED_STYLES if name not in names]
    if not missing:
        return
    standard = Document()
    for name in missing:
        doc.styles.element.append(copy.deepcopy(standard.styles[name].element))


class WordDocument:
    """A document Weerbaar writes. ``style_template``: the bytes of a municipality's style
    template to start from; ``organisation``: whose logo goes into the header when there is no
    style template (default: the active scope's municipality)."""

    def __init__(
        self, *, title: str, concept_label: str | None = None, style_template: bytes | None = None, organisation=None
    ):
        self.styled = style_template is not None
        if self.styled:
            self.doc = open_style_template(style_template)
            self.table_style = getattr(self.doc, "_weerbaar_table_style", None) or "Table Grid"
        else:
            self.doc = Document()
            self.table_style = "Table Grid"
            styles = self.doc.styles
            styles["Normal"].font.name = "Calibri"
            styles["Normal"].font.size = Pt(11)
            self._logo_header(organisation)
        self.doc.core_properties.title = clean_line(str(title))[:255]
        self.concept_label = concept_label
        if concept_label:
            self._mark_header(concept_label)

    def _logo_header(self, organisation) -> None:
        from .house import logo_png, organisation_of

        png = logo_png(organisation or organisation_of())
        if not png:
            return
        for section in self.doc.sections:
            paragraph = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            try:
                paragraph.add_run().add_picture(io.BytesIO(png), height=Cm(1.5))
            except Exception:  # a PNG Pillow accepted but python-docx cannot size: leave it out
                return

    def _mark_header(self, label: str) -> None:
        for section in self.doc.sections:
            paragraph = section.header.add_paragraph() if self.styled or _has_picture(section.header) else None
            if paragraph is None:
                paragraph = (
                    section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
                )
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(_t(label))
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = CONCEPT_COLOUR

    def title_page(self, *, title: str, lines: Iterable[str]) -> None:
        if self.concept_label:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(_t(self.concept_label))
            run.bold = True
            run.font.size = Pt(36)
            run.font.color.rgb = CONCEPT_COLOUR
        self.doc.add_paragraph().add_run().add_break()
        self.doc.add_heading(_t(title), level=0)
        for line in lines:
            if line:
                self.doc.add_paragraph(_t(line))
        self.page_break()

    def table_of_contents(self, heading: str, hint: str) -> None:
        """A Word TOC field; Word fills it when the reader updates fields (F9)."""
        self.doc.add_heading(_t(heading), level=1)
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
        placeholder.text = _t(hint)
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
        self.doc.add_heading(_t(text), level=level)

    def paragraphs(self, text: str) -> None:
        """Plain text with blank lines between paragraphs; single newlines stay line breaks."""
        for block in _t(text).split("\n\n"):
            block = block.strip()
            if not block:
                continue
            paragraph = self.doc.add_paragraph()
            for i, line in enumerate(block.split("\n")):
                if i:
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                paragraph.add_run(line)

    def labelled(self, label: str, text: str) -> None:
        text = _t(text).strip()
        if not text:
            return
        p = self.doc.add_paragraph()
        p.add_run(f"{_t(label)}: ").bold = True
        p.add_run(text)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        rows = list(rows)
        table = self.doc.add_table(rows=1, cols=len(headers))
        try:
            table.style = self.table_style
        except (KeyError, ValueError):
            table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_t(text)).bold = True
        # Header row repeats on every page.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = _t(text)
        self.doc.add_paragraph()

    def page_break(self) -> None:
        self.doc.add_page_break()

    def new_section(self) -> None:
        self.doc.add_section(WD_SECTION.NEW_PAGE)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


# Limits for rendering a user template. A real template loops over tens of goals, principles
# and laws; these bounds are far above that and far below what would hold up the server.
MAX_RENDER_SECONDS = 5.0
MAX_LOOP_ITERATIONS = 50_000
MAX_RANGE = 10_000
MAX_STRING_CHARS = 200_000
# Text given as an option to a filter or method that multiplies it (replace, indent, join, ...).
MAX_OPTION_CHARS = 100
_GROWING_FILTERS = {"replace", "indent", "join", "wordwrap", "format", "center", "truncate"}
_GROWING_METHODS = {"replace", "join", "center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"}
_SIZE_FILTER = "_weerbaar_sized"
MAX_OUTPUT_CHARS = 20_000_000
_LOOP_FILTER = "_weerbaar_counted_loop"


class LimitedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with limits on wall-clock time, loop iterations and string sizes.

    Templates are checked at upload against sample data only; a template can still branch on
    the real municipality's data, so the limits hold at every render. Every ``for`` loop is
    rewritten to iterate through a counting filter; operators that multiply sizes (``*``,
    ``**``, ``+``) and every call and filter are checked before and after they run; the output
    is counted as it is joined. A limit raises :class:`TemplateTooHeavy`.
    """

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *, max_seconds: float = MAX_RENDER_SECONDS, **kwargs):
        kwargs.setdefault("autoescape", False)
        # Constant folding would run filters at compile time, outside the limits.
        kwargs.setdefault("optimized", False)
        super().__init__(**kwargs)
        self.deadline = time.monotonic() + max_seconds
        self.iterations = 0
        self.output_chars = 0
        self.globals["range"] = self._range
        self.filters = {name: self._guarded(f, name) for name, f in self.filters.items()}
        self.filters[_LOOP_FILTER] = self._counted
        self.filters[_SIZE_FILTER] = self._sized

    # -- the checks -----------------------------------------------------------------------

    def _too_heavy(self, reason: str):
        raise TemplateTooHeavy(_("Het sjabloon is te zwaar: %(reason)s") % {"reason": reason})

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self._too_heavy(_("het vullen duurt langer dan %(n)s seconden.") % {"n": int(MAX_RENDER_SECONDS)})

    def _check_size(self, value) -> None:
        if isinstance(value, (str, bytes, list, tuple)) and _text_size(value) > MAX_STRING_CHARS:
            self._too_heavy(_("een plaatshouder maakt een tekst van meer dan %(n)s tekens.") % {"n": MAX_STRING_CHARS})

    def _sized(self, value):
        self._check_size(value)
        return value

    def _check_options(self, args, kwargs) -> None:
        # A long text as the "new" of replace() or the prefix of indent() multiplies the output.
        for value in (*args, *kwargs.values()):
            if isinstance(value, str) and len(value) > MAX_OPTION_CHARS:
                self._too_heavy(
                    _("een tekst als instelling van een bewerking is langer dan %(n)s tekens.")
                    % {"n": MAX_OPTION_CHARS}
                )

    def _check_arguments(self, args, kwargs) -> None:
        # Widths and counts (center(10**8), "x"*n, ljust, indent) allocate before we see the result.
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_STRING_CHARS:
                self._too_heavy(_("een getal in het sjabloon is te groot (%(n)s).") % {"n": value})

    def _counted(self, iterable):
        for item in iterable:
            self.iterations += 1
            if self.iterations > MAX_LOOP_ITERATIONS:
                self._too_heavy(
                    _("de herhalingen (for-lussen) lopen samen meer dan %(n)s keer.") % {"n": MAX_LOOP_ITERATIONS}
                )
            if self.iterations % 100 == 0:
                self.check_time()
            yield item

    def _range(self, *args):
        rng = range(*args)
        if len(rng) > MAX_RANGE:
            self._too_heavy(_("range() mag hoogstens %(n)s getallen maken.") % {"n": MAX_RANGE})
        return rng

    def _guarded(self, func, name: str):
        env = self

        def guarded(*args, **kwargs):
            env.check_time()
            # The value (and the context a filter may ask for) come first; the rest are options.
            skip = 2 if hasattr(func, "jinja_pass_arg") else 1
            env._check_arguments(args[skip:], kwargs)
            if name in _GROWING_FILTERS:
                env._check_options(args[skip:], kwargs)
            if name == "join" and len(args) >= skip:
                env._check_size(args[skip - 1])  # what join would build, before it builds it
            result = func(*args, **kwargs)
            env._check_size(result)
            return result

        for attr in ("jinja_pass_arg", "__name__", "__doc__"):
            if hasattr(func, attr):
                setattr(guarded, attr, getattr(func, attr))
        return guarded

    # -- the sandbox's hooks -------------------------------------------------------------------

    def call_binop(self, context, operator, left, right):
        self.check_time()
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, bytes, list, tuple)) and isinstance(count, int):
                    if _text_size(sized) * max(count, 0) > MAX_STRING_CHARS:
                        self._check_size(range(MAX_STRING_CHARS + 1))  # refuse before allocating
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
                if abs(left).bit_length() * right > 4096:
                    self._too_heavy(_("een machtsverheffing (**) geeft een te groot getal."))
        elif operator == "%" and isinstance(left, str):
            self._check_arguments(right if isinstance(right, tuple) else (right,), {})
        result = super().call_binop(context, operator, left, right)
        self._check_size(result)
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (mirrors the sandbox)
        __self.check_time()
        if __obj != __self._range:  # range() is lazy and says itself what is too many
            __self._check_arguments(args, kwargs)
        bound_to = getattr(__obj, "__self__", None)
        if isinstance(bound_to, str) and getattr(__obj, "__name__", "") in _GROWING_METHODS:
            __self._check_options(args, kwargs)
            if __obj.__name__ == "join":
                __self._check_options((bound_to,), {})
                if args and isinstance(args[0], (list, tuple)):
                    __self._check_size(args[0])
        result = super().call(__context, __obj, *args, **kwargs)
        __self._check_size(result)
        return result

    def getattr(self, obj, attribute):
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self.check_time()
        return super().getitem(obj, argument)

    def concat(self, parts):
        out = []
        for i, part in enumerate(parts):
            if i % 1000 == 999:
                self.check_time()
            self.output_chars += len(part)
            if self.output_chars > MAX_OUTPUT_CHARS:
                self._too_heavy(_("het resultaat wordt groter dan %(n)s tekens.") % {"n": MAX_OUTPUT_CHARS})
            out.append(part)
        self.check_time()
        return "".join(out)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        # "~" joins without an operator hook; its result is checked like any other value.
        return _SizeConcat().visit(tree)


def _text_size(value) -> int:
    """Characters in a text, or in the texts of a list (what joining it would build)."""
    if isinstance(value, (list, tuple)):
        return max(len(value), sum(len(v) for v in value if isinstance(v, (str, bytes))))
    return len(value)


class _SizeConcat(NodeTransformer):
    def visit_Concat(self, node):  # noqa: N802 (Jinja's visitor naming)
        self.generic_visit(node)
        return nodes.Filter(node, _SIZE_FILTER, [], [], None, None, lineno=node.lineno)


def _sandbox(**kwargs) -> LimitedEnvironment:
    return LimitedEnvironment(**kwargs)


def looks_like_docx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def clean_context(value):
    """The context with control characters removed from every string, however deeply nested."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean_context(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_context(v) for v in value]
    return value


def render_template(
    content: bytes, context: dict, *, concept_label: str | None = None, max_seconds: float = MAX_RENDER_SECONDS
) -> bytes:
    """Fill a docxtpl template within the limits of :class:`LimitedEnvironment`.

    Raises :class:`TemplateError` (or its :class:`TemplateTooHeavy`) with a Dutch message.
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaError

    try:
        template = DocxTemplate(io.BytesIO(as_document(content)))
        # Autoescape: values are written into XML, where "&" and "<" must be escaped.
        template.render(clean_context(context), jinja_env=_sandbox(max_seconds=max_seconds), autoescape=True)
    except TemplateTooHeavy:
        raise
    except JinjaError as e:
        line = getattr(e, "lineno", None)
        if line:
            message = _("Het sjabloon bevat een fout in een plaatshouder (regel %(line)s): %(error)s.")
        else:
            message = _("Het sjabloon bevat een fout in een plaatshouder: %(error)s.")
        raise TemplateError(message % {"line": line, "error": e})
    except RecursionError:
        raise TemplateTooHeavy(_("Het sjabloon is te zwaar: het roept zichzelf te vaak aan."))
    except Exception as e:  # docx/XML errors come in many types; all mean "this file breaks"
        raise TemplateError(_("Het sjabloon kan niet worden gevuld: %(error)s.") % {"error": e.__class__.__name__})
    if concept_label:
        concept_label = _t(concept_label)
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


def template_variables(content: bytes) -> set[str]:
    """The top-level names a docxtpl template uses (``visie``, ``doelen``, ...), body, headers and
    footers; an empty set when the template cannot be read."""
    from docxtpl import DocxTemplate

    try:
        return set(DocxTemplate(io.BytesIO(as_document(content))).get_undeclared_template_variables(_sandbox()))
    except Exception:  # a broken template is reported by render_template, not here
        return set()


def docx_text(content: bytes) -> str:
    """All visible text of a .docx (paragraphs, tables, headers), for tests and search."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def _has_picture(part) -> bool:
    return any(p._p.xpath(".//w:drawing") for p in part.paragraphs)

"""Excel (.xlsx) export and import helpers shared by every app (openpyxl).

Writing: :func:`build_workbook` turns sheets of header + rows into a formatted workbook. Every
text is written as text, never as a formula (a title ``=HYPERLINK(...)`` stays a title), and
text that a spreadsheet would read as the start of a formula when someone edits or converts
the cell (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets Excel's *quotePrefix* style: the
visible text stays the same, Excel treats it as text. Control characters, which Excel refuses,
are removed.

Reading: :func:`open_upload` checks an uploaded file (extension, size, zip signature, unpacked
size and number of entries) and opens it read-only; the column-based importer in
:mod:`weerbaar.documents.importer` reads its sheets.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from weerbaar.core.text import clean_text

from .uploads import UnsafeArchive, check_zip_archive

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A built workbook as a download named ``filename``."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_ZIP_SIGNATURE = b"PK\x03\x04"
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
# OWASP "CSV injection": a cell starting with one of these is a formula to a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[Iterable] = ()
    widths: dict[int, int] = field(default_factory=dict)
    # Column index (0-based) -> allowed values, offered as a drop-down in Excel.
    choices: dict[int, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _cell_value(value):
    if isinstance(value, (list, tuple, set)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str):
        # Excel (XML 1.0) refuses control characters; text already in the database may hold them.
        return clean_text(value)[:MAX_CELL_CHARS]
    return value


def _text_cell(ws, value: str):
    """A cell that stays text: openpyxl would write "=..." as a formula and "#N/A" as an error."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def _row(ws, values: Iterable) -> list:
    """One row for the streaming sheet; text is always text (no formula, no error code), see the
    module docstring. Plain values go as they are (fast); only risky text gets its own cell."""
    row = []
    for value in values:
        value = _cell_value(value)
        if value is None or value == "":
            row.append(None)
        elif isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or value.startswith("#")):
            row.append(_text_cell(ws, value))
        else:
            row.append(value)
    return row


def build_workbook(sheets: list[Sheet]) -> bytes:
    """A workbook with one sheet per :class:`Sheet`: bold frozen header, sensible widths, filters.

    Written in openpyxl's streaming (write-only) mode: rows go to disk as they come, so an export
    of tens of thousands of rows reads its queryset with ``iterator()`` and never holds every
    cell in memory. Widths, frozen header and drop-downs are set before the rows; the filter
    range after them.
    """
    wb = Workbook(write_only=True)
    for spec in sheets:
        ws = wb.create_sheet(title=spec.title[:31])
        for index, header in enumerate(spec.headers):
            width = spec.widths.get(index, max(12, min(40, len(header) + 4)))
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        ws.freeze_panes = "A2"
        header_cells = []
        for header in spec.headers:
            value = _cell_value(header)
            cell = _text_cell(ws, value) if isinstance(value, str) else WriteOnlyCell(ws, value=value)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            header_cells.append(cell)
        ws.append(header_cells)
        count = 0
        for row in spec.rows:
            count += 1
            ws.append(_row(ws, row))
        if spec.headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.headers))}{max(count + 1, 2)}"
        for index, values in spec.choices.items():
            letter = get_column_letter(index + 1)
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
            dv.add(f"{letter}2:{letter}5000")
            ws.data_validations.append(dv)
        if spec.notes:
            notes = wb.create_sheet(title=(spec.title[:24] + " uitleg")[:31])
            notes.column_dimensions["A"].width = 120
            for line in spec.notes:
                notes.append(_row(notes, [line]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def open_upload(upload, *, max_bytes: int = MAX_UPLOAD_BYTES, data_only: bool = True):
    """Check an uploaded .xlsx (name, size, signature, unpacked size) and open it read-only.

    ``data_only=False`` opens it a second time with the formulas instead of their stored values
    (the importer compares both to find formulas that Excel never calculated).
    """
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(".xlsx"):
        raise UploadRejected(_("Alleen Excelbestanden met de extensie .xlsx kunnen worden ingelezen."))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            _("Het bestand is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "max": max_bytes // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != _ZIP_SIGNATURE:
        raise UploadRejected(_("Dit bestand is geen geldig Excelbestand (.xlsx)."))
    try:
        # Before openpyxl inflates anything: a small file can unpack to hundreds of megabytes.
        check_zip_archive(upload)
    except UnsafeArchive as e:
        raise UploadRejected(e.message)
    try:
        return load_workbook(upload, read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise UploadRejected(_("Dit Excelbestand kan niet worden gelezen. Is het beschadigd?"))

"""Column-based import of a register from Excel, shared by every app (after pretix's ``ImportColumn``).

A register declares its sheets as :class:`SheetSpec`\\s: a title and a list of columns. A column
knows its header and how to read its cell:

- :meth:`ImportColumn.resolve` takes the raw cell value from the row,
- :meth:`ImportColumn.clean` validates it and raises ``ValueError`` or ``ValidationError`` with a
  Dutch message (the sheet, row and column are added by the caller),
- :meth:`ImportColumn.assign` puts the clean value into the keyword arguments of the service
  that checks the row (the register's ``*_prepare`` function).

Mixins give the usual kinds of cell: text, choice, integer, date, money (:func:`parse_money`),
lists and references to other rows. :func:`read_sheet` reads a sheet once, with a row limit
that is enforced while streaming (a file is refused before it is read completely), reports
formula cells without a calculated value and error cells instead of reading them as empty,
and counts the empty rows it skipped. :func:`clean_rows` turns the rows into keyword
arguments, collecting every error in :class:`ImportErrors`. Writing is the register's part:
all rows are checked first, then written in one short transaction.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from weerbaar.core.money import MoneyError, parse_money
from weerbaar.core.text import clean_line, clean_text

DEFAULT_MAX_ROWS = 5000
MAX_ERRORS = 500
MAX_TEXT = 32767  # Excel's own limit for one cell
_ECHO = 60  # characters of a wrong value repeated in an error message


def max_rows_per_sheet() -> int:
    """Rows per sheet one import may hold (setting ``IMPORT_MAX_ROWS_PER_SHEET``)."""
    return int(getattr(settings, "IMPORT_MAX_ROWS_PER_SHEET", DEFAULT_MAX_ROWS))


def echo(value) -> str:
    """A wrong value as it may appear in an error message: one line, not too long."""
    text = clean_line(str(value)).strip()
    return text if len(text) <= _ECHO else text[: _ECHO - 1] + "…"


# --- Errors --------------------------------------------------------------------------------


class ImportErrors:
    """Errors by sheet, row and column, in Dutch. After :data:`MAX_ERRORS` only a count is kept."""

    def __init__(self, limit: int = MAX_ERRORS):
        self.limit = limit
        self.items: list[dict] = []
        self.dropped = 0

    def add(self, sheet: str, row, column: str, message) -> None:
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        self.items.append({"sheet": sheet, "row": row, "column": column or "", "message": str(message)})

    def add_validation_error(self, sheet: str, row, error: ValidationError, column_of: Callable[[str], str]) -> None:
        """A service's ``ValidationError``; ``column_of`` names the column of a model field."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add(sheet, row, column_of(name), message)
        else:
            for message in error.messages:
                self.add(sheet, row, "", message)

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def __bool__(self) -> bool:
        return bool(self.items) or bool(self.dropped)

    def as_list(self) -> list[dict]:
        items = list(self.items)
        if self.dropped:
            items.append(
                {
                    "sheet": "",
                    "row": "",
                    "column": "",
                    "message": ngettext(
                        "En nog %(n)s fout. Verbeter eerst de fouten hierboven.",
                        "En nog %(n)s fouten. Verbeter eerst de fouten hierboven.",
                        self.dropped,
                    )
                    % {"n": self.dropped},
                }
            )
        return items


def error_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return getattr(error, "message", None) or (str(error.args[0]) if error.args else _("Ongeldige waarde."))


# --- Reading a sheet -----------------------------------------------------------------------

FORMULA_WITHOUT_VALUE = gettext_lazy(
    "Deze cel bevat een formule zonder berekende waarde; sla het bestand op in Excel of vul de waarde in."
)
ERROR_VALUE = gettext_lazy("Deze cel bevat een foutwaarde (%(v)s); vul een gewone waarde in.")


@dataclass
class Record:
    """One non-empty row: its Excel row number, values by header, and cells that could not be read."""

    number: int
    values: dict
    problems: dict = field(default_factory=dict)


@dataclass
class SheetRead:
    title: str
    headers: list[str]
    records: list[Record] = field(default_factory=list)
    empty: int = 0  # empty rows between and after the filled rows, skipped
    too_many: bool = False

    @property
    def read(self) -> int:
        return len(self.records)


def _cell(value):
    if isinstance(value, str):
        value = clean_text(value).strip()
        return value or None
    return value


_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(wb, title: str) -> bool:
    """Whether the sheet's XML holds a formula at all; the second, formula reading is skipped if not.

    Streams the sheet's part of the (already size-checked) archive; True when that is not possible.
    """
    try:
        archive, path = wb._archive, wb[title]._worksheet_path
        with archive.open(path) as part:
            tail = b""
            while chunk := part.read(1024 * 1024):
                if _FORMULA_ELEMENT.search(tail + chunk):
                    return True
                tail = chunk[-16:]
        return False
    except Exception:  # openpyxl internals moved: read the formulas rather than miss one
        return True


def read_sheet(wb, title: str, *, formulas=None, max_rows: int | None = None) -> SheetRead | None:
    """Read one sheet of a workbook opened read-only with its values (``data_only=True``).

    ``formulas`` is the same file opened with ``data_only=False``: a cell that is empty in
    ``wb`` but a formula there was never calculated (files written by scripts, or saved by
    programs that do not calculate), and is reported rather than read as empty. Reading stops
    at ``max_rows`` filled rows plus one; ``too_many`` is then set and the rest is not read.
    None when the sheet is absent.
    """
    if title not in wb.sheetnames:
        return None
    max_rows = max_rows or max_rows_per_sheet()
    rows = wb[title].iter_rows()
    if formulas is not None and not _has_formulas(wb, title):
        formulas = None
    formula_rows = formulas[title].iter_rows(values_only=True) if formulas is not None else None
    try:
        header_row = next(rows)
        if formula_rows is not None:
            next(formula_rows, None)
    except StopIteration:
        return SheetRead(title, [])
    headers = [clean_line(str(c.value)).strip() if c.value is not None else "" for c in header_row]
    result = SheetRead(title, headers)
    # Styled but empty rows cost time too; a sheet is not read beyond this many rows.
    scan_limit = max_rows * 10 + 1000
    empty_run = 0
    for number, cells in enumerate(rows, start=2):
        formula_values = next(formula_rows, ()) if formula_rows is not None else ()
        if number > scan_limit:
            result.too_many = True
            break
        values, problems = {}, {}
        filled = False
        for index, cell in enumerate(cells):
            header = headers[index] if index < len(headers) else ""
            value = _cell(cell.value)
            if cell.data_type == "e":
                problem = ERROR_VALUE % {"v": echo(cell.value)}
            elif value is None and index < len(formula_values):
                formula = formula_values[index]
                problem = FORMULA_WITHOUT_VALUE if isinstance(formula, str) and formula.startswith("=") else None
            else:
                problem = None
            if value is None and problem is None:
                continue
            filled = True
            if header:
                if problem is not None:
                    problems[header] = str(problem)
                else:
                    values[header] = value
        if not filled:
            empty_run += 1
            continue
        result.empty += empty_run
        empty_run = 0
        if len(result.records) >= max_rows:
            result.too_many = True
            break
        result.records.append(Record(number, values, problems))
    return result


# --- Columns -------------------------------------------------------------------------------


class ImportColumn:
    """One column of a sheet. ``field`` is the keyword argument that :meth:`assign` sets."""

    empty_message = gettext_lazy("Vul een waarde in.")

    def __init__(self, header: str, field: str, *, required: bool = False, default=None, empty_message=None):
        self.header = header
        self.field = field
        self.required = required
        self.default = default
        if empty_message is not None:
            self.empty_message = empty_message

    def resolve(self, record: Record):
        """The raw cell value (None when empty or when the column is absent)."""
        return record.values.get(self.header)

    def clean(self, value, previous: dict):
        """Validate a non-empty value; raise ``ValueError``/``ValidationError`` with a Dutch message."""
        return value

    def assign(self, value, target: dict) -> None:
        target[self.field] = value


class TextColumn(ImportColumn):
    """Text; ``multiline`` keeps line breaks. Longer than ``max_length`` is an error, not cut off."""

    def __init__(self, header, field, *, max_length: int = MAX_TEXT, multiline: bool = False, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(header, field, **kwargs)
        self.max_length = max_length
        self.multiline = multiline

    def clean(self, value, previous):
        if isinstance(value, bool):
            value = _("ja") if value else _("nee")
        elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        elif isinstance(value, (datetime.date, datetime.time)):
            value = value.isoformat()
        text = clean_text(str(value)) if self.multiline else clean_line(str(value))
        text = text.strip()
        if len(text) > self.max_length:
            raise ValueError(
                _("Deze tekst is te lang (%(n)s tekens); het maximum is %(max)s.")
                % {"n": len(text), "max": self.max_length}
            )
        return text


class ChoiceColumn(ImportColumn):
    """One of a model's choices, by label or by stored value, without regard to case."""

    unknown_message = gettext_lazy("Onbekende waarde: %(v)s.")

    def __init__(self, header, field, *, choices, unknown_message=None, **kwargs):
        super().__init__(header, field, **kwargs)
        self.lookup = {}
        for key, label in choices:
            self.lookup[str(key).lower()] = key
            self.lookup[str(label).lower()] = key
        if unknown_message is not None:
            self.unknown_message = unknown_message

    def clean(self, value, previous):
        key = str(value).strip().lower()
        if isinstance(value, float) and value.is_integer():
            key = str(int(value))
        if key not in self.lookup:
            raise ValueError(self.unknown_message % {"v": echo(value)})
        return self.lookup[key]


class IntegerColumn(ImportColumn):
    message = gettext_lazy("Geef een heel getal, bijvoorbeeld 3.")

    def __init__(self, header, field, *, minimum: int = -(2**31), maximum: int = 2**31 - 1, **kwargs):
        super().__init__(header, field, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def clean(self, value, previous):
        if isinstance(value, bool):
            raise ValueError(self.message)
        if isinstance(value, float):
            if not value.is_integer():  # also NaN and infinity
                raise ValueError(self.message)
            value = int(value)
        elif isinstance(value, Decimal):
            if not value.is_finite() or value != value.to_integral_value():
                raise ValueError(self.message)
            value = int(value)
        elif not isinstance(value, int):
            text = str(value).strip()
            if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
                raise ValueError(self.message)
            value = int(text)
        if not self.minimum <= value <= self.maximum:
            raise ValueError(
                _("Kies een waarde van %(min)s tot en met %(max)s.") % {"min": self.minimum, "max": self.maximum}
            )
        return value


class DateColumn(ImportColumn):
    """An Excel date, or text as 2026-03-31 or 31-3-2026."""

    message = gettext_lazy("Geen geldige datum: %(v)s.")
    formats = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")

    def clean(self, value, previous):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            text = value.strip()
            for fmt in self.formats:
                try:
                    return datetime.datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
        raise ValueError(self.message % {"v": echo(value)})


class MoneyColumn(ImportColumn):
    """An amount in euros as Dutch people type it (``1.250`` is 1250), see :mod:`weerbaar.core.money`."""

    message = gettext_lazy("Geen geldig bedrag: %(v)s.")

    def clean(self, value, previous):
        if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            raise ValueError(self.message % {"v": echo(value)})
        try:
            parsed = parse_money(value)
        except MoneyError as e:
            message = self.message % {"v": echo(value)}
            generic = _("Geef een bedrag in euro's, bijvoorbeeld 1.250,00.")
            raise ValueError(message if e.message == generic else f"{message} {e.message}")
        return parsed.amount if parsed is not None else None


def split_list(value) -> list[str]:
    """A cell holding a list separated by commas or semicolons."""
    if value is None:
        return []
    return [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]


class ListColumn(ImportColumn):
    """Several values in one cell, separated by commas or semicolons."""

    def __init__(self, header, field, **kwargs):
        kwargs.setdefault("default", [])
        super().__init__(header, field, **kwargs)

    def clean(self, value, previous):
        return split_list(value)


class ReferenceListColumn(ImportColumn):
    """Names or references of other things, looked up in ``mapping`` (lower-case name → key).

    Names are separated by semicolons, or by commas where a name itself has none (some theme
    and goal names hold a comma). ``mapping`` may grow while the import runs, so rows can
    refer to rows of an earlier sheet in the same file. Every unknown name is reported.
    """

    unknown_message = gettext_lazy("Onbekend: %(v)s.")

    def __init__(
        self, header, field, *, mapping: Mapping, unknown_message=None, commas_in_names: bool = True, **kwargs
    ):
        kwargs.setdefault("default", [])
        super().__init__(header, field, **kwargs)
        self.mapping = mapping
        self.commas_in_names = commas_in_names
        if unknown_message is not None:
            self.unknown_message = unknown_message

    def clean(self, value, previous):
        text = str(value)
        if not self.commas_in_names:
            parts = split_list(text)
        else:
            parts = [p.strip() for p in (text.split(";") if ";" in text else text.split(","))]
        found, missing, pending = [], [], ""
        for part in filter(None, parts):
            candidate = f"{pending}, {part}" if pending else part
            key = self.mapping.get(candidate.lower())
            if key is not None:
                if key not in found:
                    found.append(key)
                pending = ""
            else:
                pending = candidate
        if pending:
            missing.append(pending)
        if missing:
            raise ValidationError([self.unknown_message % {"v": echo(m)} for m in missing])
        return found


# --- Sheets --------------------------------------------------------------------------------


@dataclass
class SheetSpec:
    title: str
    columns: list[ImportColumn]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column_of(self, field_name: str) -> str:
        """The header of the column that sets a model field (for a service's ``ValidationError``)."""
        for column in self.columns:
            if column.field == field_name:
                return column.header
        return ""

    def check_headers(self, read: SheetRead, errors: ImportErrors) -> None:
        present = set(read.headers)
        for column in self.columns:
            if column.required and column.header not in present:
                errors.add(self.title, 1, column.header, _("Deze kolom ontbreekt in de kopregel."))


def too_many_rows(title: str, maximum: int) -> str:
    return _(
        "Het blad %(sheet)s heeft meer dan %(max)s regels. Lees ten hoogste %(max)s regels per blad in; "
        "verdeel de regels over meer bestanden."
    ) % {"sheet": title, "max": maximum}


def clean_record(spec: SheetSpec, record: Record, errors: ImportErrors) -> dict | None:
    """The row's keyword arguments, or None when a cell was wrong (the errors are collected)."""
    target: dict = {}
    ok = True
    for column in spec.columns:
        problem = record.problems.get(column.header)
        if problem is not None:
            errors.add(spec.title, record.number, column.header, problem)
            ok = False
            continue
        raw = column.resolve(record)
        value = None
        if raw is not None:
            try:
                value = column.clean(raw, target)
            except ValidationError as e:
                for message in e.messages:
                    errors.add(spec.title, record.number, column.header, message)
                ok = False
                continue
            except (ValueError, TypeError, ArithmeticError, OverflowError) as e:
                errors.add(spec.title, record.number, column.header, error_message(e))
                ok = False
                continue
        if value is None or value == "" or value == []:
            if column.required:
                errors.add(spec.title, record.number, column.header, column.empty_message)
                ok = False
                continue
            value = column.default() if callable(column.default) else column.default
            if isinstance(value, list):
                value = list(value)
        column.assign(value, target)
    return target if ok else None


def summary(reads: Iterable[SheetRead]) -> str:
    """'Gelezen: blad X 12 regels (2 lege regels overgeslagen); ...' for the success message."""
    parts = []
    for read in reads:
        if read.empty:
            rows = ngettext("%(sheet)s: %(n)s regel gelezen", "%(sheet)s: %(n)s regels gelezen", read.read)
            empty = ngettext("%(empty)s lege regel overgeslagen", "%(empty)s lege regels overgeslagen", read.empty)
            parts.append((rows % {"sheet": read.title, "n": read.read}) + ", " + (empty % {"empty": read.empty}))
        else:
            parts.append(
                ngettext("%(sheet)s: %(n)s regel gelezen", "%(sheet)s: %(n)s regels gelezen", read.read)
                % {"sheet": read.title, "n": read.read}
            )
    return "; ".join(parts) + "." if parts else ""

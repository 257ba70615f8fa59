"""The column-based importer: reading sheets (formulas, limits, empty rows) and cleaning cells."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from weerbaar.documents.importer import (
    FORMULA_WITHOUT_VALUE,
    ChoiceColumn,
    DateColumn,
    ImportErrors,
    IntegerColumn,
    MoneyColumn,
    Record,
    ReferenceListColumn,
    SheetSpec,
    TextColumn,
    clean_record,
    read_sheet,
    summary,
)


def workbook(rows: list[list], title="Blad") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_cached_value(content: bytes, coordinate: str, value: str) -> bytes:
    """Give a formula cell the value Excel would have stored after calculating it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rf'<c r="{coordinate}"><f>(.*?)</f><v\s*/?>(</v>)?'.encode(),
                    rf'<c r="{coordinate}" t="str"><f>\1</f><v>{value}</v>'.encode(),
                    data,
                )
            dst.writestr(info.filename, data)
    return out.getvalue()


def open_both(content: bytes):
    return (
        load_workbook(io.BytesIO(content), read_only=True, data_only=True),
        load_workbook(io.BytesIO(content), read_only=True, data_only=False),
    )


def test_a_formula_without_calculated_value_is_reported_not_read_as_empty():
    content = workbook([["Titel", "Eigenaar"], ['=A1&"x"', "Jan"], ["=1+1", "=2+2"]])
    wb, formulas = open_both(content)
    read = read_sheet(wb, "Blad", formulas=formulas)
    assert [r.number for r in read.records] == [2, 3]  # the all-formula row is not skipped
    assert read.records[0].problems == {"Titel": str(FORMULA_WITHOUT_VALUE)}
    assert read.records[0].values == {"Eigenaar": "Jan"}
    assert set(read.records[1].problems) == {"Titel", "Eigenaar"}


def test_a_formula_with_its_calculated_value_is_read_as_that_value():
    content = with_cached_value(workbook([["Titel"], ['=UPPER("x")']]), "A2", "X")
    wb, formulas = open_both(content)
    read = read_sheet(wb, "Blad", formulas=formulas)
    assert read.records[0].values == {"Titel": "X"} and read.records[0].problems == {}


def test_empty_rows_are_counted_and_text_is_cleaned():
    content = workbook([["Titel"], ["  a\x7fb\x85 "], [None], [None], ["c"]])
    wb, formulas = open_both(content)
    read = read_sheet(wb, "Blad", formulas=formulas)
    assert [(r.number, r.values["Titel"]) for r in read.records] == [(2, "ab"), (5, "c")]
    assert read.empty == 2
    assert "Blad: 2 regels gelezen, 2 lege regels overgeslagen." == summary([read])


def test_reading_stops_after_the_row_limit():
    content = workbook([["Titel"]] + [[f"r{i}"] for i in range(50)])
    wb, formulas = open_both(content)
    read = read_sheet(wb, "Blad", formulas=formulas, max_rows=10)
    assert read.too_many and len(read.records) == 10
    read = read_sheet(wb, "Blad", formulas=formulas, max_rows=50)
    assert not read.too_many and len(read.records) == 50


def clean(column, value):
    spec = SheetSpec("Blad", [column])
    errors = ImportErrors()
    result = clean_record(spec, Record(7, {column.header: value}), errors)
    return result, errors.as_list()


@pytest.mark.parametrize(
    "value, amount",
    [("1.250", Decimal("1250.00")), ("1.250,50", Decimal("1250.50")), (1250.5, Decimal("1250.50")), (None, None)],
)
def test_money_is_read_the_dutch_way(value, amount):
    result, errors = clean(MoneyColumn("Kosten", "cost"), value)
    assert errors == [] and result == {"cost": amount}


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400", "duur", float("nan"), True, datetime.date(2026, 1, 1)])
def test_a_wrong_amount_is_a_row_error(value):
    result, errors = clean(MoneyColumn("Kosten", "cost"), value)
    assert result is None and errors[0]["row"] == 7 and errors[0]["column"] == "Kosten"
    assert errors[0]["message"].startswith("Geen geldig bedrag")


@pytest.mark.parametrize("value", [10**30, -(10**30), 2.5, float("inf"), "veel", True, "9" * 40, datetime.time(1)])
def test_a_wrong_integer_is_a_row_error(value):
    result, errors = clean(IntegerColumn("Kans", "k", minimum=1, maximum=5), value)
    assert result is None and errors[0]["column"] == "Kans"


@pytest.mark.parametrize("value", ["31-02-2026", "morgen", 45000, 1.5, True, datetime.time(12)])
def test_a_wrong_date_is_a_row_error(value):
    result, errors = clean(DateColumn("Deadline", "d"), value)
    assert result is None and errors[0]["message"].startswith("Geen geldige datum")


def test_dates_as_excel_dates_or_text():
    assert clean(DateColumn("D", "d"), datetime.datetime(2026, 3, 1, 0, 0))[0] == {"d": datetime.date(2026, 3, 1)}
    assert clean(DateColumn("D", "d"), "1-3-2026")[0] == {"d": datetime.date(2026, 3, 1)}


def test_very_long_text_is_a_row_error_and_messages_do_not_repeat_it():
    result, errors = clean(TextColumn("Titel", "title", max_length=200), "x" * 100_000)
    assert result is None and "te lang" in errors[0]["message"]
    result, errors = clean(ChoiceColumn("Soort", "kind", choices=[("a", "A")]), "y" * 100_000)
    assert result is None and len(errors[0]["message"]) < 200


def test_required_and_reference_columns():
    spec = SheetSpec(
        "Blad",
        [
            TextColumn("Titel", "title", required=True, empty_message="Vul een titel in."),
            ReferenceListColumn("Thema's", "themes", mapping={"a, b": 1, "c": 2}, unknown_message="Onbekend: %(v)s."),
        ],
    )
    errors = ImportErrors()
    assert clean_record(spec, Record(2, {"Thema's": "a, b; c; d"}), errors) is None
    assert [(e["column"], e["message"]) for e in errors.as_list()] == [
        ("Titel", "Vul een titel in."),
        ("Thema's", "Onbekend: d."),
    ]
    assert clean_record(spec, Record(3, {"Titel": "t", "Thema's": "c, a, b"}), ImportErrors()) == {
        "title": "t",
        "themes": [2, 1],
    }


def test_errors_are_capped_with_a_count():
    errors = ImportErrors(limit=3)
    for i in range(10):
        errors.add("Blad", i, "Titel", "fout")
    assert len(errors) == 10 and len(errors.as_list()) == 4 and "7" in errors.as_list()[-1]["message"]
    errors.add_validation_error("Blad", 1, ValidationError({"title": "x"}), lambda f: "Titel")


def test_the_formula_reading_is_skipped_for_sheets_without_formulas():
    from weerbaar.documents.importer import _has_formulas

    plain, formula = open_both(workbook([["Titel"], ["a"]]))[0], open_both(workbook([["Titel"], ["=1+1"]]))[0]
    assert not _has_formulas(plain, "Blad") and _has_formulas(formula, "Blad")

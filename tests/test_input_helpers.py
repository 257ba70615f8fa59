"""Dutch amounts, pasted text and uploaded archives: the helpers every form, API and import uses."""

import io
import zipfile
from decimal import Decimal

import pytest

from weerbaar.core.money import MoneyError, format_money, parse_money
from weerbaar.core.text import clean_line, clean_text, has_control_characters
from weerbaar.documents.uploads import UnsafeArchive, check_zip_archive


@pytest.mark.parametrize(
    ("typed", "amount", "ambiguous"),
    [
        ("1.250", "1250.00", True),  # a Dutch thousands separator, not €1,25
        ("€ 1.250", "1250.00", True),
        ("€\u00a01.250,-", "1250.00", True),
        ("1.250,50", "1250.50", False),
        ("12.500.000", "12500000.00", False),
        ("1250,5", "1250.50", False),
        ("0,75", "0.75", False),
        ("1250", "1250.00", False),
        ("1.25", "1.25", False),  # a decimal point as spreadsheets and the API write it
        ("1,250.50", "1250.50", False),
        (1250, "1250.00", False),
        (1250.5, "1250.50", False),
    ],
)
def test_amounts_are_read_the_dutch_way(typed, amount, ambiguous):
    parsed = parse_money(typed)
    assert parsed.amount == Decimal(amount)
    assert parsed.ambiguous is ambiguous


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-inf", "1e400", "abc", "1.2.3,4,5", "12,345,67", True])
def test_what_is_no_amount_is_refused_in_dutch(typed):
    with pytest.raises(MoneyError) as error:
        parse_money(typed)
    assert "bedrag" in error.value.message


def test_amounts_beyond_ten_billion_and_fractions_of_cents_are_refused():
    with pytest.raises(MoneyError, match="10 miljard"):
        parse_money("99.999.999.999")
    with pytest.raises(MoneyError, match="twee cijfers"):
        parse_money("12,345")


def test_empty_amounts_are_none_and_amounts_print_dutch():
    assert parse_money("") is None and parse_money(None) is None and parse_money(" € ") is None
    assert format_money(Decimal("1234567.5")) == "1.234.567,50"


def test_control_characters_go_and_line_breaks_stay():
    pasted = "Kop\x0bregel\x00 met\ttab\r\nen\rregels\x7f\x85\ud800"
    assert clean_text(pasted) == "Kopregel met\ttab\nen\nregels"
    assert clean_line("titel\nmet\x0cregel") == "titel metregel"
    assert has_control_characters("a\x0bb") and not has_control_characters("a\r\nb\tc")


def _zip(entries: dict[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def test_archives_that_unpack_too_large_or_hold_too_many_entries_are_refused():
    bomb = _zip({"xl/sharedStrings.xml": b"<si>" + b"A" * (60 * 1024 * 1024) + b"</si>"})
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(UnsafeArchive, match="te groot|ingepakt"):
        check_zip_archive(bomb)
    with pytest.raises(UnsafeArchive, match="te veel onderdelen"):
        check_zip_archive(_zip({f"x/{i}.xml": b"x" for i in range(1001)}))
    with pytest.raises(UnsafeArchive, match="beschadigd"):
        check_zip_archive(io.BytesIO(b"PK\x03\x04 not really a zip"))
    fine = _zip({"word/document.xml": b"<w:document/>" * 100})
    check_zip_archive(fine)
    assert fine.tell() == 0

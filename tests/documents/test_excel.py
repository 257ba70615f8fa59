"""The shared Excel layer: text is written as text, uploads are checked before parsing."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from weerbaar.documents.excel import Sheet, UploadRejected, build_workbook, open_upload

HOSTILE = ["=1+1", '=HYPERLINK("http://evil.example","klik")', "+SUM(A1)", "-2+3", "@cmd", "\tx", "#N/A", "=A1"]


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_text_that_looks_like_a_formula_is_written_as_text_with_quote_prefix():
    content = build_workbook([Sheet("Blad", ["Titel"], [[value] for value in HOSTILE])])
    xml = sheet_xml(content)
    assert not re.search(r"<f[ >]", xml)
    assert 't="e"' not in xml  # "#N/A" is text too, not an error value
    ws = load_workbook(io.BytesIO(content))["Blad"]
    assert [ws.cell(row=i + 2, column=1).value for i in range(len(HOSTILE))] == HOSTILE
    assert all(ws.cell(row=i + 2, column=1).data_type == "s" for i in range(len(HOSTILE)))
    prefixed = [ws.cell(row=i + 2, column=1).quotePrefix for i in range(len(HOSTILE))]
    assert prefixed == [True, True, True, True, True, True, False, True]


def test_control_characters_are_removed_instead_of_breaking_the_workbook():
    content = build_workbook([Sheet("Blad", ["Titel"], [["a\x0bb\x00c\x1f"], [["x\x07", "y"]]])])
    ws = load_workbook(io.BytesIO(content))["Blad"]
    assert ws["A2"].value == "abc" and ws["A3"].value == "x, y"


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["Naam"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_extra_entries(content: bytes, entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in entries:
                data = entries.pop(info.filename)
            dst.writestr(info.filename, data)
        for name, data in entries.items():
            dst.writestr(name, data)
    return out.getvalue()


class Upload(io.BytesIO):
    def __init__(self, content: bytes, name: str = "register.xlsx"):
        super().__init__(content)
        self.name = name
        self.size = len(content)


def test_a_decompression_bomb_is_refused_before_parsing():
    # Two million shared strings: well under a megabyte packed, tens of megabytes unpacked.
    strings = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>x</t></si>" * 2_000_000 + b"</sst>"
    bomb = with_extra_entries(xlsx_bytes(), {"xl/sharedStrings.xml": strings})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(UploadRejected) as e:
        open_upload(Upload(bomb))
    assert "ingepakt" in e.value.message or "te groot" in e.value.message


def test_an_archive_with_too_many_entries_is_refused():
    crowded = with_extra_entries(xlsx_bytes(), {f"xl/media/image{i}.bin": b"x" for i in range(1200)})
    with pytest.raises(UploadRejected) as e:
        open_upload(Upload(crowded))
    assert "te veel onderdelen" in e.value.message


def test_an_ordinary_workbook_still_opens():
    wb = open_upload(Upload(xlsx_bytes()))
    assert wb.sheetnames == ["Sheet"]
    wb.close()

import datetime
import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook, load_workbook

from weerbaar.accounts.services import api_token_create
from weerbaar.core.audit import acting_as
from weerbaar.core.models import AuditEntry
from weerbaar.risks import excel
from weerbaar.risks.excel import ASSET_COLUMNS, MEASURE_COLUMNS, RISK_COLUMNS
from weerbaar.risks.models import Asset, LocalThreat, Measure, MeasureConflict, Risk

from ..conftest import member

BASE = "/g/demostad/risico/"


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name="register.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def row(columns, **values):
    return [values.get(c) for c in columns]


def counts(org):
    with scopes_disabled():
        return (
            Asset.objects.filter(organisation=org).count(),
            Risk.objects.filter(organisation=org).count(),
            Measure.objects.filter(organisation=org).count(),
            AuditEntry.objects.filter(organisation=org).count(),
        )


def test_export_contains_every_register(register, coordinator_client):
    response = coordinator_client.get(BASE + "export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:5] == ["Bedrijfsmiddelen", "Risico's", "Maatregelen", "Dreigingen", "Conflicten"]
    assert wb["Bedrijfsmiddelen"].max_row == 29
    risks = list(wb["Risico's"].iter_rows(values_only=True))
    assert risks[0][:3] == ("Kenmerk", "Titel", "Dreiging")
    first = dict(zip(risks[0], risks[1], strict=False))
    assert first["Kenmerk"] == "R-001" and first["Bruto score"] == 16 and first["Netto score"] == 9
    assert first["Bedrijfsmiddelen"] == "BM-002, BM-017"
    measures = list(wb["Maatregelen"].iter_rows(values_only=True))
    m1 = dict(zip(measures[0], measures[1], strict=False))
    assert m1["Eenmalige kosten"] == 45000 and m1["Thema's"] == "Fysieke en technische beveiliging"
    assert wb["Conflicten"].max_row == 2


def test_template_has_the_import_sheets(register, coordinator_client):
    response = coordinator_client.get(BASE + "import/sjabloon.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Risico's"][1]] == RISK_COLUMNS
    assert [c.value for c in wb["Maatregelen"][1]] == MEASURE_COLUMNS


def test_import_creates_and_updates_assets_risks_and_measures(register, coordinator_client):
    before = counts(register)
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                row(
                    ASSET_COLUMNS,
                    Kenmerk="BM-100",
                    Naam="Sporthal De Wissel",
                    Soort="gebouwen en terreinen",
                    Belang="hoog",
                ),
                row(ASSET_COLUMNS, Kenmerk="BM-001", Naam="Stadhuis", Soort="building", Belang=4),
            ],
            "Risico's": [
                RISK_COLUMNS,
                row(
                    RISK_COLUMNS,
                    Titel="Brandstichting in de sporthal",
                    Dreiging="Brand",
                    Bedrijfsmiddelen="BM-100",
                    **{"Thema's": "Fysieke en technische beveiliging", "Bruto kans": 2, "Bruto impact": 4},
                    Besluit="verminderen",
                    **{"Herbeoordelen op": "31-12-2026"},
                ),
            ],
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(
                    MEASURE_COLUMNS,
                    Titel="Rookmelders sporthal",
                    **{"Thema's": "fysieke-beveiliging", "Risico's": "R-026, R-001"},
                    Doelen="Detecteren",
                    Type="repressief",
                    Soort="technisch",
                    Status="gepland",
                    Deadline="2026-09-01",
                    **{"Eenmalige kosten": "1.250,50", "Jaarlijkse kosten": 100},
                ),
            ],
        }
    )
    response = coordinator_client.post(BASE + "import/", {"file": upload(content)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    after = counts(register)
    assert after[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    with scopes_disabled():
        assert Asset.objects.get(organisation=register, reference="BM-001").name == "Stadhuis"
        risk = Risk.objects.get(organisation=register, reference="R-026")
        assert risk.inherent_score == 8 and [a.reference for a in risk.assets.all()] == ["BM-100"]
        measure = Measure.objects.get(organisation=register, title="Rookmelders sporthal")
        assert str(measure.cost_once) == "1250.50"
        assert sorted(r.reference for r in measure.risks.all()) == ["R-001", "R-026"]


def test_a_bad_row_rejects_the_whole_file_with_errors_by_row_and_column(register, coordinator_client):
    before = counts(register)
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                row(ASSET_COLUMNS, Naam="Goed bedrijfsmiddel"),
                row(ASSET_COLUMNS, Naam="Fout", Soort="raket"),
            ],
            "Risico's": [
                RISK_COLUMNS,
                row(RISK_COLUMNS, Titel="Goed", **{"Thema's": "Integriteit", "Bruto kans": 2, "Bruto impact": 2}),
                row(RISK_COLUMNS, Titel="Te hoog", **{"Thema's": "Integriteit", "Bruto kans": 9, "Bruto impact": 2}),
                row(RISK_COLUMNS, Titel="", **{"Thema's": "Onbekend", "Bruto kans": "veel", "Bruto impact": 2}),
            ],
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(MEASURE_COLUMNS, Titel="Kosten fout", **{"Thema's": "Integriteit", "Eenmalige kosten": "duur"}),
            ],
        }
    )
    response = coordinator_client.post(BASE + "import/", {"file": upload(content)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er is niets opgeslagen." in body
    expected = [
        ("Bedrijfsmiddelen", "3", "Soort", "Onbekende soort: raket."),
        ("Risico&#x27;s", "3", "Bruto kans", "Kies een waarde van 1 tot en met 5."),
        ("Risico&#x27;s", "4", "Titel", "Vul een titel in."),
        ("Risico&#x27;s", "4", "Thema&#x27;s", "Onbekend thema: Onbekend."),
        ("Risico&#x27;s", "4", "Bruto kans", "Geef een heel getal, bijvoorbeeld 3."),
        ("Maatregelen", "2", "Eenmalige kosten", "Geen geldig bedrag: duur."),
    ]
    for sheet, number, column, message in expected:
        cells = (
            f'<td class="utrecht-table__cell">{sheet}</td><td class="utrecht-table__cell">{number}</td>'
            f'<td class="utrecht-table__cell">{column}</td><td class="utrecht-table__cell">{message}</td>'
        )
        assert cells in body, (sheet, number, column, message)
    assert counts(register) == before  # nothing written, not even audit entries


def test_uploads_are_checked_for_type_and_size(register, coordinator_client, settings):
    before = counts(register)
    response = coordinator_client.post(BASE + "import/", {"file": upload(b"a;b;c\n", name="register.csv")})
    assert response.status_code == 400 and "extensie .xlsx" in response.content.decode()
    response = coordinator_client.post(BASE + "import/", {"file": upload(b"not a zip at all", name="x.xlsx")})
    assert response.status_code == 400 and "geen geldig Excelbestand" in response.content.decode()
    big = b"PK\x03\x04" + b"0" * (5 * 1024 * 1024 + 10)
    response = coordinator_client.post(BASE + "import/", {"file": upload(big)})
    assert response.status_code == 400 and "te groot" in response.content.decode()
    response = coordinator_client.post(BASE + "import/", {"file": upload(workbook_bytes({"Blad1": [["a"]]}))})
    assert response.status_code == 400 and "geen blad Bedrijfsmiddelen" in response.content.decode()
    assert counts(register) == before


def test_theme_expert_cannot_import_outside_own_themes(register, login):
    client = login(member(register, "expert").user)
    before = counts(register)
    content = workbook_bytes(
        {
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(MEASURE_COLUMNS, Titel="Eigen thema", **{"Thema's": "Informatiebeveiliging"}),
                row(MEASURE_COLUMNS, Titel="Ander thema", **{"Thema's": "Integriteit"}),
            ]
        }
    )
    response = client.post(BASE + "import/", {"file": upload(content)})
    assert response.status_code == 400
    assert "U mag deze regel niet inlezen" in response.content.decode()
    assert counts(register) == before


def test_export_reimports_unchanged(register, coordinator_client):
    exported = coordinator_client.get(BASE + "export.xlsx").content
    before = counts(register)
    response = coordinator_client.post(BASE + "import/", {"file": upload(exported)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert counts(register)[:3] == before[:3]


# --- Bad input and busy moments --------------------------------------------------------------

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example","klik")',
    "scenario": "+SUM(A1:A9)",
    "owner": "@cmd",
}


def api_headers(org):
    with scopes_disabled():
        _, raw = api_token_create(membership=member(org, "coordinator"), name="excel")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def live_formulas(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name))
        ]


def test_text_that_looks_like_a_formula_is_exported_as_text_on_web_and_api(register, coordinator_client):
    with scopes_disabled():
        Risk.objects.filter(organisation=register, reference="R-001").update(**HOSTILE)
        MeasureConflict.objects.filter(organisation=register).update(description="-2+3")
        LocalThreat.objects.create(organisation=register, name="=1+1")
        Asset.objects.filter(organisation=register, reference="BM-001").update(name="\t=cmd|' /C calc'!A0")
    for response in (
        coordinator_client.get(BASE + "export.xlsx"),
        coordinator_client.get("/api/v1/register/export.xlsx", **api_headers(register)),
    ):
        assert response.status_code == 200
        assert live_formulas(response.content) == []
        wb = load_workbook(io.BytesIO(response.content))
        risks = list(wb["Risico's"].iter_rows(values_only=True))
        first = dict(zip(risks[0], risks[1], strict=False))
        assert (first["Titel"], first["Scenario"], first["Eigenaar"]) == tuple(HOSTILE.values())
        assert wb["Risico's"]["B2"].quotePrefix  # Excel keeps treating the cell as text after an edit
        assert wb["Conflicten"]["C2"].value == "-2+3"
        assert "=1+1" in [row[1] for row in wb["Dreigingen"].iter_rows(values_only=True)]
        assert wb["Bedrijfsmiddelen"]["B2"].value == "\t=cmd|' /C calc'!A0"


def test_imported_formula_text_comes_back_out_as_text(register, coordinator_client):
    wb = Workbook()
    ws = wb.active
    ws.title = "Risico's"
    ws.append(RISK_COLUMNS)
    ws.append(row(RISK_COLUMNS, **{"Thema's": "Integriteit", "Bruto kans": 2, "Bruto impact": 2}))
    ws["B2"].value = "=1+1"
    ws["B2"].data_type = "s"  # text, as Excel stores a cell typed as '=1+1
    out = io.BytesIO()
    wb.save(out)
    response = coordinator_client.post(BASE + "import/", {"file": upload(out.getvalue())})
    assert response.status_code == 302, response.content.decode()[-2000:]
    with scopes_disabled():
        assert Risk.objects.filter(organisation=register, title="=1+1").exists()
    exported = coordinator_client.get(BASE + "export.xlsx").content
    assert live_formulas(exported) == []


def test_export_opens_with_control_characters_already_in_the_database(register, coordinator_client):
    dirty = (
        "Brand\x0bin\x00de hal" if connection.vendor == "sqlite" else "Brand\x0bin\x01de hal"
    )  # PostgreSQL refuses NUL
    with scopes_disabled():
        Risk.objects.filter(organisation=register, reference="R-001").update(title=dirty, scenario="a\x1bb")
        MeasureConflict.objects.filter(organisation=register).update(description="x\x07y")
    for response in (
        coordinator_client.get(BASE + "export.xlsx"),
        coordinator_client.get("/api/v1/register/export.xlsx", **api_headers(register)),
    ):
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        assert wb["Risico's"]["B2"].value == "Brandinde hal"
        assert wb["Risico's"]["D2"].value == "ab"
        assert wb["Conflicten"]["C2"].value == "xy"


def import_direct(org, content: bytes) -> dict:
    membership = member(org, "coordinator")
    with scope(organisation=org.pk), acting_as(membership.user, via="web"):
        return excel.import_register(organisation=org, membership=membership, upload=upload(content))


def test_rows_beyond_the_limit_are_refused_before_anything_is_written(register, coordinator_client, settings):
    settings.IMPORT_MAX_ROWS_PER_SHEET = 5
    before = counts(register)
    rows = [row(ASSET_COLUMNS, Naam=f"Middel {i}") for i in range(6)]
    response = coordinator_client.post(
        BASE + "import/", {"file": upload(workbook_bytes({"Bedrijfsmiddelen": [ASSET_COLUMNS, *rows]}))}
    )
    assert response.status_code == 400
    assert "Het blad Bedrijfsmiddelen heeft meer dan 5 regels." in response.content.decode()
    assert counts(register) == before
    response = coordinator_client.post(
        BASE + "import/", {"file": upload(workbook_bytes({"Bedrijfsmiddelen": [ASSET_COLUMNS, *rows[:5]]}))}
    )
    assert response.status_code == 302


def big_workbook(n: int) -> bytes:
    return workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                row(ASSET_COLUMNS, Kenmerk="BM-001", Naam="Stadhuis (vernieuwd)"),
                *(row(ASSET_COLUMNS, Kenmerk=f"BM-{500 + i}", Naam=f"Middel {i}") for i in range(n)),
            ],
            "Risico's": [
                RISK_COLUMNS,
                *(
                    row(
                        RISK_COLUMNS,
                        Titel=f"Risico {i}",
                        Bedrijfsmiddelen=f"BM-{500 + i}, BM-001",
                        **{"Thema's": "Integriteit", "Bruto kans": 2, "Bruto impact": 3},
                    )
                    for i in range(n)
                ),
            ],
            "Maatregelen": [
                MEASURE_COLUMNS,
                *(
                    row(MEASURE_COLUMNS, Titel=f"Maatregel {i}", **{"Thema's": "Integriteit", "Risico's": "R-001"})
                    for i in range(n)
                ),
            ],
        }
    )


@pytest.mark.parametrize("n", [5, 40])
def test_import_writes_in_bulk_with_an_audit_entry_per_created_and_changed_row(register, n):
    with scopes_disabled():
        audit_before = AuditEntry.objects.filter(organisation=register).count()
        old_name = Asset.objects.get(organisation=register, reference="BM-001").name
    with CaptureQueriesContext(connection) as ctx:
        result = import_direct(register, big_workbook(n))
    assert (result["assets"], result["risks"], result["measures"]) == (n + 1, n, n)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) <= 12, len(inserts)  # the same few statements for 5 rows or 40
    coordinator = member(register, "coordinator").user
    with scopes_disabled():
        entries = AuditEntry.objects.filter(organisation=register)[: 3 * n + 10]
        new = list(AuditEntry.objects.filter(organisation=register).order_by("id")[audit_before:])
        assert len(new) == 3 * n + 1
        assert all(e.actor_id == coordinator.pk and e.via == "web" for e in new)
        assert sum(e.action == AuditEntry.Action.CREATE for e in new) == 3 * n
        update = next(e for e in new if e.action == AuditEntry.Action.UPDATE)
        assert update.object_type == "risks.asset"
        assert (update.before["name"], update.after["name"]) == (old_name, "Stadhuis (vernieuwd)")
        risk = Risk.objects.get(organisation=register, title="Risico 0")
        created = next(e for e in entries if e.object_type == "risks.risk" and e.object_id == str(risk.pk))
        assert created.after["title"] == "Risico 0" and len(created.after["assets"]) == 2
        assert sorted(a.reference for a in risk.assets.all()) == ["BM-001", "BM-500"]
        assert risk.inherent_score == 6 and risk.reference.startswith("R-")
        measure = Measure.objects.get(organisation=register, title="Maatregel 0")
        assert [r.reference for r in measure.risks.all()] == ["R-001"]


def test_reimport_of_the_export_writes_no_audit_entries(register, coordinator_client):
    exported = coordinator_client.get(BASE + "export.xlsx").content
    before = counts(register)
    import_direct(register, exported)
    with scopes_disabled():
        written = [(e.object_repr, e.after) for e in AuditEntry.objects.filter(organisation=register)[:3]]
    assert counts(register) == before, written


def test_formula_cells_without_value_are_reported_and_empty_rows_counted(register, coordinator_client):
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                row(ASSET_COLUMNS, Naam="Goed"),
                row(ASSET_COLUMNS, Naam='=B2&" (kopie)"'),
                row(ASSET_COLUMNS, Kenmerk="=1+1", Naam="=1+1"),
            ]
        }
    )
    before = counts(register)
    response = coordinator_client.post(BASE + "import/", {"file": upload(content)})
    assert response.status_code == 400
    body = response.content.decode()
    message = "Deze cel bevat een formule zonder berekende waarde; sla het bestand op in Excel of vul de waarde in."
    for number, column in (("3", "Naam"), ("4", "Kenmerk"), ("4", "Naam")):
        assert (
            f'<td class="utrecht-table__cell">{number}</td><td class="utrecht-table__cell">{column}</td>'
            f'<td class="utrecht-table__cell">{message}</td>'
        ) in body
    assert counts(register) == before
    content = workbook_bytes({"Bedrijfsmiddelen": [ASSET_COLUMNS, row(ASSET_COLUMNS, Naam="A"), [], [], ["", "B"]]})
    result = import_direct(register, content)
    assert result["assets"] == 2
    assert result["summary"] == "Bedrijfsmiddelen: 2 regels gelezen, 2 lege regels overgeslagen."


def test_amounts_are_read_the_dutch_way_and_nan_is_a_row_error(register, coordinator_client):
    ok = workbook_bytes(
        {
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(MEASURE_COLUMNS, Titel="Hek", **{"Thema's": "Integriteit", "Eenmalige kosten": "1.250"}),
            ]
        }
    )
    assert coordinator_client.post(BASE + "import/", {"file": upload(ok)}).status_code == 302
    with scopes_disabled():
        assert Measure.objects.get(organisation=register, title="Hek").cost_once == Decimal("1250.00")
    bad = workbook_bytes(
        {
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(MEASURE_COLUMNS, Titel="Poort", **{"Thema's": "Integriteit", "Jaarlijkse kosten": "NaN"}),
            ]
        }
    )
    response = coordinator_client.post(BASE + "import/", {"file": upload(bad)})
    assert response.status_code == 400
    assert (
        '<td class="utrecht-table__cell">Jaarlijkse kosten</td><td class="utrecht-table__cell">Geen geldig bedrag: NaN.'
        in (response.content.decode())
    )


def test_hostile_cells_end_as_dutch_row_errors_never_a_500(register, coordinator_client):
    wb = Workbook()
    ws = wb.active
    ws.title = "Risico's"
    ws.append(RISK_COLUMNS)
    hostile = [
        {"Bruto kans": 10**30, "Bruto impact": True},
        {"Bruto kans": float("1e308"), "Bruto impact": -3, "Herbeoordelen op": "31-02-2026"},
        {"Bruto kans": datetime.time(10), "Bruto impact": datetime.date(2026, 1, 1), "Geaccepteerd tot": 45000},
        {"Bruto kans": "3", "Bruto impact": "2", "Besluit": datetime.datetime(2026, 1, 1), "Dreiging": 12.5},
    ]
    for values in hostile:
        ws.append(row(RISK_COLUMNS, Titel="Risico", **{"Thema's": "Integriteit"}, **values))
    ws.append(row(RISK_COLUMNS, **{"Thema's": "Integriteit", "Bruto kans": 1, "Bruto impact": 1}))
    ws.cell(row=ws.max_row, column=2)._value = "x" * 100_000  # past openpyxl's own 32,767 limit
    ws.cell(row=ws.max_row, column=2).data_type = "s"
    ws.append(row(RISK_COLUMNS, Titel="Datum", **{"Thema's": "Integriteit", "Bruto kans": 1, "Bruto impact": 1}))
    out = io.BytesIO()
    wb.save(out)
    # A date cell whose serial number lies beyond any calendar.
    content = out.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="O7" t="n"><v>', b'<c r="O7" s="1" t="n"><v>')
            dst.writestr(info.filename, data)
    before = counts(register)
    response = coordinator_client.post(BASE + "import/", {"file": upload(buffer.getvalue())})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er is niets opgeslagen." in body
    for fragment in (
        "Geef een heel getal, bijvoorbeeld 3.",
        "Kies een waarde van 1 tot en met 5.",
        "Geen geldige datum: 31-02-2026.",
        "Geen geldige datum: 45000.",
        "Onbekend besluit: 2026-01-01 00:00:00.",
        "Onbekende dreiging: 12.5.",
        "Deze tekst is te lang (100000 tekens); het maximum is 200.",
    ):
        assert fragment in body, fragment
    assert counts(register) == before


def test_duplicate_references_in_one_file_are_row_errors(register, coordinator_client):
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                row(ASSET_COLUMNS, Kenmerk="BM-900", Naam="Een"),
                row(ASSET_COLUMNS, Kenmerk="bm-900", Naam="Twee"),
                row(ASSET_COLUMNS, Naam="Zonder kenmerk"),
                row(ASSET_COLUMNS, Kenmerk="BM-029", Naam="Kenmerk dat de teller zou kiezen"),
            ]
        }
    )
    response = coordinator_client.post(BASE + "import/", {"file": upload(content)})
    assert response.status_code == 400
    assert "Het kenmerk bm-900 staat ook op regel 2." in response.content.decode()
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                *[
                    r
                    for i, r in enumerate(
                        [
                            row(ASSET_COLUMNS, Naam="Zonder kenmerk"),
                            row(ASSET_COLUMNS, Kenmerk="BM-029", Naam="Met kenmerk"),
                        ]
                    )
                ],
            ]
        }
    )
    response = coordinator_client.post(BASE + "import/", {"file": upload(content)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    with scopes_disabled():
        assert Asset.objects.get(organisation=register, name="Zonder kenmerk").reference == "BM-030"


def test_a_decompression_bomb_or_crowded_archive_is_refused_with_a_dutch_message(register, coordinator_client):
    base = workbook_bytes({"Bedrijfsmiddelen": [ASSET_COLUMNS]})

    def rebuild(extra: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, extra.pop(info.filename, None) or src.read(info.filename))
            for name, data in extra.items():
                dst.writestr(name, data)
        return out.getvalue()

    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>x</t></si>" * 2_000_000 + b"</sst>"
    bomb = rebuild({"xl/sharedStrings.xml": strings})
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    response = coordinator_client.post(BASE + "import/", {"file": upload(bomb)})
    assert response.status_code == 400 and time.perf_counter() - started < 2
    assert "verdacht sterk ingepakt" in response.content.decode() or "Uitgepakt is dit bestand te groot" in (
        response.content.decode()
    )
    crowded = rebuild({f"xl/media/image{i}.png": b"x" for i in range(1500)})
    response = coordinator_client.post(BASE + "import/", {"file": upload(crowded)})
    assert response.status_code == 400 and "te veel onderdelen" in response.content.decode()


@pytest.mark.skipif(not hasattr(Asset, "revision"), reason="rows have no revision")
def test_a_row_saved_by_someone_else_after_checking_is_not_overwritten(register, monkeypatch):
    prepare, *rest = excel._REGISTERS[Asset]

    def prepare_then_someone_saves(**kwargs):
        prepared = prepare(**kwargs)
        if kwargs.get("asset") is not None:  # another coordinator saves the same row meanwhile
            Asset.objects.filter(pk=kwargs["asset"].pk).update(revision=F("revision") + 1, owner="Iemand anders")
        return prepared

    monkeypatch.setitem(excel._REGISTERS, Asset, (prepare_then_someone_saves, *rest))
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [
                ASSET_COLUMNS,
                row(ASSET_COLUMNS, Naam="Nieuw"),
                row(ASSET_COLUMNS, Kenmerk="BM-001", Naam="Stadhuis (mijn versie)"),
            ]
        }
    )
    before = counts(register)
    with pytest.raises(excel.ImportRejected) as e:
        import_direct(register, content)
    assert "door iemand anders gewijzigd" in e.value.errors[0]["message"]
    assert counts(register) == before
    with scopes_disabled():
        assert Asset.objects.get(organisation=register, reference="BM-001").owner == "Iemand anders"


def test_a_row_with_an_error_is_not_also_reported_as_unknown_where_it_is_referred_to(register):
    content = workbook_bytes(
        {
            "Bedrijfsmiddelen": [ASSET_COLUMNS, row(ASSET_COLUMNS, Kenmerk="BM-700", Naam="Fout", Soort="raket")],
            "Risico's": [
                RISK_COLUMNS,
                row(
                    RISK_COLUMNS,
                    Titel="Verwijst",
                    Bedrijfsmiddelen="BM-700",
                    **{"Thema's": "Integriteit", "Bruto kans": 2, "Bruto impact": 2},
                ),
            ],
        }
    )
    with pytest.raises(excel.ImportRejected) as e:
        import_direct(register, content)
    assert [(x["sheet"], x["row"], x["column"]) for x in e.value.errors] == [("Bedrijfsmiddelen", 2, "Soort")]


def test_the_success_message_counts_the_rows_read_and_the_empty_rows_skipped(register, coordinator_client):
    content = workbook_bytes({"Bedrijfsmiddelen": [ASSET_COLUMNS, row(ASSET_COLUMNS, Naam="A"), [], ["", "B"]]})
    response = coordinator_client.post(BASE + "import/", {"file": upload(content)}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ingelezen: 2 bedrijfsmiddelen" in text
    assert "Bedrijfsmiddelen: 2 regels gelezen, 1 lege regel overgeslagen." in text

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from weerbaar.core.models import AuditEntry
from weerbaar.risks.excel import ASSET_COLUMNS, MEASURE_COLUMNS, RISK_COLUMNS
from weerbaar.risks.models import Asset, Measure, Risk

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

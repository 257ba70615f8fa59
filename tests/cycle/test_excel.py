"""The yearly plan in Excel: a safe export and an all-or-nothing import with errors per row."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from openpyxl import Workbook, load_workbook

from weerbaar.cycle import excel
from weerbaar.cycle.excel import COLUMNS
from weerbaar.cycle.models import Action

from ..conftest import member

BASE = "/g/demostad/jaarplan/"


def workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "Acties"
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("plan.xlsx", out.getvalue(), content_type="application/octet-stream")


def test_export_is_safe_and_reads_back_as_an_import(cycle, login):
    client = login(member(cycle, "lezer").user)
    with scope(organisation=cycle.pk):
        action = Action.objects.first()
        action.title = '=HYPERLINK("http://example.org")'
        action.save()
    response = client.get(BASE + "export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Acties"]
    headers = [c.value for c in ws[1]]
    assert headers[: len(COLUMNS)] == COLUMNS
    titles = [ws.cell(row=r, column=3) for r in range(2, ws.max_row + 1)]
    formula_cell = next(c for c in titles if str(c.value).startswith("=HYPERLINK"))
    assert formula_cell.data_type == "s"  # text, never a formula
    # The export itself imports again without errors (it changes nothing but the revision).
    with scope(organisation=cycle.pk):
        count = Action.objects.count()
        result = excel.import_actions(
            organisation=cycle,
            membership=member(cycle, "coordinator"),
            upload=SimpleUploadedFile("x.xlsx", response.content, content_type="application/octet-stream"),
        )
        assert result["actions"] == count and Action.objects.count() == count


def test_import_is_all_or_nothing_with_errors_per_row(cycle, login):
    client = login(member(cycle, "coordinator").user)
    with scope(organisation=cycle.pk):
        before = Action.objects.count()
    upload = workbook(
        [
            [
                "",
                2027,
                "Goede regel",
                "",
                "expert@demostad.example",
                "2027-05-01",
                "gepland",
                "Informatiebeveiliging",
                "M-007",
                "",
                "",
            ],
            ["", 2027, "", "", "", "", "", "", "", "", ""],
            ["", 2027, "Onbekende eigenaar", "", "niemand@elders.example", "morgen", "", "Geen thema", "M-999", "", ""],
        ]
    )
    response = client.post(BASE + "import/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets opgeslagen" in page
    assert "Vul een titel in." in page and "niemand@elders.example" in page and "M-999" in page
    with scope(organisation=cycle.pk):
        assert Action.objects.count() == before
    good = workbook(
        [
            [
                "",
                2027,
                "Eerste",
                "",
                "expert@demostad.example",
                "2027-05-01",
                "gepland",
                "Informatiebeveiliging",
                "M-007",
                "",
                "",
            ],
            ["", 2027, "Tweede", "", "", "", "in uitvoering", "", "", "", ""],
        ]
    )
    response = client.post(BASE + "import/", {"file": good})
    assert response.status_code == 302
    with scope(organisation=cycle.pk):
        first = Action.objects.get(title="Eerste")
        second = Action.objects.get(title="Tweede")
        assert first.owner.user.email == "expert@demostad.example" and first.year == 2027
        assert [m.reference for m in first.measures.all()] == ["M-007"]
        assert second.status == Action.Status.IN_PROGRESS
        assert first.reference != second.reference and Action.objects.count() == before + 2


def test_theme_expert_import_outside_own_themes_is_refused_by_row(cycle, login):
    client = login(member(cycle, "expert").user)
    upload = workbook([["", 2027, "Buiten thema", "", "", "", "", "fysieke-beveiliging", "", "", ""]])
    response = client.post(BASE + "import/", {"file": upload})
    assert response.status_code == 400
    assert "U mag deze actie niet toevoegen" in response.content.decode()
    assert login(member(cycle, "lezer").user).post(BASE + "import/", {"file": upload}).status_code == 403

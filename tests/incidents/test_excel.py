import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from weerbaar.documents.excel import Sheet, build_workbook
from weerbaar.incidents.excel import SHEET
from weerbaar.incidents.models import Incident

from ..conftest import member

BASE = "/g/demostad/incidenten/"
HEADERS = [
    "Kenmerk",
    "Datum en tijd",
    "Ontdekt op",
    "Korte omschrijving",
    "Soort",
    "Thema's",
    "Ernst",
    "Plaats",
    "Bedrijfsmiddelen",
    "Wat is er gebeurd?",
    "Wat is direct gedaan?",
    "Vertrouwelijk",
]


def _upload(rows) -> SimpleUploadedFile:
    content = build_workbook([Sheet(SHEET, HEADERS, rows)])
    return SimpleUploadedFile("incidenten.xlsx", content)


def _login(client, register, local="coordinator"):
    client.force_login(member(register, local).user, backend="django.contrib.auth.backends.ModelBackend")
    return client


GOOD = [
    "",
    "2026-02-03 10:15",
    "",
    "Bezoeker scheldt medewerker uit",
    "Agressie of intimidatie tegen medewerkers",
    "Personele beveiliging",
    "beperkt",
    "Gemeentehuis, publiekshal",
    "BM-002; Baliemedewerkers burgerzaken",
    "Scheldpartij aan de balie.",
    "Collega erbij gehaald.",
    "nee",
]


def test_import_reads_every_row(client, register):
    second = list(GOOD)
    second[3], second[4], second[5] = "Inbraak werf", "inbraak-diefstal", "fysieke-beveiliging"
    response = _login(client, register).post(BASE + "import/", {"file": _upload([GOOD, second])})
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        incidents = Incident.objects.filter(organisation=register)
        assert incidents.count() == 2
        first = incidents.get(title="Bezoeker scheldt medewerker uit")
        assert {a.reference for a in first.assets.all()} == {"BM-002", "BM-017"}
        assert first.reports.filter(kind="police").exists()


def test_import_is_all_or_nothing_with_errors_per_row(client, register):
    bad = list(GOOD)
    bad[1], bad[4], bad[5] = "morgen", "Onbekende soort", "Geen thema"
    future = list(GOOD)
    future[1] = "2099-01-01 10:00"
    response = _login(client, register).post(BASE + "import/", {"file": _upload([GOOD, bad, future])})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets opgeslagen" in page
    assert "Geen geldige datum en tijd: morgen" in page
    assert "Onbekende soort: Onbekende soort" in page
    assert "Onbekend thema: Geen thema" in page
    assert "in de toekomst" in page
    with scopes_disabled():
        assert not Incident.objects.filter(organisation=register).exists()


def test_viewer_may_not_import(client, register):
    c = _login(client, register, "lezer")
    assert "Inlezen" not in c.get(BASE + "import/").content.decode()
    assert c.post(BASE + "import/", {"file": _upload([GOOD])}).status_code == 403


def test_export_is_safe_and_reads_back_through_the_template(client, register, make_incident):
    make_incident(title='=HYPERLINK("http://x")')
    c = _login(client, register)
    response = c.get(BASE + "export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb[SHEET]
    title = ws.cell(row=2, column=4)
    assert title.value == '=HYPERLINK("http://x")' and title.data_type == "s"
    template = load_workbook(io.BytesIO(c.get(BASE + "import/sjabloon.xlsx").content))
    assert [c.value for c in template[SHEET][1]] == HEADERS

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


def test_a_large_export_is_a_job_that_only_the_requester_downloads(client, register, make_incident, monkeypatch):
    from weerbaar.incidents import excel

    monkeypatch.setattr(excel, "EXPORT_INLINE_MAX", 1)  # as for a register of thousands
    make_incident(title='=HYPERLINK("http://x")')
    make_incident(title="Gewoon incident")
    with scopes_disabled():
        board = member(register, "bestuur")
    make_incident(title="Geheim onderzoek", confidential=True, handlers=[board])
    c = _login(client, register, "lezer")
    response = c.get(BASE + "export.xlsx")
    assert response.status_code == 302 and "/incidenten/export/" in response.url
    status = c.get(response.url)
    page = status.content.decode()
    assert status.status_code == 200 and "Het bestand is klaar." in page
    download = response.url + "downloaden/"
    assert download in page
    got = c.get(download)
    assert got["Content-Disposition"] == 'attachment; filename="weerbaar-incidenten-demostad.xlsx"'
    ws = load_workbook(io.BytesIO(got.content))[SHEET]
    titles = sorted(str(row[3]) for row in ws.iter_rows(min_row=2, values_only=True))
    assert titles == ['=HYPERLINK("http://x")', "Gewoon incident"]  # what the viewer may see, no more
    assert ws.cell(row=2, column=4).data_type == "s"  # text, never a formula
    # A colleague (even the coordinator) cannot open or download another member's export.
    other = _login(client.__class__(), register, "coordinator")
    assert other.get(response.url).status_code == 404
    assert other.get(download).status_code == 404


def test_a_job_of_another_app_is_not_shown_as_an_incident_export(client, register):
    from weerbaar.documents.models import RenderedDocument

    with scopes_disabled():
        user = member(register, "coordinator").user
        job = RenderedDocument.objects.create(
            organisation=register,
            renderer="weerbaar.framework.documents.word_job",
            source_id=1,
            title="Kader",
            filename="kader.docx",
            content_type="application/octet-stream",
            requested_by=user,
            status=RenderedDocument.Status.READY,
            content=b"x",
        )
    c = _login(client, register)
    assert c.get(f"{BASE}export/{job.pk}/").status_code == 404
    assert c.get(f"{BASE}export/{job.pk}/downloaden/").status_code == 404

"""A large incident export is made in the background: the viewer follows it by keyboard on a page
that updates itself, and downloads only the incidents they may see."""

import io

from django_scopes import scopes_disabled
from openpyxl import load_workbook

from weerbaar.documents.models import RenderedDocument
from weerbaar.documents.tasks import render_document
from weerbaar.incidents import excel
from weerbaar.incidents.models import Incident
from weerbaar.incidents.selectors import visible_incidents

from ..conftest import member
from .conftest import check_axe
from .test_incidents import register  # noqa: F401 (fixture: Demostad with its demo incidents)
from .test_journeys import login_by_keyboard


def test_viewer_follows_a_background_export_by_keyboard(live_server, register, page, settings, monkeypatch):  # noqa: F811
    monkeypatch.setattr(excel, "EXPORT_INLINE_MAX", 10)  # the demo's ~150 incidents count as large here
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    login_by_keyboard(page, live_server.url, "lezer@demostad.example")
    page.goto(f"{live_server.url}/g/demostad/incidenten/import/")
    page.get_by_role("link", name="Incidenten en externe meldingen downloaden").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/incidenten/export/*/")
    assert page.get_by_text("Het bestand staat in de wachtrij.").is_visible()
    assert page.get_by_role("heading", level=1, name="Incidentenregister (Excel)").is_visible()
    check_axe(page, "export queued")

    with scopes_disabled():
        job = RenderedDocument.objects.filter(organisation__slug="demostad").latest("pk")
    render_document.call(document_id=job.pk)  # what the worker does

    page.get_by_text("Het bestand is klaar.").wait_for()  # htmx polling, no reload
    check_axe(page, "export ready")
    link = page.get_by_role("link", name="downloaden")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "weerbaar-incidenten-demostad.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)[excel.SHEET]
    references = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    with scopes_disabled():
        reader = member(register, "lezer")
        visible = set(visible_incidents(membership=reader).values_list("reference", flat=True))
        hidden = set(Incident.objects.filter(organisation=register).values_list("reference", flat=True)) - visible
    assert references == visible and hidden and not references & hidden

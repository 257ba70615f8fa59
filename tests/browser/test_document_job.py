"""An export in the municipality's own template is made in the background; the page follows it."""

import io

from django.core.management import call_command
from django_scopes import scopes_disabled

from weerbaar.documents.models import RenderedDocument
from weerbaar.documents.tasks import render_document
from weerbaar.framework.models import FrameworkVersion

from .conftest import check_axe
from .test_journeys import login_by_keyboard


def test_status_page_updates_itself_and_offers_the_download(live_server, demo, page, settings):
    call_command("load_demo", stdout=io.StringIO())  # Demostad's framework and its own Word template
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    with scopes_disabled():
        version = FrameworkVersion.objects.filter(organisation__slug="demostad").order_by("number").first()
    login_by_keyboard(page, live_server.url, "coordinator@demostad.example")
    page.goto(f"{live_server.url}/g/demostad/kader/versies/{version.number}/")
    page.get_by_role("link", name="Download als Word").click()
    page.wait_for_url("**/kader/documenten/*/")
    assert page.get_by_text("Het document staat in de wachtrij.").is_visible()
    assert page.get_by_role("link", name="Pagina vernieuwen").is_visible()
    check_axe(page, "document queued")

    with scopes_disabled():
        job = RenderedDocument.objects.filter(organisation__slug="demostad").latest("pk")
    render_document.call(document_id=job.pk)  # what the worker does

    page.get_by_text("Het document is klaar.").wait_for()  # htmx polling, no reload
    check_axe(page, "document ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="downloaden").click()
    assert download.value.suggested_filename.startswith("strategisch-kader-demostad-v1")
    assert open(download.value.path(), "rb").read(2) == b"PK"

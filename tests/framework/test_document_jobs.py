"""Large exports and exports in an own template are made by a background job with a status page."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.documents.models import RenderedDocument
from weerbaar.documents.tasks import render_document
from weerbaar.documents.word import docx_text
from weerbaar.framework import services
from weerbaar.framework.models import FrameworkVersion

from ..conftest import member
from .test_documents import make_docx
from .test_template_limits import HEAVY_FOR_DEMOSTAD

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def base(version):
    return f"/g/demostad/kader/versies/{version.number}"


def job_url(job, suffix=""):
    return f"/g/demostad/kader/documenten/{job.pk}/{suffix}"


def test_export_in_own_template_goes_through_a_job_and_downloads(coordinator_client, complete_draft, coordinator):
    services.word_template_upload(
        organisation=complete_draft.organisation,
        membership=coordinator,
        name="huisstijl.docx",
        content=make_docx("Huisstijl {{ gemeente }}"),
    )
    response = coordinator_client.get(f"{base(complete_draft)}/word/")
    assert response.status_code == 302
    job = RenderedDocument.objects.get()
    assert response["Location"] == job_url(job)
    assert job.status == RenderedDocument.Status.READY and job.progress == 100  # immediate backend
    page = coordinator_client.get(job_url(job)).content.decode()
    assert "Het document is klaar" in page and job_url(job, "downloaden/") in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    download = coordinator_client.get(job_url(job, "downloaden/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('-concept.docx"')
    assert "Huisstijl Demostad" in docx_text(download.content)


def test_a_template_that_breaks_a_limit_at_export_falls_back_and_says_so(
    coordinator_client, complete_draft, coordinator
):
    services.word_template_upload(
        organisation=complete_draft.organisation,
        membership=coordinator,
        name="zwaar.docx",
        content=make_docx(HEAVY_FOR_DEMOSTAD),
    )
    page = coordinator_client.get(f"{base(complete_draft)}/word/", follow=True).content.decode()
    assert "standaardopmaak" in page and "Het sjabloon is te zwaar" in page
    job = RenderedDocument.objects.get()
    assert "1. Visie" in docx_text(coordinator_client.get(job_url(job, "downloaden/")).content)


def test_large_pdf_goes_through_a_job(coordinator_client, complete_draft, settings):
    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 3
    response = coordinator_client.get(f"{base(complete_draft)}/pdf/")
    assert response.status_code == 302
    job = RenderedDocument.objects.get()
    download = coordinator_client.get(job_url(job, "downloaden/"))
    assert download.content.startswith(b"%PDF")


def test_small_documents_stay_a_direct_download(coordinator_client, complete_draft):
    assert coordinator_client.get(f"{base(complete_draft)}/pdf/")["Content-Type"] == "application/pdf"
    assert not RenderedDocument.objects.exists()


def test_status_page_polls_while_queued_and_works_without_javascript(coordinator_client, complete_draft, settings):
    settings.TASKS = DUMMY_TASKS  # a worker that never comes: the job stays queued
    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 0
    coordinator_client.get(f"{base(complete_draft)}/word/")
    job = RenderedDocument.objects.get()
    assert job.status == RenderedDocument.Status.QUEUED
    page = coordinator_client.get(job_url(job)).content.decode()
    assert "in de wachtrij" in page
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{job_url(job)}"' in page
    assert f'href="{job_url(job)}"' in page  # a plain refresh link
    assert "<script" not in page.split("<main", 1)[1]  # CSP: no inline script
    assert coordinator_client.get(job_url(job, "downloaden/")).status_code == 404  # not ready yet
    partial = coordinator_client.get(job_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="document-job"') and "<html" not in partial

    render_document.call(document_id=job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == RenderedDocument.Status.READY
    partial = coordinator_client.get(job_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert "Het document is klaar" in partial and "hx-trigger" not in partial


def test_a_job_whose_version_is_gone_fails_with_a_dutch_reason(coordinator_client, complete_draft, settings):
    settings.TASKS = DUMMY_TASKS
    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 0
    coordinator_client.get(f"{base(complete_draft)}/word/")
    job = RenderedDocument.objects.get()
    FrameworkVersion.objects.filter(pk=complete_draft.pk).delete()
    render_document.call(document_id=job.pk)
    page = coordinator_client.get(job_url(job)).content.decode()
    assert "Het document kon niet worden gemaakt" in page and "bestaat niet meer" in page


def test_another_municipality_gets_404_for_status_and_download(client, complete_draft, settings, voorbeeldrecht):
    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 0
    with scopes_disabled():
        from weerbaar.documents.tasks import request_render
        from weerbaar.framework import documents

        job = request_render(
            organisation=complete_draft.organisation,
            render=documents.word_job,
            source_id=complete_draft.pk,
            title="x",
            filename="x.docx",
            content_type="application/octet-stream",
        )
    other = member(voorbeeldrecht, "coordinator")
    client.force_login(other.user, backend="django.contrib.auth.backends.ModelBackend")
    for suffix in ("", "downloaden/"):
        assert client.get(f"/g/voorbeeldrecht/kader/documenten/{job.pk}/{suffix}").status_code == 404
        assert client.get(f"/g/demostad/kader/documenten/{job.pk}/{suffix}").status_code in (403, 404)


@pytest.mark.parametrize("path", ["", "downloaden/"])
def test_job_pages_refuse_post(coordinator_client, complete_draft, settings, path):
    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 0
    coordinator_client.get(f"{base(complete_draft)}/word/")
    job = RenderedDocument.objects.get()
    assert coordinator_client.post(job_url(job, path)).status_code == 405


def test_old_results_are_removed_when_a_new_document_is_requested(coordinator_client, complete_draft, settings):
    import datetime

    from django.utils import timezone

    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 0
    coordinator_client.get(f"{base(complete_draft)}/word/")
    old = RenderedDocument.objects.get()
    RenderedDocument.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    coordinator_client.get(f"{base(complete_draft)}/word/")
    assert list(RenderedDocument.objects.values_list("pk", flat=True)) != [old.pk]
    assert not RenderedDocument.objects.filter(pk=old.pk).exists()


@pytest.mark.parametrize("role", ["expert", "bestuur", "auditor", "lezer"])
def test_a_made_document_is_only_for_who_asked_for_it(
    coordinator_client, client, demostad, complete_draft, settings, role
):
    settings.DOCUMENTS_BACKGROUND_FROM_ITEMS = 0
    coordinator_client.get(f"{base(complete_draft)}/word/")
    job = RenderedDocument.objects.get()
    assert coordinator_client.get(job_url(job, "downloaden/")).status_code == 200
    colleague = member(demostad, role)  # may read the framework, but did not ask for this document
    client.force_login(colleague.user, backend="django.contrib.auth.backends.ModelBackend")
    for suffix in ("", "downloaden/"):
        assert client.get(job_url(job, suffix)).status_code == 404

"""The pages of a background document job, for any app: its status (which follows the job by
itself) and its download.

A made document is the requester's own (what it holds may depend on who asked, e.g. an export of
what only they may read): another member's job id is a 404, as is another municipality's (the
scoped manager). An app wires these under its own URLs, behind its own permission, with the
renderers it made and a link back to where the member came from; see ``incidents.views``.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .models import RenderedDocument


def own_job(request, pk: int, *, renderer_prefix: str = "") -> RenderedDocument:
    """The member's own job (without its content); ``renderer_prefix`` limits it to one app's renderers."""
    jobs = RenderedDocument.objects.defer("content").filter(requested_by=request.user)
    if renderer_prefix:
        jobs = jobs.filter(renderer__startswith=renderer_prefix)
    return get_object_or_404(jobs, pk=pk)


def job_status(
    request,
    pk: int,
    *,
    status_url: str,
    download_url: str,
    back_url: str,
    back_label: str,
    renderer_prefix: str = "",
) -> TemplateResponse:
    """The status page; an htmx request (the page polling itself) gets only the status block."""
    job = own_job(request, pk, renderer_prefix=renderer_prefix)
    template = "documents/_document_job.html" if request.htmx else "documents/document_job.html"
    context = {
        "job": job,
        "status_url": status_url,
        "download_url": download_url,
        "back_url": back_url,
        "back_label": back_label,
    }
    return TemplateResponse(request, template, context)


def job_download(request, pk: int, *, renderer_prefix: str = "") -> HttpResponse:
    job = own_job(request, pk, renderer_prefix=renderer_prefix)
    if job.status != RenderedDocument.Status.READY:
        raise Http404
    content = RenderedDocument.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    response = HttpResponse(bytes(content), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response

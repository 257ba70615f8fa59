"""Rendering large documents as a background job (django-tasks).

A view asks :func:`request_render` for a document; it stores a :class:`RenderedDocument` row and
enqueues :func:`render_document`. With the immediate backend (development, tests) the job runs
inside the request; in production (``TASKS_BACKEND=database``) ``manage.py db_worker`` runs it
and the status page polls the row. The row holds everything the worker needs: the renderer is a
dotted path to a function marked with :func:`renderer`, called with the source object's id and
a progress callback, returning the bytes and an optional notice for the user.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_tasks import task

from .models import RenderedDocument

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    notice: str = ""  # for the user, e.g. that the standard layout replaced the own template


class RenderFailed(Exception):
    """The document cannot be made; ``message`` is Dutch and shown on the status page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def renderer(func: Callable) -> Callable:
    """Mark a function as a document renderer that a job may call by its dotted path."""
    func.is_document_renderer = True
    return func


def _dotted(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _resolve(path: str) -> Callable:
    func = import_string(path) if path.startswith("weerbaar.") else None
    if func is None or not getattr(func, "is_document_renderer", False):
        raise ValueError(f"{path!r} is not a document renderer")
    return func


def request_render(
    *,
    organisation,
    render: Callable,
    source_id: int,
    title: str,
    filename: str,
    content_type: str,
    user=None,
) -> RenderedDocument:
    """Store the request and enqueue the job; returns the row (already ready with the immediate backend)."""
    _resolve(_dotted(render))  # fail here, not in the worker
    # Results are for downloading soon after; old ones would only fill the database.
    keep = datetime.timedelta(hours=settings.DOCUMENTS_KEEP_HOURS)
    RenderedDocument.objects.filter(organisation=organisation, created_at__lt=timezone.now() - keep).delete()
    document = RenderedDocument.objects.create(
        organisation=organisation,
        renderer=_dotted(render),
        source_id=source_id,
        title=title,
        filename=filename,
        content_type=content_type,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=user if user is not None and user.is_authenticated else None,
    )
    result = render_document.enqueue(document_id=document.pk)
    RenderedDocument.objects.filter(pk=document.pk, task_id="").update(task_id=str(result.id)[:64])
    document.refresh_from_db()
    return document


def _update(document_id: int, **fields) -> None:
    RenderedDocument.objects.filter(pk=document_id).update(**fields)


@task()
def render_document(*, document_id: int) -> None:
    with scopes_disabled():
        document = RenderedDocument.objects.filter(pk=document_id).first()
    if document is None or document.is_finished:
        return  # deleted meanwhile, or run twice
    with scope(organisation=document.organisation_id), translation.override(document.language):
        _update(document.pk, status=RenderedDocument.Status.RENDERING, started_at=timezone.now(), progress=5)

        def progress(percent: int) -> None:
            _update(document.pk, progress=max(0, min(int(percent), 99)))

        try:
            outcome = _resolve(document.renderer)(document.source_id, progress=progress)
        except RenderFailed as e:
            _update(document.pk, status=RenderedDocument.Status.FAILED, error=e.message, finished_at=timezone.now())
            return
        except Exception:
            logger.exception("Rendering document %s failed", document.pk)
            _update(
                document.pk,
                status=RenderedDocument.Status.FAILED,
                error=_("Er ging iets mis bij het maken van het document. Probeer het later opnieuw."),
                finished_at=timezone.now(),
            )
            return
        _update(
            document.pk,
            status=RenderedDocument.Status.READY,
            content=outcome.content,
            size=len(outcome.content),
            notice=outcome.notice or "",
            progress=100,
            finished_at=timezone.now(),
        )

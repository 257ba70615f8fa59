"""Demo data: Demostad's adopted framework exported to Word by a background job."""

from __future__ import annotations

from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.documents.models import RenderedDocument
from weerbaar.documents.tasks import request_render
from weerbaar.documents.word import DOCX_CONTENT_TYPE

from . import documents
from .models import FrameworkVersion


def load_document_demo(organisation: Organisation) -> RenderedDocument | None:
    """Idempotent: once Demostad has a rendered document, nothing is added."""
    with scope(organisation=organisation.pk):
        if RenderedDocument.objects.filter(organisation=organisation).exists():
            return None
        version = (
            FrameworkVersion.objects.filter(organisation=organisation)
            .select_related("framework", "organisation")
            .order_by("number")
            .first()
        )
        if version is None:
            return None
        coordinator = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).first()
        return request_render(
            organisation=organisation,
            render=documents.word_job,
            source_id=version.pk,
            title=f"Strategisch kader, versie {version.number} (Word)",
            filename=documents.filename(version, "docx"),
            content_type=DOCX_CONTENT_TYPE,
            user=coordinator.user if coordinator else None,
        )

"""Documents rendered in the background: one row per request, with its progress and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import OrganisationOwned


class RenderedDocument(OrganisationOwned):
    """A large export (Word, PDF) made by a background job; downloaded once it is ready."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RENDERING = "rendering", _("wordt gemaakt")
        READY = "ready", _("klaar")
        FAILED = "failed", _("mislukt")

    # Dotted path of a function marked with @documents.jobs.renderer; stored so that the worker
    # needs nothing but this row.
    renderer = models.CharField(max_length=200, editable=False)
    source_id = models.PositiveBigIntegerField(editable=False)
    title = models.CharField(_("titel"), max_length=200)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=120)
    language = models.CharField(max_length=10, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    notice = models.TextField(_("opmerking"), blank=True)
    error = models.TextField(_("reden"), blank=True)
    content = models.BinaryField(null=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Outputs, not changes to the municipality's data; the request itself is the record.
    audit_skip = True

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("gemaakt document")
        verbose_name_plural = _("gemaakte documenten")

    def __str__(self):
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

"""The yearly report to the board (jaarverslag integrale beveiliging), in numbered versions per year.

A :class:`YearReport` is one version of one year's report. The chapters are not stored while it
is a draft: they are built from the registers whenever someone reads or downloads it, so a draft
always shows the current state. On submission the chapters are frozen into ``content`` (JSON:
what the board reads is what it decides on); on adoption the Word and PDF documents are rendered
once more from that frozen content, now with the decision on the title page, and stored as bytes.
From then on nothing in the registers changes the report. A later version for the same year
starts as a new draft (``number`` + 1); adopting it supersedes the earlier adopted one.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import OrganisationOwned

FIRST_YEAR = 2000
LAST_YEAR = 2100
TEXT_MAX_LENGTH = 20_000


class YearReport(OrganisationOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SUBMITTED = "submitted", _("ter besluitvorming")
        ADOPTED = "adopted", _("vastgesteld")
        SUPERSEDED = "superseded", _("vervangen")

    year = models.PositiveSmallIntegerField(
        _("verslagjaar"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    number = models.PositiveIntegerField(_("versie"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    foreword = models.TextField(_("voorwoord"), blank=True)
    conclusions = models.TextField(_("conclusies en aanbevelingen"), blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    adopted_on = models.DateField(_("datum besluit"), null=True, blank=True)
    decision_reference = models.CharField(_("kenmerk besluit"), max_length=100, blank=True)
    adopted_by_body = models.CharField(_("vastgesteld door"), max_length=200, blank=True)
    adoption_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Frozen on submission (chapters) and adoption (documents); empty while a draft.
    content = models.JSONField(null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    word = models.BinaryField(null=True, editable=False)
    pdf = models.BinaryField(null=True, editable=False)

    # The frozen content is large and is recorded by the submit/adopt events instead.
    audit_exclude = {"updated_at", "revision", "content", "word", "pdf"}

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "number"], name="yearreport_one_number_per_year")
        ]
        verbose_name = _("jaarverslag integrale beveiliging")
        verbose_name_plural = _("jaarverslagen integrale beveiliging")

    def __str__(self):
        return _("Jaarverslag %(year)s, versie %(n)s") % {"year": self.year, "n": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)

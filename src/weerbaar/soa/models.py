"""The statement of applicability (verklaring van toepasselijkheid) against the BIO2.

For every BIO2 government measure the municipality records whether it applies and why; a
measure without a record is "nog niet beoordeeld". Which of the municipality's own measures
implement it comes from the register (``risks.Measure.bio2_measures``), never copied here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import OrganisationOwned
from weerbaar.knowledge.models import Bio2Measure

REASON_MAX_LENGTH = 2000


class Applicability(OrganisationOwned):
    class Decision(models.TextChoices):
        APPLICABLE = "applicable", _("van toepassing")
        NOT_APPLICABLE = "not_applicable", _("niet van toepassing")

    bio2 = models.ForeignKey(Bio2Measure, on_delete=models.PROTECT, related_name="+", verbose_name=_("BIO2-maatregel"))
    decision = models.CharField(_("toepasselijkheid"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reden"), blank=True, max_length=REASON_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision", "updated_by"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "bio2"], name="soa_applicability_unique")]
        verbose_name = _("toepasselijkheid")
        verbose_name_plural = _("verklaring van toepasselijkheid")

    def __str__(self):
        return f"{self.bio2.number}: {self.get_decision_display()}"

"""The quality cycle's yearly plan (jaarplan) and its checks: actions, checks, findings, deviations.

An :class:`Action` is one thing the municipality plans to do in a year, with an owner who is
reminded of it. Other parts of the cycle point at actions (an incident's evaluation, a weak
self-scan answer, a finding), so this model is the shared end point of "and what do we do about it".
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks.models import Measure, Risk


class Action(OrganisationOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        IN_PROGRESS = "in_progress", _("in uitvoering")
        DONE = "done", _("afgerond")
        CANCELLED = "cancelled", _("vervallen")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("jaar"), db_index=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    due_date = models.DateField(_("uiterste datum"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    measures = models.ManyToManyField(Measure, blank=True, related_name="actions", verbose_name=_("maatregelen"))
    risks = models.ManyToManyField(Risk, blank=True, related_name="actions", verbose_name=_("risico's"))
    goals = models.ManyToManyField(SecurityGoal, blank=True, related_name="+", verbose_name=_("beveiligingsdoelen"))
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["due_date", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="action_reference_unique", condition=~models.Q(reference="")
            )
        ]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

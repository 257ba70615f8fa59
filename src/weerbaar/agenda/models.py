"""Kalender en herinneringen: the municipality's own planning-and-control moments, each member's
calendar feed and reminder choice, and the log that makes a reminder go out once a day at most.

The calendar itself is not stored: it is assembled from ``core.registry.calendar_sources``
(see ``selectors.entries``).
"""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned


class PlanningMoment(OrganisationOwned):
    """A moment of the municipality's planning-and-control cycle (kadernota, begroting, jaarrekening, ...)."""

    title = models.CharField(_("omschrijving"), max_length=200)
    date = models.DateField(_("datum"), db_index=True)
    description = models.TextField(_("toelichting"), blank=True)
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwoordelijke"),
        help_text=_("Krijgt een herinnering in de twee weken ervoor."),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["date", "title", "id"]
        verbose_name = _("moment in de planning-en-controlcyclus")
        verbose_name_plural = _("momenten in de planning-en-controlcyclus")

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class MemberAgenda(OrganisationOwned):
    """One member's calendar choices: the private feed (only its hash is kept) and reminders."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="agenda")
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    feed_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    feed_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminders = models.BooleanField(
        _("herinneringen per e-mail"),
        default=True,
        help_text=_("Eén bericht per dag met wat binnen veertien dagen moet en wat te laat is."),
    )

    audit_exclude = {"feed_token_hash", "feed_used_at"}

    class Meta:
        verbose_name = _("kalenderinstelling")
        verbose_name_plural = _("kalenderinstellingen")

    def __str__(self):
        return str(self.membership)

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, hash_token(raw)


class ReminderLog(OrganisationOwned):
    """One digest sent to one member for one day; the unique pair is the claim two workers race for."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    audit_skip = True  # a log of its own; the digest is no change to municipal data

    class Meta:
        ordering = ["-day", "id"]
        constraints = [models.UniqueConstraint(fields=["membership", "day"], name="one_reminder_per_member_per_day")]
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")

    def __str__(self):
        return f"{self.membership} {self.day:%d-%m-%Y}"

"""The quality cycle's yearly plan (jaarplan) and its checks: actions, checks, findings, deviations.

An :class:`Action` is one thing the municipality plans to do in a year, with an owner who is
reminded of it. Other parts of the cycle point at actions (an incident's evaluation, a weak
self-scan answer, a finding), so this model is the shared end point of "and what do we do about it".
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks.models import Asset, Measure, Risk


class Action(OrganisationOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        IN_PROGRESS = "in_progress", _("in uitvoering")
        DONE = "done", _("afgerond")
        CANCELLED = "cancelled", _("vervallen")
        CARRIED_OVER = "carried", _("doorgeschoven naar volgend jaar")

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
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        editable=False,
        verbose_name=_("doorgeschoven uit"),
    )
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

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    def get_absolute_url(self):
        return reverse("cycle:action_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})


class Check(OrganisationOwned):
    """A check of the cycle (controle): an internal check, an audit, an exercise evaluation or a test."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("interne controle")
        AUDIT = "audit", _("externe audit")
        EXERCISE = "exercise", _("evaluatie van een oefening")
        PHISHING = "phishing", _("phishingtest")
        PENTEST = "pentest", _("penetratietest")
        EVACUATION = "evacuation", _("ontruimingsoefening")
        OTHER_TEST = "other_test", _("andere test")

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        DONE = "done", _("uitgevoerd")

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    kind = models.CharField(_("soort controle"), max_length=12, choices=Kind.choices, default=Kind.INTERNAL)
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("datum"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    performed_by = models.CharField(
        _("uitgevoerd door"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld team control of het auditbureau."),
    )
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwoordelijke"),
    )
    summary = models.TextField(_("opzet en uitkomst"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    measures = models.ManyToManyField(Measure, blank=True, related_name="checks", verbose_name=_("maatregelen"))
    assets = models.ManyToManyField(Asset, blank=True, related_name="checks", verbose_name=_("bedrijfsmiddelen"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="check_reference_unique", condition=~models.Q(reference="")
            )
        ]
        verbose_name = _("controle")
        verbose_name_plural = _("controles")

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("cycle:check_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})


class Finding(OrganisationOwned):
    """A finding (bevinding) of a check, and what the municipality does about it.

    A finding is followed up by an improvement action, a new or changed risk, or an accepted
    deviation; until one of those is chosen it is open.
    """

    class Severity(models.IntegerChoices):
        LOW = 1, _("laag")
        MEDIUM = 2, _("midden")
        HIGH = 3, _("hoog")
        CRITICAL = 4, _("zeer hoog")

    source_check = models.ForeignKey(
        Check, on_delete=models.CASCADE, related_name="findings", verbose_name=_("controle")
    )
    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    title = models.CharField(_("bevinding"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    severity = models.PositiveSmallIntegerField(_("ernst"), choices=Severity.choices, default=Severity.MEDIUM)
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("verbeteractie"),
    )
    risk = models.ForeignKey(
        Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("risico")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["-severity", "reference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="finding_reference_unique", condition=~models.Q(reference="")
            )
        ]
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("cycle:finding_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})


class Deviation(OrganisationOwned):
    """An accepted deviation (geaccepteerde afwijking): a known gap the municipality accepts for a time."""

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    title = models.CharField(_("afwijking"), max_length=200)
    reason = models.TextField(_("reden van acceptatie"))
    accepted_by = models.CharField(
        _("geaccepteerd door"), max_length=200, help_text=_("Bijvoorbeeld de gemeentesecretaris of het college.")
    )
    owner = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("eigenaar")
    )
    expires_on = models.DateField(_("geldig tot"), db_index=True)
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("bevinding"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    measures = models.ManyToManyField(Measure, blank=True, related_name="deviations", verbose_name=_("maatregelen"))
    ended = models.BooleanField(_("beëindigd"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="deviation_reference_unique",
                condition=~models.Q(reference=""),
            )
        ]
        verbose_name = _("geaccepteerde afwijking")
        verbose_name_plural = _("geaccepteerde afwijkingen")

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @property
    def is_expired(self) -> bool:
        return not self.ended and self.expires_on < timezone.localdate()

    def get_absolute_url(self):
        return reverse("cycle:deviation_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})

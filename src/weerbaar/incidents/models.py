"""The incident register: what happened, what was done, what was reported, what was learned.

:class:`IncidentType` is the national catalogue of incident types that ships in
``content/incident_types.yaml`` (not scoped, read-only for municipalities); a municipality adds
its own as :class:`LocalIncidentType`. An :class:`Incident` belongs to one municipality; its
:class:`ExternalReport`\\s are the reports to others with a legal or agreed time limit (the
Autoriteit Persoonsgegevens, the CSIRT under the Cyberbeveiligingswet, the police).

Confidential incidents (integrity, people) are seen only by the coordinator and the members
assigned as handlers: every read goes through ``selectors.visible_incidents``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset, LocalThreat, Measure, Risk, Threat


class ReportKind(models.TextChoices):
    """External reports with their time limit in hours from discovery (None: no legal limit)."""

    DATA_BREACH = "ap", _("Melding datalek aan de Autoriteit Persoonsgegevens")
    CBW_WARNING = "cbw_warning", _("Vroegtijdige waarschuwing (Cyberbeveiligingswet)")
    CBW_NOTIFICATION = "cbw_notification", _("Incidentmelding (Cyberbeveiligingswet)")
    POLICE = "police", _("Aangifte bij de politie")
    OTHER = "other", _("Andere melding")


REPORT_HOURS = {
    ReportKind.DATA_BREACH: 72,
    ReportKind.CBW_WARNING: 24,
    ReportKind.CBW_NOTIFICATION: 72,
    ReportKind.POLICE: None,
    ReportKind.OTHER: None,
}


class IncidentType(models.Model):
    """A type from the national catalogue: read-only for municipalities, not scoped."""

    slug = models.SlugField(unique=True, max_length=100)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    confidential = models.BooleanField(
        _("standaard vertrouwelijk"), default=False, help_text=_("Gaat over integriteit of over personen.")
    )
    reports = models.JSONField(_("meldingen die meestal nodig zijn"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("soort incident (landelijke catalogus)")
        verbose_name_plural = _("soorten incidenten (landelijke catalogus)")

    def __str__(self):
        return self.name


class LocalIncidentType(OrganisationOwned):
    """A type a municipality adds for its own register."""

    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    confidential = models.BooleanField(_("standaard vertrouwelijk"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("eigen soort incident")
        verbose_name_plural = _("eigen soorten incidenten")

    def __str__(self):
        return self.name


class Incident(OrganisationOwned):
    class Severity(models.IntegerChoices):
        MINOR = 1, _("gering")
        LIMITED = 2, _("beperkt")
        SERIOUS = 3, _("ernstig")
        VERY_SERIOUS = 4, _("zeer ernstig")

    class Status(models.TextChoices):
        OPEN = "open", _("in behandeling")
        EVALUATED = "evaluated", _("geëvalueerd")
        CLOSED = "closed", _("afgesloten")

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    title = models.CharField(_("korte omschrijving"), max_length=200)
    occurred_at = models.DateTimeField(_("datum en tijd"), db_index=True)
    discovered_at = models.DateTimeField(
        _("ontdekt op"), help_text=_("Vanaf dit moment lopen de termijnen voor meldingen.")
    )
    themes = models.ManyToManyField(Theme, related_name="+", verbose_name=_("thema's"))
    incident_type = models.ForeignKey(
        IncidentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("soort")
    )
    local_type = models.ForeignKey(
        LocalIncidentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("eigen soort"),
    )
    severity = models.PositiveSmallIntegerField(_("ernst"), choices=Severity.choices, default=Severity.LIMITED)
    place = models.CharField(_("plaats"), max_length=200, blank=True, db_index=True)
    assets = models.ManyToManyField(Asset, blank=True, related_name="incidents", verbose_name=_("bedrijfsmiddelen"))
    threat = models.ForeignKey(
        Threat, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dreiging")
    )
    local_threat = models.ForeignKey(
        LocalThreat, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("eigen dreiging")
    )
    description = models.TextField(_("wat is er gebeurd?"), blank=True)
    immediate_actions = models.TextField(_("wat is direct gedaan?"), blank=True)
    confidential = models.BooleanField(
        _("vertrouwelijk"),
        default=False,
        db_index=True,
        help_text=_("Alleen de coördinator en de behandelaars zien dit incident."),
    )
    handlers = models.ManyToManyField(
        Membership, blank=True, related_name="handled_incidents", verbose_name=_("behandelaars")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The evaluation
    lessons = models.TextField(_("lessen"), blank=True)
    evaluated_on = models.DateField(_("geëvalueerd op"), null=True, blank=True)
    materialised_risks = models.ManyToManyField(
        Risk, blank=True, related_name="incidents", verbose_name=_("risico's die zich voordeden")
    )
    failed_measures = models.ManyToManyField(
        Measure, blank=True, related_name="failed_in_incidents", verbose_name=_("maatregelen die tekortschoten")
    )
    working_measures = models.ManyToManyField(
        Measure, blank=True, related_name="worked_in_incidents", verbose_name=_("maatregelen die werkten")
    )
    actions = models.ManyToManyField(
        "cycle.Action", blank=True, related_name="incidents", verbose_name=_("nieuwe acties")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    # Free text of a confidential incident stays out of the logboek, which auditors read.
    CONFIDENTIAL_TEXT = {"title", "description", "immediate_actions", "lessons", "place"}

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="incident_reference_unique",
                condition=~models.Q(reference=""),
            ),
            models.CheckConstraint(
                condition=models.Q(incident_type__isnull=True) | models.Q(local_type__isnull=True),
                name="incident_one_type",
            ),
            models.CheckConstraint(
                condition=models.Q(threat__isnull=True) | models.Q(local_threat__isnull=True),
                name="incident_one_threat",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"], name="incident_org_occurred"),
            # The register's filters: each reads its matches in date order, and counts them, from the index.
            models.Index(fields=["organisation", "severity", "occurred_at"], name="incident_org_severity"),
            models.Index(fields=["organisation", "status", "occurred_at"], name="incident_org_status"),
            models.Index(fields=["organisation", "place", "occurred_at"], name="incident_org_place"),
            # The pattern counts per class (ordinary or confidential) and year, read from the index
            # alone; also the count of the incidents a member who is not the coordinator may see.
            models.Index(
                fields=["organisation", "confidential", "occurred_at", "incident_type", "local_type", "place"],
                name="incident_org_class",
            ),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidenten")

    def __str__(self):
        # The title of a confidential incident is not repeated in logboek lines or messages.
        if self.confidential:
            return f"{self.reference} ({_('vertrouwelijk')})".strip()
        return f"{self.reference} {self.title}".strip()

    @property
    def audit_exclude(self) -> set[str]:
        base = {"updated_at", "revision"}
        return base | self.CONFIDENTIAL_TEXT if self.confidential else base

    @property
    def type_obj(self):
        return self.incident_type or self.local_type

    @property
    def threat_obj(self):
        return self.threat or self.local_threat


class ExternalReport(OrganisationOwned):
    """A report to an outside body, with the time limit counted from the incident's discovery."""

    class Status(models.TextChoices):
        DUE = "due", _("nog te doen")
        MADE = "made", _("gedaan")
        NOT_NEEDED = "not_needed", _("niet nodig")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("soort melding"), max_length=20, choices=ReportKind.choices)
    due_at = models.DateTimeField(_("uiterlijk"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DUE, db_index=True)
    made_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    their_reference = models.CharField(_("kenmerk van de ontvanger"), max_length=100, blank=True)
    note = models.TextField(_("toelichting"), blank=True, help_text=_("Bij 'niet nodig': waarom niet."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind"], name="one_report_per_kind", condition=~models.Q(kind="other")
            )
        ]
        verbose_name = _("externe melding")
        verbose_name_plural = _("externe meldingen")

    def __str__(self):
        return f"{self.incident.reference}: {self.get_kind_display()}"

    @property
    def in_time(self) -> bool | None:
        """True/False once made (against the limit), None while open or without a limit."""
        if self.status != self.Status.MADE or self.made_at is None or self.due_at is None:
            return None
        return self.made_at <= self.due_at

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.DUE and self.due_at is not None and self.due_at < (now or timezone.now())


class PatternConclusion(OrganisationOwned):
    """The coordinator's written conclusion on a year's patterns (rode draden)."""

    year = models.PositiveSmallIntegerField(_("jaar"))
    text = models.TextField(_("conclusie"))
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_conclusion_per_year")]
        verbose_name = _("conclusie rode draden")
        verbose_name_plural = _("conclusies rode draden")

    def __str__(self):
        return str(self.year)

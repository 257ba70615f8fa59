"""Opleiden, trainen, oefenen en testen: the municipality's multi-year plan per staff group.

- :class:`StaffGroup`: a group of staff the plan aims at (everyone, front desk, enforcement, ICT,
  managers, college members, council members, or an own group), with its size, so participation
  can be read as coverage.
- :class:`Activity`: what is done (a course, a training, an exercise, a test), for which groups,
  how often; one activity may be marked as the cyber training the Cyberbeveiligingswet asks of
  the college (bestuurders).
- :class:`Session`: one planned date of an activity, with its status and evaluation.
- :class:`Participation`: how many people of one group took part in one session (names optional).
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned

MAX_PEOPLE = 1_000_000


class StaffGroup(OrganisationOwned):
    class Kind(models.TextChoices):
        EVERYONE = "everyone", _("Alle medewerkers")
        FRONT_DESK = "front_desk", _("Publieksbalie en receptie")
        ENFORCEMENT = "enforcement", _("Handhaving en toezicht")
        ICT = "ict", _("ICT")
        MANAGERS = "managers", _("Leidinggevenden")
        COLLEGE = "college", _("Collegeleden (burgemeester en wethouders)")
        COUNCIL = "council", _("Raadsleden")
        OWN = "own", _("Eigen groep")

    SHIPPED = [k for k in Kind if k != "own"]

    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort groep"), max_length=20, choices=Kind.choices, default=Kind.OWN)
    size = models.PositiveIntegerField(
        _("aantal personen"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PEOPLE)],
        help_text=_("Nodig om het bereik (deelnemers tegenover groepsgrootte) te tonen."),
    )
    description = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(default=100, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["order", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="staff_group_name_unique")]
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")

    def __str__(self):
        return self.name


class Activity(OrganisationOwned):
    class Kind(models.TextChoices):
        EDUCATION = "education", _("Opleiden")
        TRAINING = "training", _("Trainen")
        EXERCISE = "exercise", _("Oefenen")
        TEST = "test", _("Testen")

    class Frequency(models.TextChoices):
        ONCE = "once", _("eenmalig")
        MONTHLY = "monthly", _("elke maand")
        QUARTERLY = "quarterly", _("elk kwartaal")
        HALF_YEARLY = "half_yearly", _("elk half jaar")
        YEARLY = "yearly", _("jaarlijks")
        TWO_YEARLY = "two_yearly", _("elke twee jaar")
        ON_ENTRY = "on_entry", _("bij indiensttreding of aantreden")

    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    description = models.TextField(_("omschrijving"), blank=True)
    groups = models.ManyToManyField(StaffGroup, related_name="activities", verbose_name=_("doelgroepen"))
    frequency = models.CharField(_("hoe vaak"), max_length=12, choices=Frequency.choices, default=Frequency.YEARLY)
    first_year = models.PositiveSmallIntegerField(_("vanaf jaar"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(
        _("tot en met jaar"), null=True, blank=True, help_text=_("Leeg laten: loopt door.")
    )
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwoordelijke"),
        help_text=_("Krijgt herinneringen voor de geplande data."),
    )
    board_cyber_training = models.BooleanField(
        _("cybertraining voor bestuurders (Cyberbeveiligingswet)"),
        default=False,
        help_text=_("De training in cyberbeveiliging die de Cyberbeveiligingswet van het college vraagt."),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")

    def __str__(self):
        return self.title


class Session(OrganisationOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        DONE = "done", _("uitgevoerd")
        CANCELLED = "cancelled", _("vervallen")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("datum"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    evaluation = models.TextField(
        _("evaluatie"), blank=True, help_text=_("Wat ging goed, wat kan beter, welke vervolgstappen.")
    )
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("uitvoering")
        verbose_name_plural = _("uitvoeringen")

    def __str__(self):
        return f"{self.activity} — {self.date:%d-%m-%Y}"


class Participation(OrganisationOwned):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participations")
    group = models.ForeignKey(StaffGroup, on_delete=models.CASCADE, related_name="participations")
    participants = models.PositiveIntegerField(_("aantal deelnemers"), validators=[MaxValueValidator(MAX_PEOPLE)])
    names = models.TextField(_("namen (niet verplicht)"), blank=True)

    class Meta:
        ordering = ["session", "group__order", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "group"], name="one_participation_per_session_and_group")
        ]
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")

    def __str__(self):
        return f"{self.group}: {self.participants}"

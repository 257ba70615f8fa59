"""The maturity self-scan (zelfscan): a national, versioned questionnaire and municipal scan rounds.

National (not scoped): :class:`Questionnaire` versions with their :class:`Question`\\s, kept by the
national editors. A version is edited while it is a draft; once published it never changes, so
a round keeps exactly the questions and level descriptions it was answered against.

Municipal (scoped): :class:`ScanSettings` (opt-in to the anonymous benchmark), a
:class:`ScanRound` with its :class:`ThemeAssignment`\\s (who answers which theme) and
:class:`Answer`\\s. A closed round is frozen: the services refuse every change to it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned
from weerbaar.knowledge.models import Bio2Measure, BuildingBlock, Theme

LEVELS = (1, 2, 3, 4, 5)


class Questionnaire(models.Model):
    """One version of the national questionnaire."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    version = models.PositiveSmallIntegerField(_("versie"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    notes = models.TextField(_("wat is er veranderd"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set when the shipped content file created this version (and nobody changed it since).
    from_content = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("vragenlijst zelfscan")
        verbose_name_plural = _("vragenlijsten zelfscan")

    def __str__(self):
        return _("%(title)s (versie %(version)s)") % {"title": self.title, "version": self.version}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+", verbose_name=_("thema"))
    code = models.CharField(_("code"), max_length=12)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.CharField(_("vraag"), max_length=300)
    explanation = models.TextField(_("toelichting"), blank=True)
    level_1 = models.TextField(_("niveau 1"))
    level_2 = models.TextField(_("niveau 2"))
    level_3 = models.TextField(_("niveau 3"))
    level_4 = models.TextField(_("niveau 4"))
    level_5 = models.TextField(_("niveau 5"))
    building_blocks = models.ManyToManyField(
        BuildingBlock, blank=True, related_name="+", verbose_name=_("bouwstenen die helpen")
    )
    bio2_measures = models.ManyToManyField(
        Bio2Measure, blank=True, related_name="+", verbose_name=_("BIO2-overheidsmaatregelen")
    )

    class Meta:
        ordering = ["questionnaire", "theme__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="selfscan_question_code_unique")]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self):
        return f"{self.code} {self.text}"

    def level_text(self, level: int) -> str:
        return getattr(self, f"level_{level}", "") if level in LEVELS else ""

    @property
    def levels(self) -> list[tuple[int, str]]:
        return [(n, self.level_text(n)) for n in LEVELS]


class ScanSettings(OrganisationOwned):
    """A municipality's choices about the scan (one row per municipality)."""

    benchmark_opt_in = models.BooleanField(
        _("meedoen aan de anonieme vergelijking"),
        default=False,
        help_text=_(
            "Uw afgesloten scans tellen dan anoniem mee in de vergelijking tussen gemeenten. "
            "Andere gemeenten zien nooit uw naam of uw scores, alleen groepscijfers van minstens vijf gemeenten."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="selfscan_one_settings_per_org")]
        verbose_name = _("instellingen zelfscan")
        verbose_name_plural = _("instellingen zelfscan")

    def __str__(self):
        return str(_("Instellingen zelfscan"))


class ScanRound(OrganisationOwned):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("afgesloten")

    title = models.CharField(_("naam van de ronde"), max_length=120)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="+", verbose_name=_("vragenlijst"), editable=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(_("uiterste datum voor antwoorden"), null=True, blank=True)
    started_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+", editable=False)
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True, editable=False, db_index=True)
    closing_note = models.TextField(_("toelichting bij het afsluiten"), blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("scanronde")
        verbose_name_plural = _("scanrondes")

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def year(self) -> int:
        return (self.closed_at or self.started_at).year


class ThemeAssignment(OrganisationOwned):
    """Who answers the questions of one theme in a round."""

    scan_round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="assignments")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+", verbose_name=_("thema"))
    member = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )

    class Meta:
        ordering = ["theme__order"]
        constraints = [
            models.UniqueConstraint(fields=["scan_round", "theme"], name="selfscan_one_assignment_per_theme")
        ]
        verbose_name = _("toewijzing thema")
        verbose_name_plural = _("toewijzingen thema's")

    def __str__(self):
        return f"{self.theme} — {self.member or '—'}"


class Answer(OrganisationOwned):
    scan_round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("niveau"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    justification = models.TextField(_("korte onderbouwing"), blank=True, max_length=2000)
    evidence_url = models.URLField(_("link naar bewijs"), blank=True, max_length=500)
    evidence_name = models.CharField(_("bestandsnaam bewijs"), max_length=200, blank=True, editable=False)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)
    evidence_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    evidence_data = models.BinaryField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+", editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the municipality decided to do about a weak answer.
    action = models.ForeignKey(
        "cycle.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    measure = models.ForeignKey(
        "risks.Measure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"evidence_data", "revision"}

    class Meta:
        ordering = ["question__theme__order", "question__order", "question__code"]
        constraints = [
            models.UniqueConstraint(fields=["scan_round", "question"], name="selfscan_one_answer_per_question")
        ]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self):
        return f"{self.question.code}: {self.level or '—'}"

    @property
    def has_file(self) -> bool:
        return bool(self.evidence_name)

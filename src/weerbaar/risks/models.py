"""The integral risk and measure register: assets, threats, risks, measures and conflicts.

Everything here belongs to one municipality (scoped by django-scopes) except :class:`Threat`,
the national threat catalogue that ships in ``content/threats.yaml``. Municipalities add
their own threats as :class:`LocalThreat`. Scores are never computed here: see ``scoring.py``.

Theme experts are limited to their themes through the ``themes`` field of a risk and of a
measure (a risk's themes start from the themes of its threat and can be changed).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Organisation, OrganisationOwned
from weerbaar.knowledge.models import Bio2Measure, Principle, SecurityGoal, Theme

# Bounds of the risk matrix: at most 10 levels per axis, so a score is at most 100.
MAX_LEVELS = 10
MAX_SCORE = MAX_LEVELS * MAX_LEVELS
LABEL_MAX_LENGTH = 60


def validate_level_labels(value) -> None:
    """A matrix axis has at most ``MAX_LEVELS`` names of at most ``LABEL_MAX_LENGTH`` characters."""
    if not isinstance(value, list) or not all(isinstance(label, str) for label in value):
        raise ValidationError(_("Geef de namen als lijst van teksten."))
    if len(value) > MAX_LEVELS:
        raise ValidationError(_("Geef hoogstens %(n)s namen.") % {"n": MAX_LEVELS})
    if any(len(label) > LABEL_MAX_LENGTH for label in value):
        raise ValidationError(_("Een naam is hoogstens %(n)s tekens lang.") % {"n": LABEL_MAX_LENGTH})


class Threat(models.Model):
    """A threat from the national catalogue: read-only for municipalities, not scoped."""

    slug = models.SlugField(unique=True, max_length=100)
    name = models.CharField(_("naam"), max_length=200)
    deliberate = models.BooleanField(_("moedwillig"), default=True)
    description = models.TextField(_("beschrijving"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-deliberate", "order", "name"]
        verbose_name = _("dreiging (landelijke catalogus)")
        verbose_name_plural = _("dreigingen (landelijke catalogus)")

    def __str__(self):
        return self.name


class LocalThreat(OrganisationOwned):
    """A threat a municipality adds to the national catalogue for its own analysis."""

    name = models.CharField(_("naam"), max_length=200)
    deliberate = models.BooleanField(_("moedwillig"), default=True, help_text=_("Uit op schade (beveiligingsrisico)."))
    description = models.TextField(_("beschrijving"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thema's"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("eigen dreiging")
        verbose_name_plural = _("eigen dreigingen")

    def __str__(self):
        return self.name


class Asset(OrganisationOwned):
    class Kind(models.TextChoices):
        PEOPLE = "people", _("mensen en groepen")
        BUILDING = "building", _("gebouwen en terreinen")
        ICT = "ict", _("ICT-systemen")
        INFORMATION = "information", _("informatie")
        INSTALLATION = "installation", _("installaties")
        OTHER = "other", _("overig")

    class Criticality(models.IntegerChoices):
        LOW = 1, _("laag")
        MEDIUM = 2, _("midden")
        HIGH = 3, _("hoog")
        VITAL = 4, _("vitaal")

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("omschrijving"), blank=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    owner = models.CharField(_("eigenaar"), max_length=200, blank=True)
    criticality = models.PositiveSmallIntegerField(_("belang"), choices=Criticality.choices, default=Criticality.MEDIUM)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["name", "id"]
        # The register list's default order, read page by page without sorting every row.
        indexes = [models.Index(fields=["organisation", "name", "id"], name="asset_org_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="asset_reference_unique", condition=~models.Q(reference="")
            )
        ]
        verbose_name = _("bedrijfsmiddel")
        verbose_name_plural = _("bedrijfsmiddelen")

    def __str__(self):
        return f"{self.reference} {self.name}".strip()


class RiskMatrix(OrganisationOwned):
    """A municipality's likelihood × impact matrix: scales, labels and the acceptance level."""

    likelihood_levels = models.PositiveSmallIntegerField(
        _("aantal niveaus kans"), default=5, validators=[MinValueValidator(2), MaxValueValidator(MAX_LEVELS)]
    )
    impact_levels = models.PositiveSmallIntegerField(
        _("aantal niveaus impact"), default=5, validators=[MinValueValidator(2), MaxValueValidator(MAX_LEVELS)]
    )
    likelihood_labels = models.JSONField(
        _("namen van de kansniveaus"), default=list, blank=True, validators=[validate_level_labels]
    )
    impact_labels = models.JSONField(
        _("namen van de impactniveaus"), default=list, blank=True, validators=[validate_level_labels]
    )
    acceptance_level = models.PositiveSmallIntegerField(
        _("acceptatiegrens"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SCORE)],
        help_text=_("Risico's met een score (kans × impact) boven deze grens zijn niet acceptabel."),
    )
    critical_level = models.PositiveSmallIntegerField(
        _("grens zeer hoog"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SCORE)],
        help_text=_("Vanaf deze score geldt een risico als zeer hoog."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = {"updated_at"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_risk_matrix_per_organisation")]
        verbose_name = _("risicomatrix")
        verbose_name_plural = _("risicomatrices")

    def __str__(self):
        return f"{self.likelihood_levels}×{self.impact_levels}"


class Risk(OrganisationOwned):
    class Treatment(models.TextChoices):
        REDUCE = "reduce", _("verminderen")
        ACCEPT = "accept", _("accepteren")
        AVOID = "avoid", _("vermijden")
        TRANSFER = "transfer", _("overdragen of verzekeren")

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    title = models.CharField(_("titel"), max_length=200)
    scenario = models.TextField(_("scenario"), blank=True, help_text=_("Wat kan er gebeuren, hoe en met welk gevolg?"))
    threat = models.ForeignKey(
        Threat, on_delete=models.PROTECT, null=True, blank=True, related_name="risks", verbose_name=_("dreiging")
    )
    local_threat = models.ForeignKey(
        LocalThreat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("eigen dreiging"),
    )
    assets = models.ManyToManyField(Asset, blank=True, related_name="risks", verbose_name=_("bedrijfsmiddelen"))
    themes = models.ManyToManyField(Theme, related_name="+", verbose_name=_("thema's"))
    inherent_likelihood = models.PositiveSmallIntegerField(_("bruto kans"), validators=[MinValueValidator(1)])
    inherent_impact = models.PositiveSmallIntegerField(_("bruto impact"), validators=[MinValueValidator(1)])
    residual_likelihood = models.PositiveSmallIntegerField(
        _("netto kans"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("netto impact"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # Derived by scoring.apply_scores; never set by hand.
    inherent_score = models.PositiveSmallIntegerField(default=0, editable=False, db_index=True)
    residual_score = models.PositiveSmallIntegerField(null=True, editable=False)
    current_score = models.PositiveSmallIntegerField(default=0, editable=False, db_index=True)
    exceeds_acceptance = models.BooleanField(default=False, editable=False, db_index=True)
    treatment = models.CharField(_("besluit"), max_length=10, choices=Treatment.choices, default=Treatment.REDUCE)
    accepted_by = models.CharField(_("geaccepteerd door"), max_length=200, blank=True)
    accepted_until = models.DateField(_("geaccepteerd tot"), null=True, blank=True)
    owner = models.CharField(_("risico-eigenaar"), max_length=200, blank=True)
    review_date = models.DateField(_("herbeoordelen op"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["-current_score", "title", "id"]
        # The register list's default order (by score), read page by page without sorting every row.
        indexes = [
            models.Index(
                fields=["organisation", "-current_score", "-inherent_score", "title", "id"], name="risk_org_score_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="risk_reference_unique", condition=~models.Q(reference="")
            ),
            models.CheckConstraint(
                condition=models.Q(threat__isnull=True) | models.Q(local_threat__isnull=True),
                name="risk_one_threat",
            ),
        ]
        verbose_name = _("risico")
        verbose_name_plural = _("risico's")

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @property
    def threat_obj(self):
        return self.threat or self.local_threat

    @property
    def is_residual_assessed(self) -> bool:
        return self.residual_likelihood is not None and self.residual_impact is not None

    @property
    def current_likelihood(self) -> int:
        return self.residual_likelihood if self.is_residual_assessed else self.inherent_likelihood

    @property
    def current_impact(self) -> int:
        return self.residual_impact if self.is_residual_assessed else self.inherent_impact


class Measure(OrganisationOwned):
    class Type(models.TextChoices):
        PREVENTIVE = "preventive", _("preventief")
        REPRESSIVE = "repressive", _("repressief")
        RESTORATIVE = "restorative", _("herstellend")

    class Kind(models.TextChoices):
        ORGANISATIONAL = "organisational", _("organisatorisch")
        STRUCTURAL = "structural", _("bouwkundig")
        ELECTRONIC = "electronic", _("elektronisch")
        TECHNICAL = "technical", _("technisch")
        PERSONNEL = "personnel", _("personeel")

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        IN_PROGRESS = "in_progress", _("in uitvoering")
        IN_PLACE = "in_place", _("ingevoerd")
        VERIFIED = "verified", _("gecontroleerd")

    EFFECTIVE = (Status.IN_PLACE, Status.VERIFIED)

    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    themes = models.ManyToManyField(Theme, related_name="+", verbose_name=_("thema's"))
    measure_type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.PREVENTIVE)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.ORGANISATIONAL)
    # The thread to the strategic framework: goals and principles of the municipality's
    # effective framework version (the adopted one, before any adoption the draft), own ones
    # included. Moved to the next version on adoption (see risks/thread.py).
    # Own table names: the catalogue links were renamed from ``goals``/``principles`` and their
    # tables keep the old index and constraint names on PostgreSQL, which a new
    # ``risks_measure_goals`` table would collide with.
    goals = models.ManyToManyField(
        "framework.ChosenGoal",
        blank=True,
        related_name="measures",
        verbose_name=_("beveiligingsdoelen"),
        db_table="risks_measure_framework_goals",
    )
    principles = models.ManyToManyField(
        "framework.ChosenPrinciple",
        blank=True,
        related_name="measures",
        verbose_name=_("uitgangspunten"),
        db_table="risks_measure_framework_principles",
    )
    # Only while the municipality has no framework yet: links to the national catalogue. They
    # move to the draft's goals and principles as soon as the draft chooses the same items.
    catalogue_goals = models.ManyToManyField(
        SecurityGoal, blank=True, related_name="+", verbose_name=_("beveiligingsdoelen (landelijke catalogus)")
    )
    catalogue_principles = models.ManyToManyField(
        Principle, blank=True, related_name="+", verbose_name=_("uitgangspunten (landelijke catalogus)")
    )
    risks = models.ManyToManyField(Risk, blank=True, related_name="measures", verbose_name=_("verminderde risico's"))
    owner = models.CharField(_("eigenaar"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    deadline = models.DateField(_("uiterste datum"), null=True, blank=True)
    cost_once = models.DecimalField(_("eenmalige kosten (€)"), max_digits=12, decimal_places=2, default=0)
    cost_yearly = models.DecimalField(_("jaarlijkse kosten (€)"), max_digits=12, decimal_places=2, default=0)
    side_effects = models.TextField(
        _("neveneffecten"), blank=True, help_text=_("Gevolgen voor bezoekers en medewerkers, bijvoorbeeld wachttijd.")
    )
    bio2_measures = models.ManyToManyField(
        Bio2Measure, blank=True, related_name="+", verbose_name=_("BIO2-maatregelen")
    )
    # Numbers typed before the BIO2 list existed that match no government measure of it: kept
    # visible (never dropped silently) until someone picks the right measures and clears them.
    bio2_unmatched = models.CharField(
        _("BIO2-nummers buiten de lijst"),
        max_length=200,
        blank=True,
        help_text=_(
            "Eerder ingevoerde nummers die niet in de BIO2-lijst staan. "
            "Kies de juiste maatregelen en maak dit veld leeg."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["title", "id"]
        # The register list's default order, read page by page without sorting every row.
        indexes = [models.Index(fields=["organisation", "title", "id"], name="measure_org_title_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="measure_reference_unique",
                condition=~models.Q(reference=""),
            )
        ]
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @property
    def is_effective(self) -> bool:
        return self.status in self.EFFECTIVE

    @property
    def linked_goals(self) -> list:
        """Goals of the framework and, before a framework chose them, of the catalogue (prefetch both)."""
        return list(self.goals.all()) + list(self.catalogue_goals.all())


class MeasureConflict(OrganisationOwned):
    """Two measures that work against each other, as a user recorded it, and how it was resolved."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("opgelost")

    measure_a = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+", verbose_name=_("maatregel"))
    measure_b = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="+", verbose_name=_("botst met maatregel")
    )
    description = models.TextField(_("waar schuurt het?"))
    resolution = models.TextField(_("oplossing of afweging"), blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = {"revision"}

    class Meta:
        ordering = ["state", "-created_at", "-id"]
        verbose_name = _("conflict tussen maatregelen")
        verbose_name_plural = _("conflicten tussen maatregelen")

    def __str__(self):
        return f"{self.measure_a_id} ↔ {self.measure_b_id}"


class OverlapSummary(models.Model):
    """The integral view's overlap groups of one municipality, kept so that a page view does not
    run the overlap self-join (tens of milliseconds at thousands of measures) every time.

    Derived data, not a register: never shown as a row, no URL, always read by organisation
    (hence no scoped manager and no audit trail). Every write to the links that make an overlap
    (measure ↔ risk, goal, theme) raises ``generation`` in the writer's own transaction
    (:mod:`weerbaar.risks.summary`); the groups are valid while ``built_generation`` equals it,
    and are rebuilt on the next read otherwise.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    generation = models.PositiveBigIntegerField(default=0)
    built_generation = models.BigIntegerField(null=True)
    total = models.PositiveIntegerField(default=0)
    # The first groups by (risk id, goal id): [[risk_id, goal_id, [measure_id, ...]], ...].
    groups = models.JSONField(default=list)
    built_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("samenvatting overlap")
        verbose_name_plural = _("samenvattingen overlap")

    def __str__(self):
        return f"{self.organisation_id}: {self.total}"

"""The strategic framework (strategisch kader) of one municipality, its versions and adoption.

A :class:`Framework` holds numbered :class:`FrameworkVersion` rows. Each version has one
:class:`StepEntry` per step of the policy format (vision, scope, goals, principles, quality
system) plus the chosen goals and principles. Only a draft can change; a submitted version
waits for the board, an adopted one is frozen until a newer version supersedes it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import OrganisationOwned


class Step(models.TextChoices):
    VISION = "visie", _("Visie")
    SCOPE = "scope", _("Scope")
    GOALS = "doelen", _("Beveiligingsdoelen")
    PRINCIPLES = "uitgangspunten", _("Uitgangspunten")
    QUALITY = "kwaliteitssysteem", _("Kwaliteitssysteem")


STEP_ORDER = [Step.VISION, Step.SCOPE, Step.GOALS, Step.PRINCIPLES, Step.QUALITY]
# The catalogue's FrameworkStep.number of each step.
STEP_NUMBERS = {step: number for number, step in enumerate(STEP_ORDER, start=1)}


class Framework(OrganisationOwned):
    title = models.CharField(_("titel"), max_length=200, default="Strategisch kader integrale beveiliging")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_framework_per_organisation")]
        verbose_name = _("strategisch kader")
        verbose_name_plural = _("strategische kaders")

    def __str__(self):
        return self.title


class FrameworkVersion(OrganisationOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SUBMITTED = "submitted", _("ter besluitvorming")
        ADOPTED = "adopted", _("vastgesteld")
        SUPERSEDED = "superseded", _("vervangen")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("gebaseerd op")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_on = models.DateField(_("datum besluit"), null=True, blank=True)
    decision_reference = models.CharField(_("kenmerk besluit"), max_length=100, blank=True)
    adopted_by_body = models.CharField(_("vastgesteld door"), max_length=200, blank=True)
    decision_document = models.FileField(
        _("besluitdocument"), upload_to="kader/besluiten/%Y/", blank=True, max_length=300, editable=False
    )
    adoption_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="one_number_per_framework")]
        verbose_name = _("versie van het strategisch kader")
        verbose_name_plural = _("versies van het strategisch kader")

    def __str__(self):
        return f"{self.framework} — versie {self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED)


class ReviewFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("elk kwartaal")
    HALF_YEARLY = "half_yearly", _("elk half jaar")
    YEARLY = "yearly", _("jaarlijks")
    TWO_YEARLY = "two_yearly", _("elke twee jaar")
    FOUR_YEARLY = "four_yearly", _("elke bestuursperiode (vier jaar)")


class StepEntry(OrganisationOwned):
    """The municipality's own work on one step of one version.

    ``revision`` is the optimistic-locking counter: a save names the revision it started
    from and fails when someone else saved in between.
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("stap"), max_length=20, choices=Step.choices)
    revision = models.PositiveIntegerField(default=0, editable=False)

    text = models.TextField(_("eigen tekst"), blank=True)
    rationale = models.TextField(_("onderbouwing"), blank=True)
    minimum_variant = models.TextField(_("minimale variant"), blank=True)
    maximum_variant = models.TextField(_("maximale variant"), blank=True)

    # The main activities as a checklist: who and when.
    activities_done = models.ManyToManyField(
        "knowledge.StepActivity", blank=True, related_name="+", verbose_name=_("afgeronde hoofdactiviteiten")
    )
    drafted_by = models.CharField(_("opgesteld door"), max_length=200, blank=True)
    adopted_by = models.CharField(_("vastgesteld door"), max_length=200, blank=True)
    stakeholders_official = models.TextField(_("ambtelijk betrokken"), blank=True)
    stakeholders_administrative = models.TextField(_("bestuurlijk betrokken"), blank=True)
    stakeholders_political = models.TextField(_("politiek betrokken"), blank=True)
    working_session_on = models.DateField(_("werksessie gehouden op"), null=True, blank=True)
    working_session_notes = models.TextField(_("verslag werksessie"), blank=True)
    variants_considered = models.BooleanField(_("minimale en maximale variant afgewogen"), default=False)

    # Vision
    multi_year_plans = models.TextField(_("koppeling met meerjarenplannen"), blank=True)
    # Scope
    # The assets in scope are rows of the risk register (one list); ``assets`` only explains them.
    scope_assets = models.ManyToManyField(
        "risks.Asset", blank=True, related_name="+", verbose_name=_("bedrijfsmiddelen uit het register")
    )
    assets = models.TextField(_("toelichting op de bedrijfsmiddelen"), blank=True)
    staff_groups = models.TextField(_("medewerkers en groepen"), blank=True)
    third_parties = models.TextField(_("derden"), blank=True)
    laws = models.ManyToManyField("knowledge.Law", blank=True, related_name="+", verbose_name=_("wet- en regelgeving"))
    no_sub_plans = models.BooleanField(_("wij hebben nog geen deelplannen"), default=False)
    sub_plan_information = models.TextField(_("scope deelplan informatiebeveiliging"), blank=True)
    sub_plan_physical = models.TextField(_("scope deelplan fysieke beveiliging"), blank=True)
    sub_plan_personnel = models.TextField(_("scope deelplan personele beveiliging"), blank=True)
    sub_plan_continuity = models.TextField(_("scope deelplan continuïteit"), blank=True)
    # Quality system
    governance_variant = models.ForeignKey(
        "knowledge.GovernanceVariant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("governancevariant"),
    )
    review_frequency = models.CharField(
        _("frequentie van herziening"), max_length=20, choices=ReviewFrequency.choices, blank=True
    )
    review_owner = models.CharField(_("eigenaar van de herziening"), max_length=200, blank=True)
    planning_cycle_anchor = models.TextField(_("verankering in de planning-en-controlcyclus"), blank=True)

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_exclude = {"updated_at"}

    class Meta:
        ordering = ["version", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "step"], name="one_entry_per_step")]
        verbose_name = _("stap van het kader")
        verbose_name_plural = _("stappen van het kader")

    def __str__(self):
        return f"{self.get_step_display()} (versie {self.version.number})"


class ChosenGoal(OrganisationOwned):
    """A security goal the municipality chose: from the catalogue or its own."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="goals")
    catalogue_goal = models.ForeignKey(
        "knowledge.SecurityGoal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("naam"), max_length=200)
    why = models.TextField(_("waarom dit doel"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("gekozen beveiligingsdoel")
        verbose_name_plural = _("gekozen beveiligingsdoelen")

    def __str__(self):
        return self.name

    @property
    def is_own(self) -> bool:
        return self.catalogue_goal_id is None


class ChosenPrinciple(OrganisationOwned):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="principles")
    catalogue_principle = models.ForeignKey(
        "knowledge.Principle", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        "knowledge.PrincipleCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("categorie")
    )
    text = models.TextField(_("uitgangspunt"))
    goals = models.ManyToManyField(ChosenGoal, blank=True, related_name="principles", verbose_name=_("dient doelen"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("gekozen uitgangspunt")
        verbose_name_plural = _("gekozen uitgangspunten")

    def __str__(self):
        return self.text[:80]

    @property
    def is_own(self) -> bool:
        return self.catalogue_principle_id is None


class StepComment(OrganisationOwned):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="comments")
    step = models.CharField(_("stap"), max_length=20, choices=Step.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=255, blank=True)
    body = models.TextField(_("opmerking"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class WordTemplate(OrganisationOwned):
    """The municipality's own Word template for exporting the framework.

    A style template (the usual kind) dresses the complete standard document in the template's
    styles, page set-up, headers and footers; a placeholder template (advanced) is filled with
    docxtpl and contains only what its author placed in it.
    """

    class Kind(models.TextChoices):
        STYLE = "style", _("Opmaaksjabloon")
        PLACEHOLDERS = "placeholders", _("Sjabloon met plaatshouders (gevorderd)")

    name = models.CharField(_("bestandsnaam"), max_length=200)
    kind = models.CharField(
        _("soort sjabloon"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.STYLE,
        help_text=_(
            "Opmaaksjabloon: het volledige kader krijgt de opmaak, kop- en voetteksten en paginainstelling "
            "van uw sjabloon. Sjabloon met plaatshouders: alleen wat u zelf met plaatshouders in het "
            "sjabloon zet, komt in het document."
        ),
    )
    content = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    # Chapters of the standard document a placeholder template leaves out, found on upload.
    missing_chapters = models.JSONField(_("ontbrekende hoofdstukken"), null=True, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    audit_exclude = {"content"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_word_template_per_organisation")]
        verbose_name = _("Word-sjabloon")
        verbose_name_plural = _("Word-sjablonen")

    def __str__(self):
        return self.name


class SubPlan(OrganisationOwned):
    """A sub-plan (deelplan) of the municipality: the plan of one security theme, with its owner.

    The framework is the hook the sub-plans hang on; each sub-plan keeps its own document
    (a link or an uploaded file), status and review date, which the calendar shows.
    """

    class Kind(models.TextChoices):
        INFORMATION = "informatiebeveiliging", _("informatiebeveiliging")
        PRIVACY = "privacy", _("privacy")
        PHYSICAL = "fysieke_beveiliging", _("fysieke beveiliging")
        PERSONNEL = "personele_beveiliging", _("personele beveiliging")
        INTEGRITY = "integriteit", _("integriteit")
        CONTINUITY = "continuiteit", _("bedrijfscontinuïteit")
        OTHER = "overig", _("overig")

    class Status(models.TextChoices):
        PREPARING = "in_voorbereiding", _("in voorbereiding")
        ADOPTED = "vastgesteld", _("vastgesteld")
        REVIEW = "te_herzien", _("te herzien")

    kind = models.CharField(_("thema"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    owner = models.ForeignKey(
        "core.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
        help_text=_("Krijgt een herinnering voor de herziening."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARING)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    review_on = models.DateField(_("herzien uiterlijk op"), null=True, blank=True)
    scope = models.TextField(_("scope van het deelplan"), blank=True)
    document_url = models.URLField(_("link naar het document"), max_length=500, blank=True)
    document = models.FileField(
        _("document"), upload_to="kader/deelplannen/%Y/", blank=True, max_length=300, editable=False
    )
    document_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    audit_exclude = {"updated_at", "revision"}

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = _("deelplan")
        verbose_name_plural = _("deelplannen")

    def __str__(self):
        return self.title


class StepDelegation(OrganisationOwned):
    """Co-writing: the coordinator lets one member edit one step of one version.

    The policy adviser writes the vision, the HR adviser the personnel principles; everyone else
    keeps commenting. Only the coordinator hands out and takes back these rights.
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="delegations")
    step = models.CharField(_("stap"), max_length=20, choices=Step.choices)
    member = models.ForeignKey(
        "core.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("meeschrijver")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "step", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "step", "member"], name="one_delegation_per_member_and_step")
        ]
        verbose_name = _("meeschrijver")
        verbose_name_plural = _("meeschrijvers")

    def __str__(self):
        return f"{self.member} — {self.get_step_display()} (versie {self.version.number})"

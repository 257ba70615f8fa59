"""The shared knowledge base: national content, read by every municipality.

Content items ship as YAML in ``./content`` and are loaded by ``load_content``; national
editors change them in the product afterwards. Once an editor has changed an item
(``edited_in_product``), the loader leaves it alone so that no edit is silently lost.
Only :class:`Submission` belongs to one municipality and is scoped.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import OrganisationOwned


class Status(models.TextChoices):
    DRAFT = "draft", _("concept")
    PUBLISHED = "published", _("gepubliceerd")
    # Retired: no longer offered in pick lists or search, but its page and links keep working.
    RETIRED = "retired", _("buiten gebruik")


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """What may be chosen: pick lists and search offer only these."""
        return self.filter(status=Status.PUBLISHED)

    def readable(self):
        """What anyone may read: published items and retired ones (old links keep working)."""
        return self.filter(status__in=[Status.PUBLISHED, Status.RETIRED])


class ContentItem(models.Model):
    slug = models.SlugField(_("korte naam in adressen"), unique=True, max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    edited_in_product = models.BooleanField(
        default=False, editable=False, help_text="Set when an editor changed the item; the loader then skips it."
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.status == Status.RETIRED


class Theme(ContentItem):
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(_("samenvatting"), blank=True)
    body = models.TextField(_("inleiding"), blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:theme", kwargs={"slug": self.slug})


class Law(ContentItem):
    class Kind(models.TextChoices):
        WET = "wet", _("wet")
        BESLUIT = "besluit", _("besluit")
        REGELING = "regeling", _("regeling")
        NORM = "norm", _("norm")
        HANDREIKING = "handreiking", _("handreiking")
        VERORDENING = "verordening", _("verordening")
        EU_REGULATION = "verordening-eu", _("EU-verordening")
        EU_DIRECTIVE = "richtlijn-eu", _("EU-richtlijn")
        CIRCULAR = "circulaire", _("circulaire")
        GUIDELINE = "richtsnoer", _("richtsnoer")
        OTHER = "overig", _("overig")

    group = models.ForeignKey("LawGroup", on_delete=models.PROTECT, related_name="laws", verbose_name=_("groep"))
    also_in = models.ManyToManyField("LawGroup", blank=True, related_name="also_laws", verbose_name=_("ook in"))
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.WET)
    reference = models.CharField(_("vindplaats"), max_length=60, blank=True)
    url = models.URLField(_("adres"), blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    last_checked = models.DateField(_("laatst gecontroleerd"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="laws", verbose_name=_("thema's"))
    order = models.PositiveSmallIntegerField(default=0)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("vervangen door"),
        editable=False,
    )

    class Meta:
        ordering = ["group__order", "order", "name"]
        verbose_name = _("wet of norm")
        verbose_name_plural = _("wetten en normen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:laws") + f"#{self.slug}"

    def is_stale(self, today=None) -> bool:
        """Not checked for more than a year: the editors should look at it again."""
        if self.last_checked is None:
            return True
        today = today or timezone.localdate()
        return (today - self.last_checked).days > 365

    def in_force(self) -> "Law":
        """This law, or the successor that replaced it (followed to the last one)."""
        law, seen = self, {self.pk}
        while law.replaced_by_id and law.replaced_by_id not in seen:
            seen.add(law.replaced_by_id)
            law = law.replaced_by
        return law


class LawGroup(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    name = models.CharField(_("naam"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("groep wetten")
        verbose_name_plural = _("groepen wetten")

    def __str__(self):
        return self.name


class GlossaryTerm(ContentItem):
    term = models.CharField(_("begrip"), max_length=200)
    definition = models.TextField(_("definitie"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="terms", verbose_name=_("thema's"))
    related = models.ManyToManyField("self", blank=True, verbose_name=_("verwante begrippen"))

    class Meta:
        ordering = ["term"]
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippen")

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("knowledge:glossary") + f"#{self.slug}"


class BuildingBlock(ContentItem):
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="building_blocks", verbose_name=_("thema"))
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"), blank=True)
    what = models.TextField(_("wat is het"), blank=True)
    why = models.TextField(_("waarom"), blank=True)
    how_to_start = models.TextField(_("hoe begint u"), blank=True)
    pitfalls = models.TextField(_("valkuilen"), blank=True)
    good_looks_like = models.TextField(_("zo ziet goed eruit"), blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("verwante bouwstenen"))
    laws = models.ManyToManyField(Law, blank=True, related_name="building_blocks", verbose_name=_("wetten en normen"))
    terms = models.ManyToManyField(
        GlossaryTerm, blank=True, related_name="building_blocks", verbose_name=_("begrippen")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme__order", "order", "title"]
        verbose_name = _("bouwsteen")
        verbose_name_plural = _("bouwstenen")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:building_block", kwargs={"slug": self.slug})


class FieldExample(ContentItem):
    class Kind(models.TextChoices):
        EXAMPLE = "example", _("voorbeeld")
        TIP = "tip", _("tip")

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="examples", verbose_name=_("thema"))
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.EXAMPLE)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"))
    source = models.CharField(
        _("bron"), max_length=200, blank=True, help_text=_("Naam van de gemeente; leeg bij een anonieme bijdrage.")
    )

    class Meta:
        ordering = ["theme__order", "kind", "title"]
        verbose_name = _("voorbeeld of tip")
        verbose_name_plural = _("voorbeelden en tips")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:theme", kwargs={"slug": self.theme.slug}) + f"#{self.slug}"


# --- The catalogue for the strategic framework builder ---------------------------------------


class FrameworkStep(ContentItem):
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("naam"), max_length=120)
    explanation = models.TextField(_("toelichting"), blank=True)
    why = models.TextField(_("waarom"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("knowledge:steps") + f"#stap-{self.slug}"


class StepActivity(ContentItem):
    step = models.ForeignKey(FrameworkStep, on_delete=models.CASCADE, related_name="activities")
    text = models.TextField(_("activiteit"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step__number", "order"]
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("knowledge:steps") + f"#stap-{self.step.slug}"


class StepExample(ContentItem):
    step = models.ForeignKey(FrameworkStep, on_delete=models.CASCADE, related_name="examples")
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step__number", "order"]
        verbose_name = _("voorbeeldtekst")
        verbose_name_plural = _("voorbeeldteksten")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:steps") + f"#{self.slug}"


class ScopeElement(ContentItem):
    name = models.CharField(_("naam"), max_length=200)
    category = models.CharField(_("categorie"), max_length=60, blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "order", "name"]
        verbose_name = _("scope-onderdeel")
        verbose_name_plural = _("scope-onderdelen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:scope") + f"#{self.slug}"


class SecurityGoal(ContentItem):
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("beveiligingsdoel")
        verbose_name_plural = _("beveiligingsdoelen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:goals") + f"#{self.slug}"


class PrincipleCategory(ContentItem):
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("beschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("categorie uitgangspunten")
        verbose_name_plural = _("categorieën uitgangspunten")

    def __str__(self):
        return self.name


class Principle(ContentItem):
    category = models.ForeignKey(
        PrincipleCategory, on_delete=models.PROTECT, related_name="principles", verbose_name=_("categorie")
    )
    text = models.TextField(_("uitgangspunt"))
    goals = models.ManyToManyField(SecurityGoal, blank=True, related_name="principles", verbose_name=_("doelen"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__order", "order"]
        verbose_name = _("uitgangspunt")
        verbose_name_plural = _("uitgangspunten")

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("knowledge:principles") + f"#{self.slug}"


class PdcaStep(ContentItem):
    name = models.CharField(_("naam"), max_length=60)
    explanation = models.TextField(_("toelichting"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("PDCA-stap")
        verbose_name_plural = _("PDCA-stappen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:pdca") + f"#{self.slug}"


class GovernanceVariant(ContentItem):
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    suits_when = models.TextField(_("past als"), blank=True)
    pros = models.JSONField(_("voordelen"), default=list, blank=True)
    cons = models.JSONField(_("nadelen"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("governancevariant")
        verbose_name_plural = _("governancevarianten")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:governance") + f"#variant-{self.slug}"


# --- History, search and municipal submissions -------------------------------------------------


class Revision(models.Model):
    """One change an editor made to a content item: who, when, before and after."""

    item_type = models.CharField(max_length=100, db_index=True)
    item_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item_type", "item_id"])]
        verbose_name = _("versie")
        verbose_name_plural = _("versies")

    def __str__(self):
        return f"{self.item_type}#{self.item_id} {self.created_at:%Y-%m-%d %H:%M}"

    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        return [
            (k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)
        ]


class SearchDocument(models.Model):
    """One searchable item, denormalised: the search index the FTS table / tsvector reads.

    ``folded_*`` are lower-case copies without diacritics, so "continuiteit" finds
    "continuïteit" on every database without the unaccent extension.
    """

    kind = models.CharField(max_length=30, db_index=True)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    themes = models.CharField(max_length=500, blank=True, help_text="Space-delimited theme slugs, with edges.")
    folded_title = models.CharField(max_length=300)
    folded_body = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_item")]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class ExternalLink(models.Model):
    """An outside address the knowledge base refers to, with the outcome of the last link check.

    National content, not municipal: the link check (``knowledge.tasks.check_links``) fills it
    and the editors see the addresses that stopped answering.
    """

    url = models.URLField(_("adres"), max_length=500, unique=True)
    ok = models.BooleanField(_("bereikbaar"), null=True)  # None: not checked yet
    status_code = models.PositiveSmallIntegerField(_("antwoordcode"), null=True, blank=True)
    error = models.CharField(_("foutmelding"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    failing_since = models.DateTimeField(_("onbereikbaar sinds"), null=True, blank=True)
    used_by = models.JSONField(_("gebruikt in"), default=list, blank=True)  # [{"title": ..., "url": ...}]

    class Meta:
        ordering = ["url"]
        verbose_name = _("externe koppeling")
        verbose_name_plural = _("externe koppelingen")

    def __str__(self):
        return self.url


class Submission(OrganisationOwned):
    """An example or tip a municipality offers to the knowledge base."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("ingediend")
        PUBLISHED = "published", _("gepubliceerd")
        REJECTED = "rejected", _("afgewezen")

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+", verbose_name=_("thema"))
    kind = models.CharField(
        _("soort"), max_length=10, choices=FieldExample.Kind.choices, default=FieldExample.Kind.EXAMPLE
    )
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"))
    anonymous = models.BooleanField(
        _("anoniem delen"), default=True, help_text=_("Zonder de naam van uw gemeente publiceren.")
    )
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    reason = models.TextField(_("reden"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    example = models.ForeignKey(
        FieldExample, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")

    def __str__(self):
        return self.title


class Bio2Measure(models.Model):
    """A government measure (overheidsmaatregel) of the BIO2, by its number: national facts.

    Numbers, ISO/IEC 27002:2022 chapter and status ship in ``content/bio2-measures.tsv``; the
    description is written in our own words (the BIO2's own text is not reproduced) and the
    source is linked. Municipal measures, scan questions and the statement of applicability
    point here.
    """

    class Status(models.TextChoices):
        MEASURE = "measure", _("overheidsmaatregel")
        NO_GOVERNMENT_MEASURE = "no-government-measure", _("geen overheidsmaatregel")
        MOVED = "moved", _("verplaatst")
        WITHDRAWN = "withdrawn", _("vervallen")

    number = models.CharField(_("nummer"), max_length=12, unique=True)
    chapter = models.CharField(_("hoofdstuk"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.MEASURE)
    moved_to = models.CharField(_("verplaatst naar"), max_length=12, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "number"]
        verbose_name = _("BIO2-maatregel")
        verbose_name_plural = _("BIO2-maatregelen")

    def __str__(self):
        return self.number

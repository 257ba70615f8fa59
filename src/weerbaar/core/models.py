"""Organisations (gemeenten), memberships with roles, invitations and the audit trail.

Every model that belongs to one municipality inherits :class:`OrganisationOwned`, whose
manager is scoped by django-scopes: querying it outside an active scope raises.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .text import clean_line, clean_text

PROVINCES = [
    ("DR", "Drenthe"),
    ("FL", "Flevoland"),
    ("FR", "Fryslân"),
    ("GE", "Gelderland"),
    ("GR", "Groningen"),
    ("LI", "Limburg"),
    ("NB", "Noord-Brabant"),
    ("NH", "Noord-Holland"),
    ("OV", "Overijssel"),
    ("UT", "Utrecht"),
    ("ZE", "Zeeland"),
    ("ZH", "Zuid-Holland"),
]

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Geef een kleur op als #RRGGBB, bijvoorbeeld #154273."))


class Organisation(models.Model):
    """A municipality (gemeente): the tenant. Not scoped itself; everything below it is."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("korte naam in adressen"), max_length=60, unique=True)
    cbs_code = models.CharField(
        _("CBS-gemeentecode"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Een CBS-gemeentecode heeft de vorm GM0363."))],
    )
    province = models.CharField(_("provincie"), max_length=2, choices=PROVINCES, blank=True)
    inhabitants = models.PositiveIntegerField(
        _("aantal inwoners"),
        null=True,
        blank=True,
        help_text=_("Bepaalt de grootteklasse in de anonieme vergelijking met andere gemeenten."),
    )
    require_mfa = models.BooleanField(
        _("tweestapsverificatie verplicht"),
        default=False,
        help_text=_("Leden moeten tweestapsverificatie instellen voordat zij gegevens van deze gemeente zien."),
    )
    # House style: NL Design System tokens for this municipality (see core.templatetags).
    primary_colour = models.CharField(_("huisstijlkleur"), max_length=7, blank=True, validators=[hex_colour])
    primary_text_colour = models.CharField(
        _("tekstkleur op huisstijlkleur"), max_length=7, blank=True, validators=[hex_colour]
    )
    # The municipality's logo (PNG or SVG) for the page header and every document Weerbaar makes.
    # The file itself is in OrganisationLogo, so that loading the municipality on every request
    # does not load the picture too.
    logo_type = models.CharField(_("soort logo"), max_length=20, blank=True, editable=False)
    logo_updated_at = models.DateTimeField(_("logo gewijzigd op"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self):
        return self.name

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_type)


class OrganisationLogo(models.Model):
    """The logo file of one municipality, checked on upload (``documents.uploads.check_logo``).

    Reached only through its municipality (``organisation.logo_file``), never listed or looked
    up by its own id; changes are logged on the municipality (``logo_type``, ``logo_updated_at``).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="logo_file"
    )
    content = models.BinaryField()
    content_type = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logo's")

    def __str__(self):
        return str(self.organisation)


def clean_text_fields(instance: models.Model) -> None:
    """Remove control characters from every text field (see ``core.text``), before validation and saving."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and value:
                cleaned = clean_text(value) if isinstance(field, models.TextField) else clean_line(value)
                if cleaned != value:
                    setattr(instance, field.attname, cleaned)


@receiver(pre_save, dispatch_uid="weerbaar_clean_text_fields")
def _clean_text_before_save(sender, instance, raw=False, **kwargs):
    # Every model of Weerbaar's apps, whichever path wrote it (form, API, import, command).
    if not raw and sender.__module__.startswith("weerbaar."):
        clean_text_fields(instance)


class OrganisationOwned(models.Model):
    """Abstract base for all data of one municipality."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", editable=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        clean_text_fields(self)  # so that length limits count the text that will be stored
        super().clean_fields(exclude=exclude)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coördinator integrale beveiliging")
    EXPERT = "expert", _("Thema-expert")
    BOARD = "board", _("Bestuurder")
    AUDITOR = "auditor", _("Auditor")
    VIEWER = "viewer", _("Lezer")


class Membership(OrganisationOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    themes = models.ManyToManyField(
        "knowledge.Theme",
        blank=True,
        verbose_name=_("beperkt tot thema's"),
        help_text=_("Alleen voor thema-experts. Leeg laten betekent: alle thema's."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_exclude = {"last_used_at"}

    class Meta:
        ordering = ["user__email"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user")]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(OrganisationOwned):
    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    themes = models.ManyToManyField("knowledge.Theme", blank=True, verbose_name=_("beperkt tot thema's"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = {"token_hash"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self):
        return self.email

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return _("geaccepteerd")
        if self.revoked_at:
            return _("ingetrokken")
        if self.expires_at <= timezone.now():
            return _("verlopen")
        return _("open")


class AuditEntry(models.Model):
    """One recorded change: who, when, what, before and after. Never edited or deleted.

    Scoped like municipal data; entries of national objects have no organisation.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        DELETE = "delete", _("verwijderd")
        EVENT = "event", _("gebeurtenis")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    event = models.CharField(max_length=80, blank=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    via = models.CharField(max_length=10, blank=True)  # web, api, command

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")

    def changes(self) -> list[tuple[str, object, object]]:
        """Fields that differ between before and after, as (field, old, new)."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class DataVersion(models.Model):
    """A number that changes with every committed write to data a reader keeps answers of.

    ``scope`` is an organisation's id, or 0 for national content every municipality reads.
    The database changes the numbers itself, with triggers on the tables a cached answer is
    built from (see :mod:`weerbaar.core.dataversion`): no write can bypass them, not a bulk
    insert, not a cascade, not an import. No foreign key: the number outlives nothing it guards.
    """

    scope = models.BigIntegerField(primary_key=True)
    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("dataversie")

    def __str__(self) -> str:
        return f"{self.scope}: {self.number}"

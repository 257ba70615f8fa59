"""Users (e-mail login, no user name) and personal API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, OrganisationOwned


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("national_role", User.NationalRole.ADMINISTRATOR)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    class NationalRole(models.TextChoices):
        NONE = "", _("geen")
        EDITOR = "editor", _("Redacteur")
        ADMINISTRATOR = "administrator", _("Beheerder")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    national_role = models.CharField(
        _("landelijke rol"), max_length=20, choices=NationalRole.choices, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


TOKEN_PREFIX = "wb_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(OrganisationOwned):
    """A personal token for one membership: the API acts as that member in that municipality.

    Only the SHA-256 hash is stored; the token itself is shown once, at creation.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("omschrijving"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_exclude = {"token_hash", "last_used_at"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """A new raw token, its display prefix and its hash."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:10], hash_token(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class UserSession(models.Model):
    """One signed-in browser of a user: the index that 'Mijn sessies' and 'log out everywhere'
    need, since Django's session table cannot be searched by user without decoding every row.

    The session itself stays in Django's store; this row only describes it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity"]
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")

    def __str__(self):
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"


class OrganisationSSO(models.Model):
    """A municipality's own OpenID Connect provider (Entra ID, Keycloak, ...), set in the product.

    Users whose e-mail domain is listed are sent to this provider from the login page. The
    client secret is stored encrypted (``accounts.crypto``); it is never shown again. Read at
    login, before any municipality is chosen, so not scoped: only ``accounts.sso`` reads it.
    """

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="sso", editable=False
    )
    enabled = models.BooleanField(_("ingeschakeld"), default=True)
    name = models.CharField(
        _("naam op de inlogknop"), max_length=80, blank=True, help_text=_("Bijvoorbeeld: Account van de gemeente.")
    )
    issuer = models.URLField(
        _("adres van de identiteitsprovider (issuer)"),
        max_length=300,
        help_text=_("Het adres waaronder /.well-known/openid-configuration staat."),
    )
    client_id = models.CharField(_("client-ID"), max_length=200)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    email_domains = models.CharField(
        _("e-maildomeinen"),
        max_length=500,
        help_text=_("Gescheiden door komma's, bijvoorbeeld demostad.nl. Deze adressen loggen in via deze provider."),
    )
    allow_local_password = models.BooleanField(
        _("inloggen met wachtwoord blijft toegestaan"),
        default=False,
        help_text=_("Uit: gebruikers met een adres op deze domeinen kunnen alleen via de provider inloggen."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = {"updated_at", "client_secret_encrypted"}

    class Meta:
        verbose_name = _("eigen inlogprovider")
        verbose_name_plural = _("eigen inlogproviders")

    def __str__(self):
        return self.name or self.issuer

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]

    @property
    def provider_id(self) -> str:
        return f"gemeente-{self.organisation_id}"

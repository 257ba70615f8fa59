"""Writes for accounts: personal API tokens."""

import datetime
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core import audit
from weerbaar.core.models import Membership

from . import crypto
from .models import ApiToken, OrganisationSSO


def api_token_create(*, membership: Membership, name: str, valid_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw value, which is never retrievable again."""
    raw, prefix, token_hash = ApiToken.generate()
    expires_at = timezone.now() + datetime.timedelta(days=valid_days) if valid_days else None
    token = ApiToken(
        organisation=membership.organisation,
        membership=membership,
        name=name,
        prefix=prefix,
        token_hash=token_hash,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_event(instance=token, event="api_token.revoked")
    return token


DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def sso_save(*, organisation, membership: Membership, values: dict, client_secret: str = "") -> OrganisationSSO:
    """Create or change the municipality's own OpenID Connect provider (coordinator only)."""
    from weerbaar.core import permissions

    permissions.require(membership, "core.manage_settings")
    errors: dict[str, list[str]] = {}
    issuer = (values.get("issuer") or "").strip().rstrip("/")
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS):
        errors.setdefault("issuer", []).append(_("Gebruik een https-adres."))
    domains = [d.strip().lower() for d in (values.get("email_domains") or "").split(",") if d.strip()]
    if not domains:
        errors.setdefault("email_domains", []).append(_("Vul minstens één e-maildomein in, bijvoorbeeld demostad.nl."))
    for domain in domains:
        if not DOMAIN.match(domain):
            errors.setdefault("email_domains", []).append(_("'%(d)s' is geen geldig domein.") % {"d": domain})
    with transaction.atomic():
        config = OrganisationSSO.objects.select_for_update().filter(organisation=organisation).first()
        others = OrganisationSSO.objects.exclude(organisation=organisation)
        claimed = {d for other in others for d in other.domains} & set(domains)
        if claimed:
            errors.setdefault("email_domains", []).append(
                _("Dit domein is al in gebruik bij een andere gemeente: %(d)s.") % {"d": ", ".join(sorted(claimed))}
            )
        if config is None and not client_secret:
            errors.setdefault("client_secret", []).append(_("Vul het clientgeheim in."))
        if errors:
            raise ValidationError(errors)
        config = config or OrganisationSSO(organisation=organisation)
        for field in ("enabled", "name", "client_id", "allow_local_password"):
            setattr(config, field, values.get(field, getattr(config, field)))
        config.issuer = issuer
        config.email_domains = ", ".join(domains)
        if client_secret:
            config.client_secret_encrypted = crypto.encrypt(client_secret)
        config.full_clean()
        config.save()
        audit.record_event(instance=config, event="sso_configured", data={"issuer": issuer, "domains": domains})
    return config

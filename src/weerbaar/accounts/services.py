"""Writes for accounts: personal API tokens."""

import datetime

from django.utils import timezone

from weerbaar.core import audit
from weerbaar.core.models import Membership

from .models import ApiToken


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

"""Reads for accounts: API token lookup (the API's tenancy entry point) and a user's tokens."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.core.models import Membership

from .models import TOKEN_PREFIX, ApiToken, hash_token
from .security import api_token_used


def api_token_for_request(request) -> ApiToken | None:
    """The active token in the ``Authorization: Bearer`` header, or None.

    This is the API's tenancy lookup: it runs before a scope exists, so it opens
    ``scopes_disabled`` for the one row the hash points at.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw.startswith(TOKEN_PREFIX):
        return None
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related("membership__user", "membership__organisation")
            .filter(token_hash=hash_token(raw))
            .first()
        )
    if token is None or not token.is_active or not token.membership.user.is_active:
        return None
    if mark_token_used(token):
        api_token_used(request, token)
    return token


#: ``last_used_at`` is shown to the member to the minute; writing it on every call would turn
#: each read into a write (and with SQLite serialise the workers), so it is written once a minute.
TOKEN_USE_RESOLUTION = datetime.timedelta(seconds=60)


def mark_token_used(token: ApiToken) -> bool:
    """Record the token's use at most once per ``TOKEN_USE_RESOLUTION``; True when this call wrote it.

    Compared first with the value loaded with the token (no query at all); the UPDATE itself is
    conditional, so of concurrent workers that both saw an old value only one writes.
    """
    now = timezone.now()
    cutoff = now - TOKEN_USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at >= cutoff:
        return False
    token.last_used_at = now
    with scopes_disabled():
        written = ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=cutoff), pk=token.pk
        ).update(last_used_at=now)
    return bool(written)


def tokens_of_member(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership).order_by("-created_at")

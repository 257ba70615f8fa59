"""Reads for accounts: API token lookup (the API's tenancy entry point) and a user's tokens."""

from django.db.models import QuerySet
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
    api_token_used(request, token)
    return token


def tokens_of_member(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership).order_by("-created_at")

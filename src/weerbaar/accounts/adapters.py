"""allauth adapters: no open sign-up; accounts come from invitations or single sign-on.

Failed logins are counted per address *and* client (IP address, through the trusted proxy
settings ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER): someone who guesses
passwords for an address slows down only their own attempts, and the owner of the address can
still log in from their own computer. A client that used up its attempts gets a Dutch 429 page
that says how long to wait.
"""

import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.urls import reverse
from django_scopes import scopes_disabled

LOGIN_FAILED = {"app": "allauth.account", "action": "login_failed"}


def login_attempts_key(request, login: str) -> str:
    """The rate-limit key of failed logins: the address (trimmed, lower case) and the client.

    Not the Host header, as allauth's own key has: a client could pick a fresh count per host.
    """
    return f"{(login or '').strip().lower()}:{ratelimit.get_ip(request)}"


def seconds_until_retry(request, key: str) -> int:
    """How long until the exhausted login_failed limits for this key and client free a slot."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(**LOGIN_FAILED):
        cache_key = ratelimit.get_cache_key(request, rate=rate, key=key, **LOGIN_FAILED)
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            wait = max(wait, min(history) + rate.duration - now)
    return max(1, math.ceil(wait))


def too_many_attempts_response(request, seconds: int) -> TemplateResponse:
    minutes = math.ceil(seconds / 60)
    response = TemplateResponse(
        request, "429.html", {"retry_after": seconds, "retry_after_minutes": minutes}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response.render()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Members join through an invitation (core.views.accept_invitation).
        return False

    def get_login_redirect_url(self, request):
        return reverse("core:home")

    def _get_login_attempts_cache_key(self, request, **credentials):
        return login_attempts_key(request, credentials.get("email", credentials.get("username", "")))

    def pre_authenticate(self, request, **credentials):
        from .sso import config_for_email

        config = config_for_email(credentials.get("email", ""))
        if config is not None and not config.allow_local_password:
            # This municipality signs its people in itself: no password check here, go there.
            from .views import start_sso

            raise ImmediateHttpResponse(start_sso(request, config))
        key = self._get_login_attempts_cache_key(request, **credentials)
        self._login_failed_rl_usage = ratelimit.consume(request, key=key, **LOGIN_FAILED)
        if not self._login_failed_rl_usage:
            from .security import security_event

            security_event("login_locked_out", request=request)
            # A page of its own (429, Retry-After) rather than a form error that looks like a
            # wrong password; allauth's middleware answers with it.
            raise ImmediateHttpResponse(too_many_attempts_response(request, seconds_until_retry(request, key)))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """The platform-wide providers plus every municipality's own (``accounts.sso``)."""
        from .sso import social_apps

        return [*super().list_apps(request, provider=provider, client_id=client_id), *social_apps(provider, client_id)]

    def list_providers(self, request):
        """The login page's buttons: platform providers only; a municipality's is chosen by e-mail domain."""
        from .sso import MUNICIPAL_FLAG

        return [p for p in super().list_providers(request) if not p.app.settings.get(MUNICIPAL_FLAG)]

    def is_open_for_signup(self, request, sociallogin):
        """An SSO login may create an account only for an address with an open invitation."""
        from weerbaar.core.models import Invitation

        email = (sociallogin.user.email or "").lower()
        if not email:
            return False
        with scopes_disabled():
            return any(inv.is_open for inv in Invitation.objects.filter(email__iexact=email))

"""Single sign-on per municipality: which provider an e-mail address goes to, and allauth's apps.

allauth knows OpenID Connect "apps" from settings (the platform-wide ``OIDC_PROVIDERS``) and
from here: every enabled :class:`OrganisationSSO` becomes an unsaved ``SocialApp`` with the
provider id ``gemeente-<id>`` (see ``adapters.SocialAccountAdapter.list_apps``), so allauth's own
views (callback, token exchange, id-token check) do the protocol and no flow is hand-written.
"""

from urllib.parse import urlsplit

from django.urls import reverse

from . import crypto
from .models import OrganisationSSO

MUNICIPAL_FLAG = "weerbaar_municipal"


def enabled_configs():
    return OrganisationSSO.objects.filter(enabled=True).select_related("organisation")


def config_for_email(email: str) -> OrganisationSSO | None:
    """The enabled provider whose domains hold this address, or None."""
    domain = (email or "").rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""
    if not domain:
        return None
    for config in enabled_configs().filter(email_domains__icontains=domain):
        if domain in config.domains:
            return config
    return None


def social_app(config: OrganisationSSO):
    from allauth.socialaccount.models import SocialApp

    secret = crypto.decrypt(config.client_secret_encrypted)
    return SocialApp(
        provider="openid_connect",
        provider_id=config.provider_id,
        name=config.name or config.organisation.name,
        client_id=config.client_id,
        secret=secret or "",
        settings={"server_url": config.issuer, "oauth_pkce_enabled": True, MUNICIPAL_FLAG: True, "hidden": True},
    )


def social_apps(provider=None, client_id=None) -> list:
    apps = []
    for config in enabled_configs():
        if provider and provider not in ("openid_connect", config.provider_id):
            continue
        if client_id and client_id != config.client_id:
            continue
        apps.append(social_app(config))
    return apps


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def issuer_origins() -> list[str]:
    return sorted({origin(issuer) for issuer in enabled_configs().values_list("issuer", flat=True)})


class FormActionMiddleware:
    """Lets the login page's forms lead to the municipalities' providers.

    Chromium applies CSP ``form-action`` to the redirect after a form is posted, so the page
    with the login forms must list every provider's origin; other pages keep ``form-action 'self'``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path in (reverse("account_login"), reverse("accounts:sso_start")):
            origins = issuer_origins()
            if origins:
                response._csp_update = {"form-action": origins}
        return response

"""Two-factor policy: a municipality can make TOTP mandatory for its members.

Users who signed in through their municipality's identity provider (SSO) are exempt: the
identity provider already did the second factor.
"""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.template.response import TemplateResponse


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def signed_in_with_sso(request) -> bool:
    return any(r.get("method") == "socialaccount" for r in get_authentication_records(request, request.user))


def mfa_required_redirect(request):
    """A page that asks for two-factor set-up, or None when the member may go on."""
    organisation = request.organisation
    if not organisation.require_mfa or signed_in_with_sso(request) or user_has_mfa(request.user):
        return None
    response = TemplateResponse(
        request,
        "accounts/mfa_required.html",
        {"organisation": organisation, "next": request.get_full_path()},
        status=403,
    )
    return response.render()

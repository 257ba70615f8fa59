"""allauth adapters: no open sign-up; accounts come from invitations or single sign-on."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse
from django_scopes import scopes_disabled


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Members join through an invitation (core.views.accept_invitation).
        return False

    def get_login_redirect_url(self, request):
        return reverse("core:home")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """An SSO login may create an account only for an address with an open invitation."""
        from weerbaar.core.models import Invitation

        email = (sociallogin.user.email or "").lower()
        if not email:
            return False
        with scopes_disabled():
            return any(inv.is_open for inv in Invitation.objects.filter(email__iexact=email))

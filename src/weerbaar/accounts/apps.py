from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "weerbaar.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from weerbaar.core.registry import api_authenticators, membership_gates

        from . import signals  # noqa: F401 - connects the receivers
        from .mfa import mfa_required_redirect
        from .selectors import api_token_for_request

        membership_gates.register("mfa", mfa_required_redirect, order=10)
        api_authenticators.register("api-token", api_token_for_request, order=10)

from django.urls import reverse


def municipal_sso(request):
    """The "log in via your municipality" form, on the login page only, when a municipality set one up."""
    if request.path != reverse("account_login"):
        return {}
    from .forms import SSOStartForm
    from .sso import enabled_configs

    return {"municipal_sso": SSOStartForm(prefix="sso") if enabled_configs().exists() else None}

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.core.decorators import apply_validation_error, org_permission
from weerbaar.core.forms import ApiTokenForm

from . import crypto, selectors, services, sso
from .forms import SSOSettingsForm, SSOStartForm
from .models import ApiToken, OrganisationSSO, UserSession


@org_permission("core.use_api")
def api_tokens(request, org):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = services.api_token_create(
            membership=request.membership, name=form.cleaned_data["name"], valid_days=form.cleaned_data["valid_days"]
        )
        messages.success(request, _("API-sleutel aangemaakt. Kopieer hem nu: hij wordt niet nog eens getoond."))
        form = ApiTokenForm()
    return TemplateResponse(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.tokens_of_member(membership=request.membership), "new_token": new_token},
        status=400 if form.errors else 200,
    )


@require_POST
@org_permission("core.use_api")
def api_token_revoke(request, org, pk):
    # Only the member's own tokens: another member's token id is a 404 as well.
    token = get_object_or_404(ApiToken, pk=pk, membership=request.membership)
    services.api_token_revoke(token=token)
    messages.success(request, _("De API-sleutel '%(name)s' is ingetrokken.") % {"name": token.name})
    return redirect("accounts:api_tokens", org=org)


def my_sessions(request):
    from .sessions import active_sessions, describe_user_agent

    current = request.session.session_key
    rows = active_sessions(request.user)
    for row in rows:
        row.device = describe_user_agent(row.user_agent)
        row.is_current = row.session_key == current
    rows.sort(key=lambda r: not r.is_current)  # this browser first
    return TemplateResponse(request, "accounts/sessions.html", {"user_sessions": rows})


@require_POST
def my_session_end(request, pk):
    from .security import security_event
    from .sessions import end_session

    # Only the user's own sessions, and not the current one (that is "Uitloggen").
    row = get_object_or_404(UserSession, pk=pk, user=request.user)
    if row.session_key != request.session.session_key:
        end_session(row)
        security_event("session_ended", request=request, user=request.user, sessions_ended=1)
        messages.success(request, _("De sessie is beëindigd."))
    return redirect("accounts:sessions")


@require_POST
def my_sessions_end_others(request):
    from .security import security_event
    from .sessions import end_other_sessions

    ended = end_other_sessions(request.user, keep_request=request)
    security_event("session_ended", request=request, user=request.user, sessions_ended=ended)
    messages.success(request, _("Uw andere sessies zijn beëindigd."))
    return redirect("accounts:sessions")


# --- Single sign-on per municipality ----------------------------------------------------------


def start_sso(request, config):
    """Send the browser to the municipality's provider (allauth builds the request, with PKCE and state)."""
    from allauth.socialaccount.adapter import get_adapter as get_social_adapter

    provider = get_social_adapter(request).get_provider(request, config.provider_id)
    return provider.redirect(request, process="login")


@login_not_required
@require_POST
def sso_start(request):
    form = SSOStartForm(request.POST, prefix="sso")
    if form.is_valid():
        config = sso.config_for_email(form.cleaned_data["email"])
        if config is not None:
            return start_sso(request, config)
        form.add_error(
            "email", _("Voor dit e-mailadres is geen inlog via de eigen gemeente ingesteld. Log in met uw wachtwoord.")
        )
    return TemplateResponse(request, "accounts/sso_start.html", {"form": form}, status=400)


@org_permission("manage_settings")
def sso_settings(request, org):
    config = OrganisationSSO.objects.filter(organisation=request.organisation).first()
    form = SSOSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            services.sso_save(
                organisation=request.organisation,
                membership=request.membership,
                values={k: form.cleaned_data[k] for k in SSOSettingsForm.Meta.fields},
                client_secret=form.cleaned_data["client_secret"],
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("De inlog via de eigen provider is opgeslagen."))
            return redirect("accounts:sso_settings", org=org)
    secret_unreadable = bool(
        config and config.client_secret_encrypted and crypto.decrypt(config.client_secret_encrypted) is None
    )
    callback = request.build_absolute_uri(
        reverse("openid_connect_callback", kwargs={"provider_id": config.provider_id}) if config else "/"
    )
    return TemplateResponse(
        request,
        "accounts/sso_settings.html",
        {
            "form": form,
            "config": config,
            "callback_url": callback if config else "",
            "secret_unreadable": secret_unreadable,
        },
        status=400 if form.errors else 200,
    )

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.core.decorators import org_permission
from weerbaar.core.forms import ApiTokenForm

from . import selectors, services
from .models import ApiToken


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

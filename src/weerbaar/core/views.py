"""Thin views for the municipal workspace: home, members, invitations, audit trail, settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from . import dashboard as dashboard_cards
from . import permissions, selectors, services
from .decorators import apply_validation_error as _apply_validation_error
from .decorators import org_permission
from .forms import (
    AuditFilterForm,
    InvitationAcceptForm,
    InvitationForm,
    MembershipForm,
    OrganisationCreateForm,
    OrganisationSettingsForm,
)
from .models import AuditEntry, Invitation, Membership, Organisation, Role
from .registry import board_sections


@login_not_required
def home(request):
    if not request.user.is_authenticated:
        # Visitors start where Weerbaar is explained and the open knowledge base begins.
        return redirect(settings.VISITOR_START_URL_NAME)
    memberships = selectors.user_memberships_across_organisations(user=request.user)
    slugs = [m.organisation.slug for m in memberships]
    chosen = request.GET.get("gemeente")
    if chosen in slugs:
        return redirect("core:dashboard", org=chosen)
    last = request.session.get("last_organisation")
    if last in slugs:
        return redirect("core:dashboard", org=last)
    if len(memberships) == 1:
        return redirect("core:dashboard", org=slugs[0])
    return TemplateResponse(request, "core/home.html", {"memberships": memberships})


@org_permission("view")
def dashboard(request, org):
    members = selectors.organisation_members(organisation=request.organisation)
    membership = request.membership
    context = {
        "cards": dashboard_cards.cards_for(request),
        "member_count": members.count(),
        "role_text": dashboard_cards.role_text(membership),
        "my_themes": list(membership.themes.all()) if membership.role == Role.EXPERT else [],
    }
    if membership.role == Role.BOARD:
        # The board decides and oversees: the risk picture and what waits for them, not the work log.
        sections = (section(request) for section in board_sections)
        context["sections"] = [
            {
                "title": s.title,
                "html": render_to_string(s.template, {**s.context, "organisation": request.organisation}, request),
            }
            for s in sections
            if s is not None
        ]
        return TemplateResponse(request, "core/board.html", context)
    context["recent"] = _recent_changes(request)
    return TemplateResponse(request, "core/dashboard.html", context)


def _recent_changes(request):
    if not permissions.allowed(request.membership, "core.view_audit"):
        return None
    return list(selectors.audit_entries(organisation=request.organisation)[:5])


@org_permission("view")
def members(request, org):
    organisation = request.organisation
    can_manage = permissions.allowed(request.membership, "core.manage_members")
    form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        permissions.require(request.membership, "core.manage_members")
        if form.is_valid():
            try:
                services.invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    themes=form.cleaned_data["themes"],
                    invited_by=request.user,
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as e:
                _apply_validation_error(form, e)
            else:
                messages.success(
                    request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("core:members", org=org)
    return TemplateResponse(
        request,
        "core/members.html",
        {
            "page": selectors.paginate(
                selectors.organisation_members(organisation=organisation),
                page=request.GET.get("pagina"),
                per_page=50,
            ),
            "invitations": selectors.open_invitations(organisation=organisation) if can_manage else [],
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if form is not None and form.errors else 200,
    )


@org_permission("manage_members")
def member_edit(request, org, pk):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    initial = {"role": membership.role, "themes": list(membership.themes.all())}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, role=form.cleaned_data["role"], themes=form.cleaned_data["themes"]
            )
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("De rol van %(name)s is bijgewerkt.") % {"name": membership.user})
            return redirect("core:members", org=org)
    return TemplateResponse(
        request,
        "core/member_edit.html",
        {"member": membership, "form": form},
        status=400 if form.errors else 200,
    )


@org_permission("manage_members")
def member_remove(request, org, pk):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as e:
            error = e.messages[0]
        else:
            messages.success(request, _("%(name)s is geen lid meer van deze gemeente.") % {"name": membership.user})
            return redirect("core:members", org=org)
    return TemplateResponse(
        request, "core/member_remove.html", {"member": membership, "error": error}, status=400 if error else 200
    )


@require_POST
@org_permission("manage_members")
def invitation_revoke(request, org, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email})
    return redirect("core:members", org=org)


@org_permission("view_audit")
def audit_log(request, org):
    organisation = request.organisation
    form = AuditFilterForm(
        request.GET or None,
        actors=selectors.organisation_members(organisation=organisation),
        object_types=selectors.audit_object_types(organisation=organisation),
    )
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor_id": data["actor"],
            "action": data["action"],
            "object_type": data["object_type"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "query": data["q"],
        }
    page = selectors.paginate(
        selectors.audit_entries(organisation=organisation, **filters), page=request.GET.get("pagina"), per_page=50
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    template = (
        "core/_audit_table.html" if request.htmx and request.htmx.target == "audit-results" else "core/audit.html"
    )
    return TemplateResponse(request, template, {"form": form, "page": page, "query": query.urlencode()})


@org_permission("view_audit")
def audit_detail(request, org, pk):
    entry = get_object_or_404(AuditEntry.objects.select_related("actor"), pk=pk)
    return TemplateResponse(request, "core/audit_detail.html", {"entry": entry})


@org_permission("manage_settings")
def organisation_settings(request, org):
    organisation = request.organisation
    form = OrganisationSettingsForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fresh = Organisation.objects.get(pk=organisation.pk)
        services.organisation_update(organisation=fresh, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        if form.cleaned_data.get("logo"):
            name, content = form.cleaned_data["logo"]
            services.organisation_logo_set(organisation=fresh, name=name, content=content)
        elif form.cleaned_data.get("remove_logo") and fresh.has_logo:
            services.organisation_logo_remove(organisation=fresh)
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("core:settings", org=org)
    return TemplateResponse(request, "core/settings.html", {"form": form}, status=400 if form.errors else 200)


@org_permission("view")
def organisation_logo(request, org):
    """The logo for the page header. An SVG gets a policy that forbids scripts and fetching even if
    opened on its own (it was checked on upload; this is the second lock)."""
    from .logo import logo_of

    logo = logo_of(request.organisation)
    if logo is None:
        raise Http404
    response = HttpResponse(bytes(logo.content), content_type=logo.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_not_required
def invitation_accept(request, token):
    with scopes_disabled():  # the token is the key: look up its one invitation, nothing else
        invitation = Invitation.objects.select_related("organisation").filter(token_hash=Invitation.hash(token)).first()
    if invitation is None or not invitation.is_open:
        return render(request, "core/invitation_invalid.html", status=404)
    # The URL names no municipality, so the invitation decides the scope.
    with scope(organisation=invitation.organisation_id):
        return _invitation_accept(request, invitation)


def _invitation_accept(request, invitation):
    organisation = invitation.organisation
    from django.contrib.auth import get_user_model

    existing_user = get_user_model().objects.filter(email__iexact=invitation.email).first()
    error = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as e:
                error = e.messages[0]
            else:
                messages.success(request, _("Welkom bij %(org)s.") % {"org": organisation.name})
                return redirect("core:dashboard", org=organisation.slug)
        return render(
            request,
            "core/invitation_accept.html",
            {"invitation": invitation, "organisation": organisation, "error": error, "mode": "confirm"},
            status=400 if error else 200,
        )
    if existing_user is not None:
        login_url = reverse("account_login") + "?next=" + request.path
        return render(
            request,
            "core/invitation_accept.html",
            {"invitation": invitation, "organisation": organisation, "mode": "login", "login_url": login_url},
        )
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = services.user_create_from_invitation(
            invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Uw account is aangemaakt. Welkom bij %(org)s.") % {"org": organisation.name})
        return redirect("core:dashboard", org=organisation.slug)
    return render(
        request,
        "core/invitation_accept.html",
        {"invitation": invitation, "organisation": organisation, "form": form, "mode": "signup"},
        status=400 if form.errors else 200,
    )


def organisations_admin(request):
    """National administrators create municipalities; they do not see municipal data."""
    permissions.require(request.user, "core.national_administrator")
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = services.organisation_create(**form.cleaned_data)
        messages.success(request, _("Gemeente %(name)s is aangemaakt.") % {"name": org.name})
        return redirect("core:organisations_admin")
    page = selectors.paginate(Organisation.objects.order_by("name"), page=request.GET.get("pagina"), per_page=50)
    return TemplateResponse(
        request, "core/organisations_admin.html", {"form": form, "page": page}, status=400 if form.errors else 200
    )


@login_not_required
def accessibility(request):
    return TemplateResponse(request, "core/accessibility.html")


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request):
    # No database, no context processors: the 500 page must render whatever broke.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({}))

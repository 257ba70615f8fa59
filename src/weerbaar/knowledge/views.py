"""The knowledge base pages: thin views over selectors and services."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.core import permissions
from weerbaar.core.decorators import apply_validation_error as _apply_validation_error
from weerbaar.core.decorators import org_permission

from . import selectors, services
from .forms import (
    BuildingBlockForm,
    FieldExampleForm,
    FrameworkStepForm,
    GlossaryTermForm,
    GovernanceVariantForm,
    LawFilterForm,
    LawForm,
    LawReplaceForm,
    PdcaStepForm,
    PrincipleForm,
    RejectForm,
    ScopeElementForm,
    SearchForm,
    SecurityGoalForm,
    SubmissionForm,
    ThemeForm,
)
from .models import (
    BuildingBlock,
    GovernanceVariant,
    Law,
    PdcaStep,
    ScopeElement,
    SecurityGoal,
    Status,
    Submission,
    Theme,
)
from .search import KINDS

# Anonymous visitors may search this often per client address (allauth's rate-limit format:
# amount/period/per), kept in the shared cache like the login limit.
ANONYMOUS_SEARCH_RATE = getattr(settings, "KNOWLEDGE_ANONYMOUS_SEARCH_RATE", "30/1m/ip,300/1h/ip")


# --- Open to everyone: the knowledge base is for municipalities not yet working in Weerbaar too.


@login_not_required
def welcome(request):
    """The start page for visitors: what Weerbaar is and how a municipality joins."""
    return TemplateResponse(
        request,
        "knowledge/welcome.html",
        {"themes": selectors.themes_overview(user=request.user), "search_form": SearchForm()},
    )


@login_not_required
def index(request):
    return TemplateResponse(
        request,
        "knowledge/index.html",
        {"themes": selectors.themes_overview(user=request.user), "search_form": SearchForm()},
    )


@login_not_required
def theme(request, slug):
    item = get_object_or_404(selectors.visible(Theme.objects.all(), request.user), slug=slug)
    return TemplateResponse(
        request, "knowledge/theme.html", {"theme": item, **selectors.theme_page(theme=item, user=request.user)}
    )


@login_not_required
def building_block(request, slug):
    qs = selectors.visible(BuildingBlock.objects.select_related("theme", "updated_by"), request.user)
    block = get_object_or_404(qs, slug=slug)
    context = {"building_block": block, **selectors.building_block_detail(block=block, user=request.user)}
    if permissions.allowed(request.user, "knowledge.edit"):
        context["revisions"] = services.revisions_for(block)[:20]
    return TemplateResponse(request, "knowledge/building_block.html", context)


@login_not_required
def glossary(request):
    return TemplateResponse(request, "knowledge/glossary.html", {"terms": selectors.glossary(user=request.user)})


@login_not_required
def laws(request):
    form = LawFilterForm(request.GET or None, kinds=selectors.law_kinds_in_use())
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"name": data["naam"].strip(), "group": data["groep"], "kind": data["soort"], "theme": data["thema"]}
    groups = selectors.law_groups(user=request.user, **filters)
    editor = permissions.allowed(request.user, "knowledge.edit")
    return TemplateResponse(
        request,
        "knowledge/laws.html",
        {
            "groups": groups,
            "broken_urls": set(selectors.broken_links().values_list("url", flat=True)) if editor else set(),
            "form": form,
            "filtered": any(filters.values()),
            "law_count": sum(len(g.law_list) for g in groups),
        },
    )


@login_not_required
def steps(request):
    return TemplateResponse(request, "knowledge/steps.html", {"steps": selectors.steps(user=request.user)})


@login_not_required
def scope(request):
    items = selectors.visible(ScopeElement.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/scope.html", {"items": items})


@login_not_required
def goals(request):
    items = selectors.visible(SecurityGoal.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/goals.html", {"goals": items})


@login_not_required
def principles(request):
    categories = selectors.principles_by_category(user=request.user)
    return TemplateResponse(request, "knowledge/principles.html", {"categories": categories})


@login_not_required
def pdca(request):
    items = selectors.visible(PdcaStep.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/pdca.html", {"items": items})


@login_not_required
def governance(request):
    items = selectors.visible(GovernanceVariant.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/governance.html", {"items": items})


@login_not_required
def search(request):
    form = SearchForm(request.GET or None)
    page, terms, filters, suggestion = None, [], {}, None
    if form.is_valid() and form.cleaned_data["q"]:
        if not request.user.is_authenticated and not _anonymous_search_allowed(request):
            response = TemplateResponse(request, "429.html", {}, status=429)
            response["Retry-After"] = "60"
            return response
        theme_obj = form.cleaned_data["thema"]
        filters = {"kind": form.cleaned_data["soort"], "theme": theme_obj.slug if theme_obj else ""}
        page, terms = selectors.search_page(query=form.cleaned_data["q"], page=request.GET.get("pagina"), **filters)
        if not page.paginator.count:
            suggestion = selectors.search_suggestion(query=form.cleaned_data["q"], **filters)
    query = request.GET.copy()
    query.pop("pagina", None)
    suggestion_query = None
    if suggestion:
        suggested = query.copy()
        suggested["q"] = suggestion
        suggestion_query = suggested.urlencode()
    return TemplateResponse(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "page": page,
            "terms": terms,
            "query": query.urlencode(),
            "kinds": KINDS,
            "suggestion": suggestion,
            "suggestion_query": suggestion_query,
        },
    )


def _anonymous_search_allowed(request) -> bool:
    from allauth.core.internal import ratelimit

    usage = ratelimit.consume(
        request,
        app="weerbaar.knowledge",
        action="anonymous_search",
        config={"anonymous_search": ANONYMOUS_SEARCH_RATE},
        limit_get=True,
    )
    return usage is not None


# --- Editors -----------------------------------------------------------------------------------

EDITABLE = {
    "building_block": BuildingBlockForm,
    "term": GlossaryTermForm,
    "law": LawForm,
    "example": FieldExampleForm,
    "theme": ThemeForm,
    "step": FrameworkStepForm,
    "scope_element": ScopeElementForm,
    "goal": SecurityGoalForm,
    "principle": PrincipleForm,
    "pdca": PdcaStepForm,
    "governance": GovernanceVariantForm,
}


# What editors may add in the product (the rest ships with the content files).
CREATABLE = ("law", "building_block", "term", "example", "goal", "principle")


def edit(request, slug, kind):
    """Editors change a content item; every change becomes a revision shown below the form."""
    permissions.require(request.user, "knowledge.edit")
    form_class = EDITABLE[kind]
    model = form_class._meta.model
    item = get_object_or_404(model, slug=slug)
    form = form_class(request.POST or None, instance=model.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.content_update(item=item, user=request.user, data=form.changes())
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("%(item)s is opgeslagen.") % {"item": item})
            return redirect(item.get_absolute_url())
    return TemplateResponse(
        request,
        "knowledge/edit.html",
        {
            "item": item,
            "kind": kind,
            "form": form,
            "revisions": services.revisions_for(item)[:50],
            "verbose_name": model._meta.verbose_name,
            "status_url": reverse(f"knowledge:{kind}_status", kwargs={"slug": item.slug}),
            "statuses": Status,
        },
        status=400 if form.errors else 200,
    )


def create(request, kind):
    """Editors add a new law, building block, term, example, goal or principle."""
    permissions.require(request.user, "knowledge.edit")
    form_class = EDITABLE[kind]
    model = form_class._meta.model
    initial = {"status": Status.DRAFT}
    if request.GET.get("thema") and "theme" in form_class._meta.fields:
        initial["theme"] = Theme.objects.filter(slug=request.GET["thema"]).first()
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.content_create(model=model, user=request.user, data=form.changes())
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("%(item)s is toegevoegd.") % {"item": item})
            return redirect(item.get_absolute_url())
    return TemplateResponse(
        request,
        "knowledge/edit.html",
        {"item": None, "kind": kind, "form": form, "verbose_name": model._meta.verbose_name},
        status=400 if form.errors else 200,
    )


def law_replace(request, slug):
    """Mark a law as replaced by its successor."""
    permissions.require(request.user, "knowledge.edit")
    law = get_object_or_404(Law.objects.select_related("replaced_by"), slug=slug)
    form = LawReplaceForm(request.POST or None, law=law)
    if request.method == "POST" and form.is_valid():
        try:
            services.law_replace(law=law, successor=form.cleaned_data["successor"], user=request.user)
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("%(law)s is vervangen door %(successor)s.")
                % {"law": law.name, "successor": form.cleaned_data["successor"].name},
            )
            return redirect(law.get_absolute_url())
    return TemplateResponse(
        request, "knowledge/law_replace.html", {"law": law, "form": form}, status=400 if form.errors else 200
    )


def links(request):
    """The link check: outside addresses that stopped answering, and a button to check now."""
    permissions.require(request.user, "knowledge.edit")
    if request.method == "POST":
        from .tasks import check_links

        result = check_links.enqueue()
        if result.is_finished:
            messages.success(request, _("De koppelingen zijn gecontroleerd."))
        else:
            messages.success(request, _("De controle is gestart. Vernieuw deze pagina over een paar minuten."))
        return redirect("knowledge:links")
    return TemplateResponse(
        request,
        "knowledge/links.html",
        {"broken": selectors.broken_links(), "last": selectors.last_link_check()},
    )


def review(request):
    permissions.require(request.user, "knowledge.edit")
    return TemplateResponse(
        request,
        "knowledge/review.html",
        {"submissions": selectors.submissions_for_review_across_organisations()},
    )


def review_detail(request, pk):
    permissions.require(request.user, "knowledge.edit")
    submission = selectors.submission_for_review_across_organisations(pk=pk)
    if submission is None:
        raise Http404
    action = request.POST.get("action")
    reject_form = RejectForm(request.POST if action == "reject" else None)
    error = None
    if request.method == "POST":
        try:
            if action == "publish":
                example = services.submission_publish(submission=submission, user=request.user)
                messages.success(request, _("De bijdrage is gepubliceerd als %(title)s.") % {"title": example.title})
                return redirect("knowledge:review")
            if reject_form.is_valid():
                services.submission_reject(
                    submission=submission, user=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("De bijdrage is afgewezen; de gemeente ziet de reden."))
                return redirect("knowledge:review")
        except ValidationError as e:
            error = " ".join(e.messages)
    return TemplateResponse(
        request,
        "knowledge/review_detail.html",
        {"submission": submission, "reject_form": reject_form, "error": error},
        status=400 if error or reject_form.errors else 200,
    )


# --- Municipal submissions ---------------------------------------------------------------------


@org_permission("view")
def submissions(request, org):
    can_submit = permissions.allowed(request.membership, "knowledge.submit")
    form = SubmissionForm(request.POST or None, membership=request.membership) if can_submit else None
    if request.method == "POST":
        permissions.require(request.membership, "knowledge.submit")
        if form.is_valid():
            try:
                services.submission_create(
                    organisation=request.organisation, membership=request.membership, **form.cleaned_data
                )
            except ValidationError as e:
                _apply_validation_error(form, e)
            else:
                messages.success(request, _("Dank u wel. De redactie beoordeelt uw bijdrage."))
                return redirect("knowledge:submissions", org=org)
    return TemplateResponse(
        request,
        "knowledge/submissions.html",
        {
            "submissions": selectors.submissions_of(organisation=request.organisation),
            "form": form,
            "states": Submission.State,
        },
        status=400 if form is not None and form.errors else 200,
    )


class _StatusConfirmForm(forms.Form):
    status = forms.CharField(widget=forms.HiddenInput)
    confirmed = forms.CharField(widget=forms.HiddenInput, initial="1")


def _confirm_status(request, item, status):
    retire = status == Status.RETIRED
    consequences = [
        _("Gemeenten en bezoekers zien %(item)s niet meer in de kennisbank, in zoekresultaten en in keuzelijsten.")
        % {"item": item},
        _("Wat al naar dit onderdeel verwijst, blijft werken; de pagina zegt dan dat het niet meer in gebruik is.")
        if retire
        else _("Als concept kan de redactie het verder bewerken en later opnieuw publiceren."),
    ]
    return TemplateResponse(
        request,
        "core/confirm.html",
        {
            "heading": (_("%(item)s buiten gebruik stellen?") if retire else _("%(item)s terugzetten naar concept?"))
            % {"item": item},
            "consequences": consequences,
            "form": _StatusConfirmForm(initial={"status": status, "confirmed": "1"}),
            "button": _("Ja, buiten gebruik stellen") if retire else _("Ja, terugzetten naar concept"),
            "back_url": item.get_absolute_url(),
            "back_text": _("Terug naar %(item)s") % {"item": item},
        },
    )


@require_POST
def set_status(request, slug, kind):
    """Editors publish, put back to draft, retire or bring back an item in one click. Without a
    ``status`` the button toggles between draft and published."""
    permissions.require(request.user, "knowledge.edit")
    model = EDITABLE[kind]._meta.model
    item = get_object_or_404(model, slug=slug)
    status = request.POST.get("status") or (Status.DRAFT if item.is_published else Status.PUBLISHED)
    if status in (Status.DRAFT, Status.RETIRED) and item.is_published and request.POST.get("confirmed") != "1":
        # Taking an item out of view asks first, on a page that says what will happen.
        return _confirm_status(request, item, status)
    try:
        services.content_set_status(item=item, user=request.user, status=status)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        item.refresh_from_db()
        messages.success(request, _("%(item)s: %(status)s.") % {"item": item, "status": item.get_status_display()})
    return redirect(item.get_absolute_url())

"""The knowledge base pages: thin views over selectors and services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
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
    LawForm,
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
    PdcaStep,
    ScopeElement,
    SecurityGoal,
    Submission,
    Theme,
)
from .search import KINDS


def index(request):
    return TemplateResponse(
        request,
        "knowledge/index.html",
        {"themes": selectors.themes_overview(user=request.user), "search_form": SearchForm()},
    )


def theme(request, slug):
    item = get_object_or_404(selectors.visible(Theme.objects.all(), request.user), slug=slug)
    return TemplateResponse(
        request, "knowledge/theme.html", {"theme": item, **selectors.theme_page(theme=item, user=request.user)}
    )


def building_block(request, slug):
    qs = selectors.visible(BuildingBlock.objects.select_related("theme", "updated_by"), request.user)
    block = get_object_or_404(qs, slug=slug)
    context = {"building_block": block, **selectors.building_block_detail(block=block, user=request.user)}
    if permissions.allowed(request.user, "knowledge.edit"):
        context["revisions"] = services.revisions_for(block)[:20]
    return TemplateResponse(request, "knowledge/building_block.html", context)


def glossary(request):
    return TemplateResponse(request, "knowledge/glossary.html", {"terms": selectors.glossary(user=request.user)})


def laws(request):
    return TemplateResponse(request, "knowledge/laws.html", {"groups": selectors.law_groups(user=request.user)})


def steps(request):
    return TemplateResponse(request, "knowledge/steps.html", {"steps": selectors.steps(user=request.user)})


def scope(request):
    items = selectors.visible(ScopeElement.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/scope.html", {"items": items})


def goals(request):
    items = selectors.visible(SecurityGoal.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/goals.html", {"goals": items})


def principles(request):
    categories = selectors.principles_by_category(user=request.user)
    return TemplateResponse(request, "knowledge/principles.html", {"categories": categories})


def pdca(request):
    items = selectors.visible(PdcaStep.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/pdca.html", {"items": items})


def governance(request):
    items = selectors.visible(GovernanceVariant.objects.all(), request.user)
    return TemplateResponse(request, "knowledge/governance.html", {"items": items})


def search(request):
    form = SearchForm(request.GET or None)
    page, terms, filters = None, [], {}
    if form.is_valid() and form.cleaned_data["q"]:
        theme_obj = form.cleaned_data["thema"]
        filters = {"kind": form.cleaned_data["soort"], "theme": theme_obj.slug if theme_obj else ""}
        page, terms = selectors.search_page(query=form.cleaned_data["q"], page=request.GET.get("pagina"), **filters)
    query = request.GET.copy()
    query.pop("pagina", None)
    return TemplateResponse(
        request,
        "knowledge/search.html",
        {"form": form, "page": page, "terms": terms, "query": query.urlencode(), "kinds": KINDS},
    )


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
            "form": form,
            "revisions": services.revisions_for(item)[:50],
            "verbose_name": model._meta.verbose_name,
        },
        status=400 if form.errors else 200,
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


@require_POST
def publish_toggle(request, slug, kind):
    """Editors move an item between draft and published in one click."""
    permissions.require(request.user, "knowledge.edit")
    model = EDITABLE[kind]._meta.model
    item = get_object_or_404(model, slug=slug)
    status = "draft" if item.is_published else "published"
    services.content_set_status(item=item, user=request.user, status=status)
    return redirect(item.get_absolute_url())

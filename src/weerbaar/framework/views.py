"""Thin views of the framework builder: parse input, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from weerbaar.core import generic, permissions
from weerbaar.core.decorators import apply_validation_error as _apply_validation_error
from weerbaar.core.decorators import org_permission
from weerbaar.core.registers import StaleRevision
from weerbaar.knowledge.models import StepExample

from . import documents, selectors, services
from .forms import (
    AdoptForm,
    CommentForm,
    CompareForm,
    DelegationForm,
    StepForm,
    SubmitForm,
    SubPlanFilterForm,
    SubPlanForm,
    WordTemplateForm,
)
from .models import STEP_ORDER, FrameworkVersion, Step, StepComment, StepDelegation, SubPlan, WordTemplate


def _version(number: int) -> FrameworkVersion:
    """A version by the number users see (versie 3 is /versies/3/); one framework per municipality."""
    return get_object_or_404(FrameworkVersion.objects.select_related("framework", "organisation"), number=number)


def _step_or_404(step: str) -> str:
    if step not in Step.values:
        raise Http404
    return step


def _rights(request) -> dict:
    m = request.membership
    return {
        "can_edit": permissions.allowed(m, "framework.edit"),
        "can_adopt": permissions.allowed(m, "framework.adopt"),
        "can_comment": permissions.allowed(m, "framework.comment"),
    }


@org_permission("view")
def overview(request, org):
    framework = selectors.framework_for(organisation=request.organisation)
    context = {"framework": framework, **_rights(request)}
    if framework is not None:
        version = selectors.working_version(framework)
        context.update(
            versions=list(selectors.versions_of(framework)),
            version=version,
            completeness=selectors.completeness(version) if version else None,
        )
    return TemplateResponse(request, "framework/overview.html", context)


@require_POST
@org_permission("view")
def start(request, org):
    try:
        framework = services.framework_start(organisation=request.organisation, membership=request.membership)
    except ValidationError as e:
        messages.error(request, e.messages[0])
        return redirect("framework:overview", org=org)
    version = framework.versions.get()
    messages.success(request, _("Het strategisch kader is gestart. Begin met stap 1, de visie."))
    return redirect("framework:step", org=org, number=version.number, step=Step.VISION)


@org_permission("view")
def version_detail(request, org, number):
    version = _version(number)
    entries = selectors.entries_of(version)
    goals, principles = selectors.goals_of(version), selectors.principles_of(version)
    versions = list(selectors.versions_of(version.framework))
    return TemplateResponse(
        request,
        "framework/version.html",
        {
            "version": version,
            "versions": versions,
            "completeness": selectors.completeness(version, entries, goals, principles),
            "open_comments": (open_comments := selectors.open_comment_counts(version)),
            "open_comment_total": sum(open_comments.values()),
            "compare_form": CompareForm(versions=versions, current=version) if len(versions) > 1 else None,
            "has_open_version": any(not v.is_frozen for v in versions),
            "delegations": list(selectors.delegations_of(version)),
            "link_rows": selectors.link_report_rows(version),
            "my_steps": {
                d.step for d in StepDelegation.objects.filter(version=version, member=request.membership).only("step")
            },
            "can_delegate": (can_delegate := permissions.allowed(request.membership, "framework.delegate")),
            "delegation_form": DelegationForm(version=version) if can_delegate and not version.is_frozen else None,
            **_rights(request),
        },
    )


def _insert_example(data, example: StepExample):
    text = (data.get("text") or "").rstrip()
    data["text"] = f"{text}\n\n{example.text.strip()}" if text else example.text.strip()
    return data


@org_permission("view")
def step(request, org, number, step):
    step = _step_or_404(step)
    version = _version(number)
    entry = get_object_or_404(version.steps.select_related("updated_by"), step=step)
    catalogue = selectors.step_catalogue(step)
    category, categories = None, []
    if step == Step.PRINCIPLES:
        categories = _principle_categories(version)
        slug = request.GET.get("categorie")
        if slug:
            category = next((c["category"] for c in categories if c["category"].slug == slug), None)
            if category is None:
                raise Http404
    can_edit = permissions.allowed(request.membership, "framework.edit_step", entry) and version.is_draft
    can_add_assets = step == Step.SCOPE and permissions.allowed(request.membership, "risks.manage_register")
    form_kwargs = {
        "entry": entry,
        "version": version,
        "catalogue": catalogue,
        "principle_category": category,
        "can_add_assets": can_add_assets,
    }
    status, conflict, notice, unlink = 200, None, None, None
    form = None
    if request.method == "POST":
        permissions.require(request.membership, "framework.edit_step", entry)
        data = request.POST.copy()
        example_id = data.get("insert_example")
        if data.get("cancel_unlink"):
            messages.info(request, _("Er is niets gewijzigd."))
            return redirect(request.get_full_path())
        if data.get("add_asset") and can_add_assets:
            form, notice, status = _add_scope_asset(request, data, form_kwargs)
        elif example_id:
            example = next((e for e in catalogue["examples"] if str(e.pk) == example_id), None)
            if example is None:
                raise Http404
            form = StepForm(_insert_example(data, example), **form_kwargs)
            form.is_valid()
            notice = _("Het voorbeeld staat in het formulier. Pas het aan en sla de stap op.")
        else:
            form = StepForm(data, **form_kwargs)
            if form.is_valid():
                kwargs = form.service_kwargs()
                try:
                    services.step_save(
                        entry=entry,
                        expected_revision=form.cleaned_data["revision"],
                        membership=request.membership,
                        confirm_unlink=data.get("confirm_unlink") == "1",
                        **kwargs,
                    )
                except services.LinkedMeasures as e:
                    # Nothing was saved: the page names the linked measures and asks to confirm.
                    unlink = _unlink_items(e.items, org)
                except StaleRevision as e:
                    submitted = {**kwargs.get("fields", {}), "activities_done": kwargs.get("activities_done", [])}
                    for name in ("laws", "scope_assets"):
                        if name in kwargs:
                            submitted[name] = kwargs[name]
                    current = e.current
                    conflict = {
                        "message": e.messages[0],
                        "who": current.updated_by.get_full_name() if current.updated_by else "",
                        "rows": selectors.stale_differences(current=current, submitted=submitted),
                    }
                    # Saving again now overwrites knowingly: the form carries the current revision.
                    data["revision"] = str(current.revision)
                    form = StepForm(data, **form_kwargs)
                    form.is_valid()
                    status = 409
                except ValidationError as e:
                    _apply_validation_error(form, e)
                    status = 400
                else:
                    if data.get("confirm_unlink") == "1":
                        _tell_lapsed_links(request, org, version)
                    return _after_step_save(request, org, version, step, category, categories)
            else:
                status = 400
    elif can_edit:
        form = StepForm(**form_kwargs)
    index = STEP_ORDER.index(step)
    goals, principles = selectors.goals_of(version), selectors.principles_of(version)
    completeness = selectors.completeness(version, goals=goals, principles=principles)
    return TemplateResponse(
        request,
        "framework/step.html",
        {
            "version": version,
            "entry": entry,
            "step": step,
            "step_label": Step(step).label,
            "catalogue": catalogue,
            "form": form,
            "editing": form is not None and version.is_draft,
            "conflict": conflict,
            "notice": notice,
            "unlink": unlink,
            "steps": [(s, Step(s).label) for s in STEP_ORDER],
            "previous_step": STEP_ORDER[index - 1] if index > 0 else None,
            "next_step": STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None,
            "completeness": completeness,
            "status": completeness.for_step(step),
            "goals": goals,
            "principles": principles,
            "coverage": selectors.coverage(version, goals, principles),
            "readonly": [
                (selectors.field_label(n), selectors.display_value(entry, n)) for n in selectors.compared_fields(step)
            ]
            if form is None
            else None,
            "comments": selectors.comments_for(version, step),
            "principle_category": category,
            "principle_categories": categories,
            "comment_form": CommentForm()
            if permissions.allowed(request.membership, "framework.comment") and not version.is_frozen
            else None,
            "delegations": list(selectors.delegations_of(version, step)),
            "delegated_to_me": can_edit and not permissions.allowed(request.membership, "framework.edit"),
            "subplans": list(selectors.subplan_list(organisation=request.organisation)[:100])
            if step == Step.SCOPE
            else None,
            "can_create_subplan": permissions.allowed(request.membership, "framework.create_subplan"),
            **_rights(request),
        },
        status=status,
    )


def _unlink_items(items: list[dict], org: str) -> list[dict]:
    """The goals and principles a save would remove, with links to the measures linked to them."""
    return [
        {
            **item,
            "kind_label": services.KIND_LABELS[item["kind"]],
            "measures": [
                {**m, "url": reverse("risks:measure", kwargs={"org": org, "pk": m["id"]})} for m in item["measures"]
            ],
        }
        for item in items
    ]


def _tell_lapsed_links(request, org, version) -> None:
    url = reverse("framework:version", kwargs={"org": org, "number": version.number}) + "#koppelingen"
    messages.warning(
        request,
        format_html(
            '{} <a class="utrecht-link" href="{}">{}</a>',
            _("De koppelingen van maatregelen aan wat u weghaalde, zijn vervallen en vastgelegd."),
            url,
            _("Bekijk ze onder Koppelingen die niet meegingen om de maatregelen opnieuw te koppelen."),
        ),
    )


def _add_scope_asset(request, data, form_kwargs):
    """The scope step's "add to the register" button: the asset goes into the register and is ticked.

    The step itself is not saved yet: the form comes back with everything typed, plus the new
    asset ticked, so one list (the register) stays the source of the scope.
    """
    from weerbaar.risks import services as register

    form = StepForm(data, **form_kwargs)
    if not form.is_valid():
        return form, None, 400
    asset_data = form.new_asset_data()
    if asset_data is None:
        return form, None, 400
    try:
        asset = register.asset_save(organisation=request.organisation, membership=request.membership, **asset_data)
    except ValidationError as e:
        form.add_error("new_asset_name", e.messages[0])
        return form, None, 400
    data.setlist("scope_assets", [*data.getlist("scope_assets"), str(asset.pk)])
    for name in ("new_asset_name", "new_asset_kind", "new_asset_criticality", "add_asset"):
        data.pop(name, None)
    form = StepForm(data, **form_kwargs)
    form.is_valid()
    notice = _(
        "Bedrijfsmiddel %(name)s staat nu in het register en is aangevinkt. Sla de stap op om het aan de scope toe "
        "te voegen."
    ) % {"name": asset}
    return form, notice, 200


def _principle_categories(version) -> list[dict]:
    """The catalogue's principle categories with how many principles this version chose in each."""
    chosen = {}
    for category_id in version.principles.values_list("category_id", flat=True):
        chosen[category_id] = chosen.get(category_id, 0) + 1
    return [
        {"category": category, "total": len(principles), "chosen": chosen.get(category.pk, 0)}
        for category, principles in selectors.catalogue_principles_by_category()
    ]


def _after_step_save(request, org, version, step, category, categories):
    """Back to the same place, or on to the next category or step when the user asked for that."""
    base = reverse("framework:step", kwargs={"org": org, "number": version.number, "step": step})
    going_on = request.POST.get("then") == "next"
    if category is not None:
        messages.success(request, _("De uitgangspunten over %(c)s zijn opgeslagen.") % {"c": category.name})
        slugs = [c["category"].slug for c in categories]
        index = slugs.index(category.slug)
        if going_on and index + 1 < len(slugs):
            return redirect(f"{base}?categorie={slugs[index + 1]}")
        if going_on:
            return redirect(base)
        return redirect(f"{base}?categorie={category.slug}")
    messages.success(request, _("Stap %(step)s is opgeslagen.") % {"step": Step(step).label})
    index = STEP_ORDER.index(step)
    if going_on and index + 1 < len(STEP_ORDER):
        return redirect("framework:step", org=org, number=version.number, step=STEP_ORDER[index + 1])
    if going_on:
        return redirect("framework:version", org=org, number=version.number)
    return redirect(base)


@require_POST
@org_permission("view")
def comment_add(request, org, number, step):
    step = _step_or_404(step)
    version = _version(number)
    form = CommentForm(request.POST)
    permissions.require(request.membership, "framework.comment")
    if form.is_valid():
        try:
            services.comment_add(
                version=version, step=step, body=form.cleaned_data["body"], membership=request.membership
            )
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("Uw opmerking is geplaatst."))
    else:
        messages.error(request, _("Schrijf een opmerking."))
    return redirect(f"{_step_url(org, version, step)}#opmerkingen")


def _step_url(org, version, step):
    from django.urls import reverse

    return reverse("framework:step", kwargs={"org": org, "number": version.number, "step": step})


@require_POST
@org_permission("view")
def comment_resolve(request, org, pk):
    comment = get_object_or_404(StepComment.objects.select_related("version"), pk=pk)
    try:
        services.comment_resolve(comment=comment, membership=request.membership)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("De opmerking is afgehandeld."))
    return redirect(f"{_step_url(org, comment.version, comment.step)}#opmerkingen")


def _version_action(request, org, number, action, success):
    version = _version(number)
    try:
        action(version=version, membership=request.membership)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, success)
    return redirect("framework:version", org=org, number=version.number)


def _confirm(request, version, *, heading, consequences, button, form=None, problems=(), warnings=(), status=200):
    return TemplateResponse(
        request,
        "core/confirm.html",
        {
            "heading": heading,
            "consequences": consequences,
            "problems": problems,
            "warnings": warnings,
            "form": form,
            "button": button,
            "back_url": reverse(
                "framework:version", kwargs={"org": version.organisation.slug, "number": version.number}
            ),
            "back_text": _("Terug naar versie %(n)s") % {"n": version.number},
            "multipart": bool(form and form.is_multipart()),
        },
        status=status,
    )


@org_permission("view")
def submit(request, org, number):
    """Submitting asks first, on a page that says what happens and what is still open."""
    version = _version(number)
    permissions.require(request.membership, "framework.edit")
    if not version.is_draft:
        messages.error(request, _("Alleen een conceptversie kan worden ingediend."))
        return redirect("framework:version", org=org, number=version.number)
    missing = selectors.completeness(version).missing
    open_comments = list(version.comments.filter(resolved_at__isnull=True).order_by("step", "created_at"))
    form = SubmitForm(request.POST if request.method == "POST" else None, open_comments=len(open_comments))
    problems = [{"text": f"{label}: {item}", "url": ""} for label, item in missing]
    warnings = [
        {
            "text": f"{Step(c.step).label}: {c.body[:140]}",
            "url": f"{_step_url(org, version, c.step)}#opmerkingen",
        }
        for c in open_comments
    ]
    if request.method == "POST" and not problems and form.is_valid():
        try:
            services.version_submit(version=version, membership=request.membership)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De versie ligt nu ter besluitvorming bij het bestuur."))
            return redirect("framework:version", org=org, number=version.number)
    return _confirm(
        request,
        version,
        heading=_("Versie %(n)s indienen ter besluitvorming?") % {"n": version.number},
        consequences=[
            _("De versie gaat naar het bestuur, dat haar vaststelt of terugstuurt."),
            _("Zolang zij ter besluitvorming ligt, kan niemand haar wijzigen."),
            _("Wie de versie kan lezen, ziet dat zij is ingediend, door wie en wanneer."),
        ],
        problems=problems,
        warnings=warnings,
        form=form,
        button=_("Ja, indienen"),
        status=400 if request.method == "POST" else 200,
    )


@org_permission("view")
def withdraw(request, org, number):
    version = _version(number)
    permissions.require(request.membership, "framework.withdraw")
    if version.status != FrameworkVersion.Status.SUBMITTED:
        messages.error(request, _("Alleen een versie die ter besluitvorming ligt, kan terug naar concept."))
        return redirect("framework:version", org=org, number=version.number)
    if request.method == "POST":
        return _version_action(request, org, number, services.version_withdraw, _("De versie is terug in concept."))
    return _confirm(
        request,
        version,
        heading=_("Versie %(n)s terug naar concept?") % {"n": version.number},
        consequences=[
            _("De versie ligt dan niet meer ter besluitvorming; het bestuur kan haar niet vaststellen."),
            _("De coördinator kan haar weer wijzigen en later opnieuw indienen."),
        ],
        button=_("Ja, terug naar concept"),
    )


@org_permission("view")
def adopt(request, org, number):
    version = _version(number)
    permissions.require(request.membership, "framework.adopt")
    if version.status != FrameworkVersion.Status.SUBMITTED:
        messages.error(request, _("Alleen een versie die ter besluitvorming ligt, kan worden vastgesteld."))
        return redirect("framework:version", org=org, number=version.number)
    form = AdoptForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.version_adopt(version=version, membership=request.membership, **data)
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("Versie %(n)s is vastgesteld.") % {"n": version.number})
            version.refresh_from_db(fields=["link_report"])
            # Links removed while this version was a draft were reported then; count the adoption's own.
            not_mapped = [row for row in version.link_report if row.get("reason") != "removed"]
            if not_mapped:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s koppeling van een maatregel past niet op deze versie en is vervallen. "
                        "U vindt hem onder Koppelingen die niet meegingen.",
                        "%(count)s koppelingen van maatregelen passen niet op deze versie en zijn vervallen. "
                        "U vindt ze onder Koppelingen die niet meegingen.",
                        len(not_mapped),
                    )
                    % {"count": len(not_mapped)},
                )
            return redirect("framework:version", org=org, number=version.number)
    current = FrameworkVersion.objects.filter(
        framework_id=version.framework_id, status=FrameworkVersion.Status.ADOPTED
    ).first()
    consequences = [
        _("Versie %(n)s wordt het geldende strategisch kader van de gemeente.") % {"n": version.number},
        _("Daarna kan niemand haar nog wijzigen; wijzigingen komen in een nieuwe versie."),
        _(
            "Maatregelen die aan doelen en uitgangspunten gekoppeld zijn, gaan mee naar deze versie. "
            "Wat niet meer past, ziet u daarna op de pagina van de versie."
        ),
    ]
    if current:
        consequences.append(
            _("Versie %(n)s, nu geldend, wordt vervangen en blijft als vervangen versie te lezen.")
            % {"n": current.number}
        )
    return _confirm(
        request,
        version,
        heading=_("Versie %(n)s vaststellen") % {"n": version.number},
        consequences=consequences,
        form=form,
        button=_("Vaststellen"),
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@org_permission("view")
def decision_document(request, org, number):
    version = _version(number)
    if not version.decision_document:
        raise Http404
    name = version.decision_document.name.rsplit("/", 1)[-1]
    content_type = (
        "application/pdf"
        if name.endswith(".pdf")
        else ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    response = FileResponse(
        version.decision_document.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@org_permission("view")
def new_version(request, org, number):
    source = _version(number)
    try:
        version = services.version_create_from(source=source, membership=request.membership)
    except ValidationError as e:
        messages.error(request, e.messages[0])
        return redirect("framework:version", org=org, number=source.number)
    messages.success(request, _("Versie %(n)s is aangemaakt als kopie.") % {"n": version.number})
    return redirect("framework:version", org=org, number=version.number)


@org_permission("view")
def compare(request, org, number):
    version = _version(number)
    versions = list(selectors.versions_of(version.framework))
    form = CompareForm(request.GET or None, versions=versions, current=version)
    other = None
    changes = None
    if form.is_valid():
        other = get_object_or_404(FrameworkVersion, pk=form.cleaned_data["other"], framework=version.framework)
        old, new = (other, version) if other.number < version.number else (version, other)
        changes = selectors.compare_versions(old, new)
        other = old if old.pk != version.pk else new
    return TemplateResponse(
        request,
        "framework/compare.html",
        {"version": version, "other": other, "form": form, "changes": changes},
        status=400 if form.errors else 200,
    )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(request, org, number, *, word_export: bool):
    from weerbaar.documents.tasks import request_render
    from weerbaar.documents.word import DOCX_CONTENT_TYPE

    version = _version(number)
    extension, content_type = ("docx", DOCX_CONTENT_TYPE) if word_export else ("pdf", "application/pdf")
    filename = documents.filename(version, extension)
    if documents.needs_background(version, word_export=word_export):
        job = request_render(
            organisation=request.organisation,
            render=documents.word_job if word_export else documents.pdf_job,
            source_id=version.pk,
            title=_("Strategisch kader, versie %(n)s (%(kind)s)")
            % {"n": version.number, "kind": "Word" if word_export else "PDF"},
            filename=filename,
            content_type=content_type,
            user=request.user,
        )
        return redirect("framework:document_job", org=org, pk=job.pk)
    if not word_export:
        return _download(documents.render_pdf(version), filename, content_type)
    result = documents.render_word_result(version)
    if result.fell_back:  # only with an own template, which goes to a job; kept for safety
        messages.warning(request, documents.fallback_notice(result.reason))
    return _download(result.content, filename, content_type)


@org_permission("view")
def export_word(request, org, number):
    return _export(request, org, number, word_export=True)


@org_permission("view")
def export_pdf(request, org, number):
    return _export(request, org, number, word_export=False)


@require_safe
@org_permission("view")
def document_job(request, org, pk):
    from weerbaar.documents.views import own_job

    # The requester's own job only: a colleague's or another municipality's id is a 404.
    job = own_job(request, pk)
    template = "framework/_document_job.html" if request.htmx else "framework/document_job.html"
    return TemplateResponse(request, template, {"job": job})


@require_safe
@org_permission("view")
def document_job_download(request, org, pk):
    from weerbaar.documents.views import job_download

    return job_download(request, pk)


@org_permission("view")
def export_html(request, org, number):
    version = _version(number)
    return TemplateResponse(
        request,
        "framework/document.html",
        {"version": version, "c": documents.document_context(version), "concept": documents.CONCEPT},
    )


@org_permission("view")
def word_template(request, org):
    can_edit = permissions.allowed(request.membership, "framework.edit")
    form = WordTemplateForm(request.POST or None, request.FILES or None) if can_edit else None
    status = 200
    if request.method == "POST":
        permissions.require(request.membership, "framework.edit")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > services.MAX_TEMPLATE_BYTES:
                form.add_error("file", _("Het sjabloon is te groot; het maximum is 5 MB."))
            else:
                try:
                    template = services.word_template_upload(
                        organisation=request.organisation,
                        membership=request.membership,
                        name=upload.name,
                        content=upload.read(),
                        kind=form.cleaned_data["kind"],
                    )
                except ValidationError as e:
                    if hasattr(e, "error_dict"):
                        _apply_validation_error(form, e)
                    else:
                        form.add_error("file", e)
                else:
                    missing = documents.missing_chapters(template)
                    if missing:
                        messages.warning(
                            request,
                            _(
                                "Het sjabloon is opgeslagen en werkt, maar laat deze hoofdstukken van het kader weg: "
                                "%(chapters)s. Gebruik een opmaaksjabloon om het volledige kader te exporteren."
                            )
                            % {"chapters": ", ".join(missing)},
                        )
                    else:
                        messages.success(request, _("Het Word-sjabloon is opgeslagen en werkt."))
                    if template.kind == WordTemplate.Kind.STYLE and documents.has_placeholders(template):
                        messages.warning(
                            request,
                            _(
                                "Dit opmaaksjabloon bevat plaatshouders zoals {{ visie }}. Van een opmaaksjabloon "
                                "gebruikt Weerbaar alleen de opmaak; de plaatshouders worden niet ingevuld. Kies "
                                "'Sjabloon met plaatshouders' als u wilt dat ze worden ingevuld."
                            ),
                        )
                    return redirect("framework:word_template", org=org)
        status = 400
    template = WordTemplate.objects.filter(organisation=request.organisation).first()
    return TemplateResponse(
        request,
        "framework/word_template.html",
        {
            "form": form,
            "template": template,
            "missing_chapters": documents.missing_chapters(template),
            "placeholders": documents.PLACEHOLDERS,
            "can_edit": can_edit,
        },
        status=status,
    )


@require_POST
@org_permission("view")
def word_template_delete(request, org):
    services.word_template_delete(organisation=request.organisation, membership=request.membership)
    messages.success(request, _("Het eigen Word-sjabloon is verwijderd; exports gebruiken weer de standaardopmaak."))
    return redirect("framework:word_template", org=org)


# --- co-writing: who may edit which step ------------------------------------------------------


@require_POST
@org_permission("view")
def delegation_add(request, org, number):
    version = _version(number)
    permissions.require(request.membership, "framework.delegate")
    form = DelegationForm(request.POST, version=version)
    if form.is_valid():
        try:
            delegation = services.delegation_add(
                version=version,
                step=form.cleaned_data["step"],
                member=form.cleaned_data["member"],
                membership=request.membership,
            )
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s mag nu stap %(step)s bewerken.")
                % {"name": services._member_name(delegation.member), "step": delegation.get_step_display()},
            )
    else:
        messages.error(request, _("Kies een stap en een lid."))
    return redirect(f"{reverse('framework:version', kwargs={'org': org, 'number': version.number})}#meeschrijven")


@require_POST
@org_permission("view")
def delegation_remove(request, org, pk):
    delegation = get_object_or_404(StepDelegation.objects.select_related("version", "member__user"), pk=pk)
    services.delegation_remove(delegation=delegation, membership=request.membership)
    messages.success(
        request,
        _("%(name)s kan stap %(step)s niet meer bewerken.")
        % {"name": services._member_name(delegation.member), "step": delegation.get_step_display()},
    )
    url = reverse("framework:version", kwargs={"org": org, "number": delegation.version.number})
    return redirect(f"{url}#meeschrijven")


# --- sub-plans ---------------------------------------------------------------------------------


class SubPlanMixin:
    def base_context(self) -> dict:
        return {
            **super().base_context(),
            "can_create_subplan": permissions.allowed(self.membership, "framework.create_subplan"),
        }


class SubPlanList(SubPlanMixin, generic.ObjectListView):
    template_name = "framework/subplans.html"
    partial_template_name = "framework/_subplan_table.html"
    filter_form_class = SubPlanFilterForm
    selector = "weerbaar.framework.selectors.subplan_list"

    def filters(self, d):
        return {"query": d["q"], "kind": d["thema"], "status": d["status"], "sort": d["sorteer"]}


class SubPlanDetail(SubPlanMixin, generic.ObjectDetailView):
    model = SubPlan
    template_name = "framework/subplan_detail.html"
    context_object_name = "subplan"
    related = ("owner__user", "updated_by")

    def get_extra_context(self, obj):
        return {"can_edit_subplan": self.allowed("framework.edit_subplan", obj)}


class SubPlanEdit(SubPlanMixin, generic.ObjectEditView):
    model = SubPlan
    permission = "core.view"
    template_name = "framework/subplan_edit.html"
    form_class = SubPlanForm
    edit_rule = "framework.edit_subplan"
    create_rule = "framework.create_subplan"
    detail_url_name = "framework:subplan"
    list_url_name = "framework:subplans"
    success_message = gettext_lazy("Deelplan %(name)s is opgeslagen.")

    def get_form(self, obj):
        post = self.request.method == "POST"
        return self.form_class(
            self.request.POST if post else None,
            self.request.FILES if post else None,
            instance=obj,
            organisation=self.organisation,
        )

    def get_title(self, obj):
        return _("Deelplan %(name)s bewerken") % {"name": obj.title} if obj else _("Nieuw deelplan")

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.subplan_save(
            organisation=self.organisation, membership=self.membership, subplan=obj, expected_revision=expected, **data
        )


class SubPlanDelete(SubPlanMixin, generic.ObjectDeleteView):
    model = SubPlan
    permission = "core.view"
    delete_rule = "framework.edit_subplan"
    detail_url_name = "framework:subplan"
    list_url_name = "framework:subplans"
    success_message = gettext_lazy("Deelplan %(name)s is verwijderd.")

    def describe(self, obj):
        if obj.document:
            return _("Het geüploade document %(name)s wordt ook verwijderd.") % {"name": obj.document_name}
        return ""

    def delete(self, obj):
        services.subplan_delete(membership=self.membership, subplan=obj)


@require_safe
@org_permission("view")
def subplan_document(request, org, pk):
    subplan = get_object_or_404(SubPlan, pk=pk)
    if not subplan.document:
        raise Http404
    name = subplan.document_name or subplan.document.name.rsplit("/", 1)[-1]
    content_type = (
        "application/pdf"
        if name.lower().endswith(".pdf")
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = FileResponse(subplan.document.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response

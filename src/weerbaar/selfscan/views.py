"""The self-scan pages: thin views over ``selectors`` and ``services``; rules in ``permissions``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.core import permissions
from weerbaar.core.decorators import apply_validation_error, org_permission
from weerbaar.core.generic import ObjectListView, is_stale
from weerbaar.knowledge.models import Theme

from . import report, selectors, services
from .forms import (
    AnswerForm,
    AssignmentForm,
    BenchmarkFilterForm,
    CloseForm,
    QuestionForm,
    RoundStartForm,
    SettingsForm,
)
from .models import Answer, Question, Questionnaire, ScanRound, ThemeAssignment


def _flags(membership) -> dict:
    return {"can_manage": permissions.allowed(membership, "selfscan.manage")}


def _status(*forms) -> int:
    return 400 if any(f is not None and f.errors for f in forms) else 200


def error_summary(*forms) -> list[tuple[str, str, list]]:
    """(field id, label, messages) of every error, for the summary on top of the page."""
    rows = []
    for form in forms:
        for name, errs in form.errors.items():
            if name in form.fields:
                rows.append((form[name].auto_id, form[name].label, errs))
            else:
                rows.append(("", "", errs))
    return rows


def _round(pk) -> ScanRound:
    return get_object_or_404(ScanRound.objects.select_related("questionnaire"), pk=pk)


# --- overview and rounds ----------------------------------------------------------------------------


class RoundList(ObjectListView):
    permission = "selfscan.view"
    template_name = "selfscan/index.html"
    selector = "weerbaar.selfscan.selectors.round_list"
    per_page = 20

    def get_extra_context(self, form, filters):
        org = self.organisation
        latest = selectors.latest_closed_round(organisation=org)
        return {
            **_flags(self.membership),
            "open_round": selectors.open_round(organisation=org),
            "latest": selectors.results(organisation=org, scan_round=latest) if latest else None,
            "settings": services.settings_for(org),
            "questionnaire": services.current_questionnaire(),
            "stages": selectors.GROWTH_STAGES,
        }


@org_permission("selfscan.manage")
def round_new(request, org):
    organisation = request.organisation
    theme_list = selectors.themes()
    form = RoundStartForm(request.POST or None, organisation=organisation, theme_list=theme_list)
    if request.method == "POST" and form.is_valid():
        try:
            scan_round = services.round_start(
                organisation=organisation,
                membership=request.membership,
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                assignments=form.assignments(),
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Scanronde %(name)s is gestart.") % {"name": scan_round})
            return redirect("selfscan:round", org=org, pk=scan_round.pk)
    return TemplateResponse(
        request,
        "selfscan/round_new.html",
        {
            "form": form,
            "errors": error_summary(form),
            "questionnaire": services.current_questionnaire(),
            "open_round": selectors.open_round(organisation=organisation),
        },
        status=_status(form),
    )


@org_permission("selfscan.view")
def round_detail(request, org, pk):
    scan_round = _round(pk)
    progress = selectors.round_progress(scan_round=scan_round)
    membership = request.membership
    for p in progress:
        p.can_answer = not scan_round.is_closed and permissions.allowed(membership, "selfscan.answer", p.assignment)
    form = None
    can_manage = permissions.allowed(membership, "selfscan.manage")
    if can_manage and not scan_round.is_closed:
        current = {p.theme.pk: p.assignment.member if p.assignment else None for p in progress}
        form = AssignmentForm(
            request.POST or None,
            organisation=request.organisation,
            theme_list=[p.theme for p in progress],
            current=current,
        )
    if request.method == "POST":
        permissions.require(membership, "selfscan.manage")
        if form is None:
            messages.error(request, _("Deze scanronde is afgesloten. Antwoorden en toewijzingen liggen vast."))
            return redirect("selfscan:round", org=org, pk=pk)
        if form.is_valid():
            try:
                with transaction.atomic():
                    by_theme = {p.theme.pk: p.assignment for p in progress if p.assignment}
                    for theme_pk, member in form.assignments().items():
                        services.assignment_set(membership=membership, assignment=by_theme[theme_pk], member=member)
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("De toewijzingen zijn opgeslagen."))
                return redirect("selfscan:round", org=org, pk=pk)
    answered = sum(p.answered for p in progress)
    total = sum(p.total for p in progress)
    return TemplateResponse(
        request,
        "selfscan/round_detail.html",
        {
            **_flags(membership),
            "round": scan_round,
            "progress": progress,
            "form": form,
            "errors": error_summary(form) if form else [],
            "answered": answered,
            "total": total,
        },
        status=_status(form),
    )


@org_permission("selfscan.view")
def answer_theme(request, org, pk, slug):
    scan_round = _round(pk)
    theme = get_object_or_404(Theme, slug=slug)
    assignment = (
        ThemeAssignment.objects.filter(scan_round=scan_round, theme=theme).select_related("member__user").first()
    )
    if assignment is None:
        raise Http404
    answers = list(selectors.theme_answers(scan_round=scan_round, theme=theme))
    can_answer = not scan_round.is_closed and permissions.allowed(request.membership, "selfscan.answer", assignment)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    forms = [AnswerForm(data, files, answer=a) if can_answer else None for a in answers]
    conflict = None
    if request.method == "POST":
        if scan_round.is_closed:
            messages.error(request, _("Deze scanronde is afgesloten. Antwoorden en toewijzingen liggen vast."))
            return redirect("selfscan:round", org=org, pk=pk)
        permissions.require(request.membership, "selfscan.answer", assignment)
        if all(f.is_valid() for f in forms):
            try:
                with transaction.atomic():
                    for f in forms:
                        d = f.cleaned_data
                        services.answer_save(
                            membership=request.membership,
                            answer=f.answer,
                            level=d["level"],
                            justification=d["justification"],
                            evidence_url=d["evidence_url"],
                            evidence_file=d["evidence_file"],
                            remove_file=d.get("remove_file", False),
                            expected_revision=d["revision"],
                        )
            except ValidationError as e:
                if is_stale(e):
                    conflict = e.messages[0]
                else:
                    target = next((f for f in forms if f.answer.pk == getattr(e, "answer_pk", None)), forms[0])
                    apply_validation_error(target, e)
            else:
                done = sum(1 for f in forms if f.cleaned_data["level"])
                messages.success(
                    request,
                    _("Uw antwoorden bij %(theme)s zijn opgeslagen (%(done)s van %(total)s vragen met een niveau).")
                    % {"theme": theme.name, "done": done, "total": len(forms)},
                )
                if "volgende" in request.POST:
                    return redirect("selfscan:round", org=org, pk=pk)
                return redirect("selfscan:answer_theme", org=org, pk=pk, slug=slug)
    items = list(zip(answers, forms, strict=True))
    errors = error_summary(*[f for f in forms if f is not None])
    status = 409 if conflict else _status(*forms)
    return TemplateResponse(
        request,
        "selfscan/answer_theme.html",
        {
            "round": scan_round,
            "theme": theme,
            "assignment": assignment,
            "items": items,
            "can_answer": can_answer,
            "conflict": conflict,
            "errors": errors,
        },
        status=status,
    )


@org_permission("selfscan.view")
def evidence_download(request, org, pk):
    answer = get_object_or_404(Answer.objects.exclude(evidence_name=""), pk=pk)
    response = HttpResponse(
        bytes(answer.evidence_data or b""), content_type=answer.evidence_type or "application/octet-stream"
    )
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(answer.evidence_name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _safe_name(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in "._- ")[:150] or "bewijs"


@org_permission("selfscan.manage")
def round_close(request, org, pk):
    scan_round = _round(pk)
    answers = list(selectors.review_answers(scan_round=scan_round))
    unanswered = [a for a in answers if a.level is None]
    form = CloseForm(request.POST or None, initial={"revision": scan_round.revision})
    if scan_round.is_closed:
        messages.info(request, _("Deze scanronde is al afgesloten."))
        return redirect("selfscan:results", org=org, pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_close(
                membership=request.membership,
                scan_round=scan_round,
                note=form.cleaned_data["note"],
                expected_revision=form.cleaned_data["revision"],
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Scanronde %(name)s is afgesloten.") % {"name": scan_round})
            return redirect("selfscan:results", org=org, pk=pk)
    return TemplateResponse(
        request,
        "selfscan/round_close.html",
        {
            "round": scan_round,
            "answers": answers,
            "unanswered": unanswered,
            "form": form,
            "errors": error_summary(form),
        },
        status=_status(form),
    )


@org_permission("selfscan.view")
def results(request, org, pk):
    scan_round = _round(pk)
    data = selectors.results(organisation=request.organisation, scan_round=scan_round)
    membership = request.membership
    can_follow_up = permissions.allowed(membership, "selfscan.manage")
    return TemplateResponse(
        request,
        "selfscan/results.html",
        {
            "round": scan_round,
            "results": data,
            "can_follow_up": can_follow_up,
            "can_measure": can_follow_up and permissions.allowed(membership, "risks.create_themed"),
            "stages": selectors.GROWTH_STAGES,
        },
    )


@org_permission("selfscan.view")
def results_pdf(request, org, pk):
    scan_round = _round(pk)
    content = report.render_pdf(report.build(organisation=request.organisation, scan_round=scan_round))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zelfscan-{scan_round.pk}.pdf"'
    return response


@org_permission("selfscan.view")
def results_word(request, org, pk):
    scan_round = _round(pk)
    content = report.render_word(report.build(organisation=request.organisation, scan_round=scan_round))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="zelfscan-{scan_round.pk}.docx"'
    return response


@require_POST
@org_permission("selfscan.manage")
def follow_up(request, org, pk, kind):
    answer = get_object_or_404(
        Answer.objects.select_related("question__theme", "scan_round").defer("evidence_data"), pk=pk
    )
    try:
        if kind == "action":
            made = services.answer_to_action(
                organisation=request.organisation, membership=request.membership, answer=answer
            )
            messages.success(request, _("Actie %(name)s staat in het jaarplan.") % {"name": made})
        else:
            made = services.answer_to_measure(
                organisation=request.organisation, membership=request.membership, answer=answer
            )
            messages.success(request, _("Maatregel %(name)s staat in het register.") % {"name": made})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except PermissionDenied:
        messages.error(request, _("U mag voor dit thema geen maatregel vastleggen."))
    return redirect(f"{_results_url(org, answer.scan_round_id)}#zwakste")


def _results_url(org, pk):
    return reverse("selfscan:results", kwargs={"org": org, "pk": pk})


# --- settings and benchmark ---------------------------------------------------------------------------


@org_permission("selfscan.manage")
def settings_page(request, org):
    current = services.settings_for(request.organisation)
    form = SettingsForm(request.POST or None, instance=current, initial={"revision": current.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                organisation=request.organisation,
                membership=request.membership,
                benchmark_opt_in=form.cleaned_data["benchmark_opt_in"],
                expected_revision=form.cleaned_data["revision"] if current.pk else None,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("De instellingen van de zelfscan zijn opgeslagen."))
            return redirect("selfscan:settings", org=org)
    return TemplateResponse(
        request, "selfscan/settings.html", {"form": form, "errors": error_summary(form)}, status=_status(form)
    )


@org_permission("selfscan.view")
def benchmark(request, org):
    organisation = request.organisation
    settings_row = services.settings_for(organisation)
    form = BenchmarkFilterForm(request.GET or None)
    data = None
    if settings_row.benchmark_opt_in:
        if form.is_bound and not form.is_valid():
            pass  # the form shows which choice is unknown; nothing is computed for it
        else:
            filters = form.cleaned_data if form.is_bound else {"grootte": "", "provincie": ""}
            data = selectors.benchmark_aggregates_scopes_disabled(
                organisation=organisation, size_class=filters["grootte"], province=filters["provincie"]
            )
    return TemplateResponse(
        request,
        "selfscan/benchmark.html",
        {
            **_flags(request.membership),
            "form": form,
            "data": data,
            "opted_in": settings_row.benchmark_opt_in,
            "own_size": selectors.size_class_of(organisation.inhabitants),
            "min_group": selectors.MIN_GROUP,
            "has_closed": selectors.latest_closed_round(organisation=organisation) is not None,
        },
        status=_status(form) if form.is_bound else 200,
    )


# --- national pages (editors) ------------------------------------------------------------------------


def _require_user(request, rule):
    permissions.require(request.user, rule)


def national(request):
    _require_user(request, "selfscan.national_view")
    return TemplateResponse(request, "selfscan/national.html", selectors.national_overview_scopes_disabled())


def questionnaires(request):
    _require_user(request, "selfscan.edit_questionnaire")
    if request.method == "POST":
        try:
            draft = services.questionnaire_new_draft(user=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("selfscan:questionnaires")
        messages.success(request, _("Conceptversie %(v)s is gemaakt.") % {"v": draft.version})
        return redirect("selfscan:questionnaire", pk=draft.pk)
    versions = Questionnaire.objects.order_by("-version")
    return TemplateResponse(request, "selfscan/questionnaires.html", {"versions": versions})


def questionnaire_detail(request, pk):
    _require_user(request, "selfscan.edit_questionnaire")
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if request.method == "POST":
        try:
            services.questionnaire_publish(user=request.user, questionnaire=questionnaire)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request,
                _("Versie %(v)s is gepubliceerd. Nieuwe scanrondes gebruiken deze versie.")
                % {"v": questionnaire.version},
            )
        return redirect("selfscan:questionnaire", pk=pk)
    questions = questionnaire.questions.select_related("theme").prefetch_related("building_blocks", "bio2_measures")
    return TemplateResponse(
        request, "selfscan/questionnaire.html", {"questionnaire": questionnaire, "questions": questions}
    )


def question_edit(request, pk):
    """Edit a question of a draft (``pk`` is the question)."""
    _require_user(request, "selfscan.edit_questionnaire")
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    return _question_form(request, question.questionnaire, question)


def question_new(request, pk):
    """Add a question to a draft (``pk`` is the questionnaire)."""
    _require_user(request, "selfscan.edit_questionnaire")
    return _question_form(request, get_object_or_404(Questionnaire, pk=pk), None)


def _question_form(request, questionnaire, question):
    initial = {}
    if question is not None:
        initial = {
            "theme": question.theme,
            "code": question.code,
            "text": question.text,
            "explanation": question.explanation,
            **{f"level_{n}": question.level_text(n) for n in range(1, 6)},
            "building_blocks": list(question.building_blocks.all()),
            "bio2_measures": list(question.bio2_measures.all()),
        }
    form = QuestionForm(request.POST or None, initial=initial)
    if not questionnaire.is_draft:
        messages.error(
            request,
            _("Deze versie van de vragenlijst is gepubliceerd en ligt vast. Maak een nieuwe versie om te wijzigen."),
        )
        return redirect("selfscan:questionnaire", pk=questionnaire.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                user=request.user, questionnaire=questionnaire, question=question, **form.service_kwargs()
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("De vraag is opgeslagen."))
            return redirect("selfscan:questionnaire", pk=questionnaire.pk)
    return TemplateResponse(
        request,
        "selfscan/question_edit.html",
        {"form": form, "errors": error_summary(form), "questionnaire": questionnaire, "question": question},
        status=_status(form),
    )


def question_delete(request, pk):
    """Remove a question from a draft, after asking (``pk`` is the question)."""
    _require_user(request, "selfscan.edit_questionnaire")
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    back = reverse("selfscan:questionnaire", kwargs={"pk": question.questionnaire_id})
    error = None
    if request.method == "POST":
        try:
            services.question_delete(user=request.user, question=question)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Vraag %(code)s is verwijderd.") % {"code": question.code})
            return redirect(back)
    elif not question.questionnaire.is_draft:
        error = _("Deze versie van de vragenlijst is gepubliceerd en ligt vast. Maak een nieuwe versie om te wijzigen.")
    return TemplateResponse(
        request,
        "core/object_confirm_delete.html",
        {
            "object": question,
            "description": _(
                "De vraag verdwijnt alleen uit deze conceptversie; gepubliceerde versies blijven zoals ze zijn."
            ),
            "dependents": [],
            "blocked": error is not None,
            "error": error,
            "cancel_url": back,
        },
        status=400 if error else 200,
    )

"""Pages of the yearly plan and the checks: declarations on ``core.generic`` plus the plan's own pages.

Actions, checks, findings and deviations are each a model, a form, a selector and a service on
the generic list/detail/edit/delete views; who may do what is asked of ``permissions.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from weerbaar.core import generic, permissions
from weerbaar.core.decorators import org_permission
from weerbaar.documents.excel import xlsx_response
from weerbaar.risks.forms import RiskForm
from weerbaar.risks.models import Measure
from weerbaar.risks.selectors import scale_for

from . import excel, selectors, services
from .forms import (
    ActionFilterForm,
    ActionForm,
    ActionStatusForm,
    CheckFilterForm,
    CheckForm,
    DeviationFilterForm,
    DeviationForm,
    FindingFilterForm,
    FindingForm,
    FindingRiskLinkForm,
    ImportForm,
)
from .models import Action, Check, Deviation, Finding

SUBNAV = "cycle/_subnav.html"


def _flags(membership) -> dict:
    return {
        "can_create": permissions.allowed(membership, "cycle.create"),
        "can_manage_plan": permissions.allowed(membership, "cycle.manage_plan"),
    }


class CycleMixin:
    subnav_template = SUBNAV
    permission = "cycle.view"

    def base_context(self) -> dict:
        return {**super().base_context(), **_flags(self.membership)}


class CycleDetailView(CycleMixin, generic.ObjectDetailView):
    """An action, check, finding or deviation: its page says whether this member may change it."""

    def get_extra_context(self, obj):
        return {"can_edit": self.allowed("cycle.edit_object", obj)}


class CycleEditView(CycleMixin, generic.ObjectEditView):
    """Edit an action, check or deviation: a theme expert posting themes outside their own is refused (403)."""

    permission = "cycle.create"
    edit_rule = "cycle.edit_object"
    create_rule = "cycle.create"
    themes_rule = "cycle.edit_themes"

    def new_initial(self) -> dict:
        """The form's starting values for a new row."""
        return {}

    def get_form_kwargs(self, obj):
        initial = self.form_class.initial_for(obj) if obj else self.new_initial()
        return {"initial": initial, "organisation": self.organisation, "membership": self.membership}


class CycleDeleteView(CycleMixin, generic.ObjectDeleteView):
    permission = "cycle.create"
    delete_rule = "cycle.edit_object"


class FromFindingMixin:
    """A new row started from the finding named by ``pk`` (an action, a risk): only who may change
    the finding may start one, and cancelling returns to the finding."""

    def get_object(self):
        return None

    def get_finding(self):
        if not hasattr(self, "_finding"):
            self._finding = get_object_or_404(selectors.finding_detail_queryset(), pk=self.kwargs["pk"])
        return self._finding

    def check_permission(self, obj):
        self.require("cycle.edit_object", self.get_finding())
        super().check_permission(None)

    def get_cancel_url(self, obj):
        return self.url("cycle:finding_detail", pk=self.get_finding().pk)


def _year(request, default: int | None = None) -> int:
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and services.MIN_YEAR <= int(raw) <= services.MAX_YEAR:
        return int(raw)
    return default or selectors.today().year


# --- Yearly plan ---------------------------------------------------------------------------


class ActionList(CycleMixin, generic.ObjectListView):
    """The yearly plan of one year: its actions, filterable, with overdue marks."""

    template_name = "cycle/plan.html"
    partial_template_name = "cycle/_action_table.html"
    filter_form_class = ActionFilterForm
    selector = "weerbaar.cycle.selectors.action_list"

    def filters(self, d):
        return {
            "year": self.year,
            "query": d["q"],
            "theme": d["thema"].pk if d["thema"] else None,
            "status": d["status"],
            "overdue": d["te_laat"],
            "sort": d["sorteer"],
        }

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("jaar", "")
        self.year = _year(request)
        if raw != str(self.year):
            # The year is part of the address, so the filter form is always bound and links can be shared.
            query = request.GET.copy()
            query["jaar"] = str(self.year)
            return redirect(f"{request.path}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def alter_page(self, page):
        today = selectors.today()
        for action in page.object_list:
            action.overdue = action.is_open and action.due_date is not None and action.due_date < today

    def get_extra_context(self, form, filters):
        return {
            "year": self.year,
            "years": selectors.plan_years(organisation=self.organisation),
            "next_year_started": Action.objects.filter(organisation=self.organisation, year=self.year + 1).exists(),
        }


class OverdueList(CycleMixin, generic.ObjectListView):
    """Every open action past its due date, of any year."""

    template_name = "cycle/overdue.html"
    partial_template_name = "cycle/_action_table.html"
    selector = "weerbaar.cycle.selectors.overdue_actions"

    def alter_page(self, page):
        for action in page.object_list:
            action.overdue = True


class ActionDetail(CycleDetailView):
    template_name = "cycle/action_detail.html"
    context_object_name = "action"

    def get_queryset(self):
        return selectors.action_detail_queryset()

    def get_extra_context(self, action):
        return {
            "can_edit": self.allowed("cycle.edit_object", action),
            "can_set_status": self.allowed("cycle.set_status", action) and action.status != Action.Status.CARRIED_OVER,
            "statuses": [(s.value, s.label) for s in services.SETTABLE_STATUSES],
            "overdue": action.is_overdue,
        }


class ActionEdit(CycleEditView):
    model = Action
    form_class = ActionForm
    detail_url_name = "cycle:action_detail"
    list_url_name = "cycle:plan"
    success_message = gettext_lazy("Actie %(name)s is opgeslagen.")

    def get_title(self, obj):
        if obj is None:
            return _("Nieuwe actie in het jaarplan")
        return _("Actie %(name)s bewerken") % {"name": obj.title}

    def new_initial(self) -> dict:
        """A new action starts from a measure (?maatregel=) or a year (?jaar=)."""
        initial = {"year": _year(self.request), "status": Action.Status.PLANNED}
        measure_id = self.request.GET.get("maatregel", "")
        if measure_id.isdigit():
            measure = get_object_or_404(
                Measure.objects.prefetch_related("themes", "risks", "goals"), pk=int(measure_id)
            )
            initial |= services.action_from_measure_initial(measure)
            if measure.deadline:
                initial["year"] = measure.deadline.year
        return initial

    def save(self, form, obj):
        data = form.service_kwargs()
        if obj is None:
            data.pop("expected_revision")
            return services.action_create(organisation=self.organisation, membership=self.membership, **data)
        return services.action_save(organisation=self.organisation, membership=self.membership, action=obj, **data)


class ActionDelete(CycleDeleteView):
    model = Action
    detail_url_name = "cycle:action_detail"
    list_url_name = "cycle:plan"
    success_message = gettext_lazy("Actie %(name)s is verwijderd.")

    def dependents(self, obj):
        findings = list(obj.findings.all())
        return [
            generic.Dependents(
                _("Deze bevindingen zijn dan weer niet opgevolgd:"),
                findings,
                empty=_("Geen bevindingen verwijzen naar deze actie."),
            )
        ]

    def delete(self, obj):
        services.action_delete(membership=self.membership, action=obj)


@require_POST
@org_permission("cycle.view")
def action_status(request, org, pk):
    """Move an action's status (close it) from its page."""
    action = get_object_or_404(Action.objects.select_related("owner"), pk=pk)
    permissions.require(request.membership, "cycle.set_status", action)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status."))
        return redirect("cycle:action_detail", org=org, pk=pk)
    try:
        services.action_set_status(
            membership=request.membership,
            action=action,
            status=form.cleaned_data["status"],
            expected_revision=form.cleaned_data["revision"],
        )
    except services.StaleRevision as e:
        messages.error(
            request,
            _(
                "Iemand anders heeft deze actie intussen gewijzigd; de status is nu: %(status)s. "
                "Kies de status opnieuw als u hem toch wilt wijzigen."
            )
            % {"status": e.current.get_status_display()},
        )
        return redirect("cycle:action_detail", org=org, pk=pk)
    messages.success(
        request,
        _("De status van %(name)s is nu: %(status)s.") % {"name": action, "status": action.get_status_display()},
    )
    return redirect("cycle:action_detail", org=org, pk=pk)


@org_permission("cycle.view")
def progress(request, org):
    year = _year(request)
    rows, total = selectors.progress_by_theme(organisation=request.organisation, year=year)
    return TemplateResponse(
        request,
        "cycle/progress.html",
        {
            **_flags(request.membership),
            "subnav_template": SUBNAV,
            "year": year,
            "years": selectors.plan_years(organisation=request.organisation),
            "rows": rows,
            "total": total,
        },
    )


@org_permission("cycle.view")
def multi_year(request, org):
    from weerbaar.framework.models import FrameworkVersion, Step, StepEntry

    this_year = selectors.today().year
    years = selectors.plan_years(organisation=request.organisation)
    first, last = min(min(years), this_year - 2), max(max(years), this_year + 1)
    first = max(first, last - 7)
    overview = selectors.multi_year(organisation=request.organisation, first=first, last=last)
    version = (
        FrameworkVersion.objects.filter(organisation=request.organisation, status=FrameworkVersion.Status.ADOPTED)
        .order_by("-number")
        .first()
    )
    entries = {}
    if version is not None:
        entries = {e.step: e for e in StepEntry.objects.filter(version=version, step__in=[Step.VISION, Step.QUALITY])}
    return TemplateResponse(
        request,
        "cycle/multi_year.html",
        {
            **_flags(request.membership),
            "subnav_template": SUBNAV,
            "overview": overview,
            "version": version,
            "vision": entries.get(Step.VISION),
            "quality": entries.get(Step.QUALITY),
            "this_year": this_year,
        },
    )


@org_permission("cycle.view")
def start_next_year(request, org):
    """Confirmation page, then carry the open actions of a year over to the next."""
    permissions.require(request.membership, "cycle.manage_plan")
    year = _year(request)
    if request.method == "POST":
        raw = request.POST.get("jaar", "")
        year = int(raw) if raw.isdigit() else year
        try:
            created = services.plan_start_next_year(
                organisation=request.organisation, membership=request.membership, year=year
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("cycle:plan", org=org)
        messages.success(
            request,
            ngettext(
                "Het jaarplan %(year)s is gestart; %(n)s open actie is doorgeschoven.",
                "Het jaarplan %(year)s is gestart; %(n)s open acties zijn doorgeschoven.",
                len(created),
            )
            % {"year": year + 1, "n": len(created)},
        )
        return redirect(reverse("cycle:plan", kwargs={"org": org}) + f"?jaar={year + 1}")
    preview = services.carry_over_preview(organisation=request.organisation, year=year)
    return TemplateResponse(
        request,
        "cycle/start_next_year.html",
        {"subnav_template": SUBNAV, "preview": preview, "today": selectors.today()},
    )


# --- Checks --------------------------------------------------------------------------------


class CheckList(CycleMixin, generic.ObjectListView):
    template_name = "cycle/checks.html"
    partial_template_name = "cycle/_check_table.html"
    filter_form_class = CheckFilterForm
    selector = "weerbaar.cycle.selectors.check_list"

    def filters(self, d):
        return {"query": d["q"], "kind": d["soort"], "year": d["jaar"]}


class CheckDetail(CycleDetailView):
    template_name = "cycle/check_detail.html"
    context_object_name = "check"

    def get_queryset(self):
        return selectors.check_detail_queryset()


class CheckEdit(CycleEditView):
    model = Check
    form_class = CheckForm
    detail_url_name = "cycle:check_detail"
    list_url_name = "cycle:checks"
    success_message = gettext_lazy("Controle %(name)s is opgeslagen.")

    def get_title(self, obj):
        if obj is None:
            return _("Controle vastleggen")
        return _("Controle %(name)s bewerken") % {"name": obj.title}

    def new_initial(self):
        return {"date": selectors.today(), "status": Check.Status.DONE}

    def save(self, form, obj):
        return services.check_save(
            organisation=self.organisation, membership=self.membership, check=obj, **form.service_kwargs()
        )


class CheckDelete(CycleDeleteView):
    model = Check
    detail_url_name = "cycle:check_detail"
    list_url_name = "cycle:checks"
    success_message = gettext_lazy("Controle %(name)s is verwijderd.")

    def dependents(self, obj):
        return [
            generic.Dependents(
                _("Deze bevindingen worden ook verwijderd; acties, risico's en afwijkingen die eruit volgden blijven:"),
                list(obj.findings.all()),
                empty=_("Deze controle heeft geen bevindingen."),
            )
        ]

    def delete(self, obj):
        services.check_delete(membership=self.membership, check=obj)


# --- Findings ------------------------------------------------------------------------------


class FindingList(CycleMixin, generic.ObjectListView):
    template_name = "cycle/findings.html"
    partial_template_name = "cycle/_finding_table.html"
    filter_form_class = FindingFilterForm
    selector = "weerbaar.cycle.selectors.finding_list"

    def filters(self, d):
        return {"query": d["q"], "severity": d["ernst"], "state": d["opvolging"]}


class FindingDetail(CycleDetailView):
    template_name = "cycle/finding_detail.html"
    context_object_name = "finding"

    def get_queryset(self):
        return selectors.finding_detail_queryset()

    def get_extra_context(self, finding):
        can_edit = self.allowed("cycle.edit_object", finding)
        return {
            "can_edit": can_edit,
            "risk_form": FindingRiskLinkForm(organisation=self.organisation) if can_edit else None,
            "can_create_risk": can_edit and self.allowed("risks.create_themed"),
        }


class FindingEdit(CycleMixin, generic.ObjectEditView):
    """Change a finding; :class:`FindingCreate` records a new one on its check."""

    model = Finding
    related = ("source_check",)
    permission = "cycle.create"
    form_class = FindingForm
    detail_url_name = "cycle:finding_detail"
    list_url_name = "cycle:findings"
    success_message = gettext_lazy("Bevinding %(name)s is opgeslagen.")

    def get_check(self, obj):
        return obj.source_check

    def check_permission(self, obj):
        self.require("cycle.edit_object", self.get_check(obj))

    def get_title(self, obj):
        return _("Bevinding %(name)s bewerken") % {"name": obj.title}

    def get_form_kwargs(self, obj):
        return {"initial": FindingForm.initial_for(obj) if obj else {"severity": Finding.Severity.MEDIUM}}

    def save(self, form, obj):
        return services.finding_save(
            organisation=self.organisation,
            membership=self.membership,
            check=self.get_check(obj),
            finding=obj,
            **form.service_kwargs(),
        )


class FindingCreate(FindingEdit):
    """A new finding of the check named by ``pk``."""

    def get_object(self):
        return None

    def get_check(self, obj=None):
        if not hasattr(self, "_check"):
            self._check = get_object_or_404(Check.objects.prefetch_related("themes"), pk=self.kwargs["pk"])
        return self._check

    def get_title(self, obj):
        return _("Bevinding vastleggen bij %(check)s") % {"check": self.get_check()}

    def get_cancel_url(self, obj):
        return self.url("cycle:check_detail", pk=self.get_check().pk)


class FindingDelete(CycleDeleteView):
    model = Finding
    related = ("source_check",)
    detail_url_name = "cycle:finding_detail"
    list_url_name = "cycle:findings"
    success_message = gettext_lazy("Bevinding %(name)s is verwijderd.")

    def get_return_url(self, obj):
        return self.url("cycle:check_detail", pk=obj.source_check_id)

    def delete(self, obj):
        services.finding_delete(membership=self.membership, finding=obj)


class FindingActionCreate(FromFindingMixin, ActionEdit):
    """An improvement action from a finding: the action form, started from the finding's check."""

    def get_title(self, obj):
        return _("Verbeteractie bij bevinding %(name)s") % {"name": self.get_finding()}

    def new_initial(self):
        return {"status": Action.Status.PLANNED, **services.finding_action_initial(self.get_finding())}

    def save(self, form, obj):
        data = form.service_kwargs()
        data.pop("expected_revision")
        return services.finding_to_action(
            organisation=self.organisation, membership=self.membership, finding=self.get_finding(), **data
        )


class FindingRiskCreate(FromFindingMixin, CycleMixin, generic.ObjectEditView):
    """A new risk the finding brought to light: the register's risk form, saved through its service."""

    model = Finding
    permission = "cycle.create"
    create_rule = "risks.create_themed"
    themes_rule = "risks.edit_themes"
    form_class = RiskForm
    detail_url_name = "cycle:finding_detail"
    list_url_name = "cycle:findings"
    success_message = gettext_lazy("Risico %(name)s is vastgelegd en aan de bevinding gekoppeld.")

    def get_title(self, obj):
        return _("Nieuw risico uit bevinding %(name)s") % {"name": self.get_finding()}

    def get_form_kwargs(self, obj):
        finding = self.get_finding()
        self.scale = scale_for(self.organisation)
        initial = {
            "title": finding.title,
            "scenario": finding.description,
            "themes": list(finding.source_check.themes.all()),
        }
        return {
            "initial": initial,
            "organisation": self.organisation,
            "membership": self.membership,
            "scale": self.scale,
        }

    def get_return_url(self, obj):
        return self.url("cycle:finding_detail", pk=self.get_finding().pk)

    def save(self, form, obj):
        data = form.service_kwargs()
        data.pop("expected_revision")
        return services.finding_to_risk(
            organisation=self.organisation,
            membership=self.membership,
            finding=self.get_finding(),
            scale=self.scale,
            **data,
        )


@require_POST
@org_permission("cycle.view")
def finding_link_risk(request, org, pk):
    """Link a finding to an existing risk it changes (the risk is then revised in the register)."""
    finding = get_object_or_404(selectors.finding_detail_queryset(), pk=pk)
    permissions.require(request.membership, "cycle.edit_object", finding)
    form = FindingRiskLinkForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        services.finding_link(
            organisation=request.organisation,
            membership=request.membership,
            finding=finding,
            risk=form.cleaned_data["risk"],
        )
        messages.success(
            request,
            _("De bevinding is gekoppeld aan risico %(risk)s. Pas het risico aan in het register als het veranderd is.")
            % {"risk": form.cleaned_data["risk"]},
        )
        return redirect("cycle:finding_detail", org=org, pk=pk)
    return TemplateResponse(
        request,
        "cycle/finding_detail.html",
        {
            "subnav_template": SUBNAV,
            "finding": finding,
            "object": finding,
            "can_edit": True,
            "risk_form": form,
            "can_create_risk": permissions.allowed(request.membership, "risks.create_themed"),
        },
        status=400,
    )


# --- Deviations ----------------------------------------------------------------------------


class DeviationList(CycleMixin, generic.ObjectListView):
    template_name = "cycle/deviations.html"
    partial_template_name = "cycle/_deviation_table.html"
    filter_form_class = DeviationFilterForm
    selector = "weerbaar.cycle.selectors.deviation_list"

    def filters(self, d):
        return {"query": d["q"], "state": d["stand"]}


class DeviationDetail(CycleDetailView):
    template_name = "cycle/deviation_detail.html"
    context_object_name = "deviation"

    def get_queryset(self):
        return selectors.deviation_detail_queryset()


class DeviationEdit(CycleEditView):
    """Record a deviation (from a finding with ?bevinding=) or change one."""

    model = Deviation
    form_class = DeviationForm
    detail_url_name = "cycle:deviation_detail"
    list_url_name = "cycle:deviations"
    success_message = gettext_lazy("Afwijking %(name)s is opgeslagen.")

    def get_finding(self):
        if not hasattr(self, "_finding"):
            raw = self.request.GET.get("bevinding", "")
            self._finding = (
                get_object_or_404(selectors.finding_detail_queryset(), pk=int(raw)) if raw.isdigit() else None
            )
        return self._finding

    def get_title(self, obj):
        if obj is not None:
            return _("Afwijking %(name)s bewerken") % {"name": obj.title}
        if self.get_finding():
            return _("Afwijking accepteren bij bevinding %(name)s") % {"name": self.get_finding()}
        return _("Geaccepteerde afwijking vastleggen")

    def new_initial(self):
        initial = {"owner": self.membership}
        finding = self.get_finding()
        if finding is not None:
            initial |= {"title": finding.title, "themes": list(finding.source_check.themes.all())}
        return initial

    def save(self, form, obj):
        data = form.service_kwargs()
        if obj is None:
            data["finding"] = self.get_finding()
        else:
            data["finding"] = obj.finding
        return services.deviation_save(
            organisation=self.organisation, membership=self.membership, deviation=obj, **data
        )


class DeviationDelete(CycleDeleteView):
    model = Deviation
    detail_url_name = "cycle:deviation_detail"
    list_url_name = "cycle:deviations"
    success_message = gettext_lazy("Afwijking %(name)s is verwijderd.")

    def delete(self, obj):
        services.deviation_delete(membership=self.membership, deviation=obj)


# --- Excel ---------------------------------------------------------------------------------


@org_permission("cycle.view")
def export_xlsx(request, org):
    year = _year(request) if request.GET.get("jaar") else None
    content = excel.export_actions(organisation=request.organisation, year=year)
    suffix = f"-{year}" if year else ""
    return xlsx_response(content, f"weerbaar-jaarplan-{org}{suffix}.xlsx")


@org_permission("cycle.view")
def import_template(request, org):
    return xlsx_response(excel.import_template(), "weerbaar-jaarplan-sjabloon.xlsx")


@org_permission("cycle.view")
def import_xlsx(request, org):
    if request.method == "POST" and not permissions.allowed(request.membership, "cycle.create"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.import_actions(
                organisation=request.organisation, membership=request.membership, upload=form.cleaned_data["file"]
            )
        except excel.ImportRejected as e:
            errors = e.errors
        else:
            messages.success(
                request,
                ngettext("%(n)s actie ingelezen.", "%(n)s acties ingelezen.", result["actions"])
                % {"n": result["actions"]},
            )
            return redirect("cycle:plan", org=org)
    return TemplateResponse(
        request,
        "cycle/import.html",
        {"subnav_template": SUBNAV, "form": form, "errors": errors, **_flags(request.membership)},
        status=400 if errors or form.errors else 200,
    )

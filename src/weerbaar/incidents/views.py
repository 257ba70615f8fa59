"""The incident register's pages, declared on ``core.generic``.

Every queryset of incidents comes from ``selectors.visible_incidents`` (through the list and
detail selectors), so a confidential incident is a 404 for a member who is not its handler,
on every page that takes its id.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from weerbaar.core import generic, permissions
from weerbaar.core.decorators import apply_validation_error, org_permission
from weerbaar.core.generic import query_without_page
from weerbaar.core.selectors import paginate
from weerbaar.documents import views as documents_views
from weerbaar.documents.excel import xlsx_response
from weerbaar.risks.services import StaleRevision

from . import excel, selectors, services
from .forms import (
    ConclusionForm,
    EvaluationForm,
    FilterForm,
    ImportForm,
    IncidentForm,
    LocalTypeForm,
    ReportForm,
)
from .models import LocalIncidentType

SUBNAV = "incidents/_subnav.html"


def _flags(membership) -> dict:
    return {
        "can_create": permissions.allowed(membership, "incidents.create"),
        "can_manage": permissions.allowed(membership, "incidents.manage"),
    }


class IncidentsMixin:
    subnav_template = SUBNAV
    permission = "incidents.view"

    def base_context(self) -> dict:
        return {**super().base_context(), **_flags(self.membership)}


class IncidentQuerysetMixin:
    """Incidents through the member's visible queryset: a confidential one of others is a 404."""

    def get_queryset(self):
        return selectors.incident_detail_queryset(membership=self.membership)


# --- Register ------------------------------------------------------------------------------------


class IncidentList(IncidentsMixin, generic.ObjectListView):
    template_name = "incidents/incidents.html"
    partial_template_name = "incidents/_incident_table.html"
    filter_form_class = FilterForm
    per_page = 25

    def filters(self, d):
        return {
            "query": d["q"],
            "theme": d["thema"].pk if d["thema"] else None,
            "type_key": d["soort"],
            "severity": d["ernst"],
            "status": d["status"],
            "year": d["jaar"],
            "place": d["plaats"],
            "reports_due": d["meldingen_open"],
            "sort": d["sorteer"],
        }

    def get(self, request, *args, **kwargs):
        # As the generic list, but the selector takes the member (confidentiality), not only the municipality.
        form = FilterForm(request.GET or None, organisation=self.organisation)
        filters = self.filters(form.cleaned_data) if form.is_bound and form.is_valid() else {}
        page = paginate(
            selectors.register_page_rows(selectors.incident_list(membership=self.membership, **filters)),
            page=request.GET.get("pagina"),
            per_page=self.per_page,
        )
        partial = request.htmx and request.htmx.target == "results"
        context = {
            **self.base_context(),
            "form": form,
            "page": page,
            "query": query_without_page(request),
            # One reverse() for the page, not one per row.
            "detail_url": self.url("incidents:incident", pk=0).removesuffix("0/"),
        }
        return TemplateResponse(request, self.partial_template_name if partial else self.template_name, context)


class IncidentDetail(IncidentsMixin, IncidentQuerysetMixin, generic.ObjectDetailView):
    template_name = "incidents/incident_detail.html"
    context_object_name = "incident"

    def get_extra_context(self, incident):
        now = timezone.now()
        reports = list(incident.reports.all())
        for r in reports:
            r.overdue = r.is_overdue(now)
        return {"can_edit": self.allowed("incidents.edit", incident), "reports": reports}


class IncidentEdit(IncidentsMixin, IncidentQuerysetMixin, generic.ObjectEditView):
    form_class = IncidentForm
    edit_rule = "incidents.edit"
    create_rule = "incidents.create"
    themes_rule = "incidents.edit_themes"  # a theme expert posting other themes: 403 before the form
    detail_url_name = "incidents:incident"
    list_url_name = "incidents:list"

    def get_title(self, obj):
        if obj is None:
            return _("Incident vastleggen")
        return _("Incident %(ref)s bewerken") % {"ref": obj.reference}

    def get_success_message(self, obj):
        return _("Incident %(ref)s is opgeslagen.") % {"ref": obj.reference}

    def get_form_kwargs(self, obj):
        initial = IncidentForm.initial_for(obj) if obj else {}
        return {"initial": initial, "organisation": self.organisation, "membership": self.membership}

    def saved_values(self, form, current):
        return IncidentForm.initial_for(current)

    def save(self, form, obj):
        return services.incident_save(
            organisation=self.organisation, membership=self.membership, incident=obj, **form.service_kwargs()
        )


class IncidentDelete(IncidentsMixin, IncidentQuerysetMixin, generic.ObjectDeleteView):
    delete_rule = "incidents.edit"
    detail_url_name = "incidents:incident"
    list_url_name = "incidents:list"

    def get_success_message(self, obj):
        return _("Incident %(ref)s is verwijderd.") % {"ref": obj.reference}

    def dependents(self, obj):
        reports = [r.get_kind_display() for r in obj.reports.all()]
        return [
            generic.Dependents(
                _("Deze externe meldingen worden ook verwijderd:"),
                reports,
                empty=_("Er staan geen externe meldingen bij dit incident."),
            ),
            generic.Dependents(
                _("Deze acties blijven in het jaarplan staan, zonder koppeling met het incident:"),
                [str(a) for a in obj.actions.all()],
                empty=_("Er zijn geen acties uit dit incident voortgekomen."),
            ),
        ]

    def delete(self, obj):
        services.incident_delete(membership=self.membership, incident=obj)


class IncidentEvaluate(IncidentsMixin, IncidentQuerysetMixin, generic.ObjectEditView):
    form_class = EvaluationForm
    edit_rule = "incidents.edit"
    detail_url_name = "incidents:incident"
    list_url_name = "incidents:list"

    def get_object(self):
        return super().get_object()

    def get_title(self, obj):
        return _("Incident %(ref)s evalueren") % {"ref": obj.reference}

    def get_success_message(self, obj):
        return _("De evaluatie van %(ref)s is opgeslagen.") % {"ref": obj.reference}

    def get_form_kwargs(self, obj):
        return {"initial": EvaluationForm.initial_for(obj), "organisation": self.organisation}

    def saved_values(self, form, current):
        return EvaluationForm.initial_for(current)

    def save(self, form, obj):
        return services.incident_evaluate(
            organisation=self.organisation, membership=self.membership, incident=obj, **form.service_kwargs()
        )


# --- External reports ----------------------------------------------------------------------------


class ReportNew(IncidentsMixin, IncidentQuerysetMixin, generic.ObjectEditView):
    """A new report on the incident named by ``pk``."""

    form_class = ReportForm
    edit_rule = "incidents.edit"
    detail_url_name = "incidents:incident"

    def get(self, request, *args, **kwargs):
        self.incident = self.get_object()
        self.require(self.edit_rule, self.incident)
        return self.render(None, self.get_form(None))

    def post(self, request, *args, **kwargs):
        self.incident = self.get_object()
        self.require(self.edit_rule, self.incident)
        form = self.get_form(None)
        if form.is_valid():
            try:
                services.report_save(membership=self.membership, incident=self.incident, **form.service_kwargs())
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("De melding is opgeslagen."))
                return redirect(self.incident_url())
        return self.render(None, form)

    def get_form_kwargs(self, obj):
        return {}

    def incident_url(self):
        return self.url("incidents:incident", pk=self.incident.pk) + "#meldingen"

    def get_title(self, obj):
        return _("Externe melding bij %(ref)s") % {"ref": self.incident.reference}

    def get_cancel_url(self, obj):
        return self.incident_url()


class ReportQuerysetMixin:
    def get_queryset(self):
        return selectors.visible_reports(membership=self.membership).select_related("incident")


class ReportEdit(IncidentsMixin, ReportQuerysetMixin, generic.ObjectEditView):
    form_class = ReportForm

    def check_permission(self, obj):
        self.require("incidents.edit", obj.incident)

    def get_title(self, obj):
        return _("%(kind)s bij %(ref)s") % {"kind": obj.get_kind_display(), "ref": obj.incident.reference}

    def get_return_url(self, obj):
        return self.url("incidents:incident", pk=obj.incident_id) + "#meldingen"

    def get_success_message(self, obj):
        return _("De melding is opgeslagen.")

    def get_form_kwargs(self, obj):
        return {"initial": ReportForm.initial_for(obj)}

    def saved_values(self, form, current):
        return ReportForm.initial_for(current)

    def save(self, form, obj):
        return services.report_save(
            membership=self.membership, incident=obj.incident, report=obj, **form.service_kwargs()
        )


class ReportDelete(IncidentsMixin, ReportQuerysetMixin, generic.ObjectDeleteView):
    def check_permission(self, obj):
        self.require("incidents.edit", obj.incident)

    def get_return_url(self, obj):
        return self.url("incidents:incident", pk=obj.incident_id) + "#meldingen"

    def get_cancel_url(self, obj):
        return self.get_return_url(obj)

    def get_success_message(self, obj):
        return _("De melding is verwijderd.")

    def delete(self, obj):
        services.report_delete(membership=self.membership, report=obj)


# --- Own types -----------------------------------------------------------------------------------


@org_permission("incidents.view")
def type_list(request, org):
    from .models import IncidentType

    return TemplateResponse(
        request,
        "incidents/types.html",
        {
            **_flags(request.membership),
            "catalogue": IncidentType.objects.prefetch_related("themes").order_by("order", "name"),
            "own": selectors.local_types(organisation=request.organisation),
        },
    )


class TypeEdit(IncidentsMixin, generic.ObjectEditView):
    model = LocalIncidentType
    form_class = LocalTypeForm
    create_rule = edit_rule = "incidents.manage"
    list_url_name = "incidents:types"
    success_message = gettext_lazy("De soort is opgeslagen.")

    def get_title(self, obj):
        return _("Nieuwe eigen soort incident") if obj is None else _("Soort %(name)s bewerken") % {"name": obj.name}

    def get_return_url(self, obj):
        return self.url("incidents:types")

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.local_type_save(
            organisation=self.organisation,
            membership=self.membership,
            local_type=obj,
            expected_revision=expected,
            **data,
        )


class TypeDelete(IncidentsMixin, generic.ObjectDeleteView):
    model = LocalIncidentType
    delete_rule = "incidents.manage"
    list_url_name = "incidents:types"
    success_message = gettext_lazy("De soort is verwijderd.")

    def get_cancel_url(self, obj):
        return self.url("incidents:types")

    def delete(self, obj):
        services.local_type_delete(membership=self.membership, local_type=obj)


# --- Patterns ------------------------------------------------------------------------------------


def _year(request) -> int:
    raw = request.GET.get("jaar", "")
    this_year = timezone.localdate().year
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return this_year


@org_permission("incidents.view")
def patterns(request, org):
    year = _year(request)
    membership = request.membership
    can_manage = permissions.allowed(membership, "incidents.manage")
    data = selectors.member_patterns(membership=membership, year=year)
    form = None
    status = 200
    if can_manage:
        initial = {"text": data.conclusion.text, "revision": data.conclusion.revision} if data.conclusion else {}
        form = ConclusionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        permissions.require(membership, "incidents.manage")
        status = 400
        if form.is_valid():
            values, expected = form.pop_revision()
            try:
                services.conclusion_save(
                    organisation=request.organisation,
                    membership=membership,
                    year=year,
                    text=values["text"],
                    expected_revision=expected,
                )
            except StaleRevision as e:
                form.add_error(None, e.messages[0])
                form.carry_revision(e.current.revision)
                status = 409
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("De conclusie over %(year)s is opgeslagen.") % {"year": year})
                return redirect(request.path + f"?jaar={year}")
    years = sorted(set(data.years) | {timezone.localdate().year, year}, reverse=True)
    return TemplateResponse(
        request,
        "incidents/patterns.html",
        {**_flags(membership), "p": data, "year": year, "years": years, "form": form},
        status=status,
    )


# --- Excel ---------------------------------------------------------------------------------------


@org_permission("incidents.view")
def export_xlsx(request, org):
    """A small register at once; a large one (seconds of work) as a background job with a status page."""
    from weerbaar.documents.tasks import request_render

    filename = excel.export_filename(request.organisation)
    if selectors.visible_incidents(membership=request.membership).count() <= excel.EXPORT_INLINE_MAX:
        return xlsx_response(excel.export_incidents(membership=request.membership), filename)
    job = request_render(
        organisation=request.organisation,
        render=excel.export_job,
        source_id=request.membership.pk,
        title=_("Incidentenregister (Excel)"),
        filename=filename,
        content_type=excel.XLSX_CONTENT_TYPE,
        user=request.user,
    )
    return redirect("incidents:export_job", org=org, pk=job.pk)


_JOBS = "weerbaar.incidents."  # the job pages show only this app's jobs


@require_safe
@org_permission("incidents.view")
def export_job(request, org, pk):
    return documents_views.job_status(
        request,
        pk,
        status_url=reverse("incidents:export_job", kwargs={"org": org, "pk": pk}),
        download_url=reverse("incidents:export_download", kwargs={"org": org, "pk": pk}),
        back_url=reverse("incidents:list", kwargs={"org": org}),
        back_label=_("Incidenten"),
        renderer_prefix=_JOBS,
    )


@require_safe
@org_permission("incidents.view")
def export_download(request, org, pk):
    return documents_views.job_download(request, pk, renderer_prefix=_JOBS)


@org_permission("incidents.view")
def import_template(request, org):
    return xlsx_response(excel.import_template(organisation=request.organisation), "weerbaar-incidenten-sjabloon.xlsx")


@org_permission("incidents.view")
def import_xlsx(request, org):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    can_import = permissions.allowed(request.membership, "incidents.create")
    if request.method == "POST":
        permissions.require(request.membership, "incidents.create")
        if form.is_valid():
            try:
                result = excel.import_incidents(
                    organisation=request.organisation,
                    membership=request.membership,
                    upload=form.cleaned_data["file"],
                )
            except excel.ImportRejected as e:
                errors = e.errors
            else:
                messages.success(
                    request, _("Ingelezen: %(n)s incidenten.") % {"n": result["incidents"]} + " " + result["summary"]
                )
                return redirect("incidents:list", org=org)
    return TemplateResponse(
        request,
        "incidents/import.html",
        {**_flags(request.membership), "form": form, "errors": errors, "can_import": can_import},
        status=400 if errors or form.errors else 200,
    )


def default_year() -> int:
    return datetime.date.today().year

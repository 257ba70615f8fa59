"""The register's views: declarations on ``core.generic``, plus the pages that are not a register.

Assets, own threats, risks, measures and conflicts are each a model, a form, a selector and a
service declared on the generic list/detail/edit/delete views; who may do what is asked of
``permissions.py`` through ``core.permissions``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from weerbaar.core import dataversion, generic, permissions
from weerbaar.core.decorators import apply_validation_error as _apply_validation_error
from weerbaar.core.decorators import org_permission

from . import excel, scoring, selectors, services
from .forms import (
    AssetFilterForm,
    AssetForm,
    ConflictForm,
    ImportForm,
    LocalThreatForm,
    MatrixForm,
    MeasureFilterForm,
    MeasureForm,
    MeasureStatusForm,
    RiskFilterForm,
    RiskForm,
)
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk


def _status(form) -> int:
    return 400 if form is not None and form.errors else 200


def _flags(membership) -> dict:
    """What the register's pages offer this member: the same rules the services apply."""
    return {
        "can_manage": permissions.allowed(membership, "risks.manage_register"),
        "can_create": permissions.allowed(membership, "risks.create_themed"),
    }


def _detail_prefix(url_name: str, org: str) -> str:
    """A detail URL up to the id ("/g/x/risico/risicos/"): long lists add ``{{ pk }}/`` to it
    instead of reversing the URL once per row, which costs more than the rest of the row."""
    url = reverse(url_name, kwargs={"org": org, "pk": 1})
    assert url.endswith("/1/"), url  # noqa: S101 - the register's detail URLs end in <pk>/
    return url[: -len("1/")]


def _ctx(request, **extra) -> dict:
    return {**_flags(request.membership), **extra}


class RegisterMixin:
    """What every register page shares: the sub navigation and the member's action flags."""

    subnav_template = "risks/_subnav.html"

    def base_context(self) -> dict:
        return {**super().base_context(), **_flags(self.membership)}


class ThemedEditMixin:
    """Risks and measures: a theme expert posting themes outside their own is refused (403)."""

    edit_rule = "risks.edit_object"
    create_rule = "risks.create_themed"
    themes_rule = "risks.edit_themes"


# --- Integral view -------------------------------------------------------------------------


@org_permission("view")
def overview(request, org):
    organisation = request.organisation
    scale = selectors.scale_for(organisation)
    versions = dataversion.current(organisation.pk)  # once for the figures the page keeps
    inherent, residual = selectors.heatmaps(organisation=organisation, scale=scale, versions=versions)
    attention = list(selectors.attention_risks(organisation=organisation, brief=True)[:50])
    overlap_list, overlap_total = selectors.overlaps(organisation=organisation, limit=25, versions=versions)
    return TemplateResponse(
        request,
        "risks/overview.html",
        _ctx(
            request,
            scale=scale,
            heatmaps=[inherent, residual],
            attention=attention,
            overlaps=overlap_list,
            overlap_total=overlap_total,
            conflicts=_with_edit_flags(request, selectors.conflicts(organisation=organisation)[:50]),
            counts=selectors.register_counts(organisation=organisation, versions=versions),
            risk_url=_detail_prefix("risks:risk", org),
            measure_url=_detail_prefix("risks:measure", org),
        ),
    )


@org_permission("view")
def coverage(request, org):
    goals, rows, totals = selectors.coverage(organisation=request.organisation)
    return TemplateResponse(
        request,
        "risks/coverage.html",
        {"goals": goals, "rows": rows, "totals": totals, "thread": totals.get("thread")},
    )


@org_permission("view")
def budget(request, org):
    years, rows, total = selectors.budget(organisation=request.organisation)
    return TemplateResponse(request, "risks/budget.html", {"years": years, "rows": rows, "total": total})


@org_permission("view")
def matrix(request, org):
    organisation = request.organisation
    current = selectors.matrix_for(organisation)
    scale = selectors.scale_for(organisation)
    can_manage = permissions.allowed(request.membership, "risks.manage_register")
    form = None
    if can_manage:
        initial = {
            "likelihood_levels": current.likelihood_levels,
            "impact_levels": current.impact_levels,
            "likelihood_labels": "\n".join(scale.likelihood_labels),
            "impact_labels": "\n".join(scale.impact_labels),
            "acceptance_level": current.acceptance_level,
            "critical_level": current.critical_level,
        }
        form = MatrixForm(request.POST or None, initial=initial)
    if request.method == "POST":
        permissions.require(request.membership, "risks.manage_register")
        if form.is_valid():
            try:
                _matrix, changed = services.matrix_update(
                    organisation=organisation, membership=request.membership, **form.service_kwargs()
                )
            except ValidationError as e:
                _apply_validation_error(form, e)
            else:
                messages.success(
                    request,
                    _("De risicomatrix is opgeslagen; %(n)s risico's zijn opnieuw berekend.") % {"n": changed},
                )
                return redirect("risks:matrix", org=org)
    inherent, _residual = selectors.heatmaps(organisation=organisation, scale=scale)
    return TemplateResponse(
        request,
        "risks/matrix.html",
        {"form": form, "scale": scale, "heatmap": inherent, "can_manage": can_manage},
        status=_status(form),
    )


# --- Assets --------------------------------------------------------------------------------


class AssetList(RegisterMixin, generic.ObjectListView):
    template_name = "risks/assets.html"
    partial_template_name = "risks/_asset_table.html"
    filter_form_class = AssetFilterForm
    selector = "weerbaar.risks.selectors.asset_list"

    def filters(self, d):
        return {"query": d["q"], "kind": d["soort"], "criticality": d["belang"], "sort": d["sorteer"]}


class AssetDetail(RegisterMixin, generic.ObjectDetailView):
    model = Asset
    template_name = "risks/asset_detail.html"
    context_object_name = "asset"

    def get_extra_context(self, obj):
        return {"risks": obj.risks.prefetch_related("themes").order_by("-current_score", "title")}


class AssetEdit(RegisterMixin, generic.ObjectEditView):
    model = Asset
    form_class = AssetForm
    create_rule = edit_rule = "risks.manage_register"
    detail_url_name = "risks:asset"
    list_url_name = "risks:assets"
    success_message = gettext_lazy("Bedrijfsmiddel %(name)s is opgeslagen.")

    def get_title(self, obj):
        if obj is None:
            return _("Nieuw bedrijfsmiddel")
        return _("Bedrijfsmiddel %(name)s bewerken") % {"name": obj.name}

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.asset_save(
            organisation=self.organisation, membership=self.membership, asset=obj, expected_revision=expected, **data
        )


class AssetDelete(RegisterMixin, generic.ObjectDeleteView):
    model = Asset
    detail_url_name = "risks:asset"
    delete_rule = "risks.manage_register"
    list_url_name = "risks:assets"
    success_message = gettext_lazy("Bedrijfsmiddel %(name)s is verwijderd.")

    def dependents(self, obj):
        risks = selectors.asset_dependents(asset=obj)["risks"]
        intro = ngettext(
            "Dit bedrijfsmiddel wordt genoemd in %(counter)s risico. Dat risico blijft bestaan, maar verliest de "
            "koppeling:",
            "Dit bedrijfsmiddel wordt genoemd in %(counter)s risico's. Die blijven bestaan, maar verliezen de "
            "koppeling:",
            len(risks),
        ) % {"counter": len(risks)}
        return [generic.Dependents(intro, risks, empty=_("Geen risico's verwijzen naar dit bedrijfsmiddel."))]

    def delete(self, obj):
        services.asset_delete(membership=self.membership, asset=obj)


# --- Threats -------------------------------------------------------------------------------


@org_permission("view")
def threat_list(request, org):
    organisation = request.organisation
    return TemplateResponse(
        request,
        "risks/threats.html",
        _ctx(
            request,
            catalogue=selectors.threat_catalogue_with_counts(organisation=organisation),
            own=selectors.local_threats(organisation=organisation),
        ),
    )


class ThreatEdit(RegisterMixin, generic.ObjectEditView):
    model = LocalThreat
    form_class = LocalThreatForm
    create_rule = edit_rule = "risks.manage_register"
    list_url_name = "risks:threats"
    success_message = gettext_lazy("De dreiging is opgeslagen.")

    def get_title(self, obj):
        if obj is None:
            return _("Nieuwe eigen dreiging")
        return _("Dreiging %(name)s bewerken") % {"name": obj.name}

    def get_return_url(self, obj):
        # Own threats are listed beside the catalogue; they have no page of their own.
        return self.url("risks:threats")

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.local_threat_save(
            organisation=self.organisation, membership=self.membership, threat=obj, expected_revision=expected, **data
        )


class ThreatDelete(RegisterMixin, generic.ObjectDeleteView):
    model = LocalThreat
    delete_rule = "risks.manage_register"
    list_url_name = "risks:threats"
    success_message = gettext_lazy("De dreiging is verwijderd.")

    def dependents(self, obj):
        intro = _(
            "Deze dreiging kan niet worden verwijderd zolang deze risico's haar gebruiken. Kies bij die risico's "
            "eerst een andere dreiging:"
        )
        risks = selectors.local_threat_dependents(threat=obj)["risks"]
        return [generic.Dependents(intro, risks, blocks=True, link="risks:risk_edit")]

    def delete(self, obj):
        services.local_threat_delete(membership=self.membership, threat=obj)


# --- Risks ---------------------------------------------------------------------------------


class RiskList(RegisterMixin, generic.ObjectListView):
    template_name = "risks/risks.html"
    partial_template_name = "risks/_risk_table.html"
    filter_form_class = RiskFilterForm
    selector = "weerbaar.risks.selectors.risk_list"

    def filters(self, d):
        return {
            "query": d["q"],
            "theme": d["thema"].pk if d["thema"] else None,
            "treatment": d["besluit"],
            "above_acceptance": d["boven_grens"],
            "sort": d["sorteer"],
            "position": d["positie"],
            "likelihood": d["kans"],
            "impact": d["impact"],
        }

    def get_extra_context(self, form, filters):
        return {
            "cell": filters if filters.get("likelihood") and filters.get("impact") else None,
            "scale": selectors.scale_for(self.organisation),
            "risk_url": _detail_prefix("risks:risk", self.organisation.slug),
        }


class RiskDetail(RegisterMixin, generic.ObjectDetailView):
    template_name = "risks/risk_detail.html"
    context_object_name = "risk"

    def get_queryset(self):
        return selectors.risk_detail_queryset()

    def get_extra_context(self, risk):
        scale = selectors.scale_for(self.organisation)
        return {
            "scale": scale,
            "inherent_level": scoring.LEVEL_LABELS[scoring.level(risk.inherent_score, scale)],
            "current_level": scoring.LEVEL_LABELS[scoring.level(risk.current_score, scale)],
            "can_edit": self.allowed("risks.edit_object", risk),
        }


class RiskEdit(ThemedEditMixin, RegisterMixin, generic.ObjectEditView):
    model = Risk
    form_class = RiskForm
    detail_url_name = "risks:risk"
    list_url_name = "risks:risks"
    success_message = gettext_lazy("Risico %(name)s is opgeslagen.")

    def get_title(self, obj):
        if obj is None:
            return _("Nieuw risico")
        return _("Risico %(name)s bewerken") % {"name": obj.title}

    def get_form_kwargs(self, obj):
        self.scale = selectors.scale_for(self.organisation)
        return {
            "initial": RiskForm.initial_for(obj) if obj else {},
            "organisation": self.organisation,
            "membership": self.membership,
            "scale": self.scale,
        }

    def saved_values(self, form, current):
        return RiskForm.initial_for(current)

    def save(self, form, obj):
        return services.risk_save(
            organisation=self.organisation,
            membership=self.membership,
            risk=obj,
            scale=self.scale,
            **form.service_kwargs(),
        )


class RiskDelete(RegisterMixin, generic.ObjectDeleteView):
    model = Risk
    detail_url_name = "risks:risk"
    delete_rule = "risks.edit_object"
    list_url_name = "risks:risks"
    success_message = gettext_lazy("Risico %(name)s is verwijderd.")

    def dependents(self, obj):
        measures = selectors.risk_dependents(risk=obj)["measures"]
        intro = ngettext(
            "%(counter)s maatregel vermindert dit risico. De maatregel blijft bestaan, maar verliest de koppeling:",
            "%(counter)s maatregelen verminderen dit risico. Die blijven bestaan, maar verliezen de koppeling:",
            len(measures),
        ) % {"counter": len(measures)}
        return [generic.Dependents(intro, measures, empty=_("Geen maatregelen verwijzen naar dit risico."))]

    def delete(self, obj):
        services.risk_delete(membership=self.membership, risk=obj)


# --- Measures ------------------------------------------------------------------------------


class MeasureList(RegisterMixin, generic.ObjectListView):
    template_name = "risks/measures.html"
    partial_template_name = "risks/_measure_table.html"
    selector = "weerbaar.risks.selectors.measure_list"

    def filter_form_class(self, data):
        return MeasureFilterForm(data, organisation=self.organisation)

    def filters(self, d):
        return {
            "query": d["q"],
            "theme": d["thema"].pk if d["thema"] else None,
            "goal": d["doel"].pk if d["doel"] else None,
            "status": d["status"],
            "measure_type": d["type"],
            "kind": d["soort"],
            "sort": d["sorteer"],
        }

    def alter_page(self, page):
        for measure in page.object_list:
            measure.can_edit = self.allowed("risks.edit_object", measure)

    def get_extra_context(self, form, filters):
        return {"statuses": Measure.Status.choices, "measure_url": _detail_prefix("risks:measure", self.kwargs["org"])}


class MeasureDetail(RegisterMixin, generic.ObjectDetailView):
    template_name = "risks/measure_detail.html"
    context_object_name = "measure"

    def get_queryset(self):
        return selectors.measure_detail_queryset()

    def get_extra_context(self, measure):
        return {
            "thread": selectors.measure_thread(organisation=self.organisation, measure=measure),
            "can_edit": self.allowed("risks.edit_object", measure),
            "dependents": selectors.measure_dependents(measure=measure),
        }


class MeasureEdit(ThemedEditMixin, RegisterMixin, generic.ObjectEditView):
    model = Measure
    form_class = MeasureForm
    detail_url_name = "risks:measure"
    list_url_name = "risks:measures"
    success_message = gettext_lazy("Maatregel %(name)s is opgeslagen.")

    def get_title(self, obj):
        if obj is None:
            return _("Nieuwe maatregel")
        return _("Maatregel %(name)s bewerken") % {"name": obj.title}

    def get_form_kwargs(self, obj):
        initial = MeasureForm.initial_for(obj) if obj else {}
        risk_id = self.request.GET.get("risico", "")
        if obj is None and risk_id.isdigit():
            # "Add a measure" from a risk's page starts with that risk linked.
            initial["risks"] = list(Risk.objects.filter(organisation=self.organisation, pk=int(risk_id)))
        return {"initial": initial, "organisation": self.organisation, "membership": self.membership}

    def saved_values(self, form, current):
        return MeasureForm.initial_for(current)

    def save(self, form, obj):
        try:
            return services.measure_save(
                organisation=self.organisation, membership=self.membership, measure=obj, **form.service_kwargs()
            )
        except services.LinkNotAllowed as e:
            # A risk the expert may not change: shown at the field, the rest of the input kept.
            raise ValidationError({e.field: e.message}) from e


class MeasureDelete(RegisterMixin, generic.ObjectDeleteView):
    model = Measure
    detail_url_name = "risks:measure"
    delete_rule = "risks.edit_object"
    list_url_name = "risks:measures"
    success_message = gettext_lazy("Maatregel %(name)s is verwijderd.")

    def dependents(self, obj):
        found = selectors.measure_dependents(measure=obj)
        groups = [
            generic.Dependents(_("Deze risico's verliezen de koppeling met de maatregel:"), found["risks"]),
            generic.Dependents(
                _("Deze vastgelegde conflicten worden ook verwijderd:"),
                [f"{c.measure_a} ↔ {c.measure_b}" for c in found["conflicts"]],
            ),
        ]
        if not found["risks"] and not found["conflicts"]:
            groups.append(generic.Dependents("", empty=_("Niets anders verwijst naar deze maatregel.")))
        return groups

    def delete(self, obj):
        services.measure_delete(membership=self.membership, measure=obj)


@require_POST
@org_permission("edit")
def measure_status(request, org, pk):
    """Inline status change: htmx swaps the table row, a plain form post returns to the list."""
    measure = get_object_or_404(Measure.objects.prefetch_related("themes", "goals", "catalogue_goals"), pk=pk)
    permissions.require(request.membership, "risks.edit_object", measure)
    form = MeasureStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Kies een geldige status."), status=400)
    try:
        services.measure_set_status(
            membership=request.membership,
            measure=measure,
            status=form.cleaned_data["status"],
            expected_revision=form.cleaned_data["revision"],
        )
    except services.StaleRevision as e:
        current = e.current
        notice = _(
            "Iemand anders heeft deze maatregel intussen gewijzigd; de status is nu: %(status)s. "
            "Kies de status opnieuw als u hem toch wilt wijzigen."
        ) % {"status": current.get_status_display()}
        if request.htmx:
            row = selectors.measure_row(organisation=request.organisation, pk=current.pk)
            row.can_edit = True
            return TemplateResponse(
                request,
                "risks/_measure_row.html",
                {**_row_context(row, org), "stale": notice},
                # htmx swaps only 2xx answers: the row shows the status someone else saved and says so.
                status=200,
            )
        return TemplateResponse(
            request,
            "core/object_edit.html",
            {
                "form": None,
                "object": current,
                "title": _("Maatregel %(name)s bewerken") % {"name": current.title},
                "subnav_template": "risks/_subnav.html",
                "conflict": {"message": notice, "rows": []},
            },
            status=409,
        )
    if request.htmx:
        row = selectors.measure_row(organisation=request.organisation, pk=measure.pk)
        row.can_edit = True
        return TemplateResponse(request, "risks/_measure_row.html", {**_row_context(row, org), "saved": True})
    messages.success(
        request,
        _("De status van %(name)s is nu: %(status)s.") % {"name": measure, "status": measure.get_status_display()},
    )
    back = request.POST.get("next", "")
    if back.startswith(f"/g/{org}/"):
        return redirect(back)
    return redirect("risks:measures", org=org)


# --- Conflicts -----------------------------------------------------------------------------


def _row_context(measure: Measure, org: str) -> dict:
    """What risks/_measure_row.html needs for one line answered to htmx."""
    return {"m": measure, "statuses": Measure.Status.choices, "measure_url": _detail_prefix("risks:measure", org)}


def _with_edit_flags(request, conflicts) -> list:
    """Mark each conflict the member may edit: the rule conflict_edit asks (both measures)."""
    conflicts = list(conflicts)
    for conflict in conflicts:
        conflict.editable = permissions.allowed(request.membership, "risks.edit_conflict", conflict)
    return conflicts


class ConflictEdit(RegisterMixin, generic.ObjectEditView):
    model = MeasureConflict
    related = ("measure_a", "measure_b")
    form_class = ConflictForm
    edit_rule = "risks.edit_conflict"
    list_url_name = "risks:overview"
    success_message = gettext_lazy("Het conflict is vastgelegd.")
    FIELDS = ("measure_a", "measure_b", "description", "resolution", "state")

    def get_title(self, obj):
        return _("Conflict bewerken") if obj is not None else _("Conflict tussen maatregelen vastleggen")

    def get_return_url(self, obj):
        # Conflicts are listed on the integral view; they have no page of their own.
        return self.url("risks:overview")

    def get_form_kwargs(self, obj):
        initial = {}
        if obj is not None:
            initial = {f: getattr(obj, f) for f in self.FIELDS} | {"revision": obj.revision}
        elif self.request.GET.get("maatregel", "").isdigit():
            initial["measure_a"] = Measure.objects.filter(pk=int(self.request.GET["maatregel"])).first()
        return {"initial": initial, "organisation": self.organisation}

    def saved_values(self, form, current):
        return {f: getattr(current, f) for f in self.FIELDS}

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.conflict_save(
            organisation=self.organisation,
            membership=self.membership,
            conflict=obj,
            expected_revision=expected,
            **data,
        )


class ConflictDelete(RegisterMixin, generic.ObjectDeleteView):
    model = MeasureConflict
    related = ("measure_a", "measure_b")
    delete_rule = "risks.edit_conflict"
    list_url_name = "risks:overview"
    success_message = gettext_lazy("Het conflict is verwijderd.")

    def describe(self, obj):
        return f"{obj.measure_a} ↔ {obj.measure_b}: {obj.description}"

    def delete(self, obj):
        services.conflict_delete(membership=self.membership, conflict=obj)


# --- Excel ---------------------------------------------------------------------------------


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_permission("view")
def export_xlsx(request, org):
    content = excel.export_register(organisation=request.organisation)
    return _xlsx_response(content, f"weerbaar-register-{org}.xlsx")


@org_permission("view")
def import_template(request, org):
    return _xlsx_response(excel.import_template(), "weerbaar-importsjabloon.xlsx")


@org_permission("view")
def import_xlsx(request, org):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        permissions.require(request.membership, "risks.create_themed")
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.import_register(
                organisation=request.organisation, membership=request.membership, upload=form.cleaned_data["file"]
            )
        except excel.ImportRejected as e:
            errors = e.errors
        else:
            messages.success(
                request,
                _("Ingelezen: %(assets)s bedrijfsmiddelen, %(risks)s risico's en %(measures)s maatregelen.") % result
                + " "
                + result.get("summary", ""),
            )
            return redirect("risks:overview", org=org)
    return TemplateResponse(
        request,
        "risks/import.html",
        {"form": form, "errors": errors},
        status=400 if errors or form.errors else 200,
    )


# --- Report --------------------------------------------------------------------------------


def _report_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_permission("view")
def report_pdf(request, org):
    from . import report

    content = report.render_pdf(report.register_report(organisation=request.organisation))
    return _report_response(content, "application/pdf", f"weerbaar-risicobeeld-{org}.pdf")


@org_permission("view")
def report_word(request, org):
    from weerbaar.documents.word import DOCX_CONTENT_TYPE

    from . import report

    content = report.render_word(report.register_report(organisation=request.organisation))
    return _report_response(content, DOCX_CONTENT_TYPE, f"weerbaar-risicobeeld-{org}.docx")

"""Thin views of the register: parse input, call a service or selector, render."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.core.decorators import apply_validation_error as _apply_validation_error
from weerbaar.core.decorators import org_permission
from weerbaar.core.money import format_money
from weerbaar.core.selectors import paginate

from . import excel, permissions, scoring, selectors, services
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

PER_PAGE = 25


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def _status(form) -> int:
    return 400 if form is not None and form.errors else 200


def _require_posted_themes(request) -> None:
    """A theme expert posting themes outside their own is refused (403), not asked to correct."""
    if request.method != "POST":
        return
    ids = {int(v) for v in request.POST.getlist("themes") if str(v).isdigit()}
    if ids:
        permissions.require(permissions.can_edit_themed(request.membership, ids))


def _display(field, value) -> str:
    """A form value as a person reads it, for the 'someone else saved this' table."""
    if value is None or value == "":
        return ""
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(sorted(_display(field, v) for v in value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, Decimal):
        return f"€ {format_money(value)}"
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(key)] = str(label)
        return labels.get(str(value), str(value))
    return str(value).replace("\r\n", "\n").strip()


def _stale_differences(form, saved: dict) -> list[dict]:
    """Per field: what the other person saved and what this editor typed, where they differ."""
    rows = []
    for name, field in form.fields.items():
        if name == "revision" or name.endswith("_confirmed") or name not in saved:
            continue
        theirs, mine = _display(field, saved[name]), _display(field, form.cleaned_data.get(name))
        if theirs != mine:
            rows.append({"label": field.label or name, "theirs": theirs, "mine": mine})
    return rows


def _stale(form, error: services.StaleRevision, saved: dict) -> dict:
    """The conflict shown above the form; the form now carries the current revision."""
    conflict = {"message": error.messages[0], "rows": _stale_differences(form, saved)}
    form.carry_revision(error.current.revision)
    return conflict


def _model_values(form, instance) -> dict:
    return model_to_dict(instance, fields=list(form._meta.fields))


def _ctx(request, **extra) -> dict:
    m = request.membership
    return {
        "can_manage": permissions.can_manage_register(m),
        "can_create": permissions.can_create_themed(m),
        **extra,
    }


# --- Integral view -------------------------------------------------------------------------


@org_permission("view")
def overview(request, org):
    organisation = request.organisation
    scale = selectors.scale_for(organisation)
    inherent, residual = selectors.heatmaps(organisation=organisation, scale=scale)
    attention = list(selectors.attention_risks(organisation=organisation)[:50])
    overlap_list, overlap_total = selectors.overlaps(organisation=organisation, limit=25)
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
            counts=selectors.register_counts(organisation=organisation),
        ),
    )


@org_permission("view")
def coverage(request, org):
    goals, rows, totals = selectors.coverage(organisation=request.organisation)
    return TemplateResponse(request, "risks/coverage.html", {"goals": goals, "rows": rows, "totals": totals})


@org_permission("view")
def budget(request, org):
    years, rows, total = selectors.budget(organisation=request.organisation)
    return TemplateResponse(request, "risks/budget.html", {"years": years, "rows": rows, "total": total})


@org_permission("view")
def matrix(request, org):
    organisation = request.organisation
    current = selectors.matrix_for(organisation)
    scale = selectors.scale_for(organisation)
    can_manage = permissions.can_manage_register(request.membership)
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
        permissions.require(can_manage)
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


@org_permission("view")
def asset_list(request, org):
    form = AssetFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"query": d["q"], "kind": d["soort"], "criticality": d["belang"], "sort": d["sorteer"]}
    page = paginate(
        selectors.asset_list(organisation=request.organisation, **filters),
        page=request.GET.get("pagina"),
        per_page=PER_PAGE,
    )
    template = "risks/_asset_table.html" if request.htmx and request.htmx.target == "results" else "risks/assets.html"
    return TemplateResponse(request, template, _ctx(request, form=form, page=page, query=_query_without_page(request)))


@org_permission("view")
def asset_detail(request, org, pk):
    asset = get_object_or_404(Asset, pk=pk)
    risks = asset.risks.prefetch_related("themes").order_by("-current_score", "title")
    return TemplateResponse(request, "risks/asset_detail.html", _ctx(request, asset=asset, risks=risks))


@org_permission("edit")
def asset_edit(request, org, pk=None):
    asset = get_object_or_404(Asset, pk=pk) if pk else None
    permissions.require(permissions.can_manage_register(request.membership))
    form = AssetForm(request.POST or None, instance=asset)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data, expected = form.pop_revision()
        try:
            saved = services.asset_save(
                organisation=request.organisation,
                membership=request.membership,
                asset=asset,
                expected_revision=expected,
                **data,
            )
        except services.StaleRevision as e:
            conflict = _stale(form, e, _model_values(form, e.current))
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("Bedrijfsmiddel %(name)s is opgeslagen.") % {"name": saved})
            return redirect("risks:asset", org=org, pk=saved.pk)
    return _edit_response(request, form, asset, "asset", conflict)


def _edit_response(request, form, obj, kind: str, conflict: dict | None) -> TemplateResponse:
    """The edit page: 200 to start, 400 with the errors, 409 when someone else saved in between."""
    status = 409 if conflict else _status(form)
    if obj is not None and obj.pk is None:
        obj = None
    context = {"form": form, "object": obj, "kind": kind, "conflict": conflict}
    return TemplateResponse(request, "risks/edit.html", context, status=status)


@org_permission("edit")
def asset_delete(request, org, pk):
    asset = get_object_or_404(Asset, pk=pk)
    permissions.require(permissions.can_manage_register(request.membership))
    if request.method == "POST":
        services.asset_delete(membership=request.membership, asset=asset)
        messages.success(request, _("Bedrijfsmiddel %(name)s is verwijderd.") % {"name": asset})
        return redirect("risks:assets", org=org)
    return TemplateResponse(
        request,
        "risks/confirm_delete.html",
        {"object": asset, "kind": "asset", **selectors.asset_dependents(asset=asset)},
    )


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


@org_permission("edit")
def threat_edit(request, org, pk=None):
    threat = get_object_or_404(LocalThreat, pk=pk) if pk else None
    permissions.require(permissions.can_manage_register(request.membership))
    form = LocalThreatForm(request.POST or None, instance=threat)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data, expected = form.pop_revision()
        try:
            services.local_threat_save(
                organisation=request.organisation,
                membership=request.membership,
                threat=threat,
                expected_revision=expected,
                **data,
            )
        except services.StaleRevision as e:
            conflict = _stale(form, e, _model_values(form, e.current))
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("De dreiging is opgeslagen."))
            return redirect("risks:threats", org=org)
    return _edit_response(request, form, threat, "threat", conflict)


@org_permission("edit")
def threat_delete(request, org, pk):
    threat = get_object_or_404(LocalThreat, pk=pk)
    permissions.require(permissions.can_manage_register(request.membership))
    dependents = selectors.local_threat_dependents(threat=threat)
    error = None
    if request.method == "POST":
        try:
            services.local_threat_delete(membership=request.membership, threat=threat)
        except ValidationError as e:
            error = e.messages[0]
        else:
            messages.success(request, _("De dreiging is verwijderd."))
            return redirect("risks:threats", org=org)
    return TemplateResponse(
        request,
        "risks/confirm_delete.html",
        {"object": threat, "kind": "threat", "blocked": bool(dependents["risks"]), "error": error, **dependents},
        status=400 if error else 200,
    )


# --- Risks ---------------------------------------------------------------------------------


@org_permission("view")
def risk_list(request, org):
    form = RiskFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "query": d["q"],
            "theme": d["thema"].pk if d["thema"] else None,
            "treatment": d["besluit"],
            "above_acceptance": d["boven_grens"],
            "sort": d["sorteer"],
            "position": d["positie"],
            "likelihood": d["kans"],
            "impact": d["impact"],
        }
    page = paginate(
        selectors.risk_list(organisation=request.organisation, **filters),
        page=request.GET.get("pagina"),
        per_page=PER_PAGE,
    )
    template = "risks/_risk_table.html" if request.htmx and request.htmx.target == "results" else "risks/risks.html"
    return TemplateResponse(
        request,
        template,
        _ctx(
            request,
            form=form,
            page=page,
            query=_query_without_page(request),
            cell=filters if filters.get("likelihood") and filters.get("impact") else None,
            scale=selectors.scale_for(request.organisation),
        ),
    )


@org_permission("view")
def risk_detail(request, org, pk):
    risk = get_object_or_404(selectors.risk_detail_queryset(), pk=pk)
    scale = selectors.scale_for(request.organisation)
    return TemplateResponse(
        request,
        "risks/risk_detail.html",
        _ctx(
            request,
            risk=risk,
            scale=scale,
            inherent_level=scoring.LEVEL_LABELS[scoring.level(risk.inherent_score, scale)],
            current_level=scoring.LEVEL_LABELS[scoring.level(risk.current_score, scale)],
            can_edit=permissions.can_edit_object(request.membership, risk),
        ),
    )


@org_permission("edit")
def risk_edit(request, org, pk=None):
    organisation = request.organisation
    risk = get_object_or_404(Risk, pk=pk) if pk else None
    if risk is not None:
        permissions.require(permissions.can_edit_object(request.membership, risk))
    _require_posted_themes(request)
    scale = selectors.scale_for(organisation)
    initial = RiskForm.initial_for(risk) if risk else {}
    form = RiskForm(
        request.POST or None, initial=initial, organisation=organisation, membership=request.membership, scale=scale
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.risk_save(
                organisation=organisation,
                membership=request.membership,
                risk=risk,
                scale=scale,
                **form.service_kwargs(),
            )
        except services.StaleRevision as e:
            conflict = _stale(form, e, RiskForm.initial_for(e.current))
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("Risico %(name)s is opgeslagen.") % {"name": saved})
            return redirect("risks:risk", org=org, pk=saved.pk)
    return _edit_response(request, form, risk, "risk", conflict)


@org_permission("edit")
def risk_delete(request, org, pk):
    risk = get_object_or_404(Risk, pk=pk)
    permissions.require(permissions.can_edit_object(request.membership, risk))
    if request.method == "POST":
        services.risk_delete(membership=request.membership, risk=risk)
        messages.success(request, _("Risico %(name)s is verwijderd.") % {"name": risk})
        return redirect("risks:risks", org=org)
    return TemplateResponse(
        request, "risks/confirm_delete.html", {"object": risk, "kind": "risk", **selectors.risk_dependents(risk=risk)}
    )


# --- Measures ------------------------------------------------------------------------------


@org_permission("view")
def measure_list(request, org):
    form = MeasureFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "query": d["q"],
            "theme": d["thema"].pk if d["thema"] else None,
            "goal": d["doel"].pk if d["doel"] else None,
            "status": d["status"],
            "measure_type": d["type"],
            "kind": d["soort"],
            "sort": d["sorteer"],
        }
    page = paginate(
        selectors.measure_list(organisation=request.organisation, **filters),
        page=request.GET.get("pagina"),
        per_page=PER_PAGE,
    )
    for measure in page.object_list:
        measure.can_edit = permissions.can_edit_object(request.membership, measure)
    template = (
        "risks/_measure_table.html" if request.htmx and request.htmx.target == "results" else "risks/measures.html"
    )
    return TemplateResponse(
        request,
        template,
        _ctx(
            request,
            form=form,
            page=page,
            query=_query_without_page(request),
            statuses=Measure.Status.choices,
        ),
    )


@org_permission("view")
def measure_detail(request, org, pk):
    measure = get_object_or_404(selectors.measure_detail_queryset(), pk=pk)
    return TemplateResponse(
        request,
        "risks/measure_detail.html",
        _ctx(
            request,
            measure=measure,
            can_edit=permissions.can_edit_object(request.membership, measure),
            dependents=selectors.measure_dependents(measure=measure),
        ),
    )


@org_permission("edit")
def measure_edit(request, org, pk=None):
    organisation = request.organisation
    measure = get_object_or_404(Measure, pk=pk) if pk else None
    if measure is not None:
        permissions.require(permissions.can_edit_object(request.membership, measure))
    _require_posted_themes(request)
    initial = MeasureForm.initial_for(measure) if measure else {}
    if measure is None and request.GET.get("risico", "").isdigit():
        initial["risks"] = list(Risk.objects.filter(organisation=organisation, pk=int(request.GET["risico"])))
    form = MeasureForm(request.POST or None, initial=initial, organisation=organisation, membership=request.membership)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.measure_save(
                organisation=organisation, membership=request.membership, measure=measure, **form.service_kwargs()
            )
        except services.StaleRevision as e:
            conflict = _stale(form, e, MeasureForm.initial_for(e.current))
        except services.LinkNotAllowed as e:
            form.add_error(e.field, e.message)
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("Maatregel %(name)s is opgeslagen.") % {"name": saved})
            return redirect("risks:measure", org=org, pk=saved.pk)
    return _edit_response(request, form, measure, "measure", conflict)


@require_POST
@org_permission("edit")
def measure_status(request, org, pk):
    """Inline status change: htmx swaps the table row, a plain form post returns to the list."""
    measure = get_object_or_404(Measure.objects.prefetch_related("themes", "goals"), pk=pk)
    permissions.require(permissions.can_edit_object(request.membership, measure))
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
            current.risk_count = current.risks.count()
            current.can_edit = True
            return TemplateResponse(
                request,
                "risks/_measure_row.html",
                {"m": current, "statuses": Measure.Status.choices, "stale": notice},
                # htmx swaps only 2xx answers: the row shows the status someone else saved and says so.
                status=200,
            )
        return TemplateResponse(
            request,
            "risks/edit.html",
            {"form": None, "object": current, "kind": "measure", "conflict": {"message": notice, "rows": []}},
            status=409,
        )
    if request.htmx:
        measure.risk_count = measure.risks.count()
        measure.can_edit = True
        return TemplateResponse(
            request,
            "risks/_measure_row.html",
            {"m": measure, "statuses": Measure.Status.choices, "saved": True},
        )
    messages.success(
        request,
        _("De status van %(name)s is nu: %(status)s.") % {"name": measure, "status": measure.get_status_display()},
    )
    back = request.POST.get("next", "")
    if back.startswith(f"/g/{org}/"):
        return redirect(back)
    return redirect("risks:measures", org=org)


@org_permission("edit")
def measure_delete(request, org, pk):
    measure = get_object_or_404(Measure, pk=pk)
    permissions.require(permissions.can_edit_object(request.membership, measure))
    if request.method == "POST":
        services.measure_delete(membership=request.membership, measure=measure)
        messages.success(request, _("Maatregel %(name)s is verwijderd.") % {"name": measure})
        return redirect("risks:measures", org=org)
    return TemplateResponse(
        request,
        "risks/confirm_delete.html",
        {"object": measure, "kind": "measure", **selectors.measure_dependents(measure=measure)},
    )


# --- Conflicts -----------------------------------------------------------------------------


def _with_edit_flags(request, conflicts) -> list:
    """Mark each conflict the member may edit: the same rule as conflict_edit (either measure)."""
    conflicts = list(conflicts)
    for conflict in conflicts:
        conflict.editable = permissions.can_edit_conflict(request.membership, conflict.measure_a, conflict.measure_b)
    return conflicts


@org_permission("edit")
def conflict_edit(request, org, pk=None):
    organisation = request.organisation
    conflict = (
        get_object_or_404(MeasureConflict.objects.select_related("measure_a", "measure_b"), pk=pk) if pk else None
    )
    initial = {}
    if conflict is not None:
        initial = {
            "measure_a": conflict.measure_a,
            "measure_b": conflict.measure_b,
            "description": conflict.description,
            "resolution": conflict.resolution,
            "state": conflict.state,
            "revision": conflict.revision,
        }
        if not permissions.can_edit_conflict(request.membership, conflict.measure_a, conflict.measure_b):
            raise PermissionDenied
    elif request.GET.get("maatregel", "").isdigit():
        initial["measure_a"] = Measure.objects.filter(pk=int(request.GET["maatregel"])).first()
    form = ConflictForm(request.POST or None, initial=initial, organisation=organisation)
    stale = None
    if request.method == "POST" and form.is_valid():
        data, expected = form.pop_revision()
        try:
            services.conflict_save(
                organisation=organisation,
                membership=request.membership,
                conflict=conflict,
                expected_revision=expected,
                **data,
            )
        except services.StaleRevision as e:
            current = e.current
            saved = {f: getattr(current, f) for f in ("measure_a", "measure_b", "description", "resolution", "state")}
            stale = _stale(form, e, saved)
        except ValidationError as e:
            _apply_validation_error(form, e)
        else:
            messages.success(request, _("Het conflict is vastgelegd."))
            return redirect("risks:overview", org=org)
    return _edit_response(request, form, conflict, "conflict", stale)


@org_permission("edit")
def conflict_delete(request, org, pk):
    conflict = get_object_or_404(MeasureConflict.objects.select_related("measure_a", "measure_b"), pk=pk)
    if not permissions.can_edit_conflict(request.membership, conflict.measure_a, conflict.measure_b):
        raise PermissionDenied
    if request.method == "POST":
        services.conflict_delete(membership=request.membership, conflict=conflict)
        messages.success(request, _("Het conflict is verwijderd."))
        return redirect("risks:overview", org=org)
    return TemplateResponse(request, "risks/confirm_delete.html", {"object": conflict, "kind": "conflict"})


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
        permissions.require(permissions.can_create_themed(request.membership))
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

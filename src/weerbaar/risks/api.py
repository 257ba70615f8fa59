"""API router for the register: assets, risks and measures, and a bulk export.

The same services and selectors as the web pages, so the role checks are identical: a
403 problem for role limits, 404 for ids of another municipality (the scope hides them),
422 for invalid input with the Dutch messages per field.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from weerbaar.knowledge.models import Principle, SecurityGoal, Theme

from . import excel, selectors, services
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat

router = Router(tags=["risico's en maatregelen"])


def _problem(request, error: ValidationError):
    from weerbaar.api.api import problem

    if hasattr(error, "error_dict"):
        invalid = [{"name": field, "reason": "; ".join(msgs)} for field, msgs in error.message_dict.items()]
    else:
        invalid = [{"name": "", "reason": m} for m in error.messages]
    return problem(request, 422, "Ongeldige invoer", "De invoer voldoet niet.", invalid_params=invalid)


class Page(Schema):
    limit: int = 100
    offset: int = 0


def _slice(qs, page: Page):
    limit = max(1, min(page.limit, 1000))
    offset = max(0, page.offset)
    return qs.count(), list(qs[offset : offset + limit])


def _by_slugs(model, slugs: list[str], field: str) -> list[int]:
    found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError({field: f"Onbekend: {', '.join(missing)}"})
    return [found[s] for s in slugs]


# --- Assets --------------------------------------------------------------------------------


class AssetIn(Schema):
    name: str
    kind: str = Asset.Kind.OTHER
    criticality: int = Asset.Criticality.MEDIUM
    location: str = ""
    owner: str = ""
    description: str = ""
    reference: str = ""


class AssetOut(Schema):
    id: int
    reference: str
    name: str
    kind: str
    criticality: int
    location: str
    owner: str
    description: str


class AssetList(Schema):
    count: int
    items: list[AssetOut]


@router.get("/assets", response=AssetList, summary="Bedrijfsmiddelen")
def asset_list(request, page: Query[Page], q: str = "", kind: str = ""):
    count, items = _slice(selectors.asset_list(organisation=request.organisation, query=q, kind=kind), page)
    return {"count": count, "items": items}


@router.get("/assets/{asset_id}", response=AssetOut, summary="Eén bedrijfsmiddel")
def asset_detail(request, asset_id: int):
    return get_object_or_404(Asset, pk=asset_id)


def _asset_save(request, payload: AssetIn, asset=None):
    try:
        return services.asset_save(
            organisation=request.organisation, membership=request.membership, asset=asset, **payload.dict()
        )
    except ValidationError as e:
        return _problem(request, e)


@router.post("/assets", response={201: AssetOut}, summary="Bedrijfsmiddel toevoegen")
def asset_create(request, payload: AssetIn):
    result = _asset_save(request, payload)
    return result if isinstance(result, HttpResponse) else Status(201, result)


@router.put("/assets/{asset_id}", response=AssetOut, summary="Bedrijfsmiddel wijzigen")
def asset_update(request, asset_id: int, payload: AssetIn):
    return _asset_save(request, payload, get_object_or_404(Asset, pk=asset_id))


# --- Risks ---------------------------------------------------------------------------------


class RiskIn(Schema):
    title: str
    themes: list[str]
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    scenario: str = ""
    threat: str | None = None
    local_threat_id: int | None = None
    assets: list[int] = []
    treatment: str = Risk.Treatment.REDUCE
    accepted_by: str = ""
    accepted_until: datetime.date | None = None
    owner: str = ""
    review_date: datetime.date | None = None
    reference: str = ""


class RiskOut(Schema):
    id: int
    reference: str
    title: str
    scenario: str
    threat: str | None
    local_threat_id: int | None
    assets: list[int]
    themes: list[str]
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int | None
    residual_impact: int | None
    inherent_score: int
    residual_score: int | None
    current_score: int
    exceeds_acceptance: bool
    treatment: str
    accepted_by: str
    accepted_until: datetime.date | None
    owner: str
    review_date: datetime.date | None
    measures: list[int]


class RiskList(Schema):
    count: int
    items: list[RiskOut]


def _risk_out(r: Risk) -> dict:
    return {
        **{f: getattr(r, f) for f in RiskOut.model_fields if hasattr(r, f) and f not in ("threat", "assets", "themes")},
        "threat": r.threat.slug if r.threat_id else None,
        "assets": [a.pk for a in r.assets.all()],
        "themes": [t.slug for t in r.themes.all()],
        "measures": [m.pk for m in r.measures.all()],
    }


def _risks_qs():
    return Risk.objects.select_related("threat").prefetch_related("assets", "themes", "measures")


@router.get("/risks", response=RiskList, summary="Risico's")
def risk_list(request, page: Query[Page], q: str = "", above_acceptance: bool = False):
    qs = selectors.risk_list(organisation=request.organisation, query=q, above_acceptance=above_acceptance)
    count, items = _slice(qs.prefetch_related("assets", "measures"), page)
    return {"count": count, "items": [_risk_out(r) for r in items]}


@router.get("/risks/{risk_id}", response=RiskOut, summary="Eén risico")
def risk_detail(request, risk_id: int):
    return _risk_out(get_object_or_404(_risks_qs(), pk=risk_id))


def _risk_save(request, payload: RiskIn, risk=None):
    data = payload.dict()
    try:
        data["themes"] = _by_slugs(Theme, data["themes"], "themes")
        slug = data.pop("threat")
        local_id = data.pop("local_threat_id")
        data["threat"] = Threat.objects.filter(slug=slug).first() if slug else None
        if slug and data["threat"] is None:
            raise ValidationError({"threat": "Onbekende dreiging."})
        data["local_threat"] = LocalThreat.objects.filter(pk=local_id).first() if local_id else None
        if local_id and data["local_threat"] is None:
            raise ValidationError({"local_threat_id": "Onbekende eigen dreiging."})
        saved = services.risk_save(organisation=request.organisation, membership=request.membership, risk=risk, **data)
    except ValidationError as e:
        return _problem(request, e)
    return _risk_out(get_object_or_404(_risks_qs(), pk=saved.pk))


@router.post("/risks", response={201: RiskOut}, summary="Risico vastleggen")
def risk_create(request, payload: RiskIn):
    result = _risk_save(request, payload)
    return result if isinstance(result, HttpResponse) else Status(201, result)


@router.put("/risks/{risk_id}", response=RiskOut, summary="Risico wijzigen")
def risk_update(request, risk_id: int, payload: RiskIn):
    return _risk_save(request, payload, get_object_or_404(_risks_qs(), pk=risk_id))


# --- Measures ------------------------------------------------------------------------------


class MeasureIn(Schema):
    title: str
    themes: list[str]
    measure_type: str = Measure.Type.PREVENTIVE
    kind: str = Measure.Kind.ORGANISATIONAL
    goals: list[str] = []
    principles: list[str] = []
    risks: list[int] = []
    owner: str = ""
    status: str = Measure.Status.PLANNED
    deadline: datetime.date | None = None
    cost_once: Decimal = Decimal("0")
    cost_yearly: Decimal = Decimal("0")
    side_effects: str = ""
    bio2_refs: str = ""
    description: str = ""
    reference: str = ""


class MeasureOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    themes: list[str]
    measure_type: str
    kind: str
    goals: list[str]
    principles: list[str]
    risks: list[int]
    owner: str
    status: str
    deadline: datetime.date | None
    cost_once: Decimal
    cost_yearly: Decimal
    side_effects: str
    bio2_refs: str


class MeasureList(Schema):
    count: int
    items: list[MeasureOut]


def _measure_out(m: Measure) -> dict:
    plain = ("id", "reference", "title", "description", "measure_type", "kind", "owner", "status", "deadline")
    return {
        **{f: getattr(m, f) for f in plain},
        "cost_once": m.cost_once,
        "cost_yearly": m.cost_yearly,
        "side_effects": m.side_effects,
        "bio2_refs": m.bio2_refs,
        "themes": [t.slug for t in m.themes.all()],
        "goals": [g.slug for g in m.goals.all()],
        "principles": [p.slug for p in m.principles.all()],
        "risks": [r.pk for r in m.risks.all()],
    }


def _measures_qs():
    return Measure.objects.prefetch_related("themes", "goals", "principles", "risks")


@router.get("/measures", response=MeasureList, summary="Maatregelen")
def measure_list(request, page: Query[Page], q: str = "", status: str = ""):
    qs = selectors.measure_list(organisation=request.organisation, query=q, status=status)
    count, items = _slice(qs.prefetch_related("principles", "risks"), page)
    return {"count": count, "items": [_measure_out(m) for m in items]}


@router.get("/measures/{measure_id}", response=MeasureOut, summary="Eén maatregel")
def measure_detail(request, measure_id: int):
    return _measure_out(get_object_or_404(_measures_qs(), pk=measure_id))


def _measure_save(request, payload: MeasureIn, measure=None):
    data = payload.dict()
    try:
        data["themes"] = _by_slugs(Theme, data["themes"], "themes")
        data["goals"] = _by_slugs(SecurityGoal, data["goals"], "goals")
        data["principles"] = _by_slugs(Principle, data["principles"], "principles")
        saved = services.measure_save(
            organisation=request.organisation, membership=request.membership, measure=measure, **data
        )
    except ValidationError as e:
        return _problem(request, e)
    return _measure_out(get_object_or_404(_measures_qs(), pk=saved.pk))


@router.post("/measures", response={201: MeasureOut}, summary="Maatregel toevoegen")
def measure_create(request, payload: MeasureIn):
    result = _measure_save(request, payload)
    return result if isinstance(result, HttpResponse) else Status(201, result)


@router.put("/measures/{measure_id}", response=MeasureOut, summary="Maatregel wijzigen")
def measure_update(request, measure_id: int, payload: MeasureIn):
    return _measure_save(request, payload, get_object_or_404(_measures_qs(), pk=measure_id))


# --- Bulk export ---------------------------------------------------------------------------


class ConflictOut(Schema):
    id: int
    measure_a: int
    measure_b: int
    description: str
    resolution: str
    state: str


class ExportOut(Schema):
    organisation: str
    acceptance_level: int
    likelihood_levels: int
    impact_levels: int
    assets: list[AssetOut]
    risks: list[RiskOut]
    measures: list[MeasureOut]
    conflicts: list[ConflictOut]


@router.get("/register/export", response=ExportOut, summary="Het hele register in één keer")
def register_export(request):
    org = request.organisation
    scale = selectors.scale_for(org)
    return {
        "organisation": org.slug,
        "acceptance_level": scale.acceptance_level,
        "likelihood_levels": scale.likelihood_levels,
        "impact_levels": scale.impact_levels,
        "assets": list(Asset.objects.filter(organisation=org).order_by("reference", "id")),
        "risks": [_risk_out(r) for r in _risks_qs().filter(organisation=org).order_by("reference", "id")],
        "measures": [_measure_out(m) for m in _measures_qs().filter(organisation=org).order_by("reference", "id")],
        "conflicts": [
            {
                "id": c.pk,
                "measure_a": c.measure_a_id,
                "measure_b": c.measure_b_id,
                "description": c.description,
                "resolution": c.resolution,
                "state": c.state,
            }
            for c in MeasureConflict.objects.filter(organisation=org)
        ],
    }


@router.get("/register/export.xlsx", summary="Het hele register als Excelbestand", response={200: None})
def register_export_xlsx(request):
    response = HttpResponse(
        excel.export_register(organisation=request.organisation), content_type=excel.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="weerbaar-register-{request.organisation.slug}.xlsx"'
    return response

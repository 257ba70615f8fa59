"""API router for the register: assets, risks and measures, and a bulk export.

The same services and selectors as the web pages, so the role checks are identical: a
403 problem for role limits, 404 for ids of another municipality (the scope hides them),
422 for invalid input with the Dutch messages per field.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field, WithJsonSchema

from weerbaar.api import listcache, lists
from weerbaar.api.renderers import json_response
from weerbaar.api.schemas import InputSchema, OutputSchema
from weerbaar.core.money import MAX_AMOUNT
from weerbaar.knowledge.models import Bio2Measure, Theme

from . import excel, selectors, services
from .forms import TEXT_MAX_LENGTH
from .models import MAX_LEVELS, Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat
from .thread import Thread, effective_source, thread_for

router = Router(tags=["risico's en maatregelen"])


# Input limits are those of the models, the web forms and the services, so the API accepts
# what they accept and refuses the rest with a 422 (never a 500).
def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _choices(field_choices) -> type:
    return Literal[tuple(value for value, _label in field_choices)]


Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Slug = Annotated[str, Field(max_length=100)]
Name = Annotated[str, Field(max_length=200)]
Reference = Annotated[str, Field(max_length=20)]
Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH)]
Query200 = Annotated[str, Query(max_length=200)]
Level = Annotated[int, Field(ge=1, le=MAX_LEVELS)]
# An amount in euros with at most two decimals, as a number or as text ("2500.00"); the document
# states both forms exactly, so a generated valid amount is accepted.
Amount = Annotated[
    Decimal,
    Field(ge=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT), "multipleOf": 0.01},
                {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$"},
            ]
        }
    ),
]
RevisionIn = Annotated[int | None, Field(ge=0, le=2**31 - 1)]
LIST_MAX = 1000


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


def _list_response(request, page: Page, fields: list[str], select) -> HttpResponse:
    """One page of a register list as the API answers it: ``{"count": ..., "items": [...]}``.

    ``select()`` gives the queryset and what :func:`weerbaar.api.lists.values_page` needs beside
    it; the rows have the keys in the order of the operation's response schema and are written as
    JSON directly: they are the database's own values, so validating them again per item would
    only cost time (the tests compare every list item with the detail answer of the same id, and
    the lists with their schema). The answer is kept until the municipality's register changes
    (``api.listcache``): the lists depend on the municipality, the path and the query only.
    """

    def build() -> HttpResponse:
        qs, spec = select()
        count, rows = lists.values_page(
            selectors.without_counts(qs), offset=page.offset, limit=page.limit, fields=fields, **spec
        )
        return json_response({"count": count, "items": rows})

    return listcache.cached(request, build)


def _by_slugs(model, slugs: list[str], field: str) -> list[int]:
    found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [s for s in slugs if s not in found]
    if missing:
        message = _("Onbekend: %(slugs)s.") % {"slugs": ", ".join(missing)}
        raise ValidationError({field: ValidationError(message, code="unknown")})
    return [found[s] for s in slugs]


def _bio2_by_numbers(numbers: list[str]) -> list[int]:
    """Government measures of the BIO2 by number; anything else is named in the error."""
    found = dict(
        Bio2Measure.objects.filter(number__in=numbers, status=Bio2Measure.Status.MEASURE).values_list("number", "pk")
    )
    missing = [n for n in numbers if n not in found]
    if missing:
        message = _("Geen BIO2-overheidsmaatregel: %(numbers)s.") % {"numbers": ", ".join(missing)}
        raise ValidationError({"bio2_measures": ValidationError(message, code="unknown")})
    return list(dict.fromkeys(found[n] for n in numbers))


# --- Assets --------------------------------------------------------------------------------


class AssetIn(InputSchema):
    name: Annotated[str, Field(max_length=_max(Asset, "name"))]
    kind: _choices(Asset.Kind.choices) = Asset.Kind.OTHER.value
    criticality: _choices(Asset.Criticality.choices) = Asset.Criticality.MEDIUM.value
    location: Annotated[str, Field(max_length=_max(Asset, "location"))] = ""
    owner: Annotated[str, Field(max_length=_max(Asset, "owner"))] = ""
    description: Text = ""
    reference: Reference = ""
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


class AssetOut(Schema):
    id: int
    reference: str
    name: str
    kind: str
    criticality: int
    location: str
    owner: str
    description: str
    revision: int


class AssetList(Schema):
    count: int
    items: list[AssetOut]


ASSET_FIELDS = list(AssetOut.model_fields)


@router.get("/assets", response=AssetList, summary="Bedrijfsmiddelen")
def asset_list(request, page: Query[Page], q: Query200 = "", kind: Query[Literal[("", *Asset.Kind.values)]] = ""):
    return _list_response(
        request,
        page,
        ASSET_FIELDS,
        lambda: (selectors.asset_list(organisation=request.organisation, query=q, kind=kind), {}),
    )


@router.get("/assets/{asset_id}", response=AssetOut, summary="Eén bedrijfsmiddel")
def asset_detail(request, asset_id: PathId):
    return get_object_or_404(Asset, pk=asset_id)


def _asset_save(request, payload: AssetIn, asset=None):
    data = payload.dict()
    expected = data.pop("revision")
    return services.asset_save(
        organisation=request.organisation,
        membership=request.membership,
        asset=asset,
        expected_revision=expected if asset is not None else None,
        **data,
    )


@router.post("/assets", response={201: AssetOut}, summary="Bedrijfsmiddel toevoegen")
def asset_create(request, payload: AssetIn):
    return Status(201, _asset_save(request, payload))


@router.put("/assets/{asset_id}", response=AssetOut, summary="Bedrijfsmiddel wijzigen")
def asset_update(request, asset_id: PathId, payload: AssetIn):
    return _asset_save(request, payload, get_object_or_404(Asset, pk=asset_id))


# --- Risks ---------------------------------------------------------------------------------


class RiskIn(InputSchema):
    title: Annotated[str, Field(max_length=_max(Risk, "title"))]
    # At least one theme: documented here, refused by the service with its own Dutch message.
    themes: list[Slug] = Field(max_length=LIST_MAX, json_schema_extra={"minItems": 1})
    inherent_likelihood: Level
    inherent_impact: Level
    residual_likelihood: Level | None = None
    residual_impact: Level | None = None
    scenario: Text = ""
    threat: Slug | None = None
    local_threat_id: Id | None = None
    assets: list[Id] = Field([], max_length=LIST_MAX)
    treatment: _choices(Risk.Treatment.choices) = Risk.Treatment.REDUCE.value
    accepted_by: Annotated[str, Field(max_length=_max(Risk, "accepted_by"))] = ""
    accepted_until: datetime.date | None = None
    owner: Annotated[str, Field(max_length=_max(Risk, "owner"))] = ""
    review_date: datetime.date | None = None
    reference: Reference = ""
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


class RiskOut(OutputSchema):
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
    revision: int


class RiskList(OutputSchema):
    count: int
    items: list[RiskOut]


_RISK_LINKS = ("threat", "assets", "themes", "measures")
RISK_COLUMNS = [f for f in RiskOut.model_fields if f not in _RISK_LINKS]


def _risk_out(r: Risk) -> dict:
    return {
        **{f: getattr(r, f) for f in RISK_COLUMNS},
        "threat": r.threat.slug if r.threat_id else None,
        "assets": [a.pk for a in r.assets.all()],
        "themes": [t.slug for t in r.themes.all()],
        "measures": [m.pk for m in r.measures.all()],
    }


def _risks_qs():
    return Risk.objects.select_related("threat").prefetch_related("assets", "themes", "measures")


RISK_LINKS = {
    "assets": lists.m2m(Risk.assets),
    "themes": lists.m2m(Risk.themes, "slug"),
    "measures": lists.m2m(Risk.measures),
}
RISK_FIELDS = list(RiskOut.model_fields)


@router.get("/risks", response=RiskList, summary="Risico's")
def risk_list(request, page: Query[Page], q: Query200 = "", above_acceptance: bool = False):
    def select():
        qs = selectors.risk_list(organisation=request.organisation, query=q, above_acceptance=above_acceptance)
        return qs, {"expressions": {"threat": F("threat__slug")}, "links": RISK_LINKS}

    return _list_response(request, page, RISK_FIELDS, select)


@router.get("/risks/{risk_id}", response=RiskOut, summary="Eén risico")
def risk_detail(request, risk_id: PathId):
    return _risk_out(get_object_or_404(_risks_qs(), pk=risk_id))


def _risk_save(request, payload: RiskIn, risk=None):
    data = payload.dict()
    expected = data.pop("revision")
    data["expected_revision"] = expected if risk is not None else None
    data["themes"] = _by_slugs(Theme, data["themes"], "themes")
    slug = data.pop("threat")
    local_id = data.pop("local_threat_id")
    data["threat"] = Threat.objects.filter(slug=slug).first() if slug else None
    if slug and data["threat"] is None:
        raise ValidationError({"threat": ValidationError(_("Onbekende dreiging."), code="unknown")})
    data["local_threat"] = LocalThreat.objects.filter(pk=local_id).first() if local_id else None
    if local_id and data["local_threat"] is None:
        raise ValidationError({"local_threat_id": ValidationError(_("Onbekende eigen dreiging."), code="unknown")})
    saved = services.risk_save(organisation=request.organisation, membership=request.membership, risk=risk, **data)
    return _risk_out(get_object_or_404(_risks_qs(), pk=saved.pk))


@router.post("/risks", response={201: RiskOut}, summary="Risico vastleggen")
def risk_create(request, payload: RiskIn):
    return Status(201, _risk_save(request, payload))


@router.put("/risks/{risk_id}", response=RiskOut, summary="Risico wijzigen")
def risk_update(request, risk_id: PathId, payload: RiskIn):
    return _risk_save(request, payload, get_object_or_404(_risks_qs(), pk=risk_id))


# --- Measures ------------------------------------------------------------------------------


class MeasureIn(InputSchema):
    title: Annotated[str, Field(max_length=_max(Measure, "title"))]
    # At least one theme: documented here, refused by the service with its own Dutch message.
    themes: list[Slug] = Field(max_length=LIST_MAX, json_schema_extra={"minItems": 1})
    measure_type: _choices(Measure.Type.choices) = Measure.Type.PREVENTIVE.value
    kind: _choices(Measure.Kind.choices) = Measure.Kind.ORGANISATIONAL.value
    goals: list[Id] = Field(
        [],
        max_length=LIST_MAX,
        description="Ids van beveiligingsdoelen uit GET /register/framework-thread (het geldende kader).",
    )
    principles: list[Id] = Field(
        [],
        max_length=LIST_MAX,
        description="Ids van uitgangspunten uit GET /register/framework-thread (het geldende kader).",
    )
    risks: list[Id] = Field([], max_length=LIST_MAX)
    owner: Annotated[str, Field(max_length=_max(Measure, "owner"))] = ""
    status: _choices(Measure.Status.choices) = Measure.Status.PLANNED.value
    deadline: datetime.date | None = None
    cost_once: Amount = Decimal("0")
    cost_yearly: Amount = Decimal("0")
    side_effects: Text = ""
    bio2_measures: list[Annotated[str, Field(max_length=12)]] = Field(
        [], max_length=LIST_MAX, description="Nummers van BIO2-overheidsmaatregelen, bijvoorbeeld 5.15.01."
    )
    description: Text = ""
    reference: Reference = ""
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


class MeasureOut(OutputSchema):
    id: int
    reference: str
    title: str
    description: str
    themes: list[str]
    measure_type: str
    kind: str
    goals: list[int] = Field(description="Ids van doelen van het geldende kader (zie goals_source).")
    principles: list[int] = Field(description="Ids van uitgangspunten van het geldende kader.")
    goals_source: str = Field(
        description="Waar de ids naar verwijzen: adopted (vastgesteld kader), draft (concept) of catalogue."
    )
    risks: list[int]
    owner: str
    status: str
    deadline: datetime.date | None
    cost_once: Decimal
    cost_yearly: Decimal
    side_effects: str
    bio2_measures: list[str]
    bio2_unmatched: str = Field(description="Eerder ingevoerde nummers die niet in de BIO2-lijst staan.")
    revision: int


class MeasureList(OutputSchema):
    count: int
    items: list[MeasureOut]


_MEASURE_LINKS = ("themes", "goals", "principles", "goals_source", "risks", "bio2_measures")
MEASURE_COLUMNS = [f for f in MeasureOut.model_fields if f not in _MEASURE_LINKS]
MEASURE_FIELDS = list(MeasureOut.model_fields)


def _measure_out(m: Measure, thread: Thread) -> dict:
    return {
        **{f: getattr(m, f) for f in MEASURE_COLUMNS},
        "themes": [t.slug for t in m.themes.all()],
        "goals": [g.pk for g in getattr(m, thread.goal_field).all()],
        "principles": [p.pk for p in getattr(m, thread.principle_field).all()],
        "goals_source": thread.source,
        "risks": [r.pk for r in m.risks.all()],
        "bio2_measures": [b.number for b in m.bio2_measures.all()],
    }


def _measures_qs():
    return Measure.objects.prefetch_related(
        "themes", "goals", "principles", "catalogue_goals", "catalogue_principles", "risks", "bio2_measures"
    )


@router.get("/measures", response=MeasureList, summary="Maatregelen")
def measure_list(
    request, page: Query[Page], q: Query200 = "", status: Query[Literal[("", *Measure.Status.values)]] = ""
):
    def select():
        qs = selectors.measure_list(organisation=request.organisation, query=q, status=status)
        thread = effective_source(organisation=request.organisation)
        links = {
            "themes": lists.m2m(Measure.themes, "slug"),
            "goals": lists.m2m(getattr(Measure, thread.goal_field)),
            "principles": lists.m2m(getattr(Measure, thread.principle_field)),
            "risks": lists.m2m(Measure.risks),
            "bio2_measures": lists.m2m(Measure.bio2_measures, "number"),
        }
        return qs, {"links": links, "constants": {"goals_source": thread.source}}

    return _list_response(request, page, MEASURE_FIELDS, select)


@router.get("/measures/{measure_id}", response=MeasureOut, summary="Eén maatregel")
def measure_detail(request, measure_id: PathId):
    measure = get_object_or_404(_measures_qs(), pk=measure_id)
    return _measure_out(measure, thread_for(organisation=request.organisation, with_items=False))


def _measure_save(request, payload: MeasureIn, measure=None):
    data = payload.dict()
    expected = data.pop("revision")
    data["expected_revision"] = expected if measure is not None else None
    data["themes"] = _by_slugs(Theme, data["themes"], "themes")
    data["bio2_measures"] = _bio2_by_numbers(data["bio2_measures"])
    thread = thread_for(organisation=request.organisation, with_items=False)
    saved = services.measure_save(
        organisation=request.organisation, membership=request.membership, measure=measure, thread=thread, **data
    )
    return _measure_out(get_object_or_404(_measures_qs(), pk=saved.pk), thread)


@router.post("/measures", response={201: MeasureOut}, summary="Maatregel toevoegen")
def measure_create(request, payload: MeasureIn):
    return Status(201, _measure_save(request, payload))


@router.put("/measures/{measure_id}", response=MeasureOut, summary="Maatregel wijzigen")
def measure_update(request, measure_id: PathId, payload: MeasureIn):
    return _measure_save(request, payload, get_object_or_404(_measures_qs(), pk=measure_id))


# --- The thread to the framework -----------------------------------------------------------


class ThreadGoalOut(Schema):
    id: int
    name: str
    is_own: bool


class ThreadPrincipleOut(Schema):
    id: int
    text: str
    category: str
    is_own: bool


class ThreadOut(Schema):
    source: str = Field(description="adopted (vastgesteld kader), draft (concept) of catalogue (landelijke catalogus).")
    label: str
    version: int | None = Field(description="Het versienummer van het kader; leeg bij de landelijke catalogus.")
    goals: list[ThreadGoalOut]
    principles: list[ThreadPrincipleOut]


@router.get("/register/framework-thread", response=ThreadOut, summary="Doelen en uitgangspunten om aan te koppelen")
def framework_thread(request):
    """The goals and principles measures link to: the adopted framework, before adoption the draft."""
    thread = thread_for(organisation=request.organisation)
    return {
        "source": thread.source,
        "label": thread.label,
        "version": thread.version.number if thread.version else None,
        "goals": [{"id": g.pk, "name": g.name, "is_own": getattr(g, "is_own", False)} for g in thread.goals],
        "principles": [
            {"id": p.pk, "text": p.text, "category": p.category.name, "is_own": getattr(p, "is_own", False)}
            for p in thread.principles
        ],
    }


# --- Bulk export ---------------------------------------------------------------------------


class ConflictOut(Schema):
    id: int
    measure_a: int
    measure_b: int
    description: str
    resolution: str
    state: str
    revision: int


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
    thread = thread_for(organisation=org, with_items=False)
    return {
        "organisation": org.slug,
        "acceptance_level": scale.acceptance_level,
        "likelihood_levels": scale.likelihood_levels,
        "impact_levels": scale.impact_levels,
        "assets": list(Asset.objects.filter(organisation=org).order_by("reference", "id")),
        "risks": [_risk_out(r) for r in _risks_qs().filter(organisation=org).order_by("reference", "id")],
        "measures": [
            _measure_out(m, thread) for m in _measures_qs().filter(organisation=org).order_by("reference", "id")
        ],
        "conflicts": [
            {
                "id": c.pk,
                "measure_a": c.measure_a_id,
                "measure_b": c.measure_b_id,
                "description": c.description,
                "resolution": c.resolution,
                "state": c.state,
                "revision": c.revision,
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

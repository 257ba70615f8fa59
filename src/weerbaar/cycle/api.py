"""API router for the yearly plan and the checks: actions, checks, findings, deviations.

The same services and selectors as the pages: 403 for role limits, 404 for ids of another
municipality (the scope hides them), 422 for invalid input with the Dutch messages per field,
409 when someone else saved in between (``revision``).
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field, create_model

from weerbaar.api.schemas import InputSchema
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks.forms import TEXT_MAX_LENGTH

from . import selectors, services
from .models import Action, Check, Deviation, Finding

router = Router(tags=["jaarplan en controles"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Slug = Annotated[str, Field(max_length=100)]
# At least one visible character (no space or control character, which the services strip):
# the services refuse an empty title with their own message.
VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f]"
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=VISIBLE)]
Short = Annotated[str, Field(max_length=200)]
Reference = Annotated[str, Field(max_length=20)]
Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH)]
Year = Annotated[int, Field(ge=services.MIN_YEAR, le=services.MAX_YEAR)]
Query200 = Annotated[str, Query(max_length=200)]
RevisionIn = Annotated[int | None, Field(ge=0, le=2**31 - 1)]
REVISION = "De revisie die u las; bij een andere revisie volgt 409."
LIST_MAX = 1000


class CyclePage(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


def _slice(qs, page: CyclePage):
    return qs.count(), list(qs[page.offset : page.offset + page.limit])


def _links(rows: list, **relations: tuple) -> list:
    """``row.api_links[name]``: related ids or slugs read from the link tables, one query per relation."""
    ids = [r.pk for r in rows]
    by_id = {r.pk: r for r in rows}
    for r in rows:
        r.api_links = {name: [] for name in relations}
    if not ids:
        return rows
    for name, (through, own, related, value) in relations.items():
        for pk, v in through.objects.filter(**{f"{own}__in": ids}).order_by(own, related).values_list(own, value):
            by_id[pk].api_links[name].append(v)
    return rows


class RowIn(InputSchema):
    """What every row of the plan and the checks takes: an own reference and the revision read."""

    reference: Reference = ""
    revision: RevisionIn = Field(None, description=REVISION)


class RowOut(Schema):
    """What every row of the plan and the checks answers with."""

    id: int
    reference: str
    revision: int


def _list_schema(name: str, item: type[Schema]) -> type[Schema]:
    """A page of rows: ``{"count": ..., "items": [...]}`` (named, as its component in the OpenAPI document)."""
    return create_model(name, __base__=Schema, __module__=__name__, count=(int, ...), items=(list[item], ...))


def _payload_data(payload: RowIn, **slugs) -> tuple[dict, int | None]:
    """The service's keyword arguments from a request body, and the revision the client read.

    ``owner_id`` and ``finding_id`` become ``owner`` and ``finding``; the fields named in
    ``slugs`` (field=model) turn from slugs into ids (an unknown slug is a 422 at that field).
    """
    data = payload.dict()
    expected = data.pop("revision")
    for name in ("owner", "finding"):
        if f"{name}_id" in data:
            data[name] = data.pop(f"{name}_id")
    for field, model in slugs.items():
        data[field] = _by_slugs(model, data[field], field)
    return data, expected


def _by_slugs(model, slugs: list[str], field: str) -> list[int]:
    found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError(
            {field: ValidationError(_("Onbekend: %(slugs)s.") % {"slugs": ", ".join(missing)}, code="unknown")}
        )
    return [found[s] for s in slugs]


# --- Actions -------------------------------------------------------------------------------

SettableStatus = Literal[tuple(s.value for s in services.SETTABLE_STATUSES)]


class ActionIn(RowIn):
    title: Title
    year: Year | None = None
    description: Text = ""
    owner_id: Id | None = Field(None, description="Het lidmaatschap (id) van de eigenaar in deze gemeente.")
    due_date: datetime.date | None = None
    status: SettableStatus | None = None
    themes: list[Slug] = Field([], max_length=LIST_MAX)
    measures: list[Id] = Field([], max_length=LIST_MAX)
    risks: list[Id] = Field([], max_length=LIST_MAX)
    goals: list[Slug] = Field([], max_length=LIST_MAX)


class ActionOut(RowOut):
    year: int
    title: str
    description: str
    owner_id: int | None
    due_date: datetime.date | None
    status: str
    overdue: bool
    completed_at: datetime.datetime | None
    carried_from_id: int | None
    themes: list[str]
    measures: list[int]
    risks: list[int]
    goals: list[str]
    findings: list[int]


ActionList = _list_schema("ActionList", ActionOut)


ACTION_LINKS = {
    "themes": (Action.themes.through, "action_id", "theme", "theme__slug"),
    "measures": (Action.measures.through, "action_id", "measure", "measure_id"),
    "risks": (Action.risks.through, "action_id", "risk", "risk_id"),
    "goals": (Action.goals.through, "action_id", "securitygoal", "securitygoal__slug"),
    "findings": (Finding, "action_id", "id", "id"),
}


def _action_out(a: Action) -> dict:
    if not hasattr(a, "api_links"):
        _links([a], **ACTION_LINKS)
    plain = ("id", "reference", "year", "title", "description", "owner_id", "due_date", "status", "completed_at")
    return {
        **{f: getattr(a, f) for f in plain},
        "carried_from_id": a.carried_from_id,
        "overdue": a.is_overdue,
        "revision": a.revision,
        **a.api_links,
    }


@router.get("/actions", response=ActionList, summary="Acties van het jaarplan")
def action_list(
    request,
    page: Query[CyclePage],
    year: Annotated[int | None, Query(ge=services.MIN_YEAR, le=services.MAX_YEAR)] = None,
    q: Query200 = "",
    status: Query[Literal[("", "open", *Action.Status.values)]] = "",
    overdue: bool = False,
):
    qs = selectors.action_list(organisation=request.organisation, year=year, query=q, status=status, overdue=overdue)
    count, items = _slice(qs.prefetch_related(None).select_related(None).annotate(), page)
    _links(items, **ACTION_LINKS)
    return {"count": count, "items": [_action_out(a) for a in items]}


@router.get("/actions/{action_id}", response=ActionOut, summary="Eén actie")
def action_detail(request, action_id: PathId):
    return _action_out(get_object_or_404(Action, pk=action_id))


def _action_data(payload: ActionIn) -> tuple[dict, int | None]:
    return _payload_data(payload, themes=Theme, goals=SecurityGoal)


@router.post("/actions", response={201: ActionOut}, summary="Actie toevoegen")
def action_create(request, payload: ActionIn):
    data, _expected = _action_data(payload)
    action = services.action_create(organisation=request.organisation, membership=request.membership, **data)
    return Status(201, _action_out(action))


@router.put("/actions/{action_id}", response=ActionOut, summary="Actie wijzigen")
def action_update(request, action_id: PathId, payload: ActionIn):
    action = get_object_or_404(Action, pk=action_id)
    data, expected = _action_data(payload)
    saved = services.action_save(
        organisation=request.organisation,
        membership=request.membership,
        action=action,
        expected_revision=expected,
        **data,
    )
    return _action_out(Action.objects.get(pk=saved.pk))


class ActionStatusIn(InputSchema):
    status: SettableStatus
    revision: RevisionIn = Field(None, description=REVISION)


@router.post("/actions/{action_id}/status", response=ActionOut, summary="Status van een actie wijzigen")
def action_status(request, action_id: PathId, payload: ActionStatusIn):
    action = get_object_or_404(Action, pk=action_id)
    services.action_set_status(
        membership=request.membership, action=action, status=payload.status, expected_revision=payload.revision
    )
    return _action_out(Action.objects.get(pk=action.pk))


@router.delete("/actions/{action_id}", response={204: None}, summary="Actie verwijderen")
def action_delete(request, action_id: PathId):
    services.action_delete(membership=request.membership, action=get_object_or_404(Action, pk=action_id))
    return Status(204, None)


# --- Checks --------------------------------------------------------------------------------


class CheckIn(RowIn):
    title: Title
    kind: Literal[tuple(Check.Kind.values)] = Check.Kind.INTERNAL.value
    date: datetime.date
    status: Literal[tuple(Check.Status.values)] = Check.Status.DONE.value
    performed_by: Short = ""
    owner_id: Id | None = None
    summary: Text = ""
    themes: list[Slug] = Field([], max_length=LIST_MAX)
    measures: list[Id] = Field([], max_length=LIST_MAX)
    assets: list[Id] = Field([], max_length=LIST_MAX)


class CheckOut(RowOut):
    title: str
    kind: str
    date: datetime.date
    status: str
    performed_by: str
    owner_id: int | None
    summary: str
    themes: list[str]
    measures: list[int]
    assets: list[int]
    findings: list[int]


CheckList = _list_schema("CheckList", CheckOut)


CHECK_LINKS = {
    "themes": (Check.themes.through, "check_id", "theme", "theme__slug"),
    "measures": (Check.measures.through, "check_id", "measure", "measure_id"),
    "assets": (Check.assets.through, "check_id", "asset", "asset_id"),
    "findings": (Finding, "source_check_id", "id", "id"),
}


def _check_out(c: Check) -> dict:
    if not hasattr(c, "api_links"):
        _links([c], **CHECK_LINKS)
    plain = ("id", "reference", "title", "kind", "date", "status", "performed_by", "owner_id", "summary", "revision")
    return {**{f: getattr(c, f) for f in plain}, **c.api_links}


@router.get("/checks", response=CheckList, summary="Controles")
def check_list(
    request,
    page: Query[CyclePage],
    q: Query200 = "",
    kind: Query[Literal[("", *Check.Kind.values)]] = "",
    year: Annotated[int | None, Query(ge=services.MIN_YEAR, le=services.MAX_YEAR)] = None,
):
    qs = selectors.check_list(organisation=request.organisation, query=q, kind=kind, year=year)
    count, items = _slice(qs.prefetch_related(None), page)
    _links(items, **CHECK_LINKS)
    return {"count": count, "items": [_check_out(c) for c in items]}


@router.get("/checks/{check_id}", response=CheckOut, summary="Eén controle")
def check_detail(request, check_id: PathId):
    return _check_out(get_object_or_404(Check, pk=check_id))


def _check_save(request, payload: CheckIn, check=None):
    data, expected = _payload_data(payload, themes=Theme)
    saved = services.check_save(
        organisation=request.organisation,
        membership=request.membership,
        check=check,
        expected_revision=expected if check is not None else None,
        **data,
    )
    return _check_out(Check.objects.get(pk=saved.pk))


@router.post("/checks", response={201: CheckOut}, summary="Controle vastleggen")
def check_create(request, payload: CheckIn):
    return Status(201, _check_save(request, payload))


@router.put("/checks/{check_id}", response=CheckOut, summary="Controle wijzigen")
def check_update(request, check_id: PathId, payload: CheckIn):
    return _check_save(request, payload, get_object_or_404(Check, pk=check_id))


@router.delete("/checks/{check_id}", response={204: None}, summary="Controle met bevindingen verwijderen")
def check_delete(request, check_id: PathId):
    services.check_delete(membership=request.membership, check=get_object_or_404(Check, pk=check_id))
    return Status(204, None)


# --- Findings ------------------------------------------------------------------------------


class FindingIn(RowIn):
    title: Title
    severity: Literal[tuple(Finding.Severity.values)] = Finding.Severity.MEDIUM.value
    description: Text = ""
    action_id: Id | None = Field(None, description="De verbeteractie die de bevinding opvolgt.")
    risk_id: Id | None = Field(None, description="Het nieuwe of gewijzigde risico dat uit de bevinding volgt.")


class FindingOut(RowOut):
    check_id: int
    title: str
    description: str
    severity: int
    action_id: int | None
    risk_id: int | None
    deviations: list[int]


FindingList = _list_schema("FindingList", FindingOut)


def _finding_out(f: Finding) -> dict:
    if not hasattr(f, "api_links"):
        _links([f], deviations=(Deviation, "finding_id", "id", "id"))
    plain = ("id", "reference", "title", "description", "severity", "action_id", "risk_id", "revision")
    return {**{k: getattr(f, k) for k in plain}, "check_id": f.source_check_id, **f.api_links}


@router.get("/findings", response=FindingList, summary="Bevindingen")
def finding_list(
    request,
    page: Query[CyclePage],
    q: Query200 = "",
    severity: Annotated[int, Query(ge=0, le=max(Finding.Severity.values))] = 0,
    state: Query[Literal["", "open", "opgevolgd"]] = "",
):
    qs = selectors.finding_list(organisation=request.organisation, query=q, severity=severity or None, state=state)
    count, items = _slice(qs.select_related(None), page)
    _links(items, deviations=(Deviation, "finding_id", "id", "id"))
    return {"count": count, "items": [_finding_out(f) for f in items]}


@router.get("/findings/{finding_id}", response=FindingOut, summary="Eén bevinding")
def finding_detail(request, finding_id: PathId):
    return _finding_out(get_object_or_404(Finding, pk=finding_id))


def _finding_save(request, payload: FindingIn, check: Check, finding=None):
    data, expected = _payload_data(payload)
    action_id, risk_id = data.pop("action_id"), data.pop("risk_id")
    with transaction.atomic():
        saved = services.finding_save(
            organisation=request.organisation,
            membership=request.membership,
            check=check,
            finding=finding,
            expected_revision=expected if finding is not None else None,
            **data,
        )
        if action_id is not None or risk_id is not None:
            services.finding_link(
                organisation=request.organisation,
                membership=request.membership,
                finding=saved,
                action=action_id,
                risk=risk_id,
            )
    return _finding_out(Finding.objects.get(pk=saved.pk))


@router.post("/checks/{check_id}/findings", response={201: FindingOut}, summary="Bevinding vastleggen")
def finding_create(request, check_id: PathId, payload: FindingIn):
    return Status(201, _finding_save(request, payload, get_object_or_404(Check, pk=check_id)))


@router.put("/findings/{finding_id}", response=FindingOut, summary="Bevinding wijzigen")
def finding_update(request, finding_id: PathId, payload: FindingIn):
    finding = get_object_or_404(Finding.objects.select_related("source_check"), pk=finding_id)
    return _finding_save(request, payload, finding.source_check, finding)


@router.delete("/findings/{finding_id}", response={204: None}, summary="Bevinding verwijderen")
def finding_delete(request, finding_id: PathId):
    services.finding_delete(membership=request.membership, finding=get_object_or_404(Finding, pk=finding_id))
    return Status(204, None)


# --- Deviations ----------------------------------------------------------------------------


class DeviationIn(RowIn):
    title: Title
    reason: Annotated[str, Field(min_length=1, max_length=TEXT_MAX_LENGTH, pattern=VISIBLE)]
    accepted_by: Annotated[str, Field(min_length=1, max_length=200, pattern=VISIBLE)]
    owner_id: Id
    expires_on: datetime.date
    finding_id: Id | None = None
    themes: list[Slug] = Field([], max_length=LIST_MAX)
    measures: list[Id] = Field([], max_length=LIST_MAX)
    ended: bool = False


class DeviationOut(RowOut):
    title: str
    reason: str
    accepted_by: str
    owner_id: int | None
    expires_on: datetime.date
    expired: bool
    ended: bool
    finding_id: int | None
    themes: list[str]
    measures: list[int]


DeviationList = _list_schema("DeviationList", DeviationOut)


DEVIATION_LINKS = {
    "themes": (Deviation.themes.through, "deviation_id", "theme", "theme__slug"),
    "measures": (Deviation.measures.through, "deviation_id", "measure", "measure_id"),
}


def _deviation_out(d: Deviation) -> dict:
    if not hasattr(d, "api_links"):
        _links([d], **DEVIATION_LINKS)
    plain = ("id", "reference", "title", "reason", "accepted_by", "owner_id", "expires_on", "ended", "finding_id")
    return {**{k: getattr(d, k) for k in plain}, "expired": d.is_expired, "revision": d.revision, **d.api_links}


@router.get("/deviations", response=DeviationList, summary="Geaccepteerde afwijkingen")
def deviation_list(
    request, page: Query[CyclePage], q: Query200 = "", state: Query[Literal["", "geldig", "verlopen", "beeindigd"]] = ""
):
    qs = selectors.deviation_list(organisation=request.organisation, query=q, state=state)
    count, items = _slice(qs.prefetch_related(None).select_related(None), page)
    _links(items, **DEVIATION_LINKS)
    return {"count": count, "items": [_deviation_out(d) for d in items]}


@router.get("/deviations/{deviation_id}", response=DeviationOut, summary="Eén geaccepteerde afwijking")
def deviation_detail(request, deviation_id: PathId):
    return _deviation_out(get_object_or_404(Deviation, pk=deviation_id))


def _deviation_save(request, payload: DeviationIn, deviation=None):
    data, expected = _payload_data(payload, themes=Theme)
    saved = services.deviation_save(
        organisation=request.organisation,
        membership=request.membership,
        deviation=deviation,
        expected_revision=expected if deviation is not None else None,
        **data,
    )
    return _deviation_out(Deviation.objects.get(pk=saved.pk))


@router.post("/deviations", response={201: DeviationOut}, summary="Afwijking vastleggen")
def deviation_create(request, payload: DeviationIn):
    return Status(201, _deviation_save(request, payload))


@router.put("/deviations/{deviation_id}", response=DeviationOut, summary="Afwijking wijzigen")
def deviation_update(request, deviation_id: PathId, payload: DeviationIn):
    return _deviation_save(request, payload, get_object_or_404(Deviation, pk=deviation_id))


@router.delete("/deviations/{deviation_id}", response={204: None}, summary="Afwijking verwijderen")
def deviation_delete(request, deviation_id: PathId):
    services.deviation_delete(membership=request.membership, deviation=get_object_or_404(Deviation, pk=deviation_id))
    return Status(204, None)

"""API router of the incident register: the same services and selectors as the pages.

Every read starts at ``selectors.visible_incidents``: a confidential incident of which the
caller is not a handler (and the caller is not the coordinator) is a 404, like another
municipality's id. Writes go through the services, which ask the permission gate.
"""

import datetime
from contextlib import contextmanager
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from weerbaar.api.schemas import InputSchema
from weerbaar.core.models import Membership
from weerbaar.documents.excel import xlsx_response
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset, LocalThreat, Measure, Risk, Threat

from . import excel, selectors, services
from .models import ExternalReport, Incident, IncidentType, LocalIncidentType, ReportKind

router = Router(tags=["incidenten"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Slug = Annotated[str, Field(max_length=100)]
Text = Annotated[str, Field(max_length=10_000)]
Query200 = Annotated[str, Query(max_length=200)]
RevisionIn = Annotated[int | None, Field(ge=0, le=2**31 - 1)]
LIST_MAX = 1000


def _choices(field_choices) -> type:
    return Literal[tuple(value for value, _label in field_choices)]


class IncidentPage(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


class IncidentReportOut(Schema):
    id: int
    kind: str
    due_at: datetime.datetime | None
    status: str
    made_at: datetime.datetime | None
    in_time: bool | None
    their_reference: str
    note: str
    revision: int


class IncidentOut(Schema):
    id: int
    reference: str
    title: str
    occurred_at: datetime.datetime
    discovered_at: datetime.datetime
    incident_type: str | None
    local_type_id: int | None
    themes: list[str]
    severity: int
    place: str
    assets: list[int]
    threat: str | None
    local_threat_id: int | None
    description: str
    immediate_actions: str
    confidential: bool
    handlers: list[int]
    status: str
    lessons: str
    evaluated_on: datetime.date | None
    materialised_risks: list[int]
    failed_measures: list[int]
    working_measures: list[int]
    actions: list[int]
    reports: list[IncidentReportOut]
    revision: int


class IncidentList(Schema):
    count: int
    items: list[IncidentOut]


def _out(i: Incident) -> dict:
    return {
        "id": i.pk,
        "reference": i.reference,
        "title": i.title,
        "occurred_at": i.occurred_at,
        "discovered_at": i.discovered_at,
        "incident_type": i.incident_type.slug if i.incident_type_id else None,
        "local_type_id": i.local_type_id,
        "themes": [t.slug for t in i.themes.all()],
        "severity": i.severity,
        "place": i.place,
        "assets": [a.pk for a in i.assets.all()],
        "threat": i.threat.slug if i.threat_id else None,
        "local_threat_id": i.local_threat_id,
        "description": i.description,
        "immediate_actions": i.immediate_actions,
        "confidential": i.confidential,
        "handlers": [h.pk for h in i.handlers.all()],
        "status": i.status,
        "lessons": i.lessons,
        "evaluated_on": i.evaluated_on,
        "materialised_risks": [r.pk for r in i.materialised_risks.all()],
        "failed_measures": [m.pk for m in i.failed_measures.all()],
        "working_measures": [m.pk for m in i.working_measures.all()],
        "actions": [a.pk for a in i.actions.all()],
        "reports": [_report_out(r) for r in i.reports.all()],
        "revision": i.revision,
    }


def _report_out(r: ExternalReport) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "due_at": r.due_at,
        "status": r.status,
        "made_at": r.made_at,
        "in_time": r.in_time,
        "their_reference": r.their_reference,
        "note": r.note,
        "revision": r.revision,
    }


# The rules the services check beyond the schema depend on other fields or on stored state (a
# report "not needed" needs a reason; a moment may not lie in the future or before the incident
# happened; one report of each kind per incident): no schema can state them. The API reports them
# without a field name, each message beginning with the field it is about. Unknown references
# (code "unknown") and stale revisions (409) keep their own answers.
@contextmanager
def _moments_as_state_errors():
    try:
        yield
    except ValidationError as e:
        if getattr(e, "code", None) == "stale" or not hasattr(e, "error_dict"):
            raise
        unknown = {
            name: errors for name, errors in e.error_dict.items() if all(err.code == "unknown" for err in errors)
        }
        if unknown:
            raise ValidationError(unknown) from e
        raise ValidationError(
            [f"{name}: {m}" for name, errors in e.error_dict.items() for err in errors for m in err.messages]
        ) from e


def _ids_exist(model, ids: list[int], field: str, message: str) -> None:
    if set(ids) - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)):
        raise ValidationError({field: ValidationError(message, code="unknown")})


def _detail_qs(request):
    return selectors.incident_detail_queryset(membership=request.membership).select_related("incident_type", "threat")


def _get(request, incident_id: int) -> Incident:
    return get_object_or_404(_detail_qs(request), pk=incident_id)


@router.get("/incidents", response=IncidentList, summary="Incidenten")
def incident_list(
    request,
    page: Query[IncidentPage],
    q: Query200 = "",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: Query[Literal[("", *Incident.Status.values)]] = "",
):
    qs = selectors.incident_list(membership=request.membership, query=q, year=year, status=status)
    count = qs.count()
    ids = list(qs.values_list("pk", flat=True)[page.offset : page.offset + page.limit])
    rows = {i.pk: i for i in _detail_qs(request).filter(pk__in=ids)}
    return {"count": count, "items": [_out(rows[pk]) for pk in ids if pk in rows]}


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="Eén incident")
def incident_detail(request, incident_id: PathId):
    return _out(_get(request, incident_id))


class IncidentIn(InputSchema):
    title: Annotated[str, Field(max_length=200)]
    occurred_at: datetime.datetime
    discovered_at: datetime.datetime | None = None
    incident_type: Slug = Field(
        "overig",
        description="Slug uit de catalogus (zie /incident-types); genegeerd als local_type_id is gegeven.",
    )
    local_type_id: Id | None = None
    # At least one theme: documented here, refused by the service with its own Dutch message.
    themes: list[Slug] = Field(max_length=LIST_MAX, json_schema_extra={"minItems": 1})
    severity: _choices(Incident.Severity.choices) = Incident.Severity.LIMITED.value
    place: Annotated[str, Field(max_length=200)] = ""
    assets: list[Id] = Field([], max_length=LIST_MAX)
    threat: Slug | None = None
    local_threat_id: Id | None = None
    description: Text = ""
    immediate_actions: Text = ""
    confidential: bool | None = None
    handlers: list[Id] = Field([], max_length=LIST_MAX)
    status: _choices(Incident.Status.choices) | None = None
    reference: Annotated[str, Field(max_length=20)] = ""
    revision: RevisionIn = Field(None, description="De revisie die u las; bij een andere revisie volgt 409.")


def _by_slugs(model, slugs: list[str], field: str) -> list[int]:
    found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError(
            {field: ValidationError(_("Onbekend: %(s)s.") % {"s": ", ".join(missing)}, code="unknown")}
        )
    return [found[s] for s in slugs]


def _one(model, field: str, message: str, **lookup):
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise ValidationError({field: ValidationError(message, code="unknown")})
    return found


def _save(request, payload: IncidentIn, incident=None) -> dict:
    data = payload.dict()
    revision = data.pop("revision")
    data["expected_revision"] = revision if incident is not None else None
    data["themes"] = _by_slugs(Theme, data["themes"], "themes")
    type_slug, local_type_id = data.pop("incident_type"), data.pop("local_type_id")
    if local_type_id:
        type_slug = None
    data["incident_type"] = (
        _one(IncidentType, "incident_type", _("Onbekende soort."), slug=type_slug) if type_slug else None
    )
    data["local_type"] = (
        _one(LocalIncidentType, "local_type_id", _("Onbekende eigen soort."), pk=local_type_id)
        if local_type_id
        else None
    )
    threat_slug, local_threat_id = data.pop("threat"), data.pop("local_threat_id")
    data["threat"] = _one(Threat, "threat", _("Onbekende dreiging."), slug=threat_slug) if threat_slug else None
    data["local_threat"] = (
        _one(LocalThreat, "local_threat_id", _("Onbekende eigen dreiging."), pk=local_threat_id)
        if local_threat_id
        else None
    )
    if set(data["assets"]) - set(Asset.objects.filter(pk__in=data["assets"]).values_list("pk", flat=True)):
        raise ValidationError({"assets": ValidationError(_("Onbekend bedrijfsmiddel."), code="unknown")})
    if set(data["handlers"]) - set(Membership.objects.filter(pk__in=data["handlers"]).values_list("pk", flat=True)):
        raise ValidationError({"handlers": ValidationError(_("Onbekende behandelaar."), code="unknown")})
    with _moments_as_state_errors():
        saved = services.incident_save(
            organisation=request.organisation, membership=request.membership, incident=incident, **data
        )
    return _out(_get(request, saved.pk))


@router.post("/incidents", response={201: IncidentOut}, summary="Incident vastleggen")
def incident_create(request, payload: IncidentIn):
    return Status(201, _save(request, payload))


@router.put("/incidents/{incident_id}", response=IncidentOut, summary="Incident wijzigen")
def incident_update(request, incident_id: PathId, payload: IncidentIn):
    return _save(request, payload, _get(request, incident_id))


@router.delete("/incidents/{incident_id}", response={204: None}, summary="Incident verwijderen")
def incident_delete(request, incident_id: PathId):
    services.incident_delete(membership=request.membership, incident=_get(request, incident_id))
    return Status(204, None)


class IncidentNewActionIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    due_date: datetime.date | None = None
    owner_id: Id | None = None


class IncidentEvaluationIn(InputSchema):
    lessons: Annotated[str, Field(max_length=10_000, pattern=r"\S")]
    materialised_risks: list[Id] = Field([], max_length=LIST_MAX)
    failed_measures: list[Id] = Field([], max_length=LIST_MAX)
    working_measures: list[Id] = Field([], max_length=LIST_MAX)
    evaluated_on: datetime.date | None = None
    new_actions: list[IncidentNewActionIn] = Field([], max_length=20)
    close: bool = False
    revision: RevisionIn = None


@router.post("/incidents/{incident_id}/evaluation", response=IncidentOut, summary="Incident evalueren")
def incident_evaluate(request, incident_id: PathId, payload: IncidentEvaluationIn):
    incident = _get(request, incident_id)
    data = payload.dict()
    actions = []
    for a in data.pop("new_actions"):
        owner = None
        if a["owner_id"]:
            owner = _one(Membership, "new_actions", _("Onbekende eigenaar."), pk=a["owner_id"])
        if a["due_date"] is not None and not 2000 <= a["due_date"].year <= 2100:
            raise ValidationError({"new_actions": _("Kies een datum tussen 2000 en 2100.")})
        actions.append(services.NewAction(title=a["title"], due_date=a["due_date"], owner=owner))
    data["expected_revision"] = data.pop("revision")
    _ids_exist(Risk, data["materialised_risks"], "materialised_risks", _("Onbekend risico."))
    _ids_exist(Measure, data["failed_measures"], "failed_measures", _("Onbekende maatregel."))
    _ids_exist(Measure, data["working_measures"], "working_measures", _("Onbekende maatregel."))
    with _moments_as_state_errors():
        services.incident_evaluate(
            organisation=request.organisation,
            membership=request.membership,
            incident=incident,
            new_actions=actions,
            **data,
        )
    return _out(_get(request, incident_id))


class IncidentReportIn(InputSchema):
    kind: _choices(ReportKind.choices)
    status: _choices(ExternalReport.Status.choices) = ExternalReport.Status.DUE.value
    made_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    their_reference: Annotated[str, Field(max_length=100)] = ""
    note: Text = ""
    revision: RevisionIn = None


@router.post("/incidents/{incident_id}/reports", response={201: IncidentReportOut}, summary="Externe melding toevoegen")
def report_create(request, incident_id: PathId, payload: IncidentReportIn):
    incident = _get(request, incident_id)
    data = payload.dict()
    data.pop("revision")
    with _moments_as_state_errors():
        report = services.report_save(membership=request.membership, incident=incident, **data)
    return Status(201, _report_out(report))


@router.put("/incident-reports/{report_id}", response=IncidentReportOut, summary="Externe melding bijwerken")
def report_update(request, report_id: PathId, payload: IncidentReportIn):
    report = get_object_or_404(
        selectors.visible_reports(membership=request.membership).select_related("incident"), pk=report_id
    )
    data = payload.dict()
    data["expected_revision"] = data.pop("revision")
    with _moments_as_state_errors():
        saved = services.report_save(membership=request.membership, incident=report.incident, report=report, **data)
    return _report_out(saved)


class IncidentTypeOut(Schema):
    slug: str
    name: str
    description: str
    confidential: bool
    reports: list[str]


class LocalIncidentTypeOut(Schema):
    id: int
    name: str
    description: str
    confidential: bool


class IncidentTypesOut(Schema):
    catalogue: list[IncidentTypeOut]
    own: list[LocalIncidentTypeOut]


@router.get("/incident-types", response=IncidentTypesOut, summary="Soorten incidenten")
def type_list(request):
    return {
        "catalogue": list(IncidentType.objects.order_by("order", "name")),
        "own": list(LocalIncidentType.objects.filter(organisation=request.organisation).order_by("name")),
    }


class PatternCountOut(Schema):
    name: str
    count: int


class PatternFigureOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[str | int]]


class IncidentPatternsOut(Schema):
    year: int
    total: int
    previous_total: int
    figures: list[PatternFigureOut]
    recurring_places: list[PatternCountOut]
    recurring_assets: list[PatternCountOut]
    materialised_risks: list[PatternCountOut]
    failed_measures: list[PatternCountOut]
    working_measures: list[PatternCountOut]
    conclusion: str


@router.get("/incidents-patterns", response=IncidentPatternsOut, summary="Rode draden van een jaar")
def patterns(request, year: Annotated[int, Query(ge=2000, le=2100)]):
    p = selectors.member_patterns(membership=request.membership, year=year)

    def counts(pairs):
        return [{"name": str(n), "count": c} for n, c in pairs]

    return {
        "year": p.year,
        "total": p.total,
        "previous_total": p.previous_total,
        "figures": [
            {"key": f.chart.key, "title": f.chart.title, "headers": f.headers, "rows": f.rows} for f in p.figures
        ],
        "recurring_places": counts(p.recurring_places),
        "recurring_assets": counts(p.recurring_assets),
        "materialised_risks": counts(p.materialised_risks),
        "failed_measures": counts(p.failed_measures),
        "working_measures": counts(p.working_measures),
        "conclusion": p.conclusion.text if p.conclusion else "",
    }


@router.get("/incidents-export.xlsx", summary="Incidenten als Excelbestand", response={200: None})
def export_xlsx(request):
    return xlsx_response(
        excel.export_incidents(membership=request.membership), f"weerbaar-incidenten-{request.organisation.slug}.xlsx"
    )

"""API router for the strategic framework: the same services and selectors as the web pages."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, create_model

from weerbaar.api.schemas import InputSchema, problem_responses
from weerbaar.core.selectors import member_by_id
from weerbaar.knowledge.models import GovernanceVariant, Law, Principle, PrincipleCategory, SecurityGoal, StepActivity

from . import documents, selectors, services
from .forms import AdoptForm, CommentForm
from .models import ChosenGoal, FrameworkVersion, Step, StepComment, StepEntry, SubPlan

router = Router(tags=["strategisch kader"])


class VersionSummary(Schema):
    id: int
    number: int
    status: str
    adopted_on: datetime.date | None = None
    decision_reference: str = ""
    adopted_by_body: str = ""


class FrameworkOut(Schema):
    id: int
    title: str
    versions: list[VersionSummary]


class GoalOut(Schema):
    id: int
    catalogue_goal: str | None
    name: str
    why: str


class PrincipleOut(Schema):
    id: int
    catalogue_principle: str | None
    category: str
    text: str
    goals: list[int]


class StepOut(Schema):
    step: str
    revision: int
    fields: dict
    scope_assets: list[int] = Field([], description="Ids van bedrijfsmiddelen uit het register (stap Scope).")
    laws: list[str]
    activities_done: list[str]
    complete: bool
    missing: list[str]


class VersionOut(VersionSummary):
    steps: list[StepOut]
    goals: list[GoalOut]
    principles: list[PrincipleOut]
    missing: list[str]


# Input limits are those of the models and the web forms, so the API accepts what they accept.
def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


Slug = Annotated[str, Field(max_length=_max(SecurityGoal, "slug"))]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _step_field_type(name: str):
    """The JSON type of one step field, from the model field (null clears it)."""
    field = StepEntry._meta.get_field(name)
    if name == "governance_variant":
        kind = Slug
    elif isinstance(field, models.BooleanField):
        kind = bool
    elif isinstance(field, models.DateField):
        kind = datetime.date
    elif field.choices:
        kind = Literal[("", *(value for value, _label in field.choices))]
    elif field.max_length:
        kind = Annotated[str, Field(max_length=field.max_length)]
    else:
        kind = str
    return (kind | None, None)


class _Closed(InputSchema):
    pass


# Every field a step may write (services.editable_fields), typed as its model field; which of
# them belong to the step at hand is the service's rule.
_ALL_STEP_FIELDS = dict.fromkeys(name for step in Step.values for name in services.editable_fields(step))
StepFieldsIn = create_model(
    "StepFieldsIn", __base__=_Closed, **{name: _step_field_type(name) for name in _ALL_STEP_FIELDS}
)


class GoalIn(InputSchema):
    catalogue_goal: Slug | None = None
    id: Id | None = None
    name: str = Field("", max_length=_max(ChosenGoal, "name"))
    why: str = ""


class PrincipleIn(InputSchema):
    catalogue_principle: Slug | None = None
    id: Id | None = None
    category: Slug | None = None
    text: str = ""
    goals: list[Id] = []


class StepIn(InputSchema):
    revision: int = Field(ge=0, le=2**31 - 1)  # a PositiveIntegerField
    fields: StepFieldsIn = Field(default_factory=StepFieldsIn)
    laws: list[Slug] | None = None
    scope_assets: list[Id] | None = Field(
        None, max_length=1000, description="Ids van bedrijfsmiddelen uit het register die binnen de scope vallen."
    )
    activities_done: list[Slug] | None = None
    goals: list[GoalIn] | None = None
    principles: list[PrincipleIn] | None = None
    confirm_unlink: bool = Field(
        False,
        description=(
            "Bevestiging dat koppelingen van maatregelen mogen vervallen. Laat u een doel of uitgangspunt weg "
            "waaraan maatregelen zijn gekoppeld, dan weigert de API met 422 (code `linked`, per koppeling een "
            "regel in `invalid_params` met de maatregel) en verandert er niets. Stuur hetzelfde verzoek met "
            "`confirm_unlink: true` om toch te verwijderen: de koppelingen vervallen en staan daarna in het "
            "logboek en in het overzicht 'Koppelingen die niet meegingen' van de versie."
        ),
    )


class AdoptIn(InputSchema):
    adopted_on: datetime.date
    decision_reference: str = Field(max_length=AdoptForm.base_fields["decision_reference"].max_length)
    adopted_by_body: str = Field(
        "college van burgemeester en wethouders", max_length=AdoptForm.base_fields["adopted_by_body"].max_length
    )


class CommentIn(InputSchema):
    step: Literal[tuple(Step.values)]
    body: str = Field(max_length=CommentForm.base_fields["body"].max_length)


class CommentOut(Schema):
    id: int
    step: str
    author: str
    body: str
    created_at: datetime.datetime
    resolved: bool


def _version(version_id: int) -> FrameworkVersion:
    return get_object_or_404(FrameworkVersion.objects.select_related("framework", "organisation"), pk=version_id)


def _summary(v: FrameworkVersion) -> dict:
    return {
        "id": v.pk,
        "number": v.number,
        "status": v.status,
        "adopted_on": v.adopted_on,
        "decision_reference": v.decision_reference,
        "adopted_by_body": v.adopted_by_body,
    }


def _version_out(v: FrameworkVersion) -> dict:
    entries = selectors.entries_of(v)
    goals, principles = selectors.goals_of(v), selectors.principles_of(v)
    completeness = selectors.completeness(v, entries, goals, principles)
    steps = []
    for step, entry in entries.items():
        fields = {}
        for name in services.editable_fields(step):
            value = getattr(entry, name if name != "governance_variant" else "governance_variant")
            if name == "governance_variant":
                value = value.slug if value else None
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            fields[name] = value
        status = completeness.for_step(step)
        steps.append(
            {
                "step": step,
                "revision": entry.revision,
                "fields": fields,
                "scope_assets": [a.pk for a in entry.scope_assets.all()],
                "laws": [law.slug for law in entry.laws.all()],
                "activities_done": [a.slug for a in entry.activities_done.all()],
                "complete": status.complete,
                "missing": status.missing,
            }
        )
    return {
        **_summary(v),
        "steps": steps,
        "goals": [
            {
                "id": g.pk,
                "catalogue_goal": g.catalogue_goal.slug if g.catalogue_goal else None,
                "name": g.name,
                "why": g.why,
            }
            for g in goals
        ],
        "principles": [
            {
                "id": p.pk,
                "catalogue_principle": p.catalogue_principle.slug if p.catalogue_principle else None,
                "category": p.category.slug,
                "text": p.text,
                "goals": [g.pk for g in p.goals.all()],
            }
            for p in principles
        ],
        "missing": [f"{label}: {item}" for label, item in completeness.missing],
    }


def _by_slugs(model, slugs: list[str], name: str) -> list:
    """The catalogue items of these slugs; unknown ones are a 422 naming the body field."""
    objects = {o.slug: o for o in model.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in objects]
    if unknown:
        raise ValidationError(
            {name: ValidationError(_("Onbekend: %(slugs)s.") % {"slugs": ", ".join(unknown)}, code="unknown")}
        )
    return [objects[s] for s in slugs]


def _by_slug(model, slug: str | None, name: str):
    """One catalogue item by its slug, or None when none is given; an unknown slug is a 422 at ``name``."""
    return _by_slugs(model, [slug], name)[0] if slug else None


def _named_in_body(error: ValidationError) -> ValidationError:
    """A step's model errors (``text``) under the name the client sent (``body.fields.text``)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            (f"body.fields.{field}" if field in _ALL_STEP_FIELDS else field): errors
            for field, errors in error.error_dict.items()
        }
    )


@router.get(
    "/framework",
    response=FrameworkOut,
    summary="Het strategisch kader van de gemeente",
    openapi_extra=problem_responses(status_404=_("Uw gemeente heeft nog geen strategisch kader.")),
)
def framework(request):
    fw = selectors.framework_for(organisation=request.organisation)
    if fw is None:
        raise HttpError(404, _("Uw gemeente heeft nog geen strategisch kader."))
    return {"id": fw.pk, "title": fw.title, "versions": [_summary(v) for v in selectors.versions_of(fw)]}


@router.post(
    "/framework",
    response={201: FrameworkOut},
    summary="Het strategisch kader starten",
    openapi_extra=problem_responses(status_409=_("Uw gemeente heeft al een strategisch kader.")),
)
def framework_start(request):
    fw = services.framework_start(organisation=request.organisation, membership=request.membership)
    return Status(201, {"id": fw.pk, "title": fw.title, "versions": [_summary(v) for v in fw.versions.all()]})


@router.get("/framework/versions/{version_id}", response=VersionOut, summary="Eén versie met alle stappen")
def version_detail(request, version_id: int):
    return _version_out(_version(version_id))


@router.put(
    "/framework/versions/{version_id}/steps/{step}",
    response=VersionOut,
    summary="Een stap opslaan (met het revisienummer waarvan u uitging)",
    description=(
        "Doelen (stap doelen) en uitgangspunten (stap uitgangspunten) die u weglaat, worden verwijderd. Zijn er "
        "maatregelen aan gekoppeld, dan volgt 422 met code `linked` en de gekoppelde maatregelen, tenzij u "
        "`confirm_unlink: true` meestuurt."
    ),
    openapi_extra=problem_responses(
        status_409=_("Iemand anders heeft de stap opgeslagen sinds de revisie die u meestuurde."),
        status_422=_(
            "Ongeldige invoer, of u laat doelen of uitgangspunten weg waaraan maatregelen zijn gekoppeld "
            "(code linked) zonder confirm_unlink."
        ),
    ),
)
def step_save(request, version_id: int, step: str, payload: StepIn):
    version = _version(version_id)
    if step not in Step.values:
        raise Http404
    entry = get_object_or_404(version.steps, step=step)
    fields = payload.fields.model_dump(exclude_unset=True)
    if fields.get("governance_variant"):
        fields["governance_variant"] = _by_slug(
            GovernanceVariant, fields["governance_variant"], "body.fields.governance_variant"
        )
    goals = None
    if payload.goals is not None:
        goals = [
            services.GoalInput(
                catalogue_goal=_by_slug(SecurityGoal, g.catalogue_goal, f"body.goals.{i}.catalogue_goal"),
                id=g.id,
                name=g.name,
                why=g.why,
            )
            for i, g in enumerate(payload.goals)
        ]
    principles = None
    if payload.principles is not None:
        principles = [
            services.PrincipleInput(
                catalogue_principle=_by_slug(
                    Principle, p.catalogue_principle, f"body.principles.{i}.catalogue_principle"
                ),
                id=p.id,
                category=_by_slug(PrincipleCategory, p.category, f"body.principles.{i}.category"),
                text=p.text,
                goal_ids=p.goals,
            )
            for i, p in enumerate(payload.principles)
        ]
    try:
        services.step_save(
            entry=entry,
            expected_revision=payload.revision,
            membership=request.membership,
            fields=fields,
            laws=_by_slugs(Law, payload.laws, "body.laws") if payload.laws is not None else None,
            activities_done=(
                _by_slugs(StepActivity, payload.activities_done, "body.activities_done")
                if payload.activities_done is not None
                else None
            ),
            goals=goals,
            principles=principles,
            scope_assets=_assets(payload.scope_assets) if payload.scope_assets is not None else None,
            confirm_unlink=payload.confirm_unlink,
        )
    except services.LinkedMeasures as e:
        raise _linked_problem(e) from e
    except ValidationError as e:
        raise _named_in_body(e) from e
    return _version_out(_version(version_id))


def _linked_problem(error: services.LinkedMeasures) -> ValidationError:
    """One ``invalid_params`` entry per lapsing link, at the list it comes from (``body.goals``)."""
    by_field: dict[str, list] = {}
    for item in error.items:
        for measure in item["measures"]:
            by_field.setdefault(f"body.{item['kind']}s", []).append(
                ValidationError(
                    _("%(kind)s “%(item)s” (id %(item_id)s) is gekoppeld aan maatregel %(measure)s (id %(id)s).")
                    % {
                        "kind": services.KIND_LABELS[item["kind"]],
                        "item": item["label"],
                        "item_id": item["id"],
                        "measure": measure["label"],
                        "id": measure["id"],
                    },
                    code="linked",
                )
            )
    return ValidationError({NON_FIELD_ERRORS: [error.messages[0]], **by_field})


def _action(version_id: int, fn, request, **kwargs):
    result = fn(version=_version(version_id), membership=request.membership, **kwargs)
    return _version_out(_version(result.pk))


@router.post("/framework/versions/{version_id}/submit", response=VersionOut, summary="Indienen ter besluitvorming")
def submit(request, version_id: int):
    return _action(version_id, services.version_submit, request)


@router.post("/framework/versions/{version_id}/withdraw", response=VersionOut, summary="Terug naar concept")
def withdraw(request, version_id: int):
    return _action(version_id, services.version_withdraw, request)


@router.post("/framework/versions/{version_id}/adopt", response=VersionOut, summary="Vaststellen (bestuurder)")
def adopt(request, version_id: int, payload: AdoptIn):
    return _action(version_id, services.version_adopt, request, **payload.dict())


@router.post(
    "/framework/versions/{version_id}/new-version", response={201: VersionOut}, summary="Nieuwe versie als kopie"
)
def new_version(request, version_id: int):
    version = services.version_create_from(source=_version(version_id), membership=request.membership)
    return Status(201, _version_out(version))


@router.get("/framework/versions/{version_id}/compare/{other_id}", summary="Wat veranderde tussen twee versies")
def compare(request, version_id: int, other_id: int):
    a, b = _version(version_id), _version(other_id)
    if a.framework_id != b.framework_id:
        raise Http404
    old, new = (a, b) if a.number <= b.number else (b, a)
    return {
        "old": old.number,
        "new": new.number,
        "steps": [
            {
                "step": block["step"],
                "changes": [{"label": c["label"], "old": c["old"], "new": c["new"]} for c in block["changes"]],
            }
            for block in selectors.compare_versions(old, new)
        ],
    }


@router.get("/framework/versions/{version_id}/document.docx", summary="Het kader als Word-document")
def document_docx(request, version_id: int):
    from weerbaar.documents.word import DOCX_CONTENT_TYPE

    version = _version(version_id)
    response = HttpResponse(documents.render_word(version), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(version, "docx")}"'
    return response


@router.get("/framework/versions/{version_id}/document.pdf", summary="Het kader als PDF")
def document_pdf(request, version_id: int):
    version = _version(version_id)
    response = HttpResponse(documents.render_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(version, "pdf")}"'
    return response


def _comment_out(c: StepComment) -> dict:
    return {
        "id": c.pk,
        "step": c.step,
        "author": c.author_name,
        "body": c.body,
        "created_at": c.created_at,
        "resolved": not c.is_open,
    }


@router.get("/framework/versions/{version_id}/comments", response=list[CommentOut], summary="Opmerkingen")
def comments(request, version_id: int):
    version = _version(version_id)
    return [_comment_out(c) for c in version.comments.all()]


@router.post("/framework/versions/{version_id}/comments", response={201: CommentOut}, summary="Opmerking bij een stap")
def comment_add(request, version_id: int, payload: CommentIn):
    version = _version(version_id)
    c = services.comment_add(version=version, step=payload.step, body=payload.body, membership=request.membership)
    return Status(201, _comment_out(c))


@router.post("/framework/comments/{comment_id}/resolve", response=CommentOut, summary="Opmerking afhandelen")
def comment_resolve(request, comment_id: int):
    comment = get_object_or_404(StepComment.objects.select_related("version"), pk=comment_id)
    services.comment_resolve(comment=comment, membership=request.membership)
    return _comment_out(comment)


def _assets(ids: list[int]) -> list:
    """Assets of the own register (the scope hides others: their ids are unknown, a 422)."""
    from weerbaar.risks.models import Asset

    found = {a.pk: a for a in Asset.objects.filter(pk__in=ids)}
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        raise ValidationError(
            {
                "body.scope_assets": ValidationError(
                    _("Onbekend bedrijfsmiddel: %(ids)s.") % {"ids": ", ".join(unknown)}, code="unknown"
                )
            }
        )
    return [found[i] for i in dict.fromkeys(ids)]


# --- sub-plans ---------------------------------------------------------------------------------

PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
# At least one visible character; a web address with a host name (what Django's URLValidator accepts).
VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f\ufffe\uffff]"
URL_PATTERN = r"^(?:https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?:[/?#][!-~]*)?)?$"


class SubPlanIn(InputSchema):
    kind: Literal[tuple(SubPlan.Kind.values)]
    title: str = Field(max_length=_max(SubPlan, "title"), min_length=1, pattern=VISIBLE)
    owner_id: Id | None = Field(None, description="Id van het lidmaatschap van de eigenaar.")
    status: Literal[tuple(SubPlan.Status.values)] = SubPlan.Status.PREPARING.value
    adopted_on: datetime.date | None = None
    review_on: datetime.date | None = None
    scope: str = Field("", max_length=10_000)
    document_url: str = Field("", max_length=_max(SubPlan, "document_url"), pattern=URL_PATTERN)
    revision: int | None = Field(
        None, ge=0, le=2**31 - 1, description="De revisie die u las; bij een andere revisie volgt 409."
    )


class SubPlanOut(Schema):
    id: int
    kind: str
    title: str
    owner_id: int | None
    status: str
    adopted_on: datetime.date | None
    review_on: datetime.date | None
    scope: str
    document_url: str
    has_document: bool
    revision: int


class SubPlanPage(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


class SubPlanList(Schema):
    count: int
    items: list[SubPlanOut]


def _subplan_out(p: SubPlan) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "title": p.title,
        "owner_id": p.owner_id,
        "status": p.status,
        "adopted_on": p.adopted_on,
        "review_on": p.review_on,
        "scope": p.scope,
        "document_url": p.document_url,
        "has_document": bool(p.document),
        "revision": p.revision,
    }


@router.get("/subplans", response=SubPlanList, summary="Deelplannen")
def subplan_list(
    request,
    page: Query[SubPlanPage],
    kind: Query[Literal[("", *SubPlan.Kind.values)]] = "",
    status: Query[Literal[("", *SubPlan.Status.values)]] = "",
):
    qs = selectors.subplan_list(organisation=request.organisation, kind=kind, status=status)
    items = list(qs[page.offset : page.offset + page.limit])
    return {"count": qs.count(), "items": [_subplan_out(p) for p in items]}


@router.get("/subplans/{subplan_id}", response=SubPlanOut, summary="Eén deelplan")
def subplan_detail(request, subplan_id: PathId):
    return _subplan_out(get_object_or_404(SubPlan, pk=subplan_id))


def _subplan_save(request, payload: SubPlanIn, subplan=None) -> dict:
    data = payload.dict()
    expected = data.pop("revision")
    owner = member_by_id(organisation=request.organisation, member_id=data.pop("owner_id"))
    saved = services.subplan_save(
        organisation=request.organisation,
        membership=request.membership,
        subplan=subplan,
        owner=owner,
        expected_revision=expected if subplan is not None else None,
        **data,
    )
    return _subplan_out(SubPlan.objects.get(pk=saved.pk))


@router.post("/subplans", response={201: SubPlanOut}, summary="Deelplan vastleggen")
def subplan_create(request, payload: SubPlanIn):
    return Status(201, _subplan_save(request, payload))


@router.put("/subplans/{subplan_id}", response=SubPlanOut, summary="Deelplan wijzigen")
def subplan_update(request, subplan_id: PathId, payload: SubPlanIn):
    return _subplan_save(request, payload, get_object_or_404(SubPlan, pk=subplan_id))


@router.delete("/subplans/{subplan_id}", response={204: None}, summary="Deelplan verwijderen")
def subplan_delete(request, subplan_id: PathId):
    services.subplan_delete(membership=request.membership, subplan=get_object_or_404(SubPlan, pk=subplan_id))
    return Status(204, None)

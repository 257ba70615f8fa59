"""API of the training plan: the same services and selectors as the pages.

Reading needs ``training.view``, writing ``training.manage`` (the services ask it: 403).
Another municipality's ids are a 404 (the scoped manager hides them); invalid input is a 422
with the Dutch message per field; a stale ``revision`` is a 409.
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from weerbaar.api.schemas import InputSchema
from weerbaar.core import permissions
from weerbaar.core.models import Membership
from weerbaar.risks.forms import TEXT_MAX_LENGTH

from . import selectors, services
from .models import MAX_PEOPLE, Activity, Session, StaffGroup

router = Router(tags=["opleiden, trainen, oefenen en testen"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH)]
Year = Annotated[int, Field(ge=2000, le=2100)]
People = Annotated[int, Field(ge=0, le=MAX_PEOPLE)]
RevisionIn = Annotated[int | None, Field(ge=0, le=2**31 - 1)]
REVISION_HELP = "De revisie die u las; bij een andere revisie volgt 409."


def _choices(field_choices) -> type:
    return Literal[tuple(value for value, _label in field_choices)]


def _view(request) -> None:
    permissions.require(request.membership, "training.view")


class TrainingPage(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


# --- Groups --------------------------------------------------------------------------------


class TrainingGroupIn(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    size: People | None = None
    description: Text = ""
    revision: RevisionIn = Field(None, description=REVISION_HELP)


class TrainingGroupOut(Schema):
    id: int
    name: str
    kind: str
    size: int | None
    description: str
    revision: int


@router.get("/training/groups", response=list[TrainingGroupOut], summary="Doelgroepen")
def group_list(request):
    _view(request)
    return list(StaffGroup.objects.filter(organisation=request.organisation).order_by("order", "name")[:1000])


@router.post("/training/groups", response={201: TrainingGroupOut}, summary="Doelgroep toevoegen")
def group_create(request, payload: TrainingGroupIn):
    data = payload.dict()
    data.pop("revision")
    return Status(201, services.group_save(organisation=request.organisation, membership=request.membership, **data))


@router.put("/training/groups/{group_id}", response=TrainingGroupOut, summary="Doelgroep wijzigen")
def group_update(request, group_id: PathId, payload: TrainingGroupIn):
    group = get_object_or_404(StaffGroup, pk=group_id)
    data = payload.dict()
    expected = data.pop("revision")
    return services.group_save(
        organisation=request.organisation,
        membership=request.membership,
        group=group,
        expected_revision=expected,
        **data,
    )


# --- Activities ----------------------------------------------------------------------------


class TrainingActivityIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: _choices(Activity.Kind.choices) = Activity.Kind.TRAINING.value
    groups: list[Id] = Field([], max_length=200, description="Doelgroepen; leeg: alle medewerkers.")
    frequency: _choices(Activity.Frequency.choices) = Activity.Frequency.YEARLY.value
    description: Text = ""
    first_year: Year | None = None
    last_year: Year | None = None
    owner_id: Id | None = None
    board_cyber_training: bool = False
    revision: RevisionIn = Field(None, description=REVISION_HELP)


class TrainingActivityOut(Schema):
    id: int
    title: str
    kind: str
    groups: list[int]
    frequency: str
    description: str
    first_year: int | None
    last_year: int | None
    owner_id: int | None
    board_cyber_training: bool
    revision: int

    @staticmethod
    def resolve_groups(obj) -> list[int]:
        return sorted(g.pk for g in obj.groups.all())


class TrainingActivityList(Schema):
    count: int
    items: list[TrainingActivityOut]


@router.get("/training/activities", response=TrainingActivityList, summary="Activiteiten")
def activity_list(request, page: Query[TrainingPage]):
    _view(request)
    qs = selectors.activity_list(organisation=request.organisation)
    return {"count": qs.count(), "items": list(qs[page.offset : page.offset + page.limit])}


@router.get("/training/activities/{activity_id}", response=TrainingActivityOut, summary="Eén activiteit")
def activity_detail(request, activity_id: PathId):
    _view(request)
    return get_object_or_404(Activity.objects.prefetch_related("groups"), pk=activity_id)


def _activity_save(request, payload: TrainingActivityIn, activity=None):
    data = payload.dict()
    expected = data.pop("revision")
    ids = data.pop("groups")
    if ids:
        groups = list(StaffGroup.objects.filter(organisation=request.organisation, pk__in=ids))
        if len(groups) != len(set(ids)):
            raise ValidationError({"groups": ValidationError(_("Onbekende doelgroep."), code="unknown")})
    else:
        groups = [services.everyone_group(organisation=request.organisation, membership=request.membership)]
    owner_id = data.pop("owner_id")
    owner = None
    if owner_id is not None:
        owner = Membership.objects.filter(organisation=request.organisation, pk=owner_id).first()
        if owner is None:
            raise ValidationError({"owner_id": ValidationError(_("Onbekend lid."), code="unknown")})
    return services.activity_save(
        organisation=request.organisation,
        membership=request.membership,
        activity=activity,
        groups=groups,
        owner=owner,
        expected_revision=expected if activity is not None else None,
        **data,
    )


@router.post("/training/activities", response={201: TrainingActivityOut}, summary="Activiteit toevoegen")
def activity_create(request, payload: TrainingActivityIn):
    return Status(201, _activity_save(request, payload))


@router.put("/training/activities/{activity_id}", response=TrainingActivityOut, summary="Activiteit wijzigen")
def activity_update(request, activity_id: PathId, payload: TrainingActivityIn):
    return _activity_save(request, payload, get_object_or_404(Activity, pk=activity_id))


# --- Sessions and participation ------------------------------------------------------------


class TrainingSessionIn(InputSchema):
    date: datetime.date
    status: _choices(Session.Status.choices) = Session.Status.PLANNED.value
    location: Annotated[str, Field(max_length=200)] = ""
    evaluation: Text = ""
    revision: RevisionIn = Field(None, description=REVISION_HELP)


class TrainingParticipationOut(Schema):
    group_id: int
    participants: int
    names: str


class TrainingSessionOut(Schema):
    id: int
    activity_id: int
    date: datetime.date
    status: str
    location: str
    evaluation: str
    participation: list[TrainingParticipationOut]
    revision: int

    @staticmethod
    def resolve_participation(obj) -> list[dict]:
        return [
            {"group_id": p.group_id, "participants": p.participants, "names": p.names} for p in obj.participations.all()
        ]


@router.get("/training/sessions", response=list[TrainingSessionOut], summary="Data van één jaar")
def session_list(request, year: Query[Year]):
    _view(request)
    return list(
        Session.objects.filter(organisation=request.organisation, date__year=year)
        .prefetch_related("participations")
        .order_by("date", "id")[:2000]
    )


@router.post("/training/activities/{activity_id}/sessions", response={201: TrainingSessionOut}, summary="Datum plannen")
def session_create(request, activity_id: PathId, payload: TrainingSessionIn):
    activity = get_object_or_404(Activity, pk=activity_id)
    data = payload.dict()
    data.pop("revision")
    session = services.session_save(
        organisation=request.organisation, membership=request.membership, activity=activity, **data
    )
    return Status(201, session)


@router.put(
    "/training/sessions/{session_id}", response=TrainingSessionOut, summary="Datum, status en evaluatie wijzigen"
)
def session_update(request, session_id: PathId, payload: TrainingSessionIn):
    session = get_object_or_404(Session.objects.select_related("activity"), pk=session_id)
    data = payload.dict()
    expected = data.pop("revision")
    return services.session_save(
        organisation=request.organisation,
        membership=request.membership,
        activity=session.activity,
        session=session,
        expected_revision=expected,
        **data,
    )


class TrainingParticipationIn(InputSchema):
    group_id: Id
    participants: People | None = None
    names: Text = ""


class TrainingParticipationSetIn(InputSchema):
    groups: list[TrainingParticipationIn] = Field(max_length=200)


@router.put("/training/sessions/{session_id}/participation", response=TrainingSessionOut, summary="Deelname vastleggen")
def participation_set(request, session_id: PathId, payload: TrainingParticipationSetIn):
    session = get_object_or_404(Session.objects.select_related("activity"), pk=session_id)
    counts = {g.group_id: (g.participants, g.names) for g in payload.groups}
    services.participation_set(membership=request.membership, session=session, counts=counts)
    return Session.objects.prefetch_related("participations").get(pk=session.pk)


# --- Coverage ------------------------------------------------------------------------------


class TrainingCoverageOut(Schema):
    group_id: int
    group: str
    size: int | None
    year: int
    participants: int
    percent: int | None


class TrainingCyberOut(Schema):
    year: int
    planned: bool
    done: bool
    dates: list[datetime.date]
    college_participants: int


class TrainingCoverageReport(Schema):
    coverage: list[TrainingCoverageOut]
    board_cyber_training: TrainingCyberOut


@router.get(
    "/training/coverage", response=TrainingCoverageReport, summary="Bereik per doelgroep en cybertraining college"
)
def coverage(request, year: Query[Year]):
    _view(request)
    rows = selectors.coverage(organisation=request.organisation, years=[year])
    cyber = selectors.board_cyber_training(organisation=request.organisation, year=year)
    return {
        "coverage": [
            {
                "group_id": r.group.pk,
                "group": r.group.name,
                "size": r.group.size,
                "year": c.year,
                "participants": c.participants,
                "percent": c.percent,
            }
            for r in rows
            for c in r.cells
        ],
        "board_cyber_training": {
            "year": year,
            "planned": cyber.is_planned,
            "done": cyber.is_done,
            "dates": [s.date for s in [*cyber.done, *cyber.planned]],
            "college_participants": cyber.participants,
        },
    }

"""API of the calendar: the member's dates (from every registered source) and the coordinator's
planning-and-control moments. Another municipality's ids are a 404; writes ask ``agenda.manage``."""

import datetime
from typing import Annotated

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
from .models import PlanningMoment

router = Router(tags=["kalender en herinneringen"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
MAX_DAYS = 3 * 366


class CalendarItemOut(Schema):
    date: datetime.date
    title: str
    kind: str
    kind_label: str
    url: str
    owner_id: int | None
    done: bool
    overdue: bool
    description: str


@router.get("/calendar", response=list[CalendarItemOut], summary="Data op de kalender")
def calendar(request, start: Query[datetime.date], end: Query[datetime.date]):
    """Everything on the calendar from ``start`` to ``end`` that this member may see. At most three
    years are returned: a longer range ends three years after ``start``; an end before the start
    gives an empty list."""
    permissions.require(request.membership, "agenda.view")
    if end < start:
        return []
    try:
        end = min(end, start + datetime.timedelta(days=MAX_DAYS))
    except OverflowError:
        pass
    return [
        {
            "date": i.entry.date,
            "title": i.entry.title,
            "kind": i.entry.kind,
            "kind_label": i.kind_label,
            "url": i.entry.url,
            "owner_id": i.entry.owner_id,
            "done": i.entry.done,
            "overdue": i.overdue,
            "description": i.entry.description,
        }
        for i in selectors.entries(request.membership, start, end)
    ]


class PlanningMomentIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    date: datetime.date
    description: Annotated[str, Field(max_length=TEXT_MAX_LENGTH)] = ""
    owner_id: Id | None = None
    revision: Annotated[int | None, Field(ge=0, le=2**31 - 1)] = Field(
        None, description="De revisie die u las; bij een andere revisie volgt 409."
    )


class PlanningMomentOut(Schema):
    id: int
    title: str
    date: datetime.date
    description: str
    owner_id: int | None
    revision: int


@router.get("/calendar/moments", response=list[PlanningMomentOut], summary="Momenten in de planning-en-controlcyclus")
def moment_list(request):
    permissions.require(request.membership, "agenda.view")
    return list(selectors.planning_moments(organisation=request.organisation)[:1000])


def _save(request, payload: PlanningMomentIn, moment=None):
    data = payload.dict()
    expected = data.pop("revision")
    owner_id = data.pop("owner_id")
    owner = None
    if owner_id is not None:
        owner = Membership.objects.filter(organisation=request.organisation, pk=owner_id).first()
        if owner is None:
            raise ValidationError({"owner_id": ValidationError(_("Onbekend lid."), code="unknown")})
    return services.moment_save(
        organisation=request.organisation,
        membership=request.membership,
        moment=moment,
        owner=owner,
        expected_revision=expected if moment is not None else None,
        **data,
    )


@router.post("/calendar/moments", response={201: PlanningMomentOut}, summary="Moment toevoegen")
def moment_create(request, payload: PlanningMomentIn):
    return Status(201, _save(request, payload))


@router.put("/calendar/moments/{moment_id}", response=PlanningMomentOut, summary="Moment wijzigen")
def moment_update(request, moment_id: PathId, payload: PlanningMomentIn):
    return _save(request, payload, get_object_or_404(PlanningMoment, pk=moment_id))

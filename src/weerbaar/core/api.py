"""API router: the current user, the organisation and its members."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import permissions, selectors
from .models import Membership

router = Router(tags=["organisatie"])


class MeOut(Schema):
    email: str
    full_name: str
    organisation: str
    role: str
    permissions: dict[str, bool]


class OrganisationOut(Schema):
    name: str
    slug: str
    cbs_code: str
    province: str
    require_mfa: bool


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    themes: list[str]
    created_at: datetime


def _member_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "email": m.user.email,
        "full_name": m.user.full_name,
        "role": m.role,
        "themes": [t.slug for t in m.themes.all()],
        "created_at": m.created_at,
    }


@router.get("/me", response=MeOut, summary="De huidige gebruiker in deze gemeente")
def me(request):
    m = request.membership
    return {
        "email": m.user.email,
        "full_name": m.user.full_name,
        "organisation": m.organisation.slug,
        "role": m.role,
        "permissions": permissions.permissions_for(m),
    }


@router.get("/organisation", response=OrganisationOut, summary="De gemeente van de API-sleutel")
def organisation(request):
    return request.organisation


@router.get("/members", response=list[MemberOut], summary="Leden van de gemeente")
def members(request):
    return [_member_out(m) for m in selectors.organisation_members(organisation=request.organisation)]


@router.get("/members/{member_id}", response=MemberOut, summary="Eén lid")
def member(request, member_id: int):
    m = get_object_or_404(Membership.objects.select_related("user").prefetch_related("themes"), pk=member_id)
    return _member_out(m)

"""Reads that are more than a filter. Each takes the organisation (or user) explicitly."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .models import AuditEntry, Invitation, Membership, Organisation


def membership_for_request(*, user, slug: str) -> Membership | None:
    """The tenancy lookup itself: the user's membership of the municipality with this slug.

    Runs before any scope exists, so it opens ``scopes_disabled`` explicitly and returns one
    row of the user's own.
    """
    with scopes_disabled():
        return (
            Membership.objects.select_related("organisation", "user").filter(user=user, organisation__slug=slug).first()
        )


def user_memberships_across_organisations(*, user) -> list[Membership]:
    """All municipalities this user belongs to, for the switcher. Only the user's own rows."""
    if not getattr(user, "is_authenticated", False):
        return []
    with scopes_disabled():
        return list(Membership.objects.select_related("organisation").filter(user=user).order_by("organisation__name"))


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related("themes")
        .order_by("user__full_name", "user__email")
    )


def member_by_id(*, organisation: Organisation, member_id: int | None, field: str = "owner_id") -> Membership | None:
    """The member of ``organisation`` that a request body names by id; ``None`` stays ``None``.

    An id of no member of this municipality (another municipality's, or none at all) is the same
    422 at ``field``, so the answer tells nothing about other municipalities.
    """
    if member_id is None:
        return None
    member = Membership.objects.filter(organisation=organisation, pk=member_id).first()
    if member is None:
        raise ValidationError({field: ValidationError(_("Onbekend lid."), code="unknown")})
    return member


def open_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .prefetch_related("themes")
        .order_by("-created_at")
    )


def audit_entries(
    *,
    organisation: Organisation,
    actor_id: int | None = None,
    action: str = "",
    object_type: str = "",
    date_from=None,
    date_to=None,
    query: str = "",
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if query:
        qs = qs.filter(object_repr__icontains=query)
    return qs.order_by("-created_at", "-id")


def audit_object_types(*, organisation: Organisation) -> list[str]:
    return list(
        AuditEntry.objects.filter(organisation=organisation)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def paginate(queryset, *, page: str | int | None, per_page: int) -> Page:
    return Paginator(queryset, per_page).get_page(page)

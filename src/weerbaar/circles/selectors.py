"""Reads of learning circles. Isolation lives here, once: :func:`member_circles`.

Every page, file and API operation of a circle finds its objects through :func:`member_circles`
(directly, or through the ``*_for`` helpers below that filter on it). A person who is not an
active member of the circle gets ``Http404``, exactly as for an id that does not exist; there
is no second code path that could forget the check.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Circle, CircleMember, Document, DocumentVersion, Meeting, Post, Thread


def member_circles(user) -> QuerySet[Circle]:
    """The circles this person is an active member of: the only circles they may see."""
    if not getattr(user, "is_authenticated", False):
        return Circle.objects.none()
    return Circle.objects.filter(
        pk__in=CircleMember.objects.filter(user=user, state=CircleMember.State.ACTIVE).values("circle_id")
    )


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def circle_for(user, pk) -> Circle:
    return _get(member_circles(user), pk)


def meeting_for(user, pk) -> Meeting:
    return _get(Meeting.objects.filter(circle__in=member_circles(user)).select_related("circle"), pk)


def thread_for(user, pk) -> Thread:
    return _get(Thread.objects.filter(circle__in=member_circles(user)).select_related("circle"), pk)


def post_for(user, pk) -> Post:
    return _get(Post.objects.filter(circle__in=member_circles(user)).select_related("thread", "circle"), pk)


def document_for(user, pk) -> Document:
    return _get(Document.objects.filter(circle__in=member_circles(user)).select_related("circle"), pk)


def version_for(user, pk) -> DocumentVersion:
    return _get(
        DocumentVersion.objects.filter(document__circle__in=member_circles(user)).select_related("document__circle"),
        pk,
    )


def place_for(user, pk) -> CircleMember:
    """A place (member, invitation, request) in a circle the person is an active member of."""
    return _get(
        CircleMember.objects.filter(circle__in=member_circles(user)).select_related("circle", "user", "organisation"),
        pk,
    )


def open_invitation_for(user, circle_pk) -> CircleMember:
    """The invitation this person holds for a circle (they are not a member yet)."""
    try:
        return CircleMember.objects.select_related("circle").get(
            user=user, circle_id=int(circle_pk), state=CircleMember.State.INVITED
        )
    except (CircleMember.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def own_place(user, circle: Circle) -> CircleMember | None:
    return CircleMember.objects.filter(user=user, circle=circle).first()


def my_circles(user) -> QuerySet[Circle]:
    """My circles with what the list shows, in a fixed number of queries."""
    now = timezone.now()
    return (
        member_circles(user)
        .annotate(
            member_count=Count("members", filter=Q(members__state=CircleMember.State.ACTIVE), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(starts_at__gte=now).order_by("starts_at"),
                to_attr="upcoming",
            )
        )
        .order_by("name", "id")
    )


def my_invitations(user) -> QuerySet[CircleMember]:
    if not getattr(user, "is_authenticated", False):
        return CircleMember.objects.none()
    return CircleMember.objects.filter(user=user, state=CircleMember.State.INVITED).select_related("circle")


def my_requests(user) -> QuerySet[CircleMember]:
    if not getattr(user, "is_authenticated", False):
        return CircleMember.objects.none()
    return CircleMember.objects.filter(user=user, state=CircleMember.State.REQUESTED).select_related("circle")


def discoverable_circles(user) -> QuerySet[Circle]:
    """Circles open for requests that this person has no place in yet: name and description only."""
    qs = Circle.objects.filter(discoverable=True)
    if getattr(user, "is_authenticated", False):
        qs = qs.exclude(members__user=user)
    return qs.order_by("name", "id")


def active_members(circle: Circle) -> QuerySet[CircleMember]:
    return (
        CircleMember.objects.filter(circle=circle, state=CircleMember.State.ACTIVE)
        .select_related("user", "organisation")
        .order_by("user__full_name", "id")
    )


def pending(circle: Circle) -> QuerySet[CircleMember]:
    return (
        CircleMember.objects.filter(circle=circle, state__in=[CircleMember.State.INVITED, CircleMember.State.REQUESTED])
        .select_related("user", "organisation")
        .order_by("state", "created_at")
    )


def upcoming_meetings(circle: Circle) -> QuerySet[Meeting]:
    return circle.meetings.filter(ends_at__gte=timezone.now()).order_by("starts_at")


def past_meetings(circle: Circle) -> QuerySet[Meeting]:
    return circle.meetings.filter(ends_at__lt=timezone.now()).order_by("-starts_at")


def threads(circle: Circle) -> QuerySet[Thread]:
    return circle.threads.order_by("-last_post_at", "-id")


def posts(thread: Thread) -> QuerySet[Post]:
    return thread.posts.order_by("created_at", "id")


def documents(circle: Circle) -> QuerySet[Document]:
    return circle.documents.order_by("-updated_at", "-id")


def versions(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.defer("content").order_by("-number")

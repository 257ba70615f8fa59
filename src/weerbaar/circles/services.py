"""Every write in a learning circle: validated, in one transaction, with its audit entry.

Circle models are not municipal data, so the automatic audit trail of municipal models does not
see them; each service records its change with ``audit.record_event`` (entries without a
municipality). Callers (views, API) have already found the circle through the membership
selector; the services check the role inside the circle (facilitator, author).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation

from .files import CheckedFile
from .models import (
    Attendance,
    Circle,
    CircleMember,
    Document,
    DocumentVersion,
    Meeting,
    Post,
    Thread,
    person_name,
)


def _stale(current) -> ValidationError:
    error = ValidationError(
        _("Iemand anders heeft dit intussen gewijzigd. Bekijk de nieuwe versie en voer uw wijziging opnieuw in."),
        code="stale",
    )
    error.current = current
    return error


def _require_facilitator(user, circle: Circle) -> None:
    permissions.require(user, "circles.facilitate", circle)


def _require_member(user, circle: Circle) -> CircleMember:
    place = CircleMember.objects.filter(circle=circle, user=user, state=CircleMember.State.ACTIVE).first()
    if place is None:
        raise PermissionDenied
    return place


def _clean(instance) -> None:
    instance.full_clean(exclude=[f.name for f in instance._meta.fields if not f.editable])


def home_organisation(user, preferred: Organisation | None = None) -> Organisation | None:
    """The municipality a person takes part for: the one they act in now, else their first."""
    with scopes_disabled():
        orgs = list(
            Organisation.objects.filter(pk__in=Membership.objects.filter(user=user).values("organisation_id")).order_by(
                "name"
            )
        )
    if preferred is not None and any(o.pk == preferred.pk for o in orgs):
        return preferred
    return orgs[0] if orgs else None


# --- circles -----------------------------------------------------------------------------------


@transaction.atomic
def circle_create(
    *,
    user,
    name: str,
    kind: str = Circle.Kind.REGION,
    description: str = "",
    discoverable: bool = False,
    organisation: Organisation | None = None,
) -> Circle:
    permissions.require(user, "circles.create")
    circle = Circle(
        name=(name or "").strip(),
        kind=kind,
        description=(description or "").strip(),
        discoverable=discoverable,
        created_by=user,
    )
    _clean(circle)
    circle.save()
    CircleMember.objects.create(
        circle=circle,
        user=user,
        organisation=home_organisation(user, organisation),
        role=CircleMember.Role.FACILITATOR,
        state=CircleMember.State.ACTIVE,
        joined_at=timezone.now(),
    )
    audit.record_event(instance=circle, event="circle.created", data={"name": circle.name, "kind": circle.kind})
    return circle


@transaction.atomic
def circle_update(
    *,
    user,
    circle: Circle,
    name: str,
    kind: str,
    description: str = "",
    discoverable: bool = False,
    expected_revision: int | None = None,
) -> Circle:
    _require_facilitator(user, circle)
    current = Circle.objects.select_for_update().get(pk=circle.pk)
    if expected_revision is not None and expected_revision != current.revision:
        raise _stale(current)
    before = {"name": current.name, "kind": current.kind, "discoverable": current.discoverable}
    current.name, current.kind = (name or "").strip(), kind
    current.description, current.discoverable = (description or "").strip(), discoverable
    _clean(current)
    current.revision += 1
    current.save()
    audit.record_event(
        instance=current,
        event="circle.changed",
        data={"before": before, "after": {"name": current.name, "kind": current.kind, "discoverable": discoverable}},
    )
    return current


# --- membership ----------------------------------------------------------------------------------


@transaction.atomic
def member_invite(*, user, circle: Circle, email: str, message: str = "") -> CircleMember:
    """Invite an existing user of Weerbaar by e-mail; they accept or decline on their circle page."""
    _require_facilitator(user, circle)
    email = (email or "").strip()
    invitee = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if invitee is None:
        raise ValidationError(
            {
                "email": _(
                    "Er is geen gebruiker van Weerbaar met dit e-mailadres. Nodig alleen mensen uit die al een "
                    "account hebben via hun gemeente."
                )
            }
        )
    place = CircleMember.objects.select_for_update().filter(circle=circle, user=invitee).first()
    if place is not None and place.state in (CircleMember.State.ACTIVE, CircleMember.State.INVITED):
        raise ValidationError({"email": _("Deze persoon is al deelnemer of al uitgenodigd.")})
    if place is not None and place.state == CircleMember.State.REQUESTED:
        return member_approve(user=user, place=place)
    place = place or CircleMember(circle=circle, user=invitee)
    place.state = CircleMember.State.INVITED
    place.role = CircleMember.Role.MEMBER
    place.organisation = home_organisation(invitee)
    place.invited_by = user
    place.message = (message or "").strip()
    place.left_at = None
    place.save()
    audit.record_event(instance=place, event="circle.invited", data={"circle": circle.pk, "user": invitee.pk})
    return place


@transaction.atomic
def invitation_answer(*, user, place: CircleMember, accept: bool) -> CircleMember:
    if place.user_id != user.pk or place.state != CircleMember.State.INVITED:
        raise PermissionDenied
    place.state = CircleMember.State.ACTIVE if accept else CircleMember.State.DECLINED
    place.joined_at = timezone.now() if accept else None
    place.save()
    audit.record_event(
        instance=place,
        event="circle.joined" if accept else "circle.invitation_declined",
        data={"circle": place.circle_id},
    )
    return place


@transaction.atomic
def join_request(*, user, circle: Circle, message: str = "", organisation: Organisation | None = None) -> CircleMember:
    """Ask to join a circle that is open for requests; a facilitator approves."""
    if not circle.discoverable:
        raise ValidationError({"circle": _("Voor deze leerkring kunt u zich niet aanmelden.")})
    place = CircleMember.objects.select_for_update().filter(circle=circle, user=user).first()
    if place is not None and place.state in (CircleMember.State.ACTIVE, CircleMember.State.REQUESTED):
        raise ValidationError({"circle": _("U bent al deelnemer of heeft zich al aangemeld.")})
    if place is not None and place.state == CircleMember.State.INVITED:
        return invitation_answer(user=user, place=place, accept=True)
    place = place or CircleMember(circle=circle, user=user)
    place.state = CircleMember.State.REQUESTED
    place.role = CircleMember.Role.MEMBER
    place.organisation = home_organisation(user, organisation)
    place.message = (message or "").strip()[:2000]
    place.save()
    audit.record_event(instance=place, event="circle.join_requested", data={"circle": circle.pk})
    return place


@transaction.atomic
def member_approve(*, user, place: CircleMember) -> CircleMember:
    _require_facilitator(user, place.circle)
    if place.state != CircleMember.State.REQUESTED:
        raise ValidationError(_("Deze aanmelding is al behandeld."))
    place.state = CircleMember.State.ACTIVE
    place.joined_at = timezone.now()
    place.save()
    audit.record_event(instance=place, event="circle.joined", data={"circle": place.circle_id, "approved_by": user.pk})
    return place


@transaction.atomic
def member_remove(*, user, place: CircleMember) -> CircleMember:
    """A facilitator declines a request, withdraws an invitation or ends someone's place."""
    _require_facilitator(user, place.circle)
    if place.user_id == user.pk:
        raise ValidationError(_("Gebruik 'Leerkring verlaten' om zelf te vertrekken."))
    if place.state == CircleMember.State.ACTIVE:
        _keep_a_facilitator(place)
        place.state, place.left_at = CircleMember.State.LEFT, timezone.now()
        event = "circle.removed"
    elif place.state in (CircleMember.State.REQUESTED, CircleMember.State.INVITED):
        requested = place.state == CircleMember.State.REQUESTED
        event = "circle.request_declined" if requested else "circle.invitation_withdrawn"
        place.state = CircleMember.State.DECLINED
    else:
        raise ValidationError(_("Deze persoon is geen deelnemer meer."))
    place.save()
    audit.record_event(instance=place, event=event, data={"circle": place.circle_id, "by": user.pk})
    return place


def _keep_a_facilitator(place: CircleMember) -> None:
    if place.role != CircleMember.Role.FACILITATOR:
        return
    others = CircleMember.objects.filter(
        circle_id=place.circle_id, state=CircleMember.State.ACTIVE, role=CircleMember.Role.FACILITATOR
    ).exclude(pk=place.pk)
    if not others.exists():
        raise ValidationError(
            _("U bent de enige begeleider. Maak eerst een andere deelnemer begeleider, dan kunt u vertrekken.")
        )


@transaction.atomic
def member_leave(*, user, circle: Circle) -> CircleMember:
    """Leave a circle. One's posts stay, under one's name: the discussion stays readable."""
    place = _require_member(user, circle)
    _keep_a_facilitator(place)
    place.state, place.left_at = CircleMember.State.LEFT, timezone.now()
    place.save()
    audit.record_event(instance=place, event="circle.left", data={"circle": circle.pk})
    return place


@transaction.atomic
def member_set_role(*, user, place: CircleMember, role: str) -> CircleMember:
    _require_facilitator(user, place.circle)
    if place.state != CircleMember.State.ACTIVE or role not in CircleMember.Role.values:
        raise ValidationError(_("Alleen een deelnemer kan begeleider worden."))
    if role == CircleMember.Role.MEMBER:
        _keep_a_facilitator(place)
    place.role = role
    place.save()
    audit.record_event(instance=place, event="circle.role_changed", data={"circle": place.circle_id, "role": role})
    return place


@transaction.atomic
def member_preferences(*, user, circle: Circle, digest: bool, mention_mail: bool) -> CircleMember:
    place = _require_member(user, circle)
    place.digest, place.mention_mail = digest, mention_mail
    place.save(update_fields=["digest", "mention_mail"])
    return place


# --- meetings --------------------------------------------------------------------------------------


def _meeting_fields(meeting: Meeting, **fields) -> None:
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    if meeting.starts_at and meeting.ends_at and meeting.ends_at < meeting.starts_at:
        raise ValidationError({"ends_at": _("Het einde ligt voor het begin. Controleer de tijden.")})


@transaction.atomic
def meeting_create(
    *,
    user,
    circle: Circle,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    online_url: str = "",
    agenda: str = "",
) -> Meeting:
    _require_facilitator(user, circle)
    meeting = Meeting(circle=circle, created_by=user)
    _meeting_fields(
        meeting,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        agenda=agenda,
    )
    _clean(meeting)
    meeting.save()
    audit.record_event(instance=meeting, event="circle.meeting_planned", data={"circle": circle.pk})
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, expected_revision: int | None = None, **fields) -> Meeting:
    _require_facilitator(user, meeting.circle)
    current = Meeting.objects.select_for_update().select_related("circle").get(pk=meeting.pk)
    if expected_revision is not None and expected_revision != current.revision:
        raise _stale(current)
    _meeting_fields(current, **fields)
    _clean(current)
    current.revision += 1
    current.save()
    audit.record_event(instance=current, event="circle.meeting_changed", data={"fields": sorted(fields)})
    return current


@transaction.atomic
def attendance_record(*, user, meeting: Meeting, statuses: dict[int, str]) -> int:
    """Record who was there: ``statuses`` maps a member place id to a status ('' clears it)."""
    _require_facilitator(user, meeting.circle)
    places = {
        p.pk: p
        for p in CircleMember.objects.filter(circle=meeting.circle, pk__in=list(statuses)).exclude(
            state__in=[CircleMember.State.INVITED, CircleMember.State.REQUESTED, CircleMember.State.DECLINED]
        )
    }
    changed = 0
    for place_id, status in statuses.items():
        if place_id not in places:
            continue
        if not status:
            changed += Attendance.objects.filter(meeting=meeting, member_id=place_id).delete()[0]
            continue
        if status not in Attendance.Status.values:
            raise ValidationError(_("Onbekende aanwezigheid."))
        Attendance.objects.update_or_create(meeting=meeting, member_id=place_id, defaults={"status": status})
        changed += 1
    audit.record_event(instance=meeting, event="circle.attendance", data={"changed": changed})
    return changed


# --- discussion ------------------------------------------------------------------------------------


def find_mentions(body: str, members: Iterable[CircleMember], *, author) -> list:
    """The members named with ``@Full Name`` in a post (longest names first; the author never)."""
    found = []
    text = body or ""
    for place in sorted(members, key=lambda p: -len(p.user.full_name or "")):
        name = (place.user.full_name or "").strip()
        if not name or place.user_id == getattr(author, "pk", None):
            continue
        if re.search(r"(?<![\w@])@" + re.escape(name) + r"(?!\w)", text, flags=re.IGNORECASE):
            found.append(place.user)
    return found


def _post_create(*, user, thread: Thread, body: str, place: CircleMember) -> Post:
    body = (body or "").strip()
    post = Post(
        thread=thread,
        circle_id=thread.circle_id,
        author=user,
        author_name=person_name(user)[:150],
        author_organisation=place.organisation.name if place.organisation_id else "",
        body=body,
    )
    _clean(post)
    post.save()
    mentioned = find_mentions(
        body,
        CircleMember.objects.filter(circle_id=thread.circle_id, state=CircleMember.State.ACTIVE).select_related("user"),
        author=user,
    )
    if mentioned:
        post.mentions.set(mentioned)
        from .tasks import send_mentions

        post_id = post.pk
        transaction.on_commit(lambda: send_mentions.enqueue(post_id=post_id))
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at, post_count=F("post_count") + 1)
    return post


@transaction.atomic
def thread_create(*, user, circle: Circle, title: str, body: str) -> Thread:
    place = _require_member(user, circle)
    thread = Thread(circle=circle, title=(title or "").strip(), created_by=user)
    _clean(thread)
    if not (body or "").strip():
        raise ValidationError({"body": _("Schrijf een eerste bericht bij het onderwerp.")})
    thread.save()
    _post_create(user=user, thread=thread, body=body, place=place)
    thread.refresh_from_db()
    audit.record_event(instance=thread, event="circle.thread_started", data={"circle": circle.pk})
    return thread


@transaction.atomic
def post_create(*, user, thread: Thread, body: str) -> Post:
    place = _require_member(user, thread.circle)
    post = _post_create(user=user, thread=thread, body=body, place=place)
    audit.record_event(instance=post, event="circle.posted", data={"thread": thread.pk})
    return post


def share_to_knowledge_base(*, user, post: Post, membership: Membership, theme, kind: str, title: str, anonymous: bool):
    """Offer one's own post as an example to the national knowledge base: the existing
    submission and review flow of the knowledge app (the editors decide)."""
    if post.author_id != user.pk:
        raise PermissionDenied
    if membership.user_id != user.pk:
        raise PermissionDenied
    from weerbaar.knowledge import services as knowledge_services

    with scope(organisation=membership.organisation_id):
        submission = knowledge_services.submission_create(
            organisation=membership.organisation,
            membership=membership,
            theme=theme,
            kind=kind,
            title=title,
            body=post.body,
            anonymous=anonymous,
        )
    audit.record_event(instance=post, event="circle.shared_to_knowledge_base", data={"submission": submission.pk})
    return submission


# --- documents -------------------------------------------------------------------------------------


def _add_version(*, user, document: Document, checked: CheckedFile, note: str) -> DocumentVersion:
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        content=checked.content,
        note=(note or "").strip(),
        uploaded_by=user,
        uploaded_by_name=person_name(user)[:150],
    )
    _clean(version)
    version.save()
    Document.objects.filter(pk=document.pk).update(updated_at=version.uploaded_at, version_count=number)
    return version


@transaction.atomic
def document_create(*, user, circle: Circle, title: str, description: str = "", file: CheckedFile) -> Document:
    """Share a copy of a file in the circle. It is a copy: nothing in the municipality's own
    workspace is linked or changed."""
    _require_member(user, circle)
    document = Document(
        circle=circle, title=(title or "").strip(), description=(description or "").strip(), created_by=user
    )
    _clean(document)
    document.save()
    _add_version(user=user, document=document, checked=file, note="")
    document.refresh_from_db()
    audit.record_event(instance=document, event="circle.document_shared", data={"circle": circle.pk})
    return document


@transaction.atomic
def document_add_version(*, user, document: Document, file: CheckedFile, note: str = "") -> DocumentVersion:
    _require_member(user, document.circle)
    Document.objects.select_for_update().filter(pk=document.pk).first()
    version = _add_version(user=user, document=document, checked=file, note=note)
    audit.record_event(instance=document, event="circle.document_version", data={"version": version.number})
    return version

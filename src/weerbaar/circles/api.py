"""API of learning circles: circles, members, meetings, threads, posts and documents.

Members only: every operation finds its circle (or meeting, thread, document) through the same
membership selector as the pages, so a non-member gets 404 for every id. People appear by name
and municipality, never by e-mail address. Writes go through the same services as the pages.
"""

import datetime
import re
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import BeforeValidator, Field, WithJsonSchema

from weerbaar.api.schemas import InputSchema

from . import files, selectors, services
from .models import Circle, Document, DocumentVersion, Meeting, Thread

router = Router(tags=["leerkringen"])

PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
# At least one visible character: text that is only spaces or control characters is refused by
# the schema itself, so the schema states every limit the services hold.
VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f\ufffe\uffff]"
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=VISIBLE)]
Body = Annotated[str, Field(min_length=1, max_length=20000, pattern=VISIBLE)]
Text = Annotated[str, Field(max_length=20000)]


class CirclePage(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


def _slice(qs, page: CirclePage):
    return qs.count(), list(qs[page.offset : page.offset + page.limit])


# --- circles --------------------------------------------------------------------------------------


class CircleIn(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=150, pattern=VISIBLE)]
    kind: Literal[tuple(Circle.Kind.values)] = Circle.Kind.REGION.value
    description: Text = ""
    discoverable: bool = False


class CircleOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    discoverable: bool
    revision: int


class CircleList(Schema):
    count: int
    items: list[CircleOut]


@router.get("/circles", response=CircleList, summary="Mijn leerkringen")
def circle_list(request, page: Query[CirclePage]):
    count, items = _slice(selectors.member_circles(request.user).order_by("name", "id"), page)
    return {"count": count, "items": items}


@router.post("/circles", response={201: CircleOut}, summary="Leerkring aanmaken (u wordt begeleider)")
def circle_create(request, payload: CircleIn):
    return Status(201, services.circle_create(user=request.user, organisation=request.organisation, **payload.dict()))


@router.get("/circles/{circle_id}", response=CircleOut, summary="Eén leerkring")
def circle_detail(request, circle_id: PathId):
    return selectors.circle_for(request.user, circle_id)


class CircleMemberOut(Schema):
    id: int
    name: str
    municipality: str | None
    role: str


@router.get("/circles/{circle_id}/members", response=list[CircleMemberOut], summary="Deelnemers van een leerkring")
def circle_members(request, circle_id: PathId):
    circle = selectors.circle_for(request.user, circle_id)
    return [
        {
            "id": m.pk,
            "name": m.name,
            "municipality": m.organisation.name if m.organisation_id else None,
            "role": m.role,
        }
        for m in selectors.active_members(circle)
    ]


# --- meetings -------------------------------------------------------------------------------------


DATETIME_PATTERN = r"^(19|20|21)\d\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?$"


def _moment(value):
    """An ISO 8601 date and time between 1900 and 2199; without an offset it is Dutch time."""
    if not isinstance(value, str) or not re.match(DATETIME_PATTERN, value):
        raise ValueError(_("Geef datum en tijd op als 2026-03-12T14:00 (eventueel met tijdzone)."))
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


Moment = Annotated[
    datetime.datetime,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
# A https address that Django's URL check accepts: letters, digits and hyphens per label, a
# top-level domain of letters; at most 250 characters, so the host name stays within 253.
HTTPS_URL = r"^https://([a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\.){1,5}[a-z]{2,20}(/[A-Za-z0-9._~%/-]{0,150})?$"


class CircleMeetingIn(InputSchema):
    title: Title
    starts_at: Moment
    duration_minutes: int = Field(120, ge=5, le=24 * 60, description="Duur in minuten.")
    location: Annotated[str, Field(max_length=200)] = ""
    online_url: Annotated[str, Field(max_length=250, pattern=HTTPS_URL)] | None = None
    agenda: Text = ""


class CircleMeetingOut(Schema):
    id: int
    circle_id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    online_url: str
    agenda: str
    minutes: str
    revision: int


@router.get("/circles/{circle_id}/meetings", response=list[CircleMeetingOut], summary="Bijeenkomsten van een leerkring")
def meeting_list(request, circle_id: PathId):
    circle = selectors.circle_for(request.user, circle_id)
    return list(circle.meetings.order_by("starts_at", "id")[:500])


@router.post(
    "/circles/{circle_id}/meetings", response={201: CircleMeetingOut}, summary="Bijeenkomst plannen (begeleiders)"
)
def meeting_create(request, circle_id: PathId, payload: CircleMeetingIn):
    circle = selectors.circle_for(request.user, circle_id)
    data = payload.dict()
    data["online_url"] = data["online_url"] or ""
    data["ends_at"] = data["starts_at"] + datetime.timedelta(minutes=data.pop("duration_minutes"))
    return Status(201, services.meeting_create(user=request.user, circle=circle, **data))


@router.get("/meetings/{meeting_id}", response=CircleMeetingOut, summary="Eén bijeenkomst")
def meeting_detail(request, meeting_id: PathId):
    meeting: Meeting = selectors.meeting_for(request.user, meeting_id)
    return meeting


# --- discussion -------------------------------------------------------------------------------------


class CircleThreadIn(InputSchema):
    title: Title
    body: Body


class CircleThreadOut(Schema):
    id: int
    circle_id: int
    title: str
    post_count: int
    last_post_at: datetime.datetime


class CircleThreadList(Schema):
    count: int
    items: list[CircleThreadOut]


@router.get("/circles/{circle_id}/threads", response=CircleThreadList, summary="Onderwerpen van een leerkring")
def thread_list(request, circle_id: PathId, page: Query[CirclePage]):
    circle = selectors.circle_for(request.user, circle_id)
    count, items = _slice(selectors.threads(circle), page)
    return {"count": count, "items": items}


@router.post("/circles/{circle_id}/threads", response={201: CircleThreadOut}, summary="Onderwerp beginnen")
def thread_create(request, circle_id: PathId, payload: CircleThreadIn):
    circle = selectors.circle_for(request.user, circle_id)
    thread: Thread = services.thread_create(user=request.user, circle=circle, **payload.dict())
    return Status(201, thread)


class CirclePostIn(InputSchema):
    body: Body


class CirclePostOut(Schema):
    id: int
    thread_id: int
    author: str
    municipality: str
    body: str
    created_at: datetime.datetime


class CirclePostList(Schema):
    count: int
    items: list[CirclePostOut]


def _post_out(post) -> dict:
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "author": post.author_name,
        "municipality": post.author_organisation,
        "body": post.body,
        "created_at": post.created_at,
    }


@router.get("/threads/{thread_id}/posts", response=CirclePostList, summary="Berichten in een onderwerp")
def post_list(request, thread_id: PathId, page: Query[CirclePage]):
    thread = selectors.thread_for(request.user, thread_id)
    count, items = _slice(selectors.posts(thread), page)
    return {"count": count, "items": [_post_out(p) for p in items]}


@router.post("/threads/{thread_id}/posts", response={201: CirclePostOut}, summary="Reageren")
def post_create(request, thread_id: PathId, payload: CirclePostIn):
    thread = selectors.thread_for(request.user, thread_id)
    return Status(201, _post_out(services.post_create(user=request.user, thread=thread, body=payload.body)))


# --- documents ------------------------------------------------------------------------------------
#
# Files go up as multipart/form-data and through the same check as the page's form
# (``files.check_upload``: type by content, size, zip archives); a refused file is a 422 naming
# ``file.file`` (as ninja names a missing one), with a code that starts with ``file_``.


class CircleDocumentVersionOut(Schema):
    id: int
    number: int
    filename: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: str
    uploaded_at: datetime.datetime


class CircleDocumentOut(Schema):
    id: int
    circle_id: int
    title: str
    description: str
    updated_at: datetime.datetime
    versions: list[CircleDocumentVersionOut]


def _version_out(v: DocumentVersion) -> dict:
    return {
        "id": v.pk,
        "number": v.number,
        "filename": v.filename,
        "content_type": v.content_type,
        "size": v.size,
        "sha256": v.sha256,
        "note": v.note,
        "uploaded_by": v.uploaded_by_name,
        "uploaded_at": v.uploaded_at,
    }


def _documents_out(documents: list[Document]) -> list[dict]:
    by_document: dict[int, list] = {d.pk: [] for d in documents}
    for v in DocumentVersion.objects.filter(document__in=documents).defer("content").order_by("-number"):
        by_document[v.document_id].append(_version_out(v))
    return [
        {
            "id": d.pk,
            "circle_id": d.circle_id,
            "title": d.title,
            "description": d.description,
            "updated_at": d.updated_at,
            "versions": by_document[d.pk],
        }
        for d in documents
    ]


# The same rule as ``Title``, anchored so it reads alike as a search and as a full match (a form
# field's pattern is checked either way by clients).
FormTitle = Annotated[str, Field(min_length=1, max_length=200, pattern=rf"^[\s\S]*{VISIBLE}[\s\S]*$")]

# Django drops an empty file part (the answer is then "missing"), so the document says a file
# has at least one byte.
NON_EMPTY_FILE = {
    "requestBody": {"content": {"multipart/form-data": {"schema": {"properties": {"file": {"minLength": 1}}}}}}
}


def _checked(upload):
    try:
        return files.check_upload(upload)
    except ValidationError as e:
        raise ValidationError({"file.file": e.error_list}) from None


@router.get("/circles/{circle_id}/documents", response=list[CircleDocumentOut], summary="Gedeelde documenten")
def document_list(request, circle_id: PathId):
    circle = selectors.circle_for(request.user, circle_id)
    return _documents_out(list(selectors.documents(circle)[:500]))


@router.post(
    "/circles/{circle_id}/documents",
    response={201: CircleDocumentOut},
    summary="Document delen (multipart/form-data: title, description, file)",
    openapi_extra=NON_EMPTY_FILE,
)
def document_create(
    request,
    circle_id: PathId,
    title: Form[FormTitle],
    file: File[UploadedFile],
    description: str = Form("", max_length=20000),
):
    circle = selectors.circle_for(request.user, circle_id)
    checked = _checked(file)
    document = services.document_create(
        user=request.user, circle=circle, title=title, description=description, file=checked
    )
    return Status(201, _documents_out([document])[0])


@router.get("/circle-documents/{document_id}", response=CircleDocumentOut, summary="Eén gedeeld document")
def document_detail(request, document_id: PathId):
    return _documents_out([selectors.document_for(request.user, document_id)])[0]


@router.post(
    "/circle-documents/{document_id}/versions",
    response={201: CircleDocumentVersionOut},
    summary="Nieuwe versie delen (multipart/form-data: file, note)",
    openapi_extra=NON_EMPTY_FILE,
)
def document_add_version(
    request,
    document_id: PathId,
    file: File[UploadedFile],
    note: str = Form("", max_length=300),
):
    document = selectors.document_for(request.user, document_id)
    checked = _checked(file)
    version = services.document_add_version(user=request.user, document=document, file=checked, note=note)
    return Status(201, _version_out(version))


DOWNLOAD_TYPES = sorted(
    {
        *(t for t, _folder in files.OOXML.values()),
        *files.ODF.values(),
        *(t for t, _signatures in files.SIMPLE.values()),
        *files.TEXT.values(),
    }
)


@router.get(
    "/circle-document-versions/{version_id}/file",
    summary="Een versie downloaden",
    openapi_extra={
        "responses": {
            200: {
                "description": "Het bestand, zoals het is gedeeld.",
                "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in DOWNLOAD_TYPES},
            }
        }
    },
)
def document_download(request, version_id: PathId):
    return files.download_response(selectors.version_for(request.user, version_id))

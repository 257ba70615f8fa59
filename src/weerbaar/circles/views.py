"""Pages of learning circles: thin, every object found through ``selectors`` (members only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from weerbaar.core import permissions
from weerbaar.core.decorators import apply_validation_error
from weerbaar.core.models import Membership

from . import files, ics, selectors, services
from .forms import (
    AttendanceForm,
    CircleForm,
    DocumentForm,
    InviteForm,
    JoinRequestForm,
    MeetingForm,
    PostForm,
    PreferencesForm,
    ShareForm,
    ThreadForm,
    VersionForm,
)
from .models import Attendance, CircleMember


def _page(request, queryset):
    return Paginator(queryset, getattr(settings, "PAGE_SIZE", 25)).get_page(request.GET.get("pagina"))


_apply = apply_validation_error


def _status(*forms) -> int:
    for form in forms:
        if form is not None and form.is_bound and form.errors:
            return 400
    return 200


def _context(request, circle, **extra) -> dict:
    place = selectors.own_place(request.user, circle)
    return {
        "circle": circle,
        "place": place,
        "is_facilitator": permissions.allowed(request.user, "circles.facilitate", circle),
        **extra,
    }


def _facilitated(request, circle):
    """The circle, when this member facilitates it (else 403); found through a member-only selector."""
    permissions.require(request.user, "circles.facilitate", circle)
    return circle


def _facilitator_posts(request, circle) -> bool:
    """Whether this member facilitates the circle; a POST by anyone else is refused (403)."""
    is_facilitator = permissions.allowed(request.user, "circles.facilitate", circle)
    if request.method == "POST" and not is_facilitator:
        raise PermissionDenied
    return is_facilitator


def _form_page(request, circle, form, *, title: str, cancel_url: str, save, success: str):
    """One form on ``circles/form.html``.

    ``save(data)`` calls the service with the cleaned data and returns the redirect to follow;
    a service's ValidationError is shown at its field (409 when someone else saved in between).
    """
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            response = save(dict(form.cleaned_data))
        except ValidationError as e:
            _apply(form, e)
            if getattr(e, "code", "") == "stale":
                status = 409
        else:
            messages.success(request, success)
            return response
    extra = {"form": form, "title": title, "cancel_url": cancel_url}
    context = _context(request, circle, **extra) if circle is not None else extra
    return TemplateResponse(request, "circles/form.html", context, status=status or _status(form))


# --- my circles ---------------------------------------------------------------------------------


def mine(request, org=None):
    """My circles, my invitations and requests, and circles open for requests."""
    circles = selectors.my_circles(request.user)
    open_circles = selectors.discoverable_circles(request.user)
    form = JoinRequestForm(circles=open_circles)
    return TemplateResponse(
        request,
        "circles/mine.html",
        {
            "circles": circles,
            "invitations": selectors.my_invitations(request.user),
            "requests": selectors.my_requests(request.user),
            "open_circles": open_circles,
            "join_form": form if open_circles.exists() else None,
            "can_create": permissions.allowed(request.user, "circles.create"),
        },
    )


def create(request):
    permissions.require(request.user, "circles.create")

    def save(data):
        data.pop("revision", None)
        circle = services.circle_create(user=request.user, organisation=_active_organisation(request), **data)
        return redirect("circles:members", pk=circle.pk)

    return _form_page(
        request,
        None,
        CircleForm(request.POST or None),
        title=_("Nieuwe leerkring"),
        cancel_url=reverse("circles:mine"),
        save=save,
        success=_("De leerkring is aangemaakt. Nodig nu deelnemers uit."),
    )


def _active_organisation(request):
    slug = request.session.get("last_organisation")
    if not slug:
        return None
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("organisation").filter(user=request.user, organisation__slug=slug).first()
        )
    return membership.organisation if membership else None


@require_POST
def join(request):
    form = JoinRequestForm(request.POST, circles=selectors.discoverable_circles(request.user))
    if form.is_valid():
        try:
            services.join_request(
                user=request.user,
                circle=form.cleaned_data["circle"],
                message=form.cleaned_data["message"],
                organisation=_active_organisation(request),
            )
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("Uw aanmelding is verstuurd. Een begeleider van de leerkring beoordeelt haar."))
            return redirect("circles:mine")
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("circles:mine")


@require_POST
def invitation(request, pk):
    place = selectors.open_invitation_for(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    services.invitation_answer(user=request.user, place=place, accept=accept)
    if accept:
        messages.success(request, _("Welkom in de leerkring."))
        return redirect("circles:detail", pk=place.circle_id)
    messages.info(request, _("U heeft de uitnodiging afgeslagen."))
    return redirect("circles:mine")


# --- one circle ------------------------------------------------------------------------------------


def detail(request, pk):
    circle = selectors.circle_for(request.user, pk)
    return TemplateResponse(
        request,
        "circles/detail.html",
        _context(
            request,
            circle,
            upcoming=selectors.upcoming_meetings(circle)[:3],
            threads=selectors.threads(circle)[:5],
            documents=selectors.documents(circle)[:5],
            member_count=selectors.active_members(circle).count(),
        ),
    )


def edit(request, pk):
    circle = _facilitated(request, selectors.circle_for(request.user, pk))

    def save(data):
        services.circle_update(user=request.user, circle=circle, expected_revision=data.pop("revision"), **data)
        return redirect("circles:detail", pk=circle.pk)

    return _form_page(
        request,
        circle,
        CircleForm(request.POST or None, instance=circle, initial={"revision": circle.revision}),
        title=_("Leerkring wijzigen"),
        cancel_url=reverse("circles:detail", kwargs={"pk": pk}),
        save=save,
        success=_("De leerkring is bijgewerkt."),
    )


def members(request, pk):
    circle = selectors.circle_for(request.user, pk)
    is_facilitator = _facilitator_posts(request, circle)
    form = None
    if is_facilitator:
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.member_invite(user=request.user, circle=circle, **form.cleaned_data)
            except ValidationError as e:
                _apply(form, e)
            else:
                messages.success(request, _("De uitnodiging staat klaar; de persoon ziet haar bij Leerkringen."))
                return redirect("circles:members", pk=pk)
    return TemplateResponse(
        request,
        "circles/members.html",
        _context(
            request,
            circle,
            members=selectors.active_members(circle),
            pending=selectors.pending(circle) if is_facilitator else [],
            form=form,
        ),
        status=_status(form),
    )


@require_POST
def place_action(request, pk, action):
    place = selectors.place_for(request.user, pk)
    try:
        if action == "approve":
            services.member_approve(user=request.user, place=place)
            messages.success(request, _("%(name)s is nu deelnemer.") % {"name": place.name})
        elif action == "remove":
            services.member_remove(user=request.user, place=place)
            messages.success(request, _("Gedaan."))
        elif action == "facilitator":
            new_role = (
                CircleMember.Role.MEMBER
                if place.role == CircleMember.Role.FACILITATOR
                else CircleMember.Role.FACILITATOR
            )
            services.member_set_role(user=request.user, place=place, role=new_role)
            messages.success(request, _("De rol van %(name)s is aangepast.") % {"name": place.name})
        else:
            raise Http404
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("circles:members", pk=place.circle_id)


def leave(request, pk):
    circle = selectors.circle_for(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.member_leave(user=request.user, circle=circle)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("U heeft de leerkring verlaten. Uw berichten blijven staan onder uw naam."))
            return redirect("circles:mine")
    return TemplateResponse(
        request, "circles/leave.html", _context(request, circle, error=error), status=400 if error else 200
    )


def preferences(request, pk):
    circle = selectors.circle_for(request.user, pk)
    place = selectors.own_place(request.user, circle)

    def save(data):
        services.member_preferences(user=request.user, circle=circle, **data)
        return redirect("circles:detail", pk=pk)

    return _form_page(
        request,
        circle,
        PreferencesForm(request.POST or None, initial={"digest": place.digest, "mention_mail": place.mention_mail}),
        title=_("E-mail over deze leerkring"),
        cancel_url=reverse("circles:detail", kwargs={"pk": pk}),
        save=save,
        success=_("Uw e-mailinstellingen zijn opgeslagen."),
    )


# --- meetings --------------------------------------------------------------------------------------


def meetings(request, pk):
    circle = selectors.circle_for(request.user, pk)
    return TemplateResponse(
        request,
        "circles/meetings.html",
        _context(
            request,
            circle,
            upcoming=selectors.upcoming_meetings(circle),
            past=_page(request, selectors.past_meetings(circle)),
        ),
    )


def meeting_create(request, pk):
    circle = _facilitated(request, selectors.circle_for(request.user, pk))

    def save(data):
        data.pop("revision", None)
        meeting = services.meeting_create(user=request.user, circle=circle, **data)
        return redirect("circles:meeting", pk=meeting.pk)

    return _form_page(
        request,
        circle,
        MeetingForm(request.POST or None, with_minutes=False),
        title=_("Bijeenkomst plannen"),
        cancel_url=reverse("circles:meetings", kwargs={"pk": pk}),
        save=save,
        success=_("De bijeenkomst is gepland."),
    )


def meeting_detail(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    circle = meeting.circle
    is_facilitator = _facilitator_posts(request, circle)
    attendance = {a.member_id: a for a in meeting.attendance.select_related("member__user", "member__organisation")}
    form = None
    if is_facilitator:
        current = {member_id: a.status for member_id, a in attendance.items()}
        form = AttendanceForm(request.POST or None, members=selectors.active_members(circle), current=current)
        if request.method == "POST" and form.is_valid():
            services.attendance_record(user=request.user, meeting=meeting, statuses=form.statuses())
            messages.success(request, _("De aanwezigheid is opgeslagen."))
            return redirect("circles:meeting", pk=pk)
    return TemplateResponse(
        request,
        "circles/meeting.html",
        _context(
            request,
            circle,
            meeting=meeting,
            attendance=list(attendance.values()),
            form=form,
            statuses=Attendance.Status,
        ),
        status=_status(form),
    )


def meeting_edit(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    circle = _facilitated(request, meeting.circle)

    def save(data):
        services.meeting_update(user=request.user, meeting=meeting, expected_revision=data.pop("revision"), **data)
        return redirect("circles:meeting", pk=pk)

    return _form_page(
        request,
        circle,
        MeetingForm(request.POST or None, instance=meeting, initial={"revision": meeting.revision}),
        title=_("Bijeenkomst wijzigen"),
        cancel_url=reverse("circles:meeting", kwargs={"pk": pk}),
        save=save,
        success=_("De bijeenkomst is bijgewerkt."),
    )


def meeting_ics(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    url = request.build_absolute_uri(reverse("circles:meeting", kwargs={"pk": pk}))
    response = HttpResponse(
        ics.meeting_ics(meeting, url=url, host=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{meeting.pk}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- discussion ------------------------------------------------------------------------------------


def threads(request, pk):
    circle = selectors.circle_for(request.user, pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(user=request.user, circle=circle, **form.cleaned_data)
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("Uw onderwerp is geplaatst."))
            return redirect("circles:thread", pk=thread.pk)
    return TemplateResponse(
        request,
        "circles/threads.html",
        _context(request, circle, page=_page(request, selectors.threads(circle)), form=form),
        status=_status(form),
    )


def thread_detail(request, pk):
    thread = selectors.thread_for(request.user, pk)
    circle = thread.circle
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(user=request.user, thread=thread, body=form.cleaned_data["body"])
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("Uw reactie is geplaatst."))
            page = Paginator(selectors.posts(thread), getattr(settings, "PAGE_SIZE", 25)).num_pages
            return redirect(reverse("circles:thread", kwargs={"pk": pk}) + f"?pagina={page}#bericht-{post.pk}")
    return TemplateResponse(
        request,
        "circles/thread.html",
        _context(
            request,
            circle,
            thread=thread,
            page=_page(request, selectors.posts(thread)),
            form=form,
            # Offer sharing to the knowledge base only to whom the knowledge app lets submit.
            can_share=bool(_submit_memberships(request.user)),
        ),
        status=_status(form),
    )


def _submit_memberships(user):
    with scopes_disabled():
        found = list(Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name"))
    return [m for m in found if permissions.allowed(m, "knowledge.submit")]


def share(request, pk):
    """Offer one's own post to the national knowledge base (the knowledge app's review flow)."""
    post = selectors.post_for(request.user, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    memberships = _submit_memberships(request.user)
    if not memberships:
        raise PermissionDenied
    form = ShareForm(request.POST or None, memberships=memberships, initial={"title": post.thread.title})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        membership = form.memberships[data.pop("membership")]
        try:
            services.share_to_knowledge_base(user=request.user, post=post, membership=membership, **data)
        except ValidationError as e:
            _apply(form, e)
        except PermissionDenied:
            form.add_error("theme", _("U kunt alleen bijdragen binnen uw eigen thema's."))
        else:
            messages.success(request, _("Dank u wel. De landelijke redactie beoordeelt uw bijdrage."))
            return redirect("circles:thread", pk=post.thread_id)
    return TemplateResponse(
        request,
        "circles/share.html",
        _context(request, post.circle, post=post, form=form),
        status=_status(form),
    )


# --- documents -------------------------------------------------------------------------------------


def _checked(form, field="file"):
    try:
        return files.check_upload(form.cleaned_data[field])
    except ValidationError as e:
        form.add_error(field, e)
        return None


def documents(request, pk):
    circle = selectors.circle_for(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = _checked(form)
        if checked is not None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            document = services.document_create(user=request.user, circle=circle, file=checked, **data)
            messages.success(request, _("Het document is gedeeld met de leerkring."))
            return redirect("circles:document", pk=document.pk)
    return TemplateResponse(
        request,
        "circles/documents.html",
        _context(request, circle, page=_page(request, selectors.documents(circle)), form=form),
        status=_status(form),
    )


def document_detail(request, pk):
    document = selectors.document_for(request.user, pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = _checked(form)
        if checked is not None:
            services.document_add_version(
                user=request.user, document=document, file=checked, note=form.cleaned_data["note"]
            )
            messages.success(request, _("De nieuwe versie is gedeeld."))
            return redirect("circles:document", pk=pk)
    return TemplateResponse(
        request,
        "circles/document.html",
        _context(request, document.circle, document=document, versions=selectors.versions(document), form=form),
        status=_status(form),
    )


def download(request, pk):
    version = selectors.version_for(request.user, pk)
    response = HttpResponse(bytes(version.content), content_type=version.content_type)
    name = files.safe_filename(version.filename)
    ascii_name = name.encode("ascii", "ignore").decode() or "document"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response

"""The calendar pages: the year view, the coordinator's planning moments, each member's feed and
reminder choice, and the public-by-token iCalendar feed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_scopes import scope

from weerbaar.core import generic, permissions
from weerbaar.core.decorators import org_permission

from . import feed, selectors, services
from .forms import CalendarFilterForm, PlanningMomentForm, RemindersForm
from .models import MemberAgenda, PlanningMoment


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar", today.year))
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


@org_permission("agenda.view")
def calendar(request, org):
    year = _year(request)
    today = timezone.localdate()
    items = selectors.entries(request.membership, datetime.date(year, 1, 1), datetime.date(year, 12, 31), today=today)
    kinds = sorted({i.entry.kind for i in items} | {"ensia", "verantwoording", "planning"}, key=selectors.kind_label)
    form = CalendarFilterForm(request.GET or None, kinds=[(k, selectors.kind_label(k)) for k in kinds])
    shown = items
    if form.is_valid():
        chosen = set(form.cleaned_data["soort"])
        if chosen:
            shown = [i for i in shown if i.entry.kind in chosen]
        if form.cleaned_data["mijn"]:
            shown = [i for i in shown if i.entry.owner_id == request.membership.pk]
        if form.cleaned_data["te_laat"]:
            shown = [i for i in shown if i.overdue]
    return TemplateResponse(
        request,
        "agenda/calendar.html",
        {
            "year": year,
            "form": form,
            "months": selectors.by_month(year, shown),
            "total": len(shown),
            "overdue": sum(1 for i in shown if i.overdue),
            "can_manage": permissions.allowed(request.membership, "agenda.manage"),
            "filtered": len(shown) != len(items),
        },
        status=400 if form.errors else 200,
    )


# --- Planning-and-control moments (the coordinator's setting) ------------------------------


class AgendaMixin:
    subnav_template = "agenda/_subnav.html"
    permission = "agenda.view"


class MomentList(AgendaMixin, generic.ObjectListView):
    permission = "agenda.manage"
    template_name = "agenda/settings.html"
    selector = "weerbaar.agenda.selectors.planning_moments"
    per_page = 50


class MomentEdit(AgendaMixin, generic.ObjectEditView):
    model = PlanningMoment
    form_class = PlanningMomentForm
    permission = "agenda.manage"
    create_rule = edit_rule = "agenda.manage"
    list_url_name = "agenda:settings"
    success_message = gettext_lazy("Moment %(name)s is opgeslagen.")
    related = ("owner__user",)

    def get_form_kwargs(self, obj):
        return {"instance": obj, "organisation": self.organisation}

    def get_return_url(self, obj):
        return self.url("agenda:settings")

    def get_title(self, obj):
        return (
            _("Moment %(name)s bewerken") % {"name": obj.title}
            if obj
            else _("Nieuw moment in de planning-en-controlcyclus")
        )

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.moment_save(
            organisation=self.organisation, membership=self.membership, moment=obj, expected_revision=expected, **data
        )


class MomentDelete(AgendaMixin, generic.ObjectDeleteView):
    model = PlanningMoment
    permission = "agenda.manage"
    delete_rule = "agenda.manage"
    list_url_name = "agenda:settings"
    success_message = gettext_lazy("Moment %(name)s is verwijderd.")

    def get_cancel_url(self, obj):
        return self.url("agenda:settings")

    def delete(self, obj):
        services.moment_delete(membership=self.membership, moment=obj)


# --- The member's own feed and reminders ---------------------------------------------------


@never_cache
@org_permission("agenda.view")
def feed_settings(request, org):
    membership = request.membership
    agenda = MemberAgenda.objects.filter(membership=membership).first()
    new_link = None
    form = RemindersForm(initial={"reminders": agenda.reminders if agenda else True})
    if request.method == "POST":
        action = request.POST.get("actie")
        if action == "vernieuwen":
            raw = services.feed_renew(membership=membership)
            new_link = request.build_absolute_uri(reverse("agenda:feed_ics", kwargs={"token": raw}))
            agenda = MemberAgenda.objects.get(membership=membership)
            messages.success(request, _("Uw nieuwe kalenderlink staat hieronder. Een eerdere link werkt niet meer."))
        elif action == "intrekken":
            services.feed_revoke(membership=membership)
            messages.success(request, _("Uw kalenderlink is ingetrokken; hij werkt niet meer."))
            return redirect("agenda:feed", org=org)
        elif action == "herinneringen":
            form = RemindersForm(request.POST)
            if form.is_valid():
                services.reminders_set(membership=membership, enabled=form.cleaned_data["reminders"])
                messages.success(
                    request,
                    _("U krijgt herinneringen per e-mail.")
                    if form.cleaned_data["reminders"]
                    else _("U krijgt geen herinneringen meer per e-mail."),
                )
                return redirect("agenda:feed", org=org)
        else:
            return redirect("agenda:feed", org=org)
    # No "Referrer-Policy: no-referrer" here: the browser would then send "Origin: null" with the
    # page's own forms, which the CSRF check refuses. The new link is text, never a link to follow.
    return TemplateResponse(
        request,
        "agenda/feed.html",
        {"agenda": agenda, "new_link": new_link, "form": form, "subnav_template": "agenda/_subnav.html"},
    )


@login_not_required
@never_cache
@require_GET
def feed_ics(request, token):
    """The private feed: the token names one member; it shows what that member may see, nothing else."""
    membership = services.feed_membership(token)
    if membership is None:
        raise Http404
    with scope(organisation=membership.organisation_id):
        if not permissions.allowed(membership, "agenda.view"):
            raise Http404
        content = feed.build(membership, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="weerbaar.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response

"""Pages of the training, exercise and test plan: declarations on ``core.generic`` plus the
year overview, coverage, participation and the Excel export."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from weerbaar.core import generic, permissions
from weerbaar.core.decorators import apply_validation_error, org_permission
from weerbaar.documents.excel import xlsx_response

from . import excel, selectors, services
from .forms import ActivityFilterForm, ActivityForm, GroupForm, ParticipationForm, SessionForm
from .models import Activity, Session, StaffGroup


def _year(request) -> int:
    today = datetime.date.today()
    try:
        year = int(request.GET.get("jaar", today.year))
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _flags(membership) -> dict:
    return {"can_manage": permissions.allowed(membership, "training.manage")}


class PlanMixin:
    subnav_template = "training/_subnav.html"
    permission = "training.view"

    def base_context(self) -> dict:
        return {**super().base_context(), **_flags(self.membership)}


# --- Overview and coverage -----------------------------------------------------------------


@org_permission("training.view")
def plan(request, org):
    organisation = request.organisation
    year = _year(request)
    sessions = list(selectors.year_sessions(organisation=organisation, year=year))
    return TemplateResponse(
        request,
        "training/plan.html",
        {
            **_flags(request.membership),
            "year": year,
            "years": selectors.years_with_data(organisation=organisation, around=year),
            "sessions": sessions,
            "done": sum(1 for s in sessions if s.status == Session.Status.DONE),
            "participants": sum(s.participant_total or 0 for s in sessions if s.status == Session.Status.DONE),
            "cyber": selectors.board_cyber_training(organisation=organisation, year=year),
            "has_groups": StaffGroup.objects.filter(organisation=organisation).exists(),
            "today": datetime.date.today(),
        },
    )


@org_permission("training.view")
def coverage(request, org):
    year = _year(request)
    years = [year - 2, year - 1, year]
    return TemplateResponse(
        request,
        "training/coverage.html",
        {"year": year, "years": years, "rows": selectors.coverage(organisation=request.organisation, years=years)},
    )


# --- Groups --------------------------------------------------------------------------------


class GroupList(PlanMixin, generic.ObjectListView):
    template_name = "training/groups.html"
    selector = "weerbaar.training.selectors.group_list"
    per_page = 50

    def get_extra_context(self, form, filters):
        kinds = set(StaffGroup.objects.filter(organisation=self.organisation).values_list("kind", flat=True))
        return {"missing_shipped": [k for k in StaffGroup.SHIPPED if k not in kinds]}


class GroupEdit(PlanMixin, generic.ObjectEditView):
    model = StaffGroup
    form_class = GroupForm
    create_rule = edit_rule = "training.manage"
    list_url_name = "training:groups"
    success_message = gettext_lazy("Doelgroep %(name)s is opgeslagen.")

    def get_return_url(self, obj):
        return self.url("training:groups")

    def get_title(self, obj):
        return _("Doelgroep %(name)s bewerken") % {"name": obj.name} if obj else _("Nieuwe doelgroep")

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.group_save(
            organisation=self.organisation, membership=self.membership, group=obj, expected_revision=expected, **data
        )


class GroupDelete(PlanMixin, generic.ObjectDeleteView):
    model = StaffGroup
    delete_rule = "training.manage"
    list_url_name = "training:groups"
    success_message = gettext_lazy("Doelgroep %(name)s is verwijderd.")

    def get_cancel_url(self, obj):
        return self.url("training:groups")

    def dependents(self, obj):
        sessions = list(Session.objects.filter(participations__group=obj).select_related("activity").distinct()[:50])
        return [
            generic.Dependents(
                _("Deelnames van deze doelgroep zijn geregistreerd bij deze uitvoeringen:"),
                sessions,
                empty=_("Er zijn geen deelnames van deze doelgroep geregistreerd."),
                blocks=True,
                link="training:session",
            ),
            generic.Dependents(
                _("Deze activiteiten richten zich (ook) op deze doelgroep; de koppeling verdwijnt:"),
                list(obj.activities.all()[:50]),
                empty=_("Geen activiteiten richten zich op deze doelgroep."),
            ),
        ]

    def delete(self, obj):
        services.group_delete(membership=self.membership, group=obj)


@require_POST
@org_permission("training.manage")
def groups_add_shipped(request, org):
    added = services.shipped_groups_add(organisation=request.organisation, membership=request.membership)
    messages.success(request, _("%(n)s standaardgroepen toegevoegd.") % {"n": len(added)})
    return redirect("training:groups", org=org)


# --- Activities ----------------------------------------------------------------------------


class ActivityList(PlanMixin, generic.ObjectListView):
    template_name = "training/activities.html"
    partial_template_name = "training/_activity_table.html"
    filter_form_class = ActivityFilterForm
    selector = "weerbaar.training.selectors.activity_list"

    def get(self, request, *args, **kwargs):
        self.filter_form_class = lambda data: ActivityFilterForm(data, organisation=self.organisation)
        return super().get(request, *args, **kwargs)

    def filters(self, d):
        return {"query": d["q"], "kind": d["soort"], "group": d["groep"]}


class ActivityDetail(PlanMixin, generic.ObjectDetailView):
    model = Activity
    template_name = "training/activity_detail.html"
    context_object_name = "activity"
    related = ("owner__user",)

    def get_extra_context(self, obj):
        return {"sessions": selectors.sessions_of(obj), "groups": obj.groups.order_by("order", "name")}


class ActivityEdit(PlanMixin, generic.ObjectEditView):
    model = Activity
    form_class = ActivityForm
    create_rule = edit_rule = "training.manage"
    detail_url_name = "training:activity"
    list_url_name = "training:activities"
    success_message = gettext_lazy("Activiteit %(name)s is opgeslagen.")

    def get_form_kwargs(self, obj):
        return {"instance": obj, "organisation": self.organisation}

    def get_title(self, obj):
        return _("Activiteit %(name)s bewerken") % {"name": obj.title} if obj else _("Nieuwe activiteit")

    def save(self, form, obj):
        data, expected = form.pop_revision()
        data["groups"] = list(data["groups"])
        return services.activity_save(
            organisation=self.organisation, membership=self.membership, activity=obj, expected_revision=expected, **data
        )


class ActivityDelete(PlanMixin, generic.ObjectDeleteView):
    model = Activity
    delete_rule = "training.manage"
    detail_url_name = "training:activity"
    list_url_name = "training:activities"
    success_message = gettext_lazy("Activiteit %(name)s is verwijderd.")

    def dependents(self, obj):
        with_people = list(obj.sessions.filter(participations__isnull=False).distinct())
        return [
            generic.Dependents(
                _("Bij deze uitvoeringen zijn deelnames geregistreerd; verwijder die eerst:"),
                with_people,
                empty=_("Er zijn geen deelnames geregistreerd."),
                blocks=True,
                link="training:session",
            ),
            generic.Dependents(
                _("Deze geplande data worden mee verwijderd:"),
                list(obj.sessions.filter(participations__isnull=True)),
                empty=_("Er zijn geen geplande data."),
            ),
        ]

    def delete(self, obj):
        services.activity_delete(membership=self.membership, activity=obj)


# --- Sessions ------------------------------------------------------------------------------


class SessionDetail(PlanMixin, generic.ObjectDetailView):
    model = Session
    template_name = "training/session_detail.html"
    context_object_name = "session"
    related = ("activity",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("participations__group")

    def get_extra_context(self, obj):
        form = ParticipationForm(session=obj) if self.allowed("training.manage") else None
        return {"participation_form": form, "participations": obj.participations.all()}

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        self.require("training.manage")
        form = ParticipationForm(request.POST, session=session)
        if form.is_valid():
            try:
                services.participation_set(membership=self.membership, session=session, counts=form.counts())
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("De deelname is opgeslagen."))
                return redirect("training:session", org=self.org, pk=session.pk)
        context = {
            **self.base_context(),
            "object": session,
            "session": session,
            "participation_form": form,
            "participations": session.participations.all(),
        }
        return TemplateResponse(request, self.template_name, context, status=400)


class SessionEdit(PlanMixin, generic.ObjectEditView):
    model = Session
    form_class = SessionForm
    edit_rule = create_rule = "training.manage"
    detail_url_name = "training:session"
    list_url_name = "training:plan"
    success_message = gettext_lazy("Uitvoering %(name)s is opgeslagen.")
    related = ("activity",)

    def get_title(self, obj):
        if obj is None:
            return _("Nieuwe datum voor %(name)s") % {"name": self.activity.title}
        return _("Uitvoering %(name)s bewerken") % {"name": obj}

    def get_object(self):
        obj = super().get_object()
        self.activity = obj.activity
        return obj

    def save(self, form, obj):
        data, expected = form.pop_revision()
        return services.session_save(
            organisation=self.organisation,
            membership=self.membership,
            activity=self.activity,
            session=obj,
            expected_revision=expected,
            **data,
        )


class SessionCreate(SessionEdit):
    """A new date of an activity: ``pk`` names the activity."""

    def get_object(self):
        self.activity = get_object_or_404(Activity, pk=self.kwargs["pk"])
        return None

    def get_cancel_url(self, obj):
        return self.url("training:activity", pk=self.activity.pk)


class SessionDelete(PlanMixin, generic.ObjectDeleteView):
    model = Session
    delete_rule = "training.manage"
    detail_url_name = "training:session"
    success_message = gettext_lazy("Uitvoering %(name)s is verwijderd.")
    related = ("activity",)

    def get_return_url(self, obj):
        return self.url("training:activity", pk=obj.activity_id)

    def dependents(self, obj):
        return [
            generic.Dependents(
                _("De geregistreerde deelname wordt mee verwijderd:"),
                list(obj.participations.select_related("group")),
                empty=_("Er is geen deelname geregistreerd."),
            )
        ]

    def delete(self, obj):
        services.session_delete(membership=self.membership, session=obj)


# --- Export --------------------------------------------------------------------------------


@org_permission("training.view")
def export_xlsx(request, org):
    content = excel.export_plan(organisation=request.organisation)
    return xlsx_response(content, f"weerbaar-opleidingsplan-{org}.xlsx")

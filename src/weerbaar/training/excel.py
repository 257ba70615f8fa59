"""The training plan as a workbook: groups, activities, dates and participation (formula-safe)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from weerbaar.documents.excel import Sheet, build_workbook

from .models import Activity, Participation, Session, StaffGroup


def export_plan(*, organisation) -> bytes:
    groups = StaffGroup.objects.filter(organisation=organisation).order_by("order", "name")
    activities = (
        Activity.objects.filter(organisation=organisation)
        .select_related("owner__user")
        .prefetch_related(Prefetch("groups", queryset=StaffGroup.objects.order_by("order", "name")))
        .order_by("title", "id")
    )
    sessions = Session.objects.filter(organisation=organisation).select_related("activity").order_by("date", "id")
    participation = (
        Participation.objects.filter(organisation=organisation)
        .select_related("session__activity", "group")
        .order_by("session__date", "session_id", "group__order", "group__name")
    )
    yes, no = _("ja"), _("nee")
    return build_workbook(
        [
            Sheet(
                _("Doelgroepen"),
                [_("Naam"), _("Soort"), _("Aantal personen"), _("Omschrijving")],
                ([g.name, g.get_kind_display(), g.size, g.description] for g in groups),
                widths={0: 40, 1: 30, 3: 60},
            ),
            Sheet(
                _("Activiteiten"),
                [
                    _("Titel"),
                    _("Soort"),
                    _("Doelgroepen"),
                    _("Hoe vaak"),
                    _("Vanaf jaar"),
                    _("Tot en met jaar"),
                    _("Verantwoordelijke"),
                    _("Cybertraining bestuurders"),
                    _("Omschrijving"),
                ],
                (
                    [
                        a.title,
                        a.get_kind_display(),
                        ", ".join(g.name for g in a.groups.all()),
                        a.get_frequency_display(),
                        a.first_year,
                        a.last_year,
                        (a.owner.user.get_full_name() or a.owner.user.email) if a.owner else "",
                        yes if a.board_cyber_training else no,
                        a.description,
                    ]
                    for a in activities
                ),
                widths={0: 40, 2: 40, 8: 60},
            ),
            Sheet(
                _("Uitvoeringen"),
                [_("Datum"), _("Activiteit"), _("Status"), _("Plaats"), _("Evaluatie")],
                ([s.date, s.activity.title, s.get_status_display(), s.location, s.evaluation] for s in sessions),
                widths={1: 40, 4: 80},
            ),
            Sheet(
                _("Deelname"),
                [_("Datum"), _("Activiteit"), _("Doelgroep"), _("Aantal deelnemers"), _("Namen")],
                (
                    [p.session.date, p.session.activity.title, p.group.name, p.participants, p.names]
                    for p in participation
                ),
                widths={1: 40, 2: 30, 4: 60},
            ),
        ]
    )

"""What the incident register contributes to core's registries: the dashboard card, calendar
dates, the yearly report's chapter and search. Each reads through ``selectors``, so a
confidential incident appears only for the coordinator and its handlers."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.core import permissions
from weerbaar.core.dashboard import Card
from weerbaar.core.registry import CalendarEntry, ReportSection

from . import selectors
from .models import ExternalReport


def incidents_card(request) -> Card | None:
    membership = request.membership
    if not permissions.allowed(membership, "incidents.view"):
        return None
    org = request.organisation
    card = Card(
        title=_("Incidenten"),
        text=_("Wat er gebeurde, wat er gemeld moest worden en wat de organisatie ervan leert."),
        url=reverse("incidents:list", kwargs={"org": org.slug}),
    )
    new = selectors.new_incident_count(membership=membership)
    counts = selectors.report_counts(membership=membership)
    if not new and not selectors.visible_incidents(membership=membership).exists():
        card.empty = _("Er zijn nog geen incidenten vastgelegd.")
        card.link_text = _("Naar het incidentenregister")
        return card
    card.status = [
        ngettext(
            "%(n)s nieuw incident in de afgelopen 30 dagen.", "%(n)s nieuwe incidenten in de afgelopen 30 dagen.", new
        )
        % {"n": new},
        ngettext(
            "%(n)s externe melding binnen 3 dagen te doen.",
            "%(n)s externe meldingen binnen 3 dagen te doen.",
            counts["due"],
        )
        % {"n": counts["due"]},
        ngettext(
            "%(n)s externe melding over de termijn.", "%(n)s externe meldingen over de termijn.", counts["overdue"]
        )
        % {"n": counts["overdue"]},
    ]
    card.link_text = _("Naar het incidentenregister")
    return card


def calendar_entries(membership, start: datetime.date, end: datetime.date):
    """Open external-report deadlines between start and end (inclusive), for what the member sees."""
    if not permissions.allowed(membership, "incidents.view"):
        return []
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end, datetime.time.max, tzinfo=tz)
    reports = (
        selectors.visible_reports(membership=membership)
        .filter(due_at__gte=lo, due_at__lte=hi)
        .filter(Q(status=ExternalReport.Status.DUE) | Q(status=ExternalReport.Status.MADE))
        .select_related("incident")
        .order_by("due_at", "id")
    )
    slug = membership.organisation.slug
    entries = []
    for r in reports[:500]:
        local = timezone.localtime(r.due_at)
        entries.append(
            CalendarEntry(
                date=local.date(),
                title=_("%(kind)s: incident %(ref)s, uiterlijk %(time)s")
                % {"kind": r.get_kind_display(), "ref": r.incident.reference, "time": local.strftime("%H:%M")},
                kind="incident_report",
                url=reverse("incidents:incident", kwargs={"org": slug, "pk": r.incident_id}),
                done=r.status == ExternalReport.Status.MADE,
            )
        )
    return entries


def report_section(organisation, year: int) -> ReportSection | None:
    """The yearly report's chapter: anonymous totals over all incidents (confidential ones counted,
    never named); places, assets, risks and measures only from incidents that are not confidential."""
    # From the cached counts (ordinary and confidential incidents apart), as the patterns page.
    totals = selectors.organisation_patterns(organisation=organisation, year=year, confidential=True, names=False)
    ordinary = selectors.organisation_patterns(organisation=organisation, year=year, confidential=False)
    confidential = totals.total - ordinary.total
    blocks: list[dict] = [
        {
            "type": "paragraph",
            "text": _("In %(year)s zijn %(n)s incidenten vastgelegd (%(prev)s in %(before)s).")
            % {"year": year, "n": totals.total, "prev": totals.previous_total, "before": year - 1},
        }
    ]
    if confidential:
        blocks.append(
            {
                "type": "paragraph",
                "text": ngettext(
                    "%(n)s incident was vertrouwelijk: het telt mee in de aantallen, maar wordt niet beschreven.",
                    "%(n)s incidenten waren vertrouwelijk: zij tellen mee in de aantallen, "
                    "maar worden niet beschreven.",
                    confidential,
                )
                % {"n": confidential},
            }
        )
    for figure in totals.figures:
        blocks.append({"type": "chart", "chart": figure.chart, "alt": figure.chart.description})
        blocks.append({"type": "table", "headers": figure.headers, "rows": figure.rows})
    for title, pairs in (
        (_("Terugkerende plaatsen"), ordinary.recurring_places),
        (_("Terugkerende bedrijfsmiddelen"), ordinary.recurring_assets),
        (_("Risico's die zich voordeden"), ordinary.materialised_risks),
        (_("Maatregelen die tekortschoten"), ordinary.failed_measures),
    ):
        if pairs:
            blocks.append({"type": "heading", "text": title})
            blocks.append(
                {"type": "table", "headers": [_("Naam"), _("Aantal incidenten")], "rows": [list(p) for p in pairs]}
            )
    if totals.conclusion is not None:
        blocks.append({"type": "heading", "text": _("Conclusie van de coördinator")})
        blocks.append({"type": "paragraph", "text": totals.conclusion.text})
    return ReportSection(title=_("Incidenten en rode draden"), blocks=blocks)


def search(query: str, *, membership=None, limit: int = 20, **kwargs) -> list[dict]:
    """Incidents matching the query that this member may see (nothing without a membership)."""
    if membership is None or not query or not permissions.allowed(membership, "incidents.view"):
        return []
    slug = membership.organisation.slug
    rows = selectors.incident_list(membership=membership, query=query)[:limit]
    return [
        {
            "title": f"{i.reference} {i.title}",
            "url": reverse("incidents:incident", kwargs={"org": slug, "pk": i.pk}),
            "text": i.description[:200],
        }
        for i in rows
    ]

"""What the training plan registers with core: its calendar dates, its chapter of the yearly
report and its card on the home page."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core import permissions
from weerbaar.core.dashboard import Card
from weerbaar.core.registry import CalendarEntry, ReportSection

from . import selectors
from .models import Session


def calendar_entries(membership, start: datetime.date, end: datetime.date):
    """Planned and carried-out dates of activities; the activity's owner is reminded."""
    if not permissions.allowed(membership, "training.view"):
        return []
    slug = membership.organisation.slug
    return [
        CalendarEntry(
            date=s.date,
            title=s.activity.title,
            kind="training",
            url=reverse("training:session", kwargs={"org": slug, "pk": s.pk}),
            owner_id=s.activity.owner_id,
            done=s.status == Session.Status.DONE,
            description=s.activity.get_kind_display(),
        )
        for s in selectors.calendar_sessions(organisation=membership.organisation, start=start, end=end)
    ]


def report_section(organisation, year: int) -> ReportSection | None:
    """Participation of the year per group, coverage against group size, the college's cyber training."""
    groups, rows = selectors.participation_table(organisation=organisation, year=year)
    cyber = selectors.board_cyber_training(organisation=organisation, year=year)
    coverage = selectors.coverage(organisation=organisation, years=[year])
    blocks: list[dict] = []
    if not rows and not cyber.activities:
        blocks.append(
            {
                "type": "paragraph",
                "text": _("In %(year)s is geen deelname aan opleidingen, trainingen, oefeningen of testen vastgelegd.")
                % {"year": year},
            }
        )
    if rows:
        total = sum(r["total"] for r in rows)
        blocks.append(
            {
                "type": "paragraph",
                "text": _("In %(year)s zijn %(n)s activiteiten uitgevoerd met samen %(total)s deelnames.")
                % {"year": year, "n": len(rows), "total": total},
            }
        )
        blocks.append(
            {
                "type": "table",
                "headers": [_("Datum"), _("Activiteit"), *[g.name for g in groups], _("Totaal")],
                "rows": [
                    [
                        r["session"].date.strftime("%d-%m-%Y"),
                        r["session"].activity.title,
                        *["" if c is None else str(c) for c in r["counts"]],
                        str(r["total"]),
                    ]
                    for r in rows
                ],
            }
        )
        blocks.append({"type": "heading", "text": _("Bereik per doelgroep")})
        blocks.append(
            {
                "type": "table",
                "headers": [_("Doelgroep"), _("Grootte"), _("Deelnames"), _("Bereik")],
                "rows": [
                    [
                        row.group.name,
                        "" if row.group.size is None else str(row.group.size),
                        str(row.cells[0].participants),
                        "" if row.cells[0].percent is None else f"{row.cells[0].percent}%",
                    ]
                    for row in coverage
                ],
            }
        )
    blocks.append({"type": "heading", "text": _("Cybertraining voor het college (Cyberbeveiligingswet)")})
    if cyber.is_done:
        text = _("Uitgevoerd op %(dates)s; %(n)s deelnames van collegeleden.") % {
            "dates": ", ".join(s.date.strftime("%d-%m-%Y") for s in cyber.done),
            "n": cyber.participants,
        }
    elif cyber.planned:
        text = _("Gepland op %(dates)s, nog niet uitgevoerd.") % {
            "dates": ", ".join(s.date.strftime("%d-%m-%Y") for s in cyber.planned)
        }
    else:
        text = _("Niet gepland in %(year)s.") % {"year": year}
    blocks.append({"type": "paragraph", "text": text})
    return ReportSection(title=_("Opleiden, trainen, oefenen en testen"), blocks=blocks)


def training_card(request) -> Card | None:
    if not permissions.allowed(request.membership, "training.view"):
        return None
    org = request.organisation
    year = datetime.date.today().year
    card = Card(
        title=_("Opleiden, trainen, oefenen en testen"),
        text=_("Het meerjarenplan per doelgroep, de deelname en het bereik."),
        url=reverse("training:plan", kwargs={"org": org.slug}),
        link_text=_("Naar het plan"),
    )
    sessions = list(selectors.year_sessions(organisation=org, year=year))
    if not sessions:
        card.empty = _("Voor dit jaar is nog niets gepland.")
        return card
    done = [s for s in sessions if s.status == Session.Status.DONE]
    cyber = selectors.board_cyber_training(organisation=org, year=year)
    card.status = [
        _("%(done)s van %(total)s data dit jaar uitgevoerd.") % {"done": len(done), "total": len(sessions)},
        _("Cybertraining college: uitgevoerd.")
        if cyber.is_done
        else (_("Cybertraining college: gepland.") if cyber.is_planned else _("Cybertraining college: niet gepland.")),
    ]
    return card

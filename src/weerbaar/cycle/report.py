"""The cycle's chapter of the yearly report to the board: the plan, the checks and findings, next year."""

from __future__ import annotations

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.core.registry import ReportSection

from . import selectors
from .models import Action, Check, Deviation, Finding

# A report to the board lists at most this many checks, findings or planned actions; beyond it,
# counts stand in the report and the lists in the registers.
LISTED = 25


def annual_report_section(organisation, year: int) -> ReportSection | None:
    rows, total = selectors.progress_by_theme(organisation=organisation, year=year)
    checks = list(
        Check.objects.filter(organisation=organisation, date__year=year)
        .annotate(n=Count("findings"))
        .order_by("date", "id")
    )
    if not total.total and not checks:
        return None
    blocks: list[dict] = [{"type": "heading", "text": _("Jaarplan %(year)s") % {"year": year}}]
    blocks.append(
        {
            "type": "paragraph",
            "text": _(
                "Het jaarplan %(year)s telde %(total)s acties. Afgerond: %(done)s; nog open: %(open)s, waarvan "
                "%(overdue)s te laat; doorgeschoven naar volgend jaar: %(carried)s; vervallen: %(cancelled)s."
            )
            % {
                "year": year,
                "total": total.total,
                "done": total.done,
                "open": total.open,
                "overdue": total.overdue,
                "carried": total.carried,
                "cancelled": total.cancelled,
            },
        }
    )
    if rows:
        blocks.append(
            {
                "type": "table",
                "headers": [_("Thema"), _("Acties"), _("Afgerond"), _("Open"), _("Te laat"), _("Afgerond (%)")],
                "rows": [
                    [r.theme.name if r.theme else _("Zonder thema"), r.total, r.done, r.open, r.overdue, r.percent]
                    for r in rows
                ],
            }
        )
    blocks.append({"type": "heading", "text": _("Controles en bevindingen")})
    if checks:
        if len(checks) <= LISTED:
            blocks.append(
                {
                    "type": "table",
                    "headers": [_("Datum"), _("Controle"), _("Soort"), _("Bevindingen")],
                    "rows": [[date_format(c.date), c.title, c.get_kind_display(), c.n] for c in checks],
                }
            )
        else:
            # Many checks: the board reads them per kind; the register holds the list.
            per_kind: dict[str, list[int]] = {}
            for c in checks:
                counts = per_kind.setdefault(c.get_kind_display(), [0, 0])
                counts[0] += 1
                counts[1] += c.n
            blocks.append(
                {
                    "type": "paragraph",
                    "text": _(
                        "In %(year)s zijn %(n)s controles uitgevoerd. Hieronder staan ze per soort; de volledige "
                        "lijst staat in Weerbaar onder Controles."
                    )
                    % {"year": year, "n": len(checks)},
                }
            )
            blocks.append(
                {
                    "type": "table",
                    "headers": [_("Soort"), _("Controles"), _("Bevindingen")],
                    "rows": [[kind, n, found] for kind, (n, found) in sorted(per_kind.items())],
                }
            )
        findings = list(
            Finding.objects.filter(organisation=organisation, source_check__date__year=year)
            .select_related("action", "risk")
            .prefetch_related("deviations")
            .order_by("-severity", "reference")
        )
        if len(findings) > LISTED:
            blocks.append(
                {
                    "type": "paragraph",
                    "text": _(
                        "De controles leverden %(n)s bevindingen op. Hieronder staan de %(listed)s ernstigste; de "
                        "volledige lijst staat in Weerbaar onder Bevindingen."
                    )
                    % {"n": len(findings), "listed": LISTED},
                }
            )
            findings = findings[:LISTED]
        if findings:
            followups = []
            for f in findings:
                parts = []
                if f.action_id:
                    parts.append(
                        _("actie %(ref)s (%(status)s)")
                        % {"ref": f.action.reference, "status": f.action.get_status_display()}
                    )
                if f.risk_id:
                    parts.append(_("risico %(ref)s") % {"ref": f.risk.reference})
                if f.deviations.all():
                    parts.append(_("geaccepteerde afwijking"))
                followups.append(
                    [f.reference, f.title, f.get_severity_display(), ", ".join(parts) or _("nog niet opgevolgd")]
                )
            blocks.append(
                {
                    "type": "table",
                    "headers": [_("Kenmerk"), _("Bevinding"), _("Ernst"), _("Opvolging")],
                    "rows": followups,
                }
            )
    else:
        blocks.append({"type": "paragraph", "text": _("In %(year)s zijn geen controles vastgelegd.") % {"year": year}})
    deviations = list(
        Deviation.objects.filter(organisation=organisation, ended=False)
        .select_related("owner__user")
        .order_by("expires_on")
    )
    if deviations:
        blocks.append({"type": "heading", "text": _("Geaccepteerde afwijkingen")})
        blocks.append(
            {
                "type": "table",
                "headers": [_("Kenmerk"), _("Afwijking"), _("Geaccepteerd door"), _("Geldig tot")],
                "rows": [[d.reference, d.title, d.accepted_by, date_format(d.expires_on)] for d in deviations],
            }
        )
    next_year = year + 1
    planned = list(
        Action.objects.filter(organisation=organisation, year=next_year)
        .select_related("owner__user")
        .order_by("due_date", "reference")
    )
    blocks.append({"type": "heading", "text": _("Plan voor %(year)s") % {"year": next_year}})
    if planned:
        carried = sum(1 for a in planned if a.carried_from_id)
        blocks.append(
            {
                "type": "paragraph",
                "text": _("Het jaarplan %(year)s telt %(n)s acties, waarvan %(carried)s doorgeschoven uit %(prev)s.")
                % {"year": next_year, "n": len(planned), "carried": carried, "prev": year},
            }
        )
        if len(planned) > LISTED:
            blocks.append(
                {
                    "type": "paragraph",
                    "text": _(
                        "Hieronder staan de eerste %(listed)s naar uiterste datum; het hele plan staat in Weerbaar "
                        "onder Jaarplan."
                    )
                    % {"listed": LISTED},
                }
            )
        blocks.append(
            {
                "type": "table",
                "headers": [_("Kenmerk"), _("Actie"), _("Eigenaar"), _("Uiterste datum")],
                "rows": [
                    [
                        a.reference,
                        a.title,
                        str(a.owner.user) if a.owner_id else "",
                        date_format(a.due_date) if a.due_date else "",
                    ]
                    for a in planned[:LISTED]
                ],
            }
        )
    else:
        still_open = Action.objects.filter(organisation=organisation, year=year, status__in=Action.OPEN).count()
        blocks.append(
            {
                "type": "paragraph",
                "text": _(
                    "Het jaarplan %(next)s is nog niet gestart. Bij de start schuiven de %(n)s acties die nog open "
                    "staan door naar %(next)s."
                )
                % {"next": next_year, "n": still_open},
            }
        )
    return ReportSection(title=_("Jaarplan, controles en bevindingen"), blocks=blocks)

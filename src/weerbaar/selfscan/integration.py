"""What the self-scan registers in core's registries: a dashboard card, a yearly report chapter
and the scan answers that touch a BIO2 number."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core.dashboard import Card
from weerbaar.core.registry import ReportSection

from . import selectors
from .models import ScanRound


def dashboard_card(request) -> Card | None:
    org = request.organisation
    card = Card(
        title=_("Zelfscan"),
        text=_("Hoe volwassen is de beveiliging per thema, en gaat u vooruit?"),
        url=reverse("selfscan:index", kwargs={"org": org.slug}),
    )
    current = selectors.open_round(organisation=org)
    latest = selectors.latest_closed_round(organisation=org)
    if current is None and latest is None:
        card.empty = _("Er is nog geen scanronde.")
        card.link_text = _("Naar de zelfscan")
        return card
    if latest is not None:
        scores = selectors.theme_scores([latest.pk]).get(latest.pk, {})
        card.status.append(
            _("Laatste ronde %(name)s: gemiddeld niveau %(score)s.")
            % {"name": latest.title, "score": selectors.fmt(selectors.overall(scores))}
        )
    if current is not None:
        answered = current.answers.filter(level__isnull=False).count()
        total = current.answers.count()
        card.status.append(
            _("Lopende ronde %(name)s: %(a)s van %(t)s vragen beantwoord.")
            % {"name": current.title, "a": answered, "t": total}
        )
    card.link_text = _("Naar de zelfscan")
    return card


def annual_report_section(organisation, year: int) -> ReportSection | None:
    """The rounds closed in ``year``: the newest one's radar and scores, and the rounds of the year."""
    rounds = list(
        ScanRound.objects.filter(organisation=organisation, status=ScanRound.Status.CLOSED, closed_at__year=year)
        .select_related("questionnaire")
        .order_by("closed_at")
    )
    if not rounds:
        return ReportSection(
            title=_("Zelfscan volwassenheid"),
            blocks=[{"type": "paragraph", "text": _("In %(year)s is geen scanronde afgesloten.") % {"year": year}}],
        )
    last = rounds[-1]
    results = selectors.results(organisation=organisation, scan_round=last)
    blocks = [
        {
            "type": "paragraph",
            "text": _(
                "In %(year)s zijn %(n)s scanrondes afgesloten. De laatste, %(name)s, kwam uit op gemiddeld "
                "niveau %(score)s van 5."
            )
            % {"year": year, "n": len(rounds), "name": last.title, "score": results.overall_text},
        },
        {"type": "chart", "chart": results.radar, "alt": results.radar.description},
        {
            "type": "table",
            "headers": [_("Thema"), _("Niveau"), _("Vorige ronde"), _("Verschil")],
            "rows": [[r.theme.name, r.score_text, r.previous_text, r.change_text] for r in results.rows],
        },
    ]
    if results.weakest:
        blocks.append({"type": "heading", "text": _("Zwakste onderdelen")})
        blocks.append(
            {
                "type": "bullets",
                "items": [f"{a.question.code} {a.question.text} ({_('niveau')} {a.level})" for a in results.weakest],
            }
        )
    return ReportSection(title=_("Zelfscan volwassenheid"), blocks=blocks)


def bio2_references(organisation):
    return selectors.bio2_references(organisation)

"""The scan result for the board, as PDF (radar as inline SVG) and Word (radar as PNG with alt text).

One context feeds both formats, so they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.documents import charts, pdf, word

from . import selectors
from .models import ScanRound


@dataclass
class ScanReport:
    organisation: Organisation
    results: selectors.Results
    date: str

    @property
    def title(self) -> str:
        return _("Zelfscan integrale beveiliging: %(round)s") % {"round": self.results.scan_round.title}

    @property
    def intro(self) -> str:
        r = self.results
        text = _(
            "Gemiddeld niveau over alle thema's: %(overall)s van 5 (vragenlijst versie %(version)s). "
            "Elk thema weegt even zwaar."
        ) % {"overall": r.overall_text, "version": r.scan_round.questionnaire.version}
        if r.previous_round:
            text += " " + _("In de vorige ronde (%(prev)s) was dat %(score)s.") % {
                "prev": r.previous_round.title,
                "score": r.previous_overall_text,
            }
        if r.stage:
            text += " " + _("Groeifase: %(stage)s.") % {"stage": r.stage["name"]}
        return text

    def score_headers(self) -> list[str]:
        return [_("Thema"), _("Niveau"), _("Vorige ronde"), _("Verschil"), _("Groeifase")]

    def score_rows(self) -> list[list[str]]:
        return [
            [
                row.theme.name,
                row.score_text,
                row.previous_text,
                row.change_text,
                str(row.stage["name"]) if row.stage else "—",
            ]
            for row in self.results.rows
        ]

    def weak_headers(self) -> list[str]:
        return [_("Vraag"), _("Thema"), _("Niveau"), _("Bouwstenen die helpen")]

    def weak_rows(self) -> list[list[str]]:
        return [
            [
                f"{a.question.code} {a.question.text}",
                a.question.theme.name,
                str(a.level),
                ", ".join(b.title for b in a.question.building_blocks.all()) or "—",
            ]
            for a in self.results.weakest
        ]


def build(*, organisation: Organisation, scan_round: ScanRound) -> ScanReport:
    return ScanReport(
        organisation=organisation,
        results=selectors.results(organisation=organisation, scan_round=scan_round),
        date=timezone.localdate().strftime("%d-%m-%Y"),
    )


def render_pdf(report: ScanReport) -> bytes:
    return pdf.render_pdf("selfscan/report_print.html", {"report": report})


def render_word(report: ScanReport) -> bytes:
    doc = word.WordDocument(title=f"{report.title} — {report.organisation.name}")
    doc.heading(report.title, level=0)
    doc.paragraphs(f"{report.organisation.name}\n{_('Datum')}: {report.date}")
    doc.paragraphs(report.intro)
    doc.heading(_("Volwassenheid per thema"))
    charts.add_to_word(doc, report.results.radar)
    doc.table(report.score_headers(), report.score_rows())
    doc.heading(_("Zwakste onderdelen"))
    if report.results.weakest:
        doc.table(report.weak_headers(), report.weak_rows())
    else:
        doc.paragraphs(_("Geen antwoorden op niveau 1 of 2."))
    return doc.to_bytes()

"""The register report "Risicobeeld": both heat maps with their tables and the risks above the
acceptance level, as PDF (heat maps as inline SVG) and Word (heat maps as PNG with alt text).

One context feeds both formats, so they say the same thing; it is read with a fixed number of
queries whatever the size of the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.documents import charts, pdf, word

from . import scoring, selectors
from .models import Risk


@dataclass
class RegisterReport:
    organisation: Organisation
    scale: scoring.Scale
    heatmaps: tuple[charts.HeatMap, charts.HeatMap]
    above: list[Risk]
    date: str

    @property
    def title(self) -> str:
        return _("Risicobeeld")

    @property
    def intro(self) -> str:
        return _(
            "Risicomatrix %(lk)s×%(im)s; risico's met een score boven %(acc)s zijn niet acceptabel, "
            "vanaf %(crit)s zijn zij zeer hoog. Eerst de risico's zonder maatregelen (bruto), daarna het "
            "restrisico na maatregelen (netto). Een risico zonder netto-inschatting staat in de netto "
            "heatmap op zijn bruto positie."
        ) % {
            "lk": self.scale.likelihood_levels,
            "im": self.scale.impact_levels,
            "acc": self.scale.acceptance_level,
            "crit": self.scale.critical_level,
        }

    def risk_headers(self) -> list[str]:
        return [_("Kenmerk"), _("Risico"), _("Thema's"), _("Bruto"), _("Netto"), _("Maatregelen"), _("Besluit")]

    def risk_rows(self) -> list[list[str]]:
        return [
            [
                r.reference,
                r.title,
                r.theme_names,
                str(r.inherent_score),
                "—" if r.residual_score is None else str(r.residual_score),
                f"{r.measure_count} ({r.effective_count} {_('werkend')})",
                r.get_treatment_display(),
            ]
            for r in self.above
        ]


def register_report(*, organisation: Organisation) -> RegisterReport:
    scale = selectors.scale_for(organisation)
    inherent, residual = selectors.heatmaps(organisation=organisation, scale=scale)
    above = list(selectors.risk_list(organisation=organisation, above_acceptance=True))
    return RegisterReport(
        organisation=organisation,
        scale=scale,
        heatmaps=(inherent, residual),
        above=above,
        date=timezone.localdate().strftime("%d-%m-%Y"),
    )


def render_pdf(report: RegisterReport) -> bytes:
    return pdf.render_pdf("risks/report_print.html", {"report": report})


def render_word(report: RegisterReport) -> bytes:
    doc = word.WordDocument(title=f"{report.title} — {report.organisation.name}")
    doc.heading(report.title, level=0)
    doc.paragraphs(f"{report.organisation.name}\n{_('Datum')}: {report.date}")
    doc.paragraphs(report.intro)
    doc.heading(_("Risicokaarten"))
    for hm in report.heatmaps:
        doc.heading(hm.title, level=2)
        charts.add_to_word(doc, hm)
        doc.table(
            [hm.corner_label, *(t.text for t in hm.cols.ticks)],
            [[tick.text, *(f"{c.count} {c.note}" for c in row)] for tick, row in hm.table_rows()],
        )
    doc.heading(_("Risico's boven de acceptatiegrens"))
    if report.above:
        doc.table(report.risk_headers(), report.risk_rows())
    else:
        doc.paragraphs(_("Geen risico's boven de acceptatiegrens."))
    return doc.to_bytes()

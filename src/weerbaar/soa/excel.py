"""The statement of applicability as a workbook (through ``documents.excel.build_workbook``)."""

from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.documents.excel import Sheet, build_workbook

from . import catalogue, selectors


def export_statement(*, organisation: Organisation) -> bytes:
    rows = selectors.statement(organisation=organisation)
    chapters = dict(catalogue.CHAPTERS)
    statement = Sheet(
        _("Verklaring"),
        [
            _("Nummer"),
            _("Hoofdstuk"),
            _("Onderwerp"),
            _("Omschrijving (eigen woorden)"),
            _("Van toepassing"),
            _("Reden"),
            _("Maatregelen van de gemeente"),
            _("Invoering"),
            _("Andere verwijzingen"),
        ],
        (
            [
                r.number,
                chapters.get(r.bio2.chapter, r.bio2.chapter),
                r.title,
                r.bio2.description,
                _("nog niet beoordeeld") if r.applicable is None else (_("ja") if r.applicable else _("nee")),
                r.applicability.reason if r.applicability else "",
                "; ".join(f"{m} ({m.status_label})" for m in r.measures),
                r.implementation_label,
                "; ".join(label for label, _url in r.references),
            ]
            for r in rows
        ),
        widths={2: 30, 3: 60, 5: 50, 6: 50, 8: 40},
        notes=[
            _("Verklaring van toepasselijkheid van %(org)s tegen de %(version)s.")
            % {"org": organisation.name, "version": catalogue.VERSION},
            _("De omschrijvingen zijn samenvattingen in eigen woorden; de tekst van de BIO2 is leidend: %(url)s")
            % {"url": catalogue.source_url()},
        ],
    )
    summary = Sheet(
        _("Samenvatting"),
        [
            _("Hoofdstuk"),
            _("Maatregelen"),
            _("Nog niet beoordeeld"),
            _("Van toepassing"),
            _("Niet van toepassing"),
            _("Van toepassing en ingevoerd"),
            _("Van toepassing, zonder maatregel"),
        ],
        (
            [s.label, s.total, s.open, s.applicable, s.not_applicable, s.effective, s.gaps]
            for s in selectors.summarise(rows)
        ),
        widths={0: 40},
    )
    return build_workbook([statement, summary])

"""The yearly plan in Excel: export of the actions, and an all-or-nothing import.

The import reads the sheet *Acties*, declared as columns of the shared importer
(:mod:`weerbaar.documents.importer`). A row with a known Kenmerk changes that action, any other
row adds one. Every row is first checked by :func:`services.action_prepare` (permissions and
validation, no writes); when any row fails nothing is written and every error is listed by
row and column. Then all rows are written in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership, Organisation
from weerbaar.documents.excel import XLSX_CONTENT_TYPE, Sheet, UploadRejected, build_workbook, open_upload
from weerbaar.documents.importer import (
    ChoiceColumn,
    DateColumn,
    ImportColumn,
    ImportErrors,
    IntegerColumn,
    ReferenceListColumn,
    SheetSpec,
    TextColumn,
    clean_record,
    echo,
    max_rows_per_sheet,
    read_sheet,
    too_many_rows,
)
from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks.models import Measure, Risk

from . import services
from .models import Action

__all__ = ["XLSX_CONTENT_TYPE", "ImportRejected", "export_actions", "import_actions", "import_template"]

SHEET = "Acties"
COLUMNS = [
    "Kenmerk",
    "Jaar",
    "Titel",
    "Omschrijving",
    "Eigenaar (e-mail)",
    "Uiterste datum",
    "Status",
    "Thema's",
    "Maatregelen",
    "Risico's",
    "Beveiligingsdoelen",
]
EXPORT_EXTRA = ["Te laat", "Bevindingen"]


def _links(through, left: str, right: str, names: dict, ids) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for lid, rid in through.objects.filter(**{f"{left}__in": ids}).values_list(left, right).iterator():
        out.setdefault(lid, []).append(names.get(rid, ""))
    return {k: sorted(v) for k, v in out.items()}


def export_actions(*, organisation: Organisation, year: int | None = None) -> bytes:
    """The actions (of one year, or all) in one sheet, with the same columns the import reads.

    A handful of queries whatever the number of actions: plain values and the link tables.
    """
    from .selectors import today

    actions = Action.objects.filter(organisation=organisation)
    if year:
        actions = actions.filter(year=year)
    ids = actions.values("pk")
    themes = dict(Theme.objects.values_list("pk", "name"))
    goals = dict(SecurityGoal.objects.values_list("pk", "name"))
    measure_refs = dict(Measure.objects.filter(organisation=organisation).values_list("pk", "reference"))
    risk_refs = dict(Risk.objects.filter(organisation=organisation).values_list("pk", "reference"))
    emails = dict(Membership.objects.filter(organisation=organisation).values_list("pk", "user__email"))
    a_themes = _links(Action.themes.through, "action_id", "theme_id", themes, ids)
    a_goals = _links(Action.goals.through, "action_id", "securitygoal_id", goals, ids)
    a_measures = _links(Action.measures.through, "action_id", "measure_id", measure_refs, ids)
    a_risks = _links(Action.risks.through, "action_id", "risk_id", risk_refs, ids)
    from django.db.models import Count

    findings = dict(actions.annotate(n=Count("findings")).values_list("pk", "n"))
    statuses = {k: str(v) for k, v in Action.Status.choices}
    now = today()
    rows = []
    for a in actions.order_by("year", "reference", "id").values(
        "pk", "reference", "year", "title", "description", "owner_id", "due_date", "status"
    ):
        overdue = a["status"] in Action.OPEN and a["due_date"] is not None and a["due_date"] < now
        rows.append(
            [
                a["reference"],
                a["year"],
                a["title"],
                a["description"],
                emails.get(a["owner_id"], ""),
                a["due_date"].isoformat() if a["due_date"] else None,
                statuses.get(a["status"], a["status"]),
                "; ".join(a_themes.get(a["pk"], [])),
                ", ".join(a_measures.get(a["pk"], [])),
                ", ".join(a_risks.get(a["pk"], [])),
                "; ".join(a_goals.get(a["pk"], [])),
                _("ja") if overdue else _("nee"),
                findings.get(a["pk"], 0),
            ]
        )
    return build_workbook([Sheet(SHEET, COLUMNS + EXPORT_EXTRA, rows=rows, widths={2: 50, 3: 60})])


def import_template() -> bytes:
    themes = "; ".join(Theme.objects.order_by("order").values_list("name", flat=True))
    notes = [
        _("Vul één regel per actie in. Laat de kopregel staan."),
        _("Een regel met een bestaand kenmerk (A-012) werkt die actie bij; zonder kenmerk komt er een nieuwe actie."),
        _("Eigenaar: het e-mailadres van iemand van uw gemeente in Weerbaar."),
        _("Maatregelen en risico's: hun kenmerken, gescheiden door komma's (M-001, M-002)."),
        _("Thema's, gescheiden door puntkomma's: %(themes)s.") % {"themes": themes},
        _("Datums als 2026-03-31 of 31-3-2026; het jaar als 2026."),
        _("Per blad kunt u ten hoogste %(max)s regels tegelijk inlezen.") % {"max": max_rows_per_sheet()},
        _("Bij één fout wordt niets ingelezen; u krijgt dan alle fouten per regel en kolom te zien."),
    ]
    statuses = [str(label) for value, label in Action.Status.choices if value != Action.Status.CARRIED_OVER]
    return build_workbook([Sheet(SHEET, COLUMNS, choices={6: statuses}, notes=notes)])


class ImportRejected(Exception):
    """The file was rejected; ``errors`` lists (sheet, row, column, message); nothing was written."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([{"sheet": SHEET, "row": "", "column": "", "message": message}])


class _OwnerColumn(ImportColumn):
    def __init__(self, header, *, members: dict):
        super().__init__(header, "owner")
        self.members = members

    def clean(self, value, previous):
        found = self.members.get(str(value).strip().lower())
        if found is None:
            raise ValueError(_("Niemand van uw gemeente heeft het e-mailadres %(v)s.") % {"v": echo(value)})
        return found


def _lookup(model, organisation=None, *, by_ref=False) -> dict:
    if by_ref:
        return {
            ref.lower(): pk
            for pk, ref in model.objects.filter(organisation=organisation)
            .exclude(reference="")
            .values_list("pk", "reference")
        }
    out = {}
    for pk, name, slug in model.objects.values_list("pk", "name", "slug"):
        out[name.lower()] = pk
        out[slug.lower()] = pk
    return out


def _spec(organisation: Organisation) -> SheetSpec:
    members = {
        email.lower(): pk
        for pk, email in Membership.objects.filter(organisation=organisation).values_list("pk", "user__email")
    }
    # "Doorgeschoven" is read so an exported plan reads back; the service refuses it on a new action.
    statuses = Action.Status.choices
    return SheetSpec(
        SHEET,
        [
            TextColumn("Kenmerk", "reference", max_length=20),
            IntegerColumn("Jaar", "year", minimum=services.MIN_YEAR, maximum=services.MAX_YEAR),
            TextColumn("Titel", "title", max_length=200, required=True, empty_message=_("Vul een titel in.")),
            TextColumn("Omschrijving", "description", multiline=True, default=""),
            _OwnerColumn("Eigenaar (e-mail)", members=members),
            DateColumn("Uiterste datum", "due_date"),
            ChoiceColumn("Status", "status", choices=statuses, default=None),
            ReferenceListColumn("Thema's", "themes", mapping=_lookup(Theme)),
            ReferenceListColumn(
                "Maatregelen", "measures", mapping=_lookup(Measure, organisation, by_ref=True), commas_in_names=False
            ),
            ReferenceListColumn(
                "Risico's", "risks", mapping=_lookup(Risk, organisation, by_ref=True), commas_in_names=False
            ),
            ReferenceListColumn("Beveiligingsdoelen", "goals", mapping=_lookup(SecurityGoal)),
        ],
    )


def import_actions(*, organisation: Organisation, membership: Membership, upload) -> dict:
    """Read actions from an uploaded workbook: all rows, or none. Returns ``{"actions": n}``."""
    try:
        wb = open_upload(upload)
    except UploadRejected as e:
        raise _rejected(e.message)
    formulas = None
    try:
        formulas = open_upload(upload, data_only=False)
        max_rows = max_rows_per_sheet()
        read = read_sheet(wb, SHEET, formulas=formulas, max_rows=max_rows)
        if read is not None and read.too_many:
            raise _rejected(too_many_rows(SHEET, max_rows))
    except UploadRejected as e:
        raise _rejected(e.message)
    except ImportRejected:
        raise
    except Exception:  # a damaged part that openpyxl only notices while reading
        raise _rejected(_("Dit Excelbestand kan niet worden gelezen. Is het beschadigd?"))
    finally:
        wb.close()
        if formulas is not None:
            formulas.close()
    if read is None:
        raise _rejected(_("Het bestand bevat geen blad Acties. Gebruik het sjabloon."))

    spec = _spec(organisation)
    errors = ImportErrors()
    spec.check_headers(read, errors)
    if errors:
        raise ImportRejected(errors.as_list())

    existing = {
        a.reference.lower(): a
        for a in Action.objects.filter(organisation=organisation).exclude(reference="").prefetch_related("themes")
    }
    allocator = services.ReferenceAllocator(Action, organisation)
    taken: set[str] = set()
    seen: dict[str, int] = {}
    prepared = []
    for record in read.records:
        data = clean_record(spec, record, errors)
        if data is None:
            continue
        reference = (data.get("reference") or "").strip()
        action = existing.get(reference.lower()) if reference else None
        if reference:
            if reference.lower() in seen:
                errors.add(
                    SHEET,
                    record.number,
                    "Kenmerk",
                    _("Het kenmerk %(ref)s staat ook in regel %(row)s.")
                    % {"ref": reference, "row": seen[reference.lower()]},
                )
                continue
            seen[reference.lower()] = record.number
        if action is not None:
            data["reference"] = action.reference
        try:
            prepared.append(
                services.action_prepare(
                    organisation=organisation,
                    membership=membership,
                    action=action,
                    allocator=allocator,
                    taken=taken,
                    **data,
                )
            )
        except PermissionDenied:
            errors.add(
                SHEET,
                record.number,
                "",
                _("U mag deze actie niet toevoegen of wijzigen (kijk naar de thema's)."),
            )
        except ValidationError as e:
            errors.add_validation_error(SHEET, record.number, e, spec.column_of)
    if errors:
        raise ImportRejected(errors.as_list())
    try:
        with transaction.atomic():
            for item in prepared:
                services.write_prepared(item)
    except (IntegrityError, ValidationError):
        raise _rejected(
            _(
                "Het jaarplan is tijdens het inlezen door iemand anders gewijzigd. "
                "Er is niets opgeslagen; probeer het opnieuw."
            )
        )
    return {"actions": len(prepared)}

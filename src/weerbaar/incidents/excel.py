"""The incident register in Excel: an export (only what the member may see) and an
all-or-nothing import on the shared column-based importer (``documents.importer``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.core.models import Membership, Organisation
from weerbaar.documents.excel import XLSX_CONTENT_TYPE, Sheet, UploadRejected, build_workbook, open_upload
from weerbaar.documents.importer import (
    ChoiceColumn,
    DateColumn,
    ImportColumn,
    ImportErrors,
    ReferenceListColumn,
    SheetSpec,
    TextColumn,
    clean_record,
    echo,
    max_rows_per_sheet,
    read_sheet,
    summary,
    too_many_rows,
)
from weerbaar.documents.tasks import Rendered, RenderFailed, renderer
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset

from . import selectors, services
from .models import ExternalReport, Incident, IncidentType, LocalIncidentType

__all__ = ["XLSX_CONTENT_TYPE", "ImportRejected", "export_incidents", "import_incidents", "import_template"]

SHEET = "Incidenten"
REPORT_SHEET = "Meldingen"
YES = {"ja", "j", "yes", "waar", "true", "1", "x"}
NO = {"nee", "n", "no", "onwaar", "false", "0", ""}


def _local(value: datetime.datetime | None):
    # Excel has no time zones: the time as the municipality reads it.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


EXPORT_CHUNK = 2000
_EXPORT_FIELDS = (
    "pk",
    "reference",
    "occurred_at",
    "discovered_at",
    "title",
    "incident_type__name",
    "local_type__name",
    "severity",
    "place",
    "threat__name",
    "local_threat__name",
    "description",
    "immediate_actions",
    "confidential",
    "status",
    "lessons",
    "evaluated_on",
)


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _names_per_incident(through, target: str, label: str, ids: list[int], order: tuple[str, ...]) -> dict:
    """Incident id -> names of its linked themes or assets (one query for a chunk of incidents)."""
    names: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(incident_id__in=ids)
        .order_by(*(f"{target}__{o}" for o in order))
        .values_list("incident_id", f"{target}__{label}")
    )
    for incident_id, name in rows:
        names.setdefault(incident_id, []).append(name)
    return names


def export_incidents(*, membership: Membership, progress=None) -> bytes:
    """The incidents this member may see (confidential ones only for the coordinator and handlers).

    Streams: plain values in chunks of :data:`EXPORT_CHUNK` incidents (no model instances), the
    themes and assets of a chunk in one query each, into the streaming workbook; 20,000
    incidents take a few seconds (most of it writing the cells) and little memory. A large
    register goes to a background job (:func:`export_job`); ``progress(percent)`` follows it.
    """
    visible = selectors.visible_incidents(membership=membership)
    qs = visible.order_by("occurred_at", "id").values_list(*_EXPORT_FIELDS)
    total = visible.count() if progress else 0
    headers = [
        _("Kenmerk"),
        _("Datum en tijd"),
        _("Ontdekt op"),
        _("Korte omschrijving"),
        _("Soort"),
        _("Thema's"),
        _("Ernst"),
        _("Plaats"),
        _("Bedrijfsmiddelen"),
        _("Dreiging"),
        _("Wat is er gebeurd?"),
        _("Wat is direct gedaan?"),
        _("Vertrouwelijk"),
        _("Status"),
        _("Lessen"),
        _("Geëvalueerd op"),
    ]
    severities = {value: str(label) for value, label in Incident.Severity.choices}
    statuses = {value: str(label) for value, label in Incident.Status.choices}
    yes, no = _("ja"), _("nee")

    def rows():
        done = 0
        for chunk in _chunks(qs.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
            if progress and total:
                progress(5 + 85 * done // total)
            done += len(chunk)
            ids = [r[0] for r in chunk]
            themes = _names_per_incident(Incident.themes.through, "theme", "name", ids, ("order", "name"))
            assets = _names_per_incident(Incident.assets.through, "asset", "name", ids, ("name", "id"))
            for (
                pk,
                reference,
                occurred_at,
                discovered_at,
                title,
                type_name,
                local_type_name,
                severity,
                place,
                threat_name,
                local_threat_name,
                description,
                immediate_actions,
                confidential,
                status,
                lessons,
                evaluated_on,
            ) in chunk:
                yield [
                    reference,
                    _local(occurred_at),
                    _local(discovered_at),
                    title,
                    type_name or local_type_name or "",
                    ", ".join(themes.get(pk, ())),
                    severities.get(severity, severity),
                    place,
                    ", ".join(assets.get(pk, ())),
                    threat_name or local_threat_name or "",
                    description,
                    immediate_actions,
                    yes if confidential else no,
                    statuses.get(status, status),
                    lessons,
                    evaluated_on,
                ]

    reports = (
        selectors.visible_reports(membership=membership)
        .order_by("due_at", "incident_id")
        .values_list("incident__reference", "kind", "due_at", "status", "made_at", "their_reference", "note")
    )
    kinds = {value: str(label) for value, label in ExternalReport._meta.get_field("kind").choices}
    report_statuses = {value: str(label) for value, label in ExternalReport.Status.choices}

    def report_rows():
        for reference, kind, due_at, status, made_at, their_reference, note in reports.iterator(
            chunk_size=EXPORT_CHUNK
        ):
            in_time = None
            if status == ExternalReport.Status.MADE and made_at is not None and due_at is not None:
                in_time = made_at <= due_at
            yield [
                reference,
                kinds.get(kind, kind),
                _local(due_at),
                report_statuses.get(status, status),
                _local(made_at),
                "" if in_time is None else (yes if in_time else no),
                their_reference,
                note,
            ]

    report_headers = [
        _("Incident"),
        _("Soort melding"),
        _("Uiterlijk"),
        _("Status"),
        _("Gedaan op"),
        _("Op tijd"),
        _("Kenmerk ontvanger"),
        _("Toelichting"),
    ]
    return build_workbook(
        [
            Sheet(SHEET, headers, rows(), widths={1: 18, 2: 18, 3: 40, 4: 30, 10: 60, 11: 60, 14: 60}),
            Sheet(REPORT_SHEET, report_headers, report_rows(), widths={1: 45, 2: 18, 4: 18, 7: 60}),
        ]
    )


# Above this many visible incidents the web page makes the export in a background job.
EXPORT_INLINE_MAX = 2000


def export_filename(organisation) -> str:
    return f"weerbaar-incidenten-{organisation.slug}.xlsx"


@renderer
def export_job(source_id: int, *, progress) -> Rendered:
    """Background job: the export of the member ``source_id`` (the requester, set by the view),
    with what that member may see when the job runs (nothing once they lost access)."""
    membership = Membership.objects.select_related("organisation", "user").filter(pk=source_id).first()
    if membership is None:
        raise RenderFailed(_("U bent geen lid meer van deze organisatie."))
    return Rendered(export_incidents(membership=membership, progress=progress))


# --- Import ----------------------------------------------------------------------------------------


class ImportRejected(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__("import rejected")
        self.errors = errors


def _rejected(message: str, sheet: str = "") -> ImportRejected:
    return ImportRejected([{"sheet": sheet, "row": "", "column": "", "message": message}])


class DateTimeColumn(ImportColumn):
    """An Excel date and time, or text as 2026-03-31 14:30 or 31-3-2026 14:30 (a date alone: 00:00)."""

    message = gettext_lazy("Geen geldige datum en tijd: %(v)s.")
    formats = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y")

    def clean(self, value, previous):
        if isinstance(value, datetime.datetime):
            naive = value
        elif isinstance(value, datetime.date):
            naive = datetime.datetime.combine(value, datetime.time())
        else:
            text, naive = str(value).strip(), None
            for fmt in (*self.formats, *DateColumn.formats):
                try:
                    naive = datetime.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            if naive is None:
                raise ValueError(self.message % {"v": echo(value)})
        if not 2000 <= naive.year <= 2100:
            raise ValueError(_("Kies een datum tussen 2000 en 2100."))
        return timezone.make_aware(naive)


class YesNoColumn(ImportColumn):
    def clean(self, value, previous):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("Vul ja of nee in."))


class TypeColumn(ImportColumn):
    def __init__(self, header, *, catalogue: dict, own: dict, **kwargs):
        super().__init__(header, "incident_type", **kwargs)
        self.catalogue, self.own = catalogue, own

    def clean(self, value, previous):
        key = str(value).strip().lower()
        found = self.own.get(key) or self.catalogue.get(key)
        if found is None:
            raise ValueError(
                _("Onbekende soort: %(v)s. Kies een soort uit de catalogus of een eigen soort.") % {"v": echo(value)}
            )
        return found

    def assign(self, value, target):
        target["incident_type"] = value if isinstance(value, IncidentType) else None
        target["local_type"] = value if isinstance(value, LocalIncidentType) else None


def _spec(organisation: Organisation) -> SheetSpec:
    catalogue = {t.name.lower(): t for t in IncidentType.objects.all()} | {
        t.slug: t for t in IncidentType.objects.all()
    }
    own = {t.name.lower(): t for t in LocalIncidentType.objects.filter(organisation=organisation)}
    themes = {t.name.lower(): t.pk for t in Theme.objects.all()} | {t.slug: t.pk for t in Theme.objects.all()}
    assets = {}
    for a in Asset.objects.filter(organisation=organisation).only("pk", "name", "reference"):
        assets[a.name.lower()] = a.pk
        if a.reference:
            assets[a.reference.lower()] = a.pk
    return SheetSpec(
        SHEET,
        [
            TextColumn(_("Kenmerk"), "reference", max_length=20),
            DateTimeColumn(_("Datum en tijd"), "occurred_at", required=True),
            DateTimeColumn(_("Ontdekt op"), "discovered_at"),
            TextColumn(_("Korte omschrijving"), "title", max_length=200, required=True),
            TypeColumn(_("Soort"), catalogue=catalogue, own=own, required=True),
            ReferenceListColumn(
                _("Thema's"),
                "themes",
                mapping=themes,
                required=True,
                unknown_message=gettext_lazy("Onbekend thema: %(v)s."),
            ),
            ChoiceColumn(_("Ernst"), "severity", choices=Incident.Severity.choices, default=Incident.Severity.LIMITED),
            TextColumn(_("Plaats"), "place", max_length=200),
            ReferenceListColumn(
                _("Bedrijfsmiddelen"),
                "assets",
                mapping=assets,
                unknown_message=gettext_lazy("Onbekend bedrijfsmiddel: %(v)s."),
            ),
            TextColumn(_("Wat is er gebeurd?"), "description", multiline=True, max_length=10_000),
            TextColumn(_("Wat is direct gedaan?"), "immediate_actions", multiline=True, max_length=10_000),
            YesNoColumn(_("Vertrouwelijk"), "confidential", default=None),
        ],
    )


def import_template(*, organisation: Organisation) -> bytes:
    spec = _spec(organisation)
    types = [t.name for t in IncidentType.objects.order_by("order", "name")]
    example = [
        "",
        "2026-01-15 10:30",
        "",
        _("Bezoeker scheldt baliemedewerker uit"),
        types[0] if types else "",
        _("Personele beveiliging"),
        _("beperkt"),
        _("Stadhuis, publiekshal"),
        "",
        _("Bezoeker werd boos over de wachttijd en schold de medewerker uit."),
        _("Collega erbij gehaald; bezoeker verliet het gebouw."),
        _("nee"),
    ]
    notes = [
        _("Eén regel per incident. Verplicht: Datum en tijd, Korte omschrijving, Soort en Thema's."),
        _("Datum en tijd als 2026-03-31 14:30. Ontdekt op leeg laten als het meteen is ontdekt."),
        _("Soort: een naam uit de catalogus of een eigen soort. Thema's en bedrijfsmiddelen gescheiden door ;."),
        _("Bij één fout wordt niets ingelezen; u krijgt een lijst van alle fouten per regel."),
        _("Soorten in de catalogus: %(types)s.") % {"types": "; ".join(types)},
    ]
    return build_workbook(
        [
            Sheet(
                SHEET,
                spec.headers,
                [example],
                choices={6: [str(label) for _v, label in Incident.Severity.choices], 11: ["ja", "nee"]},
                notes=notes,
            )
        ]
    )


class _Rollback(Exception):
    pass


def import_incidents(*, organisation: Organisation, membership: Membership, upload) -> dict:
    """Read incidents from an uploaded workbook: all rows, or none (with every error by row)."""
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
            raise _rejected(too_many_rows(SHEET, max_rows), SHEET)
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
        raise _rejected(_("Het bestand bevat geen blad Incidenten."))
    spec = _spec(organisation)
    errors = ImportErrors()
    spec.check_headers(read, errors)
    if errors:
        raise ImportRejected(errors.as_list())
    count = 0
    try:
        with transaction.atomic():
            for record in read.records:
                kwargs = clean_record(spec, record, errors)
                if kwargs is None:
                    continue
                try:
                    services.incident_save(organisation=organisation, membership=membership, **kwargs)
                except ValidationError as e:
                    errors.add_validation_error(SHEET, record.number, e, spec.column_of)
                except PermissionDenied as e:
                    errors.add(SHEET, record.number, _("Thema's"), str(e) or _("Dit mag u niet vastleggen."))
                else:
                    count += 1
            if errors:
                raise _Rollback
    except _Rollback:
        raise ImportRejected(errors.as_list())
    return {"incidents": count, "summary": summary([read])}


def report_status_labels() -> dict:
    return dict(ExternalReport.Status.choices)

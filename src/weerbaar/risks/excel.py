"""The register in Excel: export of every register, and an all-or-nothing import.

The import reads the sheets *Bedrijfsmiddelen*, *Risico's* and *Maatregelen* (the template
has them), declared as columns of the shared importer (:mod:`weerbaar.documents.importer`).
A row with a known Kenmerk updates that item, any other row creates one. Every row is checked
first, by the same ``*_prepare`` services as the web forms (permissions and validation, no
writes); when any row fails, nothing is written and the user gets every error by sheet, row
and column. Only then are the rows written, in one short transaction with bulk writes, and
the audit trail records every created and changed row (:func:`weerbaar.core.audit.record_bulk`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core import audit
from weerbaar.core.models import Membership, Organisation
from weerbaar.documents.excel import XLSX_CONTENT_TYPE, Sheet, UploadRejected, build_workbook, open_upload
from weerbaar.documents.importer import (
    ChoiceColumn,
    DateColumn,
    ImportColumn,
    ImportErrors,
    IntegerColumn,
    MoneyColumn,
    ReferenceListColumn,
    SheetRead,
    SheetSpec,
    TextColumn,
    clean_record,
    echo,
    max_rows_per_sheet,
    read_sheet,
    summary,
    too_many_rows,
)
from weerbaar.knowledge.models import Bio2Measure, Principle, SecurityGoal, Theme

from . import bio2, services
from . import summary as overlap_summary
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat
from .selectors import scale_for

__all__ = ["XLSX_CONTENT_TYPE", "ImportRejected", "export_register", "import_register", "import_template"]

ASSET_SHEET, RISK_SHEET, MEASURE_SHEET = "Bedrijfsmiddelen", "Risico's", "Maatregelen"

ASSET_COLUMNS = ["Kenmerk", "Naam", "Soort", "Belang", "Locatie", "Eigenaar", "Omschrijving"]
RISK_COLUMNS = [
    "Kenmerk",
    "Titel",
    "Dreiging",
    "Scenario",
    "Bedrijfsmiddelen",
    "Thema's",
    "Bruto kans",
    "Bruto impact",
    "Netto kans",
    "Netto impact",
    "Besluit",
    "Geaccepteerd door",
    "Geaccepteerd tot",
    "Eigenaar",
    "Herbeoordelen op",
]
RISK_EXPORT_EXTRA = ["Bruto score", "Netto score", "Boven acceptatiegrens"]
MEASURE_EXPORT_EXTRA = ["BIO2-nummers buiten de lijst"]
MEASURE_COLUMNS = [
    "Kenmerk",
    "Titel",
    "Omschrijving",
    "Thema's",
    "Type",
    "Soort",
    "Doelen",
    "Uitgangspunten",
    "Risico's",
    "Eigenaar",
    "Status",
    "Deadline",
    "Eenmalige kosten",
    "Jaarlijkse kosten",
    "Neveneffecten",
    "BIO2-maatregelen",
]


def _d(value):
    return value.isoformat() if value else None


def _names(items) -> str:
    # Semicolons: some theme and goal names contain commas.
    return "; ".join(str(i) for i in items)


# --- Export --------------------------------------------------------------------------------


def _labels(choices) -> dict:
    return {key: str(label) for key, label in choices}


def _links(through, left: str, right: str, names: dict, ids) -> dict[int, list[str]]:
    """{left id: sorted names of the right side} from an m2m through table, in one query."""
    out: dict[int, list[str]] = {}
    for lid, rid in through.objects.filter(**{f"{left}__in": ids}).values_list(left, right).iterator():
        out.setdefault(lid, []).append(names.get(rid, ""))
    return {k: sorted(v) for k, v in out.items()}


def export_register(*, organisation: Organisation) -> bytes:
    """Every register of the municipality in one workbook, one sheet per register.

    Reads plain values and the m2m through tables (a handful of queries, no model instances
    per row), so that thousands of rows export in seconds.
    """
    assets = Asset.objects.filter(organisation=organisation)
    risks = Risk.objects.filter(organisation=organisation)
    measures = Measure.objects.filter(organisation=organisation)
    theme_names = dict(Theme.objects.values_list("pk", "name"))
    goal_names = dict(SecurityGoal.objects.values_list("pk", "name"))
    principle_slugs = dict(Principle.objects.values_list("pk", "slug"))
    asset_refs = dict(assets.values_list("pk", "reference"))
    risk_refs = dict(risks.values_list("pk", "reference"))
    threat_names = dict(Threat.objects.values_list("pk", "name"))
    own_threat_names = dict(LocalThreat.objects.filter(organisation=organisation).values_list("pk", "name"))
    risk_assets = _links(Risk.assets.through, "risk_id", "asset_id", asset_refs, risks.values("pk"))
    risk_themes = _links(Risk.themes.through, "risk_id", "theme_id", theme_names, risks.values("pk"))
    m_ids = measures.values("pk")
    m_themes = _links(Measure.themes.through, "measure_id", "theme_id", theme_names, m_ids)
    m_goals = _links(Measure.goals.through, "measure_id", "securitygoal_id", goal_names, m_ids)
    m_principles = _links(Measure.principles.through, "measure_id", "principle_id", principle_slugs, m_ids)
    m_risks = _links(Measure.risks.through, "measure_id", "risk_id", risk_refs, m_ids)
    bio2_numbers = dict(Bio2Measure.objects.values_list("pk", "number"))
    m_bio2 = _links(Measure.bio2_measures.through, "measure_id", "bio2measure_id", bio2_numbers, m_ids)
    kinds, crits = _labels(Asset.Kind.choices), _labels(Asset.Criticality.choices)
    treatments = _labels(Risk.Treatment.choices)
    types, mkinds, statuses = (
        _labels(Measure.Type.choices),
        _labels(Measure.Kind.choices),
        _labels(Measure.Status.choices),
    )
    yes, no = _("ja"), _("nee")
    asset_fields = ["reference", "name", "kind", "criticality", "location", "owner", "description"]
    risk_fields = [
        "pk", "reference", "title", "threat_id", "local_threat_id", "scenario", "inherent_likelihood",
        "inherent_impact", "residual_likelihood", "residual_impact", "treatment", "accepted_by", "accepted_until",
        "owner", "review_date", "inherent_score", "residual_score", "exceeds_acceptance",
    ]  # fmt: skip
    measure_fields = [
        "pk", "reference", "title", "description", "measure_type", "kind", "owner", "status", "deadline",
        "cost_once", "cost_yearly", "side_effects", "bio2_unmatched",
    ]  # fmt: skip

    def threat_of(r):
        if r["threat_id"]:
            return threat_names.get(r["threat_id"])
        return own_threat_names.get(r["local_threat_id"])

    conflicts = MeasureConflict.objects.filter(organisation=organisation).select_related("measure_a", "measure_b")
    own_threats = LocalThreat.objects.filter(organisation=organisation).prefetch_related("themes")
    sheets = [
        Sheet(
            ASSET_SHEET,
            ASSET_COLUMNS,
            (
                [
                    a["reference"],
                    a["name"],
                    kinds.get(a["kind"]),
                    crits.get(a["criticality"]),
                    a["location"],
                    a["owner"],
                    a["description"],
                ]  # fmt: skip
                for a in assets.order_by("reference", "id").values(*asset_fields).iterator()
            ),
            widths={1: 40, 6: 60},
        ),
        Sheet(
            RISK_SHEET,
            RISK_COLUMNS + RISK_EXPORT_EXTRA,
            (
                [
                    r["reference"],
                    r["title"],
                    threat_of(r),
                    r["scenario"],
                    ", ".join(risk_assets.get(r["pk"], [])),
                    "; ".join(risk_themes.get(r["pk"], [])),
                    r["inherent_likelihood"],
                    r["inherent_impact"],
                    r["residual_likelihood"],
                    r["residual_impact"],
                    treatments.get(r["treatment"]),
                    r["accepted_by"],
                    _d(r["accepted_until"]),
                    r["owner"],
                    _d(r["review_date"]),
                    r["inherent_score"],
                    r["residual_score"],
                    yes if r["exceeds_acceptance"] else no,
                ]
                for r in risks.order_by("reference", "id").values(*risk_fields).iterator()
            ),
            widths={1: 40, 3: 60},
        ),
        Sheet(
            MEASURE_SHEET,
            MEASURE_COLUMNS + MEASURE_EXPORT_EXTRA,
            (
                [
                    m["reference"],
                    m["title"],
                    m["description"],
                    "; ".join(m_themes.get(m["pk"], [])),
                    types.get(m["measure_type"]),
                    mkinds.get(m["kind"]),
                    "; ".join(m_goals.get(m["pk"], [])),
                    ", ".join(m_principles.get(m["pk"], [])),
                    ", ".join(m_risks.get(m["pk"], [])),
                    m["owner"],
                    statuses.get(m["status"]),
                    _d(m["deadline"]),
                    m["cost_once"],
                    m["cost_yearly"],
                    m["side_effects"],
                    ", ".join(m_bio2.get(m["pk"], [])),
                    m["bio2_unmatched"],
                ]
                for m in measures.order_by("reference", "id").values(*measure_fields).iterator()
            ),
            widths={1: 40, 2: 60},
        ),
        Sheet(
            _("Dreigingen"),
            [_("Herkomst"), _("Naam"), _("Moedwillig"), _("Thema's"), _("Beschrijving")],
            [
                *(
                    [_("catalogus"), t.name, yes if t.deliberate else no, _names(t.themes.all()), t.description]
                    for t in Threat.objects.prefetch_related("themes")
                ),
                *(
                    [_("eigen"), t.name, yes if t.deliberate else no, _names(t.themes.all()), t.description]
                    for t in own_threats
                ),
            ],
            widths={1: 40, 4: 80},
        ),
        Sheet(
            _("Conflicten"),
            [_("Maatregel"), _("Botst met"), _("Waar schuurt het?"), _("Oplossing"), _("Status")],
            (
                [str(c.measure_a), str(c.measure_b), c.description, c.resolution, c.get_state_display()]
                for c in conflicts
            ),
            widths={0: 40, 1: 40, 2: 60, 3: 60},
        ),
    ]
    return build_workbook(sheets)


def import_template() -> bytes:
    themes = ", ".join(Theme.objects.order_by("order").values_list("name", flat=True))
    goals = ", ".join(SecurityGoal.objects.order_by("order").values_list("name", flat=True))
    notes = [
        _("Vul per blad één regel per bedrijfsmiddel, risico of maatregel in. Laat de kopregel staan."),
        _("Een regel met een bestaand kenmerk werkt dat gegeven bij; zonder kenmerk wordt een nieuw gegeven gemaakt."),
        _("Verwijs naar bedrijfsmiddelen en risico's met hun kenmerk, gescheiden door komma's (BM-001, BM-002)."),
        _(
            "BIO2-maatregelen: de nummers van overheidsmaatregelen uit de BIO2, "
            "gescheiden door komma's (5.15.01, 8.13.01)."
        ),
        _("Thema's: %(themes)s.") % {"themes": themes},
        _("Doelen: %(goals)s.") % {"goals": goals},
        _("Uitgangspunten: de korte namen uit de kennisbank, bijvoorbeeld beleid-proportioneel."),
        _("Kans en impact: een getal op de schaal van uw risicomatrix (standaard 1 tot en met 5)."),
        _("Datums als 2026-03-31 of 31-3-2026; bedragen in euro's, bijvoorbeeld 1.250,00."),
        _("Vul waarden in, geen formules: een formule zonder berekende waarde kan niet worden ingelezen."),
        _("Per blad kunt u ten hoogste %(max)s regels tegelijk inlezen.") % {"max": max_rows_per_sheet()},
        _("Bij één fout wordt niets ingelezen; u krijgt dan alle fouten per blad, regel en kolom te zien."),
    ]
    return build_workbook(
        [
            Sheet(
                ASSET_SHEET,
                ASSET_COLUMNS,
                choices={2: [str(label) for label in Asset.Kind.labels], 3: [str(x) for x in Asset.Criticality.labels]},
                notes=notes,
            ),
            Sheet(RISK_SHEET, RISK_COLUMNS, choices={10: [str(x) for x in Risk.Treatment.labels]}),
            Sheet(
                MEASURE_SHEET,
                MEASURE_COLUMNS,
                choices={
                    4: [str(x) for x in Measure.Type.labels],
                    5: [str(x) for x in Measure.Kind.labels],
                    10: [str(x) for x in Measure.Status.labels],
                },
            ),
        ]
    )


# --- Import --------------------------------------------------------------------------------


class ImportRejected(Exception):
    """The file was rejected; ``errors`` lists (sheet, row, column, message), nothing was written."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _rejected(message: str, sheet: str = "") -> ImportRejected:
    return ImportRejected([{"sheet": sheet, "row": "", "column": "", "message": message}])


class _ThreatColumn(ImportColumn):
    """A threat by name or slug: the municipality's own threats first, then the national catalogue."""

    def __init__(self, header, *, own: dict, catalogue: dict):
        super().__init__(header, "threat")
        self.own, self.catalogue = own, catalogue

    def clean(self, value, previous):
        key = str(value).strip().lower()
        found = self.own.get(key) or self.catalogue.get(key)
        if found is None:
            raise ValueError(_("Onbekende dreiging: %(v)s.") % {"v": echo(value)})
        return found

    def assign(self, value, target):
        target["threat"] = value if isinstance(value, Threat) else None
        target["local_threat"] = value if isinstance(value, LocalThreat) else None


class _Bio2Column(ImportColumn):
    """BIO2 numbers (``5.15.01``, also ``5.15.1``), separated by commas: government measures only.

    A number the BIO2 moved, withdrew or that has no government measure is refused with the
    reason, so the row is corrected rather than the number silently dropped.
    """

    def __init__(self, header, field, *, catalogue: dict):
        super().__init__(header, field, default=[])
        self.catalogue = catalogue

    def clean(self, value, previous):
        found, problems = [], []
        for word in bio2.split(str(value)):
            number = bio2.normalise(word)
            entry = self.catalogue.get(number) if number else None
            if entry is None:
                problems.append(_("Onbekend BIO2-nummer: %(v)s.") % {"v": echo(word)})
            elif entry.status == Bio2Measure.Status.MOVED:
                problems.append(
                    _("BIO2-nummer %(v)s is verplaatst naar %(to)s; gebruik dat nummer.")
                    % {"v": number, "to": entry.moved_to}
                )
            elif entry.status != Bio2Measure.Status.MEASURE:
                problems.append(
                    _("BIO2-nummer %(v)s is geen overheidsmaatregel (%(status)s).")
                    % {"v": number, "status": entry.get_status_display()}
                )
            elif entry.pk not in found:
                found.append(entry.pk)
        if problems:
            raise ValidationError(problems)
        return found


class _Context:
    """What the columns look up, loaded once per import; reference maps grow sheet by sheet."""

    def __init__(self, organisation: Organisation):
        self.themes, self.goals = {}, {}
        for t in Theme.objects.all():
            self.themes[t.name.lower()] = t.pk
            self.themes[t.slug.lower()] = t.pk
        for g in SecurityGoal.objects.all():
            self.goals[g.name.lower()] = g.pk
            self.goals[g.slug.lower()] = g.pk
        self.principles = {p.slug.lower(): p.pk for p in Principle.objects.only("id", "slug")}
        self.threats = {}
        for t in Threat.objects.all():
            self.threats[t.slug.lower()] = t
            self.threats[t.name.lower()] = t
        self.own_threats = {t.name.lower(): t for t in LocalThreat.objects.filter(organisation=organisation)}
        self.bio2 = {b.number: b for b in Bio2Measure.objects.only("id", "number", "status", "moved_to")}
        self.scale = scale_for(organisation)
        # lower-case reference -> (reference, pk of an existing row or None for a row of this file)
        self.refs: dict = {}
        for model in (Asset, Risk, Measure):
            self.refs[model] = {
                ref.lower(): (ref, pk)
                for pk, ref in model.objects.filter(organisation=organisation)
                .exclude(reference="")
                .values_list("pk", "reference")
            }
        # What reference columns accept: lower-case reference -> reference, rows of this file included.
        self.asset_refs = {k: ref for k, (ref, _pk) in self.refs[Asset].items()}
        self.risk_refs = {k: ref for k, (ref, _pk) in self.refs[Risk].items()}


def _text(header, field, **kwargs):
    return TextColumn(header, field, max_length=200, **kwargs)


def _specs(ctx: _Context) -> dict[type, SheetSpec]:
    scale = ctx.scale
    return {
        Asset: SheetSpec(
            ASSET_SHEET,
            [
                TextColumn("Kenmerk", "reference", max_length=20),
                _text("Naam", "name", required=True, empty_message=_("Vul een naam in.")),
                ChoiceColumn(
                    "Soort",
                    "kind",
                    choices=Asset.Kind.choices,
                    default=Asset.Kind.OTHER,
                    unknown_message=_("Onbekende soort: %(v)s."),
                ),
                ChoiceColumn(
                    "Belang",
                    "criticality",
                    choices=Asset.Criticality.choices,
                    default=Asset.Criticality.MEDIUM,
                    unknown_message=_("Onbekend belang: %(v)s."),
                ),
                _text("Locatie", "location"),
                _text("Eigenaar", "owner"),
                TextColumn("Omschrijving", "description", multiline=True),
            ],
        ),
        Risk: SheetSpec(
            RISK_SHEET,
            [
                TextColumn("Kenmerk", "reference", max_length=20),
                _text("Titel", "title", required=True, empty_message=_("Vul een titel in.")),
                _ThreatColumn("Dreiging", own=ctx.own_threats, catalogue=ctx.threats),
                TextColumn("Scenario", "scenario", multiline=True),
                ReferenceListColumn(
                    "Bedrijfsmiddelen",
                    "assets",
                    mapping=ctx.asset_refs,
                    commas_in_names=False,
                    unknown_message=_("Onbekend bedrijfsmiddel: %(v)s."),
                ),
                ReferenceListColumn(
                    "Thema's",
                    "themes",
                    mapping=ctx.themes,
                    required=True,
                    empty_message=_("Kies minstens één thema."),
                    unknown_message=_("Onbekend thema: %(v)s."),
                ),
                IntegerColumn(
                    "Bruto kans", "inherent_likelihood", required=True, minimum=1, maximum=scale.likelihood_levels
                ),
                IntegerColumn("Bruto impact", "inherent_impact", required=True, minimum=1, maximum=scale.impact_levels),
                IntegerColumn("Netto kans", "residual_likelihood", minimum=1, maximum=scale.likelihood_levels),
                IntegerColumn("Netto impact", "residual_impact", minimum=1, maximum=scale.impact_levels),
                ChoiceColumn(
                    "Besluit",
                    "treatment",
                    choices=Risk.Treatment.choices,
                    default=Risk.Treatment.REDUCE,
                    unknown_message=_("Onbekend besluit: %(v)s."),
                ),
                _text("Geaccepteerd door", "accepted_by"),
                DateColumn("Geaccepteerd tot", "accepted_until"),
                _text("Eigenaar", "owner"),
                DateColumn("Herbeoordelen op", "review_date"),
            ],
        ),
        Measure: SheetSpec(
            MEASURE_SHEET,
            [
                TextColumn("Kenmerk", "reference", max_length=20),
                _text("Titel", "title", required=True, empty_message=_("Vul een titel in.")),
                TextColumn("Omschrijving", "description", multiline=True),
                ReferenceListColumn(
                    "Thema's",
                    "themes",
                    mapping=ctx.themes,
                    required=True,
                    empty_message=_("Kies minstens één thema."),
                    unknown_message=_("Onbekend thema: %(v)s."),
                ),
                ChoiceColumn("Type", "measure_type", choices=Measure.Type.choices, default=Measure.Type.PREVENTIVE),
                ChoiceColumn("Soort", "kind", choices=Measure.Kind.choices, default=Measure.Kind.ORGANISATIONAL),
                ReferenceListColumn("Doelen", "goals", mapping=ctx.goals, unknown_message=_("Onbekend doel: %(v)s.")),
                ReferenceListColumn(
                    "Uitgangspunten",
                    "principles",
                    mapping=ctx.principles,
                    unknown_message=_("Onbekend uitgangspunt: %(v)s."),
                ),
                ReferenceListColumn(
                    "Risico's",
                    "risks",
                    mapping=ctx.risk_refs,
                    commas_in_names=False,
                    unknown_message=_("Onbekend risico: %(v)s."),
                ),
                _text("Eigenaar", "owner"),
                ChoiceColumn("Status", "status", choices=Measure.Status.choices, default=Measure.Status.PLANNED),
                DateColumn("Deadline", "deadline"),
                MoneyColumn("Eenmalige kosten", "cost_once"),
                MoneyColumn("Jaarlijkse kosten", "cost_yearly"),
                TextColumn("Neveneffecten", "side_effects", multiline=True),
                _Bio2Column("BIO2-maatregelen", "bio2_measures", catalogue=ctx.bio2),
            ],
        ),
    }


# Per register: its prepare service, the keyword argument of the existing row, the link to rows
# of an earlier sheet (which may be created by this same file) and the model that link points to.
_REGISTERS = {
    Asset: (services.asset_prepare, "asset", None, None),
    Risk: (services.risk_prepare, "risk", "assets", Asset),
    Measure: (services.measure_prepare, "measure", "risks", Risk),
}


class _Row:
    __slots__ = ("number", "prepared", "before", "new_links")

    def __init__(self, number, prepared, before, new_links):
        self.number = number
        self.prepared = prepared  # services.Prepared: the unsaved instance and its m2m ids
        self.before = before  # audit snapshot of an existing row, None for a new one
        self.new_links = new_links  # references of rows that this file creates


def _m2m_fields(model) -> list:
    return list(model._meta.many_to_many)


def _current_links(model, pks) -> dict[str, dict[int, set[int]]]:
    """{m2m field name: {pk: set of linked ids}} for existing rows, one query per field."""
    out = {}
    for f in _m2m_fields(model):
        through = f.remote_field.through
        src, dst = f.m2m_column_name(), f.m2m_reverse_name()
        links: dict[int, set[int]] = {}
        if pks:
            for a, b in through.objects.filter(**{f"{src}__in": pks}).values_list(src, dst).iterator():
                links.setdefault(a, set()).add(b)
        out[f.name] = links
    return out


def _audit_state(instance, links: dict[str, list]) -> dict:
    state = audit.snapshot(instance)
    for name, ids in links.items():
        state[name] = sorted(str(i) for i in ids)
    return state


def _prepare_sheet(model, spec: SheetSpec, read: SheetRead, ctx: _Context, errors: ImportErrors, base: dict):
    """Check every row of one sheet (no writes); returns the rows to write."""
    prepare, instance_arg, link_field, link_model = _REGISTERS[model]
    refs = ctx.refs[model]
    cleaned = []
    seen: dict[str, int] = {}
    for record in read.records:
        kwargs = clean_record(spec, record, errors)
        ref = (kwargs or {}).get("reference") or str(record.values.get("Kenmerk") or "").strip()
        if ref:
            if ref.lower() in seen:
                errors.add(
                    spec.title,
                    record.number,
                    "Kenmerk",
                    _("Het kenmerk %(ref)s staat ook op regel %(row)s.") % {"ref": ref, "row": seen[ref.lower()]},
                )
                continue
            seen[ref.lower()] = record.number
        if kwargs is not None:
            cleaned.append((record.number, kwargs))
    # References for new rows without one, skipping those that rows further down the file choose.
    allocator = services.ReferenceAllocator(model, base["organisation"])
    chosen = {ref for _k, (ref, _pk) in refs.items()} | {k.upper() for k in seen} | set(seen)
    existing = {}
    wanted = [refs[kw["reference"].lower()][1] for _n, kw in cleaned if kw["reference"].lower() in refs]
    if wanted:
        existing = model.objects.filter(organisation=base["organisation"]).in_bulk(wanted)
    current = _current_links(model, list(existing))
    for _number, kwargs in cleaned:
        key = kwargs["reference"].lower()
        if key in refs:
            kwargs["reference"] = refs[key][0]
        elif not key:
            kwargs["reference"] = allocator.next(chosen)
            chosen.add(kwargs["reference"])
    # Later sheets may refer to every row of this one.
    mapping = ctx.asset_refs if model is Asset else ctx.risk_refs if model is Risk else None
    if mapping is not None:
        for _number, kwargs in cleaned:
            mapping.setdefault(kwargs["reference"].lower(), kwargs["reference"])
        for key in seen:  # rows with a wrong cell too: their own errors are reported, not "unknown"
            mapping.setdefault(key, key.upper())

    rows, taken = [], set()
    for number, kwargs in cleaned:
        instance = None
        entry = refs.get(kwargs["reference"].lower())
        if entry is not None:
            instance = existing.get(entry[1])
        before = None
        if instance is not None:
            before = _audit_state(instance, {n: current[n].get(instance.pk, ()) for n in current})
        new_links = []
        if link_field is not None:
            linked = ctx.refs[link_model]
            ids = []
            for ref in kwargs[link_field]:
                pk = linked.get(ref.lower(), (None, None))[1]
                if pk is None:
                    new_links.append(ref)
                else:
                    ids.append(pk)
            kwargs[link_field] = ids
        try:
            prepared = prepare(**base, **kwargs, **{instance_arg: instance}, taken=taken)
        except ValidationError as e:
            errors.add_validation_error(spec.title, number, e, spec.column_of)
            continue
        except PermissionDenied:
            errors.add(
                spec.title,
                number,
                "",
                _("U mag deze regel niet inlezen: uw rol staat dit niet toe, of de thema's vallen buiten uw thema's."),
            )
            continue
        rows.append(_Row(number, prepared, before, new_links))
    return rows


class _Stale(Exception):
    """A row changed or disappeared between checking and writing; the transaction rolls back."""


def _write_sheet(model, rows: list[_Row], ctx: _Context) -> None:
    """Write one sheet's checked rows in bulk, with their links and audit entries."""
    _prepare, _arg, link_field, link_model = _REGISTERS[model]
    new = [r.prepared.instance for r in rows if r.prepared.instance.pk is None]
    model.objects.bulk_create(new, batch_size=500)
    missing = [obj for obj in new if obj.pk is None]
    if missing:  # databases that do not return ids from a bulk insert
        pks = dict(
            model.objects.filter(
                organisation_id=missing[0].organisation_id, reference__in=[o.reference for o in missing]
            ).values_list("reference", "pk")
        )
        for obj in missing:
            obj.pk = pks[obj.reference]
    refs = ctx.refs[model]
    for obj in new:
        refs[obj.reference.lower()] = (obj.reference, obj.pk)

    # The links each row should have: the prepared ids plus rows this file created on an earlier sheet.
    linked_refs = ctx.refs[link_model] if link_model is not None else {}
    for r in rows:
        if link_field is not None and r.new_links:
            wanted = set(r.prepared.m2m.get(link_field, ())) | {linked_refs[ref.lower()][1] for ref in r.new_links}
            r.prepared.m2m[link_field] = sorted(wanted)

    # Existing rows that change (a field or a link), compared as the audit signals compare them.
    changed = [
        r for r in rows if r.before is not None and _audit_state(r.prepared.instance, r.prepared.m2m) != r.before
    ]
    field_names = {f.name for f in model._meta.concrete_fields}
    if changed and "revision" in field_names:
        # Optimistic locking, as for a single save: a row someone saved after it was checked is not
        # overwritten; the whole import is refused instead.
        rows_now = model.objects.filter(pk__in=[r.prepared.instance.pk for r in changed])
        if connection.features.has_select_for_update:
            rows_now = rows_now.select_for_update()
        revisions = dict(rows_now.values_list("pk", "revision"))
        for r in changed:
            obj = r.prepared.instance
            if revisions.get(obj.pk) != obj.revision:
                raise _Stale(obj)
            obj.revision += 1
    if changed:
        now = timezone.now()
        for r in changed:
            r.prepared.instance.updated_at = now
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("organisation", "created_at")
        ]
        model.objects.bulk_update([r.prepared.instance for r in changed], fields, batch_size=500)

    existing_pks = [r.prepared.instance.pk for r in rows if r.before is not None]
    current = _current_links(model, existing_pks)
    for f in _m2m_fields(model):
        through = f.remote_field.through
        src, dst = f.m2m_column_name(), f.m2m_reverse_name()
        add, remove = [], []
        for r in rows:
            pk = r.prepared.instance.pk
            wanted = set(r.prepared.m2m.get(f.name, ()))
            have = current[f.name].get(pk, set())
            add.extend(through(**{src: pk, dst: i}) for i in sorted(wanted - have))
            if have - wanted:
                remove.append((pk, have - wanted))
        through.objects.bulk_create(add, batch_size=1000)
        for pk, ids in remove:
            through.objects.filter(**{src: pk, f"{dst}__in": ids}).delete()
    changed_rows = set(changed)
    audit.record_bulk(
        (r.prepared.instance, r.before, _audit_state(r.prepared.instance, r.prepared.m2m))
        for r in rows
        if r.before is None or r in changed_rows
    )


def import_register(*, organisation: Organisation, membership: Membership, upload) -> dict:
    """Read assets, risks and measures from an uploaded workbook: all rows, or none.

    Returns the rows read per register (``assets``, ``risks``, ``measures``) and ``summary``,
    a Dutch sentence with the rows read and the empty rows skipped per sheet.
    """
    try:
        wb = open_upload(upload)
    except UploadRejected as e:
        raise _rejected(e.message)
    formulas = None
    try:
        formulas = open_upload(upload, data_only=False)
        max_rows = max_rows_per_sheet()
        reads: dict = {}
        for model, title in ((Asset, ASSET_SHEET), (Risk, RISK_SHEET), (Measure, MEASURE_SHEET)):
            read = read_sheet(wb, title, formulas=formulas, max_rows=max_rows)
            if read is not None and read.too_many:
                raise _rejected(too_many_rows(title, max_rows), title)
            reads[model] = read
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
    if all(read is None for read in reads.values()):
        raise _rejected(_("Het bestand bevat geen blad Bedrijfsmiddelen, Risico's of Maatregelen."))

    ctx = _Context(organisation)
    specs = _specs(ctx)
    errors = ImportErrors()
    for model, read in reads.items():
        if read is not None:
            specs[model].check_headers(read, errors)
    if errors:
        raise ImportRejected(errors.as_list())

    base = {"organisation": organisation, "membership": membership}
    prepared: dict = {}
    for model, read in reads.items():
        if read is None:
            continue
        extra = {"scale": ctx.scale} if model is Risk else {}
        prepared[model] = _prepare_sheet(model, specs[model], read, ctx, errors, base | extra)
    if errors:
        raise ImportRejected(errors.as_list())

    try:
        with transaction.atomic():
            for model, rows in prepared.items():
                _write_sheet(model, rows, ctx)
            overlap_summary.invalidate(organisation.pk)  # bulk writes send no signals
    except (IntegrityError, _Stale):
        raise _rejected(
            _(
                "Het register is tijdens het inlezen door iemand anders gewijzigd. "
                "Er is niets opgeslagen; probeer het opnieuw."
            )
        )
    result = {
        key: len(prepared.get(model, ())) for key, model in (("assets", Asset), ("risks", Risk), ("measures", Measure))
    }
    result["summary"] = summary(read for read in reads.values() if read is not None)
    return result

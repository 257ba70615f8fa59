"""The register in Excel: export of every register, and an all-or-nothing import.

The import reads the sheets *Bedrijfsmiddelen*, *Risico's* and *Maatregelen* (the template
has them). A row with a known Kenmerk updates that item, any other row creates one. Every row
goes through the same services as the web forms, inside one transaction; when any row fails,
the transaction is rolled back and the user gets every error by sheet, row and column.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership, Organisation
from weerbaar.documents.excel import (
    XLSX_CONTENT_TYPE,
    Sheet,
    UploadRejected,
    as_date,
    as_decimal,
    as_int,
    as_list,
    build_workbook,
    open_upload,
    read_sheet,
)
from weerbaar.knowledge.models import Principle, SecurityGoal, Theme

from . import services
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
REQUIRED = {
    ASSET_SHEET: ["Naam"],
    RISK_SHEET: ["Titel", "Thema's", "Bruto kans", "Bruto impact"],
    MEASURE_SHEET: ["Titel", "Thema's"],
}

FIELD_COLUMNS = {
    "reference": "Kenmerk",
    "name": "Naam",
    "kind": "Soort",
    "criticality": "Belang",
    "location": "Locatie",
    "owner": "Eigenaar",
    "description": "Omschrijving",
    "title": "Titel",
    "threat": "Dreiging",
    "scenario": "Scenario",
    "assets": "Bedrijfsmiddelen",
    "themes": "Thema's",
    "inherent_likelihood": "Bruto kans",
    "inherent_impact": "Bruto impact",
    "residual_likelihood": "Netto kans",
    "residual_impact": "Netto impact",
    "treatment": "Besluit",
    "accepted_by": "Geaccepteerd door",
    "accepted_until": "Geaccepteerd tot",
    "review_date": "Herbeoordelen op",
    "measure_type": "Type",
    "goals": "Doelen",
    "principles": "Uitgangspunten",
    "risks": "Risico's",
    "status": "Status",
    "deadline": "Deadline",
    "cost_once": "Eenmalige kosten",
    "cost_yearly": "Jaarlijkse kosten",
    "side_effects": "Neveneffecten",
    "bio2_refs": "BIO2-maatregelen",
}


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
        "cost_once", "cost_yearly", "side_effects", "bio2_refs",
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
            MEASURE_COLUMNS,
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
                    m["bio2_refs"],
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
        _("Thema's: %(themes)s.") % {"themes": themes},
        _("Doelen: %(goals)s.") % {"goals": goals},
        _("Uitgangspunten: de korte namen uit de kennisbank, bijvoorbeeld beleid-proportioneel."),
        _("Kans en impact: een getal op de schaal van uw risicomatrix (standaard 1 tot en met 5)."),
        _("Datums als 2026-03-31 of 31-3-2026; bedragen in euro's, bijvoorbeeld 1250,00."),
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


class _Rows:
    def __init__(self):
        self.errors: list[dict] = []

    def error(self, sheet, row, column, message):
        self.errors.append({"sheet": sheet, "row": row, "column": column or "", "message": str(message)})


def _choice(value, choices, *, by_value=True):
    """Match a cell to a TextChoices/IntegerChoices by label or value, case-insensitively."""
    if value is None:
        return None
    text = str(value).strip().lower()
    for key, label in choices:
        if text == str(label).lower() or (by_value and text == str(key).lower()):
            return key
    raise ValueError(value)


class _Lookup:
    """Name/slug lookups for themes, goals, principles and threats, loaded once."""

    def __init__(self, organisation):
        self.themes = {}
        for t in Theme.objects.all():
            self.themes[t.name.lower()] = t.pk
            self.themes[t.slug.lower()] = t.pk
        self.goals = {}
        for g in SecurityGoal.objects.all():
            self.goals[g.name.lower()] = g.pk
            self.goals[g.slug.lower()] = g.pk
        self.principles = {p.slug.lower(): p.pk for p in Principle.objects.only("id", "slug")}
        self.threats = {t.name.lower(): t for t in Threat.objects.all()}
        self.threats |= {t.slug.lower(): t for t in Threat.objects.all()}
        self.own_threats = {t.name.lower(): t for t in LocalThreat.objects.filter(organisation=organisation)}

    @staticmethod
    def many(mapping, value) -> tuple[list[int], list[str]]:
        """Names separated by semicolons, or by commas where a name itself has none."""
        if value is None:
            return [], []
        text = str(value)
        parts = [p.strip() for p in text.split(";")] if ";" in text else [p.strip() for p in text.split(",")]
        found, missing, pending = [], [], ""
        for part in filter(None, parts):
            candidate = f"{pending}, {part}" if pending else part
            pk = mapping.get(candidate.lower())
            if pk:
                found.append(pk)
                pending = ""
            else:
                pending = candidate
        if pending:
            missing.append(pending)
        return found, missing


def import_register(*, organisation: Organisation, membership: Membership, upload) -> dict:
    """Read assets, risks and measures from an uploaded workbook: all rows, or none."""
    try:
        wb = open_upload(upload)
    except UploadRejected as e:
        raise ImportRejected([{"sheet": "", "row": "", "column": "", "message": e.message}])
    try:
        sheets = {name: read_sheet(wb, name) for name in (ASSET_SHEET, RISK_SHEET, MEASURE_SHEET)}
        if all(v is None for v in sheets.values()):
            raise ImportRejected(
                [
                    {
                        "sheet": "",
                        "row": "",
                        "column": "",
                        "message": _("Het bestand bevat geen blad Bedrijfsmiddelen, Risico's of Maatregelen."),
                    }
                ]
            )
        rows = _Rows()
        for name, parsed in sheets.items():
            if parsed is None:
                continue
            headers, _it = parsed
            for col in REQUIRED[name]:
                if col not in headers:
                    rows.error(name, 1, col, _("Deze kolom ontbreekt in de kopregel."))
        if rows.errors:
            raise ImportRejected(rows.errors)
        counts = {"assets": 0, "risks": 0, "measures": 0}
        with transaction.atomic():  # raising inside rolls back every row, audit entries included
            _import_all(organisation, membership, sheets, rows, counts)
            if rows.errors:
                raise ImportRejected(rows.errors)
        return counts
    finally:
        wb.close()


def _service_call(rows: _Rows, sheet: str, number: int, func, **kwargs):
    """Run one row's service inside a savepoint; errors are collected, not raised."""
    try:
        with transaction.atomic():
            return func(**kwargs)
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            for field, errs in e.message_dict.items():
                for msg in errs:
                    rows.error(sheet, number, FIELD_COLUMNS.get(field, ""), msg)
        else:
            for msg in e.messages:
                rows.error(sheet, number, "", msg)
    except PermissionDenied:
        rows.error(
            sheet,
            number,
            "",
            _("U mag deze regel niet inlezen: uw rol staat dit niet toe, of de thema's vallen buiten uw thema's."),
        )
    return None


def _import_all(organisation, membership, sheets, rows: _Rows, counts: dict) -> None:
    lookup = _Lookup(organisation)
    scale = scale_for(organisation)
    assets_by_ref = {
        a.reference.lower(): a for a in Asset.objects.filter(organisation=organisation).exclude(reference="")
    }
    risks_by_ref = {
        r.reference.lower(): r
        for r in Risk.objects.filter(organisation=organisation).exclude(reference="").prefetch_related("themes")
    }
    measures_by_ref = {
        m.reference.lower(): m
        for m in Measure.objects.filter(organisation=organisation).exclude(reference="").prefetch_related("themes")
    }

    if sheets[ASSET_SHEET] is not None:
        allocator = services.ReferenceAllocator(Asset, organisation)
        for number, row in sheets[ASSET_SHEET][1]:
            s = ASSET_SHEET
            errors_before = len(rows.errors)
            kwargs = {"organisation": organisation, "membership": membership, "allocator": allocator}
            ref = str(row.get("Kenmerk") or "").strip()
            kwargs["asset"] = assets_by_ref.get(ref.lower()) if ref else None
            kwargs["reference"] = ref
            if not row.get("Naam"):
                rows.error(s, number, "Naam", _("Vul een naam in."))
            kwargs["name"] = str(row.get("Naam") or "")
            try:
                kwargs["kind"] = _choice(row.get("Soort"), Asset.Kind.choices) or Asset.Kind.OTHER
            except ValueError:
                rows.error(s, number, "Soort", _("Onbekende soort: %(v)s.") % {"v": row.get("Soort")})
            try:
                kwargs["criticality"] = _choice(row.get("Belang"), Asset.Criticality.choices) or 2
            except ValueError:
                rows.error(s, number, "Belang", _("Onbekend belang: %(v)s.") % {"v": row.get("Belang")})
            for col, key in (("Locatie", "location"), ("Eigenaar", "owner"), ("Omschrijving", "description")):
                kwargs[key] = str(row.get(col) or "")
            if len(rows.errors) > errors_before:
                continue
            asset = _service_call(rows, s, number, services.asset_save, **kwargs)
            if asset is not None:
                assets_by_ref[asset.reference.lower()] = asset
                counts["assets"] += 1

    if sheets[RISK_SHEET] is not None:
        allocator = services.ReferenceAllocator(Risk, organisation)
        for number, row in sheets[RISK_SHEET][1]:
            s = RISK_SHEET
            errors_before = len(rows.errors)
            ref = str(row.get("Kenmerk") or "").strip()
            kwargs = {
                "organisation": organisation,
                "membership": membership,
                "allocator": allocator,
                "scale": scale,
                "risk": risks_by_ref.get(ref.lower()) if ref else None,
                "reference": ref,
                "title": str(row.get("Titel") or ""),
                "scenario": str(row.get("Scenario") or ""),
                "owner": str(row.get("Eigenaar") or ""),
                "accepted_by": str(row.get("Geaccepteerd door") or ""),
            }
            if not row.get("Titel"):
                rows.error(s, number, "Titel", _("Vul een titel in."))
            themes, missing = lookup.many(lookup.themes, row.get("Thema's"))
            for m in missing:
                rows.error(s, number, "Thema's", _("Onbekend thema: %(v)s.") % {"v": m})
            if not themes and not missing:
                rows.error(s, number, "Thema's", _("Kies minstens één thema."))
            kwargs["themes"] = themes
            threat_name = row.get("Dreiging")
            kwargs["threat"] = kwargs["local_threat"] = None
            if threat_name:
                key = str(threat_name).strip().lower()
                if key in lookup.own_threats:
                    kwargs["local_threat"] = lookup.own_threats[key]
                elif key in lookup.threats:
                    kwargs["threat"] = lookup.threats[key]
                else:
                    rows.error(s, number, "Dreiging", _("Onbekende dreiging: %(v)s.") % {"v": threat_name})
            asset_ids = []
            for part in as_list(row.get("Bedrijfsmiddelen")):
                asset = assets_by_ref.get(part.lower())
                if asset is None:
                    rows.error(s, number, "Bedrijfsmiddelen", _("Onbekend bedrijfsmiddel: %(v)s.") % {"v": part})
                else:
                    asset_ids.append(asset.pk)
            kwargs["assets"] = asset_ids
            for col, key, required in (
                ("Bruto kans", "inherent_likelihood", True),
                ("Bruto impact", "inherent_impact", True),
                ("Netto kans", "residual_likelihood", False),
                ("Netto impact", "residual_impact", False),
            ):
                try:
                    kwargs[key] = as_int(row.get(col))
                except ValueError:
                    rows.error(s, number, col, _("Geef een heel getal, bijvoorbeeld 3."))
                    continue
                if required and kwargs[key] is None:
                    rows.error(s, number, col, _("Vul een waarde in."))
            try:
                kwargs["treatment"] = _choice(row.get("Besluit"), Risk.Treatment.choices) or Risk.Treatment.REDUCE
            except ValueError:
                rows.error(s, number, "Besluit", _("Onbekend besluit: %(v)s.") % {"v": row.get("Besluit")})
            for col, key in (("Geaccepteerd tot", "accepted_until"), ("Herbeoordelen op", "review_date")):
                try:
                    kwargs[key] = as_date(row.get(col))
                except ValueError:
                    rows.error(s, number, col, _("Geen geldige datum: %(v)s.") % {"v": row.get(col)})
            if len(rows.errors) > errors_before:
                continue
            risk = _service_call(rows, s, number, services.risk_save, **kwargs)
            if risk is not None:
                risks_by_ref[risk.reference.lower()] = risk
                counts["risks"] += 1

    if sheets[MEASURE_SHEET] is not None:
        allocator = services.ReferenceAllocator(Measure, organisation)
        for number, row in sheets[MEASURE_SHEET][1]:
            s = MEASURE_SHEET
            errors_before = len(rows.errors)
            ref = str(row.get("Kenmerk") or "").strip()
            kwargs = {
                "organisation": organisation,
                "membership": membership,
                "allocator": allocator,
                "measure": measures_by_ref.get(ref.lower()) if ref else None,
                "reference": ref,
                "title": str(row.get("Titel") or ""),
                "description": str(row.get("Omschrijving") or ""),
                "owner": str(row.get("Eigenaar") or ""),
                "side_effects": str(row.get("Neveneffecten") or ""),
                "bio2_refs": str(row.get("BIO2-maatregelen") or ""),
            }
            if not row.get("Titel"):
                rows.error(s, number, "Titel", _("Vul een titel in."))
            for col, mapping, key, label in (
                ("Thema's", lookup.themes, "themes", _("Onbekend thema: %(v)s.")),
                ("Doelen", lookup.goals, "goals", _("Onbekend doel: %(v)s.")),
                ("Uitgangspunten", lookup.principles, "principles", _("Onbekend uitgangspunt: %(v)s.")),
            ):
                found, missing = lookup.many(mapping, row.get(col))
                for m in missing:
                    rows.error(s, number, col, label % {"v": m})
                kwargs[key] = found
            if not kwargs["themes"] and not as_list(row.get("Thema's")):
                rows.error(s, number, "Thema's", _("Kies minstens één thema."))
            risk_ids = []
            for part in as_list(row.get("Risico's")):
                risk = risks_by_ref.get(part.lower())
                if risk is None:
                    rows.error(s, number, "Risico's", _("Onbekend risico: %(v)s.") % {"v": part})
                else:
                    risk_ids.append(risk.pk)
            kwargs["risks"] = risk_ids
            for col, key, choices, default in (
                ("Type", "measure_type", Measure.Type.choices, Measure.Type.PREVENTIVE),
                ("Soort", "kind", Measure.Kind.choices, Measure.Kind.ORGANISATIONAL),
                ("Status", "status", Measure.Status.choices, Measure.Status.PLANNED),
            ):
                try:
                    kwargs[key] = _choice(row.get(col), choices) or default
                except ValueError:
                    rows.error(s, number, col, _("Onbekende waarde: %(v)s.") % {"v": row.get(col)})
            try:
                kwargs["deadline"] = as_date(row.get("Deadline"))
            except ValueError:
                rows.error(s, number, "Deadline", _("Geen geldige datum: %(v)s.") % {"v": row.get("Deadline")})
            for col, key in (("Eenmalige kosten", "cost_once"), ("Jaarlijkse kosten", "cost_yearly")):
                try:
                    kwargs[key] = as_decimal(row.get(col))
                except ValueError:
                    rows.error(s, number, col, _("Geen geldig bedrag: %(v)s.") % {"v": row.get(col)})
            if len(rows.errors) > errors_before:
                continue
            measure = _service_call(rows, s, number, services.measure_save, **kwargs)
            if measure is not None:
                measures_by_ref[measure.reference.lower()] = measure
                counts["measures"] += 1

"""A realistic register for Demostad, read from ``content/demo_register.yaml``.

The assets, risks and measures go through the register's Excel import
(:func:`weerbaar.risks.excel.import_register`): the content is written to a workbook in memory
and read back like an upload, so every ``make run`` exercises the import path. Own threats, the
matrix labels and the conflict, which the workbook does not hold, go through the services.

Idempotent: items are matched by reference (BM-001, R-001, M-001) and only missing ones are
created, so re-running keeps whatever a user changed in the demo. The content includes some
overlaps (measures of different themes on the same risk and goal), risks above the acceptance
level without measures, and one recorded conflict (strict access control against the open
town hall).
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.documents.excel import Sheet, build_workbook
from weerbaar.knowledge.models import Bio2Measure, Principle, SecurityGoal, Theme
from weerbaar.soa.catalogue import load_catalogue as load_bio2_catalogue

from . import excel, services
from .content import load_threats
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk, RiskMatrix
from .thread import principle_key, thread_for

CONTENT = Path(__file__).parent / "content" / "demo_register.yaml"
NOTHING = {"assets": 0, "risks": 0, "measures": 0}


class DemoContentError(Exception):
    """The demo content does not import; the message lists the importer's errors."""


@cache
def demo_register() -> dict:
    with CONTENT.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _deadline(today: datetime.date, years: int) -> datetime.date:
    return datetime.date(today.year + years, 6 if years % 2 else 11, 30)


def _asset_row(a: dict) -> list:
    return [a["reference"], a["name"], a["kind"], a["criticality"], a.get("location", ""), a.get("owner", ""), ""]


def _known(slugs: list[str], known: set[str]) -> list[str]:
    # Tests load the demo with only part of the knowledge content; links to what is missing are left out.
    return [slug for slug in slugs if slug in known]


def _risk_row(r: dict, defaults: dict, today: datetime.date, known: dict) -> list:
    inherent, residual = r["inherent"], r.get("residual") or (None, None)
    accepted = r["treatment"] == Risk.Treatment.ACCEPT
    return [
        r["reference"],
        r["title"],
        r.get("threat", ""),
        r.get("scenario") or defaults["scenario"].format(title=r["title"]),
        ", ".join(r.get("assets", [])),
        "; ".join(_known(r["themes"], known["themes"])),
        inherent[0],
        inherent[1],
        residual[0],
        residual[1],
        r["treatment"],
        r.get("accepted_by", "") if accepted else "",
        today.replace(month=12, day=31) if accepted else None,
        r.get("owner", ""),
        today + datetime.timedelta(days=defaults["review_in_days"]),
    ]


def _measure_row(m: dict, today: datetime.date, known: dict) -> list:
    return [
        m["reference"],
        m["title"],
        m.get("description", ""),
        "; ".join(_known(m["themes"], known["themes"])),
        m["type"],
        m["kind"],
        "; ".join(_known(m.get("goals", []), known["goals"])),
        ", ".join(_known(m.get("principles", []), known["principles"])),
        ", ".join(m.get("risks", [])),
        m.get("owner", ""),
        m["status"],
        _deadline(today, m["deadline_in_years"]),
        m.get("cost_once", 0),
        m.get("cost_yearly", 0),
        m.get("side_effects", ""),
        ", ".join(m.get("bio2", [])),
    ]


def demo_workbook(
    *,
    skip: dict[type, set[str]] | None = None,
    today: datetime.date | None = None,
    organisation: Organisation | None = None,
) -> bytes:
    """The demo register as an import workbook, without the references in ``skip`` per model.

    With ``organisation`` (in its scope), goals and principles its framework did not choose
    are left out, so the workbook imports against the framework.
    """
    data, skip, today = demo_register(), skip or {}, today or datetime.date.today()
    defaults = data["defaults"]
    known = {
        "themes": set(Theme.objects.values_list("slug", flat=True)),
        "goals": set(SecurityGoal.objects.values_list("slug", flat=True)),
        "principles": set(Principle.objects.values_list("slug", flat=True)),
    }
    if organisation is not None:
        thread = thread_for(organisation=organisation)
        if not thread.is_catalogue:
            known["goals"] = {g.catalogue_goal.slug for g in thread.goals if g.catalogue_goal_id}
            known["principles"] = {principle_key(p) for p in thread.principles}

    def keep(model, rows):
        return [row for row in rows if row["reference"] not in skip.get(model, ())]

    return build_workbook(
        [
            Sheet(excel.ASSET_SHEET, excel.ASSET_COLUMNS, [_asset_row(a) for a in keep(Asset, data["assets"])]),
            Sheet(
                excel.RISK_SHEET,
                excel.RISK_COLUMNS,
                [_risk_row(r, defaults, today, known) for r in keep(Risk, data["risks"])],
            ),
            Sheet(
                excel.MEASURE_SHEET,
                excel.MEASURE_COLUMNS,
                [_measure_row(m, today, known) for m in keep(Measure, data["measures"])],
            ),
        ]
    )


@transaction.atomic
def load_risks_demo(organisation: Organisation) -> dict:
    """Load the demo register into one municipality (Demostad). Safe to re-run.

    Returns how many assets, risks and measures were created.
    """
    load_threats()
    load_bio2_catalogue(Bio2Measure)  # the demo measures carry BIO2 numbers (also after a test emptied the table)
    data = demo_register()
    with scope(organisation=organisation.pk):
        coordinator = (
            Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).select_related("user").first()
        )
        if coordinator is None:
            return dict(NOTHING)
        kw = {"organisation": organisation, "membership": coordinator}
        _matrix(data["matrix"], **kw)
        _own_threats(data["own_threats"], **kw)
        created = _register(**kw)
        _conflicts(data["conflicts"], **kw)
        _own_framework_links(**kw)
        return created


def _matrix(spec: dict, *, organisation, membership) -> None:
    if RiskMatrix.objects.filter(organisation=organisation).exists():
        return
    default = RiskMatrix(organisation=organisation)
    services.matrix_update(
        organisation=organisation,
        membership=membership,
        likelihood_levels=default.likelihood_levels,
        impact_levels=default.impact_levels,
        acceptance_level=default.acceptance_level,
        critical_level=default.critical_level,
        likelihood_labels=spec["likelihood_labels"],
        impact_labels=spec["impact_labels"],
    )


def _own_threats(specs: list[dict], *, organisation, membership) -> None:
    themes = dict(Theme.objects.values_list("slug", "pk"))
    existing = set(LocalThreat.objects.filter(organisation=organisation).values_list("name", flat=True))
    for spec in specs:
        if spec["name"] in existing:
            continue
        services.local_threat_save(
            organisation=organisation,
            membership=membership,
            name=spec["name"],
            deliberate=spec["deliberate"],
            description=spec["description"],
            themes=[themes[s] for s in spec["themes"] if s in themes],
        )


def _register(*, organisation, membership) -> dict:
    existing = {
        model: set(model.objects.filter(organisation=organisation).values_list("reference", flat=True))
        for model in (Asset, Risk, Measure)
    }
    data = demo_register()
    missing = {
        key: sum(row["reference"] not in existing[model] for row in data[key])
        for key, model in (("assets", Asset), ("risks", Risk), ("measures", Measure))
    }
    if not any(missing.values()):
        return dict(NOTHING)
    upload = ContentFile(demo_workbook(skip=existing, organisation=organisation), name="demo-register.xlsx")
    try:
        result = excel.import_register(organisation=organisation, membership=membership, upload=upload)
    except excel.ImportRejected as e:
        lines = [f"{x['sheet']} {x['row']} {x['column']}: {x['message']}" for x in e.errors]
        raise DemoContentError("The demo register does not import:\n" + "\n".join(lines)) from e
    return {key: result[key] for key in NOTHING}


# The demo measure that works out Demostad's own goal and own principle (see framework/demo.py).
OWN_THREAD_MEASURE = "M-006"


def _own_framework_links(*, organisation, membership) -> None:
    """Link a demo measure to the framework's own goal and own principle, so the thread shows them."""
    thread = thread_for(organisation=organisation)
    own_goals = [g for g in thread.goals if getattr(g, "is_own", False)]
    own_principles = [p for p in thread.principles if getattr(p, "is_own", False)]
    measure = Measure.objects.filter(organisation=organisation, reference=OWN_THREAD_MEASURE).first()
    if measure is None or not (own_goals or own_principles):
        return
    measure.goals.add(*own_goals[:1])
    measure.principles.add(*own_principles[:1])


def _conflicts(specs: list[dict], *, organisation, membership) -> None:
    measures = {m.reference: m for m in Measure.objects.filter(organisation=organisation)}
    for spec in specs:
        a, b = (measures.get(ref) for ref in spec["measures"])
        if a is None or b is None:
            continue
        if MeasureConflict.objects.filter(organisation=organisation, measure_a=a, measure_b=b).exists():
            continue
        services.conflict_save(
            organisation=organisation,
            membership=membership,
            measure_a=a,
            measure_b=b,
            description=spec["description"],
            resolution=spec["resolution"],
            state=spec["state"],
        )


def load_for_demo(organisations: dict[str, Organisation]) -> dict:
    """The demo loader that ``load_demo`` runs (registered in :mod:`weerbaar.risks.apps`)."""
    if "demostad" not in organisations:
        return dict(NOTHING)
    return load_risks_demo(organisations["demostad"])

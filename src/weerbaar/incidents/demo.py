"""Demostad's incident register: about 150 incidents over last year and this year, with patterns
a coordinator would notice.

- aggression at the front desk of the town hall, more in the winter months and more this year
  than last year;
- repeated break-ins at the municipal yard (gemeentewerf);
- data breaches (mostly misdirected mail) reported to the Autoriteit Persoonsgegevens, one too late;
- phishing and a ransomware attempt with Cyberbeveiligingswet reports;
- some confidential incidents (threats to office holders, integrity) handled by the board member;
- some evaluated into actions in the yearly plan.

Everything goes through the services, so the demo exercises the same rules as a user. Idempotent:
when Demostad already has incidents, nothing is added. The generator is seeded, so the demo is
the same every time it is built from scratch.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset, LocalThreat, Measure, Risk, Threat

from . import services
from .content import load_incident_types
from .models import ExternalReport, Incident, IncidentType, LocalIncidentType

WINTER = {1: 3.0, 2: 2.5, 3: 1.5, 4: 1.0, 5: 0.7, 6: 0.6, 7: 0.5, 8: 0.6, 9: 0.9, 10: 1.4, 11: 2.2, 12: 3.0}

# (type slug, title, place, asset refs, themes, severity, yearly count (last, this), winter-weighted)
SCENARIOS = [
    (
        "agressie-medewerkers",
        "Bezoeker scheldt baliemedewerker uit",
        "Gemeentehuis, publiekshal",
        ["BM-002", "BM-017"],
        ["personele-beveiliging", "fysieke-beveiliging"],
        2,
        (16, 26),
        True,
    ),
    (
        "agressie-medewerkers",
        "Bezoeker dreigt met geweld aan de balie",
        "Gemeentehuis, publiekshal",
        ["BM-002", "BM-017"],
        ["personele-beveiliging"],
        3,
        (3, 6),
        True,
    ),
    (
        "agressie-medewerkers",
        "Handhaver belaagd tijdens controle",
        "Centrum, Marktplein",
        ["BM-018"],
        ["personele-beveiliging"],
        3,
        (4, 4),
        False,
    ),
    (
        "inbraak-diefstal",
        "Inbraak op de gemeentewerf",
        "Gemeentewerf, Industrieweg",
        ["BM-004"],
        ["fysieke-beveiliging"],
        3,
        (5, 8),
        True,
    ),
    (
        "inbraak-diefstal",
        "Laptop gestolen uit auto van medewerker",
        "Buiten de gemeente",
        ["BM-013"],
        ["fysieke-beveiliging", "informatiebeveiliging"],
        2,
        (2, 2),
        False,
    ),
    (
        "datalek",
        "Brief met persoonsgegevens naar verkeerd adres",
        "Gemeentehuis, afdeling sociaal domein",
        ["BM-009"],
        ["informatiebeveiliging"],
        2,
        (9, 10),
        False,
    ),
    (
        "datalek",
        "E-mail met bijlage aan verkeerde ontvanger",
        "Gemeentehuis",
        ["BM-011"],
        ["informatiebeveiliging"],
        2,
        (5, 6),
        False,
    ),
    (
        "cyberincident",
        "Geslaagde phishingmail, account overgenomen",
        "Gemeentehuis",
        ["BM-011"],
        ["informatiebeveiliging"],
        3,
        (3, 4),
        False,
    ),
    (
        "cyberincident",
        "Poging tot ransomware tegengehouden",
        "Serverruimte gemeentehuis",
        ["BM-006", "BM-009"],
        ["informatiebeveiliging"],
        4,
        (0, 1),
        False,
    ),
    (
        "vernieling",
        "Vernieling aan de milieustraat",
        "Milieustraat, Havenweg",
        ["BM-005"],
        ["fysieke-beveiliging"],
        1,
        (4, 5),
        False,
    ),
    (
        "uitval-stroom-systemen",
        "Stroomuitval in het gemeentehuis",
        "Gemeentehuis",
        ["BM-001", "BM-024"],
        ["preparatie", "informatiebeveiliging"],
        3,
        (1, 2),
        False,
    ),
    (
        "misbruik-middelen",
        "Toegangspas kwijtgeraakt",
        "Gemeentehuis",
        ["BM-028"],
        ["fysieke-beveiliging"],
        1,
        (4, 5),
        False,
    ),
    (
        "onbevoegde-toegang",
        "Onbekende persoon in kantoortuin",
        "Gemeentehuis, tweede verdieping",
        ["BM-001", "BM-023"],
        ["fysieke-beveiliging"],
        2,
        (2, 3),
        False,
    ),
    (
        "bedreiging-ambtsdragers",
        "Dreigbericht aan wethouder via sociale media",
        "Online",
        ["BM-019"],
        ["personele-beveiliging", "integriteit"],
        3,
        (2, 3),
        False,
    ),
    (
        "integriteitsschending",
        "Vermoeden van onbevoegd raadplegen van de BRP",
        "Gemeentehuis, burgerzaken",
        ["BM-008"],
        ["integriteit"],
        3,
        (1, 2),
        False,
    ),
    (
        "lekken-vertrouwelijke-informatie",
        "Vertrouwelijk collegestuk in de krant",
        "Gemeentehuis",
        ["BM-014"],
        ["integriteit", "informatiebeveiliging"],
        3,
        (1, 1),
        False,
    ),
]

# Type slug -> (risk references that materialised, measures that fell short, measures that worked, lesson)
EVALUATIONS = {
    "agressie-medewerkers": (
        ["R-001"],
        ["M-002"],
        ["M-001", "M-004"],
        "De noodknop werd pas laat opgevolgd; de afscherming van de balie hield de bezoeker op afstand.",
    ),
    "inbraak-diefstal": (
        ["R-007"],
        ["M-028"],
        [],
        "Het hang- en sluitwerk aan de achterzijde van de werf is nog niet vervangen; "
        "de alarmopvolging duurde te lang.",
    ),
    "datalek": (
        ["R-019"],
        [],
        ["M-026"],
        "De datalekprocedure werkte; het vier-ogenprincipe bij het versturen van brieven ontbreekt nog.",
    ),
    "cyberincident": (
        ["R-004"],
        ["M-010"],
        ["M-007"],
        "Multifactorauthenticatie beperkte de schade; de phishingmail werd niet herkend.",
    ),
}

ACTIONS = {
    "agressie-medewerkers": "Opvolging noodknoppen publiekshal laten testen",
    "inbraak-diefstal": "Hang- en sluitwerk achterzijde gemeentewerf vervangen",
    "cyberincident": "Extra phishingsimulatie voor afdelingen met geslaagde phishing",
}


def _when(rng: random.Random, year: int, winter: bool, now: datetime.datetime) -> datetime.datetime | None:
    last_day = now.date() if year == now.year else datetime.date(year, 12, 31)
    months = list(range(1, last_day.month + 1))
    weights = [WINTER[m] if winter else 1.0 for m in months]
    month = rng.choices(months, weights=weights)[0]
    days = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    day = rng.randint(1, days if month != last_day.month else max(1, last_day.day - 1))
    hour = rng.choice([9, 10, 11, 13, 14, 15, 16]) if winter or rng.random() < 0.7 else rng.randint(0, 23)
    moment = timezone.make_aware(datetime.datetime(year, month, day, hour, rng.randint(0, 59)))
    return moment if moment < now else None


def load_incidents_demo(org: Organisation) -> dict:
    load_incident_types()
    now = timezone.now()
    rng = random.Random(20260312)
    with scope(organisation=org):
        if Incident.objects.filter(organisation=org).exists():
            return {"incidents": 0}
        coordinator = Membership.objects.filter(organisation=org, role=Role.COORDINATOR).first()
        board = Membership.objects.filter(organisation=org, role=Role.BOARD).first()
        if coordinator is None:
            return {"incidents": 0}
        types = {t.slug: t for t in IncidentType.objects.all()}
        themes = {t.slug: t.pk for t in Theme.objects.all()}
        assets = {a.reference: a.pk for a in Asset.objects.filter(organisation=org)}
        risks = {r.reference: r.pk for r in Risk.objects.filter(organisation=org)}
        measures = {m.reference: m.pk for m in Measure.objects.filter(organisation=org)}
        threats = {t.slug: t for t in Threat.objects.all()}
        own_type = LocalIncidentType.objects.filter(organisation=org, name="Overlast rond evenementen").first()
        if own_type is None:
            own_type = services.local_type_save(
                organisation=org,
                membership=coordinator,
                name="Overlast rond evenementen",
                description="Overlast, opstootjes of schade rond evenementen waarvoor de gemeente een vergunning gaf.",
                themes=[themes[s] for s in ("fysieke-beveiliging", "preparatie") if s in themes],
            )
        threat_of = {
            "agressie-medewerkers": "agressie-geweld",
            "bedreiging-ambtsdragers": "intimidatie-bedreiging",
            "inbraak-diefstal": "inbraak",
            "cyberincident": "cyberaanval",
        }
        plan: list[tuple[datetime.datetime, tuple]] = []
        for scenario in SCENARIOS:
            for offset, count in zip((1, 0), scenario[6], strict=True):
                for _n in range(count):
                    moment = _when(rng, now.year - offset, scenario[7], now)
                    if moment is not None:
                        plan.append((moment, scenario))
        for _n in range(4):
            moment = _when(rng, now.year - rng.randint(0, 1), False, now)
            if moment is not None:
                plan.append((moment, None))
        plan.sort(key=lambda p: p[0])
        created = 0
        evaluated_types: dict[str, int] = {}
        for moment, scenario in plan:
            if scenario is None:
                incident = services.incident_save(
                    organisation=org,
                    membership=coordinator,
                    title="Opstootje bij de kermis",
                    occurred_at=moment,
                    local_type=own_type,
                    themes=[themes[s] for s in ("fysieke-beveiliging",) if s in themes],
                    severity=1,
                    place="Centrum, Marktplein",
                    description="Na sluitingstijd ontstond een vechtpartij bij de kermis; de politie greep in.",
                    immediate_actions="Evenementenorganisator en politie geïnformeerd.",
                    now=now,
                )
                created += 1
                continue
            slug, title, place, asset_refs, theme_slugs, severity, _counts, _winter = scenario
            kind = types.get(slug)
            theme_ids = [themes[s] for s in theme_slugs if s in themes]
            if kind is None or not theme_ids:
                continue
            discovered = moment + datetime.timedelta(hours=rng.choice([0, 0, 1, 3, 20]))
            if discovered > now:
                discovered = moment
            incident = services.incident_save(
                organisation=org,
                membership=coordinator,
                title=title,
                occurred_at=moment,
                discovered_at=discovered,
                incident_type=kind,
                themes=theme_ids,
                severity=severity,
                place=place,
                assets=[assets[r] for r in asset_refs if r in assets],
                threat=threats.get(threat_of.get(slug, "")),
                description=f"{title}. Vastgelegd door de coördinator na melding door de afdeling.",
                immediate_actions="Leidinggevende en coördinator ingelicht; betrokkenen opgevangen.",
                handlers=[board.pk] if kind.confidential and board is not None else [],
                now=now,
            )
            created += 1
            age = now - discovered
            for report in incident.reports.all():
                if report.kind == "police":
                    if age < datetime.timedelta(days=2):
                        continue
                    if severity < 3 and slug == "agressie-medewerkers":
                        services.report_save(
                            membership=coordinator,
                            incident=incident,
                            report=report,
                            kind=report.kind,
                            status=ExternalReport.Status.NOT_NEEDED,
                            note="Verbale agressie zonder bedreiging; de medewerker zag af van aangifte.",
                            now=now,
                        )
                    else:
                        services.report_save(
                            membership=coordinator,
                            incident=incident,
                            report=report,
                            kind=report.kind,
                            status=ExternalReport.Status.MADE,
                            made_at=min(discovered + datetime.timedelta(hours=5), now),
                            their_reference=f"PL{rng.randint(10000, 99999)}",
                            now=now,
                        )
                    continue
                if report.due_at is None or age < datetime.timedelta(days=4):
                    continue  # recent: the report is still open, the dashboard shows it
                if report.kind in ("cbw_warning", "cbw_notification") and severity < 4:
                    services.report_save(
                        membership=coordinator,
                        incident=incident,
                        report=report,
                        kind=report.kind,
                        status=ExternalReport.Status.NOT_NEEDED,
                        note="Geen significant incident: geen uitval van dienstverlening.",
                        now=now,
                    )
                    continue
                late = rng.random() < 0.12
                if late:
                    made = report.due_at + datetime.timedelta(hours=10)
                else:
                    made = discovered + datetime.timedelta(hours=rng.randint(2, 20))
                services.report_save(
                    membership=coordinator,
                    incident=incident,
                    report=report,
                    kind=report.kind,
                    status=ExternalReport.Status.MADE,
                    made_at=min(made, now),
                    their_reference=f"M-{incident.reference}",
                    now=now,
                )
            evaluation = EVALUATIONS.get(slug)
            if evaluation and age > datetime.timedelta(days=20) and rng.random() < 0.35:
                risk_refs, failed, working, lesson = evaluation
                count = evaluated_types.get(slug, 0)
                evaluated_types[slug] = count + 1
                new_actions = []
                if count == 0 and slug in ACTIONS:
                    new_actions = [
                        services.NewAction(
                            title=ACTIONS[slug],
                            due_date=(now + datetime.timedelta(days=60)).date(),
                            owner=coordinator,
                        )
                    ]
                services.incident_evaluate(
                    organisation=org,
                    membership=coordinator,
                    incident=incident,
                    lessons=lesson,
                    materialised_risks=[risks[r] for r in risk_refs if r in risks],
                    failed_measures=[measures[m] for m in failed if m in measures],
                    working_measures=[measures[m] for m in working if m in measures],
                    evaluated_on=min((discovered + datetime.timedelta(days=14)).date(), now.date()),
                    new_actions=new_actions,
                    close=count % 2 == 1,
                )
        last_year = now.year - 1
        services.conclusion_save(
            organisation=org,
            membership=coordinator,
            year=last_year,
            text=(
                "Agressie aan de balie van de publiekshal is de belangrijkste rode draad: de meeste voorvallen "
                "vallen in de wintermaanden. De gemeentewerf is herhaaldelijk doelwit van inbraak. Datalekken "
                "ontstaan vooral door verkeerd verstuurde post."
            ),
        )
    return {"incidents": created}


def load_for_demo(organisations) -> dict:
    org = organisations.get("demostad")
    if org is None:
        return {"incidents": 0}
    result = load_incidents_demo(org)
    # A little in the second municipality too, so the tenancy walk has rows of both.
    other = organisations.get("voorbeeldrecht")
    if other is not None:
        with scope(organisation=other):
            coordinator = Membership.objects.filter(organisation=other, role=Role.COORDINATOR).first()
            kind = IncidentType.objects.filter(slug="vernieling").first()
            theme = Theme.objects.filter(slug="fysieke-beveiliging").first()
            if coordinator and kind and theme and not Incident.objects.filter(organisation=other).exists():
                services.incident_save(
                    organisation=other,
                    membership=coordinator,
                    title="Graffiti op het gemeentehuis",
                    occurred_at=timezone.now() - datetime.timedelta(days=3),
                    incident_type=kind,
                    themes=[theme.pk],
                    severity=1,
                    place="Gemeentehuis",
                )
    return result


__all__ = ["load_for_demo", "load_incidents_demo", "LocalThreat"]

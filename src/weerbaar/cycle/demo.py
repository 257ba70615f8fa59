"""Two years of the quality cycle for Demostad: last year's and this year's plan, checks with
findings that led to actions, a risk and deviations.

Written through the services (as the coordinator), so the demo exercises the same rules as a
user. Idempotent: when Demostad already has checks, nothing is added (a user's changes stay).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django_scopes import scope

from weerbaar.core.audit import acting_as
from weerbaar.core.models import Membership, Role
from weerbaar.knowledge.models import Theme
from weerbaar.risks.models import Asset, Measure, Risk

from . import services
from .models import Check, Finding

INFO, FYS, PERS, INT, AWARE, PREP = (
    "informatiebeveiliging",
    "fysieke-beveiliging",
    "personele-beveiliging",
    "integriteit",
    "awareness",
    "preparatie",
)

# (title, themes, measure references, month, day, status, owner role)
LAST_YEAR = [
    ("Multifactorauthenticatie uitrollen voor alle medewerkers", [INFO], ["M-007"], 3, 31, "done", "expert"),
    ("Agressietraining voor baliemedewerkers", [FYS, PERS], ["M-003"], 4, 30, "done", "coordinator"),
    ("Hersteltest van de offline back-ups", [INFO], ["M-008"], 6, 30, "done", "expert"),
    ("Integriteitsgesprekken in alle teams", [INT], ["M-012"], 9, 30, "done", "coordinator"),
    ("Ontruimingsplan gemeentehuis actualiseren", [FYS, PREP], [], 5, 31, "done", "coordinator"),
    ("Crisisoefening cyberincident met het college", [INFO, PREP], ["M-009"], 11, 15, "carry", "coordinator"),
    ("Screening vertrouwensfuncties vastleggen in beleid", [PERS], ["M-013"], 12, 15, "carry", "coordinator"),
    ("Sleutelbeheer archiefruimte op orde brengen", [FYS], [], 10, 31, "cancelled", "coordinator"),
]
THIS_YEAR = [
    ("Phishingsimulatie en e-learning voor alle medewerkers", [INFO, AWARE], ["M-010"], 3, 31, "done", "expert"),
    ("Steekproef BRP-raadplegingen per kwartaal", [INFO, INT], ["M-011"], 6, 30, "done", "expert"),
    ("Schijfversleuteling op de laatste laptops", [INFO], ["M-016"], 5, 31, "in_progress", "expert"),
    ("Noodstroomaggregaat testen onder belasting", [FYS, PREP], ["M-018"], 9, 30, "planned", "coordinator"),
    ("Exitstrategie hostingpartij uitwerken", [INFO], ["M-019"], 10, 31, "in_progress", "expert"),
    ("Vier-ogenprincipe bij betalingen boven de grens", [INT], ["M-014"], 7, 31, "done", "coordinator"),
    ("Beveiligingsscan woning burgemeester herhalen", [FYS, PERS], ["M-005"], 12, 20, "planned", "coordinator"),
    ("Bewustwordingsweek integrale beveiliging", [AWARE], [], 12, 10, "in_progress", "coordinator"),
    ("Jaarverslag integrale beveiliging voorbereiden", [], [], 12, 31, "planned", "coordinator"),
]


def load_for_demo(organisations) -> dict:
    org = organisations.get("demostad")
    if org is None:
        return {"actions": 0, "checks": 0}
    with scope(organisation=org.pk), acting_as(None):
        if Check.objects.filter(organisation=org).exists():
            return {"actions": 0, "checks": 0}
        return load_cycle_demo(org)


def _themes(slugs):
    return list(Theme.objects.filter(slug__in=slugs).values_list("pk", flat=True))


@transaction.atomic
def load_cycle_demo(org, today: datetime.date | None = None) -> dict:
    today = today or datetime.date.today()
    year = today.year
    members = {m.role: m for m in Membership.objects.filter(organisation=org).order_by("pk")}
    coordinator = members.get(Role.COORDINATOR)
    if coordinator is None:
        return {"actions": 0, "checks": 0}
    owners = {"coordinator": coordinator, "expert": members.get(Role.EXPERT, coordinator)}
    measures = {m.reference: m.pk for m in Measure.objects.filter(organisation=org)}
    made = {"actions": 0, "checks": 0, "findings": 0, "deviations": 0}

    def add_action(title, themes, refs, y, month, day, status, owner):
        action = services.action_create(
            organisation=org,
            membership=coordinator,
            title=title,
            year=y,
            owner=owners[owner],
            due_date=datetime.date(y, month, day),
            themes=_themes(themes),
            measures=[measures[r] for r in refs if r in measures],
            status=None if status == "carry" else status,
        )
        made["actions"] += 1
        return action

    for row in LAST_YEAR:
        add_action(*row[:3], year - 1, *row[3:])
    services.plan_start_next_year(organisation=org, membership=coordinator, year=year - 1)
    for row in THIS_YEAR:
        add_action(*row[:3], year, *row[3:])

    # Checks of last year.
    audit_check = services.check_save(
        organisation=org,
        membership=coordinator,
        title="IT-audit door de accountant",
        kind=Check.Kind.AUDIT,
        date=datetime.date(year - 1, 10, 14),
        performed_by="Accountantskantoor Van Dijk",
        owner=coordinator,
        summary="Jaarlijkse audit van de algemene IT-beheersmaatregelen, met steekproeven in autorisaties.",
        themes=_themes([INFO]),
        measures=[measures[r] for r in ("M-007", "M-008") if r in measures],
    )
    drill = services.check_save(
        organisation=org,
        membership=coordinator,
        title="Ontruimingsoefening gemeentehuis",
        kind=Check.Kind.EVACUATION,
        date=datetime.date(year - 1, 6, 12),
        performed_by="BHV-organisatie",
        owner=coordinator,
        summary="Onaangekondigde ontruiming tijdens openingstijden; het gebouw was in 9 minuten leeg.",
        themes=_themes([FYS, PREP]),
        assets=list(Asset.objects.filter(organisation=org, kind=Asset.Kind.BUILDING).values_list("pk", flat=True)[:1]),
    )
    # Checks of this year.
    phishing = services.check_save(
        organisation=org,
        membership=coordinator,
        title="Phishingtest voorjaar",
        kind=Check.Kind.PHISHING,
        date=datetime.date(year, 4, 8),
        performed_by="Eigen ICT-afdeling",
        owner=owners["expert"],
        summary="Nagemaakte pakketbezorgmail aan alle medewerkers; 14% klikte, 4% vulde gegevens in.",
        themes=_themes([INFO, AWARE]),
        measures=[measures[r] for r in ("M-010",) if r in measures],
    )
    passes = services.check_save(
        organisation=org,
        membership=coordinator,
        title="Interne controle toegangspassen",
        kind=Check.Kind.INTERNAL,
        date=datetime.date(year, 9, 2),
        performed_by="Team control",
        owner=coordinator,
        summary="Vergelijking van actieve toegangspassen met de personeelsadministratie.",
        themes=_themes([FYS, PERS]),
    )
    services.check_save(
        organisation=org,
        membership=coordinator,
        title="Penetratietest website en burgerportaal",
        kind=Check.Kind.PENTEST,
        status=Check.Status.PLANNED,
        date=today + datetime.timedelta(days=10),
        performed_by="Extern beveiligingsbedrijf",
        owner=owners["expert"],
        themes=_themes([INFO]),
    )
    made["checks"] = 5

    def add_finding(check, title, severity, description=""):
        made["findings"] += 1
        return services.finding_save(
            organisation=org,
            membership=coordinator,
            check=check,
            title=title,
            severity=severity,
            description=description,
        )

    f1 = add_finding(
        audit_check,
        "Accounts van vertrokken medewerkers niet tijdig ingetrokken",
        Finding.Severity.HIGH,
        "In de steekproef waren 6 van de 40 accounts langer dan een maand na vertrek nog actief.",
    )
    services.finding_to_action(
        organisation=org,
        membership=coordinator,
        finding=f1,
        title="Uitdienstproces koppelen aan intrekken van accounts",
        year=year,
        owner=owners["expert"],
        due_date=datetime.date(year, 3, 31),
        themes=_themes([INFO, PERS]),
        status="done",
    )
    made["actions"] += 1
    f2 = add_finding(
        audit_check,
        "Oud financieel pakket ondersteunt geen multifactorauthenticatie",
        Finding.Severity.MEDIUM,
        "Het pakket wordt in het tweede kwartaal van volgend jaar vervangen.",
    )
    services.deviation_save(
        organisation=org,
        membership=coordinator,
        title="Financieel pakket zonder multifactorauthenticatie",
        reason="Vervanging is aanbesteed; tot dan is het pakket alleen vanaf het interne netwerk bereikbaar.",
        accepted_by="Gemeentesecretaris",
        owner=owners["expert"],
        expires_on=datetime.date(year + 1, 6, 30),
        finding=f2,
        themes=_themes([INFO]),
        measures=[measures[r] for r in ("M-007",) if r in measures],
    )
    f3 = add_finding(audit_check, "Geen hersteltest van het zaaksysteem", Finding.Severity.MEDIUM)
    risk = Risk.objects.filter(organisation=org).order_by("reference").first()
    if risk is not None:
        services.finding_link(organisation=org, membership=coordinator, finding=f3, risk=risk)
    f4 = add_finding(
        drill,
        "Verzamelplaats niet bekend bij nieuwe medewerkers",
        Finding.Severity.LOW,
        "Een derde van de medewerkers die korter dan een jaar in dienst zijn ging naar de oude verzamelplaats.",
    )
    services.finding_to_action(
        organisation=org,
        membership=coordinator,
        finding=f4,
        title="Verzamelplaats opnemen in het introductieprogramma",
        year=year,
        owner=coordinator,
        due_date=datetime.date(year, 2, 28),
        themes=_themes([FYS, PREP]),
        status="done",
    )
    made["actions"] += 1
    f5 = add_finding(
        phishing,
        "Medewerkers van burgerzaken vullen vaker gegevens in",
        Finding.Severity.HIGH,
        "Bij burgerzaken vulde 11% inloggegevens in, tegen 4% gemiddeld.",
    )
    services.finding_to_action(
        organisation=org,
        membership=coordinator,
        finding=f5,
        title="Extra bewustwordingssessie burgerzaken",
        year=year,
        owner=owners["expert"],
        due_date=today - datetime.timedelta(days=20),
        themes=_themes([INFO, AWARE]),
        status="in_progress",
    )
    made["actions"] += 1
    add_finding(phishing, "Meldknop voor verdachte mail weinig gebruikt", Finding.Severity.LOW)
    f7 = add_finding(
        passes,
        "Passen van externe inhuur blijven actief na einde opdracht",
        Finding.Severity.MEDIUM,
        "Negen passen van ingehuurde krachten waren na het einde van de opdracht nog geldig.",
    )
    services.deviation_save(
        organisation=org,
        membership=coordinator,
        title="Handmatige controle passen inhuur tot nieuw pasbeheersysteem",
        reason=(
            "Het pasbeheersysteem kan geen einddatum vastleggen; tot de vervanging controleert de receptie maandelijks."
        ),
        accepted_by="Directeur bedrijfsvoering",
        owner=coordinator,
        expires_on=today + datetime.timedelta(days=45),
        finding=f7,
        themes=_themes([FYS]),
    )
    services.deviation_save(
        organisation=org,
        membership=coordinator,
        title="Archiefruimte zonder inbraakalarm",
        reason="Het archief verhuist volgend jaar naar het regionaal archief; een alarm nu is niet in verhouding.",
        accepted_by="College van B en W",
        owner=coordinator,
        expires_on=datetime.date(year - 1, 12, 31),
        themes=_themes([FYS]),
    )
    made["deviations"] = 3
    return made

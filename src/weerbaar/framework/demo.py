"""Demo data: Demostad's framework with an adopted version 1 and a newer draft version 2.

Idempotent: when Demostad already has a framework, nothing is touched, so a re-run never
overwrites what someone typed in the demo.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.knowledge.models import GovernanceVariant, Law, Principle, SecurityGoal, StepActivity

from . import services
from .models import STEP_NUMBERS, Framework, Step

CHECKLIST = {
    "drafted_by": "Coördinator integrale beveiliging",
    "adopted_by": "College van burgemeester en wethouders",
    "stakeholders_official": "Gemeentesecretaris, CISO, facilitair manager, HR-adviseur, integriteitscoördinator",
    "stakeholders_administrative": "Burgemeester (portefeuillehouder), directieteam",
    "stakeholders_political": "Commissie Bestuur en Middelen (informerend)",
    "working_session_on": datetime.date(2026, 3, 12),
    "working_session_notes": "Werksessie met de thema-eigenaren; minimale en maximale variant besproken.",
    "variants_considered": True,
}

STEP_TEXT = {
    Step.VISION: {
        "text": (
            "Demostad is een open en gastvrije gemeente waarin medewerkers, bestuurders en bezoekers veilig "
            "kunnen werken en gebruikmaken van de dienstverlening. Wij beschermen onze mensen, informatie en "
            "gebouwen in samenhang, risicogericht en zonder afbreuk te doen aan onze openheid."
        ),
        "rationale": "Agressie tegen medewerkers en ondermijning nemen toe; de deelplannen werkten langs elkaar heen.",
        "minimum_variant": "Eén visie voor fysieke en personele beveiliging.",
        "maximum_variant": "Eén visie voor alle thema's, inclusief integriteit en continuïteit.",
        "multi_year_plans": "Coalitieakkoord 2026-2030, programmabegroting, meerjarenplan Veilig werken.",
    },
    Step.SCOPE: {
        "text": "Het beleid geldt voor de hele gemeentelijke organisatie en alle locaties in eigendom of huur.",
        "rationale": "Een volledige scope voorkomt gaten tussen de thema's.",
        "assets": "Gemeentehuis, gemeentewerf, milieustraat, wijkteamlocaties, ICT en informatie.",
        "staff_groups": "Eigen medewerkers, inhuur, stagiairs, vrijwilligers en politieke ambtsdragers.",
        "third_parties": "Leveranciers, schoonmaak en beveiliging; afspraken in contracten.",
        "sub_plan_information": "Alle informatiesystemen en informatie in digitale en papieren vorm.",
        "sub_plan_physical": "Alle gebouwen en terreinen in eigendom of huur.",
        "minimum_variant": "Alleen het gemeentehuis en eigen medewerkers.",
        "maximum_variant": "Alle locaties, derden, verbonden partijen en ambtsdragers.",
    },
    Step.GOALS: {"text": "Demostad legt de nadruk op beschermen, detecteren en interventie."},
    Step.PRINCIPLES: {"text": "De uitgangspunten volgen de catalogus, met een eigen uitgangspunt over de raad."},
    Step.QUALITY: {
        "text": (
            "Demostad werkt met een jaarlijkse PDCA-cyclus: jaarplan in het najaar, uitvoering in de lijn, "
            "controle via audits en de zelfscan, bijsturing in de jaarrapportage aan het college."
        ),
        "review_frequency": "yearly",
        "review_owner": "Gemeentesecretaris",
        "planning_cycle_anchor": "Kadernota, programmabegroting (paragraaf bedrijfsvoering) en jaarrekening.",
        "minimum_variant": "Alleen een jaarlijkse rapportage.",
        "maximum_variant": "Kwartaalrapportage en een jaarlijkse externe audit.",
    },
}

GOAL_SLUGS = ["beschermen", "ontmoedigen", "voorkomen-onbevoegde-toegang", "detecteren", "interventie", "continuiteit"]


def _fill(version, membership) -> None:
    entries = {e.step: e for e in version.steps.all()}
    for step, values in STEP_TEXT.items():
        entry = entries[step]
        fields = {**CHECKLIST, **values}
        kwargs = {}
        activities = list(StepActivity.objects.filter(step__number=STEP_NUMBERS[step]))
        kwargs["activities_done"] = activities
        if step == Step.SCOPE:
            kwargs["laws"] = list(Law.objects.published()[:8])
        if step == Step.QUALITY:
            fields["governance_variant"] = GovernanceVariant.objects.order_by("order").first()
        if step == Step.GOALS:
            kwargs["goals"] = [
                services.GoalInput(catalogue_goal=g, why=f"{g.name} is voor Demostad wezenlijk.")
                for g in SecurityGoal.objects.filter(slug__in=GOAL_SLUGS)
            ] + [services.GoalInput(name="Weerbare raad", why="Raadsleden worden vaker geïntimideerd.")]
        services.step_save(
            entry=entry, expected_revision=entry.revision, membership=membership, fields=fields, **kwargs
        )
    goals = {g.catalogue_goal_id: g.pk for g in version.goals.all()}
    own_goal = version.goals.get(catalogue_goal__isnull=True)
    principles = []
    for p in Principle.objects.published().prefetch_related("goals").order_by("category__order", "order")[:14]:
        linked = [goals[g.pk] for g in p.goals.all() if g.pk in goals]
        if linked:
            principles.append(services.PrincipleInput(catalogue_principle=p, text=p.text, goal_ids=linked))
    first = principles[0].catalogue_principle.category
    principles.append(
        services.PrincipleInput(
            category=first,
            text="Raadsleden krijgen bij hun installatie een veiligheidsgesprek en weten waar zij terechtkunnen.",
            goal_ids=[own_goal.pk],
        )
    )
    entry = version.steps.get(step=Step.PRINCIPLES)
    services.step_save(entry=entry, expected_revision=entry.revision, membership=membership, principles=principles)


@transaction.atomic
def load_framework_demo(organisation: Organisation) -> Framework | None:
    """Give ``organisation`` a framework: version 1 adopted, version 2 a draft. Skips if one exists."""
    if not SecurityGoal.objects.exists():
        return None  # the catalogue is not loaded (load_content first)
    with scope(organisation=organisation.pk):
        existing = Framework.objects.filter(organisation=organisation).first()
        if existing is not None:
            return existing
        coordinator = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).first()
        board = Membership.objects.filter(organisation=organisation, role=Role.BOARD).first()
        if coordinator is None or board is None:
            return None
        framework = services.framework_start(organisation=organisation, membership=coordinator)
        v1 = framework.versions.get()
        _fill(v1, coordinator)
        services.version_submit(version=v1, membership=coordinator)
        services.version_adopt(
            version=v1,
            membership=board,
            adopted_on=datetime.date(2026, 4, 14),
            decision_reference="B&W 2026/0412",
            adopted_by_body="college van burgemeester en wethouders",
        )
        v2 = services.version_create_from(source=v1, membership=coordinator)
        vision = v2.steps.get(step=Step.VISION)
        services.step_save(
            entry=vision,
            expected_revision=vision.revision,
            membership=coordinator,
            fields={"text": vision.text + " Wij leren daarbij actief van incidenten en van andere gemeenten."},
        )
        return framework


def load_demo_frameworks() -> list[Framework]:
    org = Organisation.objects.filter(slug="demostad").first()
    if org is None:
        return []
    framework = load_framework_demo(org)
    if framework:
        _load_demo_extras(org, framework)
    return [framework] if framework else []


def demo_word_template() -> bytes:
    """A small placeholder template (docxtpl) that leaves out most chapters: the advanced kind,
    kept for tests of the warning about missing chapters."""
    import io

    from docx import Document

    doc = Document()
    doc.add_heading("{{ titel }}", level=0)
    doc.add_paragraph("Gemeente {{ gemeente }} — versie {{ versie }} ({{ status }})")
    doc.add_heading("Visie", level=1)
    doc.add_paragraph("{{ visie.tekst }}")
    doc.add_heading("Beveiligingsdoelen", level=1)
    doc.add_paragraph("{%p for doel in doelen %}")
    doc.add_paragraph("{{ doel.naam }}: {{ doel.waarom }}")
    doc.add_paragraph("{%p endfor %}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _load_demo_extras(org: Organisation, framework: Framework) -> None:
    """A board member's open comment on the draft, and the municipality's own Word template."""
    from .models import StepComment, WordTemplate

    with scope(organisation=org.pk):
        _add_demo_extras(org, framework, StepComment, WordTemplate)


def _add_demo_extras(org, framework, StepComment, WordTemplate) -> None:
    coordinator = Membership.objects.filter(organisation=org, role=Role.COORDINATOR).first()
    board = Membership.objects.filter(organisation=org, role=Role.BOARD).first()
    draft = framework.versions.filter(status="draft").order_by("-number").first()
    if draft and board and not StepComment.objects.filter(organisation=org).exists():
        services.comment_add(
            version=draft,
            step="visie",
            body="Kunnen we in de visie expliciet noemen dat het gemeentehuis gastvrij blijft?",
            membership=board,
        )
    # Demostad's house style: logo, colour and a Word style template, so its export is complete.
    from .demo_documents import load_house_style_demo

    load_house_style_demo(org, coordinator)


def load_for_demo(organisations: dict[str, Organisation]) -> list[Framework]:
    """The demo loader that ``load_demo`` runs (registered in :mod:`weerbaar.framework.apps`)."""
    return load_demo_frameworks()


def load_demo_documents(organisations: dict[str, Organisation]) -> None:
    """Demostad's adopted framework exported to Word by a background job."""
    from .demo_documents import load_document_demo

    if "demostad" in organisations:
        load_document_demo(organisations["demostad"])


# --- the register's side: scope assets, sub-plans, co-writing ---------------------------------

DEMO_SUBPLANS = [
    {
        "kind": "informatiebeveiliging",
        "title": "Informatiebeveiligingsbeleid Demostad 2025-2028",
        "owner": "expert",
        "status": "vastgesteld",
        "adopted_on": datetime.date(2025, 2, 11),
        "review_on": datetime.date(2027, 2, 1),
        "scope": "Alle informatieverwerking binnen of namens de gemeente, digitaal en op papier.",
        "document_url": "https://demostad.example/documenten/informatiebeveiligingsbeleid.pdf",
    },
    {
        "kind": "fysieke_beveiliging",
        "title": "Beveiligingsplan gemeentehuis en gemeentewerf",
        "owner": "coordinator",
        "status": "te_herzien",
        "adopted_on": datetime.date(2022, 6, 7),
        "review_on": datetime.date(2026, 12, 15),
        "scope": "Toegang tot terreinen en gebouwen, zonering, cameratoezicht en sleutelbeheer.",
    },
    {
        "kind": "personele_beveiliging",
        "title": "Beleid veilig werken en agressieprotocol",
        "owner": "coordinator",
        "status": "vastgesteld",
        "adopted_on": datetime.date(2024, 9, 3),
        "review_on": datetime.date(2027, 9, 1),
        "scope": "Veilig werken aan de balie en in de wijk, opvang en nazorg na incidenten, aangifte.",
    },
    {
        "kind": "integriteit",
        "title": "Integriteitsbeleid ambtenaren en politieke ambtsdragers",
        "owner": "coordinator",
        "status": "in_voorbereiding",
        "review_on": datetime.date(2027, 3, 31),
        "scope": "Gedragscode, eed of belofte, nevenwerkzaamheden en het melden van vermoedens.",
    },
]


def load_register_demo(organisations: dict[str, Organisation]) -> None:
    """After the register's demo: Demostad's scope names its assets, its sub-plans, and one co-writer."""
    org = organisations.get("demostad") or Organisation.objects.filter(slug="demostad").first()
    if org is None:
        return
    with scope(organisation=org.pk), transaction.atomic():
        _load_register_demo(org)


def _load_register_demo(org: Organisation) -> None:
    from weerbaar.risks.models import Asset

    from .models import FrameworkVersion, StepDelegation, SubPlan

    memberships = Membership.objects.filter(organisation=org).select_related("user")
    members = {m.user.email.split("@")[0]: m for m in memberships}
    coordinator = members.get("coordinator")
    if coordinator is None:
        return
    if not SubPlan.objects.filter(organisation=org).exists():
        for spec in DEMO_SUBPLANS:
            spec = dict(spec)
            owner = members.get(spec.pop("owner"))
            services.subplan_save(organisation=org, membership=coordinator, owner=owner, **spec)
    assets = list(Asset.objects.filter(organisation=org).order_by("name")[:6])
    versions = FrameworkVersion.objects.filter(organisation=org).order_by("number")
    for version in versions:
        entry = version.steps.filter(step=Step.SCOPE).first()
        if entry is None or entry.scope_assets.exists() or not assets:
            continue
        if version.is_draft:
            services.step_save(
                entry=entry, expected_revision=entry.revision, membership=coordinator, scope_assets=assets
            )
        else:
            entry.scope_assets.set(assets)  # the adopted version named them when it was written
    draft = versions.filter(status=FrameworkVersion.Status.DRAFT).last()
    expert = members.get("expert")
    if draft is not None and expert is not None and not StepDelegation.objects.filter(version=draft).exists():
        services.delegation_add(version=draft, step=Step.PRINCIPLES, member=expert, membership=coordinator)

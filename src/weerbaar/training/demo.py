"""Demostad's training, exercise and test plan: the standard groups with their sizes and a
plan over last year and this year with participation, so the coverage, the college's cyber
training and the calendar show something real. Idempotent: skipped once activities exist."""

from __future__ import annotations

import datetime

from django.db import transaction
from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role

from . import services
from .models import Activity, Session, StaffGroup

SIZES = {
    StaffGroup.Kind.EVERYONE: 640,
    StaffGroup.Kind.FRONT_DESK: 24,
    StaffGroup.Kind.ENFORCEMENT: 16,
    StaffGroup.Kind.ICT: 21,
    StaffGroup.Kind.MANAGERS: 45,
    StaffGroup.Kind.COLLEGE: 6,
    StaffGroup.Kind.COUNCIL: 29,
}

# title, kind, groups, frequency, cyber, description, [(year offset, month, day, {group kind: participants})]
PLAN = [
    (
        "E-learning informatiebeveiliging en privacy",
        Activity.Kind.EDUCATION,
        [StaffGroup.Kind.EVERYONE],
        Activity.Frequency.YEARLY,
        False,
        "Korte online module over wachtwoorden, phishing, datalekken en veilig thuiswerken.",
        [(-1, 3, 14, {StaffGroup.Kind.EVERYONE: 452}), (0, 3, 13, {StaffGroup.Kind.EVERYONE: 511})],
    ),
    (
        "Training omgaan met agressie en intimidatie",
        Activity.Kind.TRAINING,
        [StaffGroup.Kind.FRONT_DESK, StaffGroup.Kind.ENFORCEMENT],
        Activity.Frequency.YEARLY,
        False,
        "Praktijktraining met acteurs: de-escaleren, grenzen stellen, melden en nazorg.",
        [
            (-1, 10, 9, {StaffGroup.Kind.FRONT_DESK: 19, StaffGroup.Kind.ENFORCEMENT: 12}),
            (0, 10, 8, {StaffGroup.Kind.FRONT_DESK: 21, StaffGroup.Kind.ENFORCEMENT: 15}),
        ],
    ),
    (
        "Phishingtest",
        Activity.Kind.TEST,
        [StaffGroup.Kind.EVERYONE],
        Activity.Frequency.HALF_YEARLY,
        False,
        "Een onaangekondigde testmail; de uitkomst wordt per afdeling besproken, niet per persoon.",
        [
            (-1, 5, 20, {StaffGroup.Kind.EVERYONE: 615}),
            (-1, 11, 18, {StaffGroup.Kind.EVERYONE: 622}),
            (0, 5, 19, {StaffGroup.Kind.EVERYONE: 630}),
            (0, 11, 24, {}),
        ],
    ),
    (
        "Cybertraining voor bestuurders",
        Activity.Kind.EDUCATION,
        [StaffGroup.Kind.COLLEGE],
        Activity.Frequency.YEARLY,
        True,
        "Training voor burgemeester en wethouders: dreigingsbeeld, hun verantwoordelijkheid onder de "
        "Cyberbeveiligingswet en het goedkeuren van maatregelen.",
        [(-1, 9, 22, {StaffGroup.Kind.COLLEGE: 6}), (0, 12, 14, {}), (1, 9, 21, {})],
    ),
    (
        "Ontruimingsoefening stadhuis",
        Activity.Kind.EXERCISE,
        [StaffGroup.Kind.EVERYONE],
        Activity.Frequency.YEARLY,
        False,
        "Jaarlijkse ontruiming met de bedrijfshulpverlening, onaangekondigd voor medewerkers.",
        [(-1, 4, 11, {StaffGroup.Kind.EVERYONE: 388}), (0, 4, 10, {StaffGroup.Kind.EVERYONE: 402})],
    ),
    (
        "Crisisoefening beleidsteam",
        Activity.Kind.EXERCISE,
        [StaffGroup.Kind.MANAGERS, StaffGroup.Kind.COLLEGE],
        Activity.Frequency.TWO_YEARLY,
        False,
        "Oefening van een cyberaanval met uitval van de dienstverlening, met de veiligheidsregio.",
        [(-1, 6, 17, {StaffGroup.Kind.MANAGERS: 14, StaffGroup.Kind.COLLEGE: 5}), (1, 6, 16, {})],
    ),
    (
        "Integriteit en veiligheid voor raadsleden",
        Activity.Kind.EDUCATION,
        [StaffGroup.Kind.COUNCIL],
        Activity.Frequency.ON_ENTRY,
        False,
        "Bijeenkomst over integriteit, omgaan met bedreiging en het veilig gebruiken van raadsinformatie.",
        [(-1, 1, 25, {StaffGroup.Kind.COUNCIL: 24})],
    ),
]


def _evaluation(done: bool, title: str) -> str:
    if not done:
        return ""
    return f"Goed ontvangen. Vervolg: de lessen van '{title}' terugkoppelen in het afdelingsoverleg."


@transaction.atomic
def load_training_demo(organisation: Organisation, today: datetime.date | None = None) -> dict:
    today = today or datetime.date.today()
    with scope(organisation=organisation.pk):
        if Activity.objects.filter(organisation=organisation).exists():
            return {"activities": 0}
        coordinator = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).order_by("pk").first()
        services.shipped_groups_add(organisation=organisation, membership=None)
        groups = {g.kind: g for g in StaffGroup.objects.filter(organisation=organisation)}
        for kind, size in SIZES.items():
            if kind in groups and groups[kind].size is None:
                StaffGroup.objects.filter(pk=groups[kind].pk).update(size=size)
                groups[kind].size = size
        StaffGroup.objects.get_or_create(
            organisation=organisation,
            name="Medewerkers Burgerzaken",
            defaults={"kind": StaffGroup.Kind.OWN, "size": 38, "order": 500},
        )
        created = 0
        for title, kind, group_kinds, frequency, cyber, description, dates in PLAN:
            activity = Activity.objects.create(
                organisation=organisation,
                title=title,
                kind=kind,
                frequency=frequency,
                board_cyber_training=cyber,
                description=description,
                first_year=today.year - 1,
                owner=coordinator,
            )
            activity.groups.set([groups[k] for k in group_kinds])
            created += 1
            for offset, month, day, counts in dates:
                date = datetime.date(today.year + offset, month, day)
                done = date < today and bool(counts)
                session = Session.objects.create(
                    organisation=organisation,
                    activity=activity,
                    date=date,
                    status=Session.Status.DONE if done else Session.Status.PLANNED,
                    location="Stadhuis Demostad",
                    evaluation=_evaluation(done, title),
                )
                if done:
                    for group_kind, number in counts.items():
                        session.participations.create(
                            organisation=organisation, group=groups[group_kind], participants=number
                        )
    return {"activities": created}


def load_for_demo(organisations: dict[str, Organisation]) -> dict:
    if "demostad" not in organisations:
        return {"activities": 0}
    return load_training_demo(organisations["demostad"])

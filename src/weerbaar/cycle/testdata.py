"""Many rows of the yearly plan for query-budget tests and the benchmark (bulk writes, no services)."""

from __future__ import annotations

import datetime
import random

from weerbaar.core.models import Membership, Organisation
from weerbaar.knowledge.models import Theme

from .models import Action, Check, Finding
from .services import ReferenceAllocator


def generate(*, organisation: Organisation, actions: int = 0, checks: int = 0, seed: int = 12) -> None:
    """Add ``actions`` actions spread over this year and last (two themes each, an owner, a due date)
    and ``checks`` checks with two findings each. Call outside or inside a scope."""
    rng = random.Random(seed)
    today = datetime.date.today()
    themes = list(Theme.objects.values_list("pk", flat=True))
    owners = list(Membership.objects.filter(organisation=organisation).values_list("pk", flat=True)) or [None]
    statuses = [s for s, _ in Action.Status.choices]
    allocator = ReferenceAllocator(Action, organisation)
    rows = [
        Action(
            organisation=organisation,
            reference=allocator.next(),
            year=today.year - rng.randint(0, 1),
            title=f"Actie {n + 1}",
            owner_id=rng.choice(owners),
            due_date=today + datetime.timedelta(days=rng.randint(-300, 200)),
            status=rng.choice(statuses),
        )
        for n in range(actions)
    ]
    created = Action.objects.bulk_create(rows, batch_size=500)
    if themes:
        link = Action.themes.through
        link.objects.bulk_create(
            [link(action_id=a.pk, theme_id=t) for a in created for t in rng.sample(themes, min(2, len(themes)))],
            batch_size=1000,
        )
    check_allocator = ReferenceAllocator(Check, organisation)
    made = Check.objects.bulk_create(
        [
            Check(
                organisation=organisation,
                reference=check_allocator.next(),
                title=f"Controle {n + 1}",
                kind=rng.choice(Check.Kind.values),
                date=today - datetime.timedelta(days=rng.randint(0, 700)),
                status=Check.Status.DONE,
            )
            for n in range(checks)
        ],
        batch_size=500,
    )
    finding_allocator = ReferenceAllocator(Finding, organisation)
    Finding.objects.bulk_create(
        [
            Finding(
                organisation=organisation,
                source_check=c,
                reference=finding_allocator.next(),
                title=f"Bevinding {i + 1} van {c.reference}",
                severity=rng.choice(Finding.Severity.values),
                action=rng.choice(created) if created and i == 0 else None,
            )
            for c in made
            for i in range(2)
        ],
        batch_size=500,
    )

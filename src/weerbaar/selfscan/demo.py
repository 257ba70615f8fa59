"""Demo data of the self-scan: the first questionnaire, and two or three closed rounds in each demo
municipality (Demostad also has an open round being answered), all taking part in the benchmark.

Scores are drawn from a fixed seed per municipality and improve a little each round, so the
radar shows progress and the benchmark shows a spread. Idempotent: a municipality that already
has a round is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django_scopes import scope

from weerbaar.core.demo import load_benchmark_municipalities
from weerbaar.core.models import Membership, Organisation, Role

from .content import load_questionnaire
from .models import Answer, Questionnaire, ScanRound, ScanSettings, ThemeAssignment

JUSTIFICATIONS = {
    1: "Hier is nog niets geregeld.",
    2: "Er is een begin gemaakt, maar het hangt af van een paar mensen.",
    3: "Het is vastgelegd en werkt in de hele organisatie.",
    4: "Het wordt elk jaar gecontroleerd en bijgesteld.",
    5: "Het werkt aantoonbaar en wordt getoetst.",
}


def _closed_round(org, questionnaire, questions, coordinator, *, title, closed_at, levels) -> ScanRound:
    scan_round = ScanRound.objects.create(
        organisation=org,
        title=title,
        questionnaire=questionnaire,
        status=ScanRound.Status.CLOSED,
        started_by=coordinator,
        started_at=closed_at - datetime.timedelta(days=30),
        closed_by=coordinator,
        closed_at=closed_at,
    )
    ThemeAssignment.objects.bulk_create(
        [
            ThemeAssignment(organisation=org, scan_round=scan_round, theme_id=t, member=coordinator)
            for t in sorted({q.theme_id for q in questions})
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(
                organisation=org,
                scan_round=scan_round,
                question=q,
                level=levels[q.pk],
                justification=JUSTIFICATIONS[levels[q.pk]],
                answered_by=coordinator,
                answered_at=closed_at - datetime.timedelta(days=3),
            )
            for q in questions
        ]
    )
    return scan_round


def _levels(rng: random.Random, questions, base: float) -> dict[int, int]:
    return {q.pk: max(1, min(5, round(rng.gauss(base, 0.9)))) for q in questions}


def load_rounds(org: Organisation, questionnaire: Questionnaire, *, rounds: int, open_round: bool = False) -> None:
    with scope(organisation=org.pk):
        ScanSettings.objects.get_or_create(organisation=org, defaults={"benchmark_opt_in": True})
        if ScanRound.objects.filter(organisation=org).exists():
            return
        coordinator = Membership.objects.filter(organisation=org, role=Role.COORDINATOR).first()
        questions = list(questionnaire.questions.select_related("theme"))
        rng = random.Random(org.slug)  # noqa: S311 - demo figures, not security
        now = timezone.now()
        base = rng.uniform(1.6, 2.8)
        levels = _levels(rng, questions, base)
        year = now.year
        for i in range(rounds):
            age = rounds - i  # the oldest first
            closed_at = now - datetime.timedelta(days=365 * (age - 1) + 40)
            _closed_round(
                org,
                questionnaire,
                questions,
                coordinator,
                title=f"Zelfscan {year - age + 1}",
                closed_at=closed_at,
                levels=levels,
            )
            # Next round: most answers stay, some improve by a level.
            levels = {pk: min(5, lv + (1 if rng.random() < 0.35 else 0)) for pk, lv in levels.items()}
        if open_round:
            _open_round(org, questionnaire, questions, coordinator)


def _open_round(org, questionnaire, questions, coordinator) -> None:
    expert = Membership.objects.filter(organisation=org, role=Role.EXPERT).first()
    scan_round = ScanRound.objects.create(
        organisation=org,
        title=f"Zelfscan {timezone.now().year} najaar",
        questionnaire=questionnaire,
        started_by=coordinator,
    )
    assignments = []
    for theme_id in sorted({q.theme_id for q in questions}):
        member = coordinator
        if expert is not None and any(
            q.theme.slug == "informatiebeveiliging" for q in questions if q.theme_id == theme_id
        ):
            member = expert
        assignments.append(ThemeAssignment(organisation=org, scan_round=scan_round, theme_id=theme_id, member=member))
    ThemeAssignment.objects.bulk_create(assignments)
    answered = {q.pk for q in questions[:3]}
    Answer.objects.bulk_create(
        [
            Answer(
                organisation=org,
                scan_round=scan_round,
                question=q,
                level=3 if q.pk in answered else None,
                justification=JUSTIFICATIONS[3] if q.pk in answered else "",
                answered_by=coordinator if q.pk in answered else None,
                answered_at=timezone.now() if q.pk in answered else None,
            )
            for q in questions
        ]
    )


def load_for_demo(organisations: dict[str, Organisation]) -> dict:
    """The demo loader that ``load_demo`` runs (registered in :mod:`weerbaar.selfscan.apps`)."""
    questionnaire = load_questionnaire()
    if questionnaire is None:
        return {"rounds": 0}
    # Questions with their themes, read once (the open round looks at theme slugs).
    questionnaire = Questionnaire.objects.get(pk=questionnaire.pk)
    extra = load_benchmark_municipalities()
    for org in organisations.values():
        load_rounds(org, questionnaire, rounds=2, open_round=org.slug == "demostad")
    for i, org in enumerate(extra):
        load_rounds(org, questionnaire, rounds=2 + i % 2)
    return {"municipalities": len(organisations) + len(extra)}

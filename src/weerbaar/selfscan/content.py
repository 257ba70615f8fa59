"""Load the shipped first version of the questionnaire (``content/questionnaire.yaml``).

Idempotent: the version is created when it does not exist. While nobody changed it in the
product (``from_content``), links to building blocks and BIO2 measures are refreshed, so a BIO2
catalogue or building block loaded later is linked on the next run. Versions that editors made
are never touched.
"""

from pathlib import Path

import yaml
from django.db import transaction

from weerbaar.knowledge.models import Bio2Measure, BuildingBlock, Theme

from .models import Question, Questionnaire

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "questionnaire.yaml"


def read() -> dict:
    with CONTENT_FILE.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@transaction.atomic
def load_questionnaire() -> Questionnaire | None:
    """Create (or refresh the links of) the shipped version; None when the themes are not loaded."""
    data = read()
    themes = {t.slug: t for t in Theme.objects.all()}
    if not themes:
        return None
    questionnaire = Questionnaire.objects.filter(version=data["version"]).first()
    if questionnaire is not None and not questionnaire.from_content:
        return questionnaire
    from django.utils import timezone

    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            version=data["version"],
            title=data["title"],
            notes=data.get("notes", ""),
            status=Questionnaire.Status.PUBLISHED,
            published_at=timezone.now(),
            from_content=True,
        )
    blocks = {b.slug: b for b in BuildingBlock.objects.all()}
    measures = {m.number: m for m in Bio2Measure.objects.all()}
    existing = {q.code: q for q in questionnaire.questions.all()}
    for order, item in enumerate(data["questions"], start=1):
        theme = themes.get(item["theme"])
        if theme is None:
            continue
        question = existing.get(item["code"])
        if question is None:
            levels = item["levels"]
            question = Question.objects.create(
                questionnaire=questionnaire,
                theme=theme,
                code=item["code"],
                order=order,
                text=item["text"],
                explanation=item.get("explanation", ""),
                **{f"level_{n}": levels[n - 1] for n in range(1, 6)},
            )
        question.building_blocks.set([blocks[s] for s in item.get("building_blocks") or [] if s in blocks])
        question.bio2_measures.set([measures[n] for n in item.get("bio2") or [] if n in measures])
    return questionnaire

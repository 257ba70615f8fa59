"""API router: the national knowledge base, read-only. Only published items."""

from datetime import date
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from .models import BuildingBlock, FrameworkStep, GlossaryTerm, Law, Principle, SecurityGoal, Status, Theme

router = Router(tags=["kennisbank"])

# Schema names are global in the OpenAPI document: the catalogue's goals, principles and steps
# are named apart from the framework's own (GoalOut, PrincipleOut, StepOut), which would
# otherwise replace them there.

# A theme filter is a slug: as long as the model's slug at most.
ThemeSlug = Annotated[str, Query(max_length=Theme._meta.get_field("slug").max_length)]


class ThemeOut(Schema):
    slug: str
    name: str
    name_en: str
    summary: str


class BuildingBlockOut(Schema):
    slug: str
    theme: str
    title: str
    summary: str


class BuildingBlockDetailOut(BuildingBlockOut):
    what: str
    why: str
    how_to_start: str
    pitfalls: str
    good_looks_like: str
    related: list[str]
    laws: list[str]
    terms: list[str]


class CatalogueGoalOut(Schema):
    slug: str
    name: str
    name_en: str
    order: int
    explanation: str


class CataloguePrincipleOut(Schema):
    slug: str
    category: str
    text: str
    goals: list[str]


class CatalogueStepOut(Schema):
    slug: str
    number: int
    name: str
    explanation: str
    activities: list[str]


class LawOut(Schema):
    slug: str
    name: str
    kind: str
    group: str
    reference: str
    url: str
    description: str
    last_checked: date | None
    themes: list[str]


class TermOut(Schema):
    slug: str
    term: str
    definition: str
    themes: list[str]


def _slugs(manager) -> list[str]:
    return [o.slug for o in manager.all() if o.status == Status.PUBLISHED]


@router.get("/kennisbank/themas", response=list[ThemeOut], summary="Thema's")
def themes(request):
    return list(Theme.objects.published())


def _block(b: BuildingBlock, detail: bool = False) -> dict:
    data = {"slug": b.slug, "theme": b.theme.slug, "title": b.title, "summary": b.summary}
    if detail:
        data.update(
            {f: getattr(b, f) for f in ("what", "why", "how_to_start", "pitfalls", "good_looks_like")},
            related=_slugs(b.related),
            laws=_slugs(b.laws),
            terms=_slugs(b.terms),
        )
    return data


@router.get("/kennisbank/bouwstenen", response=list[BuildingBlockOut], summary="Bouwstenen")
def building_blocks(request, thema: ThemeSlug = ""):
    qs = BuildingBlock.objects.published().select_related("theme")
    if thema:
        qs = qs.filter(theme__slug=thema)
    return [_block(b) for b in qs]


@router.get("/kennisbank/bouwstenen/{slug}", response=BuildingBlockDetailOut, summary="Eén bouwsteen")
def building_block(request, slug: str):
    qs = BuildingBlock.objects.published().select_related("theme").prefetch_related("related", "laws", "terms")
    return _block(get_object_or_404(qs, slug=slug), detail=True)


@router.get("/kennisbank/doelen", response=list[CatalogueGoalOut], summary="Beveiligingsdoelen")
def goals(request):
    return list(SecurityGoal.objects.published())


@router.get("/kennisbank/uitgangspunten", response=list[CataloguePrincipleOut], summary="Uitgangspunten")
def principles(request):
    qs = Principle.objects.published().select_related("category").prefetch_related("goals")
    return [{"slug": p.slug, "category": p.category.slug, "text": p.text, "goals": _slugs(p.goals)} for p in qs]


@router.get("/kennisbank/stappen", response=list[CatalogueStepOut], summary="Stappen van het strategisch kader")
def steps(request):
    qs = FrameworkStep.objects.published().prefetch_related("activities")
    return [
        {
            "slug": s.slug,
            "number": s.number,
            "name": s.name,
            "explanation": s.explanation,
            "activities": [a.text for a in s.activities.all() if a.status == Status.PUBLISHED],
        }
        for s in qs
    ]


@router.get("/kennisbank/wetten", response=list[LawOut], summary="Wettelijk kader")
def laws(request):
    qs = Law.objects.published().select_related("group").prefetch_related("themes")
    return [
        {
            **{f: getattr(law, f) for f in ("slug", "name", "kind", "reference", "url", "description", "last_checked")},
            "group": law.group.slug,
            "themes": _slugs(law.themes),
        }
        for law in qs
    ]


@router.get("/kennisbank/begrippen", response=list[TermOut], summary="Begrippen")
def glossary(request):
    qs = GlossaryTerm.objects.published().prefetch_related("themes")
    return [{"slug": t.slug, "term": t.term, "definition": t.definition, "themes": _slugs(t.themes)} for t in qs]

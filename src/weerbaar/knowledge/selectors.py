"""Reads of the knowledge base that are more than a filter."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django_scopes import scopes_disabled

from weerbaar.core import permissions
from weerbaar.core.models import Organisation

from . import search
from .models import (
    BuildingBlock,
    FieldExample,
    FrameworkStep,
    GlossaryTerm,
    Law,
    LawGroup,
    Principle,
    PrincipleCategory,
    Status,
    StepActivity,
    StepExample,
    Submission,
    Theme,
)


def visible(qs: QuerySet, user) -> QuerySet:
    """Editors see drafts too; everyone else only what is published."""
    return qs if permissions.allowed(user, "knowledge.edit") else qs.filter(status=Status.PUBLISHED)


def themes_overview(*, user) -> QuerySet[Theme]:
    editor = permissions.allowed(user, "knowledge.edit")
    only_published = None if editor else Q(building_blocks__status=Status.PUBLISHED)
    return visible(Theme.objects.all(), user).annotate(block_count=Count("building_blocks", filter=only_published))


def theme_page(*, theme: Theme, user) -> dict:
    return {
        "blocks": list(visible(theme.building_blocks.all(), user)),
        "examples": list(visible(theme.examples.filter(kind=FieldExample.Kind.EXAMPLE), user)),
        "tips": list(visible(theme.examples.filter(kind=FieldExample.Kind.TIP), user)),
        "laws": list(visible(theme.laws.select_related("group"), user)),
        "terms": list(visible(theme.terms.all(), user)),
    }


def building_block_detail(*, block: BuildingBlock, user) -> dict:
    return {
        "related": list(visible(block.related.select_related("theme"), user)),
        "laws": list(visible(block.laws.all(), user)),
        "terms": list(visible(block.terms.all(), user)),
    }


def glossary(*, user) -> QuerySet[GlossaryTerm]:
    return visible(GlossaryTerm.objects.all(), user).prefetch_related(
        Prefetch("related", queryset=visible(GlossaryTerm.objects.all(), user)),
        "themes",
    )


def law_groups(*, user) -> list[LawGroup]:
    """Every group with its laws, including the laws that also belong to it (``also_in``)."""
    laws = list(visible(Law.objects.all(), user).prefetch_related("themes", "also_in"))
    groups = list(LawGroup.objects.all())
    by_group = {g.pk: [] for g in groups}
    for law in laws:
        by_group[law.group_id].append(law)
        for g in law.also_in.all():
            if g.pk != law.group_id:
                by_group[g.pk].append(law)
    for group in groups:
        group.law_list = by_group[group.pk]
    return [g for g in groups if g.law_list]


def steps(*, user) -> QuerySet[FrameworkStep]:
    return visible(FrameworkStep.objects.all(), user).prefetch_related(
        Prefetch("activities", queryset=visible(StepActivity.objects.all(), user)),
        Prefetch("examples", queryset=visible(StepExample.objects.all(), user)),
    )


def principles_by_category(*, user) -> QuerySet[PrincipleCategory]:
    return visible(PrincipleCategory.objects.all(), user).prefetch_related(
        Prefetch("principles", queryset=visible(Principle.objects.all(), user).prefetch_related("goals"))
    )


def paginate(items, *, page, per_page: int = 20) -> Page:
    return Paginator(items, per_page).get_page(page)


def search_page(*, query: str, kind: str = "", theme: str = "", page=None, per_page: int = 20) -> tuple[Page, list]:
    """One page of ranked results and the normalised terms to highlight."""
    results = search.search(query, kind=kind, theme=theme)
    return paginate(results, page=page, per_page=per_page), search.query_terms(query)


def submissions_of(*, organisation: Organisation) -> QuerySet[Submission]:
    return Submission.objects.filter(organisation=organisation).select_related("theme", "submitted_by")


def submissions_for_review_across_organisations(*, state: str = Submission.State.SUBMITTED) -> list[Submission]:
    """National editors review what every municipality offered. Spans municipalities on purpose."""
    with scopes_disabled():
        return list(
            Submission.objects.filter(state=state)
            .select_related("organisation", "theme", "submitted_by")
            .order_by("created_at", "id")
        )


def submission_for_review_across_organisations(*, pk: int) -> Submission | None:
    with scopes_disabled():
        return Submission.objects.select_related("organisation", "theme", "submitted_by").filter(pk=pk).first()

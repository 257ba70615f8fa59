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
    """Editors see drafts too; everyone else what is published or retired (an old link to a
    retired item keeps working; the page says it is no longer in use)."""
    if permissions.allowed(user, "knowledge.edit"):
        return qs
    return qs.filter(status__in=[Status.PUBLISHED, Status.RETIRED])


def current(qs: QuerySet, user) -> QuerySet:
    """Like :func:`visible`, without retired items: for overviews that offer what to use."""
    return visible(qs, user).exclude(status=Status.RETIRED)


def themes_overview(*, user) -> QuerySet[Theme]:
    editor = permissions.allowed(user, "knowledge.edit")
    counted = ~Q(building_blocks__status=Status.RETIRED) if editor else Q(building_blocks__status=Status.PUBLISHED)
    return current(Theme.objects.all(), user).annotate(block_count=Count("building_blocks", filter=counted))


def theme_page(*, theme: Theme, user) -> dict:
    return {
        "blocks": list(current(theme.building_blocks.all(), user)),
        "examples": list(current(theme.examples.filter(kind=FieldExample.Kind.EXAMPLE), user)),
        "tips": list(current(theme.examples.filter(kind=FieldExample.Kind.TIP), user)),
        "laws": list(current(theme.laws.select_related("group"), user)),
        "terms": list(current(theme.terms.all(), user)),
    }


def building_block_detail(*, block: BuildingBlock, user) -> dict:
    return {
        "related": list(current(block.related.select_related("theme"), user)),
        "laws": list(visible(block.laws.select_related("replaced_by"), user)),
        "terms": list(current(block.terms.all(), user)),
    }


def glossary(*, user) -> QuerySet[GlossaryTerm]:
    return visible(GlossaryTerm.objects.all(), user).prefetch_related(
        Prefetch("related", queryset=visible(GlossaryTerm.objects.all(), user)),
        "themes",
    )


def law_groups(*, user, name: str = "", group: LawGroup | None = None, kind: str = "", theme=None) -> list[LawGroup]:
    """Every group with the laws that belong to it, each law once (under its own group).

    ``group.law_list``: the group's own laws, retired ones last; ``group.see_also``: laws of
    another group that matter here too (``also_in``), as a reference to where they stand.
    The filters narrow both; a filtered-out group is left out.
    """
    qs = visible(Law.objects.all(), user).select_related("replaced_by", "group").prefetch_related("themes", "also_in")
    if name:
        qs = qs.filter(Q(name__icontains=name) | Q(reference__icontains=name))
    if kind:
        qs = qs.filter(kind=kind)
    if theme is not None:
        qs = qs.filter(themes=theme)
    laws = sorted(qs.distinct(), key=lambda law: (law.status == Status.RETIRED, law.order, law.name))
    groups = [g for g in LawGroup.objects.all() if group is None or g.pk == group.pk]
    by_group = {g.pk: [] for g in groups}
    see_also = {g.pk: [] for g in groups}
    for law in laws:
        if law.group_id in by_group:
            by_group[law.group_id].append(law)
        for g in law.also_in.all():
            if g.pk != law.group_id and g.pk in see_also and law.status != Status.RETIRED:
                see_also[g.pk].append(law)
    for g in groups:
        g.law_list = by_group[g.pk]
        g.see_also = see_also[g.pk]
    return [g for g in groups if g.law_list or g.see_also]


def law_kinds_in_use() -> list[tuple[str, str]]:
    """The kinds of law that occur, for the filter (no empty options)."""
    used = set(Law.objects.readable().values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in Law.Kind.choices if value in used]


def broken_links():
    """Outside addresses that stopped answering at the last link check, worst first."""
    from .models import ExternalLink

    return ExternalLink.objects.filter(ok=False).order_by("failing_since", "url")


def last_link_check():
    from django.db.models import Max

    from .models import ExternalLink

    return ExternalLink.objects.aggregate(last=Max("checked_at"), total=Count("id"))


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


def search_suggestion(*, query: str, kind: str = "", theme: str = "") -> str | None:
    """ "Bedoelde u ...?": a corrected query that finds something, for one that found nothing."""
    return search.suggest(query, kind=kind, theme=theme)


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

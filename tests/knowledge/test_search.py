import pytest

from weerbaar.knowledge import services
from weerbaar.knowledge.models import BuildingBlock, GlossaryTerm, SearchDocument, Theme
from weerbaar.knowledge.search import fold, query_terms, rebuild_index, search

SEARCH = "/kennisbank/zoeken/"


def titles(results) -> list[str]:
    return [d.title for d in results[0 : len(results)]]


def test_query_is_folded_and_dutch_endings_are_stripped():
    assert query_terms("Beveiligingsrisico's") == ["beveiligingsrisico"]
    assert query_terms("beveiligingsrisico’s") == ["beveiligingsrisico"]
    assert query_terms("Continuïteit") == ["continuiteit"]
    assert query_terms("maatregelen") == ["maatregel"]
    assert query_terms("  ") == []
    assert fold("Fryslân") == "fryslan"


def test_possessive_plural_finds_the_singular(content):
    BuildingBlock.objects.filter(slug="ib-bio2-ensia-verbinden").update(title="Zicht op het beveiligingsrisico")
    rebuild_index()
    found = titles(search("beveiligingsrisico's"))
    assert "Zicht op het beveiligingsrisico" in found


def test_search_ignores_accents(content):
    term = GlossaryTerm.objects.first()
    GlossaryTerm.objects.filter(pk=term.pk).update(term="Bedrijfscontinuïteit in de praktijk")
    rebuild_index()
    assert "Bedrijfscontinuïteit in de praktijk" in titles(search("bedrijfscontinuiteit"))
    assert "Bedrijfscontinuïteit in de praktijk" in titles(search("BEDRIJFSCONTINUÏTEIT"))


def test_title_matches_rank_above_body_matches(content):
    results = titles(search("screening"))
    assert results
    assert "screening" in fold(results[0])


def test_filters_by_theme_and_kind(content, coordinator_client):
    all_results = search("risico")
    by_kind = search("risico", kind="begrip")
    by_theme = search("risico", theme="integriteit")
    assert 0 < by_kind.count() < all_results.count()
    assert {d.kind for d in by_kind[0 : by_kind.count()]} == {"begrip"}
    assert 0 < by_theme.count() < all_results.count()
    assert all(" integriteit " in d.themes for d in by_theme[0 : by_theme.count()])
    response = coordinator_client.get(SEARCH, {"q": "risico", "soort": "bouwsteen", "thema": "integriteit"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count > 0
    integrity = Theme.objects.get(slug="integriteit")
    block_urls = {b.get_absolute_url() for b in integrity.building_blocks.all()}
    assert {d.url for d in page} <= block_urls


def test_results_are_highlighted_and_escaped(content, coordinator_client):
    body = coordinator_client.get(SEARCH, {"q": "beveiligingsrisico's"}).content.decode()
    assert '<mark class="utrecht-mark">' in body
    assert "resultaten" in body


def test_highlight_escapes_html():
    from weerbaar.knowledge.search import highlight

    html = highlight("<b>Continuïteit</b> & meer", ["continuiteit"])
    assert html == '&lt;b&gt;<mark class="utrecht-mark">Continuïteit</mark>&lt;/b&gt; &amp; meer'


def test_an_editors_change_is_searchable_at_once(content, editor):
    block = BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden")
    services.content_update(item=block, user=editor, data={"title": "Zebrapadbeveiliging"})
    assert titles(search("zebrapad")) == ["Zebrapadbeveiliging"]
    services.content_set_status(item=block, user=editor, status="draft")
    assert titles(search("zebrapad")) == []


def test_an_empty_query_shows_no_results(content, coordinator_client):
    response = coordinator_client.get(SEARCH, {"q": ""})
    assert response.status_code == 200
    assert response.context["page"] is None


@pytest.fixture
def many_documents(content):
    theme = Theme.objects.get(slug="informatiebeveiliging")
    BuildingBlock.objects.bulk_create(
        [
            BuildingBlock(slug=f"extra-{i}", theme=theme, title=f"Risicoanalyse variant {i}", what="risico " * 20)
            for i in range(600)
        ]
    )
    rebuild_index()


def test_search_is_paginated_with_a_constant_query_count(
    many_documents, coordinator_client, django_assert_max_num_queries
):
    assert SearchDocument.objects.count() > 800
    for params in (
        {"pagina": 1},
        {"pagina": 2},
        {"pagina": 10},
        {"soort": "bouwsteen"},
        {"thema": "informatiebeveiliging"},
    ):
        with django_assert_max_num_queries(12):
            response = coordinator_client.get(SEARCH, {"q": "risico", **params})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 20


BODY = "Bij een evenement staat soms een zeepkist op het plein. Wie de zeepkist gebruikt, meldt dat vooraf."


@pytest.fixture
def title_and_body_matches(content):
    """Ten documents with 'zeepkist' only in the text, created first (lower ids), then three
    with it in the title: a broad query must still show the title matches first."""
    theme = Theme.objects.get(slug="informatiebeveiliging")
    BuildingBlock.objects.bulk_create(
        [BuildingBlock(slug=f"tekst-{i}", theme=theme, title=f"Onderwerp {i}", what=BODY) for i in range(10)]
        + [BuildingBlock(slug=f"titel-{i}", theme=theme, title=f"Zeepkist nummer {i}", what="iets") for i in range(3)]
    )
    rebuild_index()


@pytest.mark.parametrize("cap", [1000, 5])
def test_title_matches_come_first_also_when_only_the_best_candidates_are_ranked(
    title_and_body_matches, monkeypatch, cap
):
    from weerbaar.knowledge import search as search_module

    monkeypatch.setattr(search_module, "RESULT_CAP", cap)
    results = search("zeepkist")
    first = titles(results)[:3]
    assert sorted(first) == ["Zeepkist nummer 0", "Zeepkist nummer 1", "Zeepkist nummer 2"]


def test_a_very_broad_query_says_more_than_and_pages_to_the_cap_on_postgresql(
    many_documents, coordinator_client, monkeypatch
):
    from django.db import connection

    from weerbaar.knowledge import search as search_module

    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every FTS5 match exactly (fast enough there)")
    monkeypatch.setattr(search_module, "RESULT_CAP", 100)
    response = coordinator_client.get(SEARCH, {"q": "risico"})
    assert "Meer dan 100 resultaten" in response.content.decode()
    assert response.context["page"].paginator.num_pages == 5
    last = coordinator_client.get(SEARCH, {"q": "risico", "pagina": 5}).context["page"]
    assert len(last.object_list) == 20
    assert all("risico" in fold(d.title + d.body) for d in last)
    # A narrower query still gets its exact count.
    response = coordinator_client.get(SEARCH, {"q": "risico", "soort": "begrippen"})
    assert "Meer dan" not in response.content.decode()
    assert response.context["page"].paginator.count == search("risico", kind="begrippen").count() < 100


def test_pages_of_a_broad_query_do_not_overlap(many_documents):
    results = search("risico")
    seen = [d.pk for start in range(0, 200, 20) for d in results[start : start + 20]]
    assert len(seen) == len(set(seen)) == 200

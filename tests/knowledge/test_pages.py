import pytest
from django.utils import timezone

from weerbaar.knowledge.models import BuildingBlock, GlossaryTerm, Law, LawGroup, Principle, Status, Theme

from ..conftest import member

PAGES = [
    "/kennisbank/",
    "/kennisbank/thema/informatiebeveiliging/",
    "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/",
    "/kennisbank/begrippen/",
    "/kennisbank/wetten/",
    "/kennisbank/catalogus/stappen/",
    "/kennisbank/catalogus/scope/",
    "/kennisbank/catalogus/doelen/",
    "/kennisbank/catalogus/uitgangspunten/",
    "/kennisbank/catalogus/pdca/",
    "/kennisbank/catalogus/governance/",
    "/kennisbank/zoeken/?q=risico",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_member_can_read_the_knowledge_base(url, content, demostad, login):
    client = login(member(demostad, "lezer").user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"utrecht-heading-1" in response.content


def test_theme_page_shows_blocks_examples_tips_and_laws(content, coordinator_client):
    body = coordinator_client.get("/kennisbank/thema/informatiebeveiliging/").content.decode()
    theme = Theme.objects.get(slug="informatiebeveiliging")
    for block in theme.building_blocks.all():
        assert block.title.replace("'", "&#x27;") in body or block.title in body
    assert 'id="voorbeelden"' in body and 'id="tips"' in body and 'id="wetten"' in body
    assert theme.examples.filter(kind="tip").exists()


def test_building_block_shows_related_items_laws_and_terms(content, coordinator_client):
    body = coordinator_client.get("/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/").content.decode()
    assert "/kennisbank/bouwstenen/classificatie-van-informatie/" in body
    assert "/kennisbank/wetten/#bio2" in body
    assert "/kennisbank/begrippen/#" in body
    assert "Bewerken" not in body


def test_markdown_is_rendered_and_scripts_are_stripped(content, coordinator_client):
    BuildingBlock.objects.filter(slug="ib-bio2-ensia-verbinden").update(
        what="**vet** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    body = coordinator_client.get("/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/").content.decode()
    assert "<strong>vet</strong>" in body
    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "onerror" not in body


def test_stale_laws_are_marked_for_editors_only(content, demostad, editor, login):
    Law.objects.filter(slug="bio2").update(last_checked=timezone.localdate().replace(year=2020))
    mark = "verouderd (meer dan een jaar niet gecontroleerd)"
    assert mark in login(editor).get("/kennisbank/wetten/").content.decode()
    body = login(member(demostad, "coordinator").user).get("/kennisbank/wetten/").content.decode()
    assert mark not in body
    assert "Laatst gecontroleerd" in body


def test_draft_items_are_hidden_from_municipalities_and_shown_to_editors(content, coordinator_client, editor, login):
    BuildingBlock.objects.filter(slug="ib-bio2-ensia-verbinden").update(status=Status.DRAFT)
    assert coordinator_client.get("/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/").status_code == 404
    response = login(editor).get("/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/")
    assert response.status_code == 200
    assert "concept" in response.content.decode()


def test_unknown_slug_is_404(content, coordinator_client):
    assert coordinator_client.get("/kennisbank/bouwstenen/bestaat-niet/").status_code == 404


@pytest.fixture
def many_rows(content):
    theme = Theme.objects.get(slug="informatiebeveiliging")
    group = LawGroup.objects.first()
    laws = Law.objects.bulk_create(
        [Law(slug=f"wet-{i}", name=f"Extra wet {i}", group=group, description="risico") for i in range(150)]
    )
    terms = GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(slug=f"begrip-{i}", term=f"Extra begrip {i}", definition="risico") for i in range(150)]
    )
    blocks = BuildingBlock.objects.bulk_create(
        [BuildingBlock(slug=f"blok-{i}", theme=theme, title=f"Extra bouwsteen {i}", summary="x") for i in range(150)]
    )
    for law in laws[:50]:
        law.themes.add(theme)
    for term in terms[:50]:
        term.related.add(terms[-1])
        term.themes.add(theme)
    for block in blocks[:50]:
        block.laws.add(laws[0])
    category = Principle.objects.first().category
    Principle.objects.bulk_create([Principle(slug=f"up-{i}", category=category, text=f"Extra {i}") for i in range(150)])
    from weerbaar.knowledge.search import rebuild_index

    rebuild_index()


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_have_a_query_budget_with_many_rows(
    url, many_rows, demostad, login, editor, django_assert_max_num_queries
):
    for user in (member(demostad, "lezer").user, editor):
        client = login(user)
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_markdown_headings_follow_the_page_outline():
    from weerbaar.knowledge.templatetags.knowledge import render_markdown

    html = render_markdown("### Kop\n\ntekst\n\n#### Sub", top=2)
    assert '<h2 class="utrecht-heading-2">Kop</h2>' in html
    assert "<h3" in html and "<h4" not in html


def test_load_content_command_is_safe_to_rerun(content):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_content", stdout=out)
    call_command("load_content", stdout=out)
    assert "building_blocks: " in out.getvalue()
    assert BuildingBlock.objects.filter(slug__startswith="ib-").count() >= 1


def test_edit_and_navigation_controls_are_hidden_when_printing(content, editor, login):
    body = login(editor).get("/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/").content.decode()
    assert 'class="weerbaar-actions weerbaar-noprint"' in body
    assert 'aria-labelledby="geschiedenis" class="weerbaar-noprint"' in body

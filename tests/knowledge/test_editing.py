import pytest

from weerbaar.knowledge import content as content_module
from weerbaar.knowledge.models import (
    BuildingBlock,
    GlossaryTerm,
    Law,
    Principle,
    Revision,
    SecurityGoal,
    Status,
    Theme,
)

from ..conftest import member

EDIT_URLS = [
    "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/bewerken/",
    "/kennisbank/begrippen/integrale-beveiliging/bewerken/",
    "/kennisbank/wetten/bio2/bewerken/",
    "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/status/",
    "/kennisbank/redactie/",
    "/kennisbank/thema/integriteit/bewerken/",
    "/kennisbank/catalogus/stappen/visie/bewerken/",
    "/kennisbank/catalogus/doelen/detecteren/bewerken/",
    "/kennisbank/catalogus/uitgangspunten/{principle}/bewerken/",
    "/kennisbank/catalogus/pdca/plan/bewerken/",
]


@pytest.mark.parametrize("role", ["coordinator", "expert", "bestuur", "auditor", "lezer"])
def test_municipal_users_cannot_edit_national_content(role, content, demostad, login):
    client = login(member(demostad, role).user)
    principle = Principle.objects.order_by("pk").first().slug
    for url in (u.format(principle=principle) for u in EDIT_URLS):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"title": "Gekaapt", "status": "draft"}).status_code == 403, url
    assert not BuildingBlock.objects.filter(title="Gekaapt").exists()
    assert not Revision.objects.exists()


def block_data(block, **changes):
    data = {
        "title": block.title,
        "theme": block.theme_id,
        "status": block.status,
        "summary": block.summary,
        "what": block.what,
        "why": block.why,
        "how_to_start": block.how_to_start,
        "pitfalls": block.pitfalls,
        "good_looks_like": block.good_looks_like,
        "related": [b.pk for b in block.related.all()],
        "laws": [law.pk for law in block.laws.all()],
        "terms": [t.pk for t in block.terms.all()],
    }
    data.update(changes)
    return data


def test_editor_edits_a_building_block_with_history(content, editor_client, editor):
    block = BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden")
    url = "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/bewerken/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, block_data(block, title="BIO2 en integrale beveiliging", laws=[]))
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.title == "BIO2 en integrale beveiliging"
    assert block.edited_in_product and block.updated_by == editor
    assert not block.laws.exists()
    revision = Revision.objects.get(item_type="knowledge.buildingblock", item_id=block.pk)
    assert revision.actor == editor
    assert revision.before["title"] != revision.after["title"]
    assert "bio2" in revision.before["laws"] and revision.after["laws"] == []
    page = editor_client.get("/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/").content.decode()
    assert "Geschiedenis" in page and editor.get_full_name() in page
    # Re-loading the shipped content keeps the editor's version.
    content_module.load_all()
    block.refresh_from_db()
    assert block.title == "BIO2 en integrale beveiliging"


def test_editor_publishes_and_unpublishes(content, editor_client):
    url = "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/status/"
    # Taking a published item out of view asks first and changes nothing until confirmed.
    page = editor_client.post(url)
    assert page.status_code == 200 and "Wat er gebeurt" in page.content.decode()
    assert BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden").status == Status.PUBLISHED
    editor_client.post(url, {"status": "draft", "confirmed": "1"})
    assert BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden").status == Status.DRAFT
    editor_client.post(url)
    assert BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden").status == Status.PUBLISHED
    assert Revision.objects.filter(item_type="knowledge.buildingblock").count() == 2


def test_editor_edits_a_term_and_a_law(content, editor_client):
    term = GlossaryTerm.objects.get(slug="integrale-beveiliging")
    response = editor_client.post(
        "/kennisbank/begrippen/integrale-beveiliging/bewerken/",
        {"term": term.term, "status": "published", "definition": "Nieuwe definitie.", "themes": [], "related": []},
    )
    assert response.status_code == 302
    assert GlossaryTerm.objects.get(pk=term.pk).definition == "Nieuwe definitie."
    law = Law.objects.get(slug="bio2")
    response = editor_client.post(
        "/kennisbank/wetten/bio2/bewerken/",
        {
            "name": law.name,
            "status": "draft",
            "kind": law.kind,
            "group": law.group_id,
            "reference": law.reference,
            "url": "https://example.org/bio2",
            "description": law.description,
            "last_checked": "2026-01-15",
            "themes": [t.pk for t in law.themes.all()],
        },
    )
    assert response.status_code == 302
    law.refresh_from_db()
    assert law.status == Status.DRAFT and str(law.last_checked) == "2026-01-15"
    assert Revision.objects.filter(item_type="knowledge.law", item_id=law.pk).exists()
    history = editor_client.get("/kennisbank/wetten/bio2/bewerken/").content.decode()
    assert "2026-01-15" in history


def test_invalid_edit_is_rejected_with_400(content, editor_client):
    block = BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden")
    response = editor_client.post(
        "/kennisbank/bouwstenen/ib-bio2-ensia-verbinden/bewerken/", block_data(block, title="")
    )
    assert response.status_code == 400
    assert not Revision.objects.exists()


def test_editor_edits_catalogue_principle_goals_and_theme_with_history(content, editor_client, editor):
    principle = Principle.objects.order_by("pk").first()
    detect = SecurityGoal.objects.get(slug="detecteren")
    url = f"/kennisbank/catalogus/uitgangspunten/{principle.slug}/bewerken/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {
            "text": "Elke maatregel dient een vastgesteld doel.",
            "status": "published",
            "category": principle.category_id,
            "goals": [detect.pk],
        },
    )
    assert response.status_code == 302
    principle.refresh_from_db()
    assert principle.text == "Elke maatregel dient een vastgesteld doel."
    assert list(principle.goals.all()) == [detect]
    revision = Revision.objects.get(item_type="knowledge.principle", item_id=principle.pk)
    assert revision.after["text"] == "Elke maatregel dient een vastgesteld doel."
    page = editor_client.get("/kennisbank/catalogus/uitgangspunten/").content.decode()
    assert "Elke maatregel dient een vastgesteld doel." in page

    theme = Theme.objects.get(slug="integriteit")
    bad = editor_client.post("/kennisbank/thema/integriteit/bewerken/", {"name": "", "status": "published"})
    assert bad.status_code == 400
    assert "Dit veld is verplicht." in bad.content.decode()
    ok = editor_client.post(
        "/kennisbank/thema/integriteit/bewerken/",
        {"name": "Integriteit", "name_en": "Integrity", "status": "published", "summary": "Kort.", "body": theme.body},
    )
    assert ok.status_code == 302
    assert Theme.objects.get(pk=theme.pk).summary == "Kort."

"""National editors create items, retire them and mark a law as replaced by its successor."""

import pytest
from django.urls import reverse
from django_scopes import scope

from weerbaar.framework.documents import document_context
from weerbaar.framework.models import Step
from weerbaar.framework.selectors import laws_for_choice
from weerbaar.knowledge.forms import BuildingBlockForm
from weerbaar.knowledge.models import (
    BuildingBlock,
    FieldExample,
    GlossaryTerm,
    Law,
    LawGroup,
    Principle,
    PrincipleCategory,
    Revision,
    SearchDocument,
    SecurityGoal,
    Status,
    Theme,
)

from ..conftest import member
from ..framework.factories import FrameworkVersionFactory


def test_editor_creates_a_law_that_is_searchable_and_listed(editor_client, editor):
    group = LawGroup.objects.get(slug="informatiebeveiliging")
    response = editor_client.post(
        reverse("knowledge:law_create"),
        {
            "name": "Wet digitale weerbaarheid gemeenten",
            "status": "published",
            "kind": "wet",
            "group": group.pk,
            "reference": "BWBR9999999",
            "url": "https://wetten.overheid.nl/BWBR9999999",
            "description": "Nieuwe **plichten** voor gemeenten.",
        },
    )
    law = Law.objects.get(name="Wet digitale weerbaarheid gemeenten")
    assert response.status_code == 302 and response["Location"] == law.get_absolute_url()
    assert law.slug == "wet-digitale-weerbaarheid-gemeenten"
    assert law.edited_in_product and law.updated_by == editor
    revision = Revision.objects.get(item_type="knowledge.law", item_id=law.pk)
    assert revision.before is None and revision.after["name"] == law.name
    assert SearchDocument.objects.filter(kind="wet", object_id=law.pk).exists()
    assert law.name in editor_client.get(reverse("knowledge:laws")).content.decode()


@pytest.mark.parametrize(
    ("url_name", "data", "model"),
    [
        (
            "knowledge:building_block_create",
            {"title": "Sleutelbeheer", "theme": "fysieke-beveiliging", "summary": "Wie heeft welke sleutel?"},
            BuildingBlock,
        ),
        (
            "knowledge:term_create",
            {"term": "Sleutelplan", "definition": "Overzicht van sloten en sleutels."},
            GlossaryTerm,
        ),
        (
            "knowledge:example_create",
            {"title": "Sleutelkluis", "theme": "fysieke-beveiliging", "kind": "tip", "body": "Een kluis met code."},
            FieldExample,
        ),
        ("knowledge:goal_create", {"name": "Herstellen", "explanation": "Snel weer normaal werken."}, SecurityGoal),
        ("knowledge:principle_create", {"text": "Sleutels worden jaarlijks geteld.", "category": "beleid"}, Principle),
    ],
)
def test_editor_creates_each_kind_of_item(editor_client, url_name, data, model):
    data = dict(data, status="published")
    if "theme" in data:
        data["theme"] = Theme.objects.get(slug=data["theme"]).pk
    if "category" in data:
        data["category"] = PrincipleCategory.objects.get(slug=data["category"]).pk
    assert editor_client.get(reverse(url_name)).status_code == 200
    response = editor_client.post(reverse(url_name), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = model.objects.latest("pk")
    assert item.status == Status.PUBLISHED and item.edited_in_product
    assert editor_client.get(response["Location"]).status_code == 200


def test_create_form_shows_errors_at_the_field_with_a_summary_and_keeps_input(editor_client):
    response = editor_client.post(
        reverse("knowledge:law_create"), {"name": "", "reference": "BWBR1", "status": "draft"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het formulier is nog niet in orde" in body
    assert 'href="#id_name"' in body
    assert 'value="BWBR1"' in body
    assert not Law.objects.filter(reference="BWBR1").exists()


@pytest.mark.parametrize("role", ["coordinator", "expert", "bestuur", "auditor", "lezer"])
def test_municipal_users_cannot_create_retire_or_replace(role, content, demostad, login):
    client = login(member(demostad, role).user)
    group = LawGroup.objects.first()
    assert client.get(reverse("knowledge:law_create")).status_code == 403
    assert client.post(reverse("knowledge:law_create"), {"name": "Kaap", "group": group.pk}).status_code == 403
    assert (
        client.post(reverse("knowledge:law_status", kwargs={"slug": "avg"}), {"status": "retired"}).status_code == 403
    )
    successor = Law.objects.get(slug="archiefwet")
    response = client.post(reverse("knowledge:law_replace", kwargs={"slug": "avg"}), {"successor": successor.pk})
    assert response.status_code == 403
    assert client.get(reverse("knowledge:links")).status_code == 403
    avg = Law.objects.get(slug="avg")
    assert avg.status == Status.PUBLISHED and avg.replaced_by is None
    assert not Law.objects.filter(name="Kaap").exists()


def test_retired_item_leaves_pick_lists_and_search_but_its_page_keeps_working(editor_client, client, content):
    block = BuildingBlock.objects.get(slug="zonering-gemeentehuis")
    response = editor_client.post(
        reverse("knowledge:building_block_status", kwargs={"slug": block.slug}), {"status": "retired", "confirmed": "1"}
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.status == Status.RETIRED
    assert not SearchDocument.objects.filter(kind="bouwsteen", object_id=block.pk).exists()
    # A visitor following an old link still reads the page, with a notice.
    page = client.get(block.get_absolute_url())
    assert page.status_code == 200
    assert "niet meer in gebruik" in page.content.decode()
    # Not offered when linking another block, not listed on its theme.
    other = BuildingBlock.objects.exclude(pk=block.pk).exclude(related=block).first()
    assert block not in BuildingBlockForm(instance=other).fields["related"].queryset
    assert block not in client.get(block.theme.get_absolute_url()).context["blocks"]
    # Bringing it back puts it in search again.
    editor_client.post(reverse("knowledge:building_block_status", kwargs={"slug": block.slug}), {"status": "published"})
    assert SearchDocument.objects.filter(kind="bouwsteen", object_id=block.pk).exists()


def test_a_form_keeps_a_retired_item_the_item_already_refers_to(content):
    block = BuildingBlock.objects.filter(laws__isnull=False).first()
    law = block.laws.first()
    Law.objects.filter(pk=law.pk).update(status=Status.RETIRED)
    assert law in BuildingBlockForm(instance=block).fields["laws"].queryset
    fresh = BuildingBlock.objects.exclude(laws=law).first()
    assert law not in BuildingBlockForm(instance=fresh).fields["laws"].queryset


def test_editor_marks_a_law_replaced_and_the_legal_annex_shows_the_successor(editor_client, client, demostad):
    old = Law.objects.get(slug="circulaire-bewaking-beveiliging")
    group = old.group
    editor_client.post(
        reverse("knowledge:law_create"),
        {
            "name": "Circulaire beveiligen van personen 2027",
            "status": "published",
            "kind": "circulaire",
            "group": group.pk,
        },
    )
    successor = Law.objects.get(name="Circulaire beveiligen van personen 2027")
    with scope(organisation=demostad):
        version = FrameworkVersionFactory(framework__organisation=demostad)
        version.steps.get(step=Step.SCOPE).laws.set([old, Law.objects.get(slug="avg")])

    response = editor_client.post(
        reverse("knowledge:law_replace", kwargs={"slug": old.slug}), {"successor": successor.pk}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.replaced_by == successor and old.status == Status.RETIRED
    assert Revision.objects.filter(item_type="knowledge.law", item_id=old.pk).first().after["replaced_by_id"] == (
        successor.pk
    )

    with scope(organisation=demostad):
        annex = document_context(version)["wetten"]
    names = [w["naam"] for w in annex]
    assert successor.name in names and old.name not in names
    assert {w["soort"] for w in annex} >= {"circulaire", "EU-verordening"}
    # No longer offered to municipalities choosing laws; its entry says what replaced it.
    assert old not in laws_for_choice()
    body = client.get(reverse("knowledge:laws")).content.decode()
    assert f'id="{old.slug}"' in body and "Vervangen door:" in body


def test_a_law_cannot_replace_itself_or_its_own_successor(editor_client, content):
    old, new = Law.objects.get(slug="wet-brp"), Law.objects.get(slug="besluit-brp")
    response = editor_client.post(reverse("knowledge:law_replace", kwargs={"slug": old.slug}), {"successor": old.pk})
    assert response.status_code == 400
    editor_client.post(reverse("knowledge:law_replace", kwargs={"slug": old.slug}), {"successor": new.pk})
    # The old law is retired now, so it is not offered as successor of its own successor.
    response = editor_client.post(reverse("knowledge:law_replace", kwargs={"slug": new.slug}), {"successor": old.pk})
    assert response.status_code == 400
    new.refresh_from_db()
    assert new.replaced_by is None and new.status == Status.PUBLISHED


def test_bringing_a_replaced_law_back_into_use_clears_its_successor(editor_client, content):
    old, new = Law.objects.get(slug="wet-brp"), Law.objects.get(slug="besluit-brp")
    editor_client.post(reverse("knowledge:law_replace", kwargs={"slug": old.slug}), {"successor": new.pk})
    editor_client.post(reverse("knowledge:law_status", kwargs={"slug": old.slug}), {"status": "published"})
    old.refresh_from_db()
    assert old.status == Status.PUBLISHED and old.replaced_by is None

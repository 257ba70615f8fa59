from weerbaar.knowledge import content as content_module
from weerbaar.knowledge.models import (
    BuildingBlock,
    FieldExample,
    FrameworkStep,
    GlossaryTerm,
    GovernanceVariant,
    Law,
    PdcaStep,
    Principle,
    SearchDocument,
    SecurityGoal,
    Theme,
)


def test_content_loads_with_the_expected_counts(content):
    assert Theme.objects.count() >= 8
    assert BuildingBlock.objects.count() >= 24
    assert Principle.objects.count() >= 30
    assert SecurityGoal.objects.count() == 10
    assert FrameworkStep.objects.count() == 5
    assert GlossaryTerm.objects.count() >= 30
    assert Law.objects.count() >= 20
    assert PdcaStep.objects.count() == 4
    assert GovernanceVariant.objects.exists()
    assert FieldExample.objects.exists()
    assert SearchDocument.objects.count() > 200


def test_relations_are_linked_by_slug(content):
    block = BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden")
    assert block.laws.filter(slug="bio2").exists()
    assert block.terms.exists()
    assert block.related.filter(slug="classificatie-van-informatie").exists()
    assert Principle.objects.get(slug="beleid-vastgesteld-en-actueel").goals.filter(slug="beschermen").exists()


def test_loading_twice_changes_nothing(content):
    counts = {m: m.objects.count() for m in (Theme, BuildingBlock, GlossaryTerm, Law, Principle, SearchDocument)}
    content_module.load_all()
    assert counts == {m: m.objects.count() for m in counts}


def test_loader_keeps_an_item_an_editor_changed(content):
    block = BuildingBlock.objects.get(slug="ib-bio2-ensia-verbinden")
    BuildingBlock.objects.filter(pk=block.pk).update(title="Eigen titel", edited_in_product=True)
    other = BuildingBlock.objects.exclude(pk=block.pk).first()
    original_title = other.title
    BuildingBlock.objects.filter(pk=other.pk).update(title="Tijdelijk")
    content_module.load_all()
    assert BuildingBlock.objects.get(pk=block.pk).title == "Eigen titel"
    assert BuildingBlock.objects.get(pk=other.pk).title == original_title

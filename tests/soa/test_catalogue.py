"""The BIO2 catalogue ships with every installation (data migration) and loads idempotently."""

from weerbaar.knowledge.models import Bio2Measure
from weerbaar.soa.catalogue import load_catalogue, read_rows


def test_every_number_of_the_list_is_installed_with_its_status(db):
    rows = read_rows()
    assert len(rows) == Bio2Measure.objects.count() == 166
    assert Bio2Measure.objects.filter(status="measure").count() == 118
    moved = Bio2Measure.objects.get(number="5.04.02")
    assert moved.status == "moved" and moved.moved_to == "5.10.02"
    assert Bio2Measure.objects.get(number="5.21.01").status == "withdrawn"
    assert Bio2Measure.objects.get(number="5.03.01").status == "no-government-measure"
    assert [b.number for b in Bio2Measure.objects.all()[:3]] == ["5.01.01", "5.01.02", "5.02.01"]


def test_every_government_measure_has_a_description_of_its_own(db):
    for b in Bio2Measure.objects.all():
        assert len(b.description) > 10, b.number
    # Government measures are described one by one, not with a shared template sentence.
    texts = list(Bio2Measure.objects.filter(status="measure").values_list("description", flat=True))
    assert len(set(texts)) == len(texts)
    assert "5.10.02" in Bio2Measure.objects.get(number="5.04.02").description


def test_loading_again_changes_nothing_and_repairs_a_changed_row(db):
    assert load_catalogue(Bio2Measure) == (0, 0)
    Bio2Measure.objects.filter(number="5.15.01").update(description="kapot", chapter="fysiek")
    Bio2Measure.objects.filter(number="8.34.01").delete()
    assert load_catalogue(Bio2Measure) == (1, 1)
    fixed = Bio2Measure.objects.get(number="5.15.01")
    assert fixed.chapter == "organisatorisch" and "vertrouwde" in fixed.description

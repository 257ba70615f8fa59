from weerbaar.framework.models import Step

from .factories import FrameworkVersionFactory


def test_a_version_from_the_factory_has_an_entry_per_step_in_its_municipality(demostad):
    version = FrameworkVersionFactory(framework__organisation=demostad, steps={"visie": {"text": "Open en veilig."}})
    entries = {e.step: e for e in version.steps.all()}
    assert set(entries) == set(Step.values)
    assert entries["visie"].text == "Open en veilig."
    assert {e.organisation_id for e in entries.values()} == {demostad.pk}

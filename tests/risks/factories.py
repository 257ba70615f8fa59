"""Register rows for tests that need a few of them, independent of the demo content.

Risks are scored as the services score them (the municipality's matrix, by default 5x5 with
acceptance level 6), so a test states the likelihood and impact it means and reads the scores.
"""

import factory

from weerbaar.risks import scoring, selectors
from weerbaar.risks.models import Asset, LocalThreat, Measure, MeasureConflict, Risk

from ..factories import OrganisationFactory


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"BM-{n + 1:03d}")
    name = factory.Sequence(lambda n: f"Bedrijfsmiddel {n + 1}")
    kind = Asset.Kind.BUILDING
    criticality = Asset.Criticality.HIGH


class LocalThreatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalThreat

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Eigen dreiging {n + 1}")
    deliberate = True


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"R-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Risico {n + 1}")
    inherent_likelihood = 3
    inherent_impact = 3
    residual_likelihood = None
    residual_impact = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        risk = model_class(*args, **kwargs)
        scoring.apply_scores(risk, selectors.scale_for(risk.organisation))
        risk.save()
        return risk

    @factory.post_generation
    def assets(self, create, extracted, **kwargs):
        if create and extracted:
            self.assets.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"M-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Maatregel {n + 1}")
    status = Measure.Status.PLANNED

    @factory.post_generation
    def risks(self, create, extracted, **kwargs):
        if create and extracted:
            self.risks.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class MeasureConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureConflict

    organisation = factory.SubFactory(OrganisationFactory)
    measure_a = factory.SubFactory(MeasureFactory, organisation=factory.SelfAttribute("..organisation"))
    measure_b = factory.SubFactory(MeasureFactory, organisation=factory.SelfAttribute("..organisation"))
    description = "Twee maatregelen schuren."

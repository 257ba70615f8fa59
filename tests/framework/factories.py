"""Frameworks, versions and step entries for tests, without the demo's texts.

A version gets one entry per step, as ``services.framework_start`` gives it, so views that
show every step find them.
"""

import factory

from weerbaar.framework.models import Framework, FrameworkVersion, Step, StepEntry

from ..factories import OrganisationFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkVersion
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    organisation = factory.SelfAttribute("framework.organisation")
    number = factory.Sequence(lambda n: n + 1)
    status = FrameworkVersion.Status.DRAFT

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        """``steps={"visie": {"text": ...}}`` fills entries; every step gets one."""
        if not create:
            return
        values = extracted or {}
        for step in Step.values:
            StepEntryFactory(version=self, step=step, **values.get(step, {}))


class StepEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepEntry
        django_get_or_create = ("version", "step")

    version = factory.SubFactory(FrameworkVersionFactory, steps=None)
    organisation = factory.SelfAttribute("version.organisation")
    step = Step.VISION

"""The register's services: prepare checks without writing, save writes what prepare checked."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from weerbaar.knowledge.models import Theme
from weerbaar.risks import services
from weerbaar.risks.models import Asset, Measure, Risk

from ..conftest import member


def _theme(slug):
    return Theme.objects.get(slug=slug).pk


def test_prepare_checks_without_writing_and_a_batch_shares_its_references(register):
    coordinator = member(register, "coordinator")
    with scope(organisation=register.pk):
        counts = (Asset.objects.count(), Risk.objects.count(), Measure.objects.count())
        taken: set[str] = set()
        allocator = services.ReferenceAllocator(Risk, register)
        first = services.risk_prepare(
            organisation=register,
            membership=coordinator,
            title="Eerste",
            themes=[_theme("fysieke-beveiliging")],
            inherent_likelihood=2,
            inherent_impact=3,
            allocator=allocator,
            taken=taken,
        )
        assert first.instance.pk is None and first.instance.inherent_score == 6
        assert first.m2m == {"themes": [_theme("fysieke-beveiliging")], "assets": []}
        # A later row may not claim the reference an earlier row of the batch got ...
        with pytest.raises(ValidationError) as caught:
            services.risk_prepare(
                organisation=register,
                membership=coordinator,
                title="Tweede",
                themes=[_theme("fysieke-beveiliging")],
                inherent_likelihood=2,
                inherent_impact=3,
                reference=first.instance.reference,
                taken=taken,
            )
        assert "reference" in caught.value.message_dict
        # ... and allocation skips references an earlier row chose by hand.
        nxt = int(first.instance.reference.split("-")[1]) + 1
        taken.add(f"R-{nxt:03d}")
        second = services.risk_prepare(
            organisation=register,
            membership=coordinator,
            title="Derde",
            themes=[_theme("fysieke-beveiliging")],
            inherent_likelihood=1,
            inherent_impact=1,
            allocator=allocator,
            taken=taken,
        )
        assert second.instance.reference == f"R-{nxt + 1:03d}"
        asset = services.asset_prepare(organisation=register, membership=coordinator, name="Nieuw", taken=taken)
        measure = services.measure_prepare(
            organisation=register,
            membership=coordinator,
            title="Nieuw",
            themes=[_theme("fysieke-beveiliging")],
            risks=[Risk.objects.first().pk],
        )
        assert asset.instance.pk is None and measure.instance.pk is None
        assert (Asset.objects.count(), Risk.objects.count(), Measure.objects.count()) == counts
        # Unknown links are refused in prepare, before anything is written.
        with pytest.raises(ValidationError) as caught:
            services.measure_prepare(
                organisation=register,
                membership=coordinator,
                title="Nieuw",
                themes=[_theme("fysieke-beveiliging")],
                risks=[10**9],
            )
        assert "risks" in caught.value.message_dict
        saved = services.write_prepared(first)
        assert saved.pk and list(saved.themes.values_list("pk", flat=True)) == [_theme("fysieke-beveiliging")]

"""The framework document lists the scope's assets from the register and the sub-plans kept as objects."""

import datetime

from django_scopes import scope

from weerbaar.documents.word import docx_text
from weerbaar.framework import documents, services
from weerbaar.framework.models import Step, SubPlan
from weerbaar.risks.models import Asset

from ..conftest import member
from ..risks.factories import AssetFactory


def test_word_and_page_show_register_assets_and_sub_plans(adopted, coordinator, demostad, client):
    with scope(organisation=demostad.pk):
        hall = AssetFactory(organisation=demostad, name="Gemeentehuis Oost", kind=Asset.Kind.BUILDING)
        adopted.steps.get(step=Step.SCOPE).scope_assets.set([hall])
        services.subplan_save(
            organisation=demostad,
            membership=coordinator,
            kind=SubPlan.Kind.PHYSICAL,
            title="Beveiligingsplan gemeentehuis",
            owner=member(demostad, "expert"),
            status=SubPlan.Status.ADOPTED,
            adopted_on=datetime.date(2026, 1, 15),
            review_on=datetime.date(2027, 6, 30),
        )
        text = docx_text(documents.render_word(adopted, use_template=False))
        styled = docx_text(documents.render_word(adopted))
    for content in (text, styled):
        assert "Bedrijfsmiddelen in de scope" in content
        assert "Gemeentehuis Oost" in content
        assert "Beveiligingsplan gemeentehuis" in content
        assert "30 juni 2027" in content
        assert "De gemeente heeft nog geen deelplannen." not in content


def test_without_register_assets_or_sub_plan_objects_their_tables_stay_out(adopted):
    with scope(organisation=adopted.organisation_id):
        text = docx_text(documents.render_word(adopted, use_template=False))
    assert "Bedrijfsmiddelen in de scope" not in text
    assert "Herzien uiterlijk op" not in text

"""Step 2 (scope) picks its assets from the risk register and adds new ones there: one list."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.framework import selectors, services
from weerbaar.framework.models import Step
from weerbaar.risks.models import Asset

from ..conftest import member
from ..risks.factories import AssetFactory
from .test_views import post_data, step_url


@pytest.fixture
def assets(demostad):
    return [
        AssetFactory(organisation=demostad, name="Gemeentehuis"),
        AssetFactory(organisation=demostad, name="Zaaksysteem", kind=Asset.Kind.ICT),
    ]


def test_the_scope_step_lists_the_register_and_saves_the_choice(coordinator_client, draft, assets):
    page = coordinator_client.get(step_url(draft, Step.SCOPE)).content.decode()
    assert "Bedrijfsmiddelen die binnen de scope vallen" in page
    assert "Gemeentehuis" in page and "Zaaksysteem" in page
    data = post_data(coordinator_client, draft, Step.SCOPE)
    data["scope_assets"] = [str(assets[0].pk)]
    response = coordinator_client.post(step_url(draft, Step.SCOPE), data)
    assert response.status_code == 302
    entry = draft.steps.get(step=Step.SCOPE)
    assert list(entry.scope_assets.all()) == [assets[0]]


def test_a_new_asset_goes_into_the_register_ticked_and_the_typed_text_stays(coordinator_client, draft, assets):
    data = post_data(coordinator_client, draft, Step.SCOPE)
    data.update(
        text="Mijn nog niet opgeslagen scopetekst.",
        scope_assets=[str(assets[1].pk)],
        new_asset_name="Milieustraat",
        new_asset_kind=Asset.Kind.BUILDING,
        new_asset_criticality="3",
        add_asset="1",
    )
    response = coordinator_client.post(step_url(draft, Step.SCOPE), data)
    assert response.status_code == 200
    page = response.content.decode()
    new = Asset.objects.get(name="Milieustraat")
    assert new.kind == Asset.Kind.BUILDING and new.criticality == 3 and new.reference
    assert "staat nu in het register en is aangevinkt" in page
    assert "Mijn nog niet opgeslagen scopetekst." in page
    form = response.context["form"]
    assert set(form["scope_assets"].value()) == {str(assets[1].pk), str(new.pk)}
    # Not in the scope until the step is saved; then it is the register's own row.
    assert not draft.steps.get(step=Step.SCOPE).scope_assets.exists()
    data = post_data(coordinator_client, draft, Step.SCOPE)
    data.update(scope_assets=[str(assets[1].pk), str(new.pk)], text="Scope.")
    assert coordinator_client.post(step_url(draft, Step.SCOPE), data).status_code == 302
    assert set(draft.steps.get(step=Step.SCOPE).scope_assets.all()) == {assets[1], new}


def test_adding_an_asset_without_a_name_says_so_at_the_field(coordinator_client, draft):
    data = post_data(coordinator_client, draft, Step.SCOPE)
    data.update(add_asset="1", new_asset_name="  ")
    response = coordinator_client.post(step_url(draft, Step.SCOPE), data)
    assert response.status_code == 400
    assert "Vul de naam van het nieuwe bedrijfsmiddel in" in response.content.decode()
    assert not Asset.objects.exists()


def test_a_co_writer_picks_assets_but_does_not_add_to_the_register(client, login, draft, coordinator, assets):
    expert = member(draft.organisation, "expert")
    services.delegation_add(version=draft, step=Step.SCOPE, member=expert, membership=coordinator)
    login(expert.user)
    page = client.get(step_url(draft, Step.SCOPE)).content.decode()
    assert "Bedrijfsmiddelen die binnen de scope vallen" in page
    assert "Een nieuw bedrijfsmiddel in het register zetten" not in page


def test_another_municipalitys_asset_cannot_enter_the_scope(draft, coordinator, voorbeeldrecht):
    with scopes_disabled():
        foreign = AssetFactory(organisation=voorbeeldrecht)
    entry = draft.steps.get(step=Step.SCOPE)
    with pytest.raises(ValidationError):
        services.step_save(
            entry=entry, expected_revision=entry.revision, membership=coordinator, scope_assets=[foreign]
        )


def test_completeness_counts_assets_from_the_register(draft, coordinator, assets):
    entry = draft.steps.get(step=Step.SCOPE)
    missing = " ".join(selectors.completeness(draft).for_step(Step.SCOPE).missing)
    assert "bedrijfsmiddelen uit het register" in missing
    services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, scope_assets=assets)
    missing = " ".join(selectors.completeness(draft).for_step(Step.SCOPE).missing)
    assert "bedrijfsmiddelen" not in missing


def test_a_new_version_keeps_the_scope_assets(adopted, coordinator, assets, demostad):
    with scope(organisation=demostad.pk):
        adopted.steps.get(step=Step.SCOPE).scope_assets.set(assets)
        new = services.version_create_from(source=adopted, membership=coordinator)
        assert set(new.steps.get(step=Step.SCOPE).scope_assets.all()) == set(assets)


def test_the_api_reads_and_writes_the_scope_assets(client, draft, coordinator, assets, voorbeeldrecht):
    with scopes_disabled():
        _, raw = api_token_create(membership=coordinator, name="t")
        foreign = AssetFactory(organisation=voorbeeldrecht)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/framework/versions/{draft.pk}/steps/{Step.SCOPE}"
    body = {"revision": 0, "scope_assets": [assets[0].pk]}
    response = client.put(url, body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    scope_step = next(s for s in response.json()["steps"] if s["step"] == Step.SCOPE)
    assert scope_step["scope_assets"] == [assets[0].pk]
    body = {"revision": 1, "scope_assets": [foreign.pk]}
    response = client.put(url, body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert "body.scope_assets" in response.content.decode()

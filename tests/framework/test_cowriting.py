"""Co-writing: the coordinator gives a member one step of a version; that member edits it, others comment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core import permissions
from weerbaar.core.models import AuditEntry
from weerbaar.framework import services
from weerbaar.framework.models import Step, StepDelegation

from ..conftest import member
from .test_views import post_data, step_url


@pytest.fixture
def viewer(demostad):
    return member(demostad, "lezer")


@pytest.fixture
def expert(demostad):
    return member(demostad, "expert")


def _delegate(draft, step, to, coordinator):
    return services.delegation_add(version=draft, step=step, member=to, membership=coordinator)


# --- the rule --------------------------------------------------------------------------------


def test_a_delegated_viewer_may_edit_that_step_and_no_other(draft, coordinator, viewer):
    vision = draft.steps.get(step=Step.VISION)
    scope = draft.steps.get(step=Step.SCOPE)
    assert not permissions.allowed(viewer, "framework.edit_step", vision)
    _delegate(draft, Step.VISION, viewer, coordinator)
    assert permissions.allowed(viewer, "framework.edit_step", vision)
    assert permissions.allowed(viewer, "framework.edit_step", (draft, Step.VISION))
    assert not permissions.allowed(viewer, "framework.edit_step", scope)
    # Co-writing a step is not editing the framework: submitting stays the coordinator's.
    assert not permissions.allowed(viewer, "framework.edit")
    assert permissions.allowed(coordinator, "framework.edit_step", scope)


def test_only_the_coordinator_delegates(draft, coordinator, viewer, expert, board):
    for who in (viewer, expert, board):
        with pytest.raises(PermissionDenied):
            services.delegation_add(version=draft, step=Step.VISION, member=viewer, membership=who)
    delegation = _delegate(draft, Step.VISION, viewer, coordinator)
    with pytest.raises(PermissionDenied):
        services.delegation_remove(delegation=delegation, membership=expert)


def test_delegating_twice_or_to_a_coordinator_is_refused_in_dutch(draft, coordinator, viewer):
    _delegate(draft, Step.VISION, viewer, coordinator)
    with pytest.raises(ValidationError) as twice:
        _delegate(draft, Step.VISION, viewer, coordinator)
    assert "schrijft al mee" in twice.value.messages[0]
    with pytest.raises(ValidationError) as coord:
        _delegate(draft, Step.VISION, coordinator, coordinator)
    assert "alle stappen al bewerken" in coord.value.messages[0]


def test_a_member_of_another_municipality_cannot_be_given_a_step(draft, coordinator, voorbeeldrecht):
    stranger = member(voorbeeldrecht, "lezer")
    with pytest.raises(ValidationError):
        _delegate(draft, Step.VISION, stranger, coordinator)


def test_an_adopted_version_takes_no_co_writers(adopted, coordinator, viewer):
    with pytest.raises(ValidationError):
        _delegate(adopted, Step.VISION, viewer, coordinator)


def test_delegation_and_its_removal_are_in_the_log(draft, coordinator, viewer):
    delegation = _delegate(draft, Step.VISION, viewer, coordinator)
    pk = delegation.pk
    services.delegation_remove(delegation=delegation, membership=coordinator)
    with scopes_disabled():
        actions = set(
            AuditEntry.objects.filter(object_type="framework.stepdelegation", object_id=str(pk)).values_list(
                "action", flat=True
            )
        )
    assert actions == {"create", "delete"}


def test_the_delegated_member_saves_the_step_with_the_revision_check(draft, coordinator, viewer):
    _delegate(draft, Step.VISION, viewer, coordinator)
    vision = draft.steps.get(step=Step.VISION)
    saved = services.step_save(
        entry=vision, expected_revision=vision.revision, membership=viewer, fields={"text": "Onze visie."}
    )
    assert saved.text == "Onze visie." and saved.updated_by == viewer.user
    with pytest.raises(services.StaleRevision):
        services.step_save(entry=vision, expected_revision=vision.revision, membership=viewer, fields={"text": "Oud"})
    with pytest.raises(PermissionDenied):
        scope = draft.steps.get(step=Step.SCOPE)
        services.step_save(entry=scope, expected_revision=scope.revision, membership=viewer, fields={"text": "x"})


# --- the pages -------------------------------------------------------------------------------


def test_coordinator_delegates_on_the_version_page(coordinator_client, draft, viewer):
    url = f"/g/demostad/kader/versies/{draft.number}/"
    page = coordinator_client.get(url).content.decode()
    assert "Een lid laten meeschrijven" in page
    response = coordinator_client.post(f"{url}meeschrijvers/", {"step": Step.VISION, "member": viewer.pk}, follow=True)
    assert "mag nu stap Visie bewerken" in response.content.decode()
    delegation = StepDelegation.objects.get()
    assert (delegation.member, delegation.step) == (viewer, Step.VISION)
    page = coordinator_client.get(url).content.decode()
    assert "Intrekken" in page
    coordinator_client.post(f"/g/demostad/kader/meeschrijvers/{delegation.pk}/intrekken/")
    assert not StepDelegation.objects.exists()


def test_the_version_page_offers_delegation_only_to_the_coordinator(client, login, draft, expert):
    login(expert.user)
    page = client.get(f"/g/demostad/kader/versies/{draft.number}/").content.decode()
    assert "Een lid laten meeschrijven" not in page
    response = client.post(
        f"/g/demostad/kader/versies/{draft.number}/meeschrijvers/", {"step": Step.VISION, "member": expert.pk}
    )
    assert response.status_code == 403
    assert not StepDelegation.objects.exists()


def test_delegated_member_edits_the_step_others_only_comment(client, login, draft, coordinator, viewer, expert):
    _delegate(draft, Step.VISION, viewer, coordinator)
    login(viewer.user)
    page = client.get(step_url(draft, Step.VISION)).content.decode()
    assert 'id="stap-formulier"' in page
    assert "gevraagd mee te schrijven" in page
    data = post_data(client, draft, Step.VISION)
    data["text"] = "De visie van de beleidsadviseur."
    response = client.post(step_url(draft, Step.VISION), data)
    assert response.status_code == 302
    assert draft.steps.get(step=Step.VISION).text == "De visie van de beleidsadviseur."
    # Another step stays read-only for the co-writer.
    assert 'id="stap-formulier"' not in client.get(step_url(draft, Step.SCOPE)).content.decode()
    assert client.post(step_url(draft, Step.SCOPE), {"revision": 0}).status_code == 403
    # The theme expert was not given the vision: no form, a refused save, the comment box stays.
    login(expert.user)
    page = client.get(step_url(draft, Step.VISION)).content.decode()
    assert 'id="stap-formulier"' not in page
    assert "Opmerking plaatsen" in page
    assert client.post(step_url(draft, Step.VISION), data).status_code == 403


def test_a_delegated_member_who_saves_late_sees_the_difference(client, login, draft, coordinator, viewer):
    _delegate(draft, Step.VISION, viewer, coordinator)
    login(viewer.user)
    data = post_data(client, draft, Step.VISION)
    vision = draft.steps.get(step=Step.VISION)
    services.step_save(entry=vision, expected_revision=vision.revision, membership=coordinator, fields={"text": "A"})
    data["text"] = "B"
    response = client.post(step_url(draft, Step.VISION), data)
    assert response.status_code == 409
    assert draft.steps.get(step=Step.VISION).text == "A"


def test_a_delegated_member_saves_through_the_api(client, draft, coordinator, viewer, expert):
    _delegate(draft, Step.VISION, viewer, coordinator)
    with scopes_disabled():
        _, viewer_token = api_token_create(membership=viewer, name="t")
        _, expert_token = api_token_create(membership=expert, name="t")
    url = f"/api/v1/framework/versions/{draft.pk}/steps/{Step.VISION}"
    body = {"revision": 0, "fields": {"text": "Via de API."}}
    refused = client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {expert_token}")
    assert refused.status_code == 403
    response = client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {viewer_token}")
    assert response.status_code == 200, response.content
    assert draft.steps.get(step=Step.VISION).text == "Via de API."

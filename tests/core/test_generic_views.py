"""The generic municipal views, through the register's declarations and one declared in the test."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails
from django_scopes import scope, scopes_disabled

from weerbaar.core import generic
from weerbaar.core.audit import acting_as
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks import selectors
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Asset, LocalThreat

from ..conftest import member

BASE = "/g/demostad/risico/"


@pytest.fixture
def register(demo, themes):
    load_catalogue()
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
    return org


def _get(model, **kw):
    with scopes_disabled():
        return model.objects.get(**kw)


def test_edit_page_answers_an_htmx_request_for_the_form_with_the_form_alone(register, coordinator_client):
    asset = _get(Asset, organisation=register, reference="BM-017")
    url = BASE + f"bedrijfsmiddelen/{asset.pk}/bewerken/"
    full = coordinator_client.get(url).content.decode()
    assert "<html" in full and 'id="object-form"' in full
    partial = coordinator_client.get(url, headers={"HX-Request": "true", "HX-Target": "object-form"})
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body and "<form" in body


def test_invalid_input_is_400_with_what_was_typed_kept(register, coordinator_client):
    response = coordinator_client.post(BASE + "bedrijfsmiddelen/nieuw/", {"name": "", "location": "Stadhuis west"})
    assert response.status_code == 400
    assert "Stadhuis west" in response.content.decode()


def test_delete_page_lists_dependents_and_no_returns_to_the_object(register, coordinator_client):
    asset = _get(Asset, organisation=register, reference="BM-017")
    page = coordinator_client.get(BASE + f"bedrijfsmiddelen/{asset.pk}/verwijderen/").content.decode()
    assert "verliezen de koppeling" in page and "Ja, verwijderen" in page
    assert f'href="{BASE}bedrijfsmiddelen/{asset.pk}/"' in page


def test_a_delete_the_service_refuses_shows_why_with_400(register, coordinator_client):
    threat = _get(LocalThreat, organisation=register, name="Manipulatie van verkiezingen")
    response = coordinator_client.post(BASE + f"dreigingen/{threat.pk}/verwijderen/")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "Ja, verwijderen" not in response.content.decode()


def test_a_method_the_view_does_not_take_is_404_for_another_municipalitys_id(register, voorbeeldrecht, login):
    asset = _get(Asset, organisation=register, reference="BM-017")
    own = login(member(register, "coordinator").user)
    assert own.post(BASE + f"bedrijfsmiddelen/{asset.pk}/").status_code == 405
    other = login(member(voorbeeldrecht, "coordinator").user)
    assert other.post(f"/g/voorbeeldrecht/risico/bedrijfsmiddelen/{asset.pk}/").status_code == 404


class CriticalAssets(generic.ObjectListView):
    """A register declared in a few attributes: a selector, a template, the filters it reads."""

    template_name = "risks/assets.html"
    partial_template_name = "risks/_asset_table.html"
    selector = selectors.asset_list
    per_page = 2


def test_a_declared_list_pages_through_its_selector_and_answers_htmx_with_the_table(register):
    coordinator = member(register, "coordinator")
    request = RequestFactory().get("/", {"pagina": "2"}, headers={"HX-Request": "true", "HX-Target": "results"})
    request.user, request.membership, request.organisation = coordinator.user, coordinator, register
    request.htmx = HtmxDetails(request)
    with scope(organisation=register.pk):
        response = CriticalAssets.as_view()(request, org="demostad")
        response.render()
    assert response.context_data["page"].number == 2
    assert len(response.context_data["page"].object_list) == 2
    assert "<html" not in response.content.decode()


def test_a_declared_view_without_a_membership_is_404(register):
    from django.http import Http404

    request = RequestFactory().get("/")
    request.membership = None
    with pytest.raises(Http404):
        CriticalAssets.as_view()(request, org="demostad")

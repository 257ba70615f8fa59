"""No measure link is dropped silently: removing a linked goal or principle asks first and is recorded.

While the open draft is the effective framework version, measures link to its goals and
principles. Removing one of them (on the page or through the API) names the linked measures
and waits for an explicit yes; the links that then lapse go into the logbook and into the
version's report "Koppelingen die niet meegingen", whose links never lead to a deleted measure.
"""

import datetime
import json

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.models import AuditEntry
from weerbaar.framework import services
from weerbaar.framework.models import Step
from weerbaar.knowledge.models import PrincipleCategory, SecurityGoal
from weerbaar.risks.models import Measure

from ..conftest import member
from .test_views import post_data, step_url


def _goals(draft, coordinator, *inputs):
    entry = draft.steps.get(step=Step.GOALS)
    return services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, goals=list(inputs))


@pytest.fixture
def linked(demostad, draft, coordinator):
    """The draft (the effective version) chose "detecteren" and an own goal; two measures link to them."""
    detecteren = SecurityGoal.objects.get(slug="detecteren")
    _goals(
        draft,
        coordinator,
        services.GoalInput(catalogue_goal=detecteren),
        services.GoalInput(name="Weerbare raad", why="Intimidatie van raadsleden"),
    )
    chosen = draft.goals.get(catalogue_goal=detecteren)
    own = draft.goals.get(catalogue_goal__isnull=True)
    cameras = Measure.objects.create(organisation=demostad, reference="M-001", title="Camera's bij de ingang")
    talk = Measure.objects.create(organisation=demostad, reference="M-002", title="Veiligheidsgesprek raadsleden")
    cameras.goals.add(chosen)
    talk.goals.add(own, chosen)
    return {"catalogue": chosen, "own": own, "cameras": cameras, "talk": talk}


def _keep_only_catalogue(linked):
    return services.GoalInput(catalogue_goal=linked["catalogue"].catalogue_goal)


def _own_principle_with_measure(draft, coordinator, text, title):
    """An own principle of the draft in the first category, and a measure linked to it."""
    category = PrincipleCategory.objects.order_by("order").first()
    entry = draft.steps.get(step=Step.PRINCIPLES)
    services.step_save(
        entry=entry,
        expected_revision=entry.revision,
        membership=coordinator,
        principles=[services.PrincipleInput(category=category, text=text)],
    )
    principle = draft.principles.get()
    measure = Measure.objects.create(organisation=draft.organisation, title=title)
    measure.principles.add(principle)
    return principle, measure


def _remove_own_goal_and_submit(draft, coordinator, linked):
    """The coordinator removes the linked own goal (confirmed), completes the draft and submits it."""
    from weerbaar.framework.demo import _fill

    entry = draft.steps.get(step=Step.GOALS)
    services.step_save(
        entry=entry,
        expected_revision=entry.revision,
        membership=coordinator,
        goals=[_keep_only_catalogue(linked)],
        confirm_unlink=True,
    )
    _fill(draft, coordinator)
    services.version_submit(version=draft, membership=coordinator)


# --- the service -----------------------------------------------------------------------------------


def test_removing_a_linked_goal_is_refused_naming_the_measures_and_writes_nothing(draft, coordinator, linked):
    entry = draft.steps.get(step=Step.GOALS)
    revision = entry.revision
    with pytest.raises(services.LinkedMeasures) as caught:
        _goals(draft, coordinator, _keep_only_catalogue(linked))
    assert caught.value.items == [
        {
            "kind": "goal",
            "id": linked["own"].pk,
            "label": "Weerbare raad",
            "measures": [{"id": linked["talk"].pk, "label": "M-002 Veiligheidsgesprek raadsleden"}],
        }
    ]
    assert "M-002 Veiligheidsgesprek raadsleden" in " ".join(caught.value.messages)
    assert draft.goals.filter(pk=linked["own"].pk).exists()
    assert set(linked["talk"].goals.all()) == {linked["own"], linked["catalogue"]}
    entry.refresh_from_db()
    assert entry.revision == revision
    draft.refresh_from_db()
    assert draft.link_report == []


def test_confirmed_removal_records_the_lapsed_links_in_the_report_and_the_logbook(demostad, draft, coordinator, linked):
    entry = draft.steps.get(step=Step.GOALS)
    services.step_save(
        entry=entry, expected_revision=entry.revision, membership=coordinator, goals=[], confirm_unlink=True
    )
    assert not draft.goals.exists()
    assert not linked["cameras"].goals.exists() and not linked["talk"].goals.exists()
    draft.refresh_from_db()
    rows = {(r["object_id"], r["item"], r["reason"]) for r in draft.link_report}
    assert rows == {
        (linked["cameras"].pk, "Detecteren", "removed"),
        (linked["talk"].pk, "Detecteren", "removed"),
        (linked["talk"].pk, "Weerbare raad", "removed"),
    }
    assert {r["by"] for r in draft.link_report} == {coordinator.user.get_full_name() or coordinator.user.email}
    with scopes_disabled():
        events = list(AuditEntry.objects.filter(organisation=demostad, event="framework_links_lapsed"))
        on_measure = AuditEntry.objects.filter(
            organisation=demostad, event="framework_link_lapsed", object_id=str(linked["talk"].pk)
        ).count()
    assert {e.after["item"] for e in events} == {"Detecteren", "Weerbare raad"}
    own_event = next(e for e in events if e.after["item"] == "Weerbare raad")
    assert own_event.after["measures"] == [{"id": linked["talk"].pk, "label": "M-002 Veiligheidsgesprek raadsleden"}]
    assert on_measure == 2


def test_removing_a_goal_without_links_needs_no_confirmation(draft, coordinator, linked):
    _goals(
        draft,
        coordinator,
        _keep_only_catalogue(linked),
        services.GoalInput(id=linked["own"].pk, name="Weerbare raad"),
        services.GoalInput(name="Zonder maatregelen"),
    )
    _goals(draft, coordinator, _keep_only_catalogue(linked), services.GoalInput(id=linked["own"].pk, name="W"))
    assert not draft.goals.filter(name="Zonder maatregelen").exists()


def test_removing_a_linked_own_principle_asks_first_too(draft, coordinator):
    _principle, measure = _own_principle_with_measure(
        draft, coordinator, "Wij screenen elke nieuwe medewerker", "VOG bij indiensttreding"
    )
    entry = draft.steps.get(step=Step.PRINCIPLES)
    with pytest.raises(services.LinkedMeasures):
        services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, principles=[])
    assert draft.principles.exists()
    services.step_save(
        entry=entry, expected_revision=entry.revision, membership=coordinator, principles=[], confirm_unlink=True
    )
    draft.refresh_from_db()
    assert [(r["kind"], r["object_id"], r["item"]) for r in draft.link_report] == [
        ("principle", measure.pk, "Wij screenen elke nieuwe medewerker")
    ]


def test_adoption_keeps_the_rows_of_links_removed_from_the_draft(draft, coordinator, board, linked):
    _remove_own_goal_and_submit(draft, coordinator, linked)
    services.version_adopt(
        version=draft,
        membership=board,
        adopted_on=datetime.date(2026, 4, 14),
        decision_reference="B&W 2026/0412",
        adopted_by_body="college van burgemeester en wethouders",
    )
    draft.refresh_from_db()
    assert ("Weerbare raad", "removed") in {(r["item"], r.get("reason")) for r in draft.link_report}


# --- the page ----------------------------------------------------------------------------------------


def test_the_goals_step_shows_which_measures_link_to_each_goal(coordinator_client, draft, linked):
    page = coordinator_client.get(step_url(draft, Step.GOALS)).content.decode()
    assert "Gekoppeld aan 2 maatregelen" in page  # Detecteren
    assert "Gekoppeld aan 1 maatregel<" in page  # the own goal
    assert f'href="/g/demostad/risico/maatregelen/{linked["talk"].pk}/"' in page


def test_unticking_a_linked_goal_asks_to_confirm_and_then_records_the_lapsed_links(coordinator_client, draft, linked):
    detecteren = linked["catalogue"].catalogue_goal
    data = post_data(coordinator_client, draft, Step.GOALS)
    data.pop(f"goal_{detecteren.pk}")
    data["text"] = "Wat ik typte"
    response = coordinator_client.post(step_url(draft, Step.GOALS), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="bevestig-weghalen"' in page
    assert "Beveiligingsdoel “Detecteren”: 2 maatregelen" in page
    for measure in (linked["cameras"], linked["talk"]):
        assert f"/maatregelen/{measure.pk}/" in page and str(measure).replace("'", "&#x27;") in page
    assert "Wat ik typte</textarea>" in page  # nothing typed is lost
    assert draft.goals.filter(pk=linked["catalogue"].pk).exists()
    assert linked["cameras"].goals.exists()

    data["confirm_unlink"] = "1"
    response = coordinator_client.post(step_url(draft, Step.GOALS), data, follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert "Koppelingen die niet meegingen" in response.content.decode()
    assert not draft.goals.filter(pk=linked["catalogue"].pk).exists()
    assert not linked["cameras"].goals.exists()
    assert draft.steps.get(step=Step.GOALS).text == "Wat ik typte"

    version_page = coordinator_client.get(f"/g/demostad/kader/versies/{draft.number}/").content.decode()
    assert 'id="koppelingen"' in version_page
    assert "Uit het concept verwijderd op" in version_page
    assert f"/maatregelen/{linked['cameras'].pk}/" in version_page


def test_no_thanks_changes_nothing(coordinator_client, draft, linked):
    data = post_data(coordinator_client, draft, Step.GOALS)
    data[f"owngoal_{linked['own'].pk}_delete"] = "on"
    assert coordinator_client.post(step_url(draft, Step.GOALS), data).status_code == 200
    data["cancel_unlink"] = "1"
    response = coordinator_client.post(step_url(draft, Step.GOALS), data)
    assert response.status_code == 302
    assert draft.goals.filter(pk=linked["own"].pk).exists()
    assert linked["talk"].goals.count() == 2


def test_deleting_a_linked_own_principle_on_its_category_page_asks_first(coordinator_client, draft, coordinator):
    own, _measure = _own_principle_with_measure(
        draft, coordinator, "Eigen uitgangspunt met maatregel", "Maatregel bij eigen uitgangspunt"
    )
    url = step_url(draft, Step.PRINCIPLES) + f"?categorie={own.category.slug}"
    data = post_data(coordinator_client, draft, Step.PRINCIPLES, url=url)
    data[f"ownpr_{own.pk}_delete"] = "on"
    response = coordinator_client.post(url, data)
    assert response.status_code == 200 and "Maatregel bij eigen uitgangspunt" in response.content.decode()
    assert draft.principles.filter(pk=own.pk).exists()
    data["confirm_unlink"] = "1"
    assert coordinator_client.post(url, data).status_code == 302
    assert not draft.principles.filter(pk=own.pk).exists()


# --- the report's links ------------------------------------------------------------------------------


def test_a_report_row_of_a_deleted_measure_keeps_its_name_without_a_link(
    coordinator_client, draft, coordinator, linked
):
    entry = draft.steps.get(step=Step.GOALS)
    services.step_save(
        entry=entry, expected_revision=entry.revision, membership=coordinator, goals=[], confirm_unlink=True
    )
    deleted_pk, kept_pk = linked["cameras"].pk, linked["talk"].pk
    linked["cameras"].delete()
    page = coordinator_client.get(f"/g/demostad/kader/versies/{draft.number}/").content.decode()
    report = page[page.index('id="koppelingen"') :]
    assert "Camera&#x27;s bij de ingang" in report and "maatregel inmiddels verwijderd" in report
    assert f"/maatregelen/{deleted_pk}/" not in page
    assert f"/maatregelen/{kept_pk}/" in report
    # Every link in the report resolves.
    import re

    table = report[: report.index("</table>")]
    for href in re.findall(r'href="([^"]+)"', table):
        assert coordinator_client.get(href).status_code == 200, href


# --- the API -----------------------------------------------------------------------------------------


@pytest.fixture
def api(client, demostad):
    _, raw = api_token_create(membership=member(demostad, "coordinator"), name="koppelingen")

    def call(method, path, body=None):
        return client.generic(
            method,
            f"/api/v1{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    return call


def test_the_api_refuses_to_drop_linked_goals_unless_confirmed(api, draft, linked):
    path = f"/framework/versions/{draft.pk}/steps/doelen"
    revision = draft.steps.get(step=Step.GOALS).revision
    body = {"revision": revision, "goals": [{"catalogue_goal": "detecteren"}]}
    refused = api("PUT", path, body)
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    problem = refused.json()
    assert "1 maatregel is gekoppeld" in problem["detail"]
    params = [p for p in problem["invalid_params"] if p["name"] == "body.goals"]
    assert [p["code"] for p in params] == ["linked"]
    assert "M-002 Veiligheidsgesprek raadsleden" in params[0]["reason"]
    assert f"(id {linked['talk'].pk})" in params[0]["reason"]
    assert draft.goals.filter(pk=linked["own"].pk).exists()

    confirmed = api("PUT", path, {**body, "confirm_unlink": True})
    assert confirmed.status_code == 200
    assert [g["name"] for g in confirmed.json()["goals"]] == ["Detecteren"]
    draft.refresh_from_db()
    assert [(r["object_id"], r["item"]) for r in draft.link_report] == [(linked["talk"].pk, "Weerbare raad")]


def test_the_confirmation_parameter_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    step_in = schema["components"]["schemas"]["StepIn"]["properties"]["confirm_unlink"]
    assert step_in["type"] == "boolean" and step_in["default"] is False
    assert "422" in step_in["description"] and "linked" in step_in["description"]
    operation = schema["paths"]["/api/v1/framework/versions/{version_id}/steps/{step}"]["put"]
    assert "confirm_unlink" in operation["description"]
    assert "linked" in operation["responses"]["422"]["description"]


def test_the_adoption_warning_counts_only_links_the_adoption_itself_dropped(
    client, login, draft, coordinator, board, linked
):
    _remove_own_goal_and_submit(draft, coordinator, linked)
    login(board.user)
    response = client.post(
        f"/g/demostad/kader/versies/{draft.number}/vaststellen/",
        {"adopted_on": "2026-04-14", "decision_reference": "B&W 2026/0412", "adopted_by_body": "college van B&W"},
        follow=True,
    )
    page = response.content.decode()
    assert "is vastgesteld" in page
    assert "past niet op deze versie" not in page and "passen niet op deze versie" not in page
    assert "Uit het concept verwijderd op" in page  # the earlier removal stays in the report

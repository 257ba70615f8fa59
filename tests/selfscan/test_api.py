"""The self-scan through the API: the same rules as the pages."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.selfscan.models import Answer

from ..conftest import member
from .conftest import answer_all, close

pytestmark = pytest.mark.django_db


def test_start_answer_close_and_results_through_the_api(demostad, questionnaire, api_client, expert):
    created = api_client(
        "post",
        "/api/v1/selfscan/rounds",
        {"title": "Via de API", "assignments": [{"theme": "informatiebeveiliging", "member_id": expert.pk}]},
    )
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    ib = next(a for a in created.json()["assignments"] if a["theme"] == "informatiebeveiliging")
    assert ib["member_id"] == expert.pk and ib["total"] == 4
    answers = api_client("get", f"/api/v1/selfscan/rounds/{round_id}/answers").json()
    first = answers[0]
    saved = api_client(
        "put",
        f"/api/v1/selfscan/answers/{first['id']}",
        {"level": 2, "justification": "Begin gemaakt", "evidence_url": "https://intranet.demostad.nl/x", "revision": 0},
    )
    assert saved.status_code == 200 and saved.json()["level"] == 2
    stale = api_client("put", f"/api/v1/selfscan/answers/{first['id']}", {"level": 3, "revision": 0})
    assert stale.status_code == 409
    closed = api_client("post", f"/api/v1/selfscan/rounds/{round_id}/close", {})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    frozen = api_client("put", f"/api/v1/selfscan/answers/{first['id']}", {"level": 5})
    assert frozen.status_code == 422
    results = api_client("get", f"/api/v1/selfscan/rounds/{round_id}/results").json()
    assert results["overall"] == 2.0
    assert results["weakest"][0]["id"] == first["id"]


def test_api_refuses_an_invalid_level_and_a_bad_link(open_round, api_client):
    with scopes_disabled():
        answer = Answer.objects.filter(scan_round=open_round).first()
    assert api_client("put", f"/api/v1/selfscan/answers/{answer.pk}", {"level": 6}).status_code == 422
    bad = api_client("put", f"/api/v1/selfscan/answers/{answer.pk}", {"evidence_url": "javascript:alert(1)"})
    assert bad.status_code == 422


def test_expert_token_cannot_close_or_start(open_round, client, expert):
    with scopes_disabled():
        _t, raw = api_token_create(membership=expert, name="expert")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    r = client.post(f"/api/v1/selfscan/rounds/{open_round.pk}/close", "{}", "application/json", **headers)
    assert r.status_code == 403
    r = client.post("/api/v1/selfscan/rounds", '{"title": "x"}', "application/json", **headers)
    assert r.status_code == 403


def test_another_municipalitys_round_and_answers_are_404(open_round, voorbeeldrecht, client):
    with scopes_disabled():
        _t, raw = api_token_create(membership=member(voorbeeldrecht, "coordinator"), name="other")
        answer = Answer.objects.filter(scan_round=open_round).first()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/selfscan/rounds/{open_round.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/selfscan/rounds/{open_round.pk}/results", **headers).status_code == 404
    r = client.put(f"/api/v1/selfscan/answers/{answer.pk}", '{"level": 1}', "application/json", **headers)
    assert r.status_code == 404
    r = client.post(f"/api/v1/selfscan/answers/{answer.pk}/action", "{}", "application/json", **headers)
    assert r.status_code == 404


def test_weak_answer_to_action_through_the_api(open_round, coordinator, api_client):
    answer_all(open_round, coordinator, lambda a: 1)
    close(open_round, coordinator)
    with scopes_disabled():
        answer = Answer.objects.filter(scan_round=open_round).first()
    r = api_client("post", f"/api/v1/selfscan/answers/{answer.pk}/action")
    assert r.status_code == 201
    again = api_client("post", f"/api/v1/selfscan/answers/{answer.pk}/action")
    assert again.status_code == 422


def test_national_view_is_403_for_a_municipal_token(questionnaire, api_client):
    assert api_client("get", "/api/v1/selfscan/national").status_code == 403


def test_settings_through_the_api(demostad, api_client):
    r = api_client("put", "/api/v1/selfscan/settings", {"benchmark_opt_in": True})
    assert r.status_code == 200 and r.json()["benchmark_opt_in"] is True
    assert api_client("get", "/api/v1/selfscan/settings").json()["benchmark_opt_in"] is True

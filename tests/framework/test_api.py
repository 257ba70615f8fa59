import json

import pytest

from weerbaar.accounts.services import api_token_create
from weerbaar.framework.models import FrameworkVersion, StepComment

from ..conftest import member


@pytest.fixture
def api(client, demostad, catalogue):
    def _headers(local):
        _, raw = api_token_create(membership=member(demostad, local), name=f"test {local}")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method, path, local="coordinator", body=None):
        return client.generic(
            method, f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json", **_headers(local)
        )

    return call


def test_framework_lifecycle_through_the_api(api, catalogue):
    assert api("GET", "/framework").status_code == 404
    created = api("POST", "/framework")
    assert created.status_code == 201
    version_id = created.json()["versions"][0]["id"]
    version = api("GET", f"/framework/versions/{version_id}").json()
    assert [s["step"] for s in version["steps"]] == ["visie", "scope", "doelen", "uitgangspunten", "kwaliteitssysteem"]
    assert version["missing"]
    response = api(
        "PUT", f"/framework/versions/{version_id}/steps/visie", body={"revision": 0, "fields": {"text": "A"}}
    )
    assert response.status_code == 200
    stale = api("PUT", f"/framework/versions/{version_id}/steps/visie", body={"revision": 0, "fields": {"text": "B"}})
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    goals = api(
        "PUT",
        f"/framework/versions/{version_id}/steps/doelen",
        body={
            "revision": 0,
            "goals": [{"catalogue_goal": "beschermen", "why": "Veilig"}, {"name": "Eigen", "why": "x"}],
        },
    ).json()["goals"]
    assert [g["name"] for g in goals] == ["Beschermen", "Eigen"]
    principles = api(
        "PUT",
        f"/framework/versions/{version_id}/steps/uitgangspunten",
        body={
            "revision": 0,
            "principles": [{"catalogue_principle": "beleid-risicogericht", "goals": [goals[0]["id"]]}],
        },
    ).json()["principles"]
    assert principles[0]["goals"] == [goals[0]["id"]]
    assert api("POST", f"/framework/versions/{version_id}/submit").status_code == 422  # incomplete
    docx = api("GET", f"/framework/versions/{version_id}/document.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_roles_and_frozen_versions_in_the_api(api, adopted):
    path = f"/framework/versions/{adopted.pk}/steps/visie"
    assert api("PUT", path, local="lezer", body={"revision": 0, "fields": {"text": "x"}}).status_code == 403
    frozen = api("PUT", path, body={"revision": adopted.steps.get(step="visie").revision, "fields": {"text": "x"}})
    assert frozen.status_code == 422
    assert "vastgesteld" in frozen.json()["title"]
    created = api("POST", f"/framework/versions/{adopted.pk}/new-version")
    assert created.status_code == 201
    v2 = created.json()["id"]
    assert api("POST", f"/framework/versions/{v2}/submit").status_code == 200
    assert (
        api(
            "POST", f"/framework/versions/{v2}/adopt", body={"adopted_on": "2026-05-01", "decision_reference": "x"}
        ).status_code
        == 403
    )
    adopted_now = api(
        "POST",
        f"/framework/versions/{v2}/adopt",
        local="bestuur",
        body={"adopted_on": "2026-05-01", "decision_reference": "B&W 2026/77"},
    )
    assert adopted_now.status_code == 200 and adopted_now.json()["status"] == "adopted"
    adopted.refresh_from_db()
    assert adopted.status == FrameworkVersion.Status.SUPERSEDED
    diff = api("GET", f"/framework/versions/{adopted.pk}/compare/{v2}").json()
    assert diff["old"] == 1 and diff["new"] == 2


def test_comments_through_the_api(api, draft):
    placed = api(
        "POST", f"/framework/versions/{draft.pk}/comments", local="expert", body={"step": "visie", "body": "Hm"}
    )
    assert placed.status_code == 201
    assert (
        api(
            "POST", f"/framework/versions/{draft.pk}/comments", local="lezer", body={"step": "visie", "body": "x"}
        ).status_code
        == 403
    )
    comment_id = placed.json()["id"]
    assert api("POST", f"/framework/comments/{comment_id}/resolve", local="expert").status_code == 403
    assert api("POST", f"/framework/comments/{comment_id}/resolve").json()["resolved"] is True
    assert not StepComment.objects.get().is_open

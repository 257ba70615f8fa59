import json

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.incidents.models import Incident

from ..conftest import member


@pytest.fixture
def api(register, client):
    def _as(local):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(register, local), name="test")

        def call(method, url, body=None):
            return client.generic(
                method,
                "/api/v1" + url,
                data=json.dumps(body or {}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )

        return call

    return _as


BODY = {
    "title": "Mail met bijlage aan verkeerde ontvanger",
    "occurred_at": "2026-11-02T10:00:00+01:00",
    "discovered_at": "2026-11-02T15:30:00+01:00",
    "incident_type": "datalek",
    "themes": ["informatiebeveiliging"],
    "severity": 2,
}


def test_api_records_an_incident_with_its_data_breach_deadline(api):
    call = api("coordinator")
    response = call("POST", "/incidents", BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"].startswith("I-")
    assert [(r["kind"], r["due_at"][:16]) for r in data["reports"]] == [("ap", "2026-11-05T14:30")]
    listed = call("GET", "/incidents?q=bijlage").json()
    assert listed["count"] == 1


def test_api_refuses_bad_input_with_dutch_messages(api):
    call = api("coordinator")
    response = call("POST", "/incidents", {**BODY, "themes": ["bestaat-niet"]})
    assert response.status_code == 422
    assert "Onbekend" in response.content.decode()
    response = call("POST", "/incidents", {**BODY, "discovered_at": "2026-11-01T10:00:00+01:00"})
    assert response.status_code == 422
    assert "discovered_at: Het incident kan niet ontdekt zijn voordat het gebeurde." in response.content.decode()


def test_viewer_reads_but_may_not_write(api):
    assert api("coordinator")("POST", "/incidents", BODY).status_code == 201
    viewer = api("lezer")
    assert viewer("GET", "/incidents").json()["count"] == 1
    assert viewer("POST", "/incidents", BODY).status_code == 403


def test_stale_revision_is_a_409(api):
    call = api("coordinator")
    created = call("POST", "/incidents", BODY).json()
    update = {**BODY, "title": "Nieuw", "revision": created["revision"]}
    assert call("PUT", f"/incidents/{created['id']}", update).status_code == 200
    assert call("PUT", f"/incidents/{created['id']}", update).status_code == 409


def test_report_made_in_time_is_recorded(api):
    call = api("coordinator")
    created = call("POST", "/incidents", BODY).json()
    report = created["reports"][0]
    response = call(
        "PUT",
        f"/incident-reports/{report['id']}",
        {"kind": "ap", "status": "made", "made_at": "2026-11-03T09:00:00+01:00", "revision": report["revision"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["in_time"] is True
    with scopes_disabled():
        assert Incident.objects.get(pk=created["id"]).reports.get().in_time is True

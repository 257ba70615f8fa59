"""The API of the yearly plan and the checks: the same services, the one error contract."""

from django_scopes import scopes_disabled

from weerbaar.cycle.models import Action, Check, Finding

from ..conftest import member
from .conftest import get


def test_actions_list_create_update_and_close(api):
    call = api("coordinator")
    listed = call("GET", "/actions?year=2026&limit=5").json()
    assert listed["count"] >= 5 and len(listed["items"]) == 5
    assert {"themes", "measures", "findings", "overdue"} <= set(listed["items"][0])
    owner = member(get(Action, reference="A-001").organisation, "expert").pk
    response = call(
        "POST",
        "/actions",
        {"title": "Via de API", "year": 2027, "owner_id": owner, "themes": ["informatiebeveiliging"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("A-") and body["themes"] == ["informatiebeveiliging"]
    response = call("PUT", f"/actions/{body['id']}", {"title": "Gewijzigd", "revision": body["revision"]})
    assert response.status_code == 200 and response.json()["title"] == "Gewijzigd"
    stale = call("PUT", f"/actions/{body['id']}", {"title": "Te laat", "revision": body["revision"]})
    assert stale.status_code == 409
    closed = call("POST", f"/actions/{body['id']}/status", {"status": "done"})
    assert closed.status_code == 200 and closed.json()["status"] == "done" and closed.json()["completed_at"]


def test_api_validation_roles_and_other_municipalities(api, demo):
    call = api("coordinator")
    bad = call("POST", "/actions", {"title": "x", "owner_id": 10**9, "measures": [10**9]})
    assert bad.status_code == 422
    assert "owner" in bad.content.decode() and "Kies als eigenaar" in bad.content.decode()
    assert call("POST", "/actions", {"title": "x", "onbekend": 1}).status_code == 422
    assert api("lezer")("POST", "/actions", {"title": "Lezer"}).status_code == 403
    assert api("expert")("POST", "/actions", {"title": "x", "themes": ["fysieke-beveiliging"]}).status_code == 403
    other = api("coordinator", org=demo["voorbeeldrecht"])
    with scopes_disabled():
        action = Action.objects.filter(reference="A-001").first()
        check = Check.objects.first()
    assert other("GET", f"/actions/{action.pk}").status_code == 404
    assert other("PUT", f"/checks/{check.pk}", {"title": "x", "date": "2026-01-01"}).status_code == 404
    assert other("GET", "/actions").json()["count"] == 0


def test_checks_findings_and_deviations_through_the_api(api, cycle):
    call = api("coordinator")
    check = call(
        "POST",
        "/checks",
        {"title": "Pentest", "kind": "pentest", "date": "2026-11-01", "themes": ["informatiebeveiliging"]},
    )
    assert check.status_code == 201, check.content
    check_id = check.json()["id"]
    finding = call("POST", f"/checks/{check_id}/findings", {"title": "Oude TLS-versie", "severity": 3})
    assert finding.status_code == 201
    finding_id = finding.json()["id"]
    action = call("POST", "/actions", {"title": "TLS bijwerken", "year": 2026}).json()
    linked = call(
        "PUT", f"/findings/{finding_id}", {"title": "Oude TLS-versie", "severity": 3, "action_id": action["id"]}
    )
    assert linked.status_code == 200 and linked.json()["action_id"] == action["id"]
    assert get(Finding, pk=finding_id).action_id == action["id"]
    deviation = call(
        "POST",
        "/deviations",
        {
            "title": "TLS 1.1 op oud systeem",
            "reason": "Uitfasering in maart",
            "accepted_by": "CISO",
            "owner_id": member(cycle, "coordinator").pk,
            "expires_on": "2027-03-31",
            "finding_id": finding_id,
        },
    )
    assert deviation.status_code == 201, deviation.content
    assert call("GET", f"/findings/{finding_id}").json()["deviations"] == [deviation.json()["id"]]
    assert call("GET", "/deviations?state=verlopen").json()["count"] >= 1
    assert call("GET", "/findings?state=open").status_code == 200
    assert call("DELETE", f"/checks/{check_id}").status_code == 204

"""The API: list, detail, build, submit, adopt through the same services; roles and tenancy."""

from django.utils import timezone

from .conftest import FOREWORD, build, last_year


def test_coordinator_builds_and_submits_board_adopts_through_the_api(demostad, api_as):
    coordinator, board = api_as(demostad, "coordinator"), api_as(demostad, "bestuur")
    built = coordinator("POST", "/yearreports", {"year": last_year()})
    assert built.status_code == 201, built.content
    report = built.json()
    assert [c["title"] for c in report["chapters"]][:2] == ["Strategisch kader", "Risicobeeld"]
    assert coordinator("POST", "/yearreports", {"year": last_year()}).status_code == 409
    saved = coordinator(
        "PUT", f"/yearreports/{report['id']}/texts", {"foreword": FOREWORD, "conclusions": "Slot", "revision": 0}
    )
    assert saved.status_code == 200 and saved.json()["foreword"] == FOREWORD
    stale = coordinator(
        "PUT", f"/yearreports/{report['id']}/texts", {"foreword": "x", "conclusions": "y", "revision": 0}
    )
    assert stale.status_code == 409
    assert stale.json()["revision"] == 1 and "Iemand anders" in stale.json()["detail"]
    assert board("POST", f"/yearreports/{report['id']}/submit").status_code == 403
    assert coordinator("POST", f"/yearreports/{report['id']}/submit").json()["status"] == "submitted"
    future = board(
        "POST",
        f"/yearreports/{report['id']}/adopt",
        {"adopted_on": "2999-01-01", "decision_reference": "B&W 1"},
    )
    assert future.status_code == 422
    assert any(p["name"] == "adopted_on" for p in future.json()["invalid_params"])
    adopted = board(
        "POST",
        f"/yearreports/{report['id']}/adopt",
        {"adopted_on": timezone.localdate().isoformat(), "decision_reference": "B&W 1"},
    )
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    listed = api_as(demostad, "lezer")("GET", "/yearreports")
    assert [r["id"] for r in listed.json()] == [report["id"]]
    assert coordinator("GET", f"/yearreports/{report['id']}/document.pdf").content.startswith(b"%PDF")


def test_api_is_404_for_another_municipality(demostad, voorbeeldrecht, api_as):
    report = build(demostad)
    outsider = api_as(voorbeeldrecht, "coordinator")
    assert outsider("GET", f"/yearreports/{report.pk}").status_code == 404
    assert outsider("POST", f"/yearreports/{report.pk}/submit").status_code == 404
    assert outsider("GET", "/yearreports").json() == []


def test_year_out_of_range_is_refused(demostad, api_as):
    response = api_as(demostad, "coordinator")("POST", "/yearreports", {"year": timezone.localdate().year + 1})
    assert response.status_code == 422

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
    assert frozen["Content-Type"] == "application/problem+json"
    assert "vastgesteld" in frozen.json()["detail"]
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


def _reasons(response) -> dict[str, str]:
    assert response["Content-Type"] == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.json()["invalid_params"]}


@pytest.mark.parametrize(
    "fields,name,reason",
    [
        ({"text": ["een", "lijst"]}, "body.fields.text", "Vul tekst in."),
        ({"rationale": {"a": 1}}, "body.fields.rationale", "Vul tekst in."),
        ({"drafted_by": "x" * 201}, "body.fields.drafted_by", "Gebruik ten hoogste 200 tekens."),
        ({"variants_considered": "misschien"}, "body.fields.variants_considered", "Vul ja of nee in (true of false)."),
        (
            {"working_session_on": "gisteren"},
            "body.fields.working_session_on",
            "Vul een geldige datum in (JJJJ-MM-DD).",
        ),
        ({"review_frequency": "soms"}, "body.fields.review_frequency", None),
        ({"bestaat_niet": "x"}, "body.fields.bestaat_niet", "Dit veld bestaat hier niet."),
        ({"governance_variant": "bestaat-niet"}, "body.fields.governance_variant", "Onbekend: bestaat-niet."),
    ],
)
def test_a_wrong_type_in_step_fields_is_422_naming_the_field(api, draft, fields, name, reason):
    response = api(
        "PUT", f"/framework/versions/{draft.pk}/steps/kwaliteitssysteem", body={"revision": 0, "fields": fields}
    )
    assert response.status_code == 422, response.content
    reasons = _reasons(response)
    assert name in reasons, reasons
    if reason:
        assert reasons[name] == reason
    else:
        assert reasons[name].startswith("Kies een van: ")
    entry = draft.steps.get(step="kwaliteitssysteem")
    assert entry.revision == 0  # nothing saved
    assert "[" not in entry.text and "{" not in entry.rationale


def test_step_fields_of_the_right_type_are_saved(api, draft):
    response = api(
        "PUT",
        f"/framework/versions/{draft.pk}/steps/kwaliteitssysteem",
        body={
            "revision": 0,
            "fields": {
                "text": "PDCA",
                "variants_considered": True,
                "working_session_on": "2026-03-01",
                "review_frequency": "",
                "drafted_by": None,
            },
        },
    )
    assert response.status_code == 200, response.content
    step = next(s for s in response.json()["steps"] if s["step"] == "kwaliteitssysteem")
    assert step["fields"]["text"] == "PDCA"
    assert step["fields"]["working_session_on"] == "2026-03-01"
    assert step["fields"]["variants_considered"] is True


def test_unknown_catalogue_slugs_are_422_naming_the_field(api, draft):
    response = api(
        "PUT", f"/framework/versions/{draft.pk}/steps/scope", body={"revision": 0, "laws": ["bio2", "geen-wet"]}
    )
    assert response.status_code == 422
    assert _reasons(response) == {"body.laws": "Onbekend: geen-wet."}


def test_a_stale_revision_is_409_problem_json_in_dutch(api, draft):
    path = f"/framework/versions/{draft.pk}/steps/visie"
    assert api("PUT", path, body={"revision": 0, "fields": {"text": "A"}}).status_code == 200
    stale = api("PUT", path, body={"revision": 0, "fields": {"text": "B"}})
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["title"] == "Intussen gewijzigd"
    assert "opgeslagen nadat u het opende" in stale.json()["detail"]
    assert stale.json()["revision"] == 1  # the revision to send to overwrite knowingly
    assert draft.steps.get(step="visie").text == "A"


def test_comments_have_the_web_forms_length_limit_and_a_known_step(api, draft):
    path = f"/framework/versions/{draft.pk}/comments"
    too_long = api("POST", path, local="expert", body={"step": "visie", "body": "x" * 5001})
    assert too_long.status_code == 422
    assert _reasons(too_long) == {"body.body": "Gebruik ten hoogste 5000 tekens."}
    unknown = api("POST", path, local="expert", body={"step": "elders", "body": "Hm"})
    assert unknown.status_code == 422
    assert _reasons(unknown)["body.step"].startswith("Kies een van: 'visie', ")
    empty = api("POST", path, local="expert", body={"step": "visie", "body": "  "})
    assert empty.status_code == 422
    assert _reasons(empty) == {"body": "Schrijf een opmerking."}
    assert api("POST", path, local="expert", body={"step": "visie", "body": "x" * 5000}).status_code == 201
    assert StepComment.objects.count() == 1


def test_adoption_fields_have_the_web_forms_length_limits(api, draft):
    response = api(
        "POST",
        f"/framework/versions/{draft.pk}/adopt",
        local="bestuur",
        body={"adopted_on": "2026-05-01", "decision_reference": "x" * 101, "adopted_by_body": "y" * 201},
    )
    assert response.status_code == 422
    assert _reasons(response) == {
        "body.decision_reference": "Gebruik ten hoogste 100 tekens.",
        "body.adopted_by_body": "Gebruik ten hoogste 200 tekens.",
    }

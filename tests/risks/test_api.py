from django_scopes import scopes_disabled

from weerbaar.knowledge.models import SecurityGoal
from weerbaar.risks.models import Asset, Measure, Risk


def ref(model, org, reference):
    with scopes_disabled():
        return model.objects.get(organisation=org, reference=reference).pk


def test_list_detail_create_and_update_through_the_api(register, api):
    call = api(register, "coordinator")
    assets = call("GET", "/assets?limit=5").json()
    assert assets["count"] == 28 and len(assets["items"]) == 5
    risks = call("GET", "/risks?above_acceptance=true").json()
    assert all(r["exceeds_acceptance"] for r in risks["items"])
    r1 = call("GET", f"/risks/{ref(Risk, register, 'R-001')}").json()
    assert r1["inherent_score"] == 16 and r1["residual_score"] == 9 and r1["threat"] == "agressie-geweld"
    assert set(r1["themes"]) == {"personele-beveiliging", "fysieke-beveiliging"} and len(r1["measures"]) >= 4

    created = call("POST", "/assets", {"name": "Buitenlocatie Noord", "kind": "building", "criticality": 3})
    assert created.status_code == 201 and created.json()["reference"] == "BM-029"
    asset_id = created.json()["id"]
    response = call(
        "POST",
        "/risks",
        {
            "title": "Inbraak op buitenlocatie Noord",
            "themes": ["fysieke-beveiliging"],
            "threat": "inbraak",
            "assets": [asset_id],
            "inherent_likelihood": 4,
            "inherent_impact": 3,
        },
    )
    assert response.status_code == 201, response.content
    risk = response.json()
    assert risk["current_score"] == 12 and risk["exceeds_acceptance"] and risk["assets"] == [asset_id]
    response = call(
        "PUT",
        f"/risks/{risk['id']}",
        {
            **{k: risk[k] for k in ("title", "themes", "inherent_likelihood", "inherent_impact", "assets")},
            "residual_likelihood": 2,
            "residual_impact": 2,
            "threat": "inbraak",
        },
    )
    assert response.status_code == 200 and response.json()["current_score"] == 4
    response = call(
        "POST",
        "/measures",
        {
            "title": "Alarmopvolging buitenlocatie",
            "themes": ["fysieke-beveiliging"],
            "goals": [SecurityGoal.objects.get(slug="detecteren").pk],
            "risks": [risk["id"]],
            "cost_once": "2500.00",
            "status": "planned",
        },
    )
    assert response.status_code == 201, response.content
    measure = response.json()
    # No framework in this municipality: the goal ids are the national catalogue's, and say so.
    assert measure["goals_source"] == "catalogue"
    assert measure["goals"] == [SecurityGoal.objects.get(slug="detecteren").pk]
    assert measure["risks"] == [risk["id"]] and measure["cost_once"] in ("2500.00", 2500.0, "2500")
    response = call(
        "PUT",
        f"/measures/{measure['id']}",
        {"title": "Alarmopvolging", "themes": ["fysieke-beveiliging"], "status": "in_place"},
    )
    assert response.status_code == 200 and response.json()["status"] == "in_place" and response.json()["risks"] == []
    response = call("PUT", f"/assets/{asset_id}", {"name": "Buitenlocatie Noord (werf)"})
    assert response.status_code == 200 and response.json()["name"] == "Buitenlocatie Noord (werf)"


def test_invalid_input_is_a_problem_with_dutch_messages(register, api):
    call = api(register, "coordinator")
    response = call("POST", "/risks", {"title": "x", "themes": [], "inherent_likelihood": 7, "inherent_impact": 1})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    params = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert params["themes"] == "Kies minstens één thema."
    assert params["inherent_likelihood"] == "Kies een waarde van 1 tot en met 5."
    response = call("POST", "/measures", {"title": "x", "themes": ["bestaat-niet"]})
    assert response.status_code == 422


def test_api_role_checks_match_the_views(register, api):
    viewer = api(register, "lezer")
    assert viewer("GET", "/measures").status_code == 200
    assert viewer("POST", "/assets", {"name": "x"}).status_code == 403
    measure_id = ref(Measure, register, "M-001")
    assert (
        viewer("PUT", f"/measures/{measure_id}", {"title": "x", "themes": ["fysieke-beveiliging"]}).status_code == 403
    )
    expert = api(register, "expert")
    assert expert("POST", "/assets", {"name": "x"}).status_code == 403
    body = {"title": "x", "themes": ["fysieke-beveiliging"]}
    assert expert("PUT", f"/measures/{measure_id}", body).status_code == 403
    assert expert("POST", "/measures", body).status_code == 403
    assert expert("POST", "/measures", {"title": "x", "themes": ["informatiebeveiliging"]}).status_code == 201
    response = expert("PUT", f"/measures/{measure_id}", body)
    assert response["Content-Type"] == "application/problem+json"


def test_api_hides_other_municipalities(register, voorbeeldrecht, api):
    other = api(voorbeeldrecht, "coordinator")
    assert other("GET", "/risks").json()["count"] == 0
    for url in (
        f"/risks/{ref(Risk, register, 'R-001')}",
        f"/measures/{ref(Measure, register, 'M-001')}",
        f"/assets/{ref(Asset, register, 'BM-001')}",
    ):
        assert other("GET", url).status_code == 404
    response = other("PUT", f"/assets/{ref(Asset, register, 'BM-001')}", {"name": "x"})
    assert response.status_code == 404


def test_bulk_export(register, api):
    call = api(register, "auditor")
    data = call("GET", "/register/export").json()
    assert data["organisation"] == "demostad" and data["acceptance_level"] == 6
    assert len(data["assets"]) == 28 and len(data["risks"]) == 25 and len(data["measures"]) == 34
    assert len(data["conflicts"]) == 1
    response = call("GET", "/register/export.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"

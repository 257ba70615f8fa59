import json

from django_scopes import scopes_disabled

from weerbaar.accounts.models import ApiToken, hash_token

from .conftest import member


def create_token(client, name="Koppeling"):
    response = client.post("/g/demostad/api-sleutels/", {"name": name, "valid_days": 90})
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('id="nieuwe-sleutel">') + len('id="nieuwe-sleutel">')
    return body[start : body.index("<", start)].strip(), body


def test_token_is_shown_once_and_stored_hashed(demostad, coordinator_client):
    raw, body = create_token(coordinator_client)
    assert raw.startswith("wb_")
    with scopes_disabled():
        token = ApiToken.objects.get(name="Koppeling")
    assert token.token_hash == hash_token(raw)
    assert raw not in token.token_hash
    assert raw not in coordinator_client.get("/g/demostad/api-sleutels/").content.decode()


def test_api_answers_as_the_member_in_their_municipality(demostad, coordinator_client, client):
    raw, _ = create_token(coordinator_client)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    me = client.get("/api/v1/me", **headers).json()
    assert me["email"] == "coordinator@demostad.example"
    assert me["organisation"] == "demostad"
    assert me["permissions"]["manage_members"] is True
    org = client.get("/api/v1/organisation", **headers).json()
    assert org["name"] == "Demostad"
    members = client.get("/api/v1/members", **headers).json()
    assert {m["email"] for m in members} >= {"lezer@demostad.example", "expert@demostad.example"}
    assert all(m["email"].endswith("@demostad.example") for m in members)
    expert = next(m for m in members if m["email"] == "expert@demostad.example")
    assert expert["themes"] == ["informatiebeveiliging"]
    one = client.get(f"/api/v1/members/{expert['id']}", **headers).json()
    assert one["role"] == "expert"


def test_revoked_and_wrong_tokens_get_problem_json_401(demostad, coordinator_client, client):
    raw, _ = create_token(coordinator_client)
    with scopes_disabled():
        token = ApiToken.objects.get(name="Koppeling")
    response = coordinator_client.post(f"/g/demostad/api-sleutels/{token.pk}/intrekken/")
    assert response.status_code == 302
    for value in (raw, "wb_verkeerd", "iets-anders"):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {value}")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        problem = json.loads(response.content)
        assert problem["status"] == 401
        assert "API-sleutel" in problem["detail"]


def test_member_cannot_revoke_another_members_token(demostad, coordinator_client, login):
    create_token(coordinator_client)
    with scopes_disabled():
        token = ApiToken.objects.get(name="Koppeling")
    other = login(member(demostad, "lezer").user)
    assert other.post(f"/g/demostad/api-sleutels/{token.pk}/intrekken/").status_code == 404
    with scopes_disabled():
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_unknown_member_id_is_problem_json_404(demostad, coordinator_client, client):
    raw, _ = create_token(coordinator_client)
    response = client.get("/api/v1/members/999999", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_openapi_document_describes_operations_and_bearer_auth(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/members" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"

"""The circles API: the same services and the same membership rule as the pages."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.circles.models import Circle, Post

from ..conftest import member


@pytest.fixture
def headers(people):
    def make(org_key, local="coordinator"):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(people[org_key], local), name="t")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


def test_a_coordinator_creates_a_circle_through_the_api(client, headers):
    h = headers("demostad")
    response = client.post("/api/v1/circles", {"name": "Via de API", "kind": "theme"}, "application/json", **h)
    assert response.status_code == 201
    assert response.json()["name"] == "Via de API"
    assert [c["name"] for c in client.get("/api/v1/circles", **h).json()["items"]] == ["Via de API"]


def test_a_viewer_may_not_create_a_circle(client, headers):
    response = client.post("/api/v1/circles", {"name": "X"}, "application/json", **headers("demostad", "lezer"))
    assert response.status_code == 403
    assert not Circle.objects.exists()


def test_a_name_of_only_spaces_is_refused_by_the_schema(client, headers):
    response = client.post("/api/v1/circles", {"name": "   "}, "application/json", **headers("demostad"))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_members_start_threads_and_reply_through_the_api(client, headers, circle):
    h = headers("voorbeeldrecht")
    response = client.post(
        f"/api/v1/circles/{circle.pk}/threads",
        {"title": "Vraag", "body": "Hoe doen jullie dat?"},
        "application/json",
        **h,
    )
    assert response.status_code == 201
    thread_id = response.json()["id"]
    reply = client.post(
        f"/api/v1/threads/{thread_id}/posts", {"body": "Zo."}, "application/json", **headers("demostad")
    )
    assert reply.status_code == 201
    posts = client.get(f"/api/v1/threads/{thread_id}/posts", **h).json()
    assert [(p["author"], p["municipality"], p["body"]) for p in posts["items"]] == [
        ("Coördinator Voorbeeldrecht", "Voorbeeldrecht", "Hoe doen jullie dat?"),
        ("Coördinator Demostad", "Demostad", "Zo."),
    ]


def test_a_facilitator_plans_a_meeting_through_the_api_and_a_member_may_not(client, headers, circle):
    body = {"title": "Overleg", "starts_at": "2031-05-01T10:00:00+02:00", "duration_minutes": 90, "location": "Online"}
    assert (
        client.post(
            f"/api/v1/circles/{circle.pk}/meetings", body, "application/json", **headers("voorbeeldrecht")
        ).status_code
        == 403
    )
    response = client.post(f"/api/v1/circles/{circle.pk}/meetings", body, "application/json", **headers("demostad"))
    assert response.status_code == 201
    data = response.json()
    assert data["ends_at"].startswith("2031-05-01T09:30:00") or data["ends_at"].startswith("2031-05-01T11:30:00")
    listed = client.get(f"/api/v1/circles/{circle.pk}/meetings", **headers("voorbeeldrecht")).json()
    assert [m["title"] for m in listed] == ["Overleg"]


def test_documents_are_listed_with_their_versions(client, headers, circle, people):
    from weerbaar.circles import services
    from weerbaar.circles.files import CheckedFile

    services.document_create(
        user=people["other"],
        circle=circle,
        title="Plan",
        file=CheckedFile("plan.txt", "text/plain; charset=utf-8", b"hoi"),
    )
    listed = client.get(f"/api/v1/circles/{circle.pk}/documents", **headers("demostad")).json()
    assert listed[0]["title"] == "Plan"
    assert listed[0]["versions"][0]["filename"] == "plan.txt"
    assert listed[0]["versions"][0]["uploaded_by"] == "Coördinator Voorbeeldrecht"


def test_a_municipality_that_is_no_member_gets_404(client, headers, circle):
    with scopes_disabled():
        outsider = headers("demostad", "lezer")
    assert client.get(f"/api/v1/circles/{circle.pk}", **outsider).status_code == 404
    assert (
        client.post(
            f"/api/v1/circles/{circle.pk}/threads", {"title": "x", "body": "y"}, "application/json", **outsider
        ).status_code
        == 404
    )
    assert not Post.objects.exists()

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


# --- documents through the API (multipart/form-data) ---------------------------------------------


def _upload(client, circle_id, h, name="plan.txt", content=b"Ons plan\n", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"title": "Plan", **fields, "file": SimpleUploadedFile(name, content)}
    return client.post(f"/api/v1/circles/{circle_id}/documents", data, **h)


def test_a_member_shares_a_document_adds_a_version_and_downloads_it_through_the_api(client, headers, circle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weerbaar.core.models import AuditEntry

    response = _upload(client, circle.pk, headers("voorbeeldrecht"), description="Ter inspiratie")
    assert response.status_code == 201, response.content
    document = response.json()
    assert (document["title"], document["description"], document["circle_id"]) == (
        "Plan",
        "Ter inspiratie",
        circle.pk,
    )
    assert [(v["number"], v["filename"], v["size"]) for v in document["versions"]] == [(1, "plan.txt", 9)]

    h = headers("demostad")
    response = client.post(
        f"/api/v1/circle-documents/{document['id']}/versions",
        {"note": "Cijfers bijgewerkt", "file": SimpleUploadedFile("plan-v2.txt", b"Ons nieuwe plan\n")},
        **h,
    )
    assert response.status_code == 201, response.content
    version = response.json()
    assert (version["number"], version["note"], version["uploaded_by"]) == (
        2,
        "Cijfers bijgewerkt",
        "Coördinator Demostad",
    )
    detail = client.get(f"/api/v1/circle-documents/{document['id']}", **h).json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]

    download = client.get(f"/api/v1/circle-document-versions/{version['id']}/file", **headers("voorbeeldrecht"))
    assert download.status_code == 200
    assert download.content == b"Ons nieuwe plan\n"
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="plan-v2.txt"')
    assert download["X-Content-Type-Options"] == "nosniff"
    with scopes_disabled():
        events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"circle.document_shared", "circle.document_version"} <= events


def test_a_refused_file_is_a_problem_naming_the_file_field(client, headers, circle):
    from weerbaar.circles.models import Document

    h = headers("voorbeeldrecht")
    wrong_type = _upload(client, circle.pk, h, name="macro.exe", content=b"MZ\x90\x00")
    assert wrong_type.status_code == 422
    assert wrong_type["Content-Type"] == "application/problem+json"
    [param] = wrong_type.json()["invalid_params"]
    assert (param["name"], param["code"]) == ("file.file", "file_type")
    assert "niet worden gedeeld" in param["reason"]

    disguised = _upload(client, circle.pk, h, name="rapport.pdf", content=b"<html>geen pdf</html>")
    assert disguised.status_code == 422
    assert disguised.json()["invalid_params"][0]["code"] == "file_content"

    no_file = client.post(f"/api/v1/circles/{circle.pk}/documents", {"title": "Plan"}, **h)
    assert no_file.status_code == 422
    assert [p["name"] for p in no_file.json()["invalid_params"]] == ["file.file"]
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused_through_the_api(client, headers, circle, monkeypatch):
    from weerbaar.circles import files

    monkeypatch.setattr(files, "MAX_BYTES", 10)
    response = _upload(client, circle.pk, headers("voorbeeldrecht"), content=b"x" * 11)
    assert response.status_code == 422
    assert response.json()["invalid_params"][0]["code"] == "file_too_large"


def test_every_file_the_circle_limit_allows_goes_through_the_api_and_one_byte_more_is_refused_in_dutch(
    client, headers, circle
):
    """At the real limit (no monkeypatch): the API's body limit must leave room for the file plus the
    multipart envelope, so the product's own size rule is the one a member meets."""
    from django.conf import settings

    from weerbaar.circles import files
    from weerbaar.circles.models import DocumentVersion

    h = headers("voorbeeldrecht")
    for size in (files.MAX_BYTES - 1, files.MAX_BYTES):
        response = _upload(client, circle.pk, h, content=b"a" * size)
        assert response.status_code == 201, response.content[:300]
        assert response.json()["versions"][0]["size"] == size
    too_large = _upload(client, circle.pk, h, content=b"a" * (files.MAX_BYTES + 1))
    assert too_large.status_code == 422
    assert too_large["Content-Type"].startswith("application/problem+json")
    [problem] = too_large.json()["invalid_params"]
    assert problem["name"] == "file.file" and problem["code"] == "file_too_large"
    assert "Het bestand is te groot" in problem["reason"] and "het maximum is 10 MB" in problem["reason"]
    assert DocumentVersion.objects.count() == 2
    # A body far over any limit is still refused before it is parsed, in Dutch.
    huge = _upload(client, circle.pk, h, content=b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    assert huge.status_code == 413 and "groter dan 11 MB" in huge.json()["detail"]
    assert DocumentVersion.objects.count() == 2


def test_a_non_member_reaches_no_document_operation(client, headers, circle, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weerbaar.circles import services
    from weerbaar.circles.files import CheckedFile
    from weerbaar.circles.models import Document, DocumentVersion

    document = services.document_create(
        user=people["other"], circle=circle, title="Plan", file=CheckedFile("plan.txt", "text/plain", b"geheim")
    )
    version = document.versions.get()
    outsider = headers("demostad", "lezer")  # a colleague of the facilitator, not in the circle
    assert _upload(client, circle.pk, outsider).status_code == 404
    response = client.post(
        f"/api/v1/circle-documents/{document.pk}/versions", {"file": SimpleUploadedFile("x.txt", b"x")}, **outsider
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/v1/circle-documents/{document.pk}", **outsider).status_code == 404
    download = client.get(f"/api/v1/circle-document-versions/{version.pk}/file", **outsider)
    assert download.status_code == 404
    assert b"geheim" not in download.content
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (1, 1)

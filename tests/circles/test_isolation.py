"""A person who is not a member of a circle reaches nothing of it: every circle page, file and
API operation answers 404 with the ids of every circle object. Nothing here names a view: new
circle pages and operations are walked without editing this file.

And the other way round: a circle shared with another municipality opens nothing of one's own
municipality's workspace to them.
"""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.api.api import api
from weerbaar.circles.demo import load_circles_demo
from weerbaar.circles.models import Circle, CircleMember
from weerbaar.core.models import AuditEntry, Membership

from ..conftest import member
from ..test_tenancy_walk import MULTIPART, request_body, send

CIRCLE_APP = "circles"


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


def circle_routes_with_ids():
    routes = [r for r, name in _walk(get_resolver().url_patterns) if name.startswith(CIRCLE_APP + ":")]
    with_ids = [r for r in routes if "<int:pk>" in r]
    assert len(with_ids) >= 15, "the walk should see every circle page with an id"
    return with_ids


def circle_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if "leerkringen" in operation.get("tags", []):
                yield path, method, operation, schema["components"]["schemas"]


def ids_of(circle: Circle) -> set[int]:
    """The ids of everything of this circle: members, meetings, attendance, threads, posts, documents, versions."""
    ids = {circle.pk}
    for model in apps.get_app_config(CIRCLE_APP).get_models():
        for field in (
            "circle",
            "thread__circle",
            "meeting__circle",
            "document__circle",
            "member__circle",
            "post__circle",
        ):
            try:
                ids |= set(model.objects.filter(**{field: circle}).values_list("pk", flat=True))
                break
            except Exception:  # noqa: S112 - the model has no such path to its circle; try the next
                continue
    return ids


@pytest.fixture
def demo_circles(people):
    with scopes_disabled():
        load_circles_demo({"demostad": people["demostad"], "voorbeeldrecht": people["voorbeeldrecht"]})
        return {c.name: c for c in Circle.objects.all()}


def _audit_count():
    with scopes_disabled():
        return AuditEntry.objects.count()


def _assert_nothing_reachable(client, routes, ids):
    checked = 0
    for route in routes:
        for pk in sorted(ids):
            url = "/" + route.replace("<int:pk>", str(pk))
            get = client.get(url)
            assert get.status_code in (404, 405), (url, get.status_code)
            post = client.post(url, {"answer": "accept", "body": "x", "title": "x", "email": "a@b.example"})
            assert post.status_code == 404, (url, post.status_code)
            checked += 2
    return checked


def test_a_non_member_gets_404_on_every_circle_page_and_file(client, people, demo_circles):
    client.force_login(people["outsider"], backend="django.contrib.auth.backends.ModelBackend")
    ids = set().union(*(ids_of(c) for c in demo_circles.values()))
    before = _audit_count()
    checked = _assert_nothing_reachable(client, circle_routes_with_ids(), ids)
    assert checked > 200
    assert _audit_count() == before, "a non-member changed something"
    # Their list shows no circle of which they are no member, only the one open for requests.
    page = client.get("/leerkringen/").content.decode()
    assert "Regio Utrecht-West" not in page
    assert "Integriteit in kleine gemeenten" in page  # discoverable: name and description only
    assert "Dilemmakaarten" not in page


def test_a_member_of_one_circle_reaches_nothing_of_another(client, people, demo_circles):
    # Demostad's theme expert is in Utrecht-West only.
    client.force_login(people["expert"], backend="django.contrib.auth.backends.ModelBackend")
    other, own = demo_circles["Integriteit in kleine gemeenten"], demo_circles["Regio Utrecht-West"]
    assert client.get(f"/leerkringen/{own.pk}/").status_code == 200
    # Ids of the other circle's objects that are not also ids of some object in their own circle.
    _assert_nothing_reachable(client, circle_routes_with_ids(), ids_of(other) - ids_of(own))


def test_an_invited_person_sees_only_the_invitation_until_accepting(client, people, circle):
    from weerbaar.circles import services

    services.member_invite(user=people["facilitator"], circle=circle, email="coordinator@buitendorp.example")
    client.force_login(people["outsider"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/leerkringen/{circle.pk}/").status_code == 404
    assert "Regio Test" in client.get("/leerkringen/").content.decode()
    response = client.post(f"/leerkringen/{circle.pk}/uitnodiging/", {"answer": "accept"})
    assert response.status_code == 302
    assert client.get(f"/leerkringen/{circle.pk}/").status_code == 200


def test_a_person_who_left_reaches_nothing_any_more(client, people, circle):
    from weerbaar.circles import services

    services.member_leave(user=people["other"], circle=circle)
    client.force_login(people["other"], backend="django.contrib.auth.backends.ModelBackend")
    _assert_nothing_reachable(client, circle_routes_with_ids(), ids_of(circle))


def test_every_circle_api_operation_is_404_for_a_non_member(client, people, demo_circles):
    with scopes_disabled():
        membership = Membership.objects.get(user=people["outsider"])
        _, raw = api_token_create(membership=membership, name="walk")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    ids = set().union(*(ids_of(c) for c in demo_circles.values()))
    before = _audit_count()
    operations = uploads = 0
    for path, method, operation, components in circle_operations():
        params = re.findall(r"{(\w+)}", path)
        if not params:
            continue
        operations += 1
        uploads += request_body(operation, components, {})[0] == MULTIPART
        for pk in sorted(ids):
            url = re.sub(r"{\w+}", str(pk), path)
            # A valid body (a real file for an upload), so only the membership lookup can refuse it.
            media, body = request_body(operation, components, {})
            response = send(client, method, url, media, body, headers)
            assert response.status_code == 404, (method, url, response.content[:200])
    assert operations >= 11
    assert uploads == 2  # sharing a document and adding a version
    assert _audit_count() == before
    listed = client.get("/api/v1/circles", **headers).json()
    assert listed["count"] == 0


def test_a_circle_member_from_another_municipality_reaches_nothing_of_its_workspace(client, people, circle):
    """Voorbeeldrecht's coordinator shares a circle with Demostad's: Demostad's workspace stays closed."""
    client.force_login(people["other"], backend="django.contrib.auth.backends.ModelBackend")
    for url in ["/g/demostad/", "/g/demostad/leden/", "/g/demostad/leerkringen/", "/g/demostad/risico/risicos/"]:
        assert client.get(url).status_code == 404, url
    # And the circle's pages name people, never their e-mail addresses (which name their municipality).
    for url in [f"/leerkringen/{circle.pk}/", f"/leerkringen/{circle.pk}/deelnemers/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"@demostad.example" not in response.content


def test_api_lists_members_by_name_and_municipality_without_e_mail(client, people, circle):
    with scopes_disabled():
        membership = member(people["voorbeeldrecht"], "coordinator")
        _, raw = api_token_create(membership=membership, name="t")
    response = client.get(f"/api/v1/circles/{circle.pk}/members", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    names = {(m["name"], m["municipality"], m["role"]) for m in response.json()}
    assert ("Coördinator Demostad", "Demostad", CircleMember.Role.FACILITATOR) in names
    assert b"@" not in response.content

"""Another municipality's coordinator gets 404 for every framework page and API operation."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.api.api import api
from weerbaar.core.models import Role
from weerbaar.framework import services
from weerbaar.framework.models import StepComment

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from ..test_tenancy_walk import all_routes, fill, params_of


@pytest.fixture
def intruder(db, themes):
    with scopes_disabled():
        org = OrganisationFactory(slug="indringerdorp", name="Indringerdorp")
        membership = MembershipFactory(
            organisation=org, user=UserFactory(email="coordinator@indringerdorp.example"), role=Role.COORDINATOR
        )
        _, raw = api_token_create(membership=membership, name="walk")
    return membership, raw


def test_framework_pages_and_api_with_demostad_ids_are_404_for_another_municipality(
    client, intruder, adopted, coordinator, demostad
):
    v2 = services.version_create_from(source=adopted, membership=coordinator)
    comment = services.comment_add(version=v2, step="visie", body="Geheim", membership=coordinator)
    ids = sorted({adopted.pk, v2.pk, comment.pk, *v2.steps.values_list("pk", flat=True)})
    membership, raw = intruder
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    routes = [(r, n) for r, n in all_routes() if n and n.startswith("framework:") and "pk" in params_of(r)]
    assert len(routes) >= 10
    for route, name in routes:
        for org in ("demostad", "indringerdorp"):
            for pk in ids:
                url = fill(route, {"org": org, "pk": pk})
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    assert response.status_code in (404, 405), (method, url, response.status_code)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "/framework/" not in path or "{" not in path:
            continue
        for method in methods:
            for pk in ids:
                url = re.sub(r"{\w+}", str(pk), path)
                response = client.generic(method.upper(), url, data="{}", content_type="application/json", **headers)
                assert response.status_code in (404, 422), (method, url, response.status_code)
                assert b"Geheim" not in response.content
    assert StepComment.objects.get().is_open
    assert reverse("framework:overview", kwargs={"org": "indringerdorp"})

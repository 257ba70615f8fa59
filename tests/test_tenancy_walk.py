"""Walk every URL pattern and every API operation as a member of another municipality.

Nothing here names a view or a model: new views, routers and municipal models are covered
without editing this file. A new URL argument name fails loudly until it gets a sample.
"""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.api.api import api
from weerbaar.core import services
from weerbaar.core.models import AuditEntry, Organisation, OrganisationOwned, Role

from .factories import MembershipFactory, OrganisationFactory, UserFactory

# URL names anonymous visitors may open; everything else must send them to the login page.
PUBLIC_URL_NAMES = {
    "core:accessibility",
    "core:invitation_accept",
    "set_language",
}
# allauth's own pages (login, password reset, SSO callbacks) are public by design.
PUBLIC_PREFIXES = ("account/",)

LEAK_MARKER = "@demostad.example"


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None


def all_routes():
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.startswith("api/v1/")  # the API is walked through its OpenAPI operations
    ]


PARAM = re.compile(r"\(\?P<(?P<rname>\w+)>[^)]*\)|<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
# Arguments of allauth's own (non-municipal) routes.
OTHER_SAMPLES = {
    "key": "x",
    "uidb36": "x",
    "provider_id": "x",
    "token": "not-a-real-token",
    "slug": "x",
    "step": "visie",
}


def params_of(route: str) -> set[str]:
    return {m.group("name") or m.group("rname") for m in PARAM.finditer(route)}


def fill(route: str, values: dict[str, object]) -> str:
    values = {**OTHER_SAMPLES, **values}

    def sub(m):
        name = m.group("name") or m.group("rname")
        if name not in values:
            raise AssertionError(f"URL {route!r} has argument {name!r}: add a sample value to this test")
        return str(values[name])

    path = PARAM.sub(sub, route)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def municipal_models():
    return [m for m in apps.get_models() if issubclass(m, OrganisationOwned)]


@pytest.fixture
def intruder(db, themes):
    """A coordinator of another municipality, created first so its ids stay few and low."""
    with scopes_disabled():
        org = OrganisationFactory(slug="indringerdorp", name="Indringerdorp")
        membership = MembershipFactory(
            organisation=org, user=UserFactory(email="coordinator@indringerdorp.example"), role=Role.COORDINATOR
        )
        _, raw = api_token_create(membership=membership, name="walk")
    return membership, raw


@pytest.fixture
def victim(intruder, demo):
    """Demostad with rows of every kind: the full demo data of every app, plus an invitation
    and an API token (which the demo does not create)."""
    org = demo["demostad"]
    with scopes_disabled():
        call_command("load_demo", stdout=io.StringIO())
        coordinator = apps.get_model("core", "Membership").objects.get(
            organisation=org, user__email="coordinator@demostad.example"
        )
        services.invitation_create(
            organisation=org,
            email="nieuw@demostad.example",
            role=Role.VIEWER,
            invited_by=coordinator.user,
            base_url="http://testserver/",
        )
        api_token_create(membership=coordinator, name="demostad token")
    return org


def owned_ids(org: Organisation) -> set[int]:
    ids = set()
    with scopes_disabled():
        for model in municipal_models():
            ids |= set(model.objects.filter(organisation=org).values_list("pk", flat=True))
        ids |= set(AuditEntry.objects.filter(organisation=org).values_list("pk", flat=True))
    return ids


def sample_ids(org: Organisation, exclude: set[int]) -> set[int]:
    """The lowest and highest id of every municipal model of this municipality."""
    ids = set()
    with scopes_disabled():
        for model in [*municipal_models(), AuditEntry]:
            pks = model.objects.filter(organisation=org).exclude(pk__in=exclude).aggregate(lo=Min("pk"), hi=Max("pk"))
            ids |= {pk for pk in pks.values() if pk is not None}
    return ids


def test_victim_has_rows_of_every_municipal_model(victim):
    with scopes_disabled():
        empty = [m.__name__ for m in municipal_models() if not m.objects.filter(organisation=victim).exists()]
    # Every kind of municipal data is walked with a real id; a new model needs demo data.
    assert not empty, f"no demo rows for {empty}: add them to the app's demo loader"


def test_every_url_as_member_of_another_municipality_is_404_or_403(client, intruder, victim):
    membership, _ = intruder
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    victim_ids = sample_ids(victim, exclude=owned_ids(membership.organisation))
    assert len(victim_ids) >= 5, "the walk needs objects of the other municipality"
    with scopes_disabled():
        audit_before = AuditEntry.objects.filter(organisation=victim).count()
    checked = 0
    for route, name in all_routes():
        params = params_of(route)
        if not params:
            continue
        if not params & {"org", "pk"}:
            response = client.get(fill(route, {}))
            assert response.status_code < 500, route
            assert LEAK_MARKER.encode() not in response.content, route
            continue
        orgs = [victim.slug, membership.organisation.slug] if "org" in params else [None]
        pks = sorted(victim_ids) if "pk" in params else [None]
        for org in orgs:
            for pk in pks:
                if org == membership.organisation.slug and pk is None:
                    continue  # own pages without an object id: covered by the leak check below
                url = fill(route, {"org": org, "pk": pk})
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    checked += 1
                    assert response.status_code in (403, 404, 405), (method, url, name, response.status_code)
                    assert LEAK_MARKER.encode() not in response.content, (method, url)
    assert checked > 50
    with scopes_disabled():
        assert AuditEntry.objects.filter(organisation=victim).count() == audit_before, "a POST changed their data"


def test_own_pages_never_show_another_municipalitys_data(client, intruder, victim):
    membership, _ = intruder
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    for route, _name in all_routes():
        if params_of(route) - {"org"}:
            continue
        url = fill(route, {"org": membership.organisation.slug})
        response = client.get(url)
        assert response.status_code < 500, url
        assert LEAK_MARKER.encode() not in response.content, url


def test_every_url_needs_login_unless_public(client, demo):
    for route, name in all_routes():
        url = fill(route, {"org": "demostad", "pk": 1})
        response = client.get(url)
        if name in PUBLIC_URL_NAMES or route.startswith(PUBLIC_PREFIXES):
            assert response.status_code < 500, url
            continue
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/account/login/"), url


def api_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield path, method


def test_every_api_operation_with_another_municipalitys_ids_is_404(client, intruder, victim):
    membership, raw = intruder
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    victim_ids = sample_ids(victim, exclude=owned_ids(membership.organisation))
    operations = list(api_operations())
    assert operations
    for path, method in operations:
        params = re.findall(r"{(\w+)}", path)
        ids = sorted(victim_ids) if params else [None]
        for obj_id in ids:
            url = path
            for p in params:
                url = url.replace("{" + p + "}", str(obj_id))
            response = client.generic(method.upper(), url, data="{}", content_type="application/json", **headers)
            assert response.status_code < 500, (method, url)
            if params:
                assert response.status_code in (403, 404, 422), (method, url, response.status_code)
            assert LEAK_MARKER.encode() not in response.content, (method, url)


def test_every_api_operation_needs_a_token(client, demo):
    for path, method in api_operations():
        url = re.sub(r"{\w+}", "1", path)
        response = client.generic(method.upper(), url, data="{}", content_type="application/json")
        assert response.status_code == 401, (method, url)
        assert response["Content-Type"] == "application/problem+json"

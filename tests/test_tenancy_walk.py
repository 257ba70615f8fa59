"""Walk every URL pattern and every API operation as a member of another municipality.

Nothing here names a view or a model: new views, routers and municipal models are covered
without editing this file. A new URL argument name fails loudly until it gets a sample.
"""

import io
import json
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
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
    "core:home",  # sends a visitor to the public welcome page, a member to their municipality
    "core:accessibility",
    "core:invitation_accept",
    "set_language",
    "core:health",  # for the load balancer; holds no tenant data
    "core:security_txt",  # RFC 9116: reporters are not signed in
    "agenda:feed_ics",  # calendar programs cannot log in: the private token is the key (404 otherwise)
    # The open knowledge base: national content for municipalities not yet working in Weerbaar.
    "knowledge:welcome",
    "knowledge:index",
    "knowledge:search",
    "knowledge:theme",
    "knowledge:building_block",
    "knowledge:glossary",
    "knowledge:laws",
    "knowledge:steps",
    "knowledge:scope",
    "knowledge:goals",
    "knowledge:principles",
    "knowledge:pdca",
    "knowledge:governance",
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
    "number": 1,  # a framework version by the number users see; the municipality in the URL decides
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


def _resolve(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _resolve(options[0], components) if options else {"type": "null"}
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    return schema


def _existing_slugs(org) -> dict[str, list[str]]:
    """Slugs that exist, by the property name that takes them, so a body passes the checks for
    unknown references and reaches the object lookup (themes, threats, goals, ...)."""
    from weerbaar.core.models import Membership
    from weerbaar.knowledge.models import Principle, SecurityGoal, Theme
    from weerbaar.risks.models import Threat

    with scopes_disabled():
        return {
            # A member of this municipality as owner (ids differ per database, so never a fixed 1).
            "owner_id": [Membership.objects.filter(organisation=org).order_by("pk").first().pk],
            "themes": [Theme.objects.order_by("pk").first().slug],
            "threat": [Threat.objects.order_by("pk").first().slug],
            "goals": [SecurityGoal.objects.order_by("pk").first().slug],
            "principles": [Principle.objects.order_by("pk").first().slug],
        }


def minimal_body(schema, components, slugs, name=""):
    """The smallest valid value of a request schema: required properties only, each with a valid
    example (the first enum value, the minimum, an existing slug for a slug list)."""
    schema = _resolve(schema, components)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and name not in schema.get("required", []) and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {
            prop: minimal_body(sub, components, slugs, prop)
            for prop, sub in schema.get("properties", {}).items()
            if prop in required
        }
    if kind == "array":
        if name in slugs:
            return slugs[name][: max(1, schema.get("minItems", 0))]
        item = schema.get("items", {"type": "string"})
        return [minimal_body(item, components, slugs, name) for _ in range(schema.get("minItems", 0))]
    if kind == "integer" and name in slugs:
        return slugs[name][0]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if "maximum" not in schema or schema["maximum"] >= 1 else 0
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "binary":
            # A small file every upload check accepts (plain text), so the request passes the
            # checks and reaches the lookup of the object it names.
            return SimpleUploadedFile("walk.txt", b"walk\n", "text/plain")
        if name in slugs:
            return slugs[name][0]
        if schema.get("format") == "date":
            return "2026-01-01"
        if schema.get("format") == "date-time":
            return "2026-01-01T00:00:00"
        return "x" * max(1, schema.get("minLength", 1))
    return None


MULTIPART = "multipart/form-data"


def request_body(operation, components, slugs):
    """The media type and minimal body of an operation: JSON, or a multipart form with a file for
    an upload. Any other media type fails here, so a new kind of body is never silently skipped."""
    content = operation.get("requestBody", {}).get("content", {})
    unknown = set(content) - {"application/json", MULTIPART}
    assert not unknown, f"the walk cannot build a {unknown} body yet"
    for media in ("application/json", MULTIPART):
        if media in content:
            return media, minimal_body(content[media]["schema"], components, slugs)
    return None, None


def send(client, method, url, media, body, headers):
    if media == MULTIPART:
        assert method == "post", (method, url)  # browsers and Django send forms with files by POST only
        return client.post(url, body, **headers)  # the test client encodes it as multipart/form-data
    return client.generic(method.upper(), url, json.dumps(body if media else {}), "application/json", **headers)


def test_minimal_bodies_are_valid_for_the_own_municipality(client, intruder, victim):
    """The bodies the walk sends are accepted by the intruder's own municipality for every
    operation that creates without an object id, so the walk's 404s come from the lookup of
    the other municipality's object, not from the body."""
    membership, raw = intruder
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    slugs = _existing_slugs(membership.organisation)
    checked = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            media, body = request_body(operation, components, slugs)
            if not media or "{" in path:
                continue
            response = send(client, method, path, media, body, headers)
            checked += 1
            assert response.status_code in (200, 201), (method, path, body, response.content[:300])
    assert checked >= 3


def test_every_api_operation_with_another_municipalitys_ids_is_404(client, intruder, victim):
    """Every operation with a path argument, called with the other municipality's ids and (for
    an operation with a body) a valid body built from its schema, so the request gets past the
    input checks and reaches the object lookup: 404 (or 403), and nothing of theirs changes."""
    membership, raw = intruder
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    victim_ids = sample_ids(victim, exclude=owned_ids(membership.organisation))
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    slugs = _existing_slugs(membership.organisation)
    with scopes_disabled():
        audit_before = AuditEntry.objects.filter(organisation=victim).count()
    with_body = with_file = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = re.findall(r"{(\w+)}", path)
            if not params:
                # No object of theirs to name; with a valid body it would create the intruder's
                # own rows, whose ids may equal the sampled ids of the other municipality.
                continue
            media, body = request_body(operation, components, slugs)
            with_body += bool(media and params)
            with_file += media == MULTIPART
            for obj_id in sorted(victim_ids):
                url = path
                for p in params:
                    url = url.replace("{" + p + "}", OTHER_SAMPLES["step"] if p == "step" else str(obj_id))
                if media == MULTIPART:  # a fresh file each time: the previous request read it
                    media, body = request_body(operation, components, slugs)
                response = send(client, method, url, media, body, headers)
                assert response.status_code in (403, 404), (method, url, body, response.content[:300])
                assert LEAK_MARKER.encode() not in response.content, (method, url)
    assert with_body >= 4
    assert with_file >= 2  # the uploads (circle documents and their versions) were walked too
    with scopes_disabled():
        assert AuditEntry.objects.filter(organisation=victim).count() == audit_before, "a write changed their data"


def test_every_api_operation_needs_a_token(client, demo):
    for path, method in api_operations():
        url = re.sub(r"{\w+}", "1", path)
        response = client.generic(method.upper(), url, data="{}", content_type="application/json")
        assert response.status_code == 401, (method, url)
        assert response["Content-Type"] == "application/problem+json"

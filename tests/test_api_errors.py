"""The API's error contract: whatever a client sends, the answer is a Dutch problem+json 4xx.

Every operation in the OpenAPI document is called with hostile input (lone surrogates,
integers beyond 64 bits, in the body, the path and the query), with a valid token of the
municipality that owns the objects, so the request gets past the tenancy checks and the
input reaches the code that would pass it on to the database. Nothing here names an
operation: a new one is covered without editing this file. A new path argument name fails
loudly until it gets a sample.
"""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django_scopes import scopes_disabled
from ninja import Query, Schema

from weerbaar.accounts.services import api_token_create
from weerbaar.api.api import api

from .conftest import member

HUGE = 2**70
SURROGATE = '"\\ud800"'  # JSON text of a string with a lone surrogate, as raw bytes
PROBLEM = "application/problem+json"


def operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def body_operations():
    """Operations that take a JSON body (an upload takes multipart/form-data: no JSON parser runs)."""
    return [
        (m, p, op) for m, p, op in operations() if "application/json" in op.get("requestBody", {}).get("content", {})
    ]


@pytest.fixture
def demo_data(demo):
    with scopes_disabled():
        call_command("load_demo", stdout=io.StringIO())
    return demo["demostad"]


@pytest.fixture
def call(client, demo_data):
    from django.apps import apps

    coordinator = member(demo_data, "coordinator")
    _, raw = api_token_create(membership=coordinator, name="fuzz")
    client.raise_request_exception = False  # a 500 is a finding to list, not a crash of the test
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with scopes_disabled():
        org = demo_data

        def first(label, **filters):
            return apps.get_model(label).objects.filter(organisation=org, **filters).order_by("pk").first().pk

        samples = {
            "member_id": coordinator.pk,
            "version_id": first("framework.FrameworkVersion", status="draft"),
            "other_id": first("framework.FrameworkVersion"),
            "comment_id": first("framework.StepComment"),
            "asset_id": first("risks.Asset"),
            "risk_id": first("risks.Risk"),
            "measure_id": first("risks.Measure"),
            # Learning circles are not municipal: any id will do (the lookup comes after these checks).
            "circle_id": 1,
            "meeting_id": 1,
            "thread_id": 1,
            "incident_id": first("incidents.Incident"),
            "report_id": first("incidents.ExternalReport"),
            "action_id": first("cycle.Action"),
            "check_id": first("cycle.Check"),
            "finding_id": first("cycle.Finding"),
            "deviation_id": first("cycle.Deviation"),
            "step": "visie",
            "number": "5.15.01",  # a BIO2 government measure (statement of applicability)
            "slug": apps.get_model("knowledge.BuildingBlock").objects.order_by("pk").first().slug,
            "group_id": first("training.StaffGroup"),
            "activity_id": first("training.Activity"),
            "session_id": first("training.Session"),
            "moment_id": first("agenda.PlanningMoment"),
        }

    def by_name(name):
        """``action_id`` -> the first Action of this municipality (or of any, for shared models)."""
        from weerbaar.core.models import OrganisationOwned

        stem = name.removesuffix("_id").replace("_", "")
        ours = (m for m in apps.get_models() if m.__module__.startswith("weerbaar."))
        models = sorted((m for m in ours if m._meta.model_name.endswith(stem)), key=lambda m: len(m._meta.model_name))
        with scopes_disabled():
            for model in models:
                rows = model.objects.all()
                if issubclass(model, OrganisationOwned):
                    rows = rows.filter(organisation=org)
                row = rows.order_by("pk").first()
                if row is not None:
                    return row.pk
        return None

    def fill(path, **override):
        def sub(m):
            name = m.group(1)
            values = {**samples, **override}
            if name not in values and name.endswith("_id"):
                values[name] = samples[name] = by_name(name)
            assert values.get(name) is not None, f"{path} has path argument {name!r}: add a sample value to this test"
            return str(values[name])

        return re.sub(r"{(\w+)}", sub, path)

    def _call(method, path, body: bytes = b"", query: str = "", **override):
        url = fill(path, **override) + (f"?{query}" if query else "")
        # Each request in its own savepoint, as each request has its own transaction outside the
        # tests: a database error of one request must not poison the next one on PostgreSQL.
        with transaction.atomic():
            response = client.generic(method, url, data=body, content_type="application/json", **headers)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    return _call


def _resolve(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        schema = _resolve(options[0], components) if options else {"type": "null"}
    if "allOf" in schema and len(schema["allOf"]) == 1:
        schema = _resolve(schema["allOf"][0], components)
    return schema


def _sample(schema, components):
    """A value of every property (arrays with one item), so that every leaf can be attacked."""
    schema = _resolve(schema, components)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if kind == "object":
        return {name: _sample(prop, components) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [_sample(schema.get("items", {"type": "string"}), components)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        return "2026-01-01" if schema.get("format") in ("date", "date-time") else "x"
    return None


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _replaced(value, path, new):
    if not path:
        return new
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


MARKER = "@@ATTACK@@"


def attacked_bodies(operation, attack: str):
    """JSON texts (bytes) with the attack in each string (surrogate) or integer leaf in turn."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    sample = _sample(body_schema, components)
    yield json.dumps({"name": MARKER, "fields": {"text": MARKER}}).replace(f'"{MARKER}"', attack).encode()
    for path, leaf in _leaves(sample):
        wanted = str if attack == SURROGATE else int
        if isinstance(leaf, wanted) and not isinstance(leaf, bool):
            yield json.dumps(_replaced(sample, path, MARKER)).replace(f'"{MARKER}"', attack).encode()
    if attack != SURROGATE:
        # The same integer as text: pydantic turns "123" into 123 for an integer field.
        for path, leaf in _leaves(sample):
            if isinstance(leaf, int) and not isinstance(leaf, bool):
                yield json.dumps(_replaced(sample, path, str(HUGE))).encode()


def _check(response, label, failures, statuses=None):
    ok = 400 <= response.status_code < 500 and response["Content-Type"].startswith(PROBLEM)
    if ok and statuses:
        ok = response.status_code in statuses
    if not ok:
        failures.append(f"{label}: {response.status_code} {response.content[:200]!r}")


@pytest.mark.parametrize("attack", [SURROGATE, str(HUGE)], ids=["lone-surrogate", "int-2**70"])
def test_every_body_with_a_lone_surrogate_or_huge_integer_is_a_problem_4xx(call, attack):
    failures, sent = [], 0
    for method, path, operation in body_operations():
        for body in attacked_bodies(operation, attack):
            _check(call(method, path, body), f"{method} {path} {body[:120]!r}", failures, {400, 422})
            sent += 1
    assert sent > 20
    assert not failures, "\n".join(failures)


def test_every_huge_id_in_the_path_is_404_and_huge_page_numbers_are_4xx(call):
    failures, sent = [], 0
    for method, path, operation in operations():
        for param in operation.get("parameters", []):
            if param["schema"].get("type") != "integer":
                continue
            if param["in"] == "path":
                response = call(method, path, b"{}", **{param["name"]: HUGE})
                _check(response, f"{method} {path} {param['name']}={HUGE}", failures, {404})
            elif param["in"] == "query":
                for value in (HUGE, -HUGE):
                    response = call(method, path, query=f"{param['name']}={value}")
                    _check(response, f"{method} {path}?{param['name']}={value}", failures, {422})
            sent += 1
    assert sent > 15
    assert not failures, "\n".join(failures)


def test_malformed_json_is_a_dutch_400_on_every_operation_with_a_body(call):
    for method, path, _operation in body_operations():
        for body in (b'{"name": ', b"\xff\xfe{}", b'{"a": NaN}', b"[" * 100_000):
            response = call(method, path, body)
            assert response.status_code == 400, (method, path, body[:20], response.content[:200])
            assert response["Content-Type"] == PROBLEM
            problem = response.json()
            assert problem["status"] == 400
            assert problem["title"] == "Ongeldige JSON"


def test_a_body_over_the_upload_limit_is_413_problem_json_on_every_operation(call, settings):
    body = b'{"name": "' + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    for method, path, _operation in operations():
        response = call(method, path, body)
        assert response.status_code == 413, (method, path, response.status_code)
        assert response["Content-Type"] == PROBLEM
        assert response.json()["title"] == "Verzoek te groot"
        assert f"groter dan {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB" in response.json()["detail"]


def test_invalid_params_name_the_field_with_a_dutch_reason(call):
    body = {
        "name": 5,
        "location": ["Stadhuis"],
        "criticality": "hoog",
        "description": "x",
        "onbekend": 1,
    }
    response = call("POST", "/api/v1/assets", json.dumps(body).encode())
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["title"] == "Ongeldige invoer"
    reasons = {p["name"]: p["reason"] for p in problem["invalid_params"]}
    assert reasons["body.name"] == "Vul tekst in."
    assert reasons["body.location"] == "Vul tekst in."
    assert reasons["body.criticality"] in ("Vul een geheel getal in.", "Kies een van: 1, 2, 3 of 4.")
    for reason in reasons.values():
        assert not re.search(r"\b(Input|should|valid|field|required)\b", reason), reason

    response = call("POST", "/api/v1/risks", json.dumps({"assets": [1, "x"], "accepted_until": "morgen"}).encode())
    reasons = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert reasons["body.title"] == "Dit veld is verplicht."
    assert reasons["body.assets.1"] == "Vul een geheel getal in."
    assert reasons["body.accepted_until"] == "Vul een geldige datum in (JJJJ-MM-DD)."

    response = call("GET", "/api/v1/risks", query="limit=veel&above_acceptance=misschien")
    reasons = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert reasons == {
        "query.limit": "Vul een geheel getal in.",
        "query.above_acceptance": "Vul ja of nee in (true of false).",
    }


@pytest.mark.parametrize(
    "sql,param,detail",
    [
        ("SELECT CAST(%s AS BIGINT)", HUGE, "te groot of te klein"),
        ("SELECT %s", "\ud800", "geen geldige Unicode"),
    ],
    ids=["integer-overflow", "lone-surrogate"],
)
def test_the_databases_own_refusal_is_a_422_problem_not_a_500(call, monkeypatch, sql, param, detail):
    """The safety net: input the checks before the database missed, refused by the real driver
    (SQLite: OverflowError / UnicodeEncodeError; PostgreSQL: DataError or the driver's encoder)."""
    from django.db import connection

    from weerbaar.core import api as core_api

    def failing_members(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute(sql, [param])
        return []

    monkeypatch.setattr(core_api.selectors, "organisation_members", failing_members)
    response = call("GET", "/api/v1/members")
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    assert detail in response.json()["detail"]


def test_other_database_errors_are_not_hidden_as_422(call, monkeypatch):
    from django.db import DataError

    from weerbaar.core import api as core_api

    def failing_members(**kwargs):
        raise DataError("division by zero")

    monkeypatch.setattr(core_api.selectors, "organisation_members", failing_members)
    assert call("GET", "/api/v1/members").status_code == 500


class _Page(Schema):
    limit: int = 10
    offset: int = 0


class _Body(Schema):
    ids: list[int] = []
    nested: dict[str, int] = {}


def _view(request, item_id: int, page: Query[_Page], payload: _Body, flag: bool = False):
    return "ok"


def test_integers_no_database_holds_are_refused_by_name_after_validation(rf):
    """What pydantic lets through ("1180591620717411303424" for an int, 1.2e21) is still refused."""
    from types import SimpleNamespace

    from django.core.exceptions import ValidationError
    from django.http import Http404

    from weerbaar.api import guards

    view = guards.reject_out_of_range_integers(_view)
    request = rf.get("/api/v1/x/5")
    request.resolver_match = SimpleNamespace(kwargs={"item_id": "5"})
    assert view(request, item_id=5, page=_Page(), payload=_Body(ids=[2**63 - 1, -(2**63)]), flag=True) == "ok"
    with pytest.raises(Http404):
        view(request, item_id=HUGE, page=_Page(), payload=_Body())
    with pytest.raises(ValidationError) as refused:
        view(request, item_id=5, page=_Page(offset=-HUGE), payload=_Body(ids=[1, HUGE], nested={"a": 2**63}))
    assert sorted(refused.value.message_dict) == ["body.ids.1", "body.nested.a", "query.offset"]

"""The OpenAPI document tells the truth: a schema-driven fuzz (schemathesis) finds no failure.

Every operation in the document is called with data generated from its own schemas (valid
and invalid), with the tokens of two municipalities that both hold the full demo, and every
answer goes through all of schemathesis' checks: no server error, every status and content type
documented, every body valid against its schema, valid data accepted and invalid data refused,
no answer without a token. A check of our own adds that no answer shows the other
municipality's data. Nothing here names an operation: a new one is fuzzed without editing this
file. Bounded (FUZZ_EXAMPLES per operation and generation mode) and derandomized, so CI gets
the same cases every run.
"""

from __future__ import annotations

import io
import os
import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from weerbaar.accounts.services import api_token_create
from weerbaar.api.api import api
from weerbaar.api.openapi import PROBLEM_SCHEMA, error_statuses

from .conftest import member

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
PROBLEM = "application/problem+json"


def test_every_operation_documents_the_error_contracts_answers():
    schema = api.get_openapi_schema()
    assert schema["components"]["schemas"]["Problem"] == PROBLEM_SCHEMA
    components = schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = operation["responses"]
            expected = error_statuses(path, operation, components)
            assert {401, 403, 413, 422, 503} <= set(expected)
            for status in expected:
                assert PROBLEM in documented[str(status)]["content"], (method, path, status)
            if "{" in path:
                assert "404" in documented, (method, path)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            if "revision" in components.get(ref, {}).get("properties", {}):
                assert "409" in documented, (method, path)


def test_schema_names_are_unique_across_routers():
    """ninja merges every router's schemas into one namespace: two classes of one name would
    silently describe one of them with the other's fields (the catalogue's goals had the
    framework's required ``id``)."""
    from pydantic import BaseModel

    seen: dict[str, type] = {}

    def visit(model):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return
        for field in model.model_fields.values():
            for arg in _models_in(field.annotation):
                name = arg.__name__
                if name in seen and seen[name] is not arg and not name.startswith(("Response", "Body")):
                    raise AssertionError(f"two schemas are named {name}: {seen[name]} and {arg}")
                if name not in seen:
                    seen[name] = arg
                    visit(arg)

    for router_prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.models or []) + list(getattr(operation, "response_models", {}).values()):
                    visit(model)
    assert seen


def _models_in(annotation):
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


# --- the fuzz ---------------------------------------------------------------------------------


@pytest.fixture
def two_municipalities(demo, settings):
    """Demostad and Voorbeeldrecht, both with the full demo; a coordinator token of each."""
    from weerbaar.core.audit import acting_as
    from weerbaar.framework.demo_documents import load_document_demo
    from weerbaar.knowledge.demo import load_knowledge_demo
    from weerbaar.risks.demo import load_risks_demo

    settings.ALLOWED_HOSTS = ["*"]
    with scopes_disabled():
        call_command("load_demo", stdout=io.StringIO())
        other = demo["voorbeeldrecht"]
        with acting_as(None, via="command"):
            load_document_demo(other)
            load_risks_demo(other)
            load_knowledge_demo(other)
        tokens = {}
        for org in (demo["demostad"], other):
            _, raw = api_token_create(membership=member(org, "coordinator"), name="fuzz")
            tokens[org.slug] = raw
    return tokens


@pytest.fixture
def wsgi_app():
    """Django's own WSGI handler, without closing the test's database connection after each
    request (Django's test client disconnects the same signals)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _unknown_reference(response) -> bool:
    """A 422 only because a slug or id names nothing (an unknown theme, a deleted asset), or
    because the object's state forbids the action (no field named: submitting an incomplete or
    adopted version): no schema can state which rows exist or what state they are in, so
    valid-looking data may still be refused this way. Likewise an uploaded file refused for its
    type, content or size (codes ``file_*``): no schema can state what a file must hold. Every
    other 422 on valid data is a limit the schema should state, and fails."""
    if response.status_code != 422:
        return False
    params = (response.json() or {}).get("invalid_params") or []
    return bool(params) and all(
        p.get("code") == "unknown" or p.get("name") == "" or str(p.get("code", "")).startswith("file_") for p in params
    )


def _header_negated(case) -> bool:
    from schemathesis.core.parameters import ParameterLocation

    info = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    return info is not None and info.mode.is_negative


def _fuzz_operation(operation, headers, leak_marker, failures, counter):
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE
    )

    @settings(
        max_examples=FUZZ_EXAMPLES * 2,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        counter[0] += 1
        # One savepoint per request, as each request has its own transaction outside the tests:
        # a refused request must not poison the next one on PostgreSQL.
        with transaction.atomic():
            # A case that leaves out the Authorization header on purpose is sent without a token.
            sent = {} if _header_negated(case) else headers
            response = case.call(headers=sent)
            try:
                case.validate_response(response, headers=sent)
            except FailureGroup as group:
                for failure in group.exceptions:
                    if type(failure).__name__ == "RejectedPositiveData" and _unknown_reference(response):
                        continue
                    failures.setdefault(
                        (operation.label, failure.title),
                        f"{failure.message}\n{case.as_curl_command()}"
                        f"\n-> {response.status_code} {response.content[:300].decode('utf-8', 'replace')}",
                    )
            if leak_marker.encode() in response.content:
                failures.setdefault(
                    (operation.label, "cross-tenant read"), response.content[:300].decode("utf-8", "replace")
                )
            if response.status_code >= 400:
                transaction.set_rollback(True)

    run()


def test_schema_driven_fuzz_finds_no_failure(two_municipalities, wsgi_app):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = wsgi_app
    failures: dict = {}
    counter = [0]
    started = time.monotonic()
    for org, raw in two_municipalities.items():
        other = next(o for o in two_municipalities if o != org)
        headers = {"Authorization": f"Bearer {raw}"}
        for result in schema.get_all_operations():
            _fuzz_operation(result.ok(), headers, f"@{other}.example", failures, counter)
    elapsed = time.monotonic() - started
    print(f"schema fuzz: {counter[0]} cases in {elapsed:.0f} s")
    assert counter[0] > 100
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(
        f"{label} — {title}\n{detail}" for (label, title), detail in sorted(failures.items())
    )

"""The error answers of the one contract (``errors``), written into the OpenAPI document once.

Routers declare only their success answers; :func:`add_error_responses` adds to every operation
each status the contract can answer for it, with the shared ``Problem`` schema, so a client (or
a schema-driven fuzz) learns every possible answer from the document, and a new operation is
documented without anyone writing its errors out by hand:

* 401 (no or an invalid token), 403 (role limits), 413 (body too large), 422 (invalid input or
  a value no database can hold) and 503 (database busy) on every operation;
* 404 on an operation with a path argument (an object, or another municipality's, is not found);
* 400 (no JSON) on an operation with a body; 409 when that body carries a ``revision``.

An operation that declares a status itself keeps its own description.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weerbaar.core.problem import PROBLEM_JSON

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "Een fout volgens RFC 9457 (problem details), in het Nederlands.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid_params": {
            "type": "array",
            "description": "Eén regel per ongeldig veld: de naam (bijvoorbeeld body.themes.0), een code en de reden.",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
        "revision": {
            "type": "integer",
            "description": "Bij 409: de revisie zoals die nu is opgeslagen.",
        },
    },
}

ALWAYS = {
    401: _("Geen of een ongeldige API-sleutel."),
    403: _("Uw rol in deze gemeente staat deze handeling niet toe."),
    413: _("De inhoud van het verzoek is te groot."),
    422: _("Ongeldige invoer; invalid_params noemt elk veld met de reden."),
    503: _("De database is even bezet; probeer het na Retry-After seconden opnieuw."),
}
WITH_PATH_ARGUMENT = {404: _("Dit gegeven bestaat niet of is niet van uw gemeente.")}
WITH_BODY = {400: _("De inhoud van het verzoek is geen geldige JSON in UTF-8.")}
WITH_REVISION = {409: _("Iemand anders heeft dit intussen gewijzigd; de revisie in het antwoord is de huidige.")}

_REF = "#/components/schemas/"


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].removeprefix(_REF), {})
    return schema


def _body_schema(operation: dict, components: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    return _resolve(media.get("schema", {}), components) if media else None


def _problem_response(description) -> dict:
    return {
        "description": str(description),
        "content": {PROBLEM_JSON: {"schema": {"$ref": _REF + "Problem"}}},
    }


def error_statuses(path: str, operation: dict, components: dict) -> dict[int, str]:
    statuses = dict(ALWAYS)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])) or "{" in path:
        statuses.update(WITH_PATH_ARGUMENT)
    body = _body_schema(operation, components)
    if body is not None:
        statuses.update(WITH_BODY)
        if "revision" in body.get("properties", {}):
            statuses.update(WITH_REVISION)
    return statuses


def add_error_responses(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for path, methods in schema.get("paths", {}).items():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in error_statuses(path, operation, components).items():
                responses.setdefault(str(status), _problem_response(description))
    return schema

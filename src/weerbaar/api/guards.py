"""Checks every API operation gets, whatever its router declares.

* :func:`check_request` runs after authentication and before any parameter is parsed: a body
  over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 even for an operation that does not read its
  body, and a numeric path argument outside the signed 64-bit range is a 404 (no row has such
  an id; the database would refuse to look for it).
* :func:`check_request` also refuses a query parameter the operation does not declare (422):
  a mistyped filter (``?theme=`` for ``?thema=``) would otherwise silently return everything.
* :func:`reject_out_of_range_integers` wraps every view after validation: an integer a client
  managed to pass in (``?offset=2**70``, ``"1180591620717411303424"`` for an integer field, a
  float without fraction) that no database column can hold is a 422 naming the parameter,
  instead of an ``OverflowError`` or ``DataError`` deep in a query.
"""

from __future__ import annotations

import functools
import re
import typing
from functools import cache

from django.core.exceptions import ValidationError
from django.http import Http404, RawPostDataException
from django.utils.translation import gettext as _
from ninja.params.models import Param
from pydantic import BaseModel

from .parser import in_int64

_INTEGER = re.compile(r"-?\d+")


def _out_of_range_literal(value: str) -> bool:
    return bool(_INTEGER.fullmatch(value)) and (len(value) > 20 or not in_int64(int(value)))


def check_request(request, api) -> None:
    try:
        request.body  # noqa: B018 - Django raises RequestDataTooBig over DATA_UPLOAD_MAX_MEMORY_SIZE
    except RawPostDataException:
        pass  # a multipart body was read already, within Django's own limits
    match = getattr(request, "resolver_match", None)
    for value in match.kwargs.values() if match else ():
        if isinstance(value, str) and _out_of_range_literal(value):
            raise Http404
    if match is not None and request.GET:
        declared = declared_query_names(api).get((_openapi_path(match.route), request.method.lower()))
        unknown = sorted(set(request.GET) - declared) if declared is not None else []
        if unknown:
            reason = _("Deze parameter bestaat hier niet.")
            raise ValidationError(
                {f"query.{name}": ValidationError(reason, code="extra_forbidden") for name in unknown}
            )


_ROUTE_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def _openapi_path(route: str) -> str:
    """Django's route (``api/v1/risks/<int:risk_id>``) as the OpenAPI path (``/api/v1/risks/{risk_id}``)."""
    return "/" + _ROUTE_ARGUMENT.sub(r"{\1}", route)


@cache
def declared_query_names(api) -> dict[tuple[str, str], frozenset[str]]:
    """The query parameters each operation of ``api`` declares, from its OpenAPI document (built once)."""
    return {
        (path, method): frozenset(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method, operation in methods.items()
    }


def _sources(view_func) -> dict[str, str]:
    """Where each argument of a view comes from, as ninja names it: path, query, body, ..."""
    try:
        hints = typing.get_type_hints(view_func, include_extras=True)
    except Exception:  # an annotation that does not resolve: fall back to the defaults below
        hints = {}
    sources = {}
    for name, hint in hints.items():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, Param):
                sources[name] = meta._param_source()
    return sources


def _walk(value, name: str, found: list[str]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not in_int64(value):
            found.append(name)
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            _walk(getattr(value, field, None), f"{name}.{field}" if name else field, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{name}.{key}", found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            _walk(item, f"{name}.{index}", found)


def reject_out_of_range_integers(view_func):
    sources = _sources(view_func)

    @functools.wraps(view_func)
    def view(request, *args, **kwargs):
        match = getattr(request, "resolver_match", None)
        path_args = match.kwargs if match else {}
        found: list[str] = []
        for name, value in kwargs.items():
            if name in path_args:
                if isinstance(value, int) and not isinstance(value, bool) and not in_int64(value):
                    raise Http404
                continue
            source = sources.get(name)
            if source is None:
                source = "body" if isinstance(value, BaseModel) else "query"
            # A schema in the query is flattened (?offset=...); a body schema is the body itself.
            prefix = source if isinstance(value, BaseModel) else f"{source}.{name}"
            _walk(value, prefix, found)
        if found:
            reason = _("Dit getal valt buiten het bereik van -2^63 tot 2^63-1.")
            raise ValidationError({name: ValidationError(reason, code="int_out_of_range") for name in found})
        return view_func(request, *args, **kwargs)

    return view

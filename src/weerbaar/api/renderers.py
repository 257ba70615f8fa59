"""JSON for the API's answers, written by orjson with the values formatted as ninja's encoder does.

ninja's default renderer uses Python's ``json`` with Django's encoder; orjson writes the same
JSON several times faster. What the two would print differently is routed through Django's
encoder, so an answer means exactly what it meant: dates and times (Django cuts microseconds to
milliseconds and writes UTC as ``Z``), amounts (``Decimal`` as a string, ``"2500.00"``), lazy
translations, and pydantic models. Text is written as UTF-8 instead of ``\\u`` escapes and
without spaces between items: the same JSON to any parser.

A list that builds its own rows (see ``lists.values_page``) answers with :func:`json_response`;
every other operation goes through :class:`ORJSONRenderer`, set on the API.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_encoder = NinjaJSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
CONTENT_TYPE = "application/json; charset=utf-8"


def _default(value: Any) -> Any:
    return _encoder.default(value)


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_default, option=_OPTIONS)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """An answer of ``data`` as the API's renderer writes it (for rows a router built itself)."""
    return HttpResponse(dumps(data), status=status, content_type=CONTENT_TYPE)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    charset = "utf-8"

    def render(self, request, data: Any, *, response_status: int) -> bytes:
        return dumps(data)

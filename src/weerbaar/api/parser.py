"""The API's JSON body parser: strict UTF-8, and only values the databases can store.

Python's ``json`` accepts what no database column takes: lone UTF-16 surrogates (``"\\ud800"``,
which PostgreSQL refuses and SQLite stores as garbage), integers of any size, and the constants
``NaN`` and ``Infinity``. Those are refused here, for every operation, before any schema sees
the body: a surrogate or an integer outside the signed 64-bit range is a 422 naming the place
(``body.assets.0``); anything that is not JSON in UTF-8 is a 400 (see ``errors.http_error``).
"""

from __future__ import annotations

import json
import math
import re

from django.utils.translation import gettext as _
from ninja.parser import Parser

from .errors import InputRejected, invalid_param

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooLarge:
    """An integer literal too long to be in range; never converted (that would cost time)."""


_TOO_LARGE = _TooLarge()


def _parse_int(literal: str):
    # 20 characters hold every signed 64-bit value ("-9223372036854775808"); JSON has no
    # leading zeros, so a longer literal is out of range.
    return int(literal) if len(literal) <= 20 else _TOO_LARGE


def _refuse_constant(name: str):
    raise ValueError(f"JSON does not allow {name}")


def in_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def unsafe_values(data, prefix: str = "body") -> list[dict]:
    """``invalid_params`` for every lone surrogate, out-of-range integer or non-finite number."""
    found = []
    stack = [(prefix, data)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{name}.{key}"
                if _LONE_SURROGATE.search(key):
                    found.append(invalid_param(name, _("Een veldnaam bevat ongeldige Unicode."), "invalid_unicode"))
                    child = f"{name}.?"
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{name}.{index}", item) for index, item in enumerate(value))
        elif isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                reason = _("De tekst bevat ongeldige Unicode (een losse surrogaat).")
                found.append(invalid_param(name, reason, "invalid_unicode"))
        elif value is _TOO_LARGE or (isinstance(value, int) and not isinstance(value, bool) and not in_int64(value)):
            reason = _("Dit getal valt buiten het bereik van -2^63 tot 2^63-1.")
            found.append(invalid_param(name, reason, "int_out_of_range"))
        elif isinstance(value, float) and not math.isfinite(value):
            found.append(invalid_param(name, _("Vul een eindig getal in."), "finite_number"))
    return sorted(found, key=lambda p: p["name"])


class JSONParser(Parser):
    def parse_body(self, request):
        text = request.body.decode("utf-8")  # strict: invalid UTF-8 is a 400
        data = json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
        rejected = unsafe_values(data)
        if rejected:
            raise InputRejected(rejected)
        return data

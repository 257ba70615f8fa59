"""The API's one error contract: every error is an ``application/problem+json`` answer in Dutch.

Routers raise Django's own exceptions and the handlers registered here answer for them, so no
router builds an error response itself:

* ``ValidationError`` → 422 with ``invalid_params`` (one entry per message: ``name``, ``code``,
  ``reason``); a stale revision (code ``"stale"``) or a second of what exists once (code
  ``"exists"``) → 409;
* ``PermissionDenied`` → 403, ``Http404`` → 404, a missing or invalid token → 401;
* ninja's validation error (wrong types, missing fields) → 422 with a Dutch ``reason`` per field
  and the field as a dotted path (``body.assets.0``, ``query.offset``, ``path.risk_id``);
* a body that is no JSON → 400; too large a body → 413;
* safety nets for input the checks before them missed: an integer the database cannot hold
  (``OverflowError``, ``DataError`` "out of range") and text it cannot store → 422.

The shape follows NL GOV API Design Rules (RFC 9457 problem details).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from weerbaar.core.busy import api_response as busy_api_response
from weerbaar.core.busy import is_busy
from weerbaar.core.problem import problem


def invalid_param(name: str, reason: str, code: str = "invalid") -> dict:
    return {"name": name, "code": code, "reason": reason}


class InputRejected(Exception):
    """Raised (by the JSON parser) with ``invalid_params`` ready for a 422 problem."""

    def __init__(self, invalid_params: list[dict]):
        super().__init__("; ".join(f"{p['name']}: {p['reason']}" for p in invalid_params))
        self.invalid_params = invalid_params


# --- ninja / pydantic validation errors -----------------------------------------------------


def _expected(ctx: dict) -> str:
    # pydantic: "'a', 'b' or 'c'"
    return str(ctx.get("expected", "")).replace(" or ", " " + _("of") + " ")


def _reason_for(error_type: str, ctx: dict) -> str:
    """The Dutch reason for one pydantic error type (with its context values)."""
    integer = _("Vul een geheel getal in.")
    number = _("Vul een getal in.")
    text = _("Vul tekst in.")
    date = _("Vul een geldige datum in (JJJJ-MM-DD).")
    moment = _("Vul een geldig tijdstip in (JJJJ-MM-DDTUU:MM:SS).")
    reasons = {
        "missing": _("Dit veld is verplicht."),
        "string_type": text,
        "string_unicode": text,
        "string_sub_type": text,
        "int_parsing": integer,
        "int_type": integer,
        "int_from_float": integer,
        "int_parsing_size": _("Dit getal is te groot."),
        "float_parsing": number,
        "float_type": number,
        "decimal_parsing": number,
        "decimal_type": number,
        "finite_number": _("Vul een eindig getal in."),
        "bool_parsing": _("Vul ja of nee in (true of false)."),
        "bool_type": _("Vul ja of nee in (true of false)."),
        "list_type": _("Geef een lijst."),
        "tuple_type": _("Geef een lijst."),
        "set_type": _("Geef een lijst."),
        "dict_type": _("Geef een object."),
        "model_type": _("Geef een object."),
        "model_attributes_type": _("Geef een object."),
        "date_parsing": date,
        "date_type": date,
        "date_from_datetime_parsing": date,
        "date_from_datetime_inexact": date,
        "date_past": _("Vul een datum in het verleden in."),
        "date_future": _("Vul een datum in de toekomst in."),
        "datetime_parsing": moment,
        "datetime_type": moment,
        "datetime_from_date_parsing": moment,
        "json_invalid": _("Dit is geen geldige JSON."),
        "json_type": _("Dit is geen geldige JSON."),
        "extra_forbidden": _("Dit veld bestaat hier niet."),
        "string_pattern_mismatch": _("De waarde heeft niet de juiste vorm."),
        "uuid_parsing": _("Vul een geldige UUID in."),
        "url_parsing": _("Vul een geldig webadres in."),
        "url_type": _("Vul een geldig webadres in."),
        "none_required": _("Laat dit veld leeg (null)."),
    }
    if error_type in reasons:
        return reasons[error_type]
    if error_type in ("literal_error", "enum"):
        return _("Kies een van: %(choices)s.") % {"choices": _expected(ctx)}
    if error_type == "string_too_long":
        return _("Gebruik ten hoogste %(max)s tekens.") % {"max": ctx.get("max_length")}
    if error_type == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("Vul dit veld in.")
        return _("Gebruik ten minste %(min)s tekens.") % {"min": ctx.get("min_length")}
    if error_type == "too_long":
        return _("Geef ten hoogste %(max)s waarden.") % {"max": ctx.get("max_length")}
    if error_type == "too_short":
        return _("Geef ten minste %(min)s waarden.") % {"min": ctx.get("min_length")}
    if error_type == "greater_than_equal":
        return _("Vul een waarde van ten minste %(limit)s in.") % {"limit": ctx.get("ge")}
    if error_type == "greater_than":
        return _("Vul een waarde groter dan %(limit)s in.") % {"limit": ctx.get("gt")}
    if error_type == "less_than_equal":
        return _("Vul een waarde van ten hoogste %(limit)s in.") % {"limit": ctx.get("le")}
    if error_type == "less_than":
        return _("Vul een waarde kleiner dan %(limit)s in.") % {"limit": ctx.get("lt")}
    if error_type == "decimal_max_digits":
        return _("Gebruik ten hoogste %(max)s cijfers.") % {"max": ctx.get("max_digits")}
    if error_type == "decimal_max_places":
        return _("Gebruik ten hoogste %(max)s cijfers achter de komma.") % {"max": ctx.get("decimal_places")}
    if error_type == "decimal_whole_digits":
        return _("Gebruik ten hoogste %(max)s cijfers voor de komma.") % {"max": ctx.get("whole_digits")}
    return _("Deze waarde is ongeldig.")


def dotted(loc: Iterable) -> str:
    return ".".join(str(part) for part in loc)


def invalid_params_from_pydantic(errors: Iterable[dict]) -> list[dict]:
    """ninja's (pydantic's) errors as ``invalid_params``: dotted name, type as code, Dutch reason."""
    return [
        invalid_param(dotted(e.get("loc", ())), _reason_for(e.get("type", ""), e.get("ctx") or {}), e.get("type", ""))
        for e in errors
    ]


# --- Django validation errors ---------------------------------------------------------------


def _flat(exc: ValidationError) -> list[tuple[str, ValidationError]]:
    if hasattr(exc, "error_dict"):
        return [(field, e) for field, errors in exc.error_dict.items() for e in errors]
    return [(NON_FIELD_ERRORS, e) for e in exc.error_list]


def invalid_params_from_django(exc: ValidationError) -> list[dict]:
    params = []
    for field, error in _flat(exc):
        name = "" if field == NON_FIELD_ERRORS else field
        for message in error.messages:
            params.append(invalid_param(name, message, error.code or "invalid"))
    return params


# Codes of a conflict with what is saved now rather than of invalid input: someone else saved
# the object since the client read it (optimistic locking), or what is to be created exists.
CONFLICT_CODES = {"stale", "exists"}


def is_stale(exc: ValidationError) -> bool:
    """The request conflicts with the saved state (409), see ``CONFLICT_CODES``."""
    return any(error.code in CONFLICT_CODES for _field, error in _flat(exc))


# --- handlers -------------------------------------------------------------------------------


def authentication_error(request, exc):
    response = problem(
        request,
        401,
        _("Niet geauthenticeerd"),
        _("Geef een geldige API-sleutel mee als 'Authorization: Bearer <sleutel>'."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def not_found(request, exc):
    return problem(request, 404, _("Niet gevonden"), _("Dit gegeven bestaat niet of is niet van uw gemeente."))


def forbidden(request, exc):
    return problem(request, 403, _("Geen toestemming"), _("Uw rol in deze gemeente staat deze handeling niet toe."))


def django_validation_error(request, exc: ValidationError):
    general = [e for field, error in _flat(exc) if field == NON_FIELD_ERRORS for e in error.messages]
    detail = " ".join(general)
    if is_stale(exc):
        # A service's StaleRevision carries the row as now saved: its revision is the one to send
        # to overwrite knowingly.
        current = getattr(exc, "current", None)
        extra = {"revision": current.revision} if getattr(current, "revision", None) is not None else {}
        if any(error.code == "exists" for _field, error in _flat(exc)):
            return problem(request, 409, _("Bestaat al"), detail, **extra)
        return problem(
            request, 409, _("Intussen gewijzigd"), detail or _("Iemand anders heeft dit intussen gewijzigd."), **extra
        )
    return problem(
        request,
        422,
        _("Ongeldige invoer"),
        detail or _("De invoer voldoet niet."),
        invalid_params=invalid_params_from_django(exc),
    )


def ninja_validation_error(request, exc: NinjaValidationError):
    return problem(
        request,
        422,
        _("Ongeldige invoer"),
        _("De invoer voldoet niet."),
        invalid_params=invalid_params_from_pydantic(exc.errors),
    )


def input_rejected(request, exc: InputRejected):
    return problem(request, 422, _("Ongeldige invoer"), _("De invoer voldoet niet."), invalid_params=exc.invalid_params)


def http_error(request, exc: HttpError):
    # ninja turns any failure of the body parser into HttpError(400, "Cannot parse request body").
    cause = exc.__cause__
    if isinstance(cause, InputRejected):
        return input_rejected(request, cause)
    if exc.status_code == 400 and cause is not None:
        return bad_json(request, cause)
    return problem(request, exc.status_code, str(exc))


def throttled(request, exc: Throttled):
    response = problem(request, 429, _("Te veel verzoeken"), _("Wacht even en probeer het daarna opnieuw."))
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


def bad_json(request, exc=None):
    return problem(
        request,
        400,
        _("Ongeldige JSON"),
        _("De inhoud van het verzoek is geen geldige JSON in UTF-8."),
    )


def too_big(request, exc):
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return problem(
        request,
        413,
        _("Verzoek te groot"),
        _("De inhoud van het verzoek is groter dan %(limit)s MB.") % {"limit": limit_mb},
    )


def _number_too_large(request):
    return problem(
        request,
        422,
        _("Ongeldige invoer"),
        _("Een getal in uw verzoek is te groot of te klein om op te slaan."),
    )


def overflow(request, exc):
    # SQLite: "Python int too large to convert to SQLite INTEGER".
    return _number_too_large(request)


def unencodable_text(request, exc):
    # SQLite refuses lone surrogates with UnicodeEncodeError (PostgreSQL: DataError below).
    return problem(
        request, 422, _("Ongeldige invoer"), _("Een tekst in uw verzoek bevat tekens die geen geldige Unicode zijn.")
    )


# PostgreSQL SQLSTATEs of input the database cannot hold.
OUT_OF_RANGE_SQLSTATES = {"22003", "22008"}  # numeric_value_out_of_range, datetime_field_overflow
BAD_TEXT_SQLSTATES = {"22021", "22P05", "22001"}  # bad encoding, untranslatable character, too long


def data_error(request, exc: DataError):
    cause = exc.__cause__ or exc.__context__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in OUT_OF_RANGE_SQLSTATES or "out of range" in str(exc).lower():
        return _number_too_large(request)
    if sqlstate in BAD_TEXT_SQLSTATES:
        return unencodable_text(request, exc)
    raise exc


def database_busy(request, exc: OperationalError):
    # A busy database is a 503 with Retry-After (core.busy); any other OperationalError stays a 500.
    if not is_busy(exc):
        raise exc
    return busy_api_response(request)


def register(api) -> None:
    """Register every handler of the contract on a NinjaAPI."""
    for exc_class, handler in (
        (AuthenticationError, authentication_error),
        (Http404, not_found),
        (PermissionDenied, forbidden),
        (AuthorizationError, forbidden),
        (Throttled, throttled),
        (ValidationError, django_validation_error),
        (NinjaValidationError, ninja_validation_error),
        (InputRejected, input_rejected),
        (HttpError, http_error),
        (RequestDataTooBig, too_big),
        (OverflowError, overflow),
        (UnicodeEncodeError, unencodable_text),
        (DataError, data_error),
        (OperationalError, database_busy),
    ):
        api.add_exception_handler(exc_class, handler)

"""A database that stays busy answers 503 with Retry-After, never 500.

SQLite waits up to its busy timeout for another writer (see DATABASES in settings) and
PostgreSQL for a lock; when that is not enough, the request failed through no fault of the user
and may simply be repeated. Web pages get a Dutch page, the API an application/problem+json
body. Any other database error stays a 500.

``BusyDatabaseMiddleware`` catches the error of a view (``process_exception``); an error of a
middleware further in (the session save, the API token's last use) has already become a 500
response by the time it gets here, so ``got_request_exception`` marks the request and the
middleware turns that 500 into the 503 as well. The API's own exception handler (api.api) uses
:func:`is_busy` and :func:`api_response`.
"""

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .problem import problem

# PostgreSQL: lock_not_available (lock_timeout, NOWAIT), serialization_failure, deadlock_detected.
BUSY_SQLSTATES = {"55P03", "40001", "40P01"}
SQLITE_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")


def retry_after_seconds() -> int:
    return getattr(settings, "DATABASE_BUSY_RETRY_AFTER_SECONDS", 5)


def is_busy(exc: BaseException) -> bool:
    """Whether an exception says the database was busy (locked, serialisation, deadlock)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc.__context__
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    message = str(exc).lower()
    return any(word in message for word in SQLITE_BUSY_WORDS)


def _title() -> str:
    return _("Het is even te druk")


def _detail() -> str:
    return _(
        "De database is op dit moment bezet door andere wijzigingen. Uw verzoek is niet uitgevoerd; "
        "probeer het over %(seconds)s seconden opnieuw."
    ) % {"seconds": retry_after_seconds()}


def api_response(request) -> JsonResponse:
    """The problem+json answer for the API, in the API's one error contract."""
    response = problem(request, 503, _title(), _detail())
    response["Retry-After"] = str(retry_after_seconds())
    return response


def web_response(request) -> HttpResponse:
    """The Dutch page. Rendered without the context processors: they would ask the busy database."""
    context = {
        "request": request,
        "csrf_token": get_token(request),
        "retry_after": retry_after_seconds(),
        "title": _title(),
        "detail": _detail(),
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(retry_after_seconds())
    return response


def busy_response(request) -> HttpResponse:
    return api_response(request) if request.path.startswith("/api/") else web_response(request)


@receiver(got_request_exception)
def _mark_busy(sender, request=None, **kwargs):
    import sys

    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_busy(exc):
        request._database_busy = True


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_busy", False):
            return busy_response(request)
        return response

    def process_exception(self, request, exception):
        if is_busy(exception):
            return busy_response(request)
        return None

"""The JSON API under /api/v1/, assembled from each app's router.

NL GOV API Design Rules: version in the path, an OpenAPI 3 document at
/api/v1/openapi.json, and errors as application/problem+json. Authentication is a personal
API token (Bearer); the token's membership decides the municipality, as the web pages do.
"""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        # The API middleware already looked the token up and opened the tenancy scope.
        return getattr(request, "api_token", None)


def problem(request, status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    return JsonResponse(body, status=status, content_type="application/problem+json")


api = NinjaAPI(
    title="Weerbaar API",
    version="1.0.0",
    description="API van Weerbaar, het platform voor integrale beveiliging van gemeenten.",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    response = problem(
        request, 401, "Niet geauthenticeerd", "Geef een geldige API-sleutel mee als 'Authorization: Bearer <sleutel>'."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(request, 404, "Niet gevonden", "Dit gegeven bestaat niet of is niet van uw gemeente.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(request, 403, "Geen toestemming", "Uw rol in deze gemeente staat deze handeling niet toe.")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return problem(request, 422, "Ongeldige invoer", "De invoer voldoet niet.", invalid_params=exc.errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(request, exc.status_code, str(exc))


@api.exception_handler(OperationalError)
def _database_busy(request, exc):
    # ninja catches a view's exceptions itself; a busy database is a 503 with Retry-After.
    from weerbaar.core.busy import api_response, is_busy

    if not is_busy(exc):
        raise exc
    return api_response(request)


def _register_routers():
    from weerbaar.core.api import router as core_router
    from weerbaar.framework.api import router as framework_router
    from weerbaar.knowledge.api import router as knowledge_router
    from weerbaar.risks.api import router as risks_router

    api.add_router("/", core_router)
    api.add_router("/", knowledge_router)
    api.add_router("/", framework_router)
    api.add_router("/", risks_router)


_register_routers()

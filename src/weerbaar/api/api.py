"""The JSON API under /api/v1/, assembled from each app's router.

NL GOV API Design Rules: version in the path, an OpenAPI 3 document at
/api/v1/openapi.json, and errors as application/problem+json. Authentication is a personal
API token (Bearer); the token's membership decides the municipality, as the web pages do.
Routers raise Django's exceptions; ``errors`` answers for them with one contract, ``parser``
refuses JSON no database can store, ``renderers`` writes the answers (orjson), and ``guards``
checks what every operation gets.
"""

from importlib import import_module

from ninja import NinjaAPI
from ninja.security import HttpBearer

from . import errors, guards, openapi
from .parser import JSONParser
from .renderers import ORJSONRenderer


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        # The API middleware already looked the token up and opened the tenancy scope.
        return getattr(request, "api_token", None)


class WeerbaarAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Routers declare their success answers; the error contract's answers are added here,
        # once for every operation (see openapi.py).
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi.add_error_responses(schema)

    def create_temporal_response(self, request):
        # ninja calls this for every operation after authentication and before it parses any
        # parameter: the one place for checks that hold whatever an operation declares.
        guards.check_request(request, self)
        return super().create_temporal_response(request)

    def validation_error_from_error_contexts(self, error_contexts):
        # ninja places a body schema under its argument name (body.payload.assets.0); the client
        # knows no argument names, only the body: name the field as it sent it (body.assets.0).
        error = super().validation_error_from_error_contexts(error_contexts)
        single = {getattr(c.model, "__read_from_single_attr__", None) for c in error_contexts} - {None}
        for item in error.errors:
            loc = tuple(item.get("loc", ()))
            if len(loc) >= 2 and loc[0] == "body" and loc[1] in single:
                item["loc"] = (loc[0], *loc[2:])
        return error


api = WeerbaarAPI(
    title="Weerbaar API",
    version="1.0.0",
    description="API van Weerbaar, het platform voor integrale beveiliging van gemeenten.",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
    parser=JSONParser(),
    renderer=ORJSONRenderer(),
)
errors.register(api)
api.add_decorator(guards.reject_out_of_range_integers)


def _register_routers():
    from weerbaar.core.api import router as core_router
    from weerbaar.framework.api import router as framework_router
    from weerbaar.knowledge.api import router as knowledge_router
    from weerbaar.risks.api import router as risks_router

    extra = ["cycle", "incidents", "training", "agenda", "yearreport", "selfscan", "soa", "circles"]

    api.add_router("/", core_router)
    api.add_router("/", knowledge_router)
    api.add_router("/", framework_router)
    api.add_router("/", risks_router)
    for app in extra:
        api.add_router("/", import_module(f"weerbaar.{app}.api").router)


_register_routers()

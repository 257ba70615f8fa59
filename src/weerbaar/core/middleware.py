"""Request middleware: who acts (audit context), login required, and the tenancy scope.

The scope is opened here, in one place for the web and one for the API: every URL with an
``org`` argument runs inside ``scope(organisation=...)`` for a municipality the user is a
member of; any other municipality answers 404.
"""

import uuid

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django_scopes import scope

from . import audit
from .registry import api_authenticators, membership_gates
from .selectors import membership_for_request


class RequestContextMiddleware:
    """Gives each request an id and makes the logged-in user the actor of every change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        user = request.user if request.user.is_authenticated else None
        via = "api" if request.path.startswith("/api/") else "web"
        with audit.acting_as(user, via=via, request_id=request.request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Closed by default (Django 5.1+). The API authenticates with its own tokens."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            # An htmx request after the session expired: send the whole page to the login.
            hx = HttpResponse(status=204)
            hx["HX-Redirect"] = response["Location"]
            return hx
        return response


class OrganisationScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        if request.path.startswith("/api/"):
            return self._api(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("org")
        if slug is None or not request.user.is_authenticated:
            return self.get_response(request)

        membership = membership_for_request(user=request.user, slug=slug)
        if membership is None:
            raise Http404
        request.organisation = membership.organisation
        request.membership = membership
        with scope(organisation=membership.organisation_id):
            # Gates come from the apps (accounts: the MFA requirement); core imports none of them.
            for gate in membership_gates:
                blocked = gate(request)
                if blocked is not None:
                    return blocked
            request.session["last_organisation"] = slug
            # The response is rendered inside the scope (TemplateResponse renders in get_response).
            return self.get_response(request)

    def _api(self, request):
        token = next(filter(None, (authenticate(request) for authenticate in api_authenticators)), None)
        if token is None:
            return self.get_response(request)
        request.api_token = token
        request.user = token.membership.user
        request.organisation = token.membership.organisation
        request.membership = token.membership
        with audit.acting_as(request.user, via="api", request_id=getattr(request, "request_id", None)):
            with scope(organisation=token.organisation_id):
                return self.get_response(request)


class LanguageMiddleware:
    """Dutch unless the user chose otherwise (language cookie); the browser's language is ignored.

    Django's LocaleMiddleware would follow Accept-Language and show English to anyone with an
    English browser; for Dutch government software, Dutch is the default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

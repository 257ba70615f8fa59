import json

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.audit import acting_as
from weerbaar.knowledge.content import load_catalogue
from weerbaar.knowledge.models import Theme
from weerbaar.risks.demo import load_risks_demo

from ..conftest import member


@pytest.fixture
def catalogue(db, themes):
    load_catalogue()


@pytest.fixture
def register(demo, catalogue):
    """Demostad with the demo register (threat catalogue, assets, risks, measures, a conflict)."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
    return org


def get(model, **kw):
    """One row, read outside any municipality's scope (test bodies are scoped)."""
    with scopes_disabled():
        return model.objects.get(**kw)


def theme(slug):
    return Theme.objects.get(slug=slug).pk


@pytest.fixture
def api(register, client):
    """``api(org, local)`` returns ``call(method, url, body)`` with a fresh token of that member.

    A ``str`` body is sent as it is (for malformed JSON); anything else as JSON.
    """

    def _as(org, local):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(org, local), name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def call(method, url, body=None):
            data = body if isinstance(body, str) else json.dumps(body or {})
            return client.generic(method, "/api/v1" + url, data=data, content_type="application/json", **headers)

        return call

    return _as

import pytest
from django_scopes import scopes_disabled

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
    """Demostad with the demo register (risks, measures), without the cycle's demo rows."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
    return org


@pytest.fixture
def cycle(register):
    """Demostad with the register and two years of the quality cycle."""
    from weerbaar.cycle.demo import load_cycle_demo

    with scopes_disabled(), acting_as(None):
        load_cycle_demo(register)
    return register


def theme(slug):
    with scopes_disabled():
        return Theme.objects.get(slug=slug).pk


def get(model, **kw):
    with scopes_disabled():
        return model.objects.get(**kw)


__all__ = ["member"]


@pytest.fixture
def api(cycle, client):
    """``api(local)`` returns ``call(method, url, body)`` with a fresh token of that Demostad member."""
    import json

    from weerbaar.accounts.services import api_token_create

    def _as(local, org=None):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(org or cycle, local), name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def call(method, url, body=None):
            data = body if isinstance(body, str) else json.dumps(body or {})
            return client.generic(method, "/api/v1" + url, data=data, content_type="application/json", **headers)

        return call

    return _as

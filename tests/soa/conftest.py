import json

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.audit import acting_as
from weerbaar.risks.demo import load_risks_demo
from weerbaar.soa.demo import load_for_demo

from ..conftest import member
from ..risks.conftest import catalogue  # noqa: F401  (fixture)

BASE = "/g/demostad/verklaring-van-toepasselijkheid/"


@pytest.fixture
def statement_org(demo, catalogue):  # noqa: F811
    """Demostad with the demo register and the demo statement (three chapters decided)."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
        load_for_demo({"demostad": org})
    return org


@pytest.fixture
def api(statement_org, client):
    def _as(org, local):
        with scopes_disabled():
            _, raw = api_token_create(membership=member(org, local), name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def call(method, url, body=None):
            return client.generic(
                method, "/api/v1" + url, data=json.dumps(body or {}), content_type="application/json", **headers
            )

        return call

    return _as

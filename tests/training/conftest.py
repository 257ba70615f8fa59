import datetime
import json

import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.audit import acting_as
from weerbaar.training.demo import load_training_demo

from ..conftest import member

TODAY = datetime.date.today()


@pytest.fixture
def plan(demo):
    """Demostad with the demo training plan (last year and this year)."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_training_demo(org)
    return org


def get(model, **kw):
    with scopes_disabled():
        return model.objects.get(**kw)


@pytest.fixture
def api(plan, client):
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

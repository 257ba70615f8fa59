"""An API read does not write: the token's ``last_used_at`` is written at most once a minute."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.accounts.models import ApiToken
from weerbaar.accounts.services import api_token_create

from .conftest import member


def _updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_two_api_calls_in_a_row_write_the_token_once(demostad, client):
    with scopes_disabled():
        token, raw = api_token_create(membership=member(demostad, "coordinator"), name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/me", **headers).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/v1/me", **headers).status_code == 200
    assert len(_updates(first.captured_queries)) == 1
    assert _updates(second.captured_queries) == []
    with scopes_disabled():
        token.refresh_from_db()
    assert token.last_used_at is not None


def test_use_is_written_again_after_a_minute(demostad, client):
    with scopes_disabled():
        token, raw = api_token_create(membership=member(demostad, "coordinator"), name="test")
        old = timezone.now() - datetime.timedelta(minutes=5)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert len(_updates(ctx.captured_queries)) == 1
    with scopes_disabled():
        token.refresh_from_db()
    assert token.last_used_at > old

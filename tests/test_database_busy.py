"""A busy database answers a Dutch 503 with Retry-After on pages and problem+json in the API."""

import pytest
from django.db import OperationalError
from django.test import Client

from weerbaar.accounts.services import api_token_create
from weerbaar.core import busy

from .conftest import member

LOCKED = OperationalError("database is locked")


def _postgres_error(sqlstate: str) -> OperationalError:
    cause = Exception("could not obtain lock")
    cause.sqlstate = sqlstate
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.fixture
def busy_assets(monkeypatch):
    def raise_locked(**kwargs):
        raise LOCKED

    monkeypatch.setattr("weerbaar.risks.selectors.asset_list", raise_locked)


@pytest.fixture
def token(demostad):
    _, raw = api_token_create(membership=member(demostad, "coordinator"), name="busy")
    return raw


def test_web_page_on_busy_database_is_dutch_503_with_retry_after(coordinator_client, busy_assets):
    response = coordinator_client.get("/g/demostad/risico/bedrijfsmiddelen/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Het is even te druk" in text
    assert "probeer het over 5 seconden opnieuw" in text
    assert 'lang="nl"' in text


def test_api_on_busy_database_is_problem_json_503_with_retry_after(client, token, busy_assets):
    response = client.get("/api/v1/assets", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503
    assert body["title"] == "Het is even te druk"
    assert "probeer het over 5 seconden opnieuw" in body["detail"]
    assert body["instance"] == "/api/v1/assets"
    assert body["type"] == "about:blank"


def test_api_busy_is_503_in_debug_mode_too(client, token, busy_assets, settings):
    """With DEBUG on, ninja would answer a traceback 500 itself: the API has its own handler."""
    settings.DEBUG = True
    response = client.get("/api/v1/assets", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"


def test_busy_database_in_a_middleware_is_503_too(coordinator_client, monkeypatch):
    """The session is saved after the view, in a middleware: a busy database there is a 503 as well."""
    from django.contrib.sessions.backends.db import SessionStore

    def save(self, must_create=False):
        raise LOCKED

    monkeypatch.setattr(SessionStore, "save", save)
    coordinator_client.raise_request_exception = False
    response = coordinator_client.get("/g/demostad/risico/bedrijfsmiddelen/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Het is even te druk" in response.content.decode()


def test_other_database_errors_stay_500(coordinator_client, client, token, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("no such table: risks_asset")

    monkeypatch.setattr("weerbaar.risks.selectors.asset_list", broken)
    with pytest.raises(OperationalError):
        coordinator_client.get("/g/demostad/risico/bedrijfsmiddelen/")
    with pytest.raises(OperationalError):
        client.get("/api/v1/assets", HTTP_AUTHORIZATION=f"Bearer {token}")
    quiet = Client(raise_request_exception=False)
    assert quiet.get("/api/v1/assets", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 500


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database table is locked"), True),
        (_postgres_error("55P03"), True),  # lock_not_available
        (_postgres_error("40001"), True),  # serialization_failure
        (_postgres_error("40P01"), True),  # deadlock_detected
        (_postgres_error("57014"), False),  # query_canceled (statement timeout)
        (OperationalError("no such table: x"), False),
        (ValueError("database is locked"), False),
    ],
)
def test_is_busy(error, expected):
    assert busy.is_busy(error) is expected

"""Security events (BIO2 8.15) as JSON lines on ``weerbaar.security``: ids, never addresses or secrets."""

import json
import logging

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from weerbaar.accounts.security import JsonFormatter
from weerbaar.core.models import Membership, Role

ADDRESS = "lezer@demostad.example"


@pytest.fixture
def events(caplog):
    """The security logger does not propagate (its own JSON handler); listen on it directly."""
    logger = logging.getLogger("weerbaar.security")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="weerbaar.security")
    yield lambda: [r.security for r in caplog.records if r.name == "weerbaar.security"]
    logger.removeHandler(caplog.handler)


@pytest.fixture(autouse=True)
def clean_cache(db):
    from django.core.cache import cache

    cache.clear()


def _no_personal_data(records):
    text = json.dumps(records)
    assert "@" not in text and "weerbaar-demo" not in text and "wb_" not in text


def test_sign_in_and_failure_are_logged_with_user_id_and_address_only(demo, events, django_user_model):
    c = Client(REMOTE_ADDR="192.0.2.5")
    c.post("/account/login/", {"login": ADDRESS, "password": "fout-wachtwoord"})
    c.post("/account/login/", {"login": ADDRESS, "password": "weerbaar-demo"})
    user = django_user_model.objects.get(email=ADDRESS)
    records = events()
    assert {"event": "login_failed", "ip": "192.0.2.5"} in records
    assert {"event": "login_succeeded", "user_id": user.pk, "ip": "192.0.2.5"} in records
    _no_personal_data(records)


def test_lockout_is_logged(demo, events, settings):
    c = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [
        c.post("/account/login/", {"login": ADDRESS, "password": "fout"}).status_code
        for _ in range(settings.LOGIN_ATTEMPTS_LIMIT + 1)
    ]
    assert statuses[-1] == 429
    assert {"event": "login_locked_out", "ip": "198.51.100.9"} in events()
    _no_personal_data(events())


def test_mfa_changes_are_logged(demo, events, rf, django_user_model):
    from allauth.mfa import signals

    user = django_user_model.objects.get(email=ADDRESS)

    class Authenticator:
        type = "totp"

    request = rf.get("/", REMOTE_ADDR="192.0.2.6")
    signals.authenticator_added.send(sender=None, request=request, user=user, authenticator=Authenticator())
    signals.authenticator_removed.send(sender=None, request=request, user=user, authenticator=Authenticator())
    names = [(r["event"], r.get("authenticator")) for r in events()]
    assert ("mfa_added", "totp") in names and ("mfa_removed", "totp") in names


def test_token_use_is_logged_once_a_minute(demostad, client, events):
    from tests.conftest import member
    from weerbaar.accounts.services import api_token_create

    membership = member(demostad, "coordinator")
    with scopes_disabled():
        token, raw = api_token_create(membership=membership, name="log")
    for _ in range(3):
        assert client.get("/api/v1/risks/assets", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code < 500
    used = [r for r in events() if r["event"] == "api_token_used"]
    assert used == [
        {
            "event": "api_token_used",
            "user_id": membership.user_id,
            "ip": "127.0.0.1",
            "token_id": token.pk,
            "organisation_id": demostad.pk,
        }
    ]
    _no_personal_data(events())


def test_role_change_is_logged(demostad, events):
    from tests.conftest import member

    membership = member(demostad, "lezer")
    with scopes_disabled():
        membership.role = Role.COORDINATOR
        membership.save()
        membership = Membership.objects.get(pk=membership.pk)
    changes = [r for r in events() if r["event"] == "role_changed"]
    assert changes[-1]["old_role"] != Role.COORDINATOR
    assert changes[-1]["new_role"] == Role.COORDINATOR
    assert changes[-1]["membership_id"] == membership.pk and changes[-1]["user_id"] == membership.user_id


def test_json_formatter_writes_one_json_object_per_line():
    record = logging.LogRecord("weerbaar.security", logging.INFO, __file__, 1, "login_failed", None, None)
    record.security = {"event": "login_failed", "ip": "192.0.2.1"}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["event"] == "login_failed" and data["level"] == "INFO" and data["time"].endswith("+00:00")


def test_unknown_fields_are_dropped():
    from weerbaar.accounts.security import security_event

    logger = logging.getLogger("weerbaar.security")
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.security)

    handler = Keep()
    logger.addHandler(handler)
    try:
        security_event("x", email="a@b.example", password="geheim", reason="ok")
    finally:
        logger.removeHandler(handler)
    assert seen == [{"event": "x", "reason": "ok"}]

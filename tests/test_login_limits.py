"""Failed logins slow down the client that guesses, not the owner of the address.

Counted per address (any case) and client; the client that used its attempts gets a Dutch 429
page with Retry-After; the owner logs in from another client. Behind a proxy the configured
header decides who the client is, and nothing else does.
"""

import pytest
from django.core.cache import cache

ADDRESS = "lezer@demostad.example"
WRONG = "Het e-mailadres en/of wachtwoord dat u opgaf, klopt niet."
ATTACKER, OWNER = "198.51.100.7", "192.0.2.44"


@pytest.fixture(autouse=True)
def clean_limits(db):  # the cache lives in the database
    cache.clear()
    yield
    cache.clear()


def _login(client, login, password, **meta):
    return client.post("/account/login/", {"login": login, "password": password}, **meta)


def _use_up_attempts(client, **meta):
    for login in ["LeZer@DemoStad.Example", "LEZER@demostad.example", " Lezer@Demostad.example", ADDRESS, ADDRESS]:
        response = _login(client, login, "fout-wachtwoord", **meta)
        assert response.status_code == 200
        assert WRONG in response.content.decode()


def _assert_dutch_429(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    text = response.content.decode()
    assert "Er is vanaf uw verbinding te vaak geprobeerd met dit e-mailadres in te loggen." in text
    assert "Wacht 5 minuten en probeer het dan opnieuw." in text
    assert "Too Many" not in text


def test_attacker_is_refused_with_dutch_429_owner_logs_in_from_elsewhere(demo, client, django_user_model):
    _use_up_attempts(client, REMOTE_ADDR=ATTACKER)

    # The attacker's client is refused, whatever the case of the address and even with the right password.
    _assert_dutch_429(_login(client, "Lezer@DEMOSTAD.example", "weerbaar-demo", REMOTE_ADDR=ATTACKER))
    assert "_auth_user_id" not in client.session

    # The owner, from their own connection, logs in at once.
    owner = client.__class__()
    response = _login(owner, ADDRESS, "weerbaar-demo", REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(django_user_model.objects.get(email=ADDRESS).pk)


def test_other_addresses_from_the_attackers_client_are_not_blocked_by_one_address(demo, client):
    _use_up_attempts(client, REMOTE_ADDR=ATTACKER)
    response = _login(client, "coordinator@demostad.example", "weerbaar-demo", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302


def test_trusted_proxy_header_separates_clients(demo, client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _use_up_attempts(client, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy)
    _assert_dutch_429(_login(client, ADDRESS, "weerbaar-demo", HTTP_X_FORWARDED_FOR=ATTACKER, **proxy))
    # A client in front of the proxy can put anything before the proxy's own entry; only the
    # last one (added by the trusted proxy) counts.
    spoofed = f"{OWNER}, {ATTACKER}"
    _assert_dutch_429(_login(client, ADDRESS, "weerbaar-demo", HTTP_X_FORWARDED_FOR=spoofed, **proxy))
    owner = client.__class__()
    assert _login(owner, ADDRESS, "weerbaar-demo", HTTP_X_FORWARDED_FOR=OWNER, **proxy).status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(demo, client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _use_up_attempts(client, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy)
    # A made-up X-Forwarded-For does not buy a fresh count: the connection's address counts.
    _assert_dutch_429(_login(client, ADDRESS, "weerbaar-demo", HTTP_X_FORWARDED_FOR=OWNER, **proxy))


def test_trusted_client_ip_header(demo, client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _use_up_attempts(client, HTTP_X_REAL_IP=ATTACKER, **proxy)
    _assert_dutch_429(_login(client, ADDRESS, "weerbaar-demo", HTTP_X_REAL_IP=ATTACKER, **proxy))
    assert _login(client.__class__(), ADDRESS, "weerbaar-demo", HTTP_X_REAL_IP=OWNER, **proxy).status_code == 302


def test_other_rate_limits_answer_with_the_dutch_page(demo, client, settings):
    """allauth's own 429 (here: the per-client limit on the login page) is no bare English page."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    _login(client, ADDRESS, "fout-wachtwoord")
    response = _login(client, ADDRESS, "fout-wachtwoord")
    assert response.status_code == 429
    text = response.content.decode()
    assert "U heeft in korte tijd te veel verzoeken gedaan." in text
    assert 'lang="nl"' in text
    assert "Too Many Requests" not in text

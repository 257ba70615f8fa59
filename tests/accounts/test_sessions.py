"""Session lifetime (idle and absolute), no write per request, 'Mijn sessies', log out everywhere."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.accounts.models import UserSession
from weerbaar.accounts.sessions import LOGIN_AT, SEEN_AT

ADDRESS = "lezer@demostad.example"
PASSWORD = "weerbaar-demo"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"  # noqa: E501
PAGE = "/account/sessies/"  # a page that needs a login (the knowledge base is open)


@pytest.fixture
def browser(demo):
    """A real sign-in through the login form, from a given browser and address."""

    def _browser(user_agent=FIREFOX, ip="192.0.2.10"):
        c = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
        response = c.post("/account/login/", {"login": ADDRESS, "password": PASSWORD})
        assert response.status_code == 302, response.content[:300]
        return c

    return _browser


def _signed_in(c) -> bool:
    return c.get(PAGE).status_code == 200


def _set(c, **values):
    session = c.session
    session.update(values)
    session.save()


def test_login_registers_the_session_with_device_address_and_start(browser):
    c = browser()
    row = UserSession.objects.get(session_key=c.session.session_key)
    assert row.user.email == ADDRESS
    assert row.ip_address == "192.0.2.10"
    assert "Firefox" in row.user_agent
    assert abs(c.session[LOGIN_AT] - time.time()) < 5


def test_second_request_within_a_minute_writes_no_session(browser):
    c = browser()
    assert c.get(PAGE).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert c.get(PAGE).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
        and ("django_session" in q["sql"] or "accounts_usersession" in q["sql"])
    ]
    assert writes == []


def test_a_minute_later_the_idle_expiry_is_refreshed(browser):
    c = browser()
    key = c.session.session_key
    _set(c, **{SEEN_AT: int(time.time()) - 61})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert _signed_in(c)
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timedelta(minutes=59)
    assert UserSession.objects.get(session_key=key).last_activity > timezone.now() - timedelta(seconds=5)


def test_idle_session_is_over(browser, settings):
    c = browser()
    Session.objects.filter(session_key=c.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = c.get(PAGE)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_absolute_lifetime_requires_a_new_sign_in_however_active(browser, settings):
    c = browser()
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * 60
    _set(c, **{LOGIN_AT: int(time.time()) - 12 * 60 * 60 - 1, SEEN_AT: int(time.time())})
    response = c.get(PAGE)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert "_auth_user_id" not in c.session
    page = c.get(response["Location"]).content.decode()
    assert "Uw sessie is verlopen. Log opnieuw in." in page


def test_my_sessions_lists_other_browsers_and_ends_one(browser):
    here, phone = browser(), browser(SAFARI, "198.51.100.20")
    page = here.get("/account/sessies/").content.decode()
    assert "Firefox op Windows" in page and "Safari op iOS" in page
    assert "198.51.100.20" in page and "deze sessie" in page

    row = UserSession.objects.get(session_key=phone.session.session_key)
    response = here.post(f"/account/sessies/{row.pk}/beeindigen/")
    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(here)
    assert "Safari op iOS" not in here.get("/account/sessies/").content.decode()


def test_another_users_session_cannot_be_ended(browser, demostad, login):
    phone = browser(SAFARI)
    row = UserSession.objects.get(session_key=phone.session.session_key)
    from tests.conftest import member

    other = login(member(demostad, "coordinator").user)
    assert other.post(f"/account/sessies/{row.pk}/beeindigen/").status_code == 404
    assert _signed_in(phone)


def test_password_change_logs_out_everywhere_but_here(browser):
    here, elsewhere = browser(), browser(SAFARI)
    response = here.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": "Een-nieuw-wachtwoord-42", "password2": "Een-nieuw-wachtwoord-42"},
    )
    assert response.status_code == 302, response.content[:500]
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert UserSession.objects.filter(user__email=ADDRESS).count() == 1


@pytest.mark.parametrize("signal_name", ["authenticator_removed", "authenticator_reset"])
def test_mfa_removed_or_reset_logs_out_everywhere_but_here(browser, signal_name, rf):
    from allauth.mfa import signals

    here, elsewhere = browser(), browser(SAFARI)
    user = UserSession.objects.get(session_key=here.session.session_key).user
    request = rf.get("/")
    request.user = user
    request.session = here.session

    class Authenticator:
        type = "totp"

    getattr(signals, signal_name).send(sender=None, request=request, user=user, authenticator=Authenticator())
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


def test_logout_removes_the_session_row(browser):
    c = browser()
    key = c.session.session_key
    c.post("/account/logout/")
    assert not UserSession.objects.filter(session_key=key).exists()


def test_signing_in_again_as_the_same_user_keeps_one_row(demo, login):
    from tests.conftest import member

    user = member(demo["demostad"], "lezer").user
    c = login(user)
    login(user)
    assert UserSession.objects.filter(session_key=c.session.session_key).count() == 1


def test_my_sessions_needs_sign_in(client, db):
    response = client.get("/account/sessies/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert client.post("/account/sessies/andere-beeindigen/").status_code == 302

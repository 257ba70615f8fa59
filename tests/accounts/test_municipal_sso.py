"""Single sign-on per municipality, end to end against a real OpenID Connect provider.

The provider (django-oidc-provider, ``tests/oidc_provider``) runs as its own gunicorn process on
loopback; Weerbaar runs in pytest-django's live server. A person types their work address on
Weerbaar's login page, is sent to their municipality's provider by e-mail domain, logs in there,
and comes back signed in: discovery, PKCE, code exchange and the signed id token all happen for real.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from django_scopes import scope

from weerbaar.accounts import crypto, services
from weerbaar.accounts.models import OrganisationSSO
from weerbaar.core.models import Role

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from ..test_concurrent_writes import _free_port

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "mees@sso-gemeente.nl"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def municipality():
    org = OrganisationFactory(slug="sso-gemeente", name="SSO-gemeente")
    user = UserFactory(email=EMAIL)
    with scope(organisation=org):
        membership = MembershipFactory(organisation=org, user=user, role=Role.COORDINATOR)
    return org, membership


@pytest.fixture
def provider(municipality, live_server, tmp_path):
    """The provider process; yields its issuer URL and the client credentials it issued."""
    org, _ = municipality
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        PROVIDER_DB=str(tmp_path / "provider.sqlite3"),
        PROVIDER_URL=url,
        PYTHONPATH=str(ROOT),
    )
    run = {"env": env, "cwd": ROOT, "capture_output": True, "text": True, "timeout": 120, "check": False}
    migrated = subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput"], **run)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    callback = live_server.url + reverse("openid_connect_callback", kwargs={"provider_id": f"gemeente-{org.pk}"})
    setup = subprocess.run([sys.executable, "tests/oidc_provider/setup.py", callback, EMAIL], **run)
    assert setup.returncode == 0, setup.stderr[-2000:]
    client = json.loads(next(line for line in setup.stdout.splitlines() if line.startswith("READY"))[5:])
    log = open(tmp_path / "provider.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "django.core.wsgi:get_wsgi_application()",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (tmp_path / "provider.log").read_text()[-2000:]
            try:
                if requests.get(url + "/openid/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the provider did not start"
            time.sleep(0.2)
        yield url + "/openid", client
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def configure(municipality, issuer, client, *, allow_local_password=False):
    org, membership = municipality
    return services.sso_save(
        organisation=org,
        membership=membership,
        values={
            "enabled": True,
            "name": "Account van de gemeente",
            "issuer": issuer,
            "client_id": client["client_id"],
            "email_domains": "sso-gemeente.nl, extra.sso-gemeente.nl",
            "allow_local_password": allow_local_password,
        },
        client_secret=client["secret"],
    )


def csrf(html: str) -> str:
    return CSRF.search(html).group(1)


def test_login_by_email_domain_goes_through_the_municipalitys_own_provider(municipality, provider, live_server):
    issuer, client = provider
    config = configure(municipality, issuer, client)
    assert client["secret"] not in config.client_secret_encrypted  # stored encrypted
    assert crypto.decrypt(config.client_secret_encrypted) == client["secret"]

    browser = requests.Session()
    login = browser.get(live_server.url + reverse("account_login"))
    assert "Inloggen met de account van uw gemeente" in login.text
    # The page's forms may lead to the provider (Chromium checks form-action on the redirect).
    assert urlsplit(issuer).netloc in login.headers["Content-Security-Policy"].split("form-action")[1].split(";")[0]

    at_provider = browser.post(
        live_server.url + reverse("accounts:sso_start"),
        data={"csrfmiddlewaretoken": csrf(login.text), "sso-email": EMAIL},
    )
    assert at_provider.url.startswith(issuer.rsplit("/openid", 1)[0] + "/login/")
    assert "Identiteitsprovider van de gemeente" in at_provider.text
    first = at_provider.history[0]
    assert first.status_code == 302 and "code_challenge=" in first.headers["Location"]  # PKCE

    back = browser.post(
        at_provider.url,
        data={
            "csrfmiddlewaretoken": csrf(at_provider.text),
            "username": "medewerker",
            "password": "provider-wachtwoord",
            "next": re.search(r'name="next" value="([^"]+)"', at_provider.text).group(1).replace("&amp;", "&"),
        },
    )
    assert back.status_code == 200, back.text[:2000]
    assert back.url.startswith(live_server.url), back.url
    # Signed in as the member whose address the provider vouched for.
    sessions = browser.get(live_server.url + reverse("accounts:sessions"), allow_redirects=False)
    assert sessions.status_code == 200
    assert "SSO-gemeente" in browser.get(live_server.url + "/").text  # their municipality on the start page


def test_password_login_for_a_routed_domain_goes_to_the_provider_without_checking_the_password(
    municipality, provider, live_server
):
    issuer, client = provider
    configure(municipality, issuer, client, allow_local_password=False)
    browser = requests.Session()
    login = browser.get(live_server.url + reverse("account_login"))
    answer = browser.post(
        live_server.url + reverse("account_login"),
        data={"csrfmiddlewaretoken": csrf(login.text), "login": EMAIL, "password": "wat-dan-ook"},
        allow_redirects=False,
    )
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(issuer + "/authorize")


def test_local_password_stays_possible_when_the_municipality_allows_it(municipality, provider, live_server):
    issuer, client = provider
    org, membership = municipality
    membership.user.set_password("lokaal-wachtwoord-123")
    membership.user.save()
    configure(municipality, issuer, client, allow_local_password=True)
    browser = requests.Session()
    login = browser.get(live_server.url + reverse("account_login"))
    answer = browser.post(
        live_server.url + reverse("account_login"),
        data={"csrfmiddlewaretoken": csrf(login.text), "login": EMAIL, "password": "lokaal-wachtwoord-123"},
        allow_redirects=False,
    )
    assert answer.status_code == 302 and not answer.headers["Location"].startswith("http://127.0.0.1:")


def test_an_address_without_a_provider_gets_a_dutch_message_and_keeps_what_was_typed(client, db):
    login = client.get(reverse("account_login"))
    assert login.status_code == 200
    response = client.post(reverse("accounts:sso_start"), {"sso-email": "iemand@elders.nl"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "geen inlog via de eigen gemeente" in body and 'value="iemand@elders.nl"' in body


def test_settings_page_is_the_coordinators_and_a_domain_belongs_to_one_municipality(client, municipality):
    org, membership = municipality
    url = reverse("accounts:sso_settings", kwargs={"org": org.slug})
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    form = {
        "enabled": "on",
        "name": "Gemeente-account",
        "issuer": "https://login.example.nl/realms/gemeente",
        "client_id": "weerbaar",
        "client_secret": "s3cret-waarde",
        "email_domains": "sso-gemeente.nl",
    }
    assert client.post(url, form).status_code == 302
    page = client.get(url).content.decode()
    assert "s3cret-waarde" not in page and f"/account/oidc/gemeente-{org.pk}/login/callback/" in page
    # Saving again without a secret keeps the stored one.
    assert client.post(url, {**form, "client_secret": "", "name": "Nieuw"}).status_code == 302
    assert crypto.decrypt(OrganisationSSO.objects.get(organisation=org).client_secret_encrypted) == "s3cret-waarde"
    # An http issuer on the internet is refused, with the typed values kept.
    response = client.post(url, {**form, "issuer": "http://login.example.nl"})
    assert response.status_code == 400 and "https" in response.content.decode()

    other = OrganisationFactory(slug="buur", name="Buurgemeente")
    with scope(organisation=other):
        boss = MembershipFactory(organisation=other, role=Role.COORDINATOR)
    client.force_login(boss.user, backend="django.contrib.auth.backends.ModelBackend")
    taken = client.post(reverse("accounts:sso_settings", kwargs={"org": other.slug}), form)
    assert taken.status_code == 400 and "al in gebruik bij een andere gemeente" in taken.content.decode()

    with scope(organisation=org):
        viewer = MembershipFactory(organisation=org, role=Role.VIEWER)
    client.force_login(viewer.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == 403

"""Concurrent writers against the real app under gunicorn: no request may fail, no write may be lost.

The app runs as a subprocess (gunicorn, two sync workers, loopback only) against a throw-away
database of the same kind as the test session: a temporary SQLite file, or a separate database
on the PostgreSQL server of ``DATABASE_URL``. Sixteen clients post assets for two municipalities
for a few seconds, half through the API with a token and half through the web form with a
session; every answer must be a success, and every acknowledged asset must be in the database.

The machine running this may be busy with other work (two cores shared by several test runs), so
nothing here depends on how fast the server is: the clients wait until the server answers HTTP,
every client gets its form (and CSRF token) before the writing window opens for all at once,
every client makes at least one write in it, and the time limits are generous. None of that
relaxes the claim: zero failed writes (a 503 "busy" counts as a failure; nothing is retried) and
every acknowledged write is stored.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORGS = ("last-een", "last-twee")
CLIENTS = 16
DURATION = 6.0  # seconds of writing
# Generous limits: a starved machine makes everything slow, and slow is not what this test is about.
START_TIMEOUT = 300  # migrate, gunicorn workers booting
REQUEST_TIMEOUT = 180  # one request (gunicorn gets the same, so a slow worker is not killed)
SESSIONS_PER_ORG = CLIENTS

SETUP = f"""
import json
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django_scopes import scopes_disabled
from weerbaar.accounts.services import api_token_create
from weerbaar.core.models import Membership, Organisation, Role

out = {{}}
with scopes_disabled():
    for slug in {ORGS!r}:
        org = Organisation.objects.create(slug=slug, name="Gemeente " + slug)
        user = get_user_model().objects.create_user(email="coordinator@" + slug + ".example", full_name="C " + slug)
        membership = Membership.objects.create(organisation=org, user=user, role=Role.COORDINATOR)
        _, raw = api_token_create(membership=membership, name="belasting")
        sessions = []
        for _ in range({SESSIONS_PER_ORG}):
            s = SessionStore()
            s[SESSION_KEY] = str(user.pk)
            s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            s[HASH_SESSION_KEY] = user.get_session_auth_hash()
            s.create()
            sessions.append(s.session_key)
        out[slug] = {{"token": raw, "sessions": sessions}}
print("SETUP" + json.dumps(out))
"""

COUNT = """
import json
import django
django.setup()
from django_scopes import scopes_disabled
from weerbaar.risks.models import Asset

with scopes_disabled():
    rows = Asset.objects.filter(name__startswith="Last ").values_list("organisation__slug", "name")
    out = {}
    for slug, name in rows:
        out.setdefault(slug, []).append(name)
print("COUNT" + json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python(env: dict, code: str, marker: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith(marker))
    return json.loads(line[len(marker) :])


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A database of the session's kind that only the subprocess uses; dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path_factory.mktemp('last') / 'weerbaar.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"weerbaar_last_{uuid.uuid4().hex[:12]}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    """The app under gunicorn; yields (port, setup data, env); the server is killed afterwards."""
    var_dir = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=database_url,
        WEERBAAR_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="weerbaar.settings",
        DJANGO_DEBUG="false",
        PYTHONPATH=str(ROOT / "src"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=START_TIMEOUT,
    )
    data = _python(env, SETUP, "SETUP")
    port = _free_port()
    log = open(var_dir / "gunicorn.log", "w+")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "weerbaar.wsgi:application",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            f"--timeout={REQUEST_TIMEOUT}",
            "--graceful-timeout=5",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # The master binds the port before its workers have loaded Django: wait for an HTTP answer
        # (any status: a worker is up), not just an open port.
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, "gunicorn stopped: " + (var_dir / "gunicorn.log").read_text()[-3000:]
            try:
                _request(port, "GET", "/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer: " + log_text(var_dir)
                time.sleep(0.5)
        yield port, data, env, var_dir / "gunicorn.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def log_text(var_dir) -> str:
    return (var_dir / "gunicorn.log").read_text()[-3000:]


def _request(port, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Window:
    """The writing window all clients share: it opens once every client is prepared."""

    def __init__(self):
        self.open = threading.Event()
        self.until = 0.0

    def start(self, duration: float) -> None:
        self.until = time.monotonic() + duration
        self.open.set()

    def writes(self):
        """Numbers 0, 1, ... while the window is open; always at least one write per client."""
        self.open.wait()
        i = 0
        while True:
            yield i
            i += 1
            if time.monotonic() >= self.until:
                return


class Writer(threading.Thread):
    def __init__(self, port, slug, number, *, token=None, session=None, window, own_references=False):
        super().__init__(daemon=True)
        self.port, self.slug, self.number = port, slug, number
        self.own_references = own_references
        self.token, self.session, self.window = token, session, window
        self.prepared = threading.Event()
        self.acknowledged: list[str] = []
        self.failures: list[tuple[int, str]] = []

    def run(self):
        try:
            if self.token:
                self.prepared.set()
                self._api()
            else:
                self._web()
        except Exception as e:  # a broken connection is a failure too
            self.failures.append((0, repr(e)))
        finally:
            self.prepared.set()

    def _asset_name(self, i):
        return f"Last {self.slug} {self.number} {i}"

    def _fields(self, i) -> dict:
        fields = {"name": self._asset_name(i)}
        if self.own_references:
            fields["reference"] = f"L{self.number:02d}-{i:05d}"
        return fields

    def _api(self):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        for i in self.window.writes():
            name = self._asset_name(i)
            status, _, body = _request(self.port, "POST", "/api/v1/assets", json.dumps(self._fields(i)), headers)
            if status == 201:
                self.acknowledged.append(name)
            else:
                self.failures.append((status, body[:500]))

    def _web(self):
        path = f"/g/{self.slug}/risico/bedrijfsmiddelen/nieuw/"
        cookie = f"sessionid={self.session}"
        status, headers, body = _request(self.port, "GET", path, headers={"Cookie": cookie})
        if status != 200:
            self.failures.append((status, body[:500]))
            return
        csrf_cookie = next(
            v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken=")
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        headers = {"Cookie": f"{cookie}; {csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded"}
        self.prepared.set()
        for i in self.window.writes():
            name = self._asset_name(i)
            form = {"csrfmiddlewaretoken": token, "kind": "other", "criticality": "2", **self._fields(i)}
            status, _, body = _request(self.port, "POST", path, urllib.parse.urlencode(form), headers)
            if status == 302:
                self.acknowledged.append(name)
            else:
                self.failures.append((status, body[:500]))


def test_concurrent_writers_all_succeed_and_nothing_is_lost(server):
    port, data, env, log = server
    # Weerbaar allocates every reference (BM-012, ...): two writers offered the same next
    # number must both succeed, on PostgreSQL (read committed) as on SQLite.
    own = False
    window = Window()
    writers = []
    for n in range(CLIENTS):
        slug = ORGS[n % 2]
        if n % 4 < 2:
            writers.append(Writer(port, slug, n, token=data[slug]["token"], window=window, own_references=own))
        else:
            writers.append(Writer(port, slug, n, session=data[slug]["sessions"][n], window=window, own_references=own))
    for w in writers:
        w.start()
    # Every web client has its form and CSRF token before anyone writes: the window measures
    # concurrent writing, not how long a busy machine takes to serve the first pages.
    for w in writers:
        assert w.prepared.wait(timeout=START_TIMEOUT), f"writer {w.number} could not open the form"
    window.start(DURATION)
    for w in writers:
        w.join(timeout=DURATION + 2 * REQUEST_TIMEOUT)
    assert not any(w.is_alive() for w in writers), "a client hung"

    failures = [f for w in writers for f in w.failures]
    acknowledged = {slug: sorted(n for w in writers if w.slug == slug for n in w.acknowledged) for slug in ORGS}
    total = sum(len(v) for v in acknowledged.values())
    if failures:
        errors = [line for line in log.read_text().splitlines() if "Error" in line][-10:]
        pytest.fail(f"{len(failures)} failed of {total + len(failures)}; first: {failures[:2]}; log: {errors}")
    # Both kinds of writer got through, for both municipalities.
    for w in writers:
        assert w.acknowledged, f"writer {w.number} ({'api' if w.token else 'web'}) wrote nothing"

    print(f"{total} assets written by {CLIENTS} clients in {DURATION:.0f} s")
    stored = _python(env, COUNT, "COUNT")
    for slug in ORGS:
        assert sorted(stored.get(slug, [])) == acknowledged[slug]

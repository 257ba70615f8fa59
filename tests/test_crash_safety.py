"""A server killed with SIGKILL in the middle of a write leaves nothing half-written.

The app runs under gunicorn (as in production) on a throw-away database of the session's kind
(an SQLite file in WAL mode, or a separate PostgreSQL database). A large Excel import and a large
framework save are started and the whole server (master and workers) is killed with SIGKILL at
several moments during the request. After each kill the database must hold either all of that
write or none of it, everything committed before must still be there, the database must pass
its integrity check, and the server must start again on it.
"""

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from .test_concurrent_writes import ROOT, _free_port, _python, _request, database_url  # noqa: F401

ROWS = 4000
KILL_AT = (0.15, 0.45, 0.75, 0.95)  # fractions of the measured duration of an uninterrupted write

SETUP = """
import json
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django_scopes import scope, scopes_disabled
from weerbaar.accounts.services import api_token_create
from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.framework import services as fw
from weerbaar.risks import services as rs

with scopes_disabled():
    org = Organisation.objects.create(slug="crash", name="Gemeente Crash")
    user = get_user_model().objects.create_user(email="coordinator@crash.example", full_name="C")
    membership = Membership.objects.create(organisation=org, user=user, role=Role.COORDINATOR)
    _, raw = api_token_create(membership=membership, name="crash")
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
with scope(organisation=org):
    rs.asset_save(organisation=org, membership=membership, name="Vastgelegd vooraf")
    framework = fw.framework_start(organisation=org, membership=membership)
    version = framework.versions.get()
print("SETUP" + json.dumps({"token": raw, "session": s.session_key, "version": version.pk}))
"""

STATE = """
import json
import django
django.setup()
from django.db import connection
from django_scopes import scopes_disabled
from weerbaar.framework.models import ChosenGoal
from weerbaar.risks.models import Asset

with scopes_disabled():
    names = list(Asset.objects.values_list("name", flat=True))
    goals = list(ChosenGoal.objects.values_list("name", flat=True))
check = "ok"
if connection.vendor == "sqlite":
    with connection.cursor() as c:
        c.execute("PRAGMA integrity_check")
        check = c.fetchone()[0]
prefixes = {}
for n in names:
    prefixes[n.split(" ")[0]] = prefixes.get(n.split(" ")[0], 0) + 1
goal_prefixes = {}
for n in goals:
    goal_prefixes[n.split(" ")[0]] = goal_prefixes.get(n.split(" ")[0], 0) + 1
print("STATE" + json.dumps({"assets": prefixes, "goals": goal_prefixes, "integrity": check,
                            "before": "Vastgelegd vooraf" in names}))
"""


class Server:
    """gunicorn in its own process group, so SIGKILL reaches the master and every worker."""

    def __init__(self, env, log_path):
        self.env, self.log_path = env, log_path
        self.port = _free_port()
        self.log = open(log_path, "a")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "weerbaar.wsgi:application",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=120",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.poll() is None, "gunicorn stopped: " + Path(log_path).read_text()[-2000:]
            try:
                _request(self.port, "GET", "/gezondheid/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="module")
def setup(database_url, tmp_path_factory):  # noqa: F811 - the fixture imported above
    var_dir = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=database_url,
        WEERBAAR_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="weerbaar.settings",
        DJANGO_DEBUG="false",
        PYTHONPATH=str(ROOT / "src"),
        LOGIN_ATTEMPTS_LIMIT="1000",
        IMPORT_MAX_ROWS_PER_SHEET=str(ROWS),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    data = _python(env, SETUP, "SETUP")
    return env, data, var_dir / "gunicorn.log"


def _workbook(prefix: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bedrijfsmiddelen"
    ws.append(["Kenmerk", "Naam", "Omschrijving"])
    for i in range(ROWS):
        ws.append([f"{prefix}-{i:05d}", f"{prefix} bedrijfsmiddel {i}", "Ingelezen voor de crashtest. " * 8])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----weerbaarcrash"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _import(port, session, prefix) -> int:
    path = "/g/crash/risico/import/"
    cookie = f"sessionid={session}"
    status, headers, body = _request(port, "GET", path, headers={"Cookie": cookie})
    assert status == 200, body[:500]
    csrf = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    payload, content_type = _multipart({"csrfmiddlewaretoken": token}, "file", "crash.xlsx", _workbook(prefix))
    headers = {"Cookie": f"{cookie}; {csrf}", "Content-Type": content_type}
    status, _, body = _request(port, "POST", path, payload, headers)
    assert status == 302, f"{status}: {body[:1500]}"
    return status


def _save_goals(port, token, version_id, prefix) -> int:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    status, _, body = _request(port, "GET", f"/api/v1/framework/versions/{version_id}", headers=auth)
    assert status == 200, body[:500]
    step = next(s for s in json.loads(body)["steps"] if s["step"] == "doelen")
    goals = [{"name": f"{prefix} doel {i}", "why": "Waarom dit doel telt. " * 10} for i in range(600)]
    status, _, body = _request(
        port,
        "PUT",
        f"/api/v1/framework/versions/{version_id}/steps/doelen",
        json.dumps({"revision": step["revision"], "goals": goals}),
        auth,
    )
    assert status == 200, f"{status}: {body[:1500]}"
    return status


def _run_killed(env, log, write, fractions, duration) -> list[dict]:
    """Start ``write(port, prefix)`` and kill the server at each fraction of ``duration``."""
    outcomes = []
    for n, fraction in enumerate(fractions):
        server = Server(env, log)
        prefix = f"K{n}"
        thread = threading.Thread(target=lambda p=prefix, s=server: _swallow(write, s.port, p), daemon=True)
        thread.start()
        time.sleep(duration * fraction)
        server.kill()
        thread.join(timeout=30)
        outcomes.append((prefix, _python(env, STATE, "STATE")))
    return outcomes


def _swallow(write, port, prefix):
    try:
        write(port, prefix)
    except (OSError, AssertionError):
        pass  # the server died under the request, as intended


@pytest.mark.parametrize("kind", ["import", "framework"])
def test_sigkill_during_a_large_write_leaves_all_or_nothing(setup, kind):
    env, data, log = setup
    if kind == "import":
        size = ROWS
        write = lambda port, prefix: _import(port, data["session"], prefix)  # noqa: E731
        key = "assets"
    else:
        size = 600
        write = lambda port, prefix: _save_goals(port, data["token"], data["version"], prefix)  # noqa: E731
        key = "goals"

    # Uninterrupted first: the write works and tells how long it takes.
    server = Server(env, log)
    try:
        started = time.monotonic()
        write(server.port, "OK")
        duration = time.monotonic() - started
    finally:
        server.stop()
    state = _python(env, STATE, "STATE")
    assert state[key].get("OK") == size

    outcomes = _run_killed(env, log, write, KILL_AT, duration)
    for prefix, state in outcomes:
        assert state["integrity"] == "ok"
        assert state["before"], "a row committed before the crash is gone"
        count = state[key].get(prefix, 0)
        assert count in (0, size), f"{kind} killed at {prefix}: {count} of {size} rows half-written"
        if kind == "import":
            assert state[key].get("OK") == size, "the earlier import lost rows"
    # A framework save replaces the goals: after each kill there is one complete set, old or new.
    if kind == "framework":
        final = outcomes[-1][1][key]
        assert sum(final.values()) == size and len(final) == 1, final
    # The kills fell inside the write: at least one left nothing (killed before the commit).
    assert any(state[key].get(prefix, 0) == 0 for prefix, state in outcomes)
    # And the server starts again on the database it crashed on.
    server = Server(env, log)
    server.stop()

"""The production profile as it runs: `scripts/serve.sh` (what `make serve` calls) and gunicorn.

Each server is a subprocess on loopback with a throw-away SQLite file and the production
environment (WEERBAAR_ENV=production, a secret key, allowed hosts); it is stopped afterwards.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        WEERBAAR_ENV="production",
        SECRET_KEY="test-only-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; TLS ends at the proxy in real life
        DATABASE_URL=f"sqlite:///{tmp / 'weerbaar.sqlite3'}",
        WEERBAAR_VAR_DIR=str(tmp / "var"),
        STATIC_ROOT=str(tmp / "static"),
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="weerbaar.settings",
    )
    env.update(extra)
    return env


def _wait_for(proc, port, log: Path, seconds=180):
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, "server stopped: " + log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            assert time.monotonic() < deadline, "server did not start: " + log.read_text()[-3000:]
            time.sleep(0.3)


def _stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _get(port, path, headers=None, method="GET", body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`scripts/serve.sh` as `make serve` runs it: migrate, cache table, collectstatic, gunicorn + worker."""
    tmp = tmp_path_factory.mktemp("serve")
    port = _free_port()
    log_path = tmp / "serve.log"
    log = open(log_path, "w+")  # noqa: SIM115 - closed in the finally below
    env = _env(tmp, PY=sys.executable, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2")
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the test stops gunicorn and the worker together
    )
    try:
        _wait_for(proc, port, log_path)
        yield port, log_path
    finally:
        _stop(proc)
        log.close()


def test_make_serve_answers_pages_health_and_static_files_with_a_worker_beside_it(served):
    port, log_path = served
    # As behind the TLS-terminating proxy: the production profile answers with HSTS.
    status, headers, body = _get(port, "/account/login/", headers={"X-Forwarded-Proto": "https"})
    assert status == 200, body[:500]
    assert "Strict-Transport-Security" in headers
    page = body.decode()

    # WhiteNoise serves the collected, hashed static files named in the page.
    stylesheet = re.search(r'href="(/static/css/weerbaar\.[0-9a-f]+\.css)"', page)
    assert stylesheet, "expected a hashed stylesheet from the manifest storage"
    status, headers, css = _get(port, stylesheet.group(1))
    assert status == 200 and css
    assert "max-age=315360000" in headers.get("Cache-Control", "")

    status, _, body = _get(port, "/gezondheid/")
    assert status == 200, body
    checks = json.loads(body)["checks"]
    assert all(c["ok"] for c in checks.values()), checks

    # The task worker runs beside gunicorn, and each worker warmed WeasyPrint up.
    commands = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            commands.append(cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # a process that ended meanwhile
            pass
    assert any("manage.py db_worker" in c for c in commands)
    assert "PDF warm-up failed" not in log_path.read_text()
    assert "API warm-up failed" not in log_path.read_text()


LOGIN_FAILED = 5


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two gunicorn servers (one worker each) on one SQLite file: nothing shared but the database."""
    tmp = tmp_path_factory.mktemp("twee")
    # The development profile: no collectstatic needed, and the limit is the same code path.
    env = _env(tmp, WEERBAAR_ENV="development", LOGIN_ATTEMPTS_LIMIT=str(LOGIN_FAILED))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    procs, ports, logs = [], [], []
    try:
        for i in range(2):
            port = _free_port()
            log_path = tmp / f"gunicorn{i}.log"
            log = open(log_path, "w+")  # noqa: SIM115 - closed in the finally below
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "gunicorn"),
                        "-c",
                        "python:weerbaar.gunicorn",
                        "--workers=1",
                        f"--bind=127.0.0.1:{port}",
                        "weerbaar.wsgi:application",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            ports.append(port)
            _wait_for(procs[-1], port, log_path)
        yield ports
    finally:
        for proc in procs:
            _stop(proc)
        for log in logs:
            log.close()


def _failed_login(port):
    status, headers, body = _get(port, "/account/login/")
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    form = f"csrfmiddlewaretoken={token}&login=lezer%40demostad.example&password=fout-wachtwoord"
    status, _, _ = _get(
        port,
        "/account/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"http://127.0.0.1:{port}/account/login/",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    return status


def test_login_limit_holds_across_worker_processes(two_servers):
    first, second = two_servers
    # Failed logins alternate between the two processes; each alone saw fewer than the limit.
    statuses = [_failed_login(first if i % 2 == 0 else second) for i in range(LOGIN_FAILED)]
    assert statuses == [200] * LOGIN_FAILED
    assert _failed_login(second) == 429
    assert _failed_login(first) == 429

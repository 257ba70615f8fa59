"""Benchmark: the register under load, over HTTP, as production runs it.

Starts the app under gunicorn (2 sync workers, DEBUG off) on a throw-away SQLite database (or
BENCH_DATABASE_URL) holding the full demo plus 500 assets / 2,000 risks / 5,000 measures in
Demostad, then drives each page and API list at concurrency 4 for a bounded time (threads and
http.client over loopback). Prints req/s, p50 and p95 per URL and the ratio to a bare view.

The bare view is the cheapest existing page behind login and the membership check: the API
keys page ``/g/demostad/api-sleutels/`` (one token listed). API lists are compared with
``/api/v1/me``, the cheapest authenticated API call.

Targets: every HTML page p50 <= 5x bare and p95 < 100 ms; API lists >= 50% of /api/v1/me req/s.

Usage: .venv/bin/python bench/http_load.py [--scale 1.0] [--seconds 5] [--concurrency 4] [--workers 2]
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BARE = "/g/demostad/api-sleutels/"
ME = "/api/v1/me"
BASE = "/g/demostad/risico/"
PAGES = [
    ("bare: API keys page", BARE),
    ("integral view", BASE),
    ("risks, page 1", BASE + "risicos/"),
    ("risks, filtered, page 20", BASE + "risicos/?boven_grens=on&sorteer=bruto&pagina=20"),
    ("measures, page 1", BASE + "maatregelen/"),
    ("assets, page 1", BASE + "bedrijfsmiddelen/"),
    ("coverage", BASE + "dekking/"),
    ("budget", BASE + "begroting/"),
]
# The 342-municipality check: these, measured right before and right after adding the others.
MANY = ["bare: API keys page", "integral view", "risks, page 1", "api: 50 risks"]
MUNICIPALITIES = 342
PRINCIPLES = 40
APIS = [
    ("api: me", ME),
    ("api: 50 risks", "/api/v1/risks?limit=50"),
    ("api: 50 measures", "/api/v1/measures?limit=50"),
    ("api: 50 assets", "/api/v1/assets?limit=50"),
]


def percentile(values, q):
    values = sorted(values)
    return values[max(0, int(round(q * len(values))) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(scale: float):
    """Migrate and fill the database in this process; returns the session cookie and an API token."""
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # the seeding's security events are not benchmark output
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_scopes import scopes_disabled

    from weerbaar.accounts.services import api_token_create
    from weerbaar.core.audit import acting_as
    from weerbaar.core.demo import load_demo
    from weerbaar.core.models import Membership, Organisation
    from weerbaar.risks.content import load_threats
    from weerbaar.risks.testdata import generate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    sizes = {k: max(1, int(v * scale)) for k, v in {"assets": 500, "risks": 2000, "measures": 5000}.items()}
    t0 = time.perf_counter()
    with scopes_disabled(), acting_as(None, via="command"):
        load_demo()
        load_threats()
        org = Organisation.objects.get(slug="demostad")
        generate(organisation=org, **sizes)
        coordinator = Membership.objects.select_related("user", "organisation").get(
            organisation=org, user__email="coordinator@demostad.example"
        )
        _, raw = api_token_create(membership=coordinator, name="bench")
        framework_number = build_framework(org, coordinator)
    # Planner statistics as a running database has them (autovacuum gathers them within a minute
    # of a bulk load; without them PostgreSQL picks poor plans for the freshly filled tables).
    # On PostgreSQL also the vacuum autovacuum would start after the load, now rather than in the
    # middle of the measurements.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    client = Client()
    client.force_login(coordinator.user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    print(
        f"database: {connection.vendor}; data: full demo + {sizes['assets']} assets, {sizes['risks']} risks, "
        f"{sizes['measures']} measures in Demostad (generated in {time.perf_counter() - t0:.1f}s)"
    )
    connection.close()
    return cookie, raw, framework_number


def build_framework(org, coordinator) -> int:
    """A framework version with 40 principles in Demostad (as bench/framework_documents.py): its number."""
    from django_scopes import scope

    from weerbaar.framework import services
    from weerbaar.framework.demo import _fill
    from weerbaar.framework.models import Framework, Step
    from weerbaar.knowledge.models import Law, Principle

    with scope(organisation=org.pk):
        if Framework.objects.filter(organisation=org).exists():
            raise SystemExit("Demostad already has a framework; the bench expects to start one")
        version = services.framework_start(organisation=org, membership=coordinator).versions.get()
        _fill(version, coordinator)
        scope_entry = version.steps.get(step=Step.SCOPE)
        services.step_save(
            entry=scope_entry,
            expected_revision=scope_entry.revision,
            membership=coordinator,
            laws=list(Law.objects.published()),
        )
        goal_ids = list(version.goals.values_list("pk", flat=True))
        catalogue = list(Principle.objects.published().order_by("category__order", "order")[:PRINCIPLES])
        items = [
            services.PrincipleInput(
                catalogue_principle=p,
                text=p.text + " Demostad werkt dit uit in het jaarplan.",
                goal_ids=goal_ids[i % len(goal_ids) : i % len(goal_ids) + 2],
            )
            for i, p in enumerate(catalogue)
        ]
        for n in range(PRINCIPLES - len(items)):
            items.append(
                services.PrincipleInput(
                    category=catalogue[0].category, text=f"Eigen uitgangspunt {n + 1}.", goal_ids=goal_ids[:1]
                )
            )
        entry = version.steps.get(step=Step.PRINCIPLES)
        services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, principles=items)
        assert version.principles.count() == PRINCIPLES
        return version.number


def add_municipalities(total: int) -> int:
    """Fill the database up to ``total`` municipalities, each with a small register; returns the number added."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from weerbaar.core.audit import acting_as
    from weerbaar.core.models import Organisation
    from weerbaar.risks.testdata import generate

    with scopes_disabled(), acting_as(None, via="command"):
        have = Organisation.objects.count()
        for i in range(total - have):
            org = Organisation.objects.create(name=f"Benchgemeente {i + 1}", slug=f"benchgemeente-{i + 1}")
            generate(organisation=org, assets=5, risks=15, measures=30, seed=i)
    connection.close()
    return max(0, total - have)


def get(port: int, url: str, headers: dict) -> int:
    # gunicorn's sync workers close each connection, so one connection per request.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def load(port: int, url: str, headers: dict, *, seconds: float, concurrency: int) -> dict:
    """Requests from ``concurrency`` threads for ``seconds``; latencies in ms."""
    # Warm every worker (imports, template caches, connections, a first-call cache): a few
    # rounds of concurrent requests, so no worker meets the URL for the first time while timed.
    for _ in range(3):
        with ThreadPoolExecutor(concurrency) as pool:
            statuses = list(pool.map(lambda _: get(port, url, headers), range(concurrency)))
        if any(status != 200 for status in statuses):
            raise SystemExit(f"{url} answered {statuses}")
    timings: list[float] = []
    errors = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status = get(port, url, headers)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors.append(status)
        with lock:
            timings.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{url}: {len(errors)} answers not 200, e.g. {errors[0]}")
    return {
        "rps": len(timings) / elapsed,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "n": len(timings),
    }


def start_server(env: dict, options: list[str]) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free loopback port, once it answers."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "weerbaar.wsgi:application", *options, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=str(ROOT / "src"),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            get(port, "/", {})
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def first_documents(env: dict, headers: dict, number: int) -> list[str]:
    """The first PDF and Word of a 40-principle framework from a fresh worker (production gunicorn config)."""
    server, port = start_server(env, ["-c", "python:weerbaar.gunicorn", "--workers", "1"])
    failed = []
    try:
        for label, url, target in (
            ("PDF", f"/g/demostad/kader/versies/{number}/pdf/", 2.0),
            ("Word", f"/g/demostad/kader/versies/{number}/word/", 1.0),
        ):
            start = time.perf_counter()
            status = get(port, url, headers)
            seconds = time.perf_counter() - start
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
            ok = seconds < target
            failed += [] if ok else [f"first {label}"]
            print(
                f"first {label} of a {PRINCIPLES}-principle framework, fresh worker: {seconds:.2f} s "
                f"(target < {target:g} s): {'ok' if ok else 'MISSED'}"
            )
    finally:
        stop_server(server)
    return failed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of 500 assets / 2,000 risks / 5,000 measures"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="load time per URL")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-many", action="store_true", help="skip the 342-municipality check")
    parser.add_argument("--skip-documents", action="store_true", help="skip the first PDF and Word check")
    parser.add_argument(
        "--no-list-cache",
        action="store_true",
        help="build every API list answer (API_LIST_CACHE_BYTES=0): the cost without kept answers",
    )
    parser.add_argument("--only", default="", help="comma-separated words: measure only the URLs whose label has one")
    args = parser.parse_args()
    if args.only:
        words = args.only.split(",")
        keep = {PAGES[0][0], APIS[0][0]}  # the references of the ratios

        def chosen(items):
            return [(label, url) for label, url in items if label in keep or any(w in label for w in words)]

        PAGES[:] = chosen(PAGES)
        APIS[:] = chosen(APIS)

    tmp = tempfile.mkdtemp(prefix="weerbaar-http-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "weerbaar.settings",
        "WEERBAAR_VAR_DIR": tmp,
        # The development profile with DEBUG off: no TLS redirect or secure-only cookies on
        # plain loopback HTTP, and otherwise the production code path (no debug toolbar or SQL log).
        "WEERBAAR_ENV": "development",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT / "src"),
        # As the production profile: each worker keeps its database connection (with health checks).
        "DATABASE_CONN_MAX_AGE": "60",
    }
    if args.no_list_cache:
        env["API_LIST_CACHE_BYTES"] = "0"
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "WEERBAAR_VAR_DIR")})
    os.environ.update({k: env[k] for k in ("WEERBAAR_ENV", "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    cookie, token, framework_number = seed(args.scale)

    server, port = start_server(env, ["--workers", str(args.workers), "--worker-class", "sync"])
    try:
        web = {"Cookie": cookie, "Host": "127.0.0.1"}
        api = {"Authorization": f"Bearer {token}", "Host": "127.0.0.1"}
        print(
            f"gunicorn {args.workers} sync workers, DEBUG off; concurrency {args.concurrency}, "
            f"{args.seconds:g} s per URL; {os.cpu_count()} CPUs"
        )
        print(f"{'url':<28}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'ratio':>8}  target")
        results = {}
        for label, url in PAGES:
            results[label] = load(port, url, web, seconds=args.seconds, concurrency=args.concurrency)
        bare = results["bare: API keys page"]["p50"]
        failed = []
        for label, _ in PAGES:
            r = results[label]
            ratio = r["p50"] / bare
            ok = ratio <= 5 and r["p95"] < 100
            failed += [] if ok else [label]
            print(
                f"{label:<28}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{ratio:>7.1f}x  "
                f"p50<=5x, p95<100: {'ok' if ok else 'MISSED'}"
            )
        for label, url in APIS:
            results[label] = load(port, url, api, seconds=args.seconds, concurrency=args.concurrency)
        me = results["api: me"]["rps"]
        for label, _ in APIS:
            r = results[label]
            share = r["rps"] / me
            ok = share >= 0.5
            failed += [] if ok else [label]
            print(
                f"{label:<28}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{share:>7.0%}   "
                f">=50% of /api/v1/me req/s: {'ok' if ok else 'MISSED'}"
            )
        if not args.skip_many:
            failed += many_municipalities(port, web, api, args)
    finally:
        stop_server(server)
    if not args.skip_documents:
        failed += first_documents(env, web, framework_number)
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")


def many_municipalities(port: int, web: dict, api: dict, args) -> list[str]:
    """One municipality's pages with 342 municipalities loaded against 2 (target: p50 within 1.2x)."""
    urls = {label: (url, api if label.startswith("api") else web) for label, url in PAGES + APIS}
    chosen = [label for label in MANY if label in urls]

    def measure():
        return {
            label: load(port, urls[label][0], urls[label][1], seconds=args.seconds, concurrency=args.concurrency)
            for label in chosen
        }

    before = measure()
    t0 = time.perf_counter()
    added = add_municipalities(MUNICIPALITIES)
    print(f"added {added} municipalities with 5 assets, 15 risks, 30 measures each in {time.perf_counter() - t0:.0f} s")
    after = measure()
    failed = []
    print(f"{'url':<28}{'p50 2 mun.':>11}{'p50 342':>9}{'ratio':>8}  target")
    for label in chosen:
        ratio = after[label]["p50"] / before[label]["p50"]
        ok = ratio <= 1.2
        failed += [] if ok else [f"{label} with {MUNICIPALITIES} municipalities"]
        print(
            f"{label:<28}{before[label]['p50']:>11.1f}{after[label]['p50']:>9.1f}{ratio:>7.2f}x  "
            f"<=1.2x (noise allowance): {'ok' if ok else 'MISSED'}"
        )
    return failed


if __name__ == "__main__":
    main()

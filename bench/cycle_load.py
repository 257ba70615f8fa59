"""Benchmark: the yearly plan with 2,000 actions in one municipality.

Prints p50/p95 latency, query counts and the ratio to a bare page (the API keys page: login
and membership check only) of the plan (list) pages, the progress view per theme,
the overdue list, the multi-year view, the checks and findings lists, the action API and the
xlsx export. Runs against a throw-away SQLite file unless BENCH_DATABASE_URL is set (e.g.
`scripts/with-postgres.sh .venv/bin/python bench/cycle_load.py`).

Usage: .venv/bin/python bench/cycle_load.py [--actions 2000] [--checks 200] [--runs 20]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def percentile(values, q):
    values = sorted(values)
    return values[max(0, int(round(q * len(values))) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="weerbaar-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    os.environ["WEERBAAR_VAR_DIR"] = tmp
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from weerbaar.accounts.services import api_token_create
    from weerbaar.core.audit import acting_as
    from weerbaar.core.demo import load_demo
    from weerbaar.core.models import Membership, Organisation
    from weerbaar.cycle.testdata import generate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    t0 = time.perf_counter()
    with scopes_disabled(), acting_as(None, via="command"):
        load_demo()
        org = Organisation.objects.get(slug="demostad")
        generate(organisation=org, actions=args.actions, checks=args.checks)
        coordinator = Membership.objects.select_related("user").get(
            organisation=org, user__email="coordinator@demostad.example"
        )
        _, token = api_token_create(membership=coordinator, name="bench")
    print(
        f"database: {connection.vendor}; data: {args.actions} actions over two years, {args.checks} checks with "
        f"{2 * args.checks} findings (generated in {time.perf_counter() - t0:.1f}s)"
    )

    client = Client()
    client.force_login(coordinator.user, backend="django.contrib.auth.backends.ModelBackend")
    api = Client()
    year = datetime.date.today().year
    base = "/g/demostad/jaarplan/"
    targets = [
        ("bare: API keys page", client, "/g/demostad/api-sleutels/", args.runs),
        ("plan, page 1", client, base + f"?jaar={year}", args.runs),
        ("plan, open, page 20", client, base + f"?jaar={year}&status=open&sorteer=status&pagina=20", args.runs),
        ("plan, search", client, base + f"?jaar={year}&q=Actie+1", args.runs),
        ("progress per theme", client, base + f"voortgang/?jaar={year}", args.runs),
        ("overdue list", client, base + "te-laat/", args.runs),
        ("multi-year view", client, base + "meerjarig/", args.runs),
        ("checks", client, base + "controles/", args.runs),
        ("findings", client, base + "bevindingen/", args.runs),
        ("dashboard (with card)", client, "/g/demostad/", args.runs),
        ("API actions, 100", api, "/api/v1/actions?limit=100", args.runs),
        ("xlsx export, all actions", client, base + "export.xlsx", max(3, args.runs // 5)),
    ]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    print(f"{'page':<28}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}{'ratio':>8}")
    bare = None
    for label, who, url, runs in targets:
        who.get(url, **(headers if who is api else {}))  # warm up caches and the session
        timings = []
        extra = headers if who is api else {}
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = who.get(url, **extra)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p50 = statistics.median(timings)
        bare = bare or p50
        print(
            f"{label:<28}{p50:>10.1f}{percentile(timings, 0.95):>10.1f}"
            f"{len(ctx.captured_queries):>10}{p50 / bare:>7.1f}x"
        )


if __name__ == "__main__":
    main()

"""Benchmark: workspace pages with many members and audit entries.

Prints p50/p95 latency and query counts of the members page, the audit trail and the API
member list. Runs against a throw-away SQLite file unless BENCH_DATABASE_URL is set
(e.g. `scripts/with-postgres.sh .venv/bin/python bench/workspace.py`).

Usage: .venv/bin/python bench/workspace.py [--members 300] [--changes 5000] [--runs 30]
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--changes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="weerbaar-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    os.environ["WEERBAAR_VAR_DIR"] = tmp
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from weerbaar.accounts.models import User
    from weerbaar.accounts.services import api_token_create
    from weerbaar.core.audit import acting_as
    from weerbaar.core.demo import load_demo
    from weerbaar.core.models import Membership, Organisation, Role

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    t0 = time.perf_counter()
    with scopes_disabled(), acting_as(None, via="command"):
        load_demo()
        org = Organisation.objects.get(slug="demostad")
        users = User.objects.bulk_create(
            [User(email=f"bench{i}@demostad.example", full_name=f"Bench {i}") for i in range(args.members)]
        )
        for u in users:
            Membership.objects.create(organisation=org, user=u, role=Role.VIEWER)
        for i in range(args.changes):
            org.primary_colour = f"#{i % 0xFFFFFF:06x}"
            org.primary_text_colour = "#ffffff"
            org.save()
        coordinator = Membership.objects.get(organisation=org, user__email="coordinator@demostad.example")
        _, raw = api_token_create(membership=coordinator, name="bench")
    print(
        f"database: {connection.vendor}; data: {args.members} extra members, {args.changes} audit entries "
        f"(generated in {time.perf_counter() - t0:.1f}s)"
    )

    client = Client()
    client.force_login(coordinator.user, backend="django.contrib.auth.backends.ModelBackend")
    targets = [
        ("members page", "/g/demostad/leden/", {}),
        ("audit trail, page 1", "/g/demostad/audit/", {}),
        ("audit trail, page 50", "/g/demostad/audit/?pagina=50", {}),
        ("API /members", "/api/v1/members", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}),
    ]
    print(f"{'page':<24}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    for label, url, headers in targets:
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        print(f"{label:<24}{statistics.median(timings):>10.1f}{p95:>10.1f}{len(ctx.captured_queries):>10}")


if __name__ == "__main__":
    main()

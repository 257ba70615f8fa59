"""Benchmark: the incident register with 20,000 incidents in one municipality.

Prints p50/p95 latency and query counts of a bare page (the API keys page: login and membership
check only), the register page, filtered lists, the patterns page (rode draden: grouped counts
kept in the cache per year and class of incidents; "after a write" is the first view after a
change to an incident of this year, whose counts the writer made again after its commit, with the
writer's time beside it; "nothing counted" is the worst case of a reader that counts every
figure itself) and the xlsx export (a background job for a register this large, run inline here: the
time is the job's work; checked to hold every visible incident), for the coordinator and
for a viewer (whose queries add the confidentiality filter), with each page's ratio to the bare
page. Target: within ~5x bare.
Runs against a throw-away SQLite file unless BENCH_DATABASE_URL is set (e.g.
`scripts/with-postgres.sh .venv/bin/python bench/incidents_load.py`).

Usage: .venv/bin/python bench/incidents_load.py [--incidents 20000] [--runs 15]
"""

import argparse
import io
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
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="weerbaar-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    os.environ["WEERBAAR_VAR_DIR"] = tmp
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scopes_disabled
    from openpyxl import load_workbook

    from weerbaar.core.audit import acting_as
    from weerbaar.core.demo import load_demo
    from weerbaar.core.models import Membership, Organisation
    from weerbaar.incidents.content import load_incident_types
    from weerbaar.incidents.counts import ORG_KEY
    from weerbaar.incidents.models import Incident
    from weerbaar.incidents.selectors import visible_incidents
    from weerbaar.incidents.testdata import generate
    from weerbaar.risks.demo import load_risks_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    t0 = time.perf_counter()
    with scopes_disabled(), acting_as(None, via="command"):
        load_demo()
        load_incident_types()
        org = Organisation.objects.get(slug="demostad")
        load_risks_demo(org)
        generate(organisation=org, incidents=args.incidents)
        members = {
            m.role: m
            for m in Membership.objects.select_related("user").filter(
                organisation=org, role__in=["coordinator", "viewer"]
            )
        }
    print(
        f"database: {connection.vendor}; data: {args.incidents} incidents in Demostad "
        f"(generated in {time.perf_counter() - t0:.1f}s)"
    )
    year = timezone.localdate().year
    base = "/g/demostad/incidenten/"
    targets = [
        ("bare: API keys page", "/g/demostad/api-sleutels/", args.runs),
        ("register, page 1", base, args.runs),
        ("register, page 40", base + "?pagina=40", args.runs),
        ("filtered list", base + f"?jaar={year}&ernst=3&sorteer=ernst&q=Incident", args.runs),
        ("filtered by theme, place", base + "?thema=1&plaats=Locatie+7", args.runs),
        ("patterns (rode draden)", base + f"rode-draden/?jaar={year}", args.runs),
        ("patterns, after a write", base + f"rode-draden/?jaar={year}&na=1", args.runs),
        ("patterns, nothing counted", base + f"rode-draden/?jaar={year}&koud=1", args.runs),
        ("incident detail", None, args.runs),
        ("xlsx export", base + "export.xlsx", 2),
    ]
    for role, membership in members.items():
        client = Client()
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        with scopes_disabled():
            first = visible_incidents(membership=membership).order_by("-occurred_at").first()
            latest = Incident.objects.filter(organisation=org, confidential=False).order_by("-occurred_at").first()
        print(f"\n{role}")
        print(f"{'page':<30}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}{'ratio':>8}")
        bare = None
        for label, url, runs in targets:
            url = url or f"{base}{first.pk}/"
            timings, writes = [], []
            client.get(url)  # warm up caches and the session
            for run in range(runs):
                if "na=1" in url:
                    # A write of this year (in its transaction): counts go, and are made again after the commit.
                    start = time.perf_counter()
                    with scopes_disabled(), transaction.atomic():
                        changed = Incident.objects.get(pk=latest.pk)
                        changed.title = f"Incident gewijzigd {run}"
                        changed.save()
                    writes.append((time.perf_counter() - start) * 1000)
                if "koud=1" in url:
                    cache.delete(ORG_KEY.format(org.pk))  # worst case: no counts at all (the reader counts)
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                allowed = (200, 302) if url.endswith(".xlsx") else (200,)
                assert response.status_code in allowed, (url, response.status_code)
            if url.endswith(".xlsx"):
                if response.status_code == 302:  # a background job (run inline here): its download
                    response = client.get(response.url + "downloaden/")
                sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Incidenten"]
                with scopes_disabled():
                    expected = visible_incidents(membership=membership).count()
                rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
                assert rows == expected, (rows, expected)
            p50 = statistics.median(timings)
            bare = bare or p50
            print(
                f"{label:<30}{p50:>10.1f}{percentile(timings, 0.95):>10.1f}"
                f"{len(ctx.captured_queries):>10}{p50 / bare:>7.1f}x"
            )
            if writes:
                label = "  (the write, incl. recount)"
                print(f"{label:<30}{statistics.median(writes):>10.1f}{percentile(writes, 0.95):>10.1f}")


if __name__ == "__main__":
    main()

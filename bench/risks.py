"""Benchmark: the risk and measure register with many rows.

Prints p50/p95 latency and query counts of the register pages, the integral view (heat map),
the xlsx export and the xlsx import (and the part of the import that holds the write lock: the
bulk writes after every row was checked). Target data: 500 assets, 2,000 risks, 5,000 measures;
``--scale 0.1`` runs a tenth of that. Runs against a throw-away SQLite file unless
BENCH_DATABASE_URL is set (e.g.
`scripts/with-postgres.sh .venv/bin/python bench/risks.py`).

Usage: .venv/bin/python bench/risks.py [--scale 1.0] [--runs 20] [--import-rows 200]
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
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of 500 assets / 2,000 risks / 5,000 measures"
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=200, help="rows per sheet in the import benchmark")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="weerbaar-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    os.environ["WEERBAAR_VAR_DIR"] = tmp
    import django

    django.setup()
    import io

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope, scopes_disabled
    from openpyxl import Workbook

    from weerbaar.core.audit import acting_as
    from weerbaar.core.demo import load_demo
    from weerbaar.core.models import Membership, Organisation
    from weerbaar.risks import excel
    from weerbaar.risks.content import load_threats
    from weerbaar.risks.testdata import generate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    sizes = {k: max(1, int(v * args.scale)) for k, v in {"assets": 500, "risks": 2000, "measures": 5000}.items()}
    t0 = time.perf_counter()
    with scopes_disabled(), acting_as(None, via="command"):
        load_demo()
        load_threats()
        org = Organisation.objects.get(slug="demostad")
        generate(organisation=org, **sizes)
        coordinator = Membership.objects.select_related("user").get(
            organisation=org, user__email="coordinator@demostad.example"
        )
    print(
        f"database: {connection.vendor}; data: {sizes['assets']} assets, {sizes['risks']} risks, "
        f"{sizes['measures']} measures (generated in {time.perf_counter() - t0:.1f}s)"
    )

    client = Client()
    client.force_login(coordinator.user, backend="django.contrib.auth.backends.ModelBackend")
    base = "/g/demostad/risico/"
    targets = [
        ("integral view + heat map", base, args.runs),
        ("risks, page 1", base + "risicos/", args.runs),
        ("risks, filtered, page 20", base + "risicos/?boven_grens=on&sorteer=bruto&pagina=20", args.runs),
        ("measures, page 1", base + "maatregelen/", args.runs),
        ("assets, page 1", base + "bedrijfsmiddelen/", args.runs),
        ("coverage", base + "dekking/", args.runs),
        ("budget", base + "begroting/", args.runs),
        ("xlsx export", base + "export.xlsx", max(3, args.runs // 5)),
    ]
    print(f"{'page':<28}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    for label, url, runs in targets:
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"{label:<28}{statistics.median(timings):>10.1f}{percentile(timings, 0.95):>10.1f}"
            f"{len(ctx.captured_queries):>10}"
        )

    # Import: a workbook with new assets, risks (linked to those assets) and measures.
    n = args.import_rows

    def workbook(run: int) -> bytes:
        wb = Workbook()
        wb.remove(wb.active)
        ws = wb.create_sheet(excel.ASSET_SHEET)
        ws.append(excel.ASSET_COLUMNS)
        for i in range(n):
            ws.append([f"IB{run}-{i}", f"Geïmporteerd middel {i}", "ICT-systemen", "hoog", "", "", ""])
        ws = wb.create_sheet(excel.RISK_SHEET)
        ws.append(excel.RISK_COLUMNS)
        for i in range(n):
            row = dict.fromkeys(excel.RISK_COLUMNS)
            row.update(
                {
                    "Kenmerk": f"IR{run}-{i}",
                    "Titel": f"Geïmporteerd risico {i}",
                    "Dreiging": "Cyberaanval (waaronder ransomware)",
                    "Bedrijfsmiddelen": f"IB{run}-{i}",
                    "Thema's": "Informatiebeveiliging",
                    "Bruto kans": 1 + i % 5,
                    "Bruto impact": 1 + (i * 3) % 5,
                }
            )
            ws.append([row[c] for c in excel.RISK_COLUMNS])
        ws = wb.create_sheet(excel.MEASURE_SHEET)
        ws.append(excel.MEASURE_COLUMNS)
        for i in range(n):
            row = dict.fromkeys(excel.MEASURE_COLUMNS)
            row.update(
                {
                    "Titel": f"Geïmporteerde maatregel {i}",
                    "Thema's": "Informatiebeveiliging",
                    "Doelen": "Detecteren",
                    "Risico's": f"IR{run}-{i}",
                    "Status": "gepland",
                    "Eenmalige kosten": 1000 + i,
                }
            )
            ws.append([row[c] for c in excel.MEASURE_COLUMNS])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    # How long the import holds the write lock: the time spent in its bulk writes.
    write_sheet, writes = excel._write_sheet, []

    def timed_write_sheet(*args, **kwargs):
        start = time.perf_counter()
        try:
            return write_sheet(*args, **kwargs)
        finally:
            writes[-1] += (time.perf_counter() - start) * 1000

    excel._write_sheet = timed_write_sheet
    timings, queries = [], 0
    for run in range(3):
        writes.append(0.0)
        content = workbook(run)
        upload = SimpleUploadedFile("bench.xlsx", content)
        counter = {"n": 0}

        def count(execute, sql, params, many, context, counter=counter):
            counter["n"] += 1
            return execute(sql, params, many, context)

        with scope(organisation=org.pk), acting_as(coordinator.user, via="web"), connection.execute_wrapper(count):
            start = time.perf_counter()
            result = excel.import_register(organisation=org, membership=coordinator, upload=upload)
            timings.append((time.perf_counter() - start) * 1000)
        queries = counter["n"]
        assert (result["assets"], result["risks"], result["measures"]) == (n, n, n), result
    label = f"xlsx import, {3 * n} rows"
    print(f"{label:<28}{statistics.median(timings):>10.1f}{percentile(timings, 0.95):>10.1f}{queries:>10}")
    label = "  of which write transaction"
    print(f"{label:<28}{statistics.median(writes):>10.1f}{max(writes):>10.1f}")


if __name__ == "__main__":
    main()

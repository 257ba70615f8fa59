"""Yearly report benchmark: Demostad's full demo (every app's demo data), report for the running year to PDF.

    .venv/bin/python bench/yearreport_pdf.py                     # throw-away SQLite database
    scripts/with-postgres.sh .venv/bin/python bench/yearreport_pdf.py
    BENCH_FULL=1 .venv/bin/python bench/yearreport_pdf.py        # plus 20,000 incidents, 2,000 actions (issue #12)

Prints the time to build the chapters (every registered section, including the reconstruction
of the risk picture from the audit trail) and to render them to PDF, and the total (target:
under 3 seconds). The first PDF includes WeasyPrint's one-off font set-up, so a cold and a warm
figure are printed; the Word rendering is printed beside it.
Without BENCH_DATABASE_URL it uses a temporary SQLite file, never the development database.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
os.environ["WEERBAAR_VAR_DIR"] = tempfile.mkdtemp(prefix="weerbaar-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
    f"sqlite:///{os.environ['WEERBAAR_VAR_DIR']}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from weerbaar.core.models import Membership, Organisation, Role  # noqa: E402
from weerbaar.yearreport import documents, selectors, services  # noqa: E402
from weerbaar.yearreport.models import YearReport  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TARGET = 3.0
# The size issue #12 names: 20,000 incidents and 2,000 actions in one municipality.
FULL = os.environ.get("BENCH_FULL", "") not in ("", "0")


def setup() -> tuple[Organisation, YearReport]:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        org = Organisation.objects.get(slug="demostad")
        coordinator = Membership.objects.get(organisation=org, role=Role.COORDINATOR)
        if FULL:
            from weerbaar.core.audit import acting_as
            from weerbaar.cycle.testdata import generate as generate_cycle
            from weerbaar.incidents.testdata import generate as generate_incidents

            t0 = time.perf_counter()
            with acting_as(None, via="command"):
                generate_incidents(organisation=org, incidents=20_000)
                generate_cycle(organisation=org, actions=2_000, checks=200)
            print(f"added 20,000 incidents and 2,000 actions in {time.perf_counter() - t0:.1f} s")
    with scope(organisation=org.pk):
        year = timezone.localdate().year
        report = YearReport.objects.filter(organisation=org, year=year).first() or services.report_build(
            organisation=org, membership=coordinator, year=year
        )
    return org, report


def main() -> None:
    org, report = setup()
    totals, chapters_t, pdf_t, word_t = [], [], [], []
    with scope(organisation=org.pk):
        for run in range(RUNS + 1):
            t0 = time.perf_counter()
            chapters = selectors.chapters_of(report)
            t1 = time.perf_counter()
            content = documents.render_pdf(report, chapters)
            t2 = time.perf_counter()
            documents.render_word(report, chapters)
            t3 = time.perf_counter()
            if run == 0:
                print(f"cold: chapters {t1 - t0:.2f} s, PDF {t2 - t1:.2f} s ({len(content) // 1024} kB)")
                continue
            chapters_t.append(t1 - t0)
            pdf_t.append(t2 - t1)
            word_t.append(t3 - t2)
            totals.append(t2 - t0)
    print(f"Demostad, yearly report {report.year}: {len(chapters)} chapters")
    print(f"chapters (median of {RUNS}): {statistics.median(chapters_t):.2f} s")
    print(f"PDF render (median):        {statistics.median(pdf_t):.2f} s")
    print(f"Word render (median):       {statistics.median(word_t):.2f} s")
    total = statistics.median(totals)
    print(f"yearly report to PDF:       {total:.2f} s (target < {TARGET:.0f} s) {'OK' if total < TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()

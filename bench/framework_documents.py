"""Framework document benchmark: a complete framework with 40 principles, rendered to Word and PDF.

    .venv/bin/python bench/framework_documents.py                     # throw-away SQLite database
    scripts/with-postgres.sh .venv/bin/python bench/framework_documents.py

Prints the time of each rendering (target: under 2 seconds each). The first PDF includes
WeasyPrint's one-off font set-up, so a cold and a warm figure are printed.
Without BENCH_DATABASE_URL it uses a temporary SQLite file, never the development database.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
# Never the development or production database: a throw-away SQLite file unless
# BENCH_DATABASE_URL names another (e.g. the PostgreSQL of scripts/with-postgres.sh).
os.environ["WEERBAAR_VAR_DIR"] = tempfile.mkdtemp(prefix="weerbaar-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
    f"sqlite:///{os.environ['WEERBAAR_VAR_DIR']}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from weerbaar.core.demo import load_demo  # noqa: E402
from weerbaar.core.models import Membership, Role  # noqa: E402
from weerbaar.framework import documents, services  # noqa: E402
from weerbaar.framework.demo import _fill  # noqa: E402
from weerbaar.framework.models import Step  # noqa: E402
from weerbaar.knowledge.content import load_catalogue, load_laws, load_themes  # noqa: E402
from weerbaar.knowledge.models import Law, Principle  # noqa: E402

PRINCIPLES = 40
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TARGET = 2.0


def build():
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        load_themes()
        load_laws()
        load_catalogue()
        org = next(o for o in load_demo() if o.slug == "demostad")
        coordinator = Membership.objects.get(organisation=org, role=Role.COORDINATOR)
    with scope(organisation=org.pk):
        framework = services.framework_start(organisation=org, membership=coordinator)
        version = framework.versions.get()
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
        category = catalogue[0].category
        for n in range(PRINCIPLES - len(items)):
            items.append(
                services.PrincipleInput(category=category, text=f"Eigen uitgangspunt {n + 1}.", goal_ids=goal_ids[:1])
            )
        entry = version.steps.get(step=Step.PRINCIPLES)
        services.step_save(entry=entry, expected_revision=entry.revision, membership=coordinator, principles=items)
        assert version.principles.count() == PRINCIPLES
    return org, version


def timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    size = len(fn())
    return time.perf_counter() - start, size


def main():
    org, version = build()
    with scope(organisation=org.pk):
        results = {}
        for label, fn in [
            ("word", lambda: documents.render_word(version)),
            ("pdf", lambda: documents.render_pdf(version)),
        ]:
            times, size = [], 0
            for _ in range(RUNS):
                seconds, size = timed(fn)
                times.append(seconds)
            results[label] = times
            print(
                f"{label}: {PRINCIPLES} principles, {size // 1024} KiB; cold {times[0]:.2f} s, "
                f"warm median {statistics.median(times[1:] or times):.2f} s (target < {TARGET:.0f} s)"
            )
    slow = [label for label, times in results.items() if statistics.median(times) >= TARGET]
    print("result:", "OK" if not slow else f"too slow: {', '.join(slow)}")


if __name__ == "__main__":
    main()

"""Self-scan benchmark: 342 municipalities x 3 closed rounds (32 answers each), all taking part in
the anonymous benchmark. Times Demostad's benchmark page (all municipalities, and filtered by
size class and province) against a bare page behind login (the API keys page), in-process.

    .venv/bin/python bench/selfscan_benchmark.py                     # throw-away SQLite database
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/selfscan_benchmark.py

Target (the speed issue): every page p50 at most 5x the bare page. Prints the figures.
Without BENCH_DATABASE_URL it uses a temporary SQLite file, never the development database.
"""

import datetime
import io
import os
import random
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from weerbaar.core.models import PROVINCES, Membership, Organisation, Role  # noqa: E402
from weerbaar.selfscan.models import Answer, Questionnaire, ScanRound, ScanSettings, ThemeAssignment  # noqa: E402

MUNICIPALITIES = int(os.environ.get("BENCH_MUNICIPALITIES", "342"))
ROUNDS = 3
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TARGET_RATIO = 5.0


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    rng = random.Random(342)  # noqa: S311 - test data
    with scopes_disabled():
        questionnaire = Questionnaire.objects.filter(status="published").order_by("-version").first()
        questions = list(questionnaire.questions.all())
        theme_ids = sorted({q.theme_id for q in questions})
        existing = Organisation.objects.count()
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Benchgemeente {i}",
                    slug=f"bench-{i}",
                    province=rng.choice(PROVINCES)[0],
                    inhabitants=int(rng.lognormvariate(10.3, 0.8)),
                )
                for i in range(max(0, MUNICIPALITIES - existing))
            ]
        )
        ScanSettings.objects.bulk_create([ScanSettings(organisation=o, benchmark_opt_in=True) for o in orgs])
        now = timezone.now()
        rounds = []
        for o in orgs:
            for r in range(ROUNDS):
                closed = now - datetime.timedelta(days=365 * (ROUNDS - 1 - r) + 10)
                rounds.append(
                    ScanRound(
                        organisation=o,
                        title=f"Scan {r + 1}",
                        questionnaire=questionnaire,
                        status=ScanRound.Status.CLOSED,
                        started_at=closed - datetime.timedelta(days=20),
                        closed_at=closed,
                    )
                )
        rounds = ScanRound.objects.bulk_create(rounds, batch_size=500)
        ThemeAssignment.objects.bulk_create(
            [
                ThemeAssignment(organisation_id=r.organisation_id, scan_round=r, theme_id=t)
                for r in rounds
                for t in theme_ids
            ],
            batch_size=2000,
        )
        Answer.objects.bulk_create(
            [
                Answer(organisation_id=r.organisation_id, scan_round=r, question=q, level=rng.randint(1, 5))
                for r in rounds
                for q in questions
            ],
            batch_size=2000,
        )
        print(
            f"data: {Organisation.objects.count()} municipalities, {ScanRound.objects.count()} rounds, "
            f"{Answer.objects.count()} answers"
        )


def timed(client: Client, url: str) -> list[float]:
    client.get(url)  # warm up
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    setup()
    with scopes_disabled():
        coordinator = Membership.objects.select_related("user").get(
            organisation__slug="demostad", role=Role.COORDINATOR
        )
    client = Client()
    client.force_login(coordinator.user, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        ("bare: API keys page", "/g/demostad/api-sleutels/"),
        ("benchmark, all municipalities", "/g/demostad/zelfscan/vergelijking/"),
        ("benchmark, size class", "/g/demostad/zelfscan/vergelijking/?grootte=middel"),
        ("benchmark, size class + province", "/g/demostad/zelfscan/vergelijking/?grootte=middel&provincie=UT"),
        ("self-scan overview", "/g/demostad/zelfscan/"),
    ]
    bare = None
    print(f"{'page':36} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6}  target")
    for label, url in pages:
        times = sorted(timed(client, url))
        p50 = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        bare = bare or p50
        ratio = p50 / bare
        verdict = "—" if url == pages[0][1] else ("ok" if ratio <= TARGET_RATIO else "missed")
        print(f"{label:36} {p50:8.1f} {p95:8.1f} {ratio:5.1f}x  {verdict}")


if __name__ == "__main__":
    main()

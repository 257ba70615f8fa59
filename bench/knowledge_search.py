"""Knowledge base search benchmark: 10,000 generated items, p50/p95 latency and queries per page.

    .venv/bin/python bench/knowledge_search.py                     # throw-away SQLite database
    scripts/with-postgres.sh .venv/bin/python bench/knowledge_search.py   # throw-away PostgreSQL

Without BENCH_DATABASE_URL it uses a temporary SQLite file, never the development database.
"""

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
# Never the development or production database: a throw-away SQLite file unless
# BENCH_DATABASE_URL names another (e.g. the PostgreSQL of scripts/with-postgres.sh).
os.environ["WEERBAAR_VAR_DIR"] = tempfile.mkdtemp(prefix="weerbaar-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
    f"sqlite:///{os.environ['WEERBAAR_VAR_DIR']}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from weerbaar.knowledge import selectors  # noqa: E402
from weerbaar.knowledge.content import load_all  # noqa: E402
from weerbaar.knowledge.models import BuildingBlock, GlossaryTerm, Theme  # noqa: E402
from weerbaar.knowledge.search import rebuild_index  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
QUERIES = ["beveiligingsrisico's", "continuiteit", "risico", "screening", "toegang pas", "agressie balie", "bio2"]
WORDS = (
    "gemeente beveiliging risico maatregel toegang pas screening integriteit informatie incident agressie balie "
    "continuïteit bewustwording oefening ondermijning bestuur raad college archief camera sleutel ENSIA BIO2 "
    "beveiligingsrisico's weerbaarheid dreiging kwetsbaarheid medewerker bezoeker"
).split()


def text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(n: int) -> None:
    rng = random.Random(42)
    themes = list(Theme.objects.all())
    half = n // 2
    BuildingBlock.objects.bulk_create(
        [
            BuildingBlock(
                slug=f"bench-bouwsteen-{i}",
                theme=rng.choice(themes),
                title=text(rng, 5),
                summary=text(rng, 25),
                what=text(rng, 80),
                why=text(rng, 60),
            )
            for i in range(half)
        ],
        batch_size=500,
    )
    GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(slug=f"bench-begrip-{i}", term=text(rng, 3), definition=text(rng, 60)) for i in range(n - half)],
        batch_size=500,
    )


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        load_all()
        t = time.perf_counter()
        generate(ITEMS)
        count = rebuild_index()
        print(f"generated {ITEMS} items; index rebuilt with {count} documents in {time.perf_counter() - t:.1f} s")
        user, _ = get_user_model().objects.get_or_create(
            email="bench@weerbaar.example", defaults={"full_name": "Bench"}
        )

    timings = []
    for _ in range(5):
        for q in QUERIES:
            for page in (1, 3):
                t = time.perf_counter()
                result, _terms = selectors.search_page(query=q, page=page)
                list(result.object_list)
                timings.append((time.perf_counter() - t) * 1000)
    print(
        f"search (selector, {len(timings)} runs): p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 95):.1f} ms"
    )

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page_timings, query_counts = [], []
    for q in QUERIES:
        for extra in ({}, {"soort": "bouwsteen"}, {"thema": "integriteit"}, {"pagina": 5}):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get("/kennisbank/zoeken/", {"q": q, **extra})
                page_timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
            query_counts.append(len(ctx.captured_queries))
    print(
        f"search page (full request, {len(page_timings)} runs): p50 {statistics.median(page_timings):.1f} ms, "
        f"p95 {percentile(page_timings, 95):.1f} ms"
    )
    print(f"queries per page: min {min(query_counts)}, max {max(query_counts)}")


if __name__ == "__main__":
    main()

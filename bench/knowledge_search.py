"""Knowledge base search benchmark: 10,000 generated items, p50/p95 latency and queries per page.

    .venv/bin/python bench/knowledge_search.py                     # throw-away SQLite database
    scripts/with-postgres.sh .venv/bin/python bench/knowledge_search.py   # throw-away PostgreSQL
    BENCH_TEXT=uniform .venv/bin/python bench/knowledge_search.py  # worst case: 30 words, all match

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
# BENCH_TEXT=uniform: the old worst case, every text drawn evenly from 30 words, so "risico"
# is in ~95% of all documents. The default is closer to real writing: each item has a few topic
# words, some other subject words and mostly ordinary Dutch, so a subject word is in a minority.
TEXT = os.environ.get("BENCH_TEXT", "realistic")
WORDS = (
    "gemeente beveiliging risico maatregel toegang pas screening integriteit informatie incident agressie balie "
    "continuïteit bewustwording oefening ondermijning bestuur raad college archief camera sleutel ENSIA BIO2 "
    "beveiligingsrisico's weerbaarheid dreiging kwetsbaarheid medewerker bezoeker"
).split()
SUBJECT = (
    WORDS
    + (
        "afspraak beleid plan rol proces systeem gebouw locatie leverancier contract wachtwoord back-up herstel "
        "crisis melding datalek privacy verwerking autorisatie logging netwerk server werkplek laptop telefoon "
        "evenement ondernemer vergunning handhaving toezicht audit rapportage begroting budget opleiding training "
        "alarm brand evacuatie ontruiming bewaking receptie post pakket sleutelbeheer inbraak diefstal fraude "
        "omkoping belangenverstrengeling nevenfunctie geheimhouding klokkenluider vertrouwenspersoon"
    ).split()
)
COMMON = (
    "de het een en van in is op te dat voor met zijn niet aan ook als bij door om worden wordt of naar dan kan "
    "moet over wel nog alle deze die hun onze uit tot na zo per zonder tussen tijdens binnen buiten elke iedere "
    "goed snel duidelijk belangrijk vaak soms altijd eerst daarna samen verder nieuwe eigen andere grote kleine "
    "afdeling team collega leidinggevende inwoner organisatie werk dag week jaar keer manier vraag antwoord "
    "doel stap punt deel lijst overzicht afspraken zaken mensen gegevens middelen kosten tijd ruimte"
).split()


def text(rng: random.Random, n: int, topic: list[str] | None = None) -> str:
    if TEXT == "uniform" or topic is None:
        words = [rng.choice(WORDS) for _ in range(n)]
    else:
        words = []
        for _ in range(n):
            roll = rng.random()
            pool = topic if roll < 0.2 else SUBJECT if roll < 0.24 else COMMON
            words.append(rng.choice(pool))
    return " ".join(words).capitalize() + "."


def generate(n: int) -> None:
    rng = random.Random(42)
    themes = list(Theme.objects.all())
    half = n // 2

    def topic() -> list[str] | None:
        return None if TEXT == "uniform" else rng.sample(SUBJECT, 4)

    blocks = []
    for i in range(half):
        words = topic()
        blocks.append(
            BuildingBlock(
                slug=f"bench-bouwsteen-{i}",
                theme=rng.choice(themes),
                title=text(rng, 5, words and [*words, *words, *rng.sample(COMMON, 2)]),
                summary=text(rng, 25, words),
                what=text(rng, 80, words),
                why=text(rng, 60, words),
            )
        )
    BuildingBlock.objects.bulk_create(blocks, batch_size=500)
    terms = []
    for i in range(n - half):
        words = topic()
        terms.append(
            GlossaryTerm(
                slug=f"bench-begrip-{i}",
                term=text(rng, 3, words and [*words, *words, *rng.sample(COMMON, 2)]),
                definition=text(rng, 60, words),
            )
        )
    GlossaryTerm.objects.bulk_create(terms, batch_size=500)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    print(f"database: {connection.vendor}; text: {TEXT}")
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        load_all()
        t = time.perf_counter()
        generate(ITEMS)
        count = rebuild_index()
        print(f"generated {ITEMS} items; index rebuilt with {count} documents in {time.perf_counter() - t:.1f} s")
        for q in QUERIES:
            paginator = selectors.search_page(query=q)[0].paginator
            more = "more than " if getattr(paginator.object_list, "capped", False) else ""
            print(f"  {q!r}: {more}{paginator.count} results")
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

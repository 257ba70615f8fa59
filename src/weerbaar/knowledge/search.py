"""Full-text search across the knowledge base.

Every published item becomes one :class:`SearchDocument` (title, plain body, folded copies).
SQLite searches an FTS5 table (``unicode61 remove_diacritics 2``) ranked by bm25; PostgreSQL
searches a generated ``dutch`` tsvector over the folded copies (GIN index, kept inside the row:
migration 0006), title matches first (a title vector with its own index: migration 0007), then by ts_rank; a very
broad query ranks only its best candidates and counts "meer dan 500". Both get the same
normalised query: folded, Dutch possessive/plural endings stripped, every term a prefix, so
"beveiligingsrisico's" finds "beveiligingsrisico" and "continuiteit" finds "continuïteit".
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import (
    BuildingBlock,
    FieldExample,
    FrameworkStep,
    GlossaryTerm,
    GovernanceVariant,
    Law,
    PdcaStep,
    Principle,
    ScopeElement,
    SearchDocument,
    SecurityGoal,
    Status,
    StepActivity,
    StepExample,
    Theme,
)

FTS_TABLE = "knowledge_search_fts"

# Kind code of a search document -> the label shown beside a result.
KINDS = {
    "thema": _("Thema"),
    "bouwsteen": _("Bouwsteen"),
    "begrip": _("Begrip"),
    "wet": _("Wet of norm"),
    "voorbeeld": _("Voorbeeld of tip"),
    "stap": _("Stap van het strategisch kader"),
    "activiteit": _("Activiteit bij een stap"),
    "voorbeeldtekst": _("Voorbeeldtekst bij een stap"),
    "scope": _("Onderdeel van de reikwijdte"),
    "doel": _("Beveiligingsdoel"),
    "uitgangspunt": _("Uitgangspunt"),
    "pdca": _("Stap van de kwaliteitscyclus"),
    "governance": _("Manier om de beveiliging te organiseren"),
}
# The type filter offers what a reader looks for, not the internal kinds (value of ?soort=).
KIND_GROUPS = {
    "bouwstenen": (_("Thema's en bouwstenen"), ("thema", "bouwsteen")),
    "voorbeelden": (_("Voorbeelden en tips"), ("voorbeeld",)),
    "begrippen": (_("Begrippen"), ("begrip",)),
    "wetten": (_("Wetten en normen"), ("wet",)),
    "kader": (
        _("Strategisch kader: stappen, doelen en uitgangspunten"),
        ("stap", "activiteit", "voorbeeldtekst", "scope", "doel", "uitgangspunt", "pdca", "governance"),
    ),
}


def kinds_for(value: str) -> tuple[str, ...]:
    """The document kinds a filter value stands for: a group, or one kind; empty for all."""
    if value in KIND_GROUPS:
        return KIND_GROUPS[value][1]
    if value in KINDS:
        return (value,)
    return ()


MODEL_KINDS = {
    Theme: "thema",
    BuildingBlock: "bouwsteen",
    GlossaryTerm: "begrip",
    Law: "wet",
    FieldExample: "voorbeeld",
    FrameworkStep: "stap",
    StepActivity: "activiteit",
    StepExample: "voorbeeldtekst",
    ScopeElement: "scope",
    SecurityGoal: "doel",
    Principle: "uitgangspunt",
    PdcaStep: "pdca",
    GovernanceVariant: "governance",
}


def fold(text: str) -> str:
    """Lower case without diacritics: 'Continuïteit' -> 'continuiteit'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_MARKDOWN = [
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: keep the text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s*[-*+]\s+", re.M), ""),
    (re.compile(r"[*_`>]{1,3}"), ""),
    (re.compile(r"\s+"), " "),
]


def plain(markdown_text: str) -> str:
    text = markdown_text or ""
    for pattern, repl in _MARKDOWN:
        text = pattern.sub(repl, text)
    return text.strip()


# --- Documents ---------------------------------------------------------------------------------


def _theme_slugs(slugs: Iterable[str]) -> str:
    slugs = sorted(set(slugs))
    return f" {' '.join(slugs)} " if slugs else ""


def _document(item) -> SearchDocument:
    kind = MODEL_KINDS[type(item)]
    themes: list[str] = []
    if isinstance(item, Theme):
        title, body, themes = item.name, f"{item.summary}\n{item.body}", [item.slug]
    elif isinstance(item, BuildingBlock):
        title = item.title
        body = "\n".join([item.summary, item.what, item.why, item.how_to_start, item.pitfalls, item.good_looks_like])
        themes = [item.theme.slug]
    elif isinstance(item, GlossaryTerm):
        title, body, themes = item.term, item.definition, [t.slug for t in item.themes.all()]
    elif isinstance(item, Law):
        title = item.name
        body = f"{item.reference}\n{item.description}"
        themes = [t.slug for t in item.themes.all()]
    elif isinstance(item, FieldExample):
        title, body, themes = item.title, f"{item.body}\n{item.source}", [item.theme.slug]
    elif isinstance(item, FrameworkStep):
        title, body = str(item), f"{item.explanation}\n{item.why}"
    elif isinstance(item, StepActivity):
        title, body = f"{item.step.name}: {plain(item.text)[:200]}", item.text
    elif isinstance(item, StepExample):
        title, body = item.title, item.text
    elif isinstance(item, ScopeElement):
        title, body = item.name, item.description
    elif isinstance(item, SecurityGoal):
        title, body = item.name, f"{item.name_en}\n{item.explanation}"
    elif isinstance(item, Principle):
        title, body = plain(item.text)[:200], f"{item.text}\n{item.category.name}"
    elif isinstance(item, PdcaStep):
        title, body = item.name, item.explanation
    elif isinstance(item, GovernanceVariant):
        title = item.name
        body = "\n".join([item.description, item.suits_when, *item.pros, *item.cons])
    else:  # pragma: no cover - every model in MODEL_KINDS is handled above
        raise TypeError(type(item))
    title, body = title[:300], plain(body)
    return SearchDocument(
        kind=kind,
        object_id=item.pk,
        title=title,
        body=body,
        url=item.get_absolute_url(),
        themes=_theme_slugs(themes),
        folded_title=fold(title),
        folded_body=fold(body),
    )


def _published(model):
    qs = model.objects.filter(status=Status.PUBLISHED)
    if model in (BuildingBlock, FieldExample):
        qs = qs.select_related("theme")
    if model in (StepActivity, StepExample):
        qs = qs.select_related("step")
    if model is Principle:
        qs = qs.select_related("category")
    if model in (GlossaryTerm, Law):
        qs = qs.prefetch_related("themes")
    return qs


def _fts_insert(docs: list[SearchDocument]) -> None:
    if connection.vendor != "sqlite" or not docs:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608 - constant name
            [(d.pk, d.folded_title, d.folded_body) for d in docs],
        )


def _fts_delete(ids: list[int]) -> None:
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in ids])  # noqa: S608


@transaction.atomic
def rebuild_index() -> int:
    """Rebuild every search document from the published content. Returns the count."""
    docs = [_document(item) for model in MODEL_KINDS for item in _published(model)]
    SearchDocument.objects.all().delete()
    created = SearchDocument.objects.bulk_create(docs, batch_size=500)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        if created and created[0].pk is None:  # pragma: no cover - SQLite returns ids since 3.35
            created = list(SearchDocument.objects.all())
        _fts_insert(created)
    return len(created)


@transaction.atomic
def index_item(item) -> None:
    """Bring one item's search document up to date (after an editor's save or a publication)."""
    kind = MODEL_KINDS[type(item)]
    old = list(SearchDocument.objects.filter(kind=kind, object_id=item.pk).values_list("pk", flat=True))
    _fts_delete(old)
    SearchDocument.objects.filter(pk__in=old).delete()
    if item.status == Status.PUBLISHED:
        doc = _document(item)
        doc.save()
        _fts_insert([doc])


# --- Querying ----------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"(\w)['’‘`]s\b")
_HYPHEN_S = re.compile(r"(\w{3,})-s\b")


def _stem(word: str) -> str:
    # Light Dutch stemming; every term is used as a prefix, so cutting a little is harmless.
    if len(word) > 6 and word.endswith("en"):
        return word[:-2]
    if len(word) > 5 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def query_terms(query: str) -> list[str]:
    """The normalised terms of a user's query (at most ten)."""
    text = _HYPHEN_S.sub(r"\1", _POSSESSIVE.sub(r"\1", fold(query)))
    terms: list[str] = []
    for word in re.findall(r"[a-z0-9]+", text):
        word = _stem(word)
        if len(word) >= 2 and word not in terms:
            terms.append(word)
    return terms[:10]


class _Results:
    """A lazy, sliceable result list for Paginator: the filters on kind and theme beside the
    database's own match, and what Paginator asks of a sequence. Each database counts
    (``count``) and reads one page (``_page``) its own way."""

    capped = False  # True when the count stopped at a cap (the page says "meer dan ...")

    def __init__(self, match: str, match_param: str, kinds: tuple[str, ...], theme: str):
        self.where = [match]
        self.params: list = [match_param]
        if kinds:
            self.where.append(f"d.kind IN ({', '.join(['%s'] * len(kinds))})")
            self.params.extend(kinds)
        if theme:
            self.where.append("d.themes LIKE %s")
            self.params.append(f"% {theme} %")
        self._count = None

    def count(self) -> int:
        raise NotImplementedError

    def _page(self, start: int, stop: int) -> list:
        raise NotImplementedError

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self._page(index.start or 0, index.stop)


class _FtsResults(_Results):
    """SQLite: one COUNT and one page query on the FTS5 index, ranked by bm25."""

    def __init__(self, terms: list[str], kinds: tuple[str, ...], theme: str):
        super().__init__(f"{FTS_TABLE} MATCH %s", " ".join(f'"{t}"*' for t in terms), kinds, theme)

    def _from(self) -> str:
        # CROSS JOIN makes SQLite drive the join from the full-text match; otherwise it may walk
        # the kind index and re-run the MATCH for every row (seconds instead of milliseconds).
        return (
            f"FROM {FTS_TABLE} CROSS JOIN knowledge_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {' AND '.join(self.where)}"
        )

    def count(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) {self._from()}", self.params)  # noqa: S608
                self._count = cursor.fetchone()[0]
        return self._count

    def _page(self, start: int, stop: int) -> list:
        sql = (
            f"SELECT d.* {self._from()} "  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0), d.id LIMIT %s OFFSET %s"
        )
        return list(SearchDocument.objects.raw(sql, [*self.params, stop - start, start]))


# A query that matches more documents than this shows "meer dan ..." and ranks only the best
# candidates: every match in a title, then the first body-only matches (see _PostgresResults).
RESULT_CAP = 500
PG_COLUMNS = ", ".join(f"d.{f.column}" for f in SearchDocument._meta.concrete_fields)


class _PostgresResults(_Results):
    """PostgreSQL: a capped COUNT and one page query.

    Ranking a broad query with ``ts_rank`` over every match reads every matching document's
    vector (about 9,500 of 10,000 for "risico"). Instead the order is: documents with a query
    word in the title first (found through the title index), then the others; within each
    group by ``ts_rank``, then id. At most ``RESULT_CAP`` documents of each group are ranked
    (the lowest ids), and the list stops after ``RESULT_CAP`` results: past that the count
    reads "meer dan 500" (``capped``). A query with fewer matches gets the complete ranked list.
    """

    def __init__(self, terms: list[str], kinds: tuple[str, ...], theme: str):
        self.all_terms = " & ".join(f"{t}:*" for t in terms)  # terms are [a-z0-9] only
        self.any_term = " | ".join(f"{t}:*" for t in terms)
        super().__init__("d.search_vector @@ to_tsquery('dutch'::regconfig, %s)", self.all_terms, kinds, theme)
        self.cap = RESULT_CAP

    def count(self) -> int:
        if self._count is None:
            sql = (
                "SELECT COUNT(*) FROM (SELECT 1 FROM knowledge_searchdocument d "  # noqa: S608 - constant SQL
                f"WHERE {' AND '.join(self.where)} LIMIT %s) matches"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*self.params, self.cap + 1])
                found = cursor.fetchone()[0]
            self.capped = found > self.cap
            self._count = min(found, self.cap)
        return self._count

    def _page(self, start: int, stop: int) -> list:
        stop = min(stop, self.cap)
        if stop <= start:
            return []
        where = " AND ".join(self.where)
        # title_vector: the title's own Dutch vector with a GIN index (migration 0007).
        in_title = "d.title_vector @@ to_tsquery('dutch'::regconfig, %s)"
        rank = "ts_rank(d.search_vector, to_tsquery('dutch'::regconfig, %s))"
        sql = (
            "WITH title AS MATERIALIZED ("  # noqa: S608 - constant SQL, every value a parameter
            f"  SELECT d.id, 0 AS tier, {rank} AS rank FROM knowledge_searchdocument d"
            f"  WHERE {in_title} AND {where} ORDER BY d.id LIMIT %s"
            "), body AS MATERIALIZED ("
            f"  SELECT d.id, 1 AS tier, {rank} AS rank FROM knowledge_searchdocument d"
            f"  WHERE {where} AND d.id NOT IN (SELECT id FROM title) ORDER BY d.id LIMIT %s"
            "), page AS ("
            "  SELECT * FROM title UNION ALL SELECT * FROM body ORDER BY tier, rank DESC, id LIMIT %s OFFSET %s"
            ") "
            # Not d.*: the vectors are of no use to the page and costly to read out.
            f"SELECT {PG_COLUMNS} FROM page JOIN knowledge_searchdocument d ON d.id = page.id "
            "ORDER BY page.tier, page.rank DESC, page.id"
        )
        params = [
            *(self.all_terms, self.any_term, *self.params, self.cap),
            *(self.all_terms, *self.params, self.cap),
            *(stop - start, start),
        ]
        return list(SearchDocument.objects.raw(sql, params))


def search(query: str, *, kind: str = "", theme: str = ""):
    """Ranked documents for a query: a sliceable, countable sequence (feed it to a Paginator)."""
    terms = query_terms(query)
    if not terms:
        return []
    kinds = kinds_for(kind)
    if connection.vendor == "sqlite":
        return _FtsResults(terms, kinds, theme)
    if connection.vendor == "postgresql":
        return _PostgresResults(terms, kinds, theme)
    qs = SearchDocument.objects.all()  # other databases: a plain, unranked fallback
    for term in terms:
        qs = qs.filter(folded_title__contains=term) | qs.filter(folded_body__contains=term)
    return qs.filter(kind__in=kinds) if kinds else qs


# --- "Bedoelde u ...?" -------------------------------------------------------------------------

_vocabulary_cache: dict = {}


def _vocabulary() -> tuple[list[str], list[str]]:
    """The words of the indexed titles, and of titles and texts together (folded, 4+ letters).

    Kept in memory until the index changes (a new document gets a new id, so count and highest
    id together notice every change).
    """
    from django.db.models import Count, Max

    state = SearchDocument.objects.aggregate(n=Count("id"), last=Max("id"))
    key = (connection.alias, state["n"], state["last"])
    if _vocabulary_cache.get("key") != key:
        titles: set[str] = set()
        everything: set[str] = set()
        for title, body in SearchDocument.objects.values_list("folded_title", "folded_body").iterator():
            words = set(re.findall(r"[a-z0-9]{4,}", title))
            titles |= words
            everything |= words | set(re.findall(r"[a-z]{4,}", body))
        _vocabulary_cache.clear()
        _vocabulary_cache.update(key=key, value=(sorted(titles), sorted(everything)))
    return _vocabulary_cache["value"]


def _closest(word: str, candidates: list[str]) -> str | None:
    near = [c for c in candidates if abs(len(c) - len(word)) <= 2]
    match = difflib.get_close_matches(word, near, n=1, cutoff=0.75)
    return match[0] if match else None


def suggest(query: str, *, kind: str = "", theme: str = "") -> str | None:
    """A corrected query for one that found nothing ("zonerng" -> "zonering"), if that finds
    something; words from titles are preferred over words from texts."""
    words = re.findall(r"[a-z0-9]+", fold(query))[:10]
    if not words:
        return None
    titles, everything = _vocabulary()
    known = set(everything)
    corrected, changed = [], False
    for word in words:
        if len(word) < 4 or word in known or any(w.startswith(word) for w in titles):
            corrected.append(word)
            continue
        better = _closest(word, titles) or _closest(word, everything)
        corrected.append(better or word)
        changed = changed or better is not None
    if not changed:
        return None
    suggestion = " ".join(corrected)
    results = search(suggestion, kind=kind, theme=theme)
    if isinstance(results, list) or not results.count():
        return None
    return suggestion


# --- Highlighting ------------------------------------------------------------------------------


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    chars, index = [], []
    for i, ch in enumerate(text):
        for c in fold(ch):
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    if not terms or not text:
        return []
    folded, index = _folded_with_map(text)
    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(t) for t in terms) + r")[a-z0-9]*")
    return [(index[m.start()], index[m.end() - 1] + 1) for m in pattern.finditer(folded)]


def highlight(text: str, terms: list[str], *, window: int | None = None) -> SafeString:
    """Escape ``text`` and wrap every match in <mark>; with ``window``, cut a snippet around the first."""
    spans = _match_spans(text, terms)
    start, end = 0, len(text)
    if window is not None and len(text) > window:
        first = spans[0][0] if spans else 0
        start = max(0, first - window // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + window)
        space = text.rfind(" ", start, end)
        if end < len(text) and space > start:
            end = space
    parts, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(f'<mark class="utrecht-mark">{escape(text[s:e])}</mark>')
        pos = e
    parts.append(escape(text[pos:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece is escaped above

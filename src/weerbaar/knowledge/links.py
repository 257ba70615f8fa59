"""The link check: which outside addresses the knowledge base refers to, and do they still answer.

Laws carry the address of their official text; building blocks, terms, examples and themes may
link out in their Markdown. :func:`check_all` asks every address once (HEAD, falling back to a
small GET for servers that refuse HEAD), a few at a time, and stores the outcome in
:class:`ExternalLink`. The background job in :mod:`weerbaar.knowledge.tasks` runs it.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import BuildingBlock, ExternalLink, FieldExample, GlossaryTerm, Law, Status, Theme

TIMEOUT_SECONDS = 15
WORKERS = 6
USER_AGENT = "Weerbaar-linkcontrole/1.0 (+kennisbank)"
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+", re.I)

# Text fields that may hold Markdown links, per model.
_TEXT_FIELDS = {
    BuildingBlock: ("summary", "what", "why", "how_to_start", "pitfalls", "good_looks_like"),
    GlossaryTerm: ("definition",),
    FieldExample: ("body",),
    Theme: ("summary", "body"),
    Law: ("description",),
}


def _title(item) -> str:
    return str(getattr(item, "title", None) or getattr(item, "name", None) or getattr(item, "term", None) or item)


def collect() -> dict[str, list[dict]]:
    """Every outside address in the content (drafts included: they will be published), with the
    items that use it."""
    found: dict[str, list[dict]] = {}

    def add(url: str, item) -> None:
        url = url.rstrip(".,;:")
        users = found.setdefault(url, [])
        entry = {"title": _title(item), "url": item.get_absolute_url()}
        if entry not in users:
            users.append(entry)

    for model, fields in _TEXT_FIELDS.items():
        qs = model.objects.exclude(status=Status.RETIRED)
        if model in (BuildingBlock, FieldExample):
            qs = qs.select_related("theme")
        for item in qs:
            for field in fields:
                for url in _URL.findall(getattr(item, field) or ""):
                    add(url, item)
    for law in Law.objects.exclude(status=Status.RETIRED).exclude(url=""):
        add(law.url, law)
    return found


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""


def _request(url: str, method: str) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only
    if method == "GET":
        request.add_header("Range", "bytes=0-1023")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
        if method == "GET":
            response.read(1024)
        return response.status


def check(url: str) -> Outcome:
    """Does the address answer with a page? Never raises."""
    if not url.lower().startswith(("http://", "https://")):
        return Outcome(ok=False, error="geen http- of https-adres")
    try:
        try:
            status = _request(url, "HEAD")
        except urllib.error.HTTPError as e:
            if e.code not in (403, 405, 501):
                raise
            status = _request(url, "GET")  # some servers refuse HEAD but serve the page
    except urllib.error.HTTPError as e:
        return Outcome(ok=False, status_code=e.code, error=str(e.reason or "")[:300])
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        return Outcome(ok=False, error=str(reason)[:300])
    return Outcome(ok=status < 400, status_code=status)


def check_all() -> dict[str, int]:
    """Check every address the content refers to; store the outcomes. Returns counts."""
    found = collect()
    urls = sorted(found)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = dict(zip(urls, pool.map(check, urls), strict=True))
    now = timezone.now()
    with transaction.atomic():
        ExternalLink.objects.exclude(url__in=urls).delete()
        existing = {link.url: link for link in ExternalLink.objects.filter(url__in=urls)}
        for url in urls:
            outcome = outcomes[url]
            link = existing.get(url) or ExternalLink(url=url)
            if outcome.ok:
                link.failing_since = None
            elif link.failing_since is None:
                link.failing_since = now
            link.ok = outcome.ok
            link.status_code = outcome.status_code
            link.error = outcome.error
            link.checked_at = now
            link.used_by = found[url]
            link.save()
    broken = sum(1 for o in outcomes.values() if not o.ok)
    return {"checked": len(urls), "broken": broken}

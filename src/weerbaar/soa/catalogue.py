"""The BIO2 catalogue: numbers, chapters and statuses of the government measures (v1.3).

The numbers ship as facts in ``content/bio2-measures.tsv`` (copied from the MinBZK repository);
the descriptions in ``content/bio2-descriptions.yaml`` are our own words, never the BIO2's text,
and every page links to the source. :func:`load_catalogue` is idempotent: the data migration
runs it on every installation, and running it again after a new version of the files updates
rows in place by number.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parent / "content"
TSV = CONTENT / "bio2-measures.tsv"
DESCRIPTIONS = CONTENT / "bio2-descriptions.yaml"
NUMBER = re.compile(r"^\d\.\d{2}\.\d{2}$")

# ISO/IEC 27002:2022 chapters as the TSV names them, in the norm's order, with a Dutch heading.
CHAPTERS = {
    "organisatorisch": "Organisatorische maatregelen (5)",
    "mensgericht": "Mensgerichte maatregelen (6)",
    "fysiek": "Fysieke maatregelen (7)",
    "technologisch": "Technologische maatregelen (8)",
}
VERSION = "BIO2 v1.3"


@dataclass(frozen=True)
class Row:
    number: str
    chapter: str
    status: str
    moved_to: str
    order: int


def read_rows(path: Path = TSV) -> list[Row]:
    """The rows of the TSV; a malformed line is a packaging error and raises."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, chapter, status = (part.strip() for part in line.split("\t"))
        if not NUMBER.match(number) or chapter not in CHAPTERS:
            raise ValueError(f"bad BIO2 line: {line!r}")
        moved_to = ""
        if status.startswith("moved-to "):
            status, moved_to = "moved", status.removeprefix("moved-to ").strip()
        if status not in ("measure", "no-government-measure", "moved", "withdrawn"):
            raise ValueError(f"bad BIO2 status: {line!r}")
        rows.append(Row(number, chapter, status, moved_to, len(rows) + 1))
    return rows


@functools.cache
def _texts() -> dict:
    return yaml.safe_load(DESCRIPTIONS.read_text(encoding="utf-8"))


def source_url() -> str:
    return _texts()["source_url"]


def source_repository() -> str:
    return _texts()["source_repository"]


def title_for(number: str) -> str:
    """The subject of the ISO control a number belongs to (``5.15.01`` → toegangsbeveiliging)."""
    return _texts()["titles"].get(number[:4], "")


def description_for(row: Row) -> str:
    own = _texts()["measures"].get(row.number)
    if own:
        return own
    title = title_for(row.number).lower() or "dit onderwerp"
    if row.status == "no-government-measure":
        return (
            f"Geen eigen overheidsmaatregel voor {title}: volg de aanwijzingen bij de ISO 27002. "
            "Wie daarvan afwijkt, onderbouwt dat met een risicoanalyse in de verklaring van toepasselijkheid."
        )
    if row.status == "moved":
        return f"Verplaatst naar {row.moved_to}."
    if row.status == "withdrawn":
        return f"Vervallen in {VERSION}."
    return ""


def load_catalogue(model) -> tuple[int, int]:
    """Create or update every BIO2 number on ``model`` (the historical one in a migration).

    Returns (created, updated). Numbers no longer in the file are left alone: municipal data
    may point at them.
    """
    existing = {m.number: m for m in model.objects.all()}
    created = updated = 0
    new = []
    for row in read_rows():
        values = {
            "chapter": row.chapter,
            "status": row.status,
            "moved_to": row.moved_to,
            "description": description_for(row),
            "order": row.order,
        }
        obj = existing.get(row.number)
        if obj is None:
            new.append(model(number=row.number, **values))
            created += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            updated += 1
    model.objects.bulk_create(new)
    return created, updated

"""The catalogue of incident types that ships with Weerbaar (content/incident_types.yaml).

Loaded like the risks' threat catalogue: idempotent, matched by slug and updated in place;
municipalities never change it (they add their own :class:`LocalIncidentType`).
"""

from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from weerbaar.knowledge.models import Theme

from .models import IncidentType, ReportKind

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@cache
def catalogue() -> list[dict]:
    with (CONTENT_DIR / "incident_types.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


@transaction.atomic
def load_incident_types() -> int:
    items = catalogue()
    themes = {t.slug: t.pk for t in Theme.objects.all()}
    for order, item in enumerate(items, start=1):
        reports = [r for r in item.get("reports") or [] if r in ReportKind.values]
        defaults = {
            "name": item["name"],
            "description": (item.get("description") or "").strip(),
            "confidential": bool(item.get("confidential", False)),
            "reports": reports,
            "order": order,
        }
        kind, created = IncidentType.objects.get_or_create(slug=item["slug"], defaults=defaults)
        if not created and any(getattr(kind, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(kind, k, v)
            kind.save()
        wanted = {themes[s] for s in item.get("themes") or [] if s in themes}
        if set(kind.themes.values_list("pk", flat=True)) != wanted:
            kind.themes.set(sorted(wanted))
    return len(items)

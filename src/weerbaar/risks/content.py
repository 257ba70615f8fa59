"""The national threat catalogue that ships with Weerbaar (content/threats.yaml).

Idempotent: threats are matched by slug and updated in place; municipalities never change
them (they add their own :class:`~weerbaar.risks.models.LocalThreat` instead).
"""

from pathlib import Path

import yaml
from django.db import transaction

from weerbaar.knowledge.models import Theme

from .models import Threat

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@transaction.atomic
def load_threats() -> int:
    with (CONTENT_DIR / "threats.yaml").open(encoding="utf-8") as fh:
        items = yaml.safe_load(fh) or []
    themes = {t.slug: t for t in Theme.objects.all()}
    for order, item in enumerate(items, start=1):
        defaults = {
            "name": item["name"],
            "deliberate": bool(item.get("deliberate", True)),
            "description": (item.get("description") or "").strip(),
            "order": order,
        }
        threat, created = Threat.objects.get_or_create(slug=item["slug"], defaults=defaults)
        if not created and any(getattr(threat, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(threat, k, v)
            threat.save()
        wanted = {themes[s].pk for s in item.get("themes") or [] if s in themes}
        if set(threat.themes.values_list("pk", flat=True)) != wanted:
            threat.themes.set(sorted(wanted))
    return len(items)

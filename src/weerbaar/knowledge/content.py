"""Loading the content that ships with the product (versioned YAML files in ./content)."""

from pathlib import Path

import yaml
from django.db import transaction

from .models import Theme

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def read(name: str):
    path = CONTENT_DIR / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@transaction.atomic
def load_themes() -> int:
    themes = read("themes.yaml") or []
    for item in themes:
        Theme.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "order": item.get("order", 0),
                "summary": item.get("summary", ""),
                "body": item.get("body", ""),
            },
        )
    return len(themes)


def load_all() -> dict[str, int]:
    return {"themes": load_themes()}

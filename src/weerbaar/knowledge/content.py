"""Loading the content that ships with the product (versioned YAML files in ./content).

Idempotent: items are matched by slug and updated in place, so re-running is safe. An item
an editor changed in the product (``edited_in_product``) is never overwritten by the files.
"""

import datetime
from pathlib import Path

import yaml
from django.db import models, transaction
from django.utils import timezone

from .models import (
    BuildingBlock,
    FieldExample,
    FrameworkStep,
    GlossaryTerm,
    GovernanceVariant,
    Law,
    LawGroup,
    PdcaStep,
    Principle,
    PrincipleCategory,
    ScopeElement,
    SecurityGoal,
    StepActivity,
    StepExample,
    Theme,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class ContentError(ValueError):
    """The content files hold something the loader will not guess about (an unknown kind)."""


def _choice(value, choices, *, default: str, where: str) -> str:
    """A value from ``choices``; an unknown one stops the load instead of becoming "overig"."""
    if value in (None, ""):
        return default
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ContentError(f"{where}: unknown kind {value!r}; use one of: {allowed}")
    return value


def read(name: str):
    path = CONTENT_DIR / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        # The C loader when libyaml is present: the files are large enough for it to matter.
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))


def _upsert(model: type[models.Model], slug: str, defaults: dict):
    """Create or update by slug; returns (item, loaded) where loaded is False for an item an editor owns."""
    existing = model.objects.filter(slug=slug).first()
    if existing is not None and getattr(existing, "edited_in_product", False):
        return existing, False
    if existing is None:
        return model.objects.create(slug=slug, **defaults), True
    changed = False
    for field, value in defaults.items():
        if getattr(existing, field) != value:
            setattr(existing, field, value)
            changed = True
    if changed:
        existing.updated_at = timezone.now()
        existing.save()
    return existing, True


def _by_slug(model, slugs) -> list:
    slugs = list(slugs or [])
    found = {o.slug: o for o in model.objects.filter(slug__in=slugs)}
    return [found[s] for s in slugs if s in found]


@transaction.atomic
def load_themes() -> int:
    themes = read("themes.yaml") or []
    for item in themes:
        _upsert(
            Theme,
            item["slug"],
            {
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "order": item.get("order", 0),
                "summary": _text(item.get("summary")),
                "body": _text(item.get("body")),
            },
        )
    return len(themes)


@transaction.atomic
def load_laws() -> int:
    groups = read("laws.yaml") or []
    count = 0
    pending_also = []
    for g_order, group_data in enumerate(groups, start=1):
        group, _ = LawGroup.objects.update_or_create(
            slug=group_data["slug"], defaults={"name": group_data["name"], "order": group_data.get("order", g_order)}
        )
        for order, item in enumerate(group_data.get("laws") or [], start=1):
            checked = item.get("last_checked")
            if isinstance(checked, str) and checked:
                checked = datetime.date.fromisoformat(checked)
            kind = _choice(item.get("kind"), Law.Kind, default=Law.Kind.OTHER, where=f"laws.yaml {item['slug']}")
            law, loaded = _upsert(
                Law,
                item["slug"],
                {
                    "group": group,
                    "name": item["name"],
                    "kind": kind,
                    "reference": _text(item.get("reference")),
                    "url": _text(item.get("url")),
                    "description": _text(item.get("description")),
                    "last_checked": checked or None,
                    "order": order,
                },
            )
            count += 1
            if loaded:
                law.themes.set(_by_slug(Theme, item.get("themes")))
                pending_also.append((law, item.get("also_in")))
    for law, also in pending_also:
        law.also_in.set(_by_slug(LawGroup, also))
    return count


@transaction.atomic
def load_glossary() -> int:
    terms = read("glossary.yaml") or []
    loaded_terms = []
    for item in terms:
        term, loaded = _upsert(
            GlossaryTerm, item["slug"], {"term": item["term"], "definition": _text(item.get("definition"))}
        )
        if loaded:
            term.themes.set(_by_slug(Theme, item.get("themes")))
            loaded_terms.append((term, item))
    for term, item in loaded_terms:
        # Symmetrical: adding keeps links another term declared towards this one.
        term.related.add(*_by_slug(GlossaryTerm, item.get("related")))
    return len(terms)


@transaction.atomic
def load_building_blocks() -> int:
    blocks = read("building_blocks.yaml") or []
    themes = {t.slug: t for t in Theme.objects.all()}
    loaded_blocks = []
    orders: dict[str, int] = {}
    for item in blocks:
        orders[item["theme"]] = orders.get(item["theme"], 0) + 1
        block, loaded = _upsert(
            BuildingBlock,
            item["slug"],
            {
                "theme": themes[item["theme"]],
                "title": item["title"],
                "summary": _text(item.get("summary")),
                "what": _text(item.get("what")),
                "why": _text(item.get("why")),
                "how_to_start": _text(item.get("how_to_start")),
                "pitfalls": _text(item.get("pitfalls")),
                "good_looks_like": _text(item.get("good_looks_like")),
                "order": orders[item["theme"]],
            },
        )
        if loaded:
            block.laws.set(_by_slug(Law, item.get("laws")))
            block.terms.set(_by_slug(GlossaryTerm, item.get("terms")))
            loaded_blocks.append((block, item))
    for block, item in loaded_blocks:
        block.related.add(*_by_slug(BuildingBlock, item.get("related")))
    return len(blocks)


def _field_example_items(data) -> list[dict]:
    """Accept a flat list or a mapping with ``examples`` and ``tips`` lists."""
    if isinstance(data, dict):
        items = []
        for key, kind in (("examples", FieldExample.Kind.EXAMPLE), ("tips", FieldExample.Kind.TIP)):
            items += [{"kind": kind, **i} for i in data.get(key) or []]
        return items
    return list(data or [])


@transaction.atomic
def load_field_examples() -> int:
    items = _field_example_items(read("field_examples.yaml"))
    themes = {t.slug: t for t in Theme.objects.all()}
    count = 0
    for item in items:
        theme = themes.get(item.get("theme"))
        if theme is None:
            continue
        kind = _choice(
            item.get("kind") or item.get("type"),
            FieldExample.Kind,
            default=FieldExample.Kind.EXAMPLE,
            where=f"field_examples.yaml {item['slug']}",
        )
        _upsert(
            FieldExample,
            item["slug"],
            {
                "theme": theme,
                "kind": kind,
                "title": item["title"],
                "body": _text(item.get("body") or item.get("text")),
                "source": _text(item.get("source") or item.get("organisation")),
            },
        )
        count += 1
    return count


@transaction.atomic
def load_catalogue() -> dict[str, int]:
    data = read("catalogue.yaml") or {}
    counts = {}
    for number, item in enumerate(data.get("steps") or [], start=1):
        step, loaded = _upsert(
            FrameworkStep,
            item["slug"],
            {
                "number": item.get("number", number),
                "name": item["name"],
                "explanation": _text(item.get("explanation")),
                "why": _text(item.get("why")),
            },
        )
        for order, act in enumerate(item.get("activities") or [], start=1):
            _upsert(StepActivity, act["slug"], {"step": step, "text": _text(act["text"]), "order": order})
        for order, ex in enumerate(item.get("examples") or [], start=1):
            _upsert(
                StepExample, ex["slug"], {"step": step, "title": ex["title"], "text": _text(ex["text"]), "order": order}
            )
    counts["steps"] = len(data.get("steps") or [])
    for order, item in enumerate(data.get("scope_elements") or [], start=1):
        _upsert(
            ScopeElement,
            item["slug"],
            {
                "name": item["name"],
                "category": item.get("category", ""),
                "description": _text(item.get("description")),
                "order": order,
            },
        )
    for order, item in enumerate(data.get("goals") or [], start=1):
        _upsert(
            SecurityGoal,
            item["slug"],
            {
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "order": item.get("order", order),
                "explanation": _text(item.get("explanation")),
            },
        )
    counts["goals"] = len(data.get("goals") or [])
    for order, item in enumerate(data.get("principle_categories") or [], start=1):
        _upsert(
            PrincipleCategory,
            item["slug"],
            {"name": item["name"], "description": _text(item.get("description")), "order": order},
        )
    categories = {c.slug: c for c in PrincipleCategory.objects.all()}
    for order, item in enumerate(data.get("principles") or [], start=1):
        principle, loaded = _upsert(
            Principle,
            item["slug"],
            {"category": categories[item["category"]], "text": _text(item["text"]), "order": order},
        )
        if loaded:
            principle.goals.set(_by_slug(SecurityGoal, item.get("goals")))
    counts["principles"] = len(data.get("principles") or [])
    for order, item in enumerate(data.get("pdca") or [], start=1):
        _upsert(
            PdcaStep,
            item["slug"],
            {"name": item["name"], "explanation": _text(item.get("explanation")), "order": order},
        )
    for order, item in enumerate(data.get("governance_variants") or [], start=1):
        _upsert(
            GovernanceVariant,
            item["slug"],
            {
                "name": item["name"],
                "description": _text(item.get("description")),
                "suits_when": _text(item.get("suits_when")),
                "pros": list(item.get("pros") or []),
                "cons": list(item.get("cons") or []),
                "order": order,
            },
        )
    return counts


def load_all() -> dict[str, int]:
    from .search import rebuild_index

    counts = {"themes": load_themes()}
    counts["laws"] = load_laws()
    counts["glossary"] = load_glossary()
    counts["building_blocks"] = load_building_blocks()
    counts["field_examples"] = load_field_examples()
    counts.update(load_catalogue())
    counts["search_documents"] = rebuild_index()
    return counts

"""The report's chapters as plain JSON, and back.

Every chapter comes from ``core.registry.annual_report_sections`` (this app registers its own
four there too, first). A section returns a :class:`~weerbaar.core.registry.ReportSection` whose
blocks may hold chart *objects* (``documents.charts``); :func:`build_content` turns them into
JSON-safe dicts, so that the same structure is shown on screen, rendered to Word and PDF, and
frozen in ``YearReport.content`` on submission. :func:`chart_from_json` rebuilds a chart from
its frozen form, so a frozen report draws exactly the picture the board saw.

Block types: ``paragraph`` (``text``), ``heading`` (``text``), ``bullets`` (``items``),
``table`` (``headers``, ``rows``, optional ``caption``), ``chart`` (``chart``, ``alt``) and
``charts`` (``items``: several charts side by side, each ``{"chart", "alt"}``). A block of a
type this app does not know is shown by its ``text`` when it has one and skipped otherwise.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django.utils.translation import gettext as _

from weerbaar.core.registry import annual_report_sections
from weerbaar.documents import charts

logger = logging.getLogger(__name__)

CHART_TYPES = {cls.__name__: cls for cls in (charts.HeatMap, charts.BarChart, charts.LineChart, charts.Radar)}


def plain(value: Any) -> Any:
    """JSON-safe: lazy and safe strings become plain ``str``, tuples lists, dates ISO text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- charts ------------------------------------------------------------------------------------


def chart_to_json(chart) -> dict:
    kind = type(chart).__name__
    if kind not in CHART_TYPES:
        raise TypeError(f"not a chart: {chart!r}")
    data = plain(dataclasses.asdict(chart))
    if kind == "HeatMap":
        for row in data["cells"]:
            for cell in row:
                cell["href"] = ""  # links into the live register mean nothing in a frozen report
    return {"kind": kind, **data}


def chart_from_json(data: dict):
    data = dict(data)
    kind = data.pop("kind")
    if kind == "HeatMap":

        def axis(a):
            return charts.Axis(a["title"], a["attr"], tuple(charts.Tick(t["value"], t["label"]) for t in a["ticks"]))

        return charts.HeatMap(
            **{
                **data,
                "rows": axis(data["rows"]),
                "cols": axis(data["cols"]),
                "cells": [[charts.HeatCell(**c) for c in row] for row in data["cells"]],
                "levels": {k: charts.Level(**v) for k, v in data["levels"].items()},
            }
        )
    cls = CHART_TYPES[kind]
    series = tuple(charts.Series(s["label"], tuple(s["values"])) for s in data["series"])
    extra = {k: tuple(data[k]) for k in ("categories", "axes") if k in data}
    return cls(**{**data, **extra, "series": series})


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def chart_table(chart) -> dict:
    """The same figures as a table (every chart has one beside it): caption, headers and rows."""
    if isinstance(chart, charts.HeatMap):
        return {
            "caption": chart.table_caption or chart.title,
            "headers": [chart.corner_label, *(t.text for t in chart.cols.ticks)],
            "rows": [[tick.text, *(f"{c.count} {c.note}".strip() for c in row)] for tick, row in chart.table_rows()],
        }
    labels = chart.axes if isinstance(chart, charts.Radar) else chart.categories
    return {
        "caption": chart.title,
        "headers": ["", *(s.label for s in chart.series)],
        "rows": [
            [str(label), *(_number(s.values[i]) if i < len(s.values) else "" for s in chart.series)]
            for i, label in enumerate(labels)
        ],
    }


# --- blocks and chapters -----------------------------------------------------------------------


def _chart_item(value, alt) -> dict:
    chart = value if isinstance(value, dict) else chart_to_json(value)
    return {"chart": chart, "alt": plain(alt or "")}


def block_to_json(block: dict) -> dict | None:
    kind = block.get("type")
    if kind == "chart":
        return {"type": "chart", **_chart_item(block["chart"], block.get("alt"))}
    if kind == "charts":
        return {"type": "charts", "items": [_chart_item(i["chart"], i.get("alt")) for i in block.get("items", [])]}
    if kind == "table":
        return {
            "type": "table",
            "caption": plain(block.get("caption", "")),
            "headers": [plain(h) for h in block.get("headers", [])],
            "rows": [["" if v is None else str(plain(v)) for v in row] for row in block.get("rows", [])],
        }
    if kind == "bullets":
        return {"type": "bullets", "items": [str(plain(i)) for i in block.get("items", [])]}
    if kind in ("paragraph", "heading"):
        return {"type": kind, "text": str(plain(block.get("text", "")))}
    if block.get("text"):
        return {"type": "paragraph", "text": str(plain(block["text"]))}
    return None


def section_to_json(key: str, section) -> dict:
    blocks = [b for b in (block_to_json(dict(block)) for block in section.blocks) if b is not None]
    return {"key": key, "title": str(plain(section.title)), "blocks": blocks}


def build_content(organisation, year: int) -> list[dict]:
    """Every registered chapter for this municipality and year, in the registry's order.

    A chapter that fails is replaced by a notice (and logged): one broken chapter must not stop
    the board's report, and the notice says which chapter is missing.
    """
    chapters = []
    for key, section in annual_report_sections.items():
        try:
            result = section(organisation, year)
        except Exception:
            logger.exception("Yearly report chapter %s failed", key)
            chapters.append(
                {
                    "key": key,
                    "title": _("Hoofdstuk niet beschikbaar"),
                    "blocks": [
                        {
                            "type": "paragraph",
                            "text": _("Dit hoofdstuk kon niet worden gemaakt. Probeer het later opnieuw."),
                        }
                    ],
                    "failed": True,
                }
            )
            continue
        if result is not None:
            chapters.append(section_to_json(key, result))
    return chapters


def prepare_for_display(chapters: list[dict]) -> list[dict]:
    """Chapters with chart objects and their tables rebuilt, for templates and Word."""
    out = []
    for c, chapter in enumerate(chapters, start=1):
        blocks = []
        for b, block in enumerate(chapter["blocks"], start=1):
            if block["type"] in ("chart", "charts"):
                items = [block] if block["type"] == "chart" else block["items"]
                rebuilt = []
                for i, item in enumerate(items, start=1):
                    chart = chart_from_json(item["chart"])
                    rebuilt.append(
                        {"chart": chart, "alt": item.get("alt", ""), "table": chart_table(chart), "id": f"h{c}-{b}-{i}"}
                    )
                block = {"type": "charts", "items": rebuilt}
            blocks.append(block)
        out.append({**chapter, "blocks": blocks})
    return out

"""Charts shared by every app: chart data, one SVG renderer and one PNG renderer per chart type.

An app's selector returns chart *data* (:class:`HeatMap`, :class:`BarChart`, :class:`LineChart`,
:class:`Radar`); it knows nothing of pixels. The same data is drawn as SVG on screen and in the
PDF (WeasyPrint draws inline SVG) and as PNG in Word, because python-docx cannot embed SVG.
The PNG is drawn with Pillow (already installed with WeasyPrint) from the same data and the
same geometry, so no SVG converter with its own native libraries is needed.

Every SVG is an accessible image: ``role="img"``, a ``<title>`` and a ``<desc>``, text on the
picture in black on light fills (contrast above 7:1), and the page shows a table beside it.
Colours come from :data:`PALETTE` and :data:`SERIES`, chosen to sit with the NL Design System
(Rijkshuisstijl-like blues and greens) and checked for contrast in the tests.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TEXT = "#000000"
PALETTE = {
    "text": TEXT,
    "background": "#ffffff",
    "gridline": "#6b6b6b",  # 5.3:1 on white: axes and grid lines are information (WCAG 1.4.11)
    "ok": "#cfe8cf",
    "warning": "#ffd9a8",
    "danger": "#f6b3b3",
    "neutral": "#e8e8e8",
}
# Lines, bars and radar areas: each at least 4.5:1 against white, so a line is seen and a label
# in the same colour can be read.
SERIES = ("#154273", "#a90061", "#275937", "#8a4b00", "#42145f", "#007bc7")

FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"  # the PDF has DejaVu; the PNG uses the same font


# --- Data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """A class of cells on a heat map (acceptable, high, ...), with its fill and its words."""

    key: str
    label: str
    fill: str


@dataclass(frozen=True)
class Tick:
    value: int
    label: str = ""

    @property
    def text(self) -> str:
        return f"{self.value} — {self.label}" if self.label and self.label != str(self.value) else str(self.value)


@dataclass(frozen=True)
class Axis:
    """One axis: its title, the data attribute that carries a cell's value on it, and its ticks."""

    title: str
    attr: str
    ticks: tuple[Tick, ...]


@dataclass
class HeatCell:
    row: int
    col: int
    count: int
    level: str
    note: str = ""  # said in the table after the count, e.g. "(9, boven acceptatiegrens)"
    href: str = ""


@dataclass
class HeatMap:
    """A grid of counts: rows top to bottom as ``rows.ticks``, columns left to right as ``cols.ticks``."""

    key: str
    title: str
    description: str
    rows: Axis
    cols: Axis
    cells: list[list[HeatCell]]
    levels: dict[str, Level]
    unit: str = ""  # what is counted, said after a linked count for screen readers
    table_caption: str = ""
    corner_label: str = ""
    data: dict[str, str] = field(default_factory=dict)  # extra data-* attributes on the <svg>

    @property
    def flat(self) -> list[HeatCell]:
        return [c for row in self.cells for c in row]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.flat)

    def count_at(self, row: int, col: int) -> int:
        return next((c.count for c in self.flat if c.row == row and c.col == col), 0)

    def table_rows(self) -> list[tuple[Tick, list[HeatCell]]]:
        return list(zip(self.rows.ticks, self.cells, strict=True))


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]


@dataclass
class BarChart:
    """Bars per category; several series stand side by side within a category."""

    key: str
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str = ""
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class LineChart:
    """A trend: one line per series over ordered categories (months, years)."""

    key: str
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str = ""
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class Radar:
    """Scores on several axes (e.g. maturity per theme) from 0 to ``maximum``."""

    key: str
    title: str
    description: str
    axes: tuple[str, ...]
    series: tuple[Series, ...]
    maximum: float = 5
    data: dict[str, str] = field(default_factory=dict)


# --- Geometry (shared by SVG and PNG) ----------------------------------------------------------

CELL = 56
HM_LEFT, HM_TOP, HM_RIGHT, HM_BOTTOM = 64, 12, 8, 56


@dataclass(frozen=True)
class _Text:
    x: float
    y: float
    text: str
    size: int = 13
    anchor: str = "middle"  # start, middle, end
    bold: bool = False
    rotate: int = 0  # degrees counter-clockwise around (x, y)
    fill: str = TEXT


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = ""
    cell: HeatCell | None = None
    label: str = ""  # the text a link on this rectangle says
    inner: _Text | None = None  # the count written on a heat-map cell
    data: tuple[tuple[str, str], ...] = ()  # data-* attributes in the SVG (a bar's series and value)


@dataclass(frozen=True)
class _Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1
    closed: bool = False
    fill: str = ""
    dots: bool = False


@dataclass
class _Scene:
    width: int
    height: int
    shapes: list = field(default_factory=list)


def _heatmap_scene(hm: HeatMap) -> _Scene:
    n_rows, n_cols = len(hm.rows.ticks), len(hm.cols.ticks)
    grid_w, grid_h = n_cols * CELL, n_rows * CELL
    scene = _Scene(HM_LEFT + grid_w + HM_RIGHT, HM_TOP + grid_h + HM_BOTTOM)
    for r, row in enumerate(hm.cells):
        for c, cell in enumerate(row):
            x, y = HM_LEFT + c * CELL, HM_TOP + r * CELL
            label = f"{hm.rows.title} {cell.row}, {hm.cols.title} {cell.col}: {cell.count} {hm.unit}".strip()
            inner = _Text(x + CELL / 2, y + 34, str(cell.count), size=18, bold=True) if cell.count else None
            fill = hm.levels[cell.level].fill
            scene.shapes.append(
                _Rect(x, y, CELL, CELL, fill, PALETTE["background"], cell=cell, label=label, inner=inner)
            )
    for c, tick in enumerate(hm.cols.ticks):
        scene.shapes.append(_Text(HM_LEFT + c * CELL + CELL // 2, HM_TOP + grid_h + 18, str(tick.value)))
    for r, tick in enumerate(hm.rows.ticks):
        scene.shapes.append(_Text(HM_LEFT - 10, HM_TOP + r * CELL + CELL // 2 + 5, str(tick.value), anchor="end"))
    scene.shapes.append(_Text(HM_LEFT + grid_w // 2, HM_TOP + grid_h + 42, f"{hm.cols.title} →"))
    scene.shapes.append(_Text(18, HM_TOP + grid_h // 2, f"{hm.rows.title} →", rotate=90))
    return scene


def _nice_max(value: float) -> float:
    """The top of a value axis: 1, 2 or 5 times a power of ten, at least the largest value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 56, 16, 16, 64
LEGEND_ROW = 20


def _value_axis(scene: _Scene, top: float, left: float, plot_w: float, plot_h: float) -> None:
    for i in range(5):
        value = top * i / 4
        y = PLOT_TOP + plot_h - plot_h * i / 4
        scene.shapes.append(_Line(((left, y), (left + plot_w, y)), PALETTE["gridline"], 1 if i == 0 else 0.5))
        scene.shapes.append(_Text(left - 6, y + 4, _fmt(value), size=11, anchor="end"))


def _legend(scene: _Scene, series: Sequence[Series], y: float) -> None:
    if len(series) < 2:
        return
    x = PLOT_LEFT
    for i, s in enumerate(series):
        colour = SERIES[i % len(SERIES)]
        scene.shapes.append(_Rect(x, y - 10, 12, 12, colour))
        scene.shapes.append(_Text(x + 18, y, s.label, size=12, anchor="start"))
        x += 30 + 7 * len(s.label)


def _category_labels(scene: _Scene, categories: Sequence[str], centres: Sequence[float], y: float) -> None:
    for label, cx in zip(categories, centres, strict=True):
        scene.shapes.append(_Text(cx, y, label[:18], size=11))


def _bar_scene(chart: BarChart) -> _Scene:
    n = max(len(chart.categories), 1)
    group_w = max(24 * len(chart.series) + 16, 48)
    plot_w, plot_h = n * group_w, 200
    legend = LEGEND_ROW if len(chart.series) > 1 else 0
    scene = _Scene(PLOT_LEFT + plot_w + PLOT_RIGHT, PLOT_TOP + plot_h + PLOT_BOTTOM + legend)
    top = _nice_max(max((v for s in chart.series for v in s.values), default=0))
    _value_axis(scene, top, PLOT_LEFT, plot_w, plot_h)
    bar_w = (group_w - 16) / max(len(chart.series), 1)
    base = PLOT_TOP + plot_h
    for i, s in enumerate(chart.series):
        for j, value in enumerate(s.values):
            h = plot_h * max(value, 0) / top
            x = PLOT_LEFT + j * group_w + 8 + i * bar_w
            data = (("series", s.label), ("category", chart.categories[j]), ("value", _fmt(value)))
            scene.shapes.append(_Rect(x, base - h, bar_w - 2, h, SERIES[i % len(SERIES)], data=data))
            scene.shapes.append(_Text(x + (bar_w - 2) / 2, base - h - 4, _fmt(value), size=11))
    centres = [PLOT_LEFT + j * group_w + group_w / 2 for j in range(len(chart.categories))]
    _category_labels(scene, chart.categories, centres, base + 18)
    if chart.value_label:
        scene.shapes.append(_Text(14, PLOT_TOP + plot_h / 2, chart.value_label, size=12, rotate=90))
    _legend(scene, chart.series, base + 48)
    return scene


def _line_scene(chart: LineChart) -> _Scene:
    n = max(len(chart.categories), 1)
    step = 56
    plot_w, plot_h = max((n - 1) * step, step), 200
    legend = LEGEND_ROW if len(chart.series) > 1 else 0
    scene = _Scene(PLOT_LEFT + plot_w + PLOT_RIGHT + 24, PLOT_TOP + plot_h + PLOT_BOTTOM + legend)
    top = _nice_max(max((v for s in chart.series for v in s.values), default=0))
    _value_axis(scene, top, PLOT_LEFT, plot_w, plot_h)
    base = PLOT_TOP + plot_h
    xs = [PLOT_LEFT + (j * step if n > 1 else plot_w / 2) for j in range(len(chart.categories))]
    for i, s in enumerate(chart.series):
        points = tuple((xs[j], base - plot_h * v / top) for j, v in enumerate(s.values))
        scene.shapes.append(_Line(points, SERIES[i % len(SERIES)], 2.5, dots=True))
    _category_labels(scene, chart.categories, xs, base + 18)
    if chart.value_label:
        scene.shapes.append(_Text(14, PLOT_TOP + plot_h / 2, chart.value_label, size=12, rotate=90))
    _legend(scene, chart.series, base + 48)
    return scene


RADAR_R = 120


def _radar_point(i: int, n: int, fraction: float, cx: float, cy: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return cx + RADAR_R * fraction * math.cos(angle), cy + RADAR_R * fraction * math.sin(angle)


def _radar_scene(chart: Radar) -> _Scene:
    n = max(len(chart.axes), 3)
    legend = LEGEND_ROW + 8 if len(chart.series) > 1 else 0
    margin_x, margin_y = 110, 36  # room for the axis labels beside and above/below the web
    scene = _Scene(2 * (RADAR_R + margin_x), 2 * (RADAR_R + margin_y) + legend)
    cx, cy = RADAR_R + margin_x, RADAR_R + margin_y
    for ring in range(1, 5):
        ring_points = tuple(_radar_point(i, n, ring / 4, cx, cy) for i in range(n))
        scene.shapes.append(_Line(ring_points, PALETTE["gridline"], 0.5, closed=True))
    for i, label in enumerate(chart.axes):
        scene.shapes.append(_Line(((cx, cy), _radar_point(i, n, 1, cx, cy)), PALETTE["gridline"], 0.5))
        x, y = _radar_point(i, n, 1.12, cx, cy)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        scene.shapes.append(_Text(x, y + 4, label[:24], size=11, anchor=anchor))
    for i, s in enumerate(chart.series):
        points = tuple(
            _radar_point(j, n, max(0.0, min(v / chart.maximum, 1.0)) if chart.maximum else 0, cx, cy)
            for j, v in enumerate(s.values)
        )
        scene.shapes.append(_Line(points, SERIES[i % len(SERIES)], 2.5, closed=True, dots=True))
    _legend(scene, chart.series, scene.height - 10)
    return scene


def _scene(chart) -> _Scene:
    if isinstance(chart, HeatMap):
        return _heatmap_scene(chart)
    if isinstance(chart, BarChart):
        return _bar_scene(chart)
    if isinstance(chart, LineChart):
        return _line_scene(chart)
    if isinstance(chart, Radar):
        return _radar_scene(chart)
    raise TypeError(f"No renderer for {type(chart).__name__}")


# --- SVG ---------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_text(t: _Text) -> str:
    weight = ' font-weight="bold"' if t.bold else ""
    rotate = f' transform="rotate({-t.rotate} {_n(t.x)} {_n(t.y)})"' if t.rotate else ""
    return (
        f'<text x="{_n(t.x)}" y="{_n(t.y)}" text-anchor="{t.anchor}" font-size="{t.size}"{weight} '
        f'fill="{t.fill}"{rotate}>{escape(t.text)}</text>'
    )


def _svg_line(line: _Line) -> str:
    pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in line.points)
    tag = "polygon" if line.closed else "polyline"
    fill = line.fill or "none"
    out = f'<{tag} points="{pts}" fill="{fill}" stroke="{line.stroke}" stroke-width="{_n(line.width)}"/>'
    if line.dots:
        out += "".join(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{line.stroke}"/>' for x, y in line.points)
    return out


def _data_attrs(data: dict[str, str]) -> str:
    return "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in data.items())


def render_svg(chart, *, id_prefix: str = "chart", links: bool = False, css_class: str = "") -> SafeString:
    """The chart as inline SVG with ``<title>`` and ``<desc>``.

    ``links``: heat-map cells with an ``href`` become links. ARIA gives an ``img`` presentational
    children, so a linked chart is a labelled ``group`` of links instead; on pages that show the
    table beside the chart the table carries the links and the chart stays an image.
    """
    scene = _scene(chart)
    key = f"{id_prefix}-{chart.key}"
    linked = links and isinstance(chart, HeatMap) and any(c.href for c in chart.flat)
    role = "group" if linked else "img"
    data = dict(chart.data)
    classes = " ".join(filter(None, ["weerbaar-chart", css_class]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(classes)}" role="{role}" '
        f'aria-labelledby="{key}-title {key}-desc" viewBox="0 0 {scene.width} {scene.height}" '
        f'width="{scene.width}" height="{scene.height}" font-family="{FONT_FAMILY}"{_data_attrs(data)}>',
        f'<title id="{key}-title">{escape(chart.title)}</title>',
        f'<desc id="{key}-desc">{escape(chart.description)}</desc>',
    ]
    hm = chart if isinstance(chart, HeatMap) else None
    for shape in scene.shapes:
        if isinstance(shape, _Rect) and shape.cell is not None:
            parts.append(_svg_cell(hm, shape, linked))
        elif isinstance(shape, _Rect):
            stroke = f' stroke="{shape.stroke}"' if shape.stroke else ""
            parts.append(
                f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" height="{_n(shape.h)}" '
                f'fill="{shape.fill}"{stroke}{_data_attrs(dict(shape.data))}/>'
            )
        elif isinstance(shape, _Text):
            parts.append(_svg_text(shape))
        elif isinstance(shape, _Line):
            parts.append(_svg_line(shape))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text and attribute above is escaped)


def _svg_cell(hm: HeatMap, shape: _Rect, linked: bool) -> str:
    """One heat-map cell: a group that says where it stands and what it counts, maybe a link."""
    cell = shape.cell
    attrs = {hm.rows.attr: str(cell.row), hm.cols.attr: str(cell.col), "count": str(cell.count), "level": cell.level}
    body = (
        f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" height="{_n(shape.h)}" '
        f'fill="{shape.fill}" stroke="{shape.stroke}" stroke-width="2"/>'
    )
    if shape.inner is not None:
        body += _svg_text(shape.inner)
    if linked and cell.href:
        body = f'<a href="{escape(cell.href)}" aria-label="{escape(shape.label)}">{body}</a>'
    return f"<g{_data_attrs(attrs)}>{body}</g>"


# --- PNG ---------------------------------------------------------------------------------------

PNG_SCALE = 2  # pixels per SVG unit: sharp in print at the width Word shows it


@functools.cache
def _font(size: int, bold: bool):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _draw_text(image, draw, t: _Text, s: int) -> None:
    from PIL import Image, ImageDraw

    font = _font(t.size * s, t.bold)
    anchor = {"start": "ls", "middle": "ms", "end": "rs"}[t.anchor]
    if not t.rotate:
        draw.text((t.x * s, t.y * s), t.text, font=font, fill=_hex(t.fill), anchor=anchor)
        return
    left, top, right, bottom = draw.textbbox((0, 0), t.text, font=font, anchor="ls")
    w, h = right - left + 4, bottom - top + 4
    label = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    ImageDraw.Draw(label).text((2 - left, 2 - top), t.text, font=font, fill=_hex(t.fill), anchor="ls")
    label = label.rotate(t.rotate, expand=True)
    # SVG's text sits on the baseline with its middle at (x, y) before rotating; centring the
    # turned label on that point is the same to the eye.
    image.alpha_composite(label, (int(t.x * s - label.width / 2), int(t.y * s - label.height / 2)))


def render_png(chart, *, scale: int = PNG_SCALE) -> bytes:
    """The same picture as :func:`render_svg`, as PNG for Word."""
    from PIL import Image, ImageDraw

    scene = _scene(chart)
    s = scale
    image = Image.new("RGBA", (scene.width * s, scene.height * s), (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    for shape in scene.shapes:
        if isinstance(shape, _Rect):
            if shape.w * s < 1 or shape.h * s < 1:
                continue  # a bar of zero: nothing to draw (SVG draws nothing either)
            box = [shape.x * s, shape.y * s, (shape.x + shape.w) * s - 1, (shape.y + shape.h) * s - 1]
            outline = _hex(shape.stroke) if shape.stroke else None
            draw.rectangle(box, fill=_hex(shape.fill), outline=outline, width=2 * s if outline else 0)
            if shape.inner is not None:
                _draw_text(image, draw, shape.inner, s)
        elif isinstance(shape, _Text):
            _draw_text(image, draw, shape, s)
            draw = ImageDraw.Draw(image)
        elif isinstance(shape, _Line):
            points = [(x * s, y * s) for x, y in shape.points]
            if shape.closed:
                points = [*points, points[0]]
            width = max(1, round(shape.width * s))
            if len(points) > 1:
                draw.line(points, fill=_hex(shape.stroke), width=width, joint="curve")
            if shape.dots:
                for x, y in points:
                    r = 3.5 * s
                    draw.ellipse([x - r, y - r, x + r, y + r], fill=_hex(shape.stroke))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def png_size(chart, *, scale: int = PNG_SCALE) -> tuple[int, int]:
    scene = _scene(chart)
    return scene.width * scale, scene.height * scale


# --- Word --------------------------------------------------------------------------------------


def add_to_word(document, chart, *, width_cm: float = 9.0) -> None:
    """The chart as a PNG picture in a :class:`~weerbaar.documents.word.WordDocument`, with alt text.

    Word reads the alternative text from ``descr`` on the picture's ``wp:docPr``; python-docx
    has no argument for it.
    """
    from docx.shared import Cm

    from weerbaar.core.text import clean_line, clean_text

    doc = getattr(document, "doc", document)
    shape = doc.add_picture(io.BytesIO(render_png(chart)), width=Cm(width_cm))
    doc_pr = shape._inline.docPr
    doc_pr.set("title", clean_line(chart.title)[:255])
    doc_pr.set("descr", clean_text(f"{chart.title}. {chart.description}"))


# --- contrast (used by the tests and by anyone adding a colour) ---------------------------------


def relative_luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)

"""The chart module: accessible SVG and a PNG of the same picture from one set of chart data."""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from PIL import Image

from weerbaar.documents import charts

SVG = "{http://www.w3.org/2000/svg}"


def heatmap(href: bool = False) -> charts.HeatMap:
    levels = {
        "low": charts.Level("low", "laag", charts.PALETTE["ok"]),
        "high": charts.Level("high", "hoog <& 'x'", charts.PALETTE["danger"]),
    }
    rows = [
        [
            charts.HeatCell(
                row=r,
                col=c,
                count=r * 10 + c if (r + c) % 2 else 0,
                level="high" if r * c > 2 else "low",
                href=f"/lijst/?r={r}&c={c}" if href else "",
            )
            for c in (1, 2, 3)
        ]
        for r in (2, 1)
    ]
    return charts.HeatMap(
        key="proef",
        title="Risico's <bruto>",
        description="Vijf & zes",
        rows=charts.Axis("Kans", "likelihood", (charts.Tick(2, "vaak"), charts.Tick(1, "zelden"))),
        cols=charts.Axis("Impact", "impact", tuple(charts.Tick(i) for i in (1, 2, 3))),
        cells=rows,
        levels=levels,
        unit="risico's",
        data={"position": "bruto"},
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML: every text and attribute is escaped


def test_heatmap_svg_is_an_image_with_title_desc_and_one_cell_per_level_pair():
    hm = heatmap()
    root = parse(charts.render_svg(hm, id_prefix="hm"))
    assert root.get("role") == "img" and root.get("data-position") == "bruto"
    assert root.get("aria-labelledby") == "hm-proef-title hm-proef-desc"
    assert (
        root.find(f"{SVG}title").text == "Risico's <bruto>" and root.find(f"{SVG}title").get("id") == "hm-proef-title"
    )
    assert root.find(f"{SVG}desc").text == "Vijf & zes"
    cells = root.findall(f"{SVG}g[@data-count]")
    assert len(cells) == 6
    assert {(g.get("data-likelihood"), g.get("data-impact")) for g in cells} == {
        (str(r), str(c)) for r in (1, 2) for c in (1, 2, 3)
    }
    for g in cells:
        r, c, n = int(g.get("data-likelihood")), int(g.get("data-impact")), int(g.get("data-count"))
        assert n == hm.count_at(r, c)
        assert g.find(f"{SVG}rect").get("fill") == hm.levels[g.get("data-level")].fill
        text = g.find(f"{SVG}text")
        assert (text.text if text is not None else "0") == str(n)  # an empty cell has no number on it
    # the axis titles and tick numbers are on the picture too
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "Impact →" in words and "Kans →" in words


def test_heatmap_cells_link_only_when_asked_and_then_the_chart_is_a_group_of_labelled_links():
    hm = heatmap(href=True)
    assert "<a " not in charts.render_svg(hm)  # the table beside it carries the links on screen
    root = parse(charts.render_svg(hm, links=True))
    assert root.get("role") == "group"
    links = root.findall(f"{SVG}g/{SVG}a")
    assert len(links) == 6
    assert links[0].get("href") == "/lijst/?r=2&c=1" and links[0].get("aria-label") == "Kans 2, Impact 1: 21 risico's"


def test_heatmap_png_draws_the_same_picture_at_a_sensible_size():
    hm = heatmap()
    png = charts.render_png(hm)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    svg = parse(charts.render_svg(hm))
    assert image.size == (int(svg.get("width")) * 2, int(svg.get("height")) * 2) == charts.png_size(hm)
    assert 200 <= image.width <= 2000 and 200 <= image.height <= 2000
    # the top-left cell (likelihood 2, impact 1: level "low") has the "low" fill in its middle
    x = (charts.HM_LEFT + charts.CELL // 4) * 2
    y = (charts.HM_TOP + charts.CELL // 4) * 2
    assert image.convert("RGB").getpixel((x, y)) == charts._hex(charts.PALETTE["ok"])


def test_palette_has_enough_contrast():
    for name in ("ok", "warning", "danger", "neutral"):
        assert charts.contrast(charts.PALETTE[name], charts.TEXT) >= 7, name  # black text on a cell
    for colour in (*charts.SERIES, charts.PALETTE["gridline"]):
        assert charts.contrast(colour, charts.PALETTE["background"]) >= 4.5, colour


SMALL = [
    charts.BarChart(
        key="incidenten",
        title="Incidenten per kwartaal",
        description="Q1 4, Q2 7",
        categories=("Q1", "Q2", "Q3"),
        series=(charts.Series("2024", (4, 7, 0)), charts.Series("2025", (3, 12.5, 1))),
        value_label="aantal",
    ),
    charts.LineChart(
        key="trend",
        title="Trend",
        description="Stijgend",
        categories=("2022", "2023", "2024", "2025"),
        series=(charts.Series("Meldingen", (1, 3, 2, 8)),),
    ),
    charts.LineChart(key="leeg", title="Leeg", description="Geen gegevens", categories=(), series=()),
    charts.Radar(
        key="volwassenheid",
        title="Volwassenheid per thema",
        description="Gemiddeld 2,8 van 5",
        axes=("Personeel", "Fysiek", "Informatie", "Crisis", "Ondermijning"),
        series=(charts.Series("2024", (2, 3, 4, 1, 3)), charts.Series("Doel", (4, 4, 4, 4, 4))),
        maximum=5,
    ),
]


@pytest.mark.parametrize("chart", SMALL, ids=lambda c: c.key)
def test_every_chart_type_renders_accessible_svg_and_a_png_of_the_same_size(chart):
    svg = charts.render_svg(chart, id_prefix="x")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == chart.title and root.find(f"{SVG}desc").text == chart.description
    image = Image.open(io.BytesIO(charts.render_png(chart)))
    assert image.size == (int(root.get("width")) * 2, int(root.get("height")) * 2)
    assert not re.search(r"nan|inf", svg)


def test_bar_heights_follow_the_values_on_a_round_axis():
    chart = SMALL[0]
    root = parse(charts.render_svg(chart))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("data-series")]
    heights = sorted(float(r.get("height")) for r in bars)
    assert len(bars) == 6
    assert {(r.get("data-series"), r.get("data-category"), r.get("data-value")) for r in bars} >= {
        ("2025", "Q2", "12,5"),
        ("2024", "Q3", "0"),
    }
    # the axis runs to 20 (the next round number above 12.5): 12.5 is 5/8 of the 200-unit plot
    assert heights[-1] == pytest.approx(125)
    assert "20" in [t.text for t in root.iter(f"{SVG}text")]


def test_chart_goes_into_word_as_a_picture_with_alt_text():
    from weerbaar.documents.word import WordDocument

    doc = WordDocument(title="Proef")
    charts.add_to_word(doc, heatmap())
    body = doc.to_bytes()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        xml = archive.read("word/document.xml").decode()
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
    assert (
        'descr="Risico&apos;s &lt;bruto&gt;. Vijf &amp; zes"' in xml
        or 'descr="Risico\'s &lt;bruto&gt;. Vijf &amp; zes"' in xml
    )

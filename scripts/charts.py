"""Chart specs with Altair; static SVG and PNG with vl-convert, cached by content hash.

A chart is a series of (year, value) points, an optional target line, and words per language.
Each chart ships as a Vega-Lite spec (JSON), an SVG (readable without JavaScript), a PNG, and the
same numbers as CSV; the page shows the SVG with a table and loads the interactive version only
when asked.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import altair as alt

from . import paths

FONT = "DejaVu Sans"            # has every Vietnamese letter; Liberation Sans does not
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]
WIDTH, HEIGHT = 560, 260
LOCALES = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
}


@dataclass
class Chart:
    id: str                      # file stem, e.g. boi-canh-pii-diem
    points: list[tuple[int, float]]
    title: str                   # what is measured, for the embeddable page
    page: str                    # the page the chart belongs to (docs path, maybe with an anchor)
    y_title: str
    alt_text: str                # one sentence saying what the chart shows, for screen readers
    source_line: str             # printed under the chart in the SVG/PNG
    target: float | None = None
    target_label: str = ""
    reverse_y: bool = False      # ranks: 1 at the top
    scale_max: float | None = None
    # A stacked bar chart instead of a line: (category, its order, stack label, value) rows
    bars: list[tuple[str, int, str, float]] | None = None
    stack_title: str = ""
    stack_order: list[str] | None = None
    x_label: str = ""            # the word for the x axis in tooltips (year, round)


def _tooltip_title(text: str) -> str:
    """Vega-Lite writes axis and tooltip titles into expressions (tooltips, ARIA descriptions):
    keep letters, digits and plain marks only."""
    return " ".join(re.sub(r"[^\w\s%/().,–-]", "", text).split()) or "value"


def spec(chart: Chart, lang: str) -> dict:
    return (_bars if chart.bars else _line)(chart, lang).properties(
        width=WIDTH, height=HEIGHT,
        title=alt.TitleParams(text=chart.source_line, anchor="start", orient="bottom",
                              fontSize=11, fontWeight="normal", color="#444444"),
        description=chart.alt_text,
    ).configure(font=FONT, locale={"number": LOCALES[lang]}).configure_view(stroke=None).to_dict()


# Blues with enough contrast between neighbours to tell stacked segments apart, light to dark
STACK_COLOURS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b", "#041a3a"]


def _bars(chart: Chart, lang: str):
    stacks = chart.stack_order or sorted({k for _, _, k, _ in chart.bars})
    values = [{"category": c, "order": o, "stack": k, "stack_rank": stacks.index(k), "value": v} for c, o, k, v in chart.bars]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("category:N", title=None, sort=alt.EncodingSortField("order", op="min"), axis=alt.Axis(labelAngle=0, labelLimit=120)),
        y=alt.Y("sum(value):Q", title=_tooltip_title(chart.y_title), axis=alt.Axis(format=",.0f")),
        color=alt.Color("stack:N", title=_tooltip_title(chart.stack_title), sort=stacks,
                        scale=alt.Scale(domain=stacks, range=STACK_COLOURS[: len(stacks)]),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("stack_rank:Q"),
        tooltip=[alt.Tooltip("category:N", title=_tooltip_title(chart.x_label)), alt.Tooltip("stack:N", title=_tooltip_title(chart.stack_title)),
                 alt.Tooltip("value:Q", format=",.0f", title=_tooltip_title(chart.y_title))],
    )
    return alt.layer(base.mark_bar(stroke="white", strokeWidth=1))


def _line(chart: Chart, lang: str):
    data = alt.Data(values=[{"year": str(y), "value": v} for y, v in chart.points])
    number = ",.2~f"
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=_tooltip_title(chart.y_title), axis=alt.Axis(format=number),
                scale=alt.Scale(reverse=chart.reverse_y, zero=not chart.reverse_y,
                                domain=[1 if chart.reverse_y else 0, chart.scale_max] if chart.scale_max else alt.Undefined)),
        tooltip=[alt.Tooltip("year:O", title=_tooltip_title(chart.x_label)), alt.Tooltip("value:Q", format=number, title=_tooltip_title(chart.y_title))],
    )
    layers = [base.mark_line(color="#0b5394", strokeWidth=2.5),
              base.mark_point(color="#0b5394", filled=True, size=70),
              base.mark_text(dy=-12, fontSize=12, color="#1a1a1a").encode(text=alt.Text("value:Q", format=number))]
    if chart.target is not None:
        rule = alt.Chart(alt.Data(values=[{"target": chart.target, "label": chart.target_label}]))
        layers += [rule.mark_rule(color="#a33b00", strokeDash=[6, 4]).encode(y="target:Q"),
                   rule.mark_text(align="left", dx=4, dy=-6, color="#a33b00", fontSize=12)
                   .encode(y="target:Q", text="label:N", x=alt.value(0))]
    return alt.layer(*layers)


def table_csv(chart: Chart) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if chart.bars:
        writer.writerow(["category", "series", "value"])
        writer.writerows((c, k, v) for c, _, k, v in chart.bars)
    else:
        writer.writerow(["year", "value"])
        writer.writerows(chart.points)
    return out.getvalue()


def render_all(charts: list[tuple[Chart, str, Path]]) -> None:
    """Write <id>.vl.json, .svg, .png and .csv for each (chart, lang, folder); both cores at once."""
    import vl_convert as vlc

    for folder in FONT_DIRS:
        if Path(folder).is_dir():
            vlc.register_font_directory(folder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: _render_one(*job), charts))


def _render_one(chart: Chart, lang: str, folder: Path) -> None:
    import vl_convert as vlc

    folder.mkdir(parents=True, exist_ok=True)
    vl = spec(chart, lang)
    text = json.dumps(vl, ensure_ascii=False, sort_keys=True, indent=1)
    (folder / f"{chart.id}.vl.json").write_text(text, encoding="utf-8")
    (folder / f"{chart.id}.csv").write_text(table_csv(chart), encoding="utf-8")
    key = hashlib.sha256(f"{vlc.__version__}|{text}".encode()).hexdigest()[:24]
    cache = paths.GENERATED / ".chart-cache"
    cache.mkdir(parents=True, exist_ok=True)
    svg, png = cache / f"{key}.svg", cache / f"{key}.png"
    if not (svg.exists() and png.exists()):   # the key covers everything drawn, so a hit is never stale
        svg_text = vlc.vegalite_to_svg(vl, format_locale=LOCALES[lang])
        png_bytes = vlc.vegalite_to_png(vl, scale=2, format_locale=LOCALES[lang])
        _atomic_write(png, png_bytes)
        _atomic_write(svg, svg_text.encode("utf-8"))
    (folder / f"{chart.id}.svg").write_bytes(svg.read_bytes())
    (folder / f"{chart.id}.png").write_bytes(png.read_bytes())


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_bundle(target: Path) -> None:
    """The site's own copy of Vega, Vega-Lite and Vega-Embed (never a CDN), written once per version."""
    import vl_convert as vlc

    cached = paths.GENERATED / ".chart-cache" / f"vega-bundle-{vlc.__version__}.js"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(cached, vlc.javascript_bundle("window.vegaEmbed = vegaEmbed;").encode("utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(cached.read_bytes())


def svg_size(path: Path) -> tuple[int, int]:
    """Width and height of a rendered SVG, so the page can reserve its space before it loads."""
    import re

    head = path.read_text(encoding="utf-8")[:500]
    width, height = (re.search(rf'{name}="([0-9.]+)"', head) for name in ("width", "height"))
    return round(float(width.group(1))), round(float(height.group(1)))

"""Chart specs with Altair; static SVG and PNG with vl-convert (scripts/render/vega.py), cached by content hash.

A chart is a series of (year, value) points, an optional target line, and words per language.
Each chart ships as a Vega-Lite spec (JSON), an SVG (readable without JavaScript), a PNG, and the
same numbers as CSV; the page shows the SVG with a table and loads the interactive version only
when asked.
"""
from __future__ import annotations

import atexit
import csv
import dataclasses
import hashlib
import io
import json
import multiprocessing
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import altair as alt

from .. import paths
from ..base import cache
from ..base.text import decimals_of, number_symbols
from . import vega

FONT = "DejaVu Sans"            # has every Vietnamese letter; Liberation Sans does not
FONT_DIRS = vega.FONT_DIRS
WIDTH, HEIGHT = 560, 260
# Vega's number locale: the decimal mark and thousands separator CLDR gives each language (text.py)
LOCALES = {lang: {"decimal": number_symbols(lang)[0], "thousands": number_symbols(lang)[1], "grouping": [3], "currency": currency}
           for lang, currency in (("vi", ["", " ₫"]), ("en", ["", ""]))}


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
    """The Vega-Lite spec. Not validated here (a third of its cost, every chart, every build):
    tests/test_progress_pages.py validates every spec the site draws against the schema."""
    return (_bars if chart.bars else _line)(chart, lang).properties(
        width=WIDTH, height=HEIGHT,
        title=alt.TitleParams(text=chart.source_line, anchor="start", orient="bottom",
                              fontSize=11, fontWeight="normal", color="#444444"),
        description=chart.alt_text,
    ).configure(font=FONT, locale={"number": LOCALES[lang]}).configure_view(stroke=None).to_dict(validate=False)


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
    number = f",.{decimals_of(v for _, v in chart.points)}f"     # every value with the same decimals
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=_tooltip_title(chart.y_title), axis=alt.Axis(format=",.2~f"),
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


# Fewer charts to draw than this go faster in this process than in two fresh workers (each spends
# ~1 s starting Python and V8); measured on two cores. While the Vega bundle is being made in the
# background it has the other core, and the workers pay off only from about 20.
PARALLEL_FROM, PARALLEL_FROM_WHILE_BUNDLING = 8, 20
WORKERS = min(2, os.cpu_count() or 1)
# In every spec key: the code that makes specs (this file) and the Altair that runs it
_SPEC_CODE = f"spec-2|{alt.__version__}|" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def render_all(charts: list[tuple[Chart, str, Path]]) -> None:
    """Write <id>.vl.json, .svg, .png and .csv for each (chart, lang, folder).

    Drawings are cached by content hash in site/generated/.chart-cache: each chart not there is
    drawn once (SVG, then the PNG from it), in two worker processes when there are many (vl-convert
    holds the GIL, so threads would not help). Also starts the Vega bundle in the background.
    """
    start_bundle()
    bundling = any(job.poll() is None for job in _bundle_jobs.values())
    parallel_from = PARALLEL_FROM_WHILE_BUNDLING if bundling else PARALLEL_FROM
    store = paths.GENERATED / ".chart-cache"
    store.mkdir(parents=True, exist_ok=True)
    cache.sweep(store)
    copies, todo, futures, pool = [], {}, [], None
    try:
        for chart, lang, folder in charts:
            folder.mkdir(parents=True, exist_ok=True)
            text = _spec_text(chart, lang, store)
            (folder / f"{chart.id}.vl.json").write_text(text, encoding="utf-8")
            (folder / f"{chart.id}.csv").write_text(table_csv(chart), encoding="utf-8")
            key = vega.render_key(text, LOCALES[lang])
            svg, png = store / f"{key}.svg", store / f"{key}.png"
            copies.append((chart.id, folder, svg, png))
            # The key covers everything drawn, so a hit is never stale
            if key in todo or (svg.exists() and png.exists()):
                cache.used(svg), cache.used(png)
                continue
            todo[key] = (text, LOCALES[lang], svg, png)
            if pool is None and len(todo) >= parallel_from and WORKERS > 1:
                # spawn, not fork: V8 may be running in this process already. Workers start while
                # the rest of the specs are made here.
                pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"))
                futures = [pool.submit(vega.draw, *job) for job in todo.values()]
            elif pool is not None:
                futures.append(pool.submit(vega.draw, *todo[key]))
        for future in futures:
            future.result()
    except BrokenProcessPool:  # a worker could not start or died: draw what is missing here
        pass
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for job in todo.values():
        if not (job[2].exists() and job[3].exists()):
            vega.draw(*job)
    for stem, folder, svg, png in copies:
        (folder / f"{stem}.svg").write_bytes(svg.read_bytes())
        (folder / f"{stem}.png").write_bytes(png.read_bytes())


def _spec_text(chart: Chart, lang: str, store: Path) -> str:
    """The chart's Vega-Lite spec as JSON text. Cached too: Altair spends ~65 ms a chart, mostly
    validating. The key covers everything spec() reads: the chart's fields, the language, this file
    (locales, font, sizes, colours, code) and Altair's version."""
    fields = json.dumps([dataclasses.asdict(chart), lang], sort_keys=True, ensure_ascii=False,
                        default=lambda value: [type(value).__qualname__, repr(value)])
    key = hashlib.sha256(f"{_SPEC_CODE}|{fields}".encode()).hexdigest()[:24]
    cached = store / f"spec-{key}.vl.json"
    if cached.exists():
        return cache.used(cached).read_text(encoding="utf-8")
    text = json.dumps(spec(chart, lang), ensure_ascii=False, sort_keys=True, indent=1)
    cache.atomic_write(cached, text.encode("utf-8"))
    return text


_bundle_jobs: dict[Path, subprocess.Popen] = {}


def _bundle_cache() -> Path:
    import vl_convert as vlc

    return paths.GENERATED / ".chart-cache" / f"vega-bundle-{vlc.__version__}.js"


def start_bundle() -> None:
    """Start making the Vega bundle in a background process, unless it is cached or under way.

    Safe to call at any time and more than once; call it early in the build so the ~2.4 s of work
    overlaps the rest. The child writes the cache file atomically and dies with this process
    (and is stopped at exit), so an interrupted build leaves neither a process nor half a bundle.
    """
    cached = _bundle_cache()
    job = _bundle_jobs.get(cached)
    if cached.exists() or (job is not None and job.poll() is None):
        return
    cached.parent.mkdir(parents=True, exist_ok=True)
    # A separate Python, not a thread: vl-convert holds the GIL while it bundles
    _bundle_jobs[cached] = subprocess.Popen([sys.executable, "-m", "scripts.render.vega", str(cached), str(os.getpid())],
                                            cwd=paths.ROOT, stdin=subprocess.DEVNULL)


@atexit.register
def _stop_bundles() -> None:
    while _bundle_jobs:
        _stop(_bundle_jobs.popitem()[1])


def _stop(job: subprocess.Popen) -> None:
    if job.poll() is None:
        job.terminate()
        job.wait()


def write_bundle(target: Path) -> None:
    """The site's own copy of Vega, Vega-Lite and Vega-Embed (never a CDN), made once per version:
    waits for start_bundle's job if there is one, or makes it here."""
    cached = _bundle_cache()
    job = _bundle_jobs.pop(cached, None)
    if job is not None:
        try:
            job.wait()
        finally:  # interrupted while waiting: stop the job too
            _stop(job)
    if not cached.exists():  # nothing started, or the job failed: make it here (and raise its error)
        cached.parent.mkdir(parents=True, exist_ok=True)
        vega.write_bundle_file(cached)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(cache.used(cached).read_bytes())


def svg_size(path: Path) -> tuple[int, int]:
    """Width and height of a rendered SVG, so the page can reserve its space before it loads."""
    import re

    head = path.read_text(encoding="utf-8")[:500]
    width, height = (re.search(rf'{name}="([0-9.]+)"', head) for name in ("width", "height"))
    return round(float(width.group(1))), round(float(height.group(1)))

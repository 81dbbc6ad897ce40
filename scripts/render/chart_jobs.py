"""Which charts the site draws, with their words in each language, and drawing them: the jobs
for scripts/render/charts.py, from the model."""
from __future__ import annotations

import posixpath

from .. import paths
from ..base.text import clause_title, decimals_of, format_number
from ..data import enterprises
from . import charts
from .labels import read_labels
from .urls import LANGS, path_of


def chart_id(kind: str, record: dict) -> str | None:
    """The chart a target or context indicator gets, if its data can draw one."""
    if kind == "target" and record["observations"]:
        return f"chi-tieu-{record['id']}"
    if kind == "context" and len(record["observations"]) >= 2:
        return f"boi-canh-{record['id']}"
    return None


def chart_jobs(model: dict, labels: dict, lang: str) -> list[charts.Chart]:
    L = labels
    jobs = []
    for t in model["targets"]:
        if cid := chart_id("target", t):
            goal = t["target_value"] if t["kind"] == "count" else None
            jobs.append(charts.Chart(
                id=cid, points=[(o["year"], o["value"]) for o in t["observations"]],
                title=clause_title(t[f"text_{lang}"]), page=path_of("target", t["id"]), x_label=str(L["year"]),
                y_title=str(t[f"unit_{lang}"] or L["value"]),
                alt_text=f'{L["chart"]}: {clause_title(t[f"text_{lang}"])}',
                source_line=f'{L["source"]}: ' + "; ".join(sorted({o["source"]["publisher"] for o in t["observations"]})),
                target=goal, target_label=f'{L["target"]}: {format_number(goal, lang)}' if goal is not None else ""))
    series = enterprises.chart_series(model["firms"])
    stars = {3: "3 sao", 4: "4 sao", 5: "5 sao"} if lang == "vi" else {3: "3 stars", 4: "4 stars", 5: "5 stars"}
    for cid, rows, stack, key, anchor in (
            ("ton-vinh-ocop-theo-dot", series["ocop_by_round"], L["ent_rating"], "rating", "ocop-theo-dot"),
            ("ton-vinh-cnnt-theo-cap", series["cnnt_by_level"], L["ent_level"], "level", "cnnt-theo-cap")):
        if not rows:
            continue
        names = {r[key]: (stars[r[key]] if key == "rating" else str(L.get(f"ent_level_{r[key]}", r[key]))) for r in rows}
        order = {r["round_id"]: i for i, r in enumerate(sorted(rows, key=lambda r: (r["year"] or 0, r["round_id"])))}
        jobs.append(charts.Chart(
            id=cid, points=[], title=str(L["ent_chart_ocop" if key == "rating" else "ent_chart_cnnt"]),
            page=path_of("honours") + "#" + anchor, y_title=str(L["ent_products"]), x_label=str(L["ent_round"]),
            alt_text=str(L["ent_chart_ocop" if key == "rating" else "ent_chart_cnnt"]),
            source_line=f'{L["source"]}: ' + str(L["ent_chart_sources"]),
            bars=[(r[f"label_{lang}"], order[r["round_id"]], names[r[key]], r["count"]) for r in rows], stack_title=str(stack),
            stack_order=list(dict.fromkeys(names[r[key]] for r in sorted(rows, key=lambda r: r.get("level_order", r[key]))))))
    for group in model["context"]:
        for ind in group["indicators"]:
            if cid := chart_id("context", ind):
                places = decimals_of(o["value"] for o in ind["observations"])
                values = ", ".join(f'{format_number(o["value"], lang, places)} ({o["year"]})' for o in ind["observations"])
                jobs.append(charts.Chart(
                    id=cid, points=[(o["year"], o["value"]) for o in ind["observations"]],
                    title=str(ind[f"title_{lang}"]), page=path_of("context") + "#" + ind["id"], x_label=str(L["year"]),
                    y_title=str(ind[f"unit_{lang}"] or (L["rank_axis"] if ind["better"] == "lower" else L["value"])),
                    alt_text=f'{ind[f"title_{lang}"]}: {values}.', scale_max=ind["scale_max"],
                    source_line=f'{L["source"]}: ' + "; ".join(sorted({o["source"]["publisher"] for o in ind["observations"]})),
                    reverse_y=ind["better"] == "lower"))
    return jobs


def draw_charts(model: dict) -> dict[str, dict[str, tuple[int, int]]]:
    """Every chart of both languages in one go (so both cores can share the work), into each
    language's docs folder, with the site's own Vega bundle. Returns each chart's size."""
    labels = read_labels(model["words"])
    jobs = {lang: chart_jobs(model, labels[lang], lang) for lang in LANGS}
    folder = {lang: paths.docs_dir(lang) / posixpath.dirname(path_of("chart", "x")) for lang in LANGS}
    charts.render_all([(chart, lang, folder[lang]) for lang in LANGS for chart in jobs[lang]])
    for lang in LANGS:
        charts.write_bundle(paths.docs_dir(lang) / "assets" / "vendor" / "vega-bundle.js")
    return {lang: {chart.id: charts.svg_size(folder[lang] / f"{chart.id}.svg") for chart in jobs[lang]} for lang in LANGS}

"""The benchmark's report: figures per scale, how each grows from 1× to 100×, the real site's
clean, warm and one-row-changed builds, and the issue's targets, as JSON and as Markdown.

Functions take the measurements and return data; only `write` touches the disk.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

LINEAR = 1.15          # growth exponent up to which a figure counts as linear (noise on a shared machine)
SMALL_SECONDS = 1.0    # a stage under this at the larger scale is too small to judge
TARGETS = {"real_clean_s": 15, "ten_x_s": 60, "edit_ratio": 0.5, "add_ratio": 0.45, "page_kb": 500, "index_mb": 2}


# --- one scale -----------------------------------------------------------------------------------

def scale_entry(scale: float, rows: dict[str, int], child: dict | None, stopped: dict | None = None) -> dict:
    """Flatten a measured build (tests/bench/measure.py's result.json) for the report. `stopped`:
    what is known of a build that did not finish (see `stopped_state`)."""
    entry = {"scale": scale, "rows": rows, "total_rows": sum(rows.values()), "finished": child is not None}
    if child is None:
        return entry | {"stopped": stopped or {}, "stages": (stopped or {}).get("stages", {})}
    run = child["runs"]["clean"]
    figures = child["figures"]
    heaviest = figures["heaviest_pages"][0] if figures["heaviest_pages"] else {}
    return entry | {
        "stages": {name: {"wall": wall, "cpu": run["cpu"].get(name)} for name, wall in run["seconds"].items()},
        "wall": run["wall"], "cpu": round(sum(run["cpu"].values()), 3),
        "pages": run["pages"], "html_pages": figures["html_pages"], "redirects": figures.get("redirects", 0), "build_bytes": figures["build_bytes"],
        "search_index_bytes": figures["search_index_bytes"], "search_index_total": figures["search_index_total"],
        "heaviest_page": heaviest, "heaviest_pages": figures["heaviest_pages"], "peak_rss_mb": child["peak_rss_mb"],
    }


def stopped_state(progress_lines: list[dict], elapsed: float, limit: float, generated: dict) -> dict:
    """Where a stopped build was: the stages it finished, the one it was in, for how long."""
    stages = {r["stage"]: {"wall": r["seconds"], "cpu": r.get("cpu")} for r in progress_lines if "stage" in r}
    done = sum(s["wall"] for s in stages.values())
    return {"time_limit": limit, "elapsed": round(elapsed, 1), "stages": stages,
            "last_finished": list(stages)[-1] if stages else None, "in_stage_for": round(max(elapsed - done, 0), 1),
            "generated": generated}


# --- growth --------------------------------------------------------------------------------------

def growth(scales: list[dict]) -> list[dict]:
    """Each figure at each scale, the ratio between neighbouring scales, and the exponent k of
    figure ∝ scaleᵏ on the last step measured: k ≤ 1.15 is linear or better. The scale, not the
    total of rows, is the yardstick: tables the plan fixes (tasks, duties) do not grow, and would
    make a figure that grows with the enterprises look superlinear. Stage times are judged on CPU
    seconds, which other work on the machine disturbs less than wall time."""
    names = []
    for s in scales:
        names += [n for n in s.get("stages", {}) if n not in names]
    figures = []
    for name in names:
        figures.append(_figure(f"{name} (s, wall)", scales, lambda s, n=name: _stage(s, n, "wall"), judge=False))
        figures.append(_figure(f"{name} (s, CPU)", scales, lambda s, n=name: _stage(s, n, "cpu"), seconds=True))
    figures.append(_figure("whole build (s, wall)", scales, lambda s: s.get("wall"), judge=False))
    figures.append(_figure("whole build (s, CPU)", scales, lambda s: s.get("cpu"), seconds=True))
    figures.append(_figure("peak memory, all processes (MB)", scales, lambda s: s.get("peak_rss_mb", {}).get("all_at_once")))
    figures.append(_figure("pages", scales, lambda s: s.get("html_pages")))
    figures.append(_figure("build/ (bytes)", scales, lambda s: s.get("build_bytes")))
    figures.append(_figure("search indexes (bytes)", scales, lambda s: s.get("search_index_total")))
    figures.append(_figure("heaviest page (bytes)", scales, lambda s: s.get("heaviest_page", {}).get("total")))
    figures.append(_figure("heaviest page with search (gzip bytes)", scales,
                           lambda s: s.get("heaviest_page", {}).get("with_search_gzip")))
    return figures


def _stage(scale: dict, name: str, kind: str):
    stage = scale.get("stages", {}).get(name)
    return stage.get(kind) if stage else None


def _figure(name: str, scales: list[dict], value, seconds: bool = False, judge: bool = True) -> dict:
    values = {_label(s["scale"]): value(s) for s in scales}
    measured = [(s, value(s)) for s in scales if value(s) is not None]
    steps = []
    for (a, va), (b, vb) in zip(measured, measured[1:]):
        grown = b["scale"] / a["scale"]
        ratio = vb / va if va else None
        k = math.log(ratio) / math.log(grown) if ratio and grown > 1 else None
        steps.append({"from": _label(a["scale"]), "to": _label(b["scale"]), "ratio": _round(ratio),
                      "rows_ratio": round(b["total_rows"] / a["total_rows"], 2) if a["total_rows"] else None, "exponent": _round(k)})
    return {"figure": name, "values": values, "steps": steps,
            "verdict": _verdict(steps, measured, scales, value, seconds) if judge else "see CPU row"}


def _verdict(steps, measured, scales, value, seconds) -> str:
    if not steps or steps[-1]["exponent"] is None:
        verdict = "not enough scales"
    elif seconds and measured[-1][1] < SMALL_SECONDS:
        verdict = "too small to judge"
    else:
        verdict = "linear or better" if steps[-1]["exponent"] <= LINEAR else "superlinear"
    stopped = next((s for s in scales if not s["finished"] and value(s) is None), None)
    if stopped:
        verdict += f" up to {steps[-1]['to'] if steps else _label(measured[-1][0]['scale']) if measured else '—'}; " \
                   f"{_label(stopped['scale'])} stopped before this was measured"
    return verdict


# --- the real site and the targets ---------------------------------------------------------------

def real_site(child: dict) -> dict:
    """Clean, warm and one-row-changed builds of the real package, and their ratios to the clean one."""
    runs = {name: {"wall": run["wall"], "cpu": round(sum(run["cpu"].values()), 3), "stages": run["seconds"],
                   "stages_cpu": run["cpu"], "pages": run["pages"]} for name, run in child["runs"].items()}
    clean = runs.get("clean", {}).get("wall")
    ratios = {f"{name}/clean": round(run["wall"] / clean, 3) for name, run in runs.items() if clean and name != "clean"}
    return {"runs": runs, "ratios": ratios, "edit": child.get("edit"), "addition": child.get("addition"), "figures": child.get("figures"),
            "peak_rss_mb": child.get("peak_rss_mb")}


def targets(scales: list[dict], real: dict | None) -> list[dict]:
    """The issue's targets, each with what was measured and whether it holds (None: not measured)."""
    by = {_label(s["scale"]): s for s in scales}
    ten, hundred = by.get("10×", {}), by.get("100×", {})
    clean = (real or {}).get("runs", {}).get("clean", {}).get("wall")
    edited = (real or {}).get("ratios", {}).get("edited/clean")
    added = (real or {}).get("ratios", {}).get("added/clean")
    page = hundred.get("heaviest_page", {}).get("with_search_gzip")
    index = max(hundred.get("search_index_bytes", {}).values(), default=None)
    return [
        _target(f"real site, clean build < {TARGETS['real_clean_s']} s", clean, lambda v: v < TARGETS["real_clean_s"], "{:.1f} s"),
        _target(f"10× clean build < {TARGETS['ten_x_s']} s", ten.get("wall"), lambda v: v < TARGETS["ten_x_s"], "{:.1f} s"),
        _target(f"one changed row < {TARGETS['edit_ratio']} × clean build", edited, lambda v: v < TARGETS["edit_ratio"], "{:.2f} ×"),
        _target(f"one new observation with its source < {TARGETS['add_ratio']} × clean build", added,
                lambda v: v < TARGETS["add_ratio"], "{:.2f} ×"),
        _target(f"heaviest page at 100× < {TARGETS['page_kb']} KB transferred (gzip, with search)", page,
                lambda v: v < TARGETS["page_kb"] * 1000, "{:,.0f} bytes"),
        _target(f"search index at 100× < {TARGETS['index_mb']} MB (largest language)", index,
                lambda v: v < TARGETS["index_mb"] * 1_000_000, "{:,.0f} bytes"),
    ]


def _target(name: str, value, holds, fmt: str) -> dict:
    return {"target": name, "measured": fmt.format(value) if value is not None else "not measured",
            "value": value, "met": holds(value) if value is not None else None}


def engine_entry(engine: str, real: dict | None, ten: dict | None) -> dict:
    """One engine's whole-build times (wall and CPU seconds) and its own stage's, on the real site
    (clean, warm) and at 10× (clean); None where not measured or not finished."""
    def of(run: dict | None) -> dict | None:
        if not run or not run.get("stages"):
            return None
        stage = run["stages"].get(engine)
        if isinstance(stage, dict):                  # a scale's entry: {"wall", "cpu"} per stage
            wall, cpu = stage.get("wall"), stage.get("cpu")
        else:                                        # the real site's runs: stages and stages_cpu
            wall, cpu = stage, (run.get("stages_cpu") or {}).get(engine)
        return {"wall": run["wall"], "cpu": run.get("cpu"), "engine_stage": wall, "engine_stage_cpu": cpu}
    runs = (real or {}).get("runs", {})
    return {"engine": engine, "real_clean": of(runs.get("clean")), "real_warm": of(runs.get("warm")),
            "ten_clean": of(ten) if ten and ten.get("finished", True) else None}


def engine_line(entry: dict) -> str:
    return ", ".join(f"{label} {_num(entry[key]['wall'])} s" if entry.get(key) else f"{label} —"
                     for key, label in (("real_clean", "real clean"), ("real_warm", "real warm"), ("ten_clean", "10× clean")))


def build_report(machine: dict, scales: list[dict], real: dict | None, engines: dict | None = None) -> dict:
    return {"machine": machine, "scales": scales, "growth": growth(scales), "real_site": real, "targets": targets(scales, real),
            "engines": engines}


# --- Markdown ------------------------------------------------------------------------------------

def markdown(report: dict) -> str:
    m = report["machine"]
    lines = ["# Scale benchmark", "",
             f"Run {m.get('when', '')} on {m.get('cores', '?')} cores; load average before/after: "
             f"{m.get('load_before', '?')} / {m.get('load_after', '?')} (other work on the machine inflates wall times; "
             "CPU seconds count this build's processes only). Stage times are judged on CPU seconds.", ""]
    lines += ["## Targets", "", "| target | measured | holds |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | {_yes(t['met'])} |" for t in report["targets"]]
    lines += ["", "## Each scale", ""]
    for s in report["scales"]:
        lines += _scale_section(s)
    lines += ["## Growth", "", "Exponent k: figure ∝ scaleᵏ between the two largest scales measured; k ≤ "
              f"{LINEAR} is linear or better. Stage times are judged on CPU seconds.", ""]
    labels = [_label(s["scale"]) for s in report["scales"]]
    lines += ["| figure | " + " | ".join(labels) + " | ratios | k | verdict |", "|---" * (len(labels) + 4) + "|"]
    for f in report["growth"]:
        ratios = ", ".join(f"{st['from']}→{st['to']}: ×{_num(st['ratio'])}" for st in f["steps"])
        k = _num(f["steps"][-1]["exponent"]) if f["steps"] else ""
        lines.append(f"| {f['figure']} | " + " | ".join(_num(f['values'].get(l)) for l in labels) + f" | {ratios} | {k} | {f['verdict']} |")
    if report.get("real_site"):
        lines += ["", *_real_section(report["real_site"])]
    if report.get("engines"):
        lines += ["", *_engines_section(report["engines"])]
    return "\n".join(lines) + "\n"


def _engines_section(engines: dict) -> list[str]:
    out = ["## Engines (issue 16)", "",
           "The same packages built by each engine, each build in a process of its own with empty caches for the clean "
           "build. Whole build, wall seconds (CPU seconds); in brackets the engine's own stage, wall (CPU, both languages' "
           "processes). CPU seconds are the fairer comparison on a busy machine.", "",
           "| engine | real site, clean | real site, warm | 10×, clean |", "|---|---|---|---|"]
    for name, e in engines.items():
        cells = [f"{_num(e[k]['wall'])} s ({_num(e[k]['cpu'])} CPU) [{_num(e[k]['engine_stage'])} s "
                 f"({_num(e[k].get('engine_stage_cpu'))} CPU)]" if e.get(k) else "—"
                 for k in ("real_clean", "real_warm", "ten_clean")]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def _scale_section(s: dict) -> list[str]:
    top = sorted(s["rows"].items(), key=lambda kv: -kv[1])[:6]
    out = [f"### {_label(s['scale'])}: {s['total_rows']:,} rows ({', '.join(f'{k} {v:,}' for k, v in top)})", ""]
    out += ["| stage | wall s | CPU s |", "|---|---|---|"]
    out += [f"| {name} | {_num(st['wall'])} | {_num(st.get('cpu'))} |" for name, st in s.get("stages", {}).items()]
    if not s["finished"]:
        st = s.get("stopped", {})
        gen = st.get("generated", {})
        out += ["", f"**Stopped** after {st.get('elapsed')} s (limit {st.get('time_limit')} s): last finished stage "
                f"`{st.get('last_finished')}`, then {st.get('in_stage_for')} s in the next one. "
                f"Generated pages: {gen.get('pages', '?')}; preview images: {gen.get('previews', '?')}; "
                f"HTML pages MkDocs had written: {gen.get('html_written', '?')}. Peak memory of the build so far: "
                f"{_num(st.get('peak_rss_mb_any_child'))} MB."]
        if gen.get("largest"):
            out += ["Largest generated pages: " + ", ".join(f"`{p}` {_bytes(b)}" for p, b in gen["largest"]) + "."]
        if st.get("if_linear_cpu"):
            out += ["CPU seconds per stage had each grown linearly with the scale from the one before: "
                    + ", ".join(f"{k} {_num(v)}" for k, v in st["if_linear_cpu"].items()) + "."]
        if st.get("error"):
            out += ["", "It failed:", "", "```", st["error"][-1500:], "```"]
        return out + [""]
    h = s.get("heaviest_page", {})
    mem = s.get("peak_rss_mb", {})
    out += ["", f"Whole build {_num(s['wall'])} s wall, {_num(s['cpu'])} CPU s; peak memory {_num(mem.get('all_at_once'))} MB "
            f"for all processes at once (build process {_num(mem.get('build'))} MB). {s['html_pages']:,} HTML pages "
            f"({s['pages']:,} generated) and {s.get('redirects', 0):,} redirects (one per enterprise and language); build/ {_bytes(s['build_bytes'])}; search indexes "
            + ", ".join(f"`{k}` {_bytes(v)}" for k, v in s["search_index_bytes"].items()) + ".",
            f"Heaviest page `{h.get('page')}`: {_bytes(h.get('html'))} HTML + {_bytes(h.get('assets'))} it loads = "
            f"{_bytes(h.get('total'))} ({_bytes(h.get('total_gzip'))} gzipped); with the search index, worker and Lunr "
            f"that a page fetches once the search is used: {_bytes(h.get('with_search'))} ({_bytes(h.get('with_search_gzip'))} gzipped).", ""]
    return out


def _real_section(real: dict) -> list[str]:
    runs = real["runs"]
    names = list(runs)
    stages = list(next(iter(runs.values()))["stages"]) if runs else []
    out = ["## The real site (data/, copied)", "",
           "Clean: empty chart and preview caches. Warm: the same again. Edited: one row changed "
           f"({(real.get('edit') or {}).get('resource')}.{(real.get('edit') or {}).get('field')}, row {(real.get('edit') or {}).get('row')}). "
           "Added: then one new observation with a new source "
           f"({(real.get('addition') or {}).get('target')}, {(real.get('addition') or {}).get('year')}; made up, in the copy only).", "",
           "| stage | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    out += [f"| {st} | " + " | ".join(f"{_num(runs[n]['stages'].get(st))} s ({_num(runs[n]['stages_cpu'].get(st))} CPU)" for n in names) + " |"
            for st in stages]
    out += ["| whole build | " + " | ".join(f"{_num(runs[n]['wall'])} s ({_num(runs[n]['cpu'])} CPU)" for n in names) + " |", ""]
    out += ["Ratios to the clean build (wall): " + ", ".join(f"{k} {v:.2f}" for k, v in real["ratios"].items()) + "."]
    f, h = real.get("figures") or {}, ((real.get("figures") or {}).get("heaviest_pages") or [{}])[0]
    if f:
        out += ["", f"{f['html_pages']:,} HTML pages; build/ {_bytes(f['build_bytes'])}; search indexes "
                + ", ".join(f"`{k}` {_bytes(v)}" for k, v in f["search_index_bytes"].items())
                + f"; heaviest page `{h.get('page')}` {_bytes(h.get('total'))} ({_bytes(h.get('with_search_gzip'))} gzipped with search); "
                f"peak memory {_num((real.get('peak_rss_mb') or {}).get('all_at_once'))} MB."]
    return out


# --- writing -------------------------------------------------------------------------------------

def write(report: dict, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    as_json, as_md = folder / "report.json", folder / "report.md"
    as_json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    as_md.write_text(markdown(report), encoding="utf-8")
    return as_json, as_md


def _label(scale: float) -> str:
    return f"{scale:g}×"


def _round(value):
    return round(value, 3) if value is not None else None


def _num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{int(value):,}"


def _bytes(value) -> str:
    if value is None:
        return "—"
    for unit, size in (("MB", 1_000_000), ("KB", 1_000)):
        if value >= size:
            return f"{value / size:,.1f} {unit}"
    return f"{value} B"


def _yes(met) -> str:
    return "—" if met is None else ("yes" if met else "**no**")

"""`python -m tests.bench`: the scale benchmark of issue 9 (`make bench`; not part of `make test`).

For each scale, a synthetic package in a temporary folder (tests/bench/synthetic.py), built once
from clean in a subprocess of its own (tests/bench/measure.py) so that its memory is its own, and
stopped after --time-limit seconds. Then the real site: a clean build, a warm one, and one after a
changed row. Then the same real site (clean, warm) and 10× (clean) built by each other engine
(Zensical, issue 16), beside MkDocs' figures. The report goes to tests/bench/report/ as report.json
and report.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts import paths

from . import report
from .synthetic import generate, row_counts

REPORT = Path(__file__).resolve().parent / "report"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100], help="default: 1 10 100")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds one build may take (default 600)")
    parser.add_argument("--no-real", action="store_true", help="skip the real site's clean, warm, edited and added builds")
    parser.add_argument("--real-only", action="store_true", help="only the real site's builds (no synthetic scales)")
    parser.add_argument("--report", type=Path, default=REPORT, help=f"where to write the report (default {REPORT.relative_to(paths.ROOT)})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (packages, builds, logs)")
    parser.add_argument("--engines", nargs="+", default=["mkdocs", "zensical"], choices=["mkdocs", "zensical"],
                        help="engines to compare on the real site and at 10× (default: mkdocs zensical)")
    parser.add_argument("--rewrite", action="store_true", help="build nothing; write the report again from its report.json")
    args = parser.parse_args(argv)
    if args.rewrite:
        old = json.loads((args.report / "report.json").read_text(encoding="utf-8"))
        report.write(report.build_report(old["machine"], old["scales"], old["real_site"], old.get("engines")), args.report)
        return 0

    machine = {"when": dt.datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count(),
               "python": platform.python_version(), "load_before": _load()}
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"Working in {work}", flush=True)
    try:
        scales = []
        for scale in [] if args.real_only else sorted(args.scales):
            scales.append(run_scale(scale, work / f"x{scale:g}", args.time_limit, scales))
        real = None if args.no_real else run_real(work / "real", args.time_limit * 3)
        compared = run_engines(args.engines, work, scales, real, args.time_limit)
        machine["load_after"] = _load()
        result = report.build_report(machine, scales, real, compared)
        as_json, as_md = report.write(result, args.report)
    finally:
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for t in result["targets"]:
        print(f"  {t['target']}: {t['measured']} ({report._yes(t['met'])})")
    print(f"Report: {as_md} and {as_json.name}")
    return 0


def run_scale(scale: float, folder: Path, limit: float, before: list[dict]) -> dict:
    start = time.perf_counter()
    package = generate(folder / "data", scale)
    rows = row_counts(package)
    print(f"{scale:g}×: {sum(rows.values()):,} rows generated in {time.perf_counter() - start:.1f} s; building…", flush=True)
    child, stopped = run_child(folder / "work", package, ["clean"], limit)
    if stopped is not None:
        stopped["if_linear_cpu"] = _projection(before, scale)
    entry = report.scale_entry(scale, rows, child, stopped)
    entry["generate_seconds"] = round(time.perf_counter() - start, 1)
    _say(entry)
    return entry


def run_real(folder: Path, limit: float) -> dict | None:
    """The real package (a copy of data/), built clean, warm, after one changed text cell, and after
    that and one new observation with its source."""
    shutil.copytree(paths.DATA, folder / "data")
    print("Real site: clean, warm, one-cell-changed and one-observation-added builds…", flush=True)
    child, stopped = run_child(folder / "work", folder / "data" / paths.PACKAGE.name, ["clean", "warm", "edited", "added"], limit)
    if child is None:
        print(f"  the real site's builds did not finish: {stopped}", flush=True)
        return None
    real = report.real_site(child)
    print("  " + ", ".join(f"{name} {run['wall']:.1f} s" for name, run in real["runs"].items()), flush=True)
    return real


def run_engines(names: list[str], work: Path, scales: list[dict], real: dict | None, limit: float) -> dict:
    """Each engine's build times on the real site (clean, warm) and at 10× (clean). MkDocs' come from
    the runs above; every other engine builds the same packages, each in a process of its own."""
    compared = {}
    ten = next((s for s in scales if s["scale"] == 10), None)
    for engine in names:
        if engine == "mkdocs":
            compared[engine] = report.engine_entry(engine, real, ten)
            continue
        print(f"{engine}: the real site (clean, warm) and 10× (clean)…", flush=True)
        real_child = run_child(work / f"{engine}-real", work / "real" / "data" / paths.PACKAGE.name, ["clean", "warm"], limit * 3,
                               engine)[0] if real else None
        ten_child = run_child(work / f"{engine}-x10", work / "x10" / "data" / paths.PACKAGE.name, ["clean"], limit, engine)[0] \
            if ten else None
        compared[engine] = report.engine_entry(engine, real_child and report.real_site(real_child),
                                               ten_child and report.scale_entry(10, ten["rows"], ten_child))
        print("  " + report.engine_line(compared[engine]), flush=True)
    return compared


def run_child(workdir: Path, package: Path, runs: list[str], limit: float, engine: str = "mkdocs") -> tuple[dict | None, dict | None]:
    """Run tests/bench/measure.py; (its result, None), or (None, where it stopped) after `limit` s."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "tests.bench.measure", str(workdir), str(package), "--runs", ",".join(runs), "--engine", engine]
    start = time.perf_counter()
    with (workdir / "log.txt").open("w") as log:
        child = subprocess.Popen(command, cwd=paths.ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)    # the child and the MkDocs runs it started, nothing else
            child.wait()
    elapsed = time.perf_counter() - start
    if child.returncode == 0:
        return json.loads((workdir / "result.json").read_text(encoding="utf-8")), None
    progress = [json.loads(line) for line in (workdir / "progress.jsonl").read_text(encoding="utf-8").splitlines()] \
        if (workdir / "progress.jsonl").exists() else []
    stopped = report.stopped_state(progress, elapsed, limit, generated_state(workdir))
    stopped["peak_rss_mb_any_child"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    if child.returncode != -signal.SIGKILL:
        stopped["error"] = (workdir / "log.txt").read_text(encoding="utf-8", errors="replace")[-3000:]
    return None, stopped


def generated_state(workdir: Path) -> dict:
    """How far a stopped build got: pages generated, preview images made, HTML MkDocs wrote."""
    generated = workdir / "generated"
    pages = [p for p in generated.glob("*/**/*.md")] if generated.exists() else []
    largest = sorted(pages, key=lambda p: -p.stat().st_size)[:5]
    return {"pages": len(pages),
            "previews": sum(1 for _ in generated.glob("*/anh-chia-se/*.png")) if generated.exists() else 0,
            "html_written": sum(1 for _ in workdir.glob(".build-*/**/*.html")),
            "largest": [(p.relative_to(generated).as_posix(), p.stat().st_size) for p in largest]}


def _projection(before: list[dict], scale: float) -> dict:
    """CPU seconds per stage if it grew linearly with the scale from the largest finished one."""
    done = [s for s in before if s["finished"]]
    if not done:
        return {}
    last = done[-1]
    factor = scale / last["scale"]
    return {name: round(stage["cpu"] * factor, 1) for name, stage in last["stages"].items() if stage.get("cpu") is not None}


def _say(entry: dict) -> None:
    stages = ", ".join(f"{name} {s['wall']:.1f} s" for name, s in entry["stages"].items())
    if entry["finished"]:
        print(f"  built {entry['html_pages']:,} pages in {entry['wall']:.1f} s ({stages}); peak "
              f"{entry['peak_rss_mb'].get('all_at_once')} MB", flush=True)
    else:
        st = entry["stopped"]
        print(f"  stopped after {st['elapsed']} s; finished: {stages or 'nothing'}; "
              f"then {st['in_stage_for']} s in the next stage", flush=True)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


if __name__ == "__main__":
    sys.exit(main())

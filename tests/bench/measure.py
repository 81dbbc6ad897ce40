"""Builds of one package, measured, in a process of their own (tests/bench/__main__.py starts it).

    python -m tests.bench.measure WORKDIR PACKAGE [--runs clean,warm,edited,added] [--engine mkdocs|zensical]

Everything the builds write goes under WORKDIR: their own site/generated/ (so the chart and preview
caches start empty, and the shared site/generated/ and its lock are left alone), build/, and
progress.jsonl, one line per finished stage, which tells how far a build got if it is stopped.
"edited" changes one text cell of a copy of the package first; "added" then adds one observation
with its source, the most common real edit (made up, in the copy only). The result is WORKDIR/result.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

from scripts import paths

from . import figures

EDIT_MARK = " (đã sửa)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.measure")
    parser.add_argument("workdir", type=Path)
    parser.add_argument("package", type=Path)
    parser.add_argument("--runs", default="clean", help="comma-separated: clean, warm, edited, added")
    parser.add_argument("--engine", default="mkdocs", choices=["mkdocs", "zensical"])
    args = parser.parse_args(argv)
    result = measure(args.workdir, args.package, args.runs.split(","), args.engine)
    (args.workdir / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def measure(workdir: Path, package: Path, runs: list[str], engine: str = "mkdocs") -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    paths.GENERATED = workdir / "generated"          # this process's own docs folders, caches and lock
    from scripts.engines import build as build_module

    progress = workdir / "progress.jsonl"
    build_module._Timer = _timer_class(progress)
    out, result = workdir / "build", {"runs": {}}
    with _TreeMemory() as memory:
        for run in runs:
            if run == "edited":
                package, result["edit"] = edit_one_row(package, workdir / "edited")
            if run == "added":
                package, result["addition"] = add_one_observation(package, workdir / "added")
            _note(progress, {"run": run, "started": time.time()})
            start = time.perf_counter()
            built = build_module.build(out, package, engine=engine)
            wall = time.perf_counter() - start
            result["runs"][run] = {"seconds": built.seconds, "cpu": _STAGE_CPU.copy(), "wall": round(wall, 3),
                                   "pages": built.pages}
    result["figures"] = site_figures(out)
    result["peak_rss_mb"] = peak_rss_mb() | {"all_at_once": memory.peak_mb}
    return result


def site_figures(build: Path) -> dict:
    indexes = figures.search_indexes(build)
    return {"html_pages": figures.count_pages(build), "redirects": figures.count_redirects(build), "build_bytes": figures.folder_bytes(build),
            "search_index_bytes": indexes, "search_index_total": sum(indexes.values()),
            "heaviest_pages": figures.page_weights(build)}


def peak_rss_mb() -> dict:
    """Largest resident set of this process (the build) and of its largest child. A child's figure
    counts the build's memory it was started from, so it is an upper bound for an MkDocs run."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"build": round(own, 1), "mkdocs": round(children, 1), "peak": round(max(own, children), 1)}


def edit_one_row(package: Path, folder: Path) -> tuple[Path, dict]:
    """A copy of the package's folder with one row changed: the last target's Vietnamese text, or
    else the last row of the largest table that has Vietnamese text."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(package.parent, folder)
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    candidates = []
    for r in descriptor["resources"]:
        texts = [f["name"] for f in r["schema"]["fields"] if f["name"].endswith("_vi") and f.get("type", "string") == "string"]
        with (folder / r["path"]).open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        if texts and len(rows) > 1:
            candidates.append((r["name"] != "targets", -len(rows), r, texts[0], rows))
    _, _, r, field, rows = min(candidates, key=lambda c: c[:2])
    column = rows[0].index(field)
    rows[-1][column] += EDIT_MARK
    with (folder / r["path"]).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return folder / package.name, {"resource": r["name"], "row": len(rows), "field": field}


BENCH_SOURCE = {"id": "phep-do-toc-do", "title": "Nguồn giả của phép đo tốc độ (không công bố)",
                "publisher": "tests/bench", "date": "2026-01-01", "url": "https://example.org/phep-do-toc-do"}


def add_one_observation(package: Path, folder: Path) -> tuple[Path, dict]:
    """A copy of the package's folder with one new source and one observation citing it, for the
    first target counted towards a number (made up: the copy lives in the benchmark's temporary folder)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(package.parent, folder)
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    path = {r["name"]: folder / r["path"] for r in descriptor["resources"]}
    with path["targets"].open(encoding="utf-8-sig", newline="") as f:
        target = next(t for t in csv.DictReader(f) if t["kind"] == "count")
    year = int(descriptor["last_updated"][:4]) - 1
    _append(path["sources"], BENCH_SOURCE)
    _append(path["observations"], {"target_id": target["id"], "year": year, "value": 1, "source_id": BENCH_SOURCE["id"]})
    return folder / package.name, {"resource": "observations", "target": target["id"], "year": year, "source": BENCH_SOURCE["id"]}


def _append(table: Path, row: dict) -> None:
    """One row at the end of a CSV, in its header's order (fields not given left empty)."""
    text = table.read_text(encoding="utf-8-sig")
    header = next(csv.reader([text.splitlines()[0]]))
    with table.open("a", encoding="utf-8", newline="") as f:
        if not text.endswith("\n"):
            f.write("\n")
        csv.writer(f, lineterminator="\n").writerow([str(row.get(name, "")) for name in header])


class _TreeMemory:
    """The most memory this process and its children (the MkDocs runs) held at once, sampled from
    /proc every 0.2 s while the builds run."""

    def __init__(self):
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self):
        me = os.getpid()
        while not self._stop.wait(0.2):
            total = sum(_rss_kb(pid) for pid in [me, *_descendants(me)])
            self.peak_mb = max(self.peak_mb, round(total / 1024, 1))


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- stage times with CPU, and progress for a build that is stopped ---------------------------------

_STAGE_CPU: dict[str, float] = {}


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timer_class(progress: Path):
    """scripts.engines.build's stage timer, also counting CPU seconds (both cores, MkDocs included) and
    writing each finished stage to progress.jsonl."""
    from scripts.engines.build import _Timer

    class Timer(_Timer):
        def __init__(self):
            super().__init__()
            _STAGE_CPU.clear()
            self.cpu = _cpu()

        def lap(self, name: str) -> None:
            super().lap(name)
            cpu = _cpu()
            _STAGE_CPU[name] = round(cpu - self.cpu, 3)
            self.cpu = cpu
            _note(progress, {"stage": name, "seconds": self.seconds[name], "cpu": _STAGE_CPU[name],
                             "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})

    return Timer


def _note(progress: Path, record: dict) -> None:
    with progress.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())

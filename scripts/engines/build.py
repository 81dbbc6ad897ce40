"""data → validate → load → model → pages → an engine (MkDocs by default, or Zensical), into a
temporary folder swapped in at the end.

A failed or interrupted build leaves the previous build/ exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..base import cache
from ..data import clock
from ..data.load import descriptor as read_descriptor
from ..data.load import load
from ..data.model import build_model
from ..data.problems import Problem
from ..data.validate import validate
from ..render import charts
from ..render.chart_jobs import draw_charts
from ..render.pages import prepare_docs, render, write_pages
from ..render.redirects import write_redirects
from ..render.sharing import write_sharing
from ..render.urls import LANGS, path_of
from . import engine as engines


class DataInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


class BuildFailed(Exception):
    """The engine refused the generated site: a bug in a template or a config, not in the data."""


@dataclass
class BuildResult:
    out: Path
    pages: int
    seconds: dict[str, float]


def build(out: Path = paths.BUILD, package_path: Path = paths.PACKAGE, engine: str = engines.DEFAULT,
          as_of: dt.date | None = None) -> BuildResult:
    """`as_of`: the day states are judged on (default today in Viet Nam; never before the data's
    last_updated, or AsOfBeforeData)."""
    out = Path(out).resolve()      # the engines run from the project's folder; a relative --out is the caller's
    # site/generated/ is shared: two builds at once (a test run and `make site`) take turns
    paths.GENERATED.mkdir(parents=True, exist_ok=True)
    with open(paths.GENERATED / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _recover(out)
        return _build(out, package_path, engine, as_of)


def _recover(out: Path) -> None:
    """After a power cut: put back a last good site caught between the swap's two renames, and
    remove scratch folders no build is writing (we hold the lock)."""
    old = out.with_name(f".{out.name}-old")
    if old.is_dir() and not out.exists():
        old.rename(out)
    for scratch in out.parent.glob(".build-*") if out.parent.is_dir() else ():
        shutil.rmtree(scratch, ignore_errors=True)


def _build(out: Path, package_path: Path, engine: str, as_of: dt.date | None) -> BuildResult:
    engines.python(engine)      # a missing engine is said before any work, not after
    started = cache.now(paths.GENERATED)      # the caches' clock: what this build writes or uses is newer
    timer = _Timer()
    charts.start_bundle()       # the site's Vega bundle takes ~2 s on a clean checkout: on the other core, now
    # 1. Validate: nothing is written unless the data is sound
    problems = validate(package_path)
    if problems:
        raise DataInvalid(problems)
    timer.lap("validate")

    # 2. Load and join
    frames = load(package_path)
    meta = read_descriptor(package_path)
    model = build_model(frames, meta, package_path.parent, clock.as_of(meta, as_of), national=load(paths.NATIONAL_PACKAGE))
    package = _package_summary(meta, frames)
    timer.lap("load+model")

    # 3. The docs folders: downloads and charts, then the Markdown pages and the per-language configs
    prepare_docs(model, package_path, meta, frames)
    timer.lap("downloads")
    chart_sizes = draw_charts(model)
    timer.lap("charts")
    rendered = render(model, package, chart_sizes, frames)
    write_pages(rendered)
    timer.lap("pages")
    write_sharing(model, chart_sizes)
    timer.lap("sharing")

    # 4. The engine, both languages at once, into a scratch folder beside build/
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        _run_engine(scratch, source_date_epoch(meta), engine)
        write_redirects(model, scratch / "site")
        write_build_info(scratch / "site", model, meta)
        timer.lap(engine)
        _swap(scratch / "site", out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # The caches keep what this build used, so they do not grow with every change to the data
    for folder in CACHES:
        cache.prune(paths.GENERATED / folder, since=started)
    pages = sum(len(p) for p in rendered.values())
    return BuildResult(out, pages, timer.seconds)


CACHES = (".chart-cache", ".download-cache", ".preview-cache", ".validate-cache")    # MkDocs' page cache prunes itself


def _package_summary(descriptor: dict, frames) -> dict:
    resources = [{**r, "rows": len(frames[r["name"]])} for r in descriptor["resources"]]
    return {**descriptor, "resources": resources}


def write_build_info(site: Path, model: dict, meta: dict) -> None:
    """ban-dung.json: the day states were judged on, the data's date and version, and a digest of every
    other file of the site. The publish workflow's daily run compares it with the live site's and
    deploys nothing when they are the same."""
    digest = hashlib.sha256()
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(file.relative_to(site).as_posix().encode() + b"\0" + hashlib.sha256(file.read_bytes()).digest())
    info = {"as_of": model["as_of"].isoformat(), "data_updated": meta["last_updated"], "version": meta.get("version"),
            "digest": digest.hexdigest()}
    (site / path_of("build_info")).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def source_date_epoch(meta: dict) -> str:
    """Dates MkDocs writes (the sitemap's gzip header) come from the data, not the clock."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    day = dt.date.fromisoformat(meta["last_updated"])
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()))


def _run_engine(scratch: Path, epoch: str, engine: str = engines.DEFAULT) -> None:
    runs = {}
    failures = []
    try:
        # started inside the try, so an interrupt stops what was started; each start whole (_uninterrupted):
        # an interrupt inside Popen() left an engine running that no one knew of, writing into the
        # scratch folder after it was removed
        for lang in LANGS:
            engines.prepare(engine, lang)
            # cwd is the project, so both engines import our Markdown extensions (engines.OWN_EXTENSIONS)
            runs[lang] = _uninterrupted(lambda: subprocess.Popen(
                engines.command(engine, lang, scratch / lang), cwd=paths.ROOT, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, env=engines.environment(engine, epoch)))
        for lang, run in runs.items():
            output, _ = run.communicate()
            warned = engines.warnings(engine, output)
            if run.returncode != 0 or warned:
                failures.append(f"[{lang}] {engine} exited {run.returncode}:\n" + "\n".join(warned))
    except BaseException:
        # interrupted (Ctrl-C, a crash): stop the engine before the scratch folder is removed, or it
        # would go on writing a half site beside build/
        for run in runs.values():
            run.kill()
            run.wait()
        raise
    if failures:
        raise BuildFailed("\n".join(failures))
    for lang in LANGS:
        engines.collect(engine, lang, scratch / lang)
    # Vietnamese at the root, English under /en/
    (scratch / "vi").rename(scratch / "site")
    (scratch / "en").rename(scratch / "site" / "en")


def _uninterrupted(start):
    """start(), with a Ctrl-C that comes meanwhile held until it has returned, then raised. Python runs
    signal handlers in the main thread only, whichever thread the signal reached."""
    if threading.current_thread() is not threading.main_thread():
        return start()
    came = []
    previous = signal.signal(signal.SIGINT, lambda *_: came.append(True))
    try:
        started = start()
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        try:
            signal.raise_signal(signal.SIGINT)       # the Ctrl-C again, for the handler now in place
        except BaseException:
            started.kill()
            started.wait()
            raise
    return started


def _swap(new: Path, out: Path) -> None:
    """Put the new site in place with two renames; the old one is removed only afterwards."""
    old = out.with_name(f".{out.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        # interrupted between the two renames: put the last good site back
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


class _Timer:
    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self.last, 3)
        self.last = now

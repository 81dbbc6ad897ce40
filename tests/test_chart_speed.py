"""The chart stage's caches and processes: a changed value is never drawn from the cache, the same
spec is never drawn twice, the worker processes draw what this process would, and the Vega bundle
made in the background is whole or absent, never half there, with no process left behind."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import vl_convert

from scripts import paths
from scripts.base import cache
from scripts.render import charts, vega


@pytest.fixture
def generated(tmp_path, monkeypatch) -> Path:
    """A cache of the test's own: never the shared site/generated/."""
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "generated")
    return tmp_path / "generated"


@pytest.fixture
def no_bundle(monkeypatch):
    monkeypatch.setattr(charts, "start_bundle", lambda: None)


@pytest.fixture
def calls(monkeypatch) -> dict[str, int]:
    """How often vl-convert draws, counted."""
    counts = {"vegalite_to_svg": 0, "svg_to_png": 0, "vegalite_to_png": 0}
    for name in counts:
        def counted(*args, _name=name, _real=getattr(vl_convert, name), **kwargs):
            counts[_name] += 1
            return _real(*args, **kwargs)
        monkeypatch.setattr(vl_convert, name, counted)
    return counts


def line(id="gia-tri", last=4321.0) -> charts.Chart:
    return charts.Chart(id=id, points=[(2021, 1234.0), (2022, 2345.0), (2023, last)], title="Giá trị", page="x.md",
                        y_title="Giá trị", alt_text="Biểu đồ giá trị", source_line="Nguồn: Sở KH&CN", x_label="Năm")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_changed_value_is_drawn_afresh_and_the_same_spec_is_not_drawn_again(generated, no_bundle, calls, tmp_path, monkeypatch):
    charts.render_all([(line(), "vi", tmp_path / "a"), (line(), "vi", tmp_path / "a2")])
    assert calls == {"vegalite_to_svg": 1, "svg_to_png": 1, "vegalite_to_png": 0}  # one SVG, the PNG made from it
    first = files(tmp_path / "a")
    assert first == files(tmp_path / "a2") and "4.321" in first["gia-tri.svg"].decode()

    # The same chart again: no drawing, and no Altair either (the spec is cached too)
    with monkeypatch.context() as patch:
        patch.setattr(charts, "spec", lambda *a: pytest.fail("made a spec that is cached"))
        charts.render_all([(line(), "vi", tmp_path / "b")])
    assert calls["vegalite_to_svg"] == 1 and files(tmp_path / "b") == first

    # One value changed: drawn again, and the picture shows the new value, not the old one
    charts.render_all([(line(last=8765.0), "vi", tmp_path / "c")])
    changed = files(tmp_path / "c")
    assert calls["vegalite_to_svg"] == 2
    assert "8.765" in changed["gia-tri.svg"].decode() and "4.321" not in changed["gia-tri.svg"].decode()
    assert changed["gia-tri.png"] != first["gia-tri.png"]
    # Another locale is another drawing
    charts.render_all([(line(), "en", tmp_path / "d")])
    assert calls["vegalite_to_svg"] == 3 and "4,321" in (tmp_path / "d" / "gia-tri.svg").read_text(encoding="utf-8")


def test_worker_processes_draw_the_same_files_as_this_process(generated, no_bundle, tmp_path, monkeypatch):
    jobs = [(line(f"c{i}", last=1000.0 + i), lang, tmp_path / "{}" / lang) for i in range(3) for lang in ("vi", "en")]
    monkeypatch.setattr(charts, "PARALLEL_FROM", 10**6)
    monkeypatch.setattr(charts, "PARALLEL_FROM_WHILE_BUNDLING", 10**6)
    charts.render_all([(c, lang, Path(str(f).format("here"))) for c, lang, f in jobs])
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "generated-pool")
    monkeypatch.setattr(charts, "PARALLEL_FROM", 1)
    monkeypatch.setattr(charts, "PARALLEL_FROM_WHILE_BUNDLING", 1)
    monkeypatch.setattr(charts, "WORKERS", 2)
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drew in this process"))
    charts.render_all([(c, lang, Path(str(f).format("pool"))) for c, lang, f in jobs])
    for lang in ("vi", "en"):
        assert files(tmp_path / "pool" / lang) == files(tmp_path / "here" / lang)
        assert len(files(tmp_path / "pool" / lang)) == 3 * 4


def test_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "vega-bundle.js"
    monkeypatch.setattr(cache.os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        cache.atomic_write(target, b"x" * 100_000)
    assert list(tmp_path.iterdir()) == []


def complete(bundle: bytes) -> bool:
    return len(bundle) > 100_000 and re.search(rb"window\.vegaEmbed=[$\w]+;\s*$", bundle[-200:]) is not None


def test_the_bundle_made_in_the_background_is_complete(generated, tmp_path):
    charts.start_bundle()
    job = charts._bundle_jobs[charts._bundle_cache()]
    charts.start_bundle()  # idempotent: still the one job
    assert list(charts._bundle_jobs.values()) == [job]
    charts.write_bundle(tmp_path / "vendor" / "vega-bundle.js")
    assert job.returncode == 0 and not charts._bundle_jobs
    store = generated / ".chart-cache"
    assert [p.name for p in store.iterdir()] == [charts._bundle_cache().name]  # no temporary file left
    assert (tmp_path / "vendor" / "vega-bundle.js").read_bytes() == charts._bundle_cache().read_bytes()
    assert complete(charts._bundle_cache().read_bytes())


def test_a_failed_background_bundle_leaves_no_file_and_the_build_still_gets_one(generated, tmp_path, monkeypatch):
    charts.start_bundle()
    job = charts._bundle_jobs[charts._bundle_cache()]
    job.terminate()
    assert job.wait(timeout=10) != 0
    assert list((generated / ".chart-cache").iterdir()) == []
    # write_bundle sees the job failed and makes the bundle here (a stand-in: the real one is tested above)
    monkeypatch.setattr(vega, "write_bundle_file", lambda path: cache.atomic_write(path, b"the bundle"))
    charts.write_bundle(tmp_path / "vega-bundle.js")
    assert (tmp_path / "vega-bundle.js").read_bytes() == b"the bundle" and not charts._bundle_jobs


def test_the_background_bundle_dies_with_the_build(generated):
    """A build killed outright (no atexit, no finally) leaves no bundle process and no half a bundle."""
    script = ("import os, signal, sys, time\n"
              "from pathlib import Path\n"
              "from scripts import paths\nfrom scripts.render import charts\n"
              f"paths.GENERATED = Path({str(generated)!r})\n"
              "charts.start_bundle()\n"
              "print(list(charts._bundle_jobs.values())[0].pid, flush=True)\n"
              "time.sleep(0.5)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    build = subprocess.run([sys.executable, "-c", script], cwd=paths.ROOT, capture_output=True, text=True, timeout=30)
    assert build.returncode == -signal.SIGKILL, build.stderr
    child = int(build.stdout)
    deadline = time.monotonic() + 15
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child)
    store = generated / ".chart-cache"
    left = [p.name for p in store.iterdir()]
    assert not [name for name in left if name.endswith(".tmp")]
    if left:  # finished before it heard: then it is whole
        assert complete((store / left[0]).read_bytes())


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie no one has reaped yet is gone for our purposes


def test_sweep_removes_only_what_killed_writers_left_long_ago(tmp_path):
    old_file, old_dir, fresh, entry = (tmp_path / ".a.svg.x.tmp"), (tmp_path / ".key.x"), (tmp_path / ".b.svg.y.tmp"), (tmp_path / "a.svg")
    for path in (old_file, fresh, entry):
        path.write_bytes(b"x")
    old_dir.mkdir()
    hour_ago = entry.stat().st_mtime - 3600      # the file system's clock, which sweep compares with
    for path in (old_file, old_dir):
        os.utime(path, (hour_ago, hour_ago))
    cache.sweep(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, entry.name]

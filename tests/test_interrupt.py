"""Nothing lost: a build that crashes or is interrupted halfway leaves the previous build/ byte for
byte as it was, and no scratch folder behind."""
import hashlib
import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts import paths

build_module = importlib.import_module("scripts.engines.build")


def last_good_build(top: Path) -> Path:
    out = top / "build"
    (out / "en" / "assets").mkdir(parents=True)
    (out / "index.html").write_text("<p>last good build</p>", encoding="utf-8")
    (out / "en" / "index.html").write_text("<p>last good build, in English</p>", encoding="utf-8")
    (out / "en" / "assets" / "site.css").write_bytes(b"body{}\n")
    return out


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_untouched(out: Path, before: dict[str, str]) -> None:
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["build"]  # no scratch folder, no old copy


def _halfway(error: BaseException):
    """Stand-in for the engine (MkDocs): writes part of a site into the scratch folder, then stops."""
    def mkdocs(scratch_dir: Path, *args, **kwargs) -> None:
        (scratch_dir / "vi" / "nhiem-vu").mkdir(parents=True)
        (scratch_dir / "vi" / "index.html").write_text("<p>half a new build</p>", encoding="utf-8")
        raise error
    return mkdocs


@pytest.mark.parametrize("error", [KeyboardInterrupt(), RuntimeError("MkDocs crashed")], ids=["ctrl-c", "crash"])
def test_a_build_stopped_halfway_leaves_the_last_build_as_it_was(tmp_path, monkeypatch, error):
    out = last_good_build(tmp_path)
    before = snapshot(out)
    monkeypatch.setattr(build_module, "_run_engine", _halfway(error))
    with pytest.raises(type(error)):
        build_module.build(out)
    assert_untouched(out, before)


def test_after_a_power_cut_between_the_two_renames_the_next_build_starts_from_the_last_good_site(tmp_path, monkeypatch):
    """The machine stopped with build/ renamed away and the new site not yet in place; a half
    written scratch folder is left too. The next build, even one that fails, puts the site back."""
    out = last_good_build(tmp_path)
    before = snapshot(out)
    out.rename(out.with_name(".build-old"))
    (tmp_path / ".build-x1y2" / "vi").mkdir(parents=True)
    monkeypatch.setattr(build_module, "_run_engine", _halfway(RuntimeError("MkDocs crashed")))
    with pytest.raises(RuntimeError):
        build_module.build(out)
    assert_untouched(out, before)


def test_ctrl_c_as_the_new_site_is_moved_into_place_keeps_the_last_build(tmp_path, monkeypatch):
    """The swap is two renames (build → old, new → build): an interrupt between them must not
    leave the site missing."""
    out = last_good_build(tmp_path)
    before = snapshot(out)

    def mkdocs(scratch: Path, *args, **kwargs) -> None:
        (scratch / "site").mkdir()
        (scratch / "site" / "index.html").write_text("<p>new build</p>", encoding="utf-8")

    fired = []
    real_rename = Path.rename

    def rename(self, target):
        if Path(target) == out and self != out.with_name(f".{out.name}-old"):
            fired.append(self)
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(build_module, "_run_engine", mkdocs)
    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build_module.build(out)
    assert fired, "the swap no longer moves the new site with Path.rename: update this test"
    assert_untouched(out, before)


# The build as `python -m scripts build` runs it, with Ctrl-C's default handler: a test suite started in
# the background by a shell (`make test &`) inherits an ignored SIGINT, which Python then keeps ignoring.
_BUILD = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "sys.argv = ['scripts', 'build', '--out', sys.argv[1]]; runpy.run_module('scripts', run_name='__main__', alter_sys=True)")


def _start_build(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _BUILD, str(out)], cwd=paths.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_mkdocs_to_run(top: Path, run: subprocess.Popen, timeout: float = 180) -> None:
    """Until MkDocs runs: its process is there and the scratch folder beside build/ exists. (Waiting
    for its first page was a race: with the page caches warm, MkDocs writes all its pages in a few
    tenths of a second. What a half-written scratch folder leaves is tested above, with a stand-in.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert run.poll() is None, f"the build ended before it could be interrupted: {run.communicate()}"
        if any(top.glob(".build-*")) and _engine_running(run.pid):
            return
        time.sleep(0.005)
    run.kill()
    raise AssertionError("MkDocs never started")


def _engine_running(session: int) -> bool:
    """An MkDocs process in the build's session (its command line names `mkdocs build`)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getsid(int(proc.name)) == session and b"mkdocs\x00build" in (proc / "cmdline").read_bytes():
                return True
        except (OSError, ProcessLookupError):
            continue
    return False


@pytest.mark.parametrize("who", ["process-group", "build-process"], ids=["ctrl-c-in-a-terminal", "kill-INT-the-build"])
def test_sigint_to_a_real_build_leaves_the_last_build_as_it_was(tmp_path, who):
    """Ctrl-C in a terminal signals the whole process group; `kill -INT <pid>` only the build.
    Either way build/ is unchanged, no scratch folder is left and MkDocs is not left running."""
    out = last_good_build(tmp_path)
    before = snapshot(out)
    run = _start_build(out)
    _wait_for_mkdocs_to_run(tmp_path, run)
    if who == "process-group":
        os.killpg(run.pid, signal.SIGINT)
    else:
        run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    time.sleep(3)  # an MkDocs still alive would go on writing: give it the time to show

    assert run.returncode == 130
    assert "build/ không thay đổi" in stderr and "Traceback" not in stdout + stderr
    assert_untouched(out, before)
    try:  # nothing of the build is still running in its process group
        os.killpg(run.pid, 0)
        still_running = True
        os.killpg(run.pid, signal.SIGKILL)
    except ProcessLookupError:
        still_running = False
    assert not still_running, "MkDocs kept running after the build was interrupted"


def test_a_ctrl_c_while_an_engine_is_being_started_stops_that_engine_too():
    """An interrupt inside Popen() used to leave the engine it was starting running, unknown to the
    build, writing into the scratch folder after it was removed (found when the page caches made
    MkDocs fast enough for test_sigint_to_a_real_build... to interrupt the second start)."""
    started = []

    def start():
        os.kill(os.getpid(), signal.SIGINT)          # arrives while the engine is being started
        started.append(subprocess.Popen(["sleep", "30"]))
        return started[0]

    before = signal.signal(signal.SIGINT, signal.default_int_handler)   # as in a terminal, even under `make test &`
    try:
        with pytest.raises(KeyboardInterrupt):
            build_module._uninterrupted(start)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)
    assert started and started[0].poll() is not None, "the engine being started was left running"

"""The same commit, data and as-of day build the same bytes: no clock, no random order, no build-machine
detail. (The as-of day is the one thing a build takes from the clock when it is not given: see
tests/test_as_of.py.)

Two builds in separate folders, under a different hash seed and time zone, must be identical file for
file. The one date MkDocs writes on its own (the sitemap, and the timestamp inside sitemap.xml.gz) must
be $SOURCE_DATE_EPOCH when that is set, else the data's own `last_updated`, never the day of the build.
"""
import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.base.text import format_date
from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.engines.build import build
from scripts.paths import ROOT

# The clock of the second build: a day in no file of the data and on no date of the plan's schedule.
FAKE_DAY = dt.date(2027, 3, 17)


@pytest.fixture(scope="module")
def two_builds(built_site, tmp_path_factory) -> tuple[Path, Path]:
    """The session's build, and a second one with another hash seed and time zone for MkDocs, run
    (when libfaketime is installed, as `make test` does) under a clock set to FAKE_DAY: a build that
    read its own clock would then differ from the first and would carry FAKE_DAY."""
    out = tmp_path_factory.mktemp("second") / "build"
    env = {**_without_faketime(), "PYTHONHASHSEED": "683", "TZ": "Pacific/Kiritimati"}  # UTC+14: another calendar day
    if shutil.which("faketime"):
        # the same as-of day as the first build (the data's date): the clock must decide nothing else
        command = ["faketime", f"{FAKE_DAY.isoformat()} 10:00:00", sys.executable, "-m", "scripts", "build", "--out", str(out),
                   "--as-of", descriptor()["last_updated"]]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    else:
        with pytest.MonkeyPatch.context() as patch:
            for key in ("PYTHONHASHSEED", "TZ"):
                patch.setenv(key, env[key])
            build(out)
    return built_site, out


def test_two_builds_are_byte_identical(two_builds):
    first, second = two_builds
    assert _files(first) == _files(second)
    different = [name for name in _files(first) if (first / name).read_bytes() != (second / name).read_bytes()]
    assert different == [], f"differ between two builds of the same data: {different}"


def test_dates_stamped_by_mkdocs_come_from_the_data_not_the_clock(two_builds):
    """sitemap.xml.gz carries a timestamp in its gzip header; left alone, MkDocs puts today's date there."""
    site = two_builds[0]
    expected = _expected_day()
    stamps = {path.relative_to(site).as_posix(): _day(_gzip_mtime(path)) for path in site.rglob("*.gz")}
    assert stamps, "no sitemap.xml.gz: if it was removed on purpose, delete this check"
    wrong = {name: day for name, day in stamps.items() if day != expected}
    assert wrong == {}, (
        f"expected {expected} (SOURCE_DATE_EPOCH, or last_updated in data/datapackage.json): "
        "scripts/engines/build.py must pass SOURCE_DATE_EPOCH to MkDocs")
    lastmods = {m for path in site.rglob("sitemap.xml") for m in re.findall(r"<lastmod>(.*?)</lastmod>", path.read_text("utf-8"))}
    assert lastmods <= {expected}


def test_no_page_carries_the_day_it_was_built(two_builds):
    """Any "updated on" date must come from the data; the build's own day would change every day.
    Today may also be a date of the plan's schedule (30 November: the calendar rightly shows it), so
    the clock is told from the schedule by the second build, made on a day that is neither."""
    first, second = two_builds
    known = _data_dates() | _schedule_dates()
    assert FAKE_DAY not in known
    found = []
    if shutil.which("faketime"):
        found += _dates_in(second, {FAKE_DAY})
    found += _dates_in(first, {dt.datetime.now(dt.timezone.utc).date(), dt.date.today()} - known)
    assert found == []


def test_the_second_build_ran_under_another_clock(two_builds):
    """Without libfaketime the test above checks only days outside the schedule: `make test` installs it."""
    if not shutil.which("faketime"):
        pytest.skip("faketime is not installed (make test installs it)")
    done = subprocess.run(["faketime", "2027-03-17 10:00:00", sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                          capture_output=True, text=True, check=True, env=_without_faketime())
    assert done.stdout.strip() == FAKE_DAY.isoformat()


def _without_faketime() -> dict[str, str]:
    """The environment without a libfaketime this suite may itself run under (faketime does not nest)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME") and k != "LD_PRELOAD"}


def _dates_in(site: Path, days: set[dt.date]) -> list[tuple[str, str]]:
    forms = {form for day in days for form in (day.isoformat(), format_date(day, "vi"), format_date(day, "en"))}
    found = []
    for name in _files(site):
        if name.endswith((".html", ".xml", ".json", ".js", ".css", ".txt", ".csv", ".svg", ".ics")):
            text = (site / name).read_text(encoding="utf-8", errors="replace")
            found += [(name, form) for form in forms if form in text]
    return found


def _schedule_dates() -> set[dt.date]:
    """The dates the plan's own schedule puts on pages: each report's due day, 2021-2030, and the day
    after it, when the report turns overdue (the methodology page says "from 1 December 2026 they are
    overdue"; found running the suite under faketime 2026-12-01)."""
    due = {row["due"] for row in build_model(load(), descriptor())["calendar"]}
    return due | {day + dt.timedelta(days=1) for day in due}


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _gzip_mtime(path: Path) -> int:
    header = path.read_bytes()[:8]
    assert header[:2] == b"\x1f\x8b", f"{path} is not gzip"
    return struct.unpack("<I", header[4:8])[0]


def _data_dates() -> set[dt.date]:
    """Every date in the data: the package's last_updated and each date field."""
    frames, package = load(), descriptor()
    dates = {value for resource in package["resources"] for field in resource["schema"]["fields"]
             if field.get("type") == "date" for value in frames[resource["name"]][field["name"]].dropna()}
    return dates | {dt.date.fromisoformat(package["last_updated"])}


def _expected_day() -> str:
    """The UTC day of $SOURCE_DATE_EPOCH when set, else the data's own last_updated (MkDocs keeps only the day)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return _day(int(os.environ["SOURCE_DATE_EPOCH"]))
    return descriptor()["last_updated"]


def _day(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat()

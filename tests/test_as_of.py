"""The site's clock (issue 23): every state is judged as of the build's day, which each page that shows
a state names, apart from the data's own date. The default is today in Viet Nam; a day before the
data's last_updated is refused; the edges are 30 November (a report's deadline) and 1 January (a
target's deadline year has ended)."""
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import paths
from scripts.__main__ import main
from scripts.data import clock
from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.engines.build import build


def _model(as_of: dt.date, last_updated: str = "2025-06-01"):
    """The real data as if last updated on `last_updated`, judged as of `as_of` (allowed: not before it)."""
    meta = {**descriptor(), "last_updated": last_updated}
    return build_model(load(), meta, as_of=clock.as_of(meta, as_of))


def _states(model, year: int) -> set[str]:
    return {r["state"] for r in model["calendar"] if r["year"] == year}


@pytest.mark.parametrize("as_of, states_2026, next_due, next_state, days", [
    (dt.date(2026, 11, 29), {"due_soon"}, dt.date(2026, 11, 30), "due_soon", 1),        # the day before
    (dt.date(2026, 11, 30), {"due_today"}, dt.date(2026, 11, 30), "due_today", 0),      # on the day: not yet overdue
    (dt.date(2026, 12, 1), {"overdue"}, dt.date(2027, 11, 30), "upcoming", 364),        # the day after: overdue
    (dt.date(2026, 12, 4), {"overdue"}, dt.date(2027, 11, 30), "upcoming", 361),        # the morning
])
def test_the_years_reports_around_30_november(as_of, states_2026, next_due, next_state, days):
    m = _model(as_of)
    assert _states(m, 2026) == states_2026
    assert _states(m, 2025) == {"overdue"}
    st = m["standing"]
    assert (st["next_due"], st["next_due_state"], st["next_due_days"]) == (next_due, next_state, days)
    assert m["as_of"] == as_of and m["data_date"] == dt.date(2025, 6, 1)


@pytest.mark.parametrize("as_of, overdue", [
    (dt.date(2025, 12, 31), []),                                               # 2025 is not over yet
    (dt.date(2026, 1, 1), ["chuyen-gia-2025", "clb-sinh-vien-2025"]),          # the deadline year has ended
])
def test_a_targets_deadline_year_ends_on_31_december(as_of, overdue):
    m = _model(as_of)
    assert [t["id"] for t in m["standing"]["overdue"]] == overdue
    status = {t["id"]: t["assessment"].status for t in m["targets"]}
    assert status["chuyen-gia-2025"] == ("overdue" if overdue else "no_data")
    assert status["chuyen-gia-2030"] == "no_data"


def test_the_model_without_an_as_of_day_judges_on_the_datas_date():
    m = build_model(load(), descriptor())
    assert m["as_of"] == m["data_date"] == dt.date.fromisoformat(descriptor()["last_updated"])


def test_a_day_before_the_datas_date_is_refused():
    meta = descriptor()
    day = clock.data_date(meta)
    assert clock.as_of(meta, day) == day
    with pytest.raises(clock.AsOfBeforeData) as refused:
        clock.as_of(meta, day - dt.timedelta(days=1))
    assert (refused.value.as_of, refused.value.data_date) == (day - dt.timedelta(days=1), day)


def test_the_command_line_refuses_it_and_leaves_build_alone(tmp_path, capsys):
    out = tmp_path / "build"
    out.mkdir()
    (out / "index.html").write_text("the last good site", encoding="utf-8")
    assert main(["build", "--out", str(out), "--as-of", "2026-11-24"]) == 2
    err = capsys.readouterr().err
    assert "--as-of 2026-11-24" in err and "2026-11-25" in err
    assert "ngày tính tình trạng không được trước ngày cập nhật dữ liệu" in err
    assert "cannot be before the data's last update" in err
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["index.html"]
    with pytest.raises(SystemExit):
        main(["build", "--as-of", "30/11/2026"])
    assert "a day as YEAR-MONTH-DAY" in capsys.readouterr().err


def _without_faketime() -> dict[str, str]:
    """The environment without a libfaketime this suite may itself run under (faketime does not nest)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME") and k != "LD_PRELOAD"}


def _faketime(moment: str, *command: str) -> subprocess.CompletedProcess:
    if not shutil.which("faketime"):
        pytest.skip("faketime is not installed (make test installs it)")
    env = {**_without_faketime(), "TZ": "UTC"}
    return subprocess.run(["faketime", moment, sys.executable, *command], cwd=paths.ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("utc, day", [
    ("2026-11-29 16:59:00", "2026-11-29"),      # 23:59 in Viet Nam
    ("2026-11-29 17:00:00", "2026-11-30"),      # midnight there: already 30 November
    ("2026-12-31 17:30:00", "2027-01-01"),      # the new year comes seven hours earlier than in UTC
])
def test_the_default_day_is_today_in_viet_nam(utc, day):
    done = _faketime(utc, "-c", "from scripts.data import clock; print(clock.today())")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == day


@pytest.fixture(scope="module")
def site_on_4_december(tmp_path_factory) -> Path:
    """The site built by the command line with no --as-of, on the morning of 4 December 2026 in Viet Nam:
    the day the issue was written, when the published site still said the 2026 reports were not due."""
    out = tmp_path_factory.mktemp("4-december") / "build"
    done = _faketime("2026-12-04 02:00:00", "-m", "scripts", "build", "--out", str(out))   # 09:00 in Viet Nam
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_a_build_as_of_4_december_says_the_2026_reports_are_overdue(site_on_4_december):
    home_vi, home_en = _text(site_on_4_december / "index.html"), _text(site_on_4_december / "en/index.html")
    assert "Hạn báo cáo tiếp theo: 30/11/2027." in home_vi
    assert "Next reports due: 30 November 2027." in home_en
    assert "Tình trạng tính đến ngày 04/12/2026; dữ liệu cập nhật ngày 25/11/2026." in home_vi
    assert "Status as of 4 December 2026; data last updated 25 November 2026." in home_en
    calendar = (site_on_4_december / "lich-bao-cao.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row"><a href="co-quan/so-khcn.html">.*?</tr>', calendar).group(0)
    cells = re.findall(r'<td>(.*?)</td>', row)
    assert len(cells) == 10 and all('report--overdue' in c for c in cells[:6]), cells     # 2021 to 2026
    assert all('report--upcoming' in c for c in cells[6:])
    info = (site_on_4_december / "ban-dung.json").read_text(encoding="utf-8")
    assert '"as_of": "2026-12-04"' in info and '"data_updated": "2026-11-25"' in info


STATE_MARKS = ('class="status status--', 'class="report report--', 'class="standing"', 'class="timeline-figure"')
AS_OF = {"vi": "tính đến ngày 04/12/2026", "en": "as of 4 december 2026"}


def test_every_page_that_shows_a_state_names_its_as_of_day_in_its_language(site_on_4_december):
    pages, missing = 0, []
    for page in sorted(site_on_4_december.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if not any(mark in html for mark in STATE_MARKS):
            continue
        pages += 1
        rel = page.relative_to(site_on_4_december).as_posix()
        if AS_OF["en" if rel.startswith("en/") else "vi"] not in _text(page).lower():
            missing.append(rel)
    assert pages >= 60          # home, calendar, targets, each target, task and agency, in both languages
    assert missing == []


RELATIVE = {"vi": re.compile(r"\bcòn \d+ ngày(?!, tính đến ngày \d\d/\d\d/\d{4})|\bhôm nay\b", re.I),
            "en": re.compile(r"\bin \d+ days(?!, as of \d{1,2} \w+ \d{4})|\btoday\b", re.I)}


def test_no_relative_phrase_without_its_date(built_site):
    """Built as of the data's date (25 November 2026), the next deadline is five days away: said with
    the day it is counted from, so a saved or cached copy stays true."""
    home = {"vi": _text(built_site / "index.html"), "en": _text(built_site / "en/index.html")}
    assert "30/11/2026 (còn 5 ngày, tính đến ngày 25/11/2026)" in home["vi"]
    assert "30 November 2026 (in 5 days, as of 25 November 2026)" in home["en"]
    found = []
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        lang = "en" if rel.startswith("en/") else "vi"
        text = _text(page)
        # the heading "Hiện nay" / "Today" over an agency's present-day successor names no day of the build
        text = text.replace("Hiện nay", "").replace("Today", "")
        found += [f"{rel}: {m.group(0)}" for m in RELATIVE[lang].finditer(text)]
    assert found == []


def test_same_data_and_same_as_of_day_make_the_same_site(site_on_4_december, tmp_path):
    again = tmp_path / "build"
    build(again, as_of=dt.date(2026, 12, 4))
    files = sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(site_on_4_december).as_posix() for p in site_on_4_december.rglob("*") if p.is_file())
    assert [f for f in files if (again / f).read_bytes() != (site_on_4_december / f).read_bytes()] == []

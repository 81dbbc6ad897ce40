"""Data problems as GitHub annotations and job-summary tables, from real validation reports."""
import json
import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scripts import paths
from scripts.base.text import escape
from scripts.data.validate import validate
from scripts.intake.annotations import (
    ANNOTATIONS_PER_STEP,
    annotations,
    escape_data,
    escape_property,
    problems_summary,
    published_summary,
)
from tests.helpers import edit_cell, read_rows, write_rows


def unescape_data(text):
    """What the Actions runner does to a message (actions/runner, ActionCommand.cs)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text):
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(line):
    """A workflow command as the runner reads it: command, properties, message."""
    assert line.startswith("::") and "\n" not in line and "\r" not in line
    head, text = line[2:].split("::", 1)
    command, _, props = head.partition(" ")
    properties = dict(pair.split("=", 1) for pair in props.split(",")) if props else {}
    return command, {k: unescape_property(v) for k, v in properties.items()}, unescape_data(text)


def message(p):
    """The annotation text of a problem before escaping: Vietnamese, then English."""
    return f"{p.message('vi')} Cách sửa: {p.fix('vi')}\n{p.message('en')} What to do: {p.fix('en')}"


# --- Annotations ------------------------------------------------------------------------------

def test_a_wrong_value_is_annotated_on_its_line_in_both_languages(data_copy):
    edit_cell(data_copy, "targets", 0, "deadline_year", "hai nghìn")
    assert annotations(validate(data_copy), root=data_copy.parent.parent) == [
        "::error file=data/targets.csv,line=2,"
        "title=Lỗi dữ liệu ở cột deadline_year / Data problem in column deadline_year::"
        "Giá trị \"hai nghìn\" không phải số nguyên. Cách sửa: Nhập số nguyên, ví dụ 2025.%0A"
        "Value \"hai nghìn\" is not a whole number. What to do: Enter a whole number, e.g. 2025."
    ]


def test_a_broken_link_is_annotated_on_its_line(data_copy):
    edit_cell(data_copy, "task_agencies", 0, "agency_id", "so-khong-ton-tai")
    [p] = validate(data_copy)
    assert annotations([p], root=data_copy.parent.parent) == [
        "::error file=data/task_agencies.csv,line=2,"
        "title=Lỗi dữ liệu ở cột agency_id / Data problem in column agency_id::" + message(p).replace("\n", "%0A")
    ]
    assert "so-khong-ton-tai" in p.message("vi") and "data/agencies.csv" in p.fix("en")


def test_a_missing_file_is_annotated_on_the_file_without_a_line(data_copy):
    (data_copy.parent / "duties.csv").unlink()
    [p] = validate(data_copy)
    assert annotations([p], root=data_copy.parent.parent) == [
        "::error file=data/duties.csv,title=Lỗi dữ liệu / Data problem::" + message(p).replace("\n", "%0A")
    ]


@pytest.fixture
def data_in_odd_folder(tmp_path):
    """A copy of data/ in a folder whose name holds every character a property must escape;
    returns (package, repository root)."""
    root = tmp_path / "bản sao: 50%, số 1\r\nthử"
    shutil.copytree(paths.DATA, root / "data")
    return root / "data" / "datapackage.json", tmp_path


def test_percent_line_breaks_colons_and_commas_are_escaped(data_in_odd_folder):
    package, root = data_in_odd_folder
    edit_cell(package, "targets", 0, "deadline_year", "50%, năm 2030")
    header, rows = read_rows(package.parent / "task_agencies.csv")
    write_rows(package.parent / "task_agencies.csv", header, rows + [rows[0]])
    duplicate, wrong = sorted(validate(package), key=lambda p: p.code)
    folder = "bản sao%3A 50%25%2C số 1%0D%0Athử"
    lines = annotations([wrong, duplicate], root=root)
    assert lines == [
        f"::error file={folder}/data/targets.csv,line=2,"
        "title=Lỗi dữ liệu ở cột deadline_year / Data problem in column deadline_year::"
        "Giá trị \"50%25, năm 2030\" không phải số nguyên. Cách sửa: Nhập số nguyên, ví dụ 2025.%0A"
        "Value \"50%25, năm 2030\" is not a whole number. What to do: Enter a whole number, e.g. 2025.",
        f"::error file={folder}/data/task_agencies.csv,line={len(rows) + 2},"
        "title=Lỗi dữ liệu ở cột task_id%2C agency_id%2C role / Data problem in column task_id%2C agency_id%2C role::"
        + message(duplicate).replace("\n", "%0A"),
    ]
    # The runner reads back exactly what we meant; in a message ':' and ',' are left as they are.
    assert parse(lines[1]) == (
        "error",
        {"file": "bản sao: 50%, số 1\r\nthử/data/task_agencies.csv", "line": str(len(rows) + 2),
         "title": "Lỗi dữ liệu ở cột task_id, agency_id, role / Data problem in column task_id, agency_id, role"},
        message(duplicate))
    assert ", " in message(duplicate)


def test_escaping_rules_of_workflow_commands():
    assert escape_data("50%\r\n:,") == "50%25%0D%0A:,"
    assert escape_property("50%\r\n:,") == "50%25%0D%0A%3A%2C"
    assert escape_data("%0A") == "%250A"  # text that looks escaped already stays as it was typed


@given(st.text())
def test_escaping_round_trips_through_the_runner(text):
    data, prop = escape_data(text), escape_property(text)
    assert not {"\r", "\n"} & set(data) and not {"\r", "\n", ":", ","} & set(prop)
    assert unescape_data(data) == text and unescape_property(prop) == text


def test_beyond_what_github_shows_a_warning_points_to_the_summary(data_copy):
    for index in range(12):
        edit_cell(data_copy, "agencies", index, "name_vi", "")
    problems = validate(data_copy)
    assert len(problems) == 12
    lines = annotations(problems, root=data_copy.parent.parent)
    assert [parse(line)[0] for line in lines] == ["error"] * ANNOTATIONS_PER_STEP + ["warning"]
    assert [parse(line)[1]["line"] for line in lines[:ANNOTATIONS_PER_STEP]] == [str(n) for n in range(2, 12)]
    text = parse(lines[-1])[2]
    assert "Còn 2 lỗi nữa" in text and "Xem đủ 12 lỗi" in text and "See all 12" in text


# --- Job summaries ----------------------------------------------------------------------------

def test_summary_table_lists_every_problem_with_a_link_to_its_line(data_copy):
    edit_cell(data_copy, "targets", 0, "deadline_year", "a|b <b>x</b>")
    edit_cell(data_copy, "agencies", 1, "name_vi", "")
    summary = problems_summary(validate(data_copy), root=data_copy.parent.parent,
                               repo_url="https://github.com/o/r", commit="abc123")
    lines = summary.splitlines()
    assert lines[0] == "## Dữ liệu có 2 lỗi · The data has 2 problem(s)"
    assert "| Tệp · File | Dòng · Line | Cột · Column | Lỗi · Problem | Cách sửa · What to do |" in lines
    rows = [line for line in lines if line.startswith("| [")]
    assert [row.split(" | ")[:3] for row in rows] == [
        ["| [data/agencies.csv](https://github.com/o/r/blob/abc123/data/agencies.csv#L3)", "3", escape("name_vi")],
        ["| [data/targets.csv](https://github.com/o/r/blob/abc123/data/targets.csv#L2)", "2", escape("deadline_year")],
    ]
    assert f"| Giá trị \"{escape('a|b <b>x</b>')}\" không phải số nguyên.<br>" \
           f"*Value \"{escape('a|b <b>x</b>')}\" is not a whole number.* |" in rows[1]
    # what the data says is shown, never obeyed: no tag, and its '|' cannot split a cell
    assert "<b>" not in summary and all(row.count("|") == 6 for row in rows)


def test_summary_for_valid_data():
    assert problems_summary([]).startswith("## Dữ liệu hợp lệ · The data is valid")


def test_published_summary_counts_pages_per_language(tmp_path):
    site = tmp_path / "build"
    for page in ("index.html", "404.html", "nhiem-vu/a.html", "en/index.html", "en/404.html", "assets/x.css"):
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("x", encoding="utf-8")
    summary = published_summary(site, paths.PACKAGE, 42.4, repo_url="https://github.com/o/r",
                                commit="0123456789abcdef0123456789abcdef01234567")
    version = json.loads(paths.PACKAGE.read_text(encoding="utf-8"))["version"]
    assert summary.splitlines() == [
        "## Đã dựng trang · Site built",
        "",
        "| | |",
        "|---|---|",
        "| Số trang · Pages built | 2 tiếng Việt + 1 English |",
        f"| Phiên bản dữ liệu · Data version | {escape(version)} (data/datapackage.json), commit "
        "[0123456](https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567) |",
        "| Thời gian dựng · Build time | 42 s |",
    ]


# --- Command line -----------------------------------------------------------------------------

def _run(*args, summary=None):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    if summary:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run([sys.executable, "-m", "scripts", "annotate", *map(str, args)],
                          capture_output=True, text=True, cwd=paths.ROOT, env=env)


def test_command_line_annotates_appends_the_summary_and_exits_1(data_copy, tmp_path):
    edit_cell(data_copy, "targets", 0, "deadline_year", "hai nghìn")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    run = _run("--package", data_copy, summary=summary)
    assert run.returncode == 1
    [line] = run.stdout.splitlines()
    assert line.startswith("::error file=") and "/data/targets.csv,line=2,title=" in line
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Dữ liệu có 1 lỗi")
    assert f"| 2 | {escape('deadline_year')} | Giá trị \"hai nghìn\" không phải số nguyên." in text
    assert "Traceback" not in run.stdout + run.stderr


def test_command_line_on_valid_data_exits_0_and_needs_no_summary_file():
    run = _run()
    assert (run.returncode, run.stdout.strip(), run.stderr) == (0, "Dữ liệu hợp lệ. / The data is valid.", "")


def test_command_line_summarises_a_build(tmp_path):
    site = tmp_path / "build"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("x", encoding="utf-8")
    (site / "en" / "index.html").write_text("x", encoding="utf-8")
    summary = tmp_path / "summary.md"
    run = _run("--built", site, "--seconds", "7", summary=summary)
    assert run.returncode == 0
    text = summary.read_text(encoding="utf-8")
    assert "| Số trang · Pages built | 1 tiếng Việt + 1 English |" in text
    assert "| Thời gian dựng · Build time | 7 s |" in text

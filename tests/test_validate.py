"""Broken data gets a located, plain answer; nothing is built from it."""
import json
import shutil
import subprocess
import sys

import pytest

from scripts import paths
from scripts.data.validate import validate
from scripts.engines.build import DataInvalid, build
from tests.helpers import edit_cell, read_rows, write_rows


def flat(problems):
    return [[p.file.split("/")[-1], p.row, p.field, p.code] for p in problems]


def test_wrong_type(data_copy):
    edit_cell(data_copy, "targets", 3, "deadline_year", "năm 2030")
    assert flat(validate(data_copy)) == [["targets.csv", 5, "deadline_year", "wrong-type"]]


def test_broken_link_to_another_table(data_copy):
    edit_cell(data_copy, "task_agencies", 0, "agency_id", "so-khong-ton-tai")
    assert flat(validate(data_copy)) == [["task_agencies.csv", 2, "agency_id", "broken-link"]]


def test_missing_required_value(data_copy):
    edit_cell(data_copy, "agencies", 1, "name_vi", "")
    assert flat(validate(data_copy)) == [["agencies.csv", 3, "name_vi", "required"]]


def test_value_outside_its_allowed_set(data_copy):
    edit_cell(data_copy, "task_agencies", 0, "role", "chủ trì")
    problems = validate(data_copy)
    assert flat(problems) == [["task_agencies.csv", 2, "role", "not-allowed"]]
    assert "lead, coordinating" in problems[0].fix("vi")


def test_year_outside_range(data_copy):
    edit_cell(data_copy, "targets", 0, "deadline_year", "2050")
    assert flat(validate(data_copy)) == [["targets.csv", 2, "deadline_year", "out-of-range"]]


def test_a_rank_beyond_its_scale_is_refused_before_it_draws_a_huge_chart(data_copy):
    """Issue 9: a PII rank of 330 among 63 provinces drew a 13 MB chart; now it is a located error."""
    edit_cell(data_copy, "context_observations", 7, "value", "330")     # pii-hang 2023, line 9
    problems = validate(data_copy)
    assert flat(problems) == [["context_observations.csv", 9, "value", "out-of-range"]]
    assert "0–63" in problems[0].fix("vi") and "scale_max" in problems[0].fix("en")


def test_duplicate_key(data_copy):
    header, rows = read_rows(data_copy.parent / "funding_sources.csv")
    write_rows(data_copy.parent / "funding_sources.csv", header, rows + [{**rows[0], "number": "9"}])
    assert flat(validate(data_copy)) == [["funding_sources.csv", 5, "id", "duplicate-key"]]


def test_every_problem_is_listed_in_one_run(data_copy):
    edit_cell(data_copy, "targets", 0, "deadline_year", "x")
    edit_cell(data_copy, "agencies", 1, "name_vi", "")
    edit_cell(data_copy, "task_agencies", 0, "agency_id", "khong-co")
    assert sorted(flat(validate(data_copy))) == [
        ["agencies.csv", 3, "name_vi", "required"],
        ["targets.csv", 2, "deadline_year", "wrong-type"],
        ["task_agencies.csv", 2, "agency_id", "broken-link"],
    ]


def test_row_numbers_count_lines_when_a_cell_spans_several(data_copy):
    """tasks.csv has multi-line cells: the row reported is the line a text editor shows."""
    header, rows = read_rows(data_copy.parent / "tasks.csv")
    text = (data_copy.parent / "tasks.csv").read_text(encoding="utf-8")
    rows[4]["number"] = "năm"
    write_rows(data_copy.parent / "tasks.csv", header, rows)
    line = next(i for i, l in enumerate((data_copy.parent / "tasks.csv").read_text(encoding="utf-8").splitlines(), 1)
                if l.startswith(rows[4]["id"] + ","))
    assert flat(validate(data_copy)) == [["tasks.csv", line, "number", "wrong-type"]]
    assert line > 6  # the earlier rows' quoted cells span lines


def test_task_without_a_lead(data_copy):
    header, rows = read_rows(data_copy.parent / "task_agencies.csv")
    kept = [r for r in rows if not (r["task_id"] == "tieu-chuan-hoa" and r["role"] == "lead")]
    write_rows(data_copy.parent / "task_agencies.csv", header, kept)
    assert flat(validate(data_copy)) == [["tasks.csv", 6 + _extra_lines(data_copy), "id", "task-without-lead"]]


def _extra_lines(package):
    """Lines taken by line breaks inside quoted cells of tasks.csv before its last row."""
    text = (package.parent / "tasks.csv").read_text(encoding="utf-8")
    last = text.rstrip("\n").split("\n")
    index = next(i for i, l in enumerate(last, 1) if l.startswith("tieu-chuan-hoa,"))
    return index - 6


def test_cli_names_file_row_and_field_and_exits_1(data_copy):
    edit_cell(data_copy, "targets", 0, "deadline_year", "hai nghìn")
    run = subprocess.run([sys.executable, "-m", "scripts", "validate", "--package", str(data_copy)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert run.returncode == 1
    assert "targets.csv, dòng 2, cột deadline_year" in run.stdout
    assert "Giá trị \"hai nghìn\" không phải số nguyên." in run.stdout
    assert "Nhập số nguyên, ví dụ 2025." in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_cli_json_and_english(data_copy):
    edit_cell(data_copy, "targets", 0, "deadline_year", "x")
    run = subprocess.run([sys.executable, "-m", "scripts", "validate", "--json", "--package", str(data_copy)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert run.returncode == 1
    [only] = json.loads(run.stdout)
    assert (only["row"], only["field"], only["code"]) == (2, "deadline_year", "wrong-type")
    assert only["message_en"] == 'Value "x" is not a whole number.'


def test_valid_data_exits_0():
    run = subprocess.run([sys.executable, "-m", "scripts", "validate"], capture_output=True, text=True, cwd=paths.ROOT)
    assert (run.returncode, run.stdout.strip()) == (0, "Dữ liệu hợp lệ.")


def test_invalid_data_leaves_the_previous_build_untouched(data_copy, tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "index.html").write_text("last good build", encoding="utf-8")
    edit_cell(data_copy, "task_agencies", 0, "agency_id", "khong-co")
    with pytest.raises(DataInvalid):
        build(out, data_copy)
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "last good build"
    assert not list(tmp_path.glob(".build-*"))


def test_what_frictionless_found_is_kept_and_a_table_is_checked_again_when_a_table_it_links_to_changes(data_copy, tmp_path, monkeypatch):
    """Issue 17: frictionless's findings per table are kept (site/generated/.validate-cache). With the
    cache warm, a change to one table (a task's id) is found in the unchanged tables that link to it,
    exactly as a cold check finds it; and a check with nothing changed does not run frictionless."""
    import frictionless

    monkeypatch.setattr(paths, "GENERATED", tmp_path / "warm")
    assert validate(data_copy) == []
    resources = json.loads(data_copy.read_text(encoding="utf-8"))["resources"]
    # each table, the descriptor, and the national targets' package the plan's targets link into
    assert len(list((tmp_path / "warm" / ".validate-cache").glob("*.json"))) == len(resources) + 2
    old_id = read_rows(data_copy.parent / "tasks.csv")[1][0]["id"]
    edit_cell(data_copy, "tasks", 0, "id", "nhiem-vu-da-doi-ten")
    warm = validate(data_copy)
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "cold")
    cold = validate(data_copy)
    assert warm == cold
    linked = {p.file.split("/")[-1] for p in warm if p.code == "broken-link"}
    assert {"targets.csv", "task_agencies.csv"} <= linked, (old_id, flat(warm))

    # the other way: the value comes back in the linked table, the links hold again
    edit_cell(data_copy, "tasks", 0, "id", old_id)
    for generated in ("warm", "cold-2"):
        monkeypatch.setattr(paths, "GENERATED", tmp_path / generated)
        assert "broken-link" not in {p.code for p in validate(data_copy)}, generated
    # the package moved: what was kept is used, and names the files where they are now
    moved = tmp_path / "moved" / "data"
    shutil.copytree(data_copy.parent, moved)
    edit_cell(data_copy, "targets", 3, "deadline_year", "năm 2030")
    edit_cell(moved / data_copy.name, "targets", 3, "deadline_year", "năm 2030")
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "warm")
    assert flat(validate(data_copy)) == [["targets.csv", 5, "deadline_year", "wrong-type"]]

    def refuse(*args, **kwargs):
        raise AssertionError("frictionless ran although nothing changed")

    monkeypatch.setattr(frictionless, "Package", refuse)
    found = validate(moved / data_copy.name)
    assert [(p.file, p.row, p.code) for p in found] == [(str(moved / "targets.csv"), 5, "wrong-type")]


def test_a_new_row_nobody_links_to_yet_rechecks_only_its_own_table(data_copy, tmp_path, monkeypatch):
    """The tables that link to sources are checked against the sources they name, not against every
    row of sources.csv: a new source is one table to check again, not fourteen."""
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "generated")
    assert validate(data_copy) == []
    kept = set((tmp_path / "generated" / ".validate-cache").glob("*.json"))
    header, rows = read_rows(data_copy.parent / "sources.csv")
    write_rows(data_copy.parent / "sources.csv", header, rows + [{**rows[0], "id": "nguon-moi-chua-ai-dung"}])
    assert validate(data_copy) == []
    assert len(set((tmp_path / "generated" / ".validate-cache").glob("*.json")) - kept) == 1

"""The catalogue of data problems: every kind of mistake has a code, words in both languages, and
a small real broken file that reaches it. Reports are compared as flat lists [file, row, field, code].

The broken files live in tests/fixtures/broken/, named after what is wrong with them; each replaces
one file of tests/fixtures/tiny/, a two-table synthetic package. Rules that only exist for the real
tables (a task without a lead, a loop of successors) break a copy of data/ instead.
"""
import json
import re
import shutil
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from scripts import paths
from scripts.data.problems import CATALOGUE, problem
from scripts.data.validate import validate
from tests.helpers import edit_cell, read_rows, write_rows

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"


def flat(problems):
    return [[p.file.split("/")[-1], p.row, p.field, p.code] for p in problems]


def tiny_copy(tmp_path: Path) -> Path:
    """A copy of the tiny synthetic package; returns its datapackage.json."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target / "datapackage.json"


def real_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target / "datapackage.json"


@dataclass
class Case:
    name: str
    breaks: Callable[[Path], None]   # takes the copy's datapackage.json and breaks it
    expected: list
    base: str = "tiny"               # "tiny" or "real" (a copy of data/)


def replaced_by(fixture: str, target: str | None = None):
    """Put a broken file in place of the tiny package's file of the same table."""
    def breaks(package: Path) -> None:
        name = target or ("datapackage.json" if fixture.startswith("datapackage") else fixture.split("-")[0] + ".csv")
        shutil.copyfile(BROKEN / fixture, package.parent / name)
    return breaks


def deleted(name: str):
    return lambda package: (package.parent / name).unlink()


def descriptor_edited(change: Callable[[dict], None]):
    def breaks(package: Path) -> None:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
        change(descriptor)
        package.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return breaks


def _max_length(descriptor):
    descriptor["resources"][0]["schema"]["fields"][2]["constraints"] = {"required": True, "maxLength": 10}


def _unknown_type(descriptor):
    descriptor["resources"][0]["schema"]["fields"][6]["type"] = "ngày tháng"


def _folder_instead_of_file(package):
    (package.parent / "products.csv").unlink()
    (package.parent / "products.csv").mkdir()


def _renamed_header(package):
    path = package.parent / "units.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("name_en", "ten_tieng_anh", 1), encoding="utf-8")


def _case_studies(image: str, attachment: str):
    """A synthetic table of the kind case studies will add: fields that name files inside data/."""
    def breaks(package: Path) -> None:
        (package.parent / "anh").mkdir()
        (package.parent / "anh" / "mo-hinh.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
        descriptor = json.loads(package.read_text(encoding="utf-8"))
        descriptor["resources"].append({"name": "case_studies", "path": "case_studies.csv", "schema": {"fields": [
            {"name": "id", "type": "string"}, {"name": "image", "type": "string"}, {"name": "attachment_path", "type": "string"}]}})
        package.write_text(json.dumps(descriptor), encoding="utf-8")
        write_rows(package.parent / "case_studies.csv", ["id", "image", "attachment_path"],
                   [{"id": "mo-hinh-1", "image": "anh/mo-hinh.jpg", "attachment_path": ""},
                    {"id": "mo-hinh-2", "image": image, "attachment_path": attachment}])
    return breaks


def _real_edit(resource, row, field, value):
    return lambda package: edit_cell(package, resource, row, field, value)


def _succession_loop(package):
    header, rows = read_rows(package.parent / "agencies.csv")
    merged = next(r for r in rows if r["succeeded_by"])
    successor = next(r for r in rows if r["id"] == merged["succeeded_by"])
    successor["succeeded_by"], successor["succession_source_id"] = merged["id"], merged["succession_source_id"]
    write_rows(package.parent / "agencies.csv", header, rows)


def _first_merged(package, **values):
    header, rows = read_rows(package.parent / "agencies.csv")
    merged = next(r for r in rows if r["succeeded_by"])
    merged.update(values)
    write_rows(package.parent / "agencies.csv", header, rows)


def _first_count_target(package, **values):
    header, rows = read_rows(package.parent / "targets.csv")
    next(r for r in rows if r["kind"] == "count").update(values)
    write_rows(package.parent / "targets.csv", header, rows)


def _real_line(package, resource, key):
    """The line of the record whose first cell is `key` (real files have cells spanning lines)."""
    lines = (package.parent / f"{resource}.csv").read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(key + ","))


CASES = [
    # what the issue lists, in its order
    Case("wrong type", replaced_by("products-wrong-type.csv"), [["products.csv", 3, "deadline_year", "wrong-type"]]),
    Case("missing required value", replaced_by("products-missing-required.csv"), [["products.csv", 2, "text_vi", "required"]]),
    Case("only spaces in a required text", replaced_by("products-only-spaces-in-required-text.csv"), [["products.csv", 3, "text_vi", "required"]]),
    Case("duplicate key", replaced_by("units-duplicate-key.csv"), [["units.csv", 4, "id", "duplicate-key"]]),
    Case("broken link", replaced_by("products-broken-link.csv"), [["products.csv", 3, "unit_id", "broken-link"]]),
    Case("value outside the allowed set", replaced_by("units-value-not-allowed.csv"), [["units.csv", 3, "kind", "not-allowed"]]),
    Case("value outside the allowed range", replaced_by("products-order-below-minimum.csv"), [["products.csv", 3, "order", "out-of-range"]]),
    Case("year outside 2011-2035", replaced_by("products-year-outside-2011-2035.csv"),
         [["products.csv", 2, "deadline_year", "out-of-range"], ["products.csv", 3, "deadline_year", "out-of-range"]]),
    Case("unknown column", replaced_by("products-unknown-column.csv"), [["products.csv", 1, "ghi_chu", "unknown-column"]]),
    Case("missing column", replaced_by("products-missing-column.csv"), [["products.csv", 1, "url", "missing-column"]]),
    Case("ragged rows", replaced_by("products-ragged-rows.csv"), [["products.csv", 2, None, "ragged-row"], ["products.csv", 3, None, "ragged-row"]]),
    Case("empty file", replaced_by("products-empty.csv"), [["products.csv", None, None, "empty-file"]]),
    Case("missing file", deleted("units.csv"), [["units.csv", None, None, "missing-file"]]),
    Case("UTF-16 (Excel Unicode Text)", replaced_by("units-utf16-excel-unicode-text.csv"), [["units.csv", None, None, "not-utf8"]]),
    Case("Windows-1258", replaced_by("units-windows-1258.csv"), [["units.csv", 2, None, "not-utf8"]]),
    Case("Latin-1", replaced_by("units-latin-1.csv"), [["units.csv", 3, None, "not-utf8"]]),
    Case("byte-order mark (accepted)", replaced_by("units-excel-csv-utf8-with-bom.csv"), []),
    Case("CRLF line endings (accepted)", replaced_by("products-crlf-multiline-cell.csv"), []),
    Case("CRLF lines counted as a text editor does", replaced_by("products-crlf-wrong-type-after-multiline-cell.csv"),
         [["products.csv", 4, "deadline_year", "wrong-type"]]),
    Case("text not NFC", replaced_by("units-not-nfc.csv"), [["units.csv", 3, "name_en", "not-nfc"], ["units.csv", 3, "name_vi", "not-nfc"]]),
    Case("space after a key, reported once", replaced_by("units-space-after-key.csv"), [["units.csv", 3, "id", "surrounding-space"]]),
    Case("space before a link", replaced_by("products-space-before-link.csv"), [["products.csv", 3, "unit_id", "surrounding-space"]]),
    Case("datapackage.json syntax error", replaced_by("datapackage-syntax-error.json"), [["datapackage.json", 11, None, "package-syntax"]]),
    # links a browser could run
    Case("javascript: website", replaced_by("units-javascript-website.csv"), [["units.csv", 2, "website", "unsafe-url"]]),
    Case("data: url", replaced_by("products-data-url.csv"), [["products.csv", 3, "url", "unsafe-url"]]),
    # what Excel and copy-paste do
    Case("semicolons from Excel set up for Vietnamese", replaced_by("units-semicolon-separated.csv"), [["units.csv", 1, None, "wrong-delimiter"]]),
    Case("Excel TRUE/FALSE", replaced_by("units-excel-true-false.csv"), [["units.csv", 2, "active", "wrong-type"], ["units.csv", 3, "active", "wrong-type"]]),
    Case("NaN and full-width digits", replaced_by("products-nan-and-fullwidth-digits.csv"),
         [["products.csv", 2, "value", "wrong-type"], ["products.csv", 3, "deadline_year", "wrong-type"]]),
    Case("control character", replaced_by("units-control-character.csv"), [["units.csv", 3, "name_en", "control-character"]]),
    Case("blank row", replaced_by("units-blank-row.csv"), [["units.csv", 3, None, "blank-row"]]),
    Case("renamed column", _renamed_header, [["units.csv", 1, "name_en", "wrong-header"]]),
    Case("folder instead of a file", _folder_instead_of_file, [["products.csv", None, None, "unreadable-file"]]),
    # the descriptor
    Case("datapackage.json with a byte-order mark", replaced_by("datapackage-with-bom.json"), [["datapackage.json", 1, None, "package-bom"]]),
    Case("table without a path", replaced_by("datapackage-resource-without-path.json"), [["datapackage.json", 22, "path", "package-shape"]]),
    Case("table path outside data/", replaced_by("datapackage-path-outside-data.json"), [["datapackage.json", 6, "path", "file-outside-data"]]),
    Case("unknown field type", descriptor_edited(_unknown_type), [["datapackage.json", None, None, "package-invalid"]]),
    Case("constraint without its own wording", descriptor_edited(_max_length), [["units.csv", 2, "name_en", "invalid-cell"], ["units.csv", 3, "name_en", "invalid-cell"]]),
    # files named in the data
    Case("image outside data/", _case_studies("../../anh.jpg", ""), [["case_studies.csv", 3, "image", "file-outside-data"]]),
    Case("attachment that is not there", _case_studies("anh/mo-hinh.jpg", "tep/khong-co.pdf"),
         [["case_studies.csv", 3, "attachment_path", "missing-referenced-file"]]),
    # rules of the real tables
    Case("malformed identifier", _real_edit("agencies", 1, "id", "Sở-KHCN"), "see test", "real"),
    Case("pattern of a period", _real_edit("targets", 0, "baseline_period", "2016–2020"), [["targets.csv", 2, "baseline_period", "bad-format"]], "real"),
    Case("task without a lead", lambda p: write_rows(p.parent / "task_agencies.csv", *_without_lead(p)), "see test", "real"),
    Case("succession loop", _succession_loop, "see test", "real"),
    Case("succession without a source", lambda p: _first_merged(p, succession_source_id=""), "see test", "real"),
    Case("target lacking its unit", lambda p: _first_count_target(p, unit_vi=""), "see test", "real"),
]


def _without_lead(package):
    header, rows = read_rows(package.parent / "task_agencies.csv")
    return header, [r for r in rows if not (r["task_id"] == rows[0]["task_id"] and r["role"] == "lead")]


def broken_copy(case: Case, tmp_path: Path) -> Path:
    package = tiny_copy(tmp_path) if case.base == "tiny" else real_copy(tmp_path)
    case.breaks(package)
    return package


TINY_CASES = [c for c in CASES if c.base == "tiny"]


@pytest.mark.parametrize("case", TINY_CASES, ids=[c.name for c in TINY_CASES])
def test_each_broken_file_gets_exactly_its_problems(case, tmp_path):
    assert flat(validate(broken_copy(case, tmp_path))) == case.expected


def test_the_tiny_package_itself_is_valid():
    assert validate(FIXTURES / "tiny" / "datapackage.json") == []


def test_rules_of_the_real_tables(tmp_path):
    """One copy of data/ per rule; the expected line is found in the copy (cells span lines)."""
    got = {}
    for case in (c for c in CASES if c.base == "real"):
        package = broken_copy(case, tmp_path / case.name.replace(" ", "-"))
        got[case.name] = (package, flat(validate(package)))
    package, problems = got["malformed identifier"]
    # the agency's own row, and every row that linked to its old id
    assert problems[0] == ["agencies.csv", 3, "id", "bad-identifier"]
    assert {code for *_, code in problems[1:]} == {"broken-link"}
    assert got["pattern of a period"][1] == [["targets.csv", 2, "baseline_period", "bad-format"]]
    package, problems = got["task without a lead"]
    first_task = read_rows(package.parent / "task_agencies.csv")[1][0]["task_id"]
    assert problems == [["tasks.csv", _real_line(package, "tasks", first_task), "id", "task-without-lead"]]
    package, problems = got["succession loop"]
    # both agencies of the loop, and any other whose chain runs into it
    assert {code for *_, code in problems} == {"succession-loop"} and len(problems) >= 2
    package, problems = got["succession without a source"]
    merged = next(r for r in read_rows(package.parent / "agencies.csv")[1] if r["succeeded_by"])
    assert problems == [["agencies.csv", _real_line(package, "agencies", merged["id"]), "succession_source_id", "succession-unsourced"]]
    package, problems = got["target lacking its unit"]
    target = next(r for r in read_rows(package.parent / "targets.csv")[1] if r["kind"] == "count")
    assert problems == [["targets.csv", _real_line(package, "targets", target["id"]), "unit_vi", "target-incomplete"]]


# Codes of case-study Markdown are produced by scripts/data/casestudies.py and reached by its own tests.
ELSEWHERE = {code: Path(__file__).parent / "test_enterprises.py"
             for code in ("front-matter-syntax", "raw-html", "unlisted-case-study", "invalid-field")}
# Codes of an input workbook are produced by scripts/intake/workbook_import.py and reached by its own tests.
ELSEWHERE |= {code: Path(__file__).parent / "test_import.py"
              for code in ("not-a-workbook", "workbook-encrypted", "workbook-macros", "missing-sheet", "renamed-sheet",
                           "sheet-missing-column", "formula-without-value", "bad-date", "ambiguous-number", "row-removed")}
# Codes of a plan's package settings and of the shared national table are reached by tests/test_plans.py.
ELSEWHERE |= {code: Path(__file__).parent / "test_plans.py" for code in ("site-setting", "last-updated", "plan-one-row", "national-package")}
# Codes of an issue form's answers are produced by scripts/intake/submissions.py and reached by its tests.
ELSEWHERE |= {code: Path(__file__).parent / "test_submissions.py" for code in CATALOGUE if code.startswith("form-")}


def test_every_code_in_the_catalogue_is_reached_by_a_broken_input():
    reached = {code for c in CASES if isinstance(c.expected, list) for *_, code in c.expected}
    reached |= {"bad-identifier", "broken-link", "task-without-lead", "succession-loop", "succession-unsourced", "target-incomplete"}
    reached |= {code for code, tests in ELSEWHERE.items() if tests.is_file() and f'"{code}' in tests.read_text(encoding="utf-8")}
    assert sorted(set(CATALOGUE) - reached) == []


# --- the words ------------------------------------------------------------------------------------

def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _language_neutral(names: set[str]) -> set[str]:
    return {re.sub(r"_(vi|en)$", "", n) for n in names}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_entry_says_what_is_wrong_and_what_to_do_in_both_languages(code):
    message_vi, message_en, fix_vi, fix_en = CATALOGUE[code]
    assert all(text.strip() for text in (message_vi, message_en, fix_vi, fix_en))
    assert message_vi != message_en and fix_vi != fix_en
    # a translation that drops a value (the cell, the file, the range) hides it from half the readers
    assert _language_neutral(_placeholders(message_vi)) == _language_neutral(_placeholders(message_en))
    assert _language_neutral(_placeholders(fix_vi)) == _language_neutral(_placeholders(fix_en))


def test_every_message_of_every_case_is_filled_in(tmp_path):
    """No `{placeholder}` left over and no empty quotes where a value should be."""
    for case in TINY_CASES:
        for p in validate(broken_copy(case, tmp_path / case.name.replace(" ", "-").replace("/", "-"))):
            for lang in ("vi", "en"):
                text = p.message(lang) + p.fix(lang)
                assert "{" not in text and "}" not in text and '""' not in text, (case.name, text)


def _one(tmp_path, fixture):
    [found] = validate(broken_copy(Case(fixture, replaced_by(fixture), []), tmp_path))
    return found


def test_wording_of_a_windows_1258_file(tmp_path):
    p = _one(tmp_path, "units-windows-1258.csv")
    assert p.message("vi") == "Tệp không được lưu ở bảng mã UTF-8 (có vẻ là Windows-1258, bảng mã tiếng Việt cũ của Windows)."
    assert p.message("en") == "The file is not saved as UTF-8 (it looks like Windows-1258, the old Windows code page for Vietnamese)."
    assert p.fix("vi") == ("Mở tệp trong Excel, chọn File > Save As (Lưu thành), loại tệp \"CSV UTF-8 (Comma delimited) (*.csv)\"; "
                           "hoặc mở bằng Notepad, chọn Save As và chọn Encoding: UTF-8.")
    assert p.fix("en") == ("Open the file in Excel, choose File > Save As, type \"CSV UTF-8 (Comma delimited) (*.csv)\"; "
                           "or open it in Notepad, choose Save As and Encoding: UTF-8.")


def test_wording_of_utf16_and_latin1_files(tmp_path):
    utf16 = _one(tmp_path / "a", "units-utf16-excel-unicode-text.csv")
    assert utf16.message("vi") == "Tệp không được lưu ở bảng mã UTF-8 (có vẻ là UTF-16, kiểu \"Unicode Text\" của Excel)."
    latin1 = _one(tmp_path / "b", "units-latin-1.csv")
    assert latin1.message("en") == ("The file is not saved as UTF-8 (it looks like Latin-1 or Windows-1252); "
                                    "it lacks many Vietnamese letters, so they may have been replaced by ?.")
    assert latin1.fix("vi").endswith(" Nếu chữ có dấu đã thành dấu ?, hãy lưu lại từ bảng tính gốc thay vì sửa tệp này.")


def test_wording_of_a_year_out_of_range(tmp_path):
    p = validate(broken_copy(Case("y", replaced_by("products-year-outside-2011-2035.csv"), []), tmp_path))[0]
    assert p.message("vi") == "Giá trị \"2203\" nằm ngoài khoảng cho phép (2011–2035)."
    assert p.fix("vi") == "Nhập năm trong khoảng 2011–2035; kiểm tra lỗi gõ, ví dụ 2203 thay vì 2023."
    assert p.fix("en") == "Enter a year within 2011–2035; look for a typing slip such as 2203 for 2023."


def test_wording_of_an_unsafe_link_and_a_stray_space(tmp_path):
    url = _one(tmp_path / "a", "units-javascript-website.csv")
    assert url.message("vi") == "Địa chỉ \"javascript:alert(1)\" không dùng được làm liên kết."
    assert url.message("en") == "Address \"javascript:alert(1)\" cannot be used as a link."
    assert url.fix("vi") == ("Dùng địa chỉ web đầy đủ bắt đầu bằng https:// (hoặc http://); "
                             "không dùng javascript:, data:, dấu cách hay dấu nháy.")
    space = _one(tmp_path / "b", "units-space-after-key.csv")
    assert space.message("vi") == "Giá trị \"bao-thu-nghiem \" có khoảng trắng ở đầu hoặc cuối."
    assert space.fix("en") == "Remove the extra space (or run `python -m scripts validate --fix`)."


def test_wording_of_a_ragged_row_and_a_syntax_error(tmp_path):
    ragged = validate(broken_copy(Case("r", replaced_by("products-ragged-rows.csv"), []), tmp_path / "a"))
    assert [p.message("vi") for p in ragged] == ["Dòng này có 8 ô, trong khi dòng tiêu đề có 7 cột.",
                                                "Dòng này có 4 ô, trong khi dòng tiêu đề có 7 cột."]
    assert ragged[0].message("en") == "This row has 8 cells; the header has 7 columns."
    syntax = _one(tmp_path / "b", "datapackage-syntax-error.json")
    # the message names the package's own file (a copy here; data/datapackage.json in the repository)
    assert syntax.file.endswith("/datapackage.json")
    assert syntax.message("vi") == f"{syntax.file} không phải JSON hợp lệ ở dòng 11, cột 11 (Expecting ',' delimiter)."
    assert syntax.message("en") == f"{syntax.file} is not valid JSON at line 11, column 11 (Expecting ',' delimiter)."


def test_wording_of_semicolons_from_excel(tmp_path):
    p = _one(tmp_path, "units-semicolon-separated.csv")
    assert p.message("vi") == "Các cột được ngăn cách bằng dấu chấm phẩy (;), không phải dấu phẩy."
    assert p.message("en") == "The columns are separated by semicolons (;), not by commas."


# --- the values quoted back -------------------------------------------------------------------------

def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError, match="add it to CATALOGUE"):
        problem("no-such-code", "data/x.csv")


def test_control_characters_in_a_quoted_value_cannot_drive_the_terminal():
    p = problem("wrong-type", "data/x.csv", 2, "year", cell="20\x1b[2J25", type_vi="số nguyên", type_en="a whole number")
    assert p.message("en") == 'Value "20U+001B[2J25" is not a whole number.'


def test_a_long_cell_is_cut_short_when_quoted():
    p = problem("surrounding-space", "data/x.csv", 2, "id", cell=" " + "a" * 200)
    quoted = re.search(r'"(.*)"', p.message("en")).group(1)
    assert len(quoted) == 80 and quoted.endswith("…")

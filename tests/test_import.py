"""Importing an input workbook: every workbook here is a real .xlsx made with openpyxl from a copy of
data/, then edited the way Excel (or a person in a hurry) edits it. Problems are compared as flat
lists [sheet, Excel row, column letter, code]; the data is compared byte for byte."""
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scripts import paths
from scripts.__main__ import main
from scripts.intake import workbook
from scripts.intake import workbook_import as intake
from tests.helpers import read_rows

NEW_SOURCE = ["so-khcn-bao-cao-2025", "Báo cáo kết quả năm 2025 (dữ liệu thử)", "Sở Khoa học và Công nghệ", None,
              "https://example.org/bao-cao-2025", None, None]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh(package: Path, tmp_path: Path, edit=None, name="nhap-lieu.xlsx") -> Path:
    """The input workbook of `package`, edited by `edit(book)` as a person would, saved as `name`."""
    out = tmp_path / name
    workbook.write(package, out)
    if edit:
        book = load_workbook(out)
        edit(book)
        book.save(out)
    return out


def flat(result) -> list:
    return [[p.sheet, p.row, p.column, p.problem.code] for p in result.problems]


def run(capsys, *argv) -> tuple[int, str]:
    code = main(["import", *map(str, argv)])
    return code, capsys.readouterr().out


def csv_lines(package: Path, table: str) -> list[str]:
    return (package.parent / f"{table}.csv").read_text(encoding="utf-8").splitlines()


# --- the round trip --------------------------------------------------------------------------------

def test_an_unedited_workbook_changes_no_byte_of_the_data(data_copy, tmp_path, capsys):
    before = snapshot(data_copy.parent)
    path = fresh(data_copy, tmp_path)
    assert run(capsys, path, "--package", data_copy) == (0, f"Không có thay đổi nào so với {data_copy.parent}/.\nSổ tính hợp lệ.\n")
    assert snapshot(data_copy.parent) == before


def test_sorting_a_sheet_and_moving_its_columns_changes_nothing(data_copy, tmp_path, capsys):
    def shuffle(book):
        sheet = book["context_observations"]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        body = sorted(rows[2:], key=lambda r: str(r[0]), reverse=True)
        sheet.delete_rows(1, sheet.max_row)
        for row in rows[:2] + body:
            sheet.append(list(reversed(row)))  # the columns reversed, the hidden field names with them
    before = snapshot(data_copy.parent)
    assert run(capsys, fresh(data_copy, tmp_path, shuffle), "--package", data_copy)[0] == 0
    assert snapshot(data_copy.parent) == before


def test_a_new_source_and_a_figure_citing_it_are_added_and_a_changed_cell_rewrites_only_its_row(data_copy, tmp_path, capsys):
    old = csv_lines(data_copy, "context_observations")

    def edit(book):
        book["sources"].append(NEW_SOURCE)
        book["observations"].append(["co-che-chinh-sach-ban-hanh", 2025, 1, "so-khcn-bao-cao-2025"])
        book["context_observations"]["E3"] = 64
    code, out = run(capsys, fresh(data_copy, tmp_path, edit), "--package", data_copy)
    assert code == 0
    assert out.splitlines() == [
        "Thay đổi:",
        "Bảng observations: thêm 1, sửa 0, xóa 0 dòng",
        "  + dòng 3: co-che-chinh-sach-ban-hanh, 2025",
        "Bảng sources: thêm 1, sửa 0, xóa 0 dòng",
        f"  + dòng {len(read_rows(data_copy.parent / 'sources.csv')[1]) + 2}: so-khcn-bao-cao-2025",
        "Bảng context_observations: thêm 0, sửa 1, xóa 0 dòng",
        "  ~ dòng 3: tcvn-hai-hoa, 2025",
        "      E (Giá trị): '63' → '64'",
        f"Đã ghi: {data_copy.parent / 'observations.csv'}, {data_copy.parent / 'sources.csv'}, "
        f"{data_copy.parent / 'context_observations.csv'}.",
    ]
    assert csv_lines(data_copy, "observations")[1:] == ["co-che-chinh-sach-ban-hanh,2025,1,so-khcn-bao-cao-2025,,"]
    assert csv_lines(data_copy, "sources")[-1] == "so-khcn-bao-cao-2025,Báo cáo kết quả năm 2025 (dữ liệu thử),Sở Khoa học và Công nghệ,,https://example.org/bao-cao-2025,,"
    new = csv_lines(data_copy, "context_observations")
    assert new[1] == old[1].replace(",63,", ",64,") and new[2:] == old[2:]
    assert (data_copy.parent / "observations.csv").read_bytes().endswith(b",,\n")


def test_dry_run_reports_the_same_and_writes_nothing(data_copy, tmp_path, capsys):
    before = snapshot(data_copy.parent)
    path = fresh(data_copy, tmp_path, lambda b: b["context_observations"].__setitem__("E3", 64))
    code, out = run(capsys, path, "--package", data_copy, "--dry-run")
    assert code == 0 and out.endswith("      E (Giá trị): '63' → '64'\nChạy thử (--dry-run): chưa ghi gì.\n")
    assert snapshot(data_copy.parent) == before


# --- nothing is lost by accident ---------------------------------------------------------------------

def test_a_deleted_row_is_a_removal_applied_only_when_allowed(data_copy, tmp_path, capsys):
    old = csv_lines(data_copy, "award_round_counts")
    path = fresh(data_copy, tmp_path, lambda b: b["award_round_counts"].delete_rows(4))
    result = intake.check(path, data_copy)
    assert flat(result) == [["award_round_counts", None, None, "row-removed"]]
    assert result.problems[0].problem.message("vi") == "Dòng ocop-2019, products, 3, 33, exact có trong dữ liệu hiện tại nhưng không còn trong trang tính."
    assert run(capsys, path, "--package", data_copy)[0] == 1
    assert csv_lines(data_copy, "award_round_counts") == old
    code, out = run(capsys, path, "--package", data_copy, "--allow-removals")
    assert code == 0 and "  - xóa: ocop-2019, products, 3, 33, exact" in out
    assert csv_lines(data_copy, "award_round_counts") == old[:2] + old[3:]


def test_a_missing_sheet_is_an_error_not_a_deletion(data_copy, tmp_path, capsys):
    before = snapshot(data_copy.parent)
    path = fresh(data_copy, tmp_path, lambda b: b.remove(b["enterprises"]))
    assert flat(intake.check(path, data_copy)) == [["enterprises", None, None, "missing-sheet"]]
    code, out = run(capsys, path, "--package", data_copy, "--allow-removals")
    assert code == 1
    assert out.splitlines()[:5] == [
        f"Có 1 lỗi; chưa ghi gì vào {data_copy.parent}/:", "",
        "- Vị trí: nhap-lieu.xlsx, trang tính enterprises",
        "  Lỗi: Thiếu trang tính \"enterprises\" (Doanh nghiệp).",
        "  Cách sửa: Khôi phục trang tính này với đúng tên \"enterprises\", ví dụ chép lại từ sổ nhập liệu vừa tải. "
        "Thiếu trang tính không có nghĩa là xóa dữ liệu: muốn xóa các dòng, hãy xóa dòng trong trang tính.",
    ]
    assert snapshot(data_copy.parent) == before


def test_a_renamed_sheet_is_named_back(data_copy, tmp_path):
    path = fresh(data_copy, tmp_path, lambda b: setattr(b["honours"], "title", "Giải thưởng"))
    result = intake.check(path, data_copy)
    assert flat(result) == [["Giải thưởng", None, None, "renamed-sheet"]]
    assert result.problems[0].problem.fix("en") == "Rename the sheet back to \"honours\" (double-click its tab at the bottom)."


def test_a_deleted_column_is_an_error(data_copy, tmp_path):
    result = intake.check(fresh(data_copy, tmp_path, lambda b: b["sources"].delete_cols(3)), data_copy)
    assert flat(result) == [["sources", None, None, "sheet-missing-column"]]
    assert result.problems[0].problem.message("vi") == "Trang tính thiếu cột \"Đơn vị công bố\" (trường publisher)."


def test_hidden_and_filtered_rows_are_read_with_a_note(data_copy, tmp_path):
    def hide(book):
        sheet = book["context_observations"]
        sheet.row_dimensions[4].hidden = sheet.row_dimensions[5].hidden = True
        sheet["E4"] = 6500
    result = intake.check(fresh(data_copy, tmp_path, hide), data_copy)
    assert flat(result) == []
    assert [n.message("en") for n in result.notes] == [
        "Row(s) 4–5 of sheet context_observations are hidden or filtered out; they were read like every other row."]
    assert [(c["row"], c["key"]) for c in result.changes["context_observations"].changed] == [(4, "dn-duoc-ho-tro-qg, 2025")]


# --- what Excel does to data ---------------------------------------------------------------------------

def observation(book, *rows):
    for row in rows:
        book["observations"].append(list(row))


@pytest.mark.parametrize("typed, stored", [
    ("30/11/2025", "2025-11-30"),          # Vietnamese order, as text
    ("1/2/2025", "2025-02-01"),            # day first, not month first
    ("30-11-2025", "2025-11-30"),
    (" 30.11.2025 ", "2025-11-30"),
    ("2025-11-30", "2025-11-30"),          # as the CSV writes it
    (45991, "2025-11-30"),                 # Excel's serial number, the cell's format lost
    ("'30/11/2025", "2025-11-30"),         # a leading apostrophe typed to keep Excel's hands off
])
def test_dates_however_excel_left_them(typed, stored):
    assert intake.read_cell(typed, "General", DATE) == (stored, None)


DATE, NUMBER, INTEGER, CODE = ({"name": "date", "type": "date"}, {"name": "value", "type": "number"},
                               {"name": "year", "type": "integer"}, {"name": "source_id", "type": "string"})


def test_a_date_typed_as_text_reaches_the_csv(data_copy, tmp_path):
    path = fresh(data_copy, tmp_path, lambda b: b["sources"].__setitem__("D3", "30/11/2025"))
    result = intake.check(path, data_copy)
    assert flat(result) == []
    assert result.changes["sources"].changed[0]["cells"] == [
        {"field": "date", "column": "D", "header": "Ngày công bố", "before": "2021-11-17", "after": "2025-11-30"}]


@pytest.mark.parametrize("typed, number_format, stored", [
    ("1.234,5", "General", "1234.5"),        # Vietnamese separators
    ("1.234.567", "General", "1234567"),
    ("1,234.5", "General", "1234.5"),        # English separators, both present: no doubt
    ("12,5", "General", "12.5"),             # decimal comma
    ("64", "@", "64"),                        # a number stored as text
    ("1 234", "General", "1234"),
    ("\u00a064\u00a0", "General", "64"),     # non-breaking spaces from a copied web page
    (0.125, "0.0%", "12.5"),                  # a percentage cell: Excel stores 0.125
    (0.07, "0%", "7"),                        # and 0.07 * 100 is 7.000000000000001 in floating point
    ("12,5%", "General", "12.5"),
    ("'64", "General", "64"),
    (64.0, "General", "64"),
])
def test_numbers_however_excel_left_them(typed, number_format, stored):
    assert intake.read_cell(typed, number_format, NUMBER) == (stored, None)


@pytest.mark.parametrize("typed, stored", [
    ("2.025", "2025"),     # a whole number can only have a thousands separator
    ("2,025", "2025"),
    (2025.0, "2025"),
    ("'2025", "2025"),
])
def test_whole_numbers_however_excel_left_them(typed, stored):
    assert intake.read_cell(typed, "General", INTEGER) == (stored, None)


@pytest.mark.parametrize("typed, field, code", [
    ("1.234", NUMBER, "ambiguous-number"),     # a thousand and more, or one and a bit
    ("1,234", NUMBER, "ambiguous-number"),
    ("mười", NUMBER, "wrong-type"),
    (2025.5, INTEGER, "wrong-type"),
    ("31/02/2025", DATE, "bad-date"),
    ("11/30/2025", DATE, "bad-date"),          # month first is not how Vietnam writes a date
    (float("nan"), NUMBER, "wrong-type"),
])
def test_what_cannot_be_read_safely_is_a_problem_never_a_guess(typed, field, code):
    text, trouble = intake.read_cell(typed, "General", field)
    assert trouble.code == code


def test_a_word_in_a_number_cell_is_answered_with_what_to_type_in_excel():
    _, trouble = intake.read_cell("mười", "General", NUMBER)
    assert (trouble.message("vi"), trouble.fix("vi")) == ("Giá trị \"mười\" không phải số.", "Nhập số, ví dụ 1234,5 hoặc 12,5%.")
    assert (trouble.message("en"), trouble.fix("en")) == ("Value \"mười\" is not a number.", "Enter a number, e.g. 1234.5 or 12.5%.")


def test_a_percentage_cell_reaches_the_csv_as_its_percent(data_copy, tmp_path):
    def edit(book):
        book["context_observations"]["E3"] = 0.125
        book["context_observations"]["E3"].number_format = "0.0%"
        book["context_observations"]["E4"] = "6.400,5"
    result = intake.check(fresh(data_copy, tmp_path, edit), data_copy)
    assert flat(result) == []
    assert [[c["after"] for c in m["cells"]] for m in result.changes["context_observations"].changed] == [["12.5"], ["6400.5"]]


def test_codes_lose_curly_quotes_apostrophes_and_stray_spaces(data_copy, tmp_path):
    def edit(book):
        observation(book, ["‘co-che-chinh-sach-ban-hanh’", "'2025", "1", "ke-hoach-683\u00a0 "],
                    ["“truyen-thong-hoat-dong”", 2025.0, 1, " ke-hoach-683"])
    result = intake.check(fresh(data_copy, tmp_path, edit), data_copy)
    assert flat(result) == []
    assert [a["cells"] for a in result.changes["observations"].added] == [
        {"target_id": "co-che-chinh-sach-ban-hanh", "year": "2025", "value": "1", "source_id": "ke-hoach-683", "note_vi": "", "note_en": ""},
        {"target_id": "truyen-thong-hoat-dong", "year": "2025", "value": "1", "source_id": "ke-hoach-683", "note_vi": "", "note_en": ""}]


def test_what_cannot_be_read_is_located_by_sheet_row_and_column(data_copy, tmp_path, capsys):
    def edit(book):
        observation(book, ["co-che-chinh-sach-ban-hanh", 2025, "1.234", "ke-hoach-683"],     # 1234 or 1,234?
                    ["khong-co", 2025, 1, "ke-hoach-683"],                                 # no such target
                    ["truyen-thong-hoat-dong", 2025, "mười", "ke-hoach-683"],              # not a number
                    [None, 2025, 1, "ke-hoach-683"])                                       # required
        book["sources"]["D4"] = "31/02/2025"                                               # no such day
        book["honours"]["E3"] = "=2019+1"                                                  # never calculated
    path = fresh(data_copy, tmp_path, edit)
    result = intake.check(path, data_copy)
    assert flat(result) == [
        ["observations", 3, "C", "ambiguous-number"],
        ["observations", 4, "A", "broken-link"],
        ["observations", 5, "C", "wrong-type"],
        ["observations", 6, "A", "required"],
        ["sources", 4, "D", "bad-date"],
        ["honours", 3, "E", "formula-without-value"],
    ]
    code, out = run(capsys, path, "--package", data_copy, "--lang", "en")
    assert code == 1
    assert out.splitlines()[:6] == [
        f"6 problem(s); nothing was written to {data_copy.parent}/:", "",
        "- Where: nhap-lieu.xlsx, sheet observations, row 3, column C (Giá trị)",
        "  Problem: It is unclear whether \"1.234\" means 1234 or 1,234.",
        "  What to do: Retype the number without a thousands separator, using a comma for the decimal part, e.g. 1234 or 1,234.",
        "- Where: nhap-lieu.xlsx, sheet observations, row 4, column A (Chỉ tiêu)",
    ]
    code, out = run(capsys, path, "--package", data_copy, "--json")
    found = json.loads(out)
    assert code == 1 and found["ok"] is False and found["written"] == []
    assert {k: found["problems"][1][k] for k in ("code", "sheet", "row", "column", "header", "field", "message_vi")} == {
        "code": "broken-link", "sheet": "observations", "row": 4, "column": "A", "header": "Chỉ tiêu", "field": "target_id",
        "message_vi": f"\"khong-co\" không có trong bảng {data_copy.parent}/targets.csv."}   # the package's, not the scratch copy's


def test_a_formula_is_read_as_the_value_excel_calculated_never_as_its_text(data_copy, tmp_path):
    path = fresh(data_copy, tmp_path, lambda b: b["honours"].__setitem__("E3", "=2018+1"))
    patched = tmp_path / "calculated.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)  # what Excel stores: the formula and, beside it, its result
            target.writestr(item, data.replace(b"<f>2018+1</f><v />", b"<f>2018+1</f><v>2019</v>"))
    result = intake.check(patched, data_copy)
    assert flat(result) == []
    assert result.changes["honours"].changed[0]["cells"] == [
        {"field": "year", "column": "E", "header": "Năm", "before": "2020", "after": "2019"}]


def test_merged_cells_give_their_value_to_every_cell_with_a_note(data_copy, tmp_path):
    def edit(book):
        observation(book, ["co-che-chinh-sach-ban-hanh", 2024, 1, "ke-hoach-683"], [None, 2025, 1, None])
        book["observations"].merge_cells("A3:A4")
        book["observations"].merge_cells("D3:D4")
    result = intake.check(fresh(data_copy, tmp_path, edit), data_copy)
    assert flat(result) == []
    assert [n.message("vi") for n in result.notes] == [
        "Các ô gộp A3:A4, D3:D4 của trang tính observations được đọc như thể mỗi ô mang cùng một giá trị."]
    assert [a["key"] for a in result.changes["observations"].added] == ["co-che-chinh-sach-ban-hanh, 2024", "co-che-chinh-sach-ban-hanh, 2025"]


def test_extra_columns_extra_sheets_and_blank_rows_are_passed_over(data_copy, tmp_path):
    def edit(book):
        sheet = book["observations"]
        sheet["H2"] = "Ghi chú riêng của tôi"
        observation(book, ["co-che-chinh-sach-ban-hanh", 2024, 1, "ke-hoach-683"], [], [], ["khong-co", 2025, 1, "ke-hoach-683"])
        sheet["H3"] = "không nhập"
        book.create_sheet("Nháp")
    result = intake.check(fresh(data_copy, tmp_path, edit), data_copy)
    assert flat(result) == [["observations", 6, "A", "broken-link"]]   # Excel's row, blank rows counted
    assert [n.message("en") for n in result.notes] == [
        "Column H (Ghi chú riêng của tôi) of sheet observations is not part of the table and was ignored.",
        "Sheet \"Nháp\" is not part of the input workbook and was ignored."]


def test_a_column_whose_field_name_was_cleared_is_found_by_its_header(data_copy, tmp_path):
    path = fresh(data_copy, tmp_path, lambda b: b["sources"].__setitem__("B1", None))
    result = intake.check(path, data_copy)
    assert flat(result) == [] and not any(result.changes.values())
    assert [n.code for n in result.notes] == ["found-by-header"]


def test_a_deleted_row_of_field_names_is_made_up_for_by_the_headers(data_copy, tmp_path):
    def edit(book):
        book["context_observations"].delete_rows(1)
        book["context_observations"]["E2"] = 64    # the first data row, now Excel's row 2
    result = intake.check(fresh(data_copy, tmp_path, edit), data_copy)
    assert flat(result) == []
    assert [n.code for n in result.notes] == ["field-row-deleted"]
    assert [(c["row"], c["key"]) for c in result.changes["context_observations"].changed] == [(2, "tcvn-hai-hoa, 2025")]


# --- files that are refused -------------------------------------------------------------------------

def refused(path, data_copy) -> list:
    result = intake.check(path, data_copy)
    return [[p.problem.code, p.problem.message("en")] for p in result.problems]


def test_a_macro_enabled_workbook_is_refused(data_copy, tmp_path):
    named = fresh(data_copy, tmp_path, name="nhap-lieu.xlsm")
    assert refused(named, data_copy) == [["workbook-macros", "The workbook is macro-enabled (.xlsm); for safety, files with macros are not accepted."]]
    hidden = tmp_path / "macros.xlsx"
    with zipfile.ZipFile(named) as source, zipfile.ZipFile(hidden, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    assert [c for c, _ in refused(hidden, data_copy)] == ["workbook-macros"]


def test_a_password_protected_workbook_and_an_old_xls_are_refused_with_the_reason(data_copy, tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (tmp_path / "mat-khau.xlsx").write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + bytes(64))
    (tmp_path / "cu.xls").write_bytes(ole + "Workbook".encode("utf-16-le") + bytes(64))
    assert refused(tmp_path / "mat-khau.xlsx", data_copy) == [["workbook-encrypted", "The workbook is protected with a password, so it cannot be read."]]
    assert refused(tmp_path / "cu.xls", data_copy) == [["not-a-workbook", "The file is not an Excel .xlsx workbook (an old Excel 97–2003 (.xls) file)."]]


def test_a_file_that_is_not_a_workbook_gets_an_answer_not_a_traceback(data_copy, tmp_path, capsys):
    (tmp_path / "so-lieu.xlsx").write_text("target_id,year\nx,2025\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "tai-lieu.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with zipfile.ZipFile(tmp_path / "hong.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    assert refused(tmp_path / "so-lieu.xlsx", data_copy) == [["not-a-workbook", "The file is not an Excel .xlsx workbook (its content is not a workbook's)."]]
    assert refused(tmp_path / "tai-lieu.xlsx", data_copy) == [["not-a-workbook", "The file is not an Excel .xlsx workbook (another kind of archive, not a workbook)."]]
    assert [c for c, _ in refused(tmp_path / "hong.xlsx", data_copy)] == ["not-a-workbook"]
    assert refused(tmp_path / "khong-co.xlsx", data_copy) == [["missing-file", "The file is missing."]]
    code, out = run(capsys, tmp_path / "so-lieu.xlsx", "--package", data_copy)
    assert code == 1 and "Lỗi: Tệp không phải sổ tính Excel .xlsx (nội dung không phải của một sổ tính)." in out


def test_a_workbook_that_unpacks_to_far_more_than_any_input_workbook_is_refused(data_copy, tmp_path, monkeypatch):
    path = fresh(data_copy, tmp_path)
    monkeypatch.setattr(intake, "MAX_UNPACKED", 2**20)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/media/padding.bin", bytes(2 * 2**20), compress_type=zipfile.ZIP_DEFLATED)
    assert [m for _, m in refused(path, data_copy)] == [
        "The file is not an Excel .xlsx workbook (it unpacks to 2 MB, far too much for an input workbook)."]


# --- all files or none --------------------------------------------------------------------------------

def test_a_failed_swap_puts_back_the_files_already_written(data_copy, tmp_path, monkeypatch):
    before = snapshot(data_copy.parent)

    def edit(book):
        book["sources"].append(NEW_SOURCE)
        book["context_observations"]["E3"] = 64
    result = intake.check(fresh(data_copy, tmp_path, edit), data_copy)
    assert flat(result) == [] and len(result.texts) == 2
    real, calls = os.replace, []

    def second_fails(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(source, target)
    monkeypatch.setattr(intake.os, "replace", second_fails)
    with pytest.raises(OSError):
        intake.apply(result, data_copy)
    assert snapshot(data_copy.parent) == before


def test_a_workbook_with_problems_is_never_applied(data_copy, tmp_path):
    result = intake.check(fresh(data_copy, tmp_path, lambda b: observation(b, ["khong-co", 2025, 1, "ke-hoach-683"])), data_copy)
    with pytest.raises(ValueError):
        intake.apply(result, data_copy)


def test_the_real_data_round_trips(tmp_path, capsys):
    """The published workbook, imported unedited into a copy of the real data/, changes no byte."""
    shutil.copytree(paths.DATA, tmp_path / "data")
    before = snapshot(tmp_path / "data")
    path = tmp_path / "nhap-lieu.xlsx"
    path.write_bytes(workbook.write())
    assert run(capsys, path, "--package", tmp_path / "data" / "datapackage.json")[0] == 0
    assert snapshot(tmp_path / "data") == before
    assert snapshot(tmp_path / "data") == snapshot(paths.DATA)

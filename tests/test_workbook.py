"""The input workbook: one sheet per table a steward keeps, today's rows as real cells, the field
names in a hidden row, dropdowns for allowed sets and links, and the same bytes for the same data."""
import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from scripts.__main__ import main
from scripts.data.load import descriptor
from scripts.intake import workbook
from scripts.render import opendata
from tests.helpers import edit_cell, read_rows

TABLES = ["observations", "reports", "sources", "context_observations", "enterprises", "honours",
          "award_rounds", "award_round_counts", "model_sites"]


@pytest.fixture
def book(data_copy):
    return load_workbook(io.BytesIO(workbook.write(data_copy)))


def resource(package, name):
    return next(r for r in descriptor(package)["resources"] if r["name"] == name)


def test_sheets_are_the_instructions_a_hidden_lists_sheet_and_one_per_steward_table(book):
    assert book.sheetnames == ["Hướng dẫn", "danh_muc", *TABLES]
    assert book["danh_muc"].sheet_state == "hidden"
    assert [book[t].sheet_state for t in TABLES] == ["visible"] * len(TABLES)
    # the plan itself does not change by spreadsheet
    assert not {"tasks", "agencies", "duties", "targets"} & set(book.sheetnames)


def test_instructions_come_in_vietnamese_then_english(book):
    column = [c.value for c in book["Hướng dẫn"]["A"] if c.value]
    vi, en = column.index("Sổ nhập liệu: Kế hoạch 683 Nghệ An: Năng suất, chất lượng"), column.index(
        "Data entry workbook: Nghệ An Plan 683: Productivity and quality")
    assert vi == 0 < en
    last_updated = dt.date.fromisoformat(descriptor()["last_updated"])
    assert f"Dữ liệu tính đến ngày {last_updated:%d/%m/%Y}." in column[vi:en]
    assert f"Data as of {last_updated.isoformat()}." in column[en:]


def test_each_sheet_holds_todays_rows_under_a_readable_header_with_field_names_in_a_hidden_row(book, data_copy):
    for table in TABLES:
        sheet = book[table]
        fields = resource(data_copy, table)["schema"]["fields"]
        header, rows = read_rows(data_copy.parent / f"{table}.csv")
        assert [c.value for c in sheet[1]] == [f["name"] for f in fields], table
        assert sheet.row_dimensions[1].hidden and sheet.freeze_panes == "A3"
        assert sheet.max_row == 2 + len(rows), table
        for r, row in enumerate(rows, start=3):
            for c, name in enumerate(header, start=1):
                value = sheet.cell(r, c).value
                shown = "" if value is None else value.date().isoformat() if isinstance(value, dt.datetime) else str(value)
                assert shown == row[name] or float(shown) == float(row[name]), (table, r, name)


def test_headers_are_vietnamese_labels_with_required_columns_marked(book):
    assert [c.value for c in book["observations"][2]] == [
        "Chỉ tiêu *", "Năm *", "Giá trị *", "Nguồn *", "Ghi chú (tiếng Việt)", "Ghi chú (tiếng Anh)"]
    assert [c.value for c in book["sources"][2]][:5] == ["Mã *", "Tên văn bản, bài viết *", "Đơn vị công bố *", "Ngày công bố", "Địa chỉ (URL) *"]
    for table in TABLES:
        assert all(c.value and c.font.b for c in book[table][2]), table


def test_every_column_has_a_vietnamese_label_of_its_own(data_copy):
    for table in TABLES:
        for field in resource(data_copy, table)["schema"]["fields"]:
            assert workbook.label(field) != field["name"], (table, field["name"])


def test_dates_numbers_and_text_are_cells_of_their_kind(book):
    rounds = book["award_rounds"]
    dated = next(r for r in range(3, rounds.max_row + 1) if rounds.cell(r, 9).value)
    assert isinstance(rounds.cell(dated, 9).value, dt.datetime) and rounds.cell(dated, 9).number_format == "dd/mm/yyyy"
    assert rounds.cell(3, 3).value == 2019 and isinstance(rounds.cell(3, 3).value, int)
    context = book["context_observations"]
    assert context["E3"].value == 63 and context["E3"].data_type == "n"
    # new rows typed below the data get the same formats
    assert rounds.column_dimensions["I"].number_format == "dd/mm/yyyy"
    assert book["sources"].column_dimensions["A"].number_format == "@"


def test_every_allowed_set_and_link_is_a_dropdown_fed_from_the_lists_sheet_or_its_own_sheet(book, data_copy):
    lists = book["danh_muc"]
    for table in TABLES:
        schema = resource(data_copy, table)["schema"]
        links = workbook.links(schema)
        checks = {str(dv.sqref): dv for dv in book[table].data_validations.dataValidation}
        for column, field in enumerate(schema["fields"], start=1):
            letter = workbook.column_letter(column)
            data = checks[f"{letter}3:{letter}{book[table].max_row + workbook.SPARE_ROWS}"]
            assert checks[f"{letter}2"].prompt == data.prompt and data.showInputMessage
            assert data.prompt.rstrip("…") in field["description_vi"] and len(data.prompt) <= 255
            wanted = field["name"] in links or "enum" in field.get("constraints", {})
            assert (data.type == "list") == wanted, (table, field["name"])
            if field["name"] in links and links[field["name"]] in TABLES:
                assert data.formula1.startswith(f"={links[field['name']]}!$A$3:$A$")
            elif wanted:
                sheet, cells = data.formula1.lstrip("=").split("!")
                assert sheet == "danh_muc"
                first, last = cells.replace("$", "").split(":")
                values = [c.value for row in lists[first:last] for c in row]
                target = links.get(field["name"])
                expected = ([r["id"] for r in read_rows(data_copy.parent / f"{target}.csv")[1]] if target
                            else field["constraints"]["enum"])
                assert values == expected, (table, field["name"])


def test_targets_list_shows_each_id_beside_its_vietnamese_text(book, data_copy):
    lists = book["danh_muc"]
    titles = [c.value for c in lists[1]]
    column = titles.index("targets.id") + 1
    first = read_rows(data_copy.parent / "targets.csv")[1][0]
    assert (lists.cell(2, column).value, lists.cell(2, column + 1).value) == (first["id"], first["text_vi"])


def test_same_data_same_bytes_and_every_timestamp_is_the_datas_date(data_copy, monkeypatch):
    first = workbook.write(data_copy)
    assert workbook.write(data_copy) == first
    day = dt.date.fromisoformat(descriptor(data_copy)["last_updated"])
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps == [f"{day.isoformat()}T00:00:00Z"] * 2
    edit_cell(data_copy, "sources", 0, "note_en", "Changed.")
    assert workbook.write(data_copy) != first


def test_text_that_looks_like_a_formula_stays_text(data_copy):
    edit_cell(data_copy, "sources", 0, "note_en", "=HYPERLINK(\"http://example.org\")")
    sheet = load_workbook(io.BytesIO(workbook.write(data_copy)))["sources"]
    assert sheet["G3"].value == "=HYPERLINK(\"http://example.org\")" and sheet["G3"].data_type == "s"


def test_the_command_writes_the_file(data_copy, tmp_path, capsys):
    out = tmp_path / "nhap-lieu.xlsx"
    assert main(["workbook", "--out", str(out), "--package", str(data_copy)]) == 0
    assert out.read_bytes() == workbook.write(data_copy)
    assert capsys.readouterr().out == f"Đã ghi sổ nhập liệu / Wrote the input workbook: {out}\n"


def test_the_built_site_offers_the_same_workbook_in_both_languages(built_site):
    made = workbook.write()
    assert (built_site / "du-lieu" / opendata.INPUT_WORKBOOK).read_bytes() == made
    assert (built_site / "en" / "du-lieu" / opendata.INPUT_WORKBOOK).read_bytes() == made

"""The input workbook: today's rows of every table a data steward keeps, ready to edit in Excel.

One sheet per table, named after it. Row 1 (hidden) holds the field names, which is how
`scripts/intake/workbook_import.py` recognises each column however the columns are moved; row 2 is the readable
Vietnamese header a person sees (required columns end in " *", the field's description is the input
message); rows from 3 hold the data as real cells (dates shown dd/mm/yyyy, numbers as numbers).
Fields with an allowed set or a link to another table get an in-cell dropdown. The file is
reproducible: the same data gives the same bytes (every timestamp is the data's `last_updated`).
"""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from .. import paths
from ..base.reproducible import save_xlsx

# The tables a steward keeps; the plan's own tables (tasks, agencies, duties, targets) stay out.
TABLES = ("observations", "reports", "sources", "context_observations", "enterprises", "honours",
          "award_rounds", "award_round_counts", "model_sites")
# The plan's own text as tables, for setting up a new plan (`python -m scripts workbook --plan`): its
# sources first, since every other table names one.
PLAN_TABLES = ("sources", "plan", "purposes", "legal_basis", "agencies", "tasks", "task_agencies", "targets",
               "funding_sources", "gaps", "duty_items", "duty_agencies", "duties")


def sheets_of(names: set[str] | list[str]) -> tuple[str, ...]:
    """Which tables a workbook holds, told by its sheets: the plan's text when it has a plan sheet."""
    return PLAN_TABLES if "plan" in names else TABLES
INSTRUCTIONS = "Hướng dẫn"
LISTS = "danh_muc"
FIELD_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
SPARE_ROWS = 1000       # rows below the data that keep the dropdowns and formats, for new rows
DATE_FORMAT = "dd/mm/yyyy"
REQUIRED_MARK = " *"
PROMPT_LENGTH = 255     # Excel refuses a longer input message (and "repairs" the file)

# Readable Vietnamese headers; the Table Schema has descriptions but no short titles.
LABELS = {
    "id": "Mã", "target_id": "Chỉ tiêu", "year": "Năm", "value": "Giá trị", "source_id": "Nguồn",
    "note_vi": "Ghi chú (tiếng Việt)", "note_en": "Ghi chú (tiếng Anh)", "agency_id": "Cơ quan",
    "title": "Tên văn bản, bài viết", "published_date": "Ngày công bố", "url": "Địa chỉ (URL)",
    "publisher": "Đơn vị công bố", "date": "Ngày công bố", "indicator_id": "Chỉ số",
    "period_vi": "Giai đoạn (tiếng Việt)", "period_en": "Giai đoạn (tiếng Anh)", "qualifier": "Mức chính xác",
    "name_vi": "Tên (tiếng Việt)", "name_en": "Tên (tiếng Anh)", "sector_id": "Nhóm ngành",
    "enterprise_id": "Doanh nghiệp", "award": "Giải thưởng", "level": "Cấp công nhận", "rating": "Hạng sao",
    "prize_vi": "Hạng giải (tiếng Việt)", "prize_en": "Hạng giải (tiếng Anh)",
    "product_vi": "Sản phẩm (tiếng Việt)", "product_en": "Sản phẩm (tiếng Anh)", "decision": "Số quyết định",
    "decision_date": "Ngày quyết định", "round_id": "Đợt xét", "note_source_id": "Nguồn của ghi chú",
    "kind": "Loại", "area": "Phạm vi", "label_vi": "Tên đợt (tiếng Việt)", "label_en": "Tên đợt (tiếng Anh)",
    "measure": "Đối tượng đếm", "prize": "Hạng giải", "status": "Tình trạng", "count": "Số lượng",
    "path": "Tệp câu chuyện", "title_vi": "Tên (tiếng Việt)", "title_en": "Tên (tiếng Anh)",
    "quote": "Câu nguồn, nguyên văn", "quote_lang": "Ngôn ngữ câu nguồn", "published": "Ngày đăng (như trang ghi)",
}
# What a dropdown of ids shows beside each id on the lists sheet, by table.
NAME_COLUMNS = ("title_vi", "name_vi", "text_vi", "label_vi", "title")


def label(field: dict) -> str:
    return field.get("title_vi") or LABELS.get(field["name"], field["name"])


def required(field: dict, schema: dict) -> bool:
    key = schema.get("primaryKey", [])
    return bool(field.get("constraints", {}).get("required")) or field["name"] in ([key] if isinstance(key, str) else key)


def links(schema: dict) -> dict[str, str]:
    """field -> the table it must point into (single-field foreign keys)."""
    out = {}
    for fk in schema.get("foreignKeys", []):
        fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        if len(fields) == 1:
            out[fields[0]] = fk["reference"]["resource"]
    return out


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_tables(package_path: Path) -> tuple[dict, dict[str, tuple[list[str], list[list[str]]]]]:
    """The descriptor and every table's header and rows, as the text cells of its CSV."""
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    raws = {r["path"]: (package_path.parent / r["path"]).read_bytes() for r in descriptor["resources"]}
    return descriptor, tables_of(descriptor, raws)


def tables_of(descriptor: dict, raws: dict[str, bytes]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each table's header and rows, from its CSV file's bytes (by the resource's path)."""
    import csv

    tables = {}
    for resource in descriptor["resources"]:
        rows = [r for r in csv.reader(io.StringIO(raws[resource["path"]].decode("utf-8-sig"), newline="")) if r]
        tables[resource["name"]] = (rows[0] if rows else [], rows[1:])
    return tables


def cell_value(text: str, kind: str):
    """A CSV cell as the Excel cell it should be: a number, a date, or text."""
    if text == "":
        return None
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            number = float(text)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        if kind == "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        pass  # validate has passed this data; keep anything else as the text it is
    return text


def build(descriptor: dict, tables: dict[str, tuple[list[str], list[list[str]]]], names: tuple[str, ...] = TABLES):
    """The workbook (an openpyxl Workbook), from the descriptor and the tables' text cells; `names`:
    the tables it holds (TABLES, or PLAN_TABLES for a new plan's text)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    resources = {r["name"]: r for r in descriptor["resources"]}
    _instructions(book.create_sheet(INSTRUCTIONS), descriptor, resources, tables, names)
    lists_sheet = book.create_sheet(LISTS)
    lists = _Lists(lists_sheet, tables, resources, names)
    for name in names:
        _table_sheet(book.create_sheet(name), resources[name], tables[name], lists)
    lists_sheet.sheet_state = "hidden"
    book.active = 0
    return book


def write(package_path: Path = paths.PACKAGE, out: Path | None = None, names: tuple[str, ...] = TABLES) -> bytes:
    """The workbook's bytes (written to `out` when given): same data, same bytes."""
    descriptor, tables = read_tables(package_path)
    return write_tables(descriptor, tables, out, names)


def write_tables(descriptor: dict, tables: dict, out: Path | None = None, names: tuple[str, ...] = TABLES) -> bytes:
    buffer = io.BytesIO()
    save_xlsx(build(descriptor, tables, names), buffer, descriptor)
    data = buffer.getvalue()
    if out is not None:
        out.write_bytes(data)
    return data


class _Lists:
    """The hidden sheet the dropdowns read from: one column per list, filled on first use."""

    def __init__(self, sheet, tables, resources, names):
        self.sheet, self.tables, self.resources, self.names, self.made = sheet, tables, resources, names, {}

    def formula(self, title: str, values: list[str], names: list[str] | None = None) -> str:
        if title not in self.made:
            column = 2 * len(self.made) + 1
            self.sheet.cell(1, column, title)
            for row, value in enumerate(values, start=2):
                _text_cell(self.sheet.cell(row, column), value)
                if names:
                    _text_cell(self.sheet.cell(row, column + 1), names[row - 2])
            letter = column_letter(column)
            self.made[title] = f"{LISTS}!${letter}$2:${letter}${max(2, len(values) + 1)}"
        return self.made[title]

    def for_field(self, table: str, field: dict, target: str | None) -> str | None:
        enum = field.get("constraints", {}).get("enum")
        if target in self.names:  # a table in this workbook: the dropdown follows its sheet, new rows included
            resource = self.resources[target]
            key = resource["schema"]["primaryKey"]
            key = key if isinstance(key, str) else key[0]
            letter = column_letter([f["name"] for f in resource["schema"]["fields"]].index(key) + 1)
            rows = len(self.tables[target][1]) + SPARE_ROWS + FIRST_ROW - 1
            return f"{target}!${letter}${FIRST_ROW}:${letter}${rows}"
        if target:
            header, rows = self.tables[target]
            name_column = next((c for c in NAME_COLUMNS if c in header), None)
            ids = [r[header.index("id")] for r in rows]
            names = [r[header.index(name_column)] for r in rows] if name_column else None
            return self.formula(f"{target}.id", ids, names)
        if enum:
            return self.formula(f"{table}.{field['name']}", [str(v) for v in enum])
        return None


def _text_cell(cell, value) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a text starting with "=" stays text, never a formula


def _table_sheet(sheet, resource: dict, table: tuple[list[str], list[list[str]]], lists: _Lists) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    schema = resource["schema"]
    fields = schema["fields"]
    header, rows = table
    link = links(schema)
    last = len(rows) + SPARE_ROWS + FIRST_ROW - 1
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for column, field in enumerate(fields, start=1):
        kind = field.get("type", "string")
        _text_cell(sheet.cell(FIELD_ROW, column), field["name"])
        head = sheet.cell(HEADER_ROW, column, label(field) + (REQUIRED_MARK if required(field, schema) else ""))
        head.font, head.fill = bold, fill
        head.alignment = Alignment(wrap_text=True, vertical="top")
        letter = column_letter(column)
        dimension = sheet.column_dimensions[letter]
        dimension.number_format = {"date": DATE_FORMAT, "integer": "0", "number": "General"}.get(kind, "@")
        source = [r[header.index(field["name"])] if field["name"] in header else "" for r in rows]
        for row, text in enumerate(source, start=FIRST_ROW):
            cell = sheet.cell(row, column)
            _text_cell(cell, cell_value(text, kind))
            cell.number_format = dimension.number_format
        longest = max([len(label(field)) + 2] + [len(t) for t in source])
        dimension.width = max(10, min(50, longest + 2))
        prompt = _prompt(field.get("description_vi") or field.get("description", ""))
        title = label(field)[:32]
        choices = lists.for_field(resource["name"], field, link.get(field["name"]))
        if choices:
            # a value outside a fixed set is refused; a new link may be typed (validate checks it)
            check = DataValidation(type="list", formula1=f"={choices}", allow_blank=True,
                                   errorStyle="stop" if field.get("constraints", {}).get("enum") else "warning",
                                   showErrorMessage=True, error="Chọn một giá trị trong danh sách.", errorTitle="Giá trị không có trong danh sách")
        else:
            check = DataValidation(allow_blank=True)
        check.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        explain = DataValidation(allow_blank=True)  # the header explains itself too, without a dropdown
        explain.add(f"{letter}{HEADER_ROW}")
        for one in (explain, check):
            one.promptTitle, one.prompt, one.showInputMessage = title, prompt, True
            sheet.add_data_validation(one)
    sheet.row_dimensions[FIELD_ROW].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{column_letter(len(fields))}{max(HEADER_ROW + 1, len(rows) + FIRST_ROW - 1)}"


def _prompt(text: str) -> str:
    if len(text) <= PROMPT_LENGTH:
        return text
    cut = text[: PROMPT_LENGTH - 1]
    return cut[: max(cut.rfind("; "), cut.rfind(", "), cut.rfind(" "))] + "…"


INSTRUCTIONS_VI = [
    "Sổ nhập liệu: {name_vi}",
    "Sổ này chứa toàn bộ dữ liệu hiện có của các bảng do cán bộ cập nhật, mỗi bảng một trang tính (tên trang tính là tên bảng).",
    "Cách dùng: sửa ô cần sửa, thêm dòng mới ở cuối bảng, rồi lưu lại ở dạng Excel Workbook (.xlsx) và gửi lại như hướng dẫn ở trang Cập nhật dữ liệu.",
    "Cột có dấu * là bắt buộc. Chọn ô tiêu đề để xem giải thích của cột. Cột có mũi tên là danh sách chọn.",
    "Ngày nhập dạng ngày/tháng/năm, ví dụ 30/11/2025. Số nhập như bình thường trong Excel (ví dụ 1.234,5 hoặc 12,5%).",
    "Mỗi nguồn số liệu cần có một dòng ở trang sources (tên, đơn vị công bố, ngày, đường dẫn) trước khi dùng mã của nó ở các trang khác.",
    "Không đổi tên hay xóa trang tính, không xóa dòng 1 (dòng ẩn chứa tên trường). Xóa một dòng nghĩa là đề nghị xóa dữ liệu đó; "
    "việc xóa chỉ được thực hiện khi người nhập xác nhận.",
    "Không có gì được công bố trước khi người có thẩm quyền xem xét thay đổi.",
]
INSTRUCTIONS_EN = [
    "Data entry workbook: {name_en}",
    "This workbook holds all current rows of the tables that officials keep up to date, one sheet per table (the sheet's name is the table's).",
    "How to use it: edit the cells to correct, add new rows at the end of a table, save it as an Excel Workbook (.xlsx) and send it back "
    "as the data-update page explains.",
    "Columns marked * are required. Select a header cell to see what the column holds. Columns with an arrow are dropdown lists.",
    "Type dates as day/month/year, e.g. 30/11/2025. Type numbers as you normally do in Excel.",
    "Each source of a figure needs a row in the sources sheet (title, publisher, date, address) before its code is used on the other sheets.",
    "Do not rename or delete sheets, and do not delete row 1 (a hidden row holding the field names). Deleting a row asks for that data "
    "to be removed; it is removed only when the person importing confirms it.",
    "Nothing is published before a person with the right to do so has reviewed the change.",
]


PLAN_INTRO_VI = ("Sổ này chứa các bảng văn bản của Kế hoạch (Kế hoạch, mục đích hoặc mục tiêu, căn cứ pháp lý, cơ quan, nhiệm vụ, "
                 "chỉ tiêu, kinh phí, tổ chức thực hiện, phần văn bản còn thiếu), mỗi bảng một trang tính: dùng để nhập một kế hoạch mới, "
                 "nguyên văn như văn bản đã ban hành.")
PLAN_INTRO_EN = ("This workbook holds the plan's own text as tables (the plan, its purpose or objectives, legal basis, agencies, tasks, "
                 "targets, funding, implementation duties, and what the text kept leaves out), one sheet per table: for entering a new "
                 "plan, word for word as issued.")


def _instructions(sheet, descriptor: dict, resources: dict, tables: dict, names: tuple[str, ...]) -> None:
    from openpyxl.styles import Alignment, Font

    stamp = dt.date.fromisoformat(descriptor["last_updated"]).strftime("%d/%m/%Y")
    site = descriptor.get("site") or {}
    plan = names == PLAN_TABLES
    vi = [INSTRUCTIONS_VI[0], PLAN_INTRO_VI if plan else INSTRUCTIONS_VI[1], *INSTRUCTIONS_VI[2:]]
    en = [INSTRUCTIONS_EN[0], PLAN_INTRO_EN if plan else INSTRUCTIONS_EN[1], *INSTRUCTIONS_EN[2:]]
    lines = ([(vi[0].format(name_vi=site.get("name_vi") or descriptor["name"]), True)] + [(t, False) for t in vi[1:]]
             + [(f"Dữ liệu tính đến ngày {stamp}.", False), ("", False)]
             + [(en[0].format(name_en=site.get("name_en") or descriptor["name"]), True)] + [(t, False) for t in en[1:]]
             + [(f"Data as of {descriptor['last_updated']}.", False), ("", False)])
    for row, (text, strong) in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text or None)
        cell.font = Font(bold=strong, size=13 if strong else 11)  # one line each, running on to the right
    row = len(lines) + 1
    heads = ["Trang tính / Sheet", "Bảng / Table", "Số dòng / Rows", "Cột / Column", "Trường / Field", "Bắt buộc / Required",
             "Mô tả / Description (vi)", "Description (en)"]
    for column, text in enumerate(heads, start=1):
        sheet.cell(row, column, text).font = Font(bold=True)
    for name in names:
        resource = resources[name]
        for field in resource["schema"]["fields"]:
            row += 1
            values = [name, f"{resource.get('title_vi', '')} / {resource.get('title', '')}", len(tables[name][1]), label(field),
                      field["name"], "*" if required(field, resource["schema"]) else "",
                      field.get("description_vi", ""), field.get("description", "")]
            for column, value in enumerate(values, start=1):
                _text_cell(sheet.cell(row, column), value)
                sheet.cell(row, column).alignment = Alignment(wrap_text=column >= 7, vertical="top")
    for letter, width in zip("ABCDEFGH", (22, 30, 10, 24, 18, 10, 60, 60)):
        sheet.column_dimensions[letter].width = width

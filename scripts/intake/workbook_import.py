"""Read an input workbook (made by scripts/intake/workbook.py, then edited in Excel) back into data/.

`check` reads every value (never a formula), undoes what Excel does to data (dates as text or
serial numbers, Vietnamese number separators, percentages, apostrophes, odd spaces and quotes,
merged cells), merges the sheets into the tables row by row, and checks the result with
`scripts/data/validate.py` in a scratch copy of the package: the same catalogue of problems, located
by sheet, Excel row and column. `apply` writes the changed CSVs, all of them or none. Rows nobody
touched keep their exact bytes, so a workbook imported unedited changes nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import asdict, dataclass, replace
from dataclasses import field as datafield
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .. import paths
from ..data import validate
from ..data.problems import TYPE_NAMES, Problem, problem
from . import workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # old .xls, and any password-protected Office file
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam")
MAX_UNPACKED = 200 * 2**20   # a real input workbook unpacks to a few MB; far beyond that is a zip bomb
QUOTES = "'\"‘’‚‛“”„‟′″«»"
BOM = "\ufeff"

# Notes: what the import did that a person should know, but which is not a problem.
NOTES = {
    "extra-sheet": ("Trang tính \"{sheet}\" không thuộc sổ nhập liệu nên được bỏ qua.",
                    "Sheet \"{sheet}\" is not part of the input workbook and was ignored."),
    "extra-column": ("Cột {detail} của trang tính {sheet} không thuộc bảng nên được bỏ qua.",
                     "Column {detail} of sheet {sheet} is not part of the table and was ignored."),
    "hidden-rows": ("Dòng {detail} của trang tính {sheet} đang bị ẩn hoặc lọc; các dòng này vẫn được đọc như mọi dòng khác.",
                    "Row(s) {detail} of sheet {sheet} are hidden or filtered out; they were read like every other row."),
    "merged-cells": ("Các ô gộp {detail} của trang tính {sheet} được đọc như thể mỗi ô mang cùng một giá trị.",
                     "Merged cells {detail} of sheet {sheet} were read as if each cell held the same value."),
    "field-row-deleted": ("Dòng 1 (dòng ẩn chứa tên trường) của trang tính {sheet} đã bị xóa; các cột được nhận ra theo tiêu đề ở dòng 1.",
                          "Row 1 (the hidden row of field names) of sheet {sheet} was deleted; the columns were recognised by their headers in row 1."),
    "found-by-header": ("Cột {detail} của trang tính {sheet} được nhận ra theo tiêu đề (ô tên trường ở dòng 1 đang trống).",
                        "Column {detail} of sheet {sheet} was recognised by its header (its field-name cell in row 1 is empty)."),
}


@dataclass(frozen=True)
class Note:
    code: str
    sheet: str
    detail: str = ""

    def message(self, lang: str) -> str:
        return NOTES[self.code][0 if lang == "vi" else 1].format(sheet=self.sheet, detail=self.detail)

    def as_dict(self) -> dict:
        return {**asdict(self), "message_vi": self.message("vi"), "message_en": self.message("en")}


@dataclass(frozen=True)
class Located:
    """A problem and where it is in the workbook: sheet, Excel row, column letter and its header."""

    problem: Problem
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None

    def as_dict(self) -> dict:
        return {**self.problem.as_dict(), "sheet": self.sheet, "row": self.row, "column": self.column, "header": self.header}


@dataclass
class TableChanges:
    added: list[dict] = datafield(default_factory=list)     # {"row": Excel row, "key": ..., "cells": {field: value}}
    changed: list[dict] = datafield(default_factory=list)   # {"row", "key", "cells": [{"field", "column", "header", "before", "after"}]}
    removed: list[dict] = datafield(default_factory=list)   # {"key", "cells"}

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class Result:
    problems: list[Located]
    notes: list[Note]
    changes: dict[str, TableChanges]
    texts: dict[str, str]              # table -> its new CSV text, for each table that changes
    written: list[str] = datafield(default_factory=list)
    package: str = "data/"             # the folder of the package it is checked against, as the report names it

    def as_dict(self) -> dict:
        return {"ok": not self.problems, "written": self.written, "problems": [p.as_dict() for p in self.problems],
                "notes": [n.as_dict() for n in self.notes],
                "changes": {name: asdict(c) for name, c in self.changes.items() if c}}


@dataclass
class _Sheet:
    name: str
    columns: dict[str, tuple[int, str]]          # field -> (column number, header as shown)
    rows: list[tuple[int, dict[str, str]]]       # (Excel row, field -> text)


# --- reading the file ------------------------------------------------------------------------------

def check(path: Path, package_path: Path = paths.PACKAGE, allow_removals: bool = False) -> Result:
    """Everything the import would do, and every problem that stops it; writes nothing."""
    name = path.name
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    folder = _shown(package_path.parent) + "/"     # the package, as the report names it
    refused = _refusal(path)
    if refused:
        return Result([Located(refused)], [], {}, {}, package=folder)
    books, refused = _open(path)
    if refused:
        return Result([Located(refused)], [], {}, {}, package=folder)
    sheets, problems, notes = _read_sheets(books, name, resources)
    changes, texts, origins = {}, {}, {}
    for table, sheet in sheets.items():
        old_text = (package_path.parent / resources[table]["path"]).read_text(encoding="utf-8-sig")
        text, origin, change, removals = _merge(resources[table], old_text, sheet, allow_removals, name)
        problems += removals
        changes[table] = change
        origins[table] = origin
        if text != old_text:
            texts[table] = text
    problems += _validate(package_path, descriptor, texts, origins, sheets, problems, name)
    return Result(sorted(problems, key=_order), notes, changes, texts, package=folder)


def _order(p: Located) -> tuple:
    """Problems in the order a person meets them: sheet by sheet, row by row, left to right."""
    order = workbook.TABLES + tuple(t for t in workbook.PLAN_TABLES if t not in workbook.TABLES)
    sheet = order.index(p.sheet) if p.sheet in order else -1
    return (sheet, p.row or 0, len(p.column or ""), p.column or "", p.problem.code)


def _refusal(path: Path) -> Problem | None:
    """Files the import will not open, each with its reason."""
    name = path.name
    if not path.is_file():
        return problem("missing-file", name)
    head = path.read_bytes()[:8]
    if head == OLE_MAGIC:
        if _encrypted(path):
            return problem("workbook-encrypted", name)
        return problem("not-a-workbook", name, detail_vi="tệp Excel 97–2003 (.xls) kiểu cũ", detail_en="an old Excel 97–2003 (.xls) file")
    if not zipfile.is_zipfile(path):
        return problem("not-a-workbook", name, detail_vi="nội dung không phải của một sổ tính", detail_en="its content is not a workbook's")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(item.file_size for item in archive.infolist())
            if unpacked > MAX_UNPACKED:
                return problem("not-a-workbook", name, detail_vi=f"giải nén ra {unpacked // 2**20} MB, quá lớn với một sổ nhập liệu",
                               detail_en=f"it unpacks to {unpacked // 2**20} MB, far too much for an input workbook")
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as err:
        return problem("not-a-workbook", name, detail_vi=f"tệp nén bị hỏng: {err}", detail_en=f"a damaged archive: {err}")
    if path.suffix.lower() in MACRO_EXTENSIONS or any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        return problem("workbook-macros", name)
    if "xl/workbook.xml" not in names:
        kind_vi, kind_en = ("bảng tính OpenDocument (.ods)", "an OpenDocument spreadsheet (.ods)") if "content.xml" in names else \
            ("một tệp nén khác, không phải sổ tính", "another kind of archive, not a workbook")
        return problem("not-a-workbook", name, detail_vi=kind_vi, detail_en=kind_en)
    return None


def _encrypted(path: Path) -> bool:
    """An encrypted Office file is an OLE container with an EncryptionInfo stream."""
    return "EncryptionInfo".encode("utf-16-le") in path.read_bytes()


def _open(path: Path):
    """The workbook twice: with the values Excel calculated, and with the formulas (to tell a
    formula without a stored value from an empty cell)."""
    from openpyxl import load_workbook

    data = path.read_bytes()
    try:
        with warnings.catch_warnings():  # openpyxl warns of Excel features it drops (e.g. x14 dropdowns); we only read values
            warnings.simplefilter("ignore")
            return (load_workbook(io.BytesIO(data), data_only=True), load_workbook(io.BytesIO(data), data_only=False)), None
    except Exception as err:  # openpyxl raises many kinds on a damaged file; the reason is kept for the person
        detail = " ".join(str(err).split())[:200] or type(err).__name__
        return None, problem("not-a-workbook", path.name, detail_vi=f"Excel không lưu đúng cấu trúc: {detail}",
                             detail_en=f"its structure is damaged: {detail}")


def _read_sheets(books, name: str, resources: dict) -> tuple[dict[str, _Sheet], list[Located], list[Note]]:
    values, formulas = books
    sheets, problems, notes = {}, [], []
    names = workbook.sheets_of(values.sheetnames)
    known = set(names) | {workbook.INSTRUCTIONS, workbook.LISTS}
    missing = [t for t in names if t not in values.sheetnames]
    for title in values.sheetnames:
        if title in names:
            sheet, found, more = _read_sheet(values[title], formulas[title], resources[title], name)
            problems += found
            notes += more
            if not any(p.problem.code == "sheet-missing-column" for p in found):
                sheets[title] = sheet
        elif title not in known:
            renamed = _renamed(values[title], [resources[t] for t in missing])
            if renamed:
                problems.append(Located(problem("renamed-sheet", name, cell=title, sheet=renamed), title))
                missing.remove(renamed)
            else:
                notes.append(Note("extra-sheet", title))
    for table in missing:
        resource = resources[table]
        problems.append(Located(problem("missing-sheet", name, sheet=table, title_vi=resource.get("title_vi", table),
                                        title_en=resource.get("title", table)), table))
    return sheets, problems, notes


def _renamed(sheet, candidates: list[dict]) -> str | None:
    names = {str(c.value).strip() for c in sheet[workbook.FIELD_ROW] if c.value is not None} if sheet.max_row else set()
    for resource in candidates:
        if {f["name"] for f in resource["schema"]["fields"]} <= names:
            return resource["name"]
    return None


def _header_key(text) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).replace("\xa0", " ")
    return " ".join(text.replace("*", " ").split()).casefold()


def _read_sheet(values, formulas, resource: dict, name: str) -> tuple[_Sheet, list[Located], list[Note]]:
    from openpyxl.utils import get_column_letter

    table = values.title
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    by_header = {}
    for f in fields.values():
        by_header.setdefault(_header_key(workbook.label(f)), f["name"])
        by_header.setdefault(_header_key(f["name"]), f["name"])
    problems, notes = [], []
    merged = _merged(values)
    if merged:
        notes.append(Note("merged-cells", table, ", ".join(sorted(str(r) for r in values.merged_cells.ranges))))

    def value(row: int, column: int):
        return merged.get((row, column), values.cell(row, column).value) if merged else values.cell(row, column).value

    last_row = values.max_row
    field_row, header_row, first_row = workbook.FIELD_ROW, workbook.HEADER_ROW, workbook.FIRST_ROW
    top = [value(field_row, c) for c in range(1, values.max_column + 1)]
    if not {str(v).strip() for v in top if v is not None} & set(fields) and {_header_key(v) for v in top} & set(by_header):
        # the hidden row of field names was deleted: the headers are in row 1 and the data starts in row 2
        field_row, header_row, first_row = None, 1, 2
        notes.append(Note("field-row-deleted", table))
    columns: dict[str, tuple[int, str]] = {}
    extra, by_title = [], []
    for column in range(1, values.max_column + 1):
        key = str(value(field_row, column) or "").strip() if field_row else ""
        head = value(header_row, column)
        head = "" if head is None else " ".join(str(head).split())
        letter = get_column_letter(column)
        found = key if key in fields else None
        if found is None and not key and _header_key(head) in by_header:
            found = by_header[_header_key(head)]
            if field_row:  # its own field name is missing, not the whole row (noted once above)
                by_title.append(f"{letter} ({head})")
        if found and found not in columns:
            columns[found] = (column, head.removesuffix(workbook.REQUIRED_MARK.strip()).strip() or workbook.label(fields[found]))
        elif key or head or any(value(r, column) not in (None, "") for r in range(first_row, last_row + 1)):
            extra.append(f"{letter} ({head or key or '…'})")
    if by_title:
        notes.append(Note("found-by-header", table, ", ".join(by_title)))
    if extra:
        notes.append(Note("extra-column", table, ", ".join(extra)))
    for field_name, f in fields.items():
        if field_name not in columns:
            problems.append(Located(problem("sheet-missing-column", name, field=field_name, header=workbook.label(f)), table,
                                    header=workbook.label(f)))
    rows, hidden = [], []
    for row in range(first_row, last_row + 1):
        cells, found = {}, []
        for field_name, (column, head) in columns.items():
            raw = value(row, column)
            formula = formulas.cell(row, column)
            if raw is None and formula.data_type == "f":
                shown = formula.value if isinstance(formula.value, str) else getattr(formula.value, "text", "") or "="
                found.append(Located(problem("formula-without-value", name, row, field_name, cell=shown), table, row,
                                     get_column_letter(column), head))
                cells[field_name] = ""
                continue
            text, trouble = read_cell(raw, values.cell(row, column).number_format, fields[field_name])
            if trouble:
                found.append(Located(replace(trouble, file=name, row=row, field=field_name), table, row, get_column_letter(column), head))
            cells[field_name] = text
        if not any(cells.values()) and not found:
            continue  # a blank row, wherever it is: nothing to read
        if values.row_dimensions[row].hidden:
            hidden.append(row)
        rows.append((row, cells))
        problems += found
    if hidden:
        notes.append(Note("hidden-rows", table, _ranges(hidden)))
    return _Sheet(table, columns, rows), problems, notes


def _merged(sheet) -> dict[tuple[int, int], object]:
    """Each cell of a merged range, holding the value of its top-left cell (all that Excel keeps)."""
    out = {}
    for cells in sheet.merged_cells.ranges:
        top = sheet.cell(cells.min_row, cells.min_col).value
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, cells.max_col + 1):
                out[(row, column)] = top
    return out


def _ranges(rows: list[int]) -> str:
    parts, start = [], rows[0]
    for a, b in zip(rows, rows[1:] + [None]):
        if b != a + 1:
            parts.append(str(start) if start == a else f"{start}–{a}")
            start = b
    return ", ".join(parts)


# --- one cell --------------------------------------------------------------------------------------

def read_cell(value, number_format: str, field: dict) -> tuple[str, Problem | None]:
    """A cell as the CSV text of its field, undoing what Excel does; or the text and a problem."""
    kind = field.get("type", "string")
    coded = bool(validate.KEY_FIELD.match(field["name"])) or "enum" in field.get("constraints", {})
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        if kind in ("integer", "number"):
            return day.isoformat(), _wrong_type(kind, day.strftime("%d/%m/%Y"))
        return day.isoformat(), None
    if isinstance(value, dt.time):
        return value.isoformat(), (problem("bad-date", "", cell=value.isoformat()) if kind == "date" else None)
    if isinstance(value, (int, float)):
        if kind == "date":
            return _serial_date(value)
        if "%" in (number_format or ""):
            value = value * 100  # 12.5% is stored as 0.125; the tables hold percentages as 12.5
        return _number_text(value, kind)
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    if coded or kind != "string":
        text = text.replace("\xa0", " ").replace("\u202f", " ").strip().strip(QUOTES).strip()
    if not text:
        return "", None
    if kind == "date":
        return _text_date(text)
    if kind in ("integer", "number"):
        return _text_number(text, kind)
    return text, None


# What to type in a cell of Excel, where the CSV's advice (a decimal point) does not apply.
CELL_HINTS = {"integer": (", ví dụ 2025", ", e.g. 2025"), "number": (", ví dụ 1234,5 hoặc 12,5%", ", e.g. 1234.5 or 12.5%")}


def _wrong_type(kind: str, cell: str) -> Problem:
    vi, en, hint_vi, hint_en = TYPE_NAMES.get(kind, (kind, kind, "", ""))
    hint_vi, hint_en = CELL_HINTS.get(kind, (hint_vi, hint_en))
    return problem("wrong-type", "", cell=cell, type_vi=vi, type_en=en, hint_vi=hint_vi, hint_en=hint_en)


def _serial_date(value) -> tuple[str, Problem | None]:
    """Excel's day number (45991 is 30/11/2025), shown as a number when the cell lost its format."""
    from openpyxl.utils.datetime import from_excel

    if 1 <= value < 2958466:
        moment = from_excel(value)
        return (moment.date() if isinstance(moment, dt.datetime) else moment).isoformat(), None
    return str(value), problem("bad-date", "", cell=value)


DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?"), (1, 2, 3)),   # ISO, as in the CSV
    (re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"), (3, 2, 1)),       # Vietnamese order: day first
)


def _text_date(text: str) -> tuple[str, Problem | None]:
    for pattern, (y, m, d) in DATE_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            try:
                return dt.date(int(found[y]), int(found[m]), int(found[d])).isoformat(), None
            except ValueError:
                break
    return text, problem("bad-date", "", cell=text)


def _number_text(value, kind: str) -> tuple[str, Problem | None]:
    if isinstance(value, float) and not (value == value and abs(value) != float("inf")):
        return str(value), _wrong_type(kind, str(value))
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)  # a float's last digits are noise
    return _decimal_text(number, kind, str(value))


def _decimal_text(number: Decimal, kind: str, shown: str) -> tuple[str, Problem | None]:
    if number == number.to_integral_value():
        return str(int(number)), None
    if kind == "integer":
        return shown, _wrong_type(kind, shown)
    text = format(number.normalize(), "f")
    return text, None


SPACES = re.compile(r"[\s\xa0\u202f']")  # spaces or apostrophes between groups of digits: 1 234 567, 1'234


def _text_number(text: str, kind: str) -> tuple[str, Problem | None]:
    """Numbers typed as text, in Vietnamese (1.234,5) or English (1,234.5) style, or with a %."""
    raw = SPACES.sub("", text).removesuffix("%")
    sign = "-" if raw[:1] in "-−" else ""
    digits = raw.lstrip("+-−")
    if re.fullmatch(r"\d+", digits):
        plain = digits
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", digits) and ("," in digits or digits.count(".") > 1):
        plain = digits.replace(".", "").replace(",", ".")           # 1.234,5 or 1.234.567
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits) and ("." in digits or digits.count(",") > 1):
        plain = digits.replace(",", "")                              # 1,234.5 or 1,234,567
    elif re.fullmatch(r"\d{1,3}[.,]\d{3}", digits):
        # 1.234 or 1,234: a thousand and more, or one and a bit; a whole number can only be the first
        whole, decimal = digits.replace(".", "").replace(",", ""), digits.replace(",", ".")
        if kind == "integer":
            plain = whole
        else:
            return text, problem("ambiguous-number", "", cell=text, first=whole, second=decimal.replace(".", ","))
    elif re.fullmatch(r"\d*,\d+", digits):
        plain = digits.replace(",", ".")                             # 12,5
    elif re.fullmatch(r"\d*\.\d+", digits):
        plain = digits                                               # 12.5
    else:
        return text, _wrong_type(kind, text)
    try:
        number = Decimal(sign + plain)
    except InvalidOperation:
        return text, _wrong_type(kind, text)
    return _decimal_text(number, kind, text)


# --- sheets into tables ------------------------------------------------------------------------------

def _canon(text: str, field: dict):
    """What a cell means, so that "36.50" and 36.5, or a trailing space, are not a change."""
    kind = field.get("type", "string")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind in ("integer", "number"):
        try:
            return Decimal(text)
        except InvalidOperation:
            return text
    return text


def _records(text: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The header's raw text, and each record's raw text (every byte, line ends included) with its cells."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines)
    next(reader, None)
    start = reader.line_num
    head, out = "".join(lines[:start]), []
    for cells in reader:
        end = reader.line_num
        if cells:
            out.append(("".join(lines[start:end]), cells))
        start = end
    return head, out


def _csv_record(cells: list[str], ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerow(cells)
    return buffer.getvalue()


def _merge(resource: dict, old_text: str, sheet: _Sheet, allow_removals: bool, name: str):
    """The table's new CSV text: rows kept in the CSV's order (sorting a sheet changes nothing), each
    unchanged row byte for byte, new rows at the end in the sheet's order. Returns the text, the
    Excel row of each record (None for a row kept from the CSV), the changes, and any removal
    not confirmed with allow_removals."""
    schema = resource["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    head, old = _records(old_text)
    header = next(csv.reader([head])) if head else list(fields)
    ending = "\r\n" if head.endswith("\r\n") else "\n"
    key_fields = schema.get("primaryKey") or []
    key_fields = [key_fields] if isinstance(key_fields, str) else key_fields

    def key(cells: dict) -> tuple:
        if key_fields:
            return tuple(cells.get(f, "").strip() for f in key_fields)
        return tuple(_canon(cells.get(f, ""), fields[f]) for f in header if f in fields)

    def shown_key(cells: dict) -> str:
        return ", ".join(v for v in (cells.get(f, "") for f in (key_fields or header)) if v)

    waiting: dict[tuple, list] = {}
    for row, cells in sheet.rows:
        waiting.setdefault(key(cells), []).append((row, cells))
    out, origin, change, removals = [head], [], TableChanges(), []
    for raw, values in old:
        was = dict(zip(header, values))
        bucket = waiting.get(key(was))
        if not bucket:
            change.removed.append({"key": shown_key(was), "cells": was})
            if not allow_removals:
                out.append(raw)
                origin.append(None)
                removals.append(Located(problem("row-removed", name, cell=shown_key(was)), sheet.name))
            continue
        row, now = bucket.pop(0)
        merged = [was.get(f, "") if f not in now or _canon(was.get(f, ""), fields[f]) == _canon(now[f], fields[f]) else now[f]
                  for f in header]
        diffs = [(f, was.get(f, ""), m) for f, m in zip(header, merged) if m != was.get(f, "")]
        origin.append(row)
        if not diffs:
            out.append(raw)
            continue
        out.append(_csv_record(merged, raw[len(raw.rstrip("\r\n")):] or ending))
        change.changed.append({"row": row, "key": shown_key(was), "cells": [
            {"field": f, "column": _letter(sheet, f), "header": sheet.columns[f][1], "before": b, "after": a} for f, b, a in diffs]})
    added = sorted((row, cells) for bucket in waiting.values() for row, cells in bucket)
    for row, cells in added:
        if out[-1] and not out[-1].endswith("\n"):
            out[-1] += ending
        out.append(_csv_record([cells.get(f, "") for f in header], ending))
        origin.append(row)
        change.added.append({"row": row, "key": shown_key(cells), "cells": {f: cells.get(f, "") for f in header}})
    return "".join(out), origin, change, removals


def _letter(sheet: _Sheet, field_name: str) -> str:
    return workbook.column_letter(sheet.columns[field_name][0])


# --- checking the result -------------------------------------------------------------------------------

def _validate(package_path: Path, descriptor: dict, texts: dict[str, str], origins: dict, sheets: dict[str, _Sheet],
              found: list[Located], name: str) -> list[Located]:
    """validate() on a scratch copy of the package holding the new tables, its problems moved from
    CSV lines to Excel rows; a cell the reading already complained about is not reported twice."""
    resources = {r["name"]: r for r in descriptor["resources"]}
    taken = {(p.sheet, p.row, p.problem.field) for p in found if p.row}
    with tempfile.TemporaryDirectory(prefix="import-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(package_path.parent, copy, symlinks=True)
        for table, text in texts.items():
            (copy / resources[table]["path"]).write_text(text, encoding="utf-8", newline="")
        # the messages name the package the workbook is for, not the scratch copy it was checked in
        folder = _shown(package_path.parent) + "/"
        problems = [p.told_of(validate._display(copy) + "/", folder) for p in validate.validate(copy / package_path.name)]
        where = {str((copy / r["path"]).resolve()): r["name"] for r in descriptor["resources"]}
        lines = {}
        for table, sheet in sheets.items():
            text = texts.get(table) or (package_path.parent / resources[table]["path"]).read_text(encoding="utf-8-sig")
            _, records = validate._parse(text)
            lines[table] = {line: row for (line, _), row in zip(records, origins[table])}
        out = []
        for p in problems:
            file = Path(p.file) if Path(p.file).is_absolute() else paths.ROOT / p.file
            table = where.get(str(file.resolve()))
            if table in sheets:
                row = lines[table].get(p.row) if p.row else None
                sheet = sheets[table]
                column = sheet.columns.get(p.field) if p.field else None
                if (table, row, p.field) in taken and row:
                    continue
                out.append(Located(replace(p, file=name, row=row), table, row,
                                   workbook.column_letter(column[0]) if column else None, column[1] if column else None))
            else:
                try:
                    shown = folder + file.resolve().relative_to(copy.resolve()).as_posix()
                except ValueError:
                    shown = p.file
                out.append(Located(replace(p, file=shown)))
    return out


# --- writing --------------------------------------------------------------------------------------------

def apply(result: Result, package_path: Path = paths.PACKAGE) -> list[str]:
    """Write the changed tables, all or none: each into a scratch file beside it, then each swapped
    into place; if a swap fails, the files already swapped get their old bytes back."""
    if result.problems:
        raise ValueError("a workbook with problems is never applied")
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    targets = {package_path.parent / resources[t]["path"]: text for t, text in result.texts.items()}
    before = {path: path.read_bytes() for path in targets}
    ready = {}
    try:
        for path, text in targets.items():
            scratch = path.with_name(f".{path.name}.importing")
            bom = BOM if before[path].startswith(BOM.encode()) else ""
            scratch.write_bytes((bom + text).encode("utf-8"))
            shutil.copymode(path, scratch)
            ready[path] = scratch
        done = []
        try:
            for path, scratch in ready.items():
                os.replace(scratch, path)
                done.append(path)
        except OSError:
            for path in done:
                path.write_bytes(before[path])
            raise
    finally:
        for scratch in ready.values():
            scratch.unlink(missing_ok=True)
    result.written = [_shown(path) for path in targets]
    return result.written


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


# --- the report ---------------------------------------------------------------------------------------

WORDS = {
    "vi": {"sheet": "trang tính", "row": "dòng", "column": "cột", "where": "Vị trí", "what": "Lỗi", "fix": "Cách sửa",
           "problems": "Có {n} lỗi; chưa ghi gì vào {package}:", "notes": "Ghi chú:", "changes": "Thay đổi:",
           "table": "Bảng {table}: thêm {added}, sửa {changed}, xóa {removed} dòng", "none": "Không có thay đổi nào so với {package}.",
           "added": "thêm", "changed": "sửa", "removed": "xóa", "dry": "Chạy thử (--dry-run): chưa ghi gì.",
           "written": "Đã ghi: {files}.", "ok": "Sổ tính hợp lệ."},
    "en": {"sheet": "sheet", "row": "row", "column": "column", "where": "Where", "what": "Problem", "fix": "What to do",
           "problems": "{n} problem(s); nothing was written to {package}:", "notes": "Notes:", "changes": "Changes:",
           "table": "Table {table}: {added} added, {changed} changed, {removed} removed", "none": "Nothing differs from {package}.",
           "added": "added", "changed": "changed", "removed": "removed", "dry": "Dry run (--dry-run): nothing written.",
           "written": "Written: {files}.", "ok": "The workbook is valid."},
}


def where(p: Located, lang: str) -> str:
    w = WORDS[lang]
    parts = [p.problem.file]
    if p.sheet:
        parts.append(f"{w['sheet']} {p.sheet}")
    if p.row:
        parts.append(f"{w['row']} {p.row}")
    if p.column:
        parts.append(f"{w['column']} {p.column} ({p.header})")
    elif p.problem.field:
        parts.append(f"{w['column']} {p.header or p.problem.field}")
    return ", ".join(parts)


def report(result: Result, lang: str = "vi", dry_run: bool = False) -> str:
    """The import as a person reads it: problems, notes, then what changes in each table."""
    w = WORDS[lang]
    lines = []
    if result.problems:
        lines += [w["problems"].format(n=len(result.problems), package=result.package), ""]
        for p in result.problems:
            lines += [f"- {w['where']}: {where(p, lang)}", f"  {w['what']}: {p.problem.message(lang)}",
                      f"  {w['fix']}: {p.problem.fix(lang)}"]
        lines.append("")
    if result.notes:
        lines += [w["notes"]] + [f"- {n.message(lang)}" for n in result.notes] + [""]
    changed = {t: c for t, c in result.changes.items() if c}
    if changed:
        lines.append(w["changes"])
        for table, c in changed.items():
            lines.append(w["table"].format(table=table, added=len(c.added), changed=len(c.changed), removed=len(c.removed)))
            for a in c.added:
                lines.append(f"  + {w['row']} {a['row']}: {a['key']}")
            for m in c.changed:
                lines.append(f"  ~ {w['row']} {m['row']}: {m['key']}")
                for cell in m["cells"]:
                    lines.append(f"      {cell['column']} ({cell['header']}): {cell['before']!r} → {cell['after']!r}")
            for r in c.removed:
                lines.append(f"  - {w['removed']}: {r['key']}")
    elif not result.problems:
        lines.append(w["none"].format(package=result.package))
    if not result.problems:
        if dry_run:
            lines.append(w["dry"])
        elif result.written:
            lines.append(w["written"].format(files=", ".join(result.written)))
        else:
            lines.append(w["ok"])
    return "\n".join(lines).rstrip()

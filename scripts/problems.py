"""The catalogue of data problems: one code per kind of mistake, with what to say and what to do.

Every problem a person editing `data/` can cause is listed here, in Vietnamese and English.
The validator only creates `Problem`s; the command line decides how to show them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

# code: (message_vi, message_en, fix_vi, fix_en). Placeholders come from Problem.details.
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    "missing-file": (
        "Không tìm thấy tệp.",
        "The file is missing.",
        "Khôi phục tệp, hoặc sửa đường dẫn `path` trong data/datapackage.json.",
        "Restore the file, or correct its `path` in data/datapackage.json.",
    ),
    "package-syntax": (
        "data/datapackage.json không phải JSON hợp lệ: {detail}.",
        "data/datapackage.json is not valid JSON: {detail}.",
        "Sửa lỗi cú pháp ở dòng đã nêu (dấu phẩy, ngoặc, dấu nháy).",
        "Fix the syntax at the line given (a comma, a bracket or a quote).",
    ),
    "package-invalid": (
        "Mô tả gói dữ liệu không hợp lệ: {detail}.",
        "The package descriptor is invalid: {detail}.",
        "Sửa data/datapackage.json theo chuẩn Data Package.",
        "Correct data/datapackage.json against the Data Package standard.",
    ),
    "not-utf8": (
        "Tệp không được lưu ở mã UTF-8 (có vẻ là {encoding}).",
        "The file is not saved as UTF-8 (it looks like {encoding}).",
        "Trong Excel chọn Lưu thành > \"CSV UTF-8 (Comma delimited)\"; hoặc mở bằng trình soạn thảo và lưu lại với mã UTF-8.",
        "In Excel choose Save As > \"CSV UTF-8 (Comma delimited)\"; or open it in a text editor and save it as UTF-8.",
    ),
    "empty-file": (
        "Tệp rỗng: không có dòng tiêu đề.",
        "The file is empty: it has no header row.",
        "Khôi phục dòng tiêu đề (tên các cột) và dữ liệu.",
        "Restore the header row (the column names) and the data.",
    ),
    "missing-column": (
        "Thiếu cột \"{field}\".",
        "Column \"{field}\" is missing.",
        "Thêm lại cột \"{field}\" vào dòng tiêu đề, đúng thứ tự như trong data/datapackage.json.",
        "Add column \"{field}\" back to the header row, in the order data/datapackage.json gives.",
    ),
    "unknown-column": (
        "Cột \"{field}\" không có trong lược đồ.",
        "Column \"{field}\" is not in the schema.",
        "Xóa cột này, hoặc khai báo nó trong data/datapackage.json.",
        "Remove the column, or declare it in data/datapackage.json.",
    ),
    "wrong-header": (
        "Tên cột \"{cell}\" không khớp lược đồ (cần \"{field}\").",
        "Column name \"{cell}\" does not match the schema (expected \"{field}\").",
        "Sửa dòng tiêu đề cho khớp với data/datapackage.json.",
        "Correct the header row to match data/datapackage.json.",
    ),
    "ragged-row": (
        "Dòng có {detail} so với dòng tiêu đề.",
        "The row has {detail} than the header.",
        "Kiểm tra dấu phẩy thừa hoặc thiếu; ô có dấu phẩy phải nằm trong dấu nháy kép.",
        "Look for an extra or a missing comma; a cell that contains a comma must be in double quotes.",
    ),
    "blank-row": (
        "Dòng trống.",
        "The row is blank.",
        "Xóa dòng trống.",
        "Delete the blank row.",
    ),
    "wrong-type": (
        "Giá trị \"{cell}\" không phải {type_vi}.",
        "Value \"{cell}\" is not {type_en}.",
        "Nhập {type_vi}{hint_vi}.",
        "Enter {type_en}{hint_en}.",
    ),
    "required": (
        "Thiếu giá trị bắt buộc.",
        "A required value is missing.",
        "Điền giá trị cho cột \"{field}\".",
        "Fill in column \"{field}\".",
    ),
    "not-allowed": (
        "Giá trị \"{cell}\" không thuộc danh sách cho phép.",
        "Value \"{cell}\" is not one of the allowed values.",
        "Chọn một trong: {allowed}.",
        "Use one of: {allowed}.",
    ),
    "out-of-range": (
        "Giá trị \"{cell}\" nằm ngoài khoảng cho phép ({limit}).",
        "Value \"{cell}\" is outside the allowed range ({limit}).",
        "Kiểm tra lại số liệu; năm phải trong khoảng 2011–2035.",
        "Check the figure; years must be within 2011–2035.",
    ),
    "bad-identifier": (
        "Mã \"{cell}\" không đúng dạng.",
        "Identifier \"{cell}\" is not well formed.",
        "Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ so-khcn.",
        "Use only lowercase ASCII letters, digits and hyphens, e.g. so-khcn.",
    ),
    "bad-format": (
        "Giá trị \"{cell}\" không đúng định dạng ({detail}).",
        "Value \"{cell}\" is not in the right format ({detail}).",
        "Sửa giá trị theo định dạng đã nêu.",
        "Correct the value to the format given.",
    ),
    "duplicate-key": (
        "Mã \"{cell}\" bị trùng với một dòng khác.",
        "Key \"{cell}\" repeats another row's.",
        "Mỗi dòng cần một mã riêng; đổi mã hoặc xóa dòng trùng.",
        "Each row needs its own key; change it or delete the repeated row.",
    ),
    "broken-link": (
        "\"{cell}\" không có trong bảng {target}.",
        "\"{cell}\" is not in table {target}.",
        "Dùng một mã có trong {target}, hoặc thêm dòng đó vào {target} trước.",
        "Use a key that exists in {target}, or add that row to {target} first.",
    ),
    "not-nfc": (
        "Chữ tiếng Việt chưa được chuẩn hóa NFC (dấu tách rời chữ cái).",
        "Vietnamese text is not NFC-normalised (accents stored apart from their letters).",
        "Chạy `python -m scripts validate --fix` để chuẩn hóa, hoặc gõ lại ô này bằng bộ gõ Unicode dựng sẵn.",
        "Run `python -m scripts validate --fix` to normalise it, or retype the cell with a precomposed Unicode keyboard.",
    ),
    "surrounding-space": (
        "Giá trị \"{cell}\" có khoảng trắng ở đầu hoặc cuối.",
        "Value \"{cell}\" has a space at its start or end.",
        "Xóa khoảng trắng thừa (hoặc chạy `python -m scripts validate --fix`).",
        "Remove the extra space (or run `python -m scripts validate --fix`).",
    ),
    "task-without-lead": (
        "Nhiệm vụ \"{cell}\" chưa có cơ quan chủ trì.",
        "Task \"{cell}\" has no lead agency.",
        "Thêm ít nhất một dòng role=lead cho nhiệm vụ này vào data/task_agencies.csv.",
        "Add at least one row with role=lead for this task to data/task_agencies.csv.",
    ),
    "succession-loop": (
        "Chuỗi cơ quan kế thừa của \"{cell}\" quay vòng.",
        "The succession of \"{cell}\" goes round in a loop.",
        "Sửa cột succeeded_by để chuỗi kế thừa dừng ở một cơ quan hiện hành.",
        "Correct succeeded_by so that the chain ends at a current body.",
    ),
    "succession-unsourced": (
        "Thông tin kế thừa của \"{cell}\" chưa có nguồn.",
        "The succession of \"{cell}\" has no source.",
        "Điền succession_source_id bằng mã một nguồn trong data/sources.csv.",
        "Fill succession_source_id with a source from data/sources.csv.",
    ),
    "target-incomplete": (
        "Chỉ tiêu \"{cell}\" loại {kind} thiếu {missing}.",
        "Target \"{cell}\" of kind {kind} lacks {missing}.",
        "Điền {missing} cho chỉ tiêu này, hoặc đổi loại chỉ tiêu.",
        "Fill in {missing} for this target, or change its kind.",
    ),
    "invalid-cell": (
        "Giá trị \"{cell}\" không hợp lệ: {detail}.",
        "Value \"{cell}\" is invalid: {detail}.",
        "Sửa giá trị theo lược đồ trong data/datapackage.json.",
        "Correct the value against the schema in data/datapackage.json.",
    ),
}

TYPE_NAMES = {
    # type: (vi, en, hint_vi, hint_en)
    "integer": ("số nguyên", "a whole number", ", ví dụ 2025", ", e.g. 2025"),
    "number": ("số", "a number", " với dấu chấm thập phân, ví dụ 12.5", " with a decimal point, e.g. 12.5"),
    "date": ("ngày hợp lệ", "a valid date", " dạng NĂM-THÁNG-NGÀY, ví dụ 2021-11-17", " as YEAR-MONTH-DAY, e.g. 2021-11-17"),
    "boolean": ("giá trị đúng/sai", "true or false", ": true hoặc false", ": true or false"),
    "year": ("năm", "a year", ", ví dụ 2025", ", e.g. 2025"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data, located as precisely as we can."""

    code: str
    file: str                       # path relative to the project root
    row: int | None = None          # line in the file as a spreadsheet shows it (header = 1)
    field: str | None = None
    details: tuple[tuple[str, str], ...] = ()

    def _fill(self, index: int) -> str:
        values = {"field": self.field or "", **dict(self.details)}
        return CATALOGUE[self.code][index].format_map(_Blank(values))

    def message(self, lang: str) -> str:
        return self._fill(0 if lang == "vi" else 1)

    def fix(self, lang: str) -> str:
        return self._fill(2 if lang == "vi" else 3)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["details"] = dict(self.details)
        for lang in ("vi", "en"):
            out[f"message_{lang}"] = self.message(lang)
            out[f"fix_{lang}"] = self.fix(lang)
        return out


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def problem(code: str, file: str, row: int | None = None, field: str | None = None, **details) -> Problem:
    if code not in CATALOGUE:
        raise KeyError(f"Unknown problem code {code!r}: add it to CATALOGUE in scripts/problems.py")
    return Problem(code, file, row, field, tuple(sorted((k, str(v)) for k, v in details.items())))

"""Check the Data Package: frictionless for the schema, then the project's own rules.

`validate` returns every problem found, in file order: it never stops at the first, never prints
and never writes. `fix` makes the safe, mechanical corrections (NFC, stray spaces around keys and
numbers, Excel's TRUE/FALSE, a byte-order mark in datapackage.json) and writes only when asked.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath

from .. import paths
from ..base import cache
from ..base.text import is_safe_url
from . import casestudies, enterprises
from .problems import TYPE_NAMES, Problem, problem

YEARS = (2011, 2035)  # the years the site follows: baselines from 2011, targets up to 2035

# Which rule applies to a field, by its name.
KEY_FIELD = re.compile(r"^(id|.*_id|succeeded_by|item)$")
YEAR_FIELD = re.compile(r"^(year|.*_year|period_start|period_end)$")
URL_FIELD = re.compile(r"^(url|.*_url)$")              # a web address or a path inside the site
WEBSITE_FIELD = re.compile(r"^(website|.*_website)$")  # a web address only
FILE_FIELD = re.compile(r"^(.*_path|.*image)$")        # a file inside data/

# What scripts/data/load.py can read. Frictionless also accepts "1_000", "２０２５", "NaN" or "TRUE",
# which would crash the build or show nonsense, so those are reported as the wrong type.
READABLE = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"),
    "boolean": re.compile(r"true|false|True|False"),
}
EXCEL_BOOLEANS = {"TRUE": "true", "FALSE": "false"}  # what Excel writes when it saves "true"
BOM = "\ufeff"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # Windows-1258 stores Vietnamese tones apart from the vowel


# --- validate ------------------------------------------------------------------------------------

def validate(package_path: Path = paths.PACKAGE) -> list[Problem]:
    """Every problem in the package, each message naming the package's own folder where it says data/."""
    folder = _display(package_path.parent) + "/"
    return [p.in_package(folder) if p.file.startswith(folder) else p for p in _problems(package_path)]


def _problems(package_path: Path) -> list[Problem]:
    # 1. The descriptor: JSON, the shape the build relies on, every file inside data/
    descriptor, problems = _read_descriptor(package_path)
    if descriptor is None:
        return problems
    shape = _shape(descriptor, package_path)
    shape = shape or _site_settings(descriptor, package_path)
    if shape:
        return problems + shape
    root = package_path.parent

    # 2. Each file: present, UTF-8, not empty, separated by commas
    texts: dict[str, str] = {}
    for resource in descriptor["resources"]:
        file_problems, text = _read_table(root / resource["path"], len(resource["schema"]["fields"]))
        problems += file_problems
        if text is not None:
            texts[resource["name"]] = text

    # 3. Our rules on the raw cells (first, so that their wording wins over frictionless's)
    for resource in descriptor["resources"]:
        if resource["name"] in texts:
            problems += _cell_rules(resource, texts[resource["name"]], root)

    # 4. Frictionless: types, constraints, keys, links
    problems += _frictionless(descriptor, package_path, texts)

    problems = _settle(problems)
    if not problems:
        problems = _graph_rules(descriptor, texts, root) + _national_links(texts, root, descriptor)
    # 5. Case studies: Markdown with front matter, checked on their own
    return problems + casestudies.validate(root)


def _settle(problems: list[Problem]) -> list[Problem]:
    """One report per place and kind, in file order; nothing else on a row whose cells are out of
    line (a ragged or blank row makes every other complaint about it noise)."""
    broken_rows = {(p.file, p.row) for p in problems if p.code in ("ragged-row", "blank-row")}
    unique: dict[tuple, Problem] = {}
    for p in problems:
        if p.code in ("ragged-row", "blank-row") or (p.file, p.row) not in broken_rows:
            unique.setdefault((p.code, p.file, p.row, p.field), p)
    return sorted(unique.values(), key=lambda p: (p.file, p.row or 0, p.field or "", p.code))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


# --- the descriptor --------------------------------------------------------------------------------

def _read_descriptor(path: Path) -> tuple[dict | None, list[Problem]]:
    rel = _display(path)
    if not path.is_file():
        return None, [problem("missing-file", rel)]
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, [problem("unreadable-file", rel, detail=err.strerror or err)]
    problems = []
    if raw.startswith(BOM.encode()):
        problems.append(problem("package-bom", rel, row=1))
        raw = raw[len(BOM.encode()):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [_not_utf8(raw, err, rel)]
    try:
        return json.loads(text), problems
    except json.JSONDecodeError as err:
        return None, problems + [problem("package-syntax", rel, row=err.lineno, line=err.lineno,
                                         column=err.colno, detail=err.msg)]


def _shape(descriptor, package_path: Path) -> list[Problem]:
    """What the rest of the build takes for granted; frictionless checks the rest of the standard."""
    rel = _display(package_path)
    if not isinstance(descriptor, dict):
        return [_shape_problem(rel, 1, "", "", "một đối tượng JSON { … }", "a JSON object { … }")]
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return [_shape_problem(rel, 1, "resources", "", "danh sách các bảng [ … ]", "a list of tables [ … ]")]
    text = package_path.read_text(encoding="utf-8-sig")
    out = []
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            out.append(_shape_problem(rel, None, f"resources[{index}]", "", "một đối tượng JSON { … }", "a JSON object { … }"))
            continue
        name = resource.get("name")
        line = _line_of(text, name)
        table = name if isinstance(name, str) and name else f"#{index + 1}"
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        checks = [
            ("name", isinstance(name, str) and name, "tên bảng (một chuỗi)", "the table's name (a string)"),
            ("path", isinstance(resource.get("path"), str) and resource["path"],
             "đường dẫn tới tệp CSV (một chuỗi)", "the path of its CSV file (a string)"),
            ("schema", isinstance(fields, list) and all(_field_shape(f) for f in fields),
             "lược đồ có danh sách \"fields\", mỗi cột có \"name\" (và \"type\", \"constraints\" đúng kiểu)",
             "a schema with a list of \"fields\", each with a \"name\" (and \"type\", \"constraints\" of the right kind)"),
            ("primaryKey", _names(schema.get("primaryKey", []) if isinstance(schema, dict) else []),
             "tên một cột hoặc danh sách tên cột", "a column name or a list of them"),
            ("foreignKeys", isinstance(schema, dict) and _links_shape(schema.get("foreignKeys", [])),
             "danh sách liên kết, mỗi liên kết có \"fields\" và \"reference\"",
             "a list of links, each with \"fields\" and a \"reference\""),
        ]
        for key, ok, vi, en in checks:
            if not ok:
                out.append(_shape_problem(rel, line, key, table, vi, en))
        if isinstance(resource.get("path"), str) and resource["path"]:
            reason = outside_data(resource["path"], package_path.parent)
            if reason:
                out.append(problem("file-outside-data", rel, line, "path", cell=resource["path"], **reason))
    return out


COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SITE_TEXTS = ("name_vi", "name_en", "description_vi", "description_en")
PLAIN_ONLY = '<>&"`{}'        # the site's name goes into titles, configs and feeds as it is: plain text only
SITE_COLOURS = ("primary", "primary_light", "primary_dark", "accent")


def _site_settings(descriptor: dict, package_path: Path) -> list[Problem]:
    """A plan's package names its site and gives its colours (the build takes nothing about a plan from
    its own code). A package without a plan table (a test fixture, the national table) needs none."""
    if not any(isinstance(r, dict) and r.get("name") == "plan" for r in descriptor.get("resources", [])):
        return []
    rel, text = _display(package_path), package_path.read_text(encoding="utf-8-sig")
    site = descriptor.get("site") if isinstance(descriptor.get("site"), dict) else {}
    colours = site.get("colors") if isinstance(site.get("colors"), dict) else {}
    line = _line_of(text, "site") if "site" in descriptor else 1
    out = [problem("site-setting", rel, line, key, expected_vi="một đoạn chữ thường, không có các ký tự < > & \" ` { }",
                   expected_en="plain text, without the characters < > & \" ` { }")
           for key in SITE_TEXTS if not isinstance(site.get(key), str) or not site[key].strip() or set(PLAIN_ONLY) & set(site[key])]
    out += [problem("site-setting", rel, line, f"colors.{key}", expected_vi="một màu dạng #rrggbb, ví dụ #0b5394",
                    expected_en="a colour as #rrggbb, e.g. #0b5394")
            for key in SITE_COLOURS if not isinstance(colours.get(key), str) or not COLOUR.match(colours[key])]
    try:        # the day the data speaks of: every state is judged as of it or later
        dt.date.fromisoformat(descriptor.get("last_updated") or "")
    except (TypeError, ValueError):
        out.append(problem("last-updated", rel, _line_of(text, "last_updated") or 1, "last_updated",
                           cell=descriptor.get("last_updated") or ""))
    return out


def national_target_ids(national: Path | None = None) -> tuple[set[str], list[Problem]]:
    """The ids of the national targets, and the problems of the national package itself (it is one
    Data Package, checked by frictionless, shared by every plan)."""
    from frictionless import validate as frictionless_validate

    national = national or paths.NATIONAL_PACKAGE
    rel = _display(national)
    if not national.is_file():
        return set(), [problem("national-package", rel, detail="không tìm thấy tệp / the file is missing")]
    key = hashlib.sha256(json.dumps([_CHECK_CODE, sorted((p.name, p.read_bytes().hex()) for p in national.parent.glob("*")
                                                           if p.is_file())]).encode()).hexdigest()
    problems = _checked(key, rel, rel)
    if problems is None:
        report = frictionless_validate(str(national))
        problems = [problem("national-package", rel, row=e[0], field=e[1], detail=e[2])
                    for e in report.flatten(["rowNumber", "fieldName", "message"])]
        _keep_checked(key, problems, rel, rel)
    ids = {r.get("id") for _, r in _records(_national_table(national))} if not problems else set()
    return ids, problems


def _national_table(national: Path) -> str:
    descriptor = json.loads(national.read_text(encoding="utf-8"))
    path = next(r["path"] for r in descriptor["resources"] if r["name"] == "programme_targets")
    return (national.parent / path).read_text(encoding="utf-8")


def _national_links(texts: dict[str, str], root: Path, descriptor: dict) -> list[Problem]:
    """A plan's target names the national target it serves (targets.national_target_id): a link into the
    table every plan shares, checked here since a Data Package cannot declare a key into another. The
    build reads that table for every plan, so it is checked whenever the package has targets."""
    if "targets" not in texts:
        return []
    linked = [(line, r) for line, r in _records(texts["targets"]) if r.get("national_target_id")]
    ids, problems = national_target_ids()
    if problems:
        return problems
    path = _display(root / next(r["path"] for r in descriptor["resources"] if r["name"] == "targets"))
    return [problem("broken-link", path, line, "national_target_id", cell=r["national_target_id"],
                    target=_display(paths.NATIONAL_PACKAGE.parent / "programme_targets.csv"))
            for line, r in linked if r["national_target_id"] not in ids]


def _field_shape(field) -> bool:
    return (isinstance(field, dict) and isinstance(field.get("name"), str)
            and isinstance(field.get("type", "string"), str) and isinstance(field.get("constraints", {}), dict))


def _names(value) -> bool:
    return isinstance(value, str) or isinstance(value, list) and all(isinstance(v, str) for v in value)


def _links_shape(links) -> bool:
    return isinstance(links, list) and all(
        isinstance(fk, dict) and _names(fk.get("fields")) and isinstance(fk.get("reference"), dict)
        and _names(fk["reference"].get("fields")) and isinstance(fk["reference"].get("resource", ""), str)
        for fk in links)


def _shape_problem(rel, line, key, table, expected_vi, expected_en) -> Problem:
    return problem("package-shape", rel, line, key or None, where=f'"{key}"' if key else "(toàn tệp / whole file)",
                   table_vi=f" của bảng {table}" if table else "", table_en=f" of table {table}" if table else "",
                   expected_vi=expected_vi, expected_en=expected_en)


def _line_of(text: str, name) -> int | None:
    """The line where a table's "name" is given, to point a person at it."""
    if not isinstance(name, str) or not name:
        return None
    found = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(name)), text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def outside_data(value: str, root: Path) -> dict | None:
    """Why a file named in the data could be outside `root` (data/), as reason_vi/reason_en, or None.

    For a resource's `path` and for every field named *_path or *image (case-study images,
    attachments): no web address, no absolute path, no `..`, no symbolic link anywhere on the way.
    """
    def reason(vi: str, en: str) -> dict:
        return {"reason_vi": vi, "reason_en": en}

    if value.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:[\\/]", value):
        return reason("đường dẫn tuyệt đối", "an absolute path")
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        return reason("một địa chỉ web, không phải tệp", "a web address, not a file")
    if "\\" in value:
        return reason("có dấu \\; hãy dùng dấu /", "it contains \\; use /")
    parts = PurePosixPath(value).parts
    if ".." in parts:
        return reason("có \"..\" để ra khỏi thư mục", "it climbs out with \"..\"")
    here = root
    for part in parts:
        here = here / part
        if here.is_symlink():
            return reason("là một liên kết tượng trưng (symlink)", "it is a symbolic link")
    if not (root / value).resolve().is_relative_to(root.resolve()):
        return reason("trỏ ra ngoài thư mục đó", "it points outside that folder")
    return None


# --- each file -----------------------------------------------------------------------------------

def _read_table(path: Path, columns: int) -> tuple[list[Problem], str | None]:
    rel = _display(path)
    if not path.exists():
        return [problem("missing-file", rel)], None
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [problem("unreadable-file", rel, detail=err.strerror or err)], None
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 byte-order mark, as Excel writes, is accepted
        if raw.count(b"\x00") > len(raw) // 4:
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "UTF-16 without a byte-order mark")
    except UnicodeDecodeError as err:
        return [_not_utf8(raw, err, rel)], None
    if not text.strip():
        return [problem("empty-file", rel)], None
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if len(header) == 1 and columns > 1:
        for mark, vi, en in ((";", "dấu chấm phẩy (;)", "semicolons (;)"), ("\t", "dấu tab", "tabs")):
            if mark in header[0]:
                return [problem("wrong-delimiter", rel, row=1, delimiter_vi=vi, delimiter_en=en)], None
    return [], text


def _not_utf8(raw: bytes, err: UnicodeDecodeError, rel: str) -> Problem:
    """Name the encoding Excel or Notepad most likely used, so the person knows what happened."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") > len(raw) // 4:
        return problem("not-utf8", rel, encoding="UTF-16", encoding_vi="UTF-16, kiểu \"Unicode Text\" của Excel",
                       encoding_en="UTF-16, Excel's \"Unicode Text\"")
    line = raw[: err.start].count(b"\n") + 1
    if re.search(f"[AEIOUYaeiouyĂăÂâÊêÔôƠơƯư][{TONE_MARKS}]", raw.decode("cp1258", errors="replace")):
        return problem("not-utf8", rel, row=line, encoding="Windows-1258",
                       encoding_vi="Windows-1258, bảng mã tiếng Việt cũ của Windows",
                       encoding_en="Windows-1258, the old Windows code page for Vietnamese")
    return problem("not-utf8", rel, row=line, encoding="Latin-1", encoding_vi="Latin-1 hay Windows-1252",
                   encoding_en="Latin-1 or Windows-1252",
                   note_vi="; bảng mã này không có nhiều chữ tiếng Việt, nên chúng có thể đã bị thay bằng dấu ?",
                   note_en="; it lacks many Vietnamese letters, so they may have been replaced by ?",
                   hint_vi=" Nếu chữ có dấu đã thành dấu ?, hãy lưu lại từ bảng tính gốc thay vì sửa tệp này.",
                   hint_en=" If accented letters have become ?, save again from the original workbook instead.")


def _parse(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header, and (line where the record starts, cells) for each non-blank record; a quoted
    cell may span lines, so a record's line is the one a text editor shows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    out, line = [], reader.line_num + 1
    for cells in reader:
        if cells:
            out.append((line, cells))
        line = reader.line_num + 1
    return header, out


def _records(text: str) -> list[tuple[int, dict]]:
    header, records = _parse(text)
    return [(line, dict(zip(header, cells))) for line, cells in records]


def _line_starts(text: str) -> dict[int, int]:
    """frictionless row number (header = 1, blank rows counted) -> line in the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    starts, line, number = {1: 1}, reader.line_num + 1, 2
    for _ in reader:
        starts[number] = line
        number, line = number + 1, reader.line_num + 1
    return starts


# --- our rules on cells --------------------------------------------------------------------------

def _cell_rules(resource: dict, text: str, root: Path) -> list[Problem]:
    """What frictionless accepts but the site cannot use: ragged rows, non-NFC text, spaces around
    keys, control characters, values load.py cannot read, unsafe links, files outside data/."""
    rel = _display(root / resource["path"])
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    header, records = _parse(text)
    out = []
    for line, cells in records:
        if len(cells) != len(header):
            out.append(problem("ragged-row", rel, line, cells=len(cells), columns=len(header)))
            continue
        for name, value in zip(header, cells):
            if name in fields and value:
                out += _cell_problems(value, fields[name], rel, line, root)
    return out


def _cell_problems(value: str, field: dict, rel: str, line: int, root: Path) -> list[Problem]:
    name, kind = field["name"], field.get("type", "string")
    out = []
    controls = dict.fromkeys(f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r")
    if controls:
        out.append(problem("control-character", rel, line, name, detail=", ".join(controls)))
    if not unicodedata.is_normalized("NFC", value):
        out.append(problem("not-nfc", rel, line, name))
    value = unicodedata.normalize("NFC", value)
    if _trimmed(field) and value != value.strip():
        out.append(problem("surrounding-space", rel, line, name, cell=value))
        value = value.strip()  # judge the rest as `fix` would leave it
    if not value.strip():  # only spaces: nothing to show
        if field.get("constraints", {}).get("required"):
            out.append(problem("required", rel, line, name))
        return out
    if kind in READABLE and not (READABLE[kind].fullmatch(value) and (kind != "number" or math.isfinite(float(value)))):
        vi, en, hint_vi, hint_en = TYPE_NAMES[kind]
        out.append(problem("wrong-type", rel, line, name, cell=value, type_vi=vi, type_en=en, hint_vi=hint_vi, hint_en=hint_en))
    elif YEAR_FIELD.match(name) and kind == "integer" and not YEARS[0] <= int(value) <= YEARS[1]:
        out.append(_out_of_range(rel, line, field, value))
    if URL_FIELD.match(name) and not is_safe_url(value):
        out.append(problem("unsafe-url", rel, line, name, cell=value, path_vi=", hoặc đường dẫn tới một tệp của trang như nguon/ten-tep.txt",
                           path_en=", or the path of a file on the site such as nguon/file-name.txt"))
    if WEBSITE_FIELD.match(name) and not is_safe_url(value, web_only=True):
        out.append(problem("unsafe-url", rel, line, name, cell=value))
    if FILE_FIELD.match(name):
        reason = outside_data(value, root)
        if reason:
            out.append(problem("file-outside-data", rel, line, name, cell=value, **reason))
        elif not (root / value).is_file():
            out.append(problem("missing-referenced-file", rel, line, name, cell=value))
    return out


def _trimmed(field: dict) -> bool:
    """Keys and typed values must not carry spaces (free text may: it is shown collapsed)."""
    return bool(KEY_FIELD.match(field["name"])) or field.get("type", "string") != "string"


def _out_of_range(rel: str, line: int | None, field: dict, cell: str) -> Problem:
    if YEAR_FIELD.match(field["name"]):
        return problem("out-of-range", rel, line, field["name"], cell=cell, limit=f"{YEARS[0]}–{YEARS[1]}",
                       advice_vi=f"Nhập năm trong khoảng {YEARS[0]}–{YEARS[1]}; kiểm tra lỗi gõ, ví dụ 2203 thay vì 2023.",
                       advice_en=f"Enter a year within {YEARS[0]}–{YEARS[1]}; look for a typing slip such as 2203 for 2023.")
    low, high = (field.get("constraints", {}).get(k) for k in ("minimum", "maximum"))
    limit = f"{low}–{high}" if low is not None and high is not None else f"≥ {low}" if low is not None else f"≤ {high}"
    return problem("out-of-range", rel, line, field["name"], cell=cell, limit=limit,
                   advice_vi=f"Kiểm tra lại số liệu; giá trị phải trong khoảng {limit}.",
                   advice_en=f"Check the figure; it must be within {limit}.")


# --- frictionless --------------------------------------------------------------------------------

def _frictionless(descriptor: dict, package_path: Path, texts: dict[str, str]) -> list[Problem]:
    """Frictionless checks the tables as `fix` would leave them, so a stray space in a key is
    reported once (as surrounding-space) and not again by every row that links to it."""
    root = package_path.parent
    readable = [r for r in descriptor["resources"] if r["name"] in texts]
    names = {r["name"] for r in readable}
    kept = {**descriptor, "resources": []}
    for r in readable:
        schema = r["schema"]
        if isinstance(schema.get("foreignKeys"), list):  # links into an unreadable table cannot be checked
            schema = {**schema, "foreignKeys": [fk for fk in schema["foreignKeys"] if _fk_resource(fk) in names | {""}]}
        kept["resources"].append({**r, "schema": schema})
    tidied = {r["name"]: _tidy_text(texts[r["name"]], {f["name"]: f for f in r["schema"]["fields"]}, "")[0].encode("utf-8")
              for r in readable}
    by_name = {r["name"]: r for r in kept["resources"]}
    package_rel = _display(package_path)
    shown = {name: (_display(root / by_name[name]["path"]), package_rel) for name in by_name}
    keys = {name: _checked_key(name, by_name, texts, tidied) for name in by_name}
    found = {name: _checked(key, *shown[name]) for name, key in keys.items()}
    described = _checked_key("", {"": kept}, {"": ""}, {"": b""})    # the descriptor as a whole
    if _checked(described, "", package_rel) == [] and all(problems is not None for problems in found.values()):
        return [p for name in by_name for p in found[name]]
    from frictionless import FrictionlessException, Package, system  # ~0.25 s to import: only when needed

    with tempfile.TemporaryDirectory(prefix="validate-") as tidy:
        for r in readable:
            target = Path(tidy) / r["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tidied[r["name"]])
        try:
            with system.use_context(trusted=False):
                package = Package(kept, basepath=tidy)
                try:
                    package.to_descriptor(validate=True)     # the descriptor, as Package.validate checks it first
                except FrictionlessException as err:
                    return [problem("package-invalid", package_rel, detail=_one_line(e.message)) for e in err.to_errors()]
                _keep_checked(described, [], "", package_rel)
                for name in by_name:                         # each table as Package.validate does, unless kept
                    if found[name] is None:
                        found[name] = _frictionless_table(package.get_resource(name).validate(), by_name[name], root, texts,
                                                          package_rel)
                        _keep_checked(keys[name], found[name], *shown[name])
        except Exception as err:  # the descriptor itself is wrong: frictionless raises
            return [problem("package-invalid", package_rel, detail=_one_line(err))]
    return [p for name in by_name for p in found[name]]


def _frictionless_table(report, resource: dict, root: Path, texts: dict[str, str], package_rel: str) -> list[Problem]:
    """One table's report from frictionless, in our words, each row counted as a person counts lines."""
    out = []
    rel = _display(root / resource["path"])
    fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
    starts = _line_starts(texts[resource["name"]])
    for task in report.tasks:
        for err in task.errors:
            found = _translate(err, rel, fields, resource)
            if found is None:
                continue
            # frictionless counts records; a person counts lines (a quoted cell may span several)
            out.append(replace(found, row=starts.get(found.row, found.row)) if found.row else found)
    for err in report.errors:
        out.append(problem("package-invalid", package_rel, detail=_one_line(err.message)))
    return out


# What frictionless found in a table is kept (site/generated/.validate-cache), keyed by everything the
# check reads: the table's text as written and as tidied, its descriptor, and for each table its links
# point into, that table's descriptor and which of the linked values are there (its whole text when
# the link is not between plain text fields); with the versions of frictionless and of this code. Not by where the package is: a problem is kept naming "this table" or "the descriptor", and
# gets the file's name as shown today when it is read back. A rebuild after one new figure re-checks
# the tables it touched and those that link to them, not all 28 (frictionless spends ~0.06 s a table
# on its own bookkeeping).
_CHECK_CODE = "|".join(["checked-1", importlib.metadata.version("frictionless"),
                        *(hashlib.sha256((Path(__file__).parent / f).read_bytes()).hexdigest() for f in ("validate.py", "problems.py"))])


def _checked_key(name: str, by_name: dict, texts: dict[str, str], tidied: dict[str, bytes]) -> str:
    resource = by_name[name]
    links = (resource.get("schema") or {}).get("foreignKeys") or []
    digest = hashlib.sha256(json.dumps([_CHECK_CODE, resource, texts[name]],
                                       sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(tidied[name])
    for fk in links if isinstance(links, list) else [links]:
        other = _fk_resource(fk) or name
        if other == name:
            continue
        digest.update(json.dumps([other, by_name.get(other)], sort_keys=True, ensure_ascii=False).encode("utf-8"))
        found = _found_links(fk, resource, tidied[name], by_name.get(other), tidied.get(other))
        digest.update(tidied.get(other, b"\x00missing") if found is None else json.dumps(found).encode("utf-8"))
    return digest.hexdigest()[:32]


def _found_links(fk: dict, resource: dict, text: bytes, target: dict | None, target_text: bytes | None) -> list | None:
    """What a link check reads of the table a link points into: which of this table's values are there.
    Only for links between plain text fields, whose values frictionless compares as written; None
    otherwise, and the whole of the other table goes in the key."""
    if target is None or target_text is None or not isinstance(fk.get("reference"), dict):
        return None
    own, theirs = _field_names(fk.get("fields")), _field_names(fk["reference"].get("fields"))

    def plain(schema: dict, names: list[str]) -> bool:
        kinds = {f.get("name"): (f.get("type", "string"), f.get("format", "default")) for f in schema.get("fields", [])}
        return bool(names) and all(kinds.get(n) == ("string", "default") for n in names)

    if len(own) != len(theirs) or not plain(resource["schema"], own) or not plain(target["schema"], theirs):
        return None
    try:
        values = _cells(text, own, resource["schema"])
        keys = _cells(target_text, theirs, target["schema"])
    except (UnicodeDecodeError, csv.Error):
        return None
    return sorted(values & keys)


def _field_names(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []


def _cells(text: bytes, names: list[str], schema: dict) -> frozenset[tuple]:
    return _columns(text, tuple(names), tuple(schema.get("missingValues", [""])))


@functools.lru_cache(maxsize=64)
def _columns(text: bytes, names: tuple[str, ...], missing: tuple[str, ...]) -> frozenset[tuple]:
    """The values of some columns, a missing value (and a cell a ragged row lacks) as "". Kept: the
    sources' ids are read for each of the fourteen tables that cite a source."""
    return frozenset(tuple("" if row.get(n) in missing or row.get(n) is None else row[n] for n in names)
                     for row in csv.DictReader(io.StringIO(text.decode("utf-8"), newline="")))


_THIS_TABLE, _THE_DESCRIPTOR = 1, 2      # a kept problem's file, whatever it is called today
# The package's folder in a kept problem's words (a link's target table), whatever it is called today: a
# control character, which no detail can hold (problems.problem writes them as U+XXXX).
_THE_FOLDER = "\x00"


def _folder_of(package_rel: str) -> str:
    return package_rel[: package_rel.rfind("/") + 1]


def _checked(key: str, table_rel: str, package_rel: str) -> list[Problem] | None:
    path = paths.GENERATED / ".validate-cache" / f"{key}.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cache.used(path)
    files = {_THIS_TABLE: table_rel, _THE_DESCRIPTOR: package_rel}
    folder = _folder_of(package_rel)
    return [Problem(p["code"], files.get(p["file"], p["file"]), p["row"], p["field"],
                    tuple((k, v.replace(_THE_FOLDER, folder)) for k, v in p["details"]))
            for p in saved]


def _keep_checked(key: str, problems: list[Problem], table_rel: str, package_rel: str) -> None:
    folder = paths.GENERATED / ".validate-cache"
    folder.mkdir(parents=True, exist_ok=True)
    files = {table_rel: _THIS_TABLE, package_rel: _THE_DESCRIPTOR}
    within = _folder_of(package_rel)
    kept = [asdict(p) | {"file": files.get(p.file, p.file),
                         "details": [(k, v.replace(within, _THE_FOLDER) if within else v) for k, v in p.details]}
            for p in problems]
    cache.atomic_write(folder / f"{key}.json", json.dumps(kept, ensure_ascii=False).encode("utf-8"))


def _fk_resource(fk) -> str | None:
    reference = fk.get("reference") if isinstance(fk, dict) else None
    return reference.get("resource", "") if isinstance(reference, dict) else None


def _one_line(value) -> str:
    return " ".join(str(value).split())[:300]


def _translate(err, rel: str, fields: dict, resource: dict | None) -> Problem | None:
    kind = err.type
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None) or getattr(err, "label", None)
    cell = getattr(err, "cell", None)
    cell = "" if cell is None else str(cell)
    note = getattr(err, "note", "") or ""
    if kind in ("extra-cell", "missing-cell"):
        return None  # reported once per row by our own ragged-row rule
    if kind in ("scheme-error", "source-error", "format-error", "encoding-error"):
        return problem("unreadable-file", rel, detail=_one_line(note or err.message))
    if kind == "missing-label":
        return problem("missing-column", rel, row=1, field=field)
    if kind == "extra-label":
        return problem("unknown-column", rel, row=1, field=field or cell)
    if kind in ("incorrect-label", "blank-label", "duplicate-label"):
        number = getattr(err, "field_number", 0) or 0
        expected = list(fields)[number - 1] if 0 < number <= len(fields) else ""
        return problem("wrong-header", rel, row=1, field=expected, cell=getattr(err, "label", ""))
    if kind == "blank-row":
        return problem("blank-row", rel, row=row)
    if kind == "type-error":
        ftype = fields.get(field, {}).get("type", "")
        vi, en, hint_vi, hint_en = TYPE_NAMES.get(ftype, (ftype, ftype, "", ""))
        return problem("wrong-type", rel, row=row, field=field, cell=cell, type_vi=vi, type_en=en, hint_vi=hint_vi, hint_en=hint_en)
    if kind == "constraint-error":
        constraints = fields.get(field, {}).get("constraints", {})
        if '"required"' in note:
            return problem("required", rel, row=row, field=field)
        if '"enum"' in note:
            return problem("not-allowed", rel, row=row, field=field, cell=cell, allowed=", ".join(map(str, constraints.get("enum", []))))
        if '"minimum"' in note or '"maximum"' in note:
            return _out_of_range(rel, row, fields.get(field, {"name": field}), cell)
        if '"pattern"' in note:
            if KEY_FIELD.match(field or ""):
                return problem("bad-identifier", rel, row=row, field=field, cell=cell)
            return problem("bad-format", rel, row=row, field=field, cell=cell, detail=constraints.get("pattern", ""))
        if '"unique"' in note:
            return problem("duplicate-key", rel, row=row, field=field, cell=cell)
        return problem("invalid-cell", rel, row=row, field=field, cell=cell, detail=_one_line(note))
    if kind in ("unique-error", "primary-key"):
        key = (resource or {}).get("schema", {}).get("primaryKey", [field])
        key = [key] if isinstance(key, str) else key
        cells = getattr(err, "cells", None) or []
        names = list(fields)
        values = [str(cells[names.index(k)]) for k in key if k in names and names.index(k) < len(cells)]
        return problem("duplicate-key", rel, row=row, field=", ".join(key), cell=", ".join(values))
    if kind == "foreign-key":
        fk_fields = getattr(err, "field_names", None) or []
        cells = getattr(err, "field_cells", None) or []
        return problem("broken-link", rel, row=row, field=", ".join(fk_fields), cell=", ".join(map(str, cells)),
                       target=_fk_target(resource, fk_fields, rel))
    if kind in ("field-error", "schema-error"):
        return problem("package-invalid", rel, detail=_one_line(note or err.message))
    return problem("invalid-cell", rel, row=row, field=field, cell=cell, detail=_one_line(note or err.message))


def _fk_target(resource: dict | None, fk_fields: list[str], rel: str) -> str:
    """The table a link points into, beside the table it comes from (`rel`)."""
    for fk in (resource or {}).get("schema", {}).get("foreignKeys", []):
        if ([fk["fields"]] if isinstance(fk["fields"], str) else list(fk["fields"])) == list(fk_fields):
            return str(PurePosixPath(rel).with_name(f"{fk['reference']['resource'] or resource['name']}.csv"))
    return "?"


# --- rules across tables -------------------------------------------------------------------------

def _graph_rules(descriptor: dict, texts: dict[str, str], root: Path) -> list[Problem]:
    """Rules that span tables. Run only once every table is sound on its own."""
    rows = {name: _records(text) for name, text in texts.items()}
    path = {r["name"]: _display(root / r["path"]) for r in descriptor["resources"]}
    out = []
    if "plan" in rows and len(rows["plan"]) != 1:
        # the whole site is about one plan: none or two leave it with nothing, or two, to describe
        out.append(problem("plan-one-row", path["plan"], row=rows["plan"][1][0] if len(rows["plan"]) > 1 else None,
                           count=len(rows["plan"])))
    if "tasks" in rows and "task_agencies" in rows:
        leads = {r.get("task_id") for _, r in rows["task_agencies"] if r.get("role") == "lead"}
        for line, r in rows["tasks"]:
            if r.get("id") not in leads:
                out.append(problem("task-without-lead", path["tasks"], row=line, field="id", cell=r.get("id")))
    if "agencies" in rows:
        successor = {r["id"]: r["succeeded_by"] for _, r in rows["agencies"] if r.get("succeeded_by")}
        for line, r in rows["agencies"]:
            seen, current = set(), r.get("id")
            while current in successor:
                if current in seen:
                    out.append(problem("succession-loop", path["agencies"], row=line, field="succeeded_by", cell=r["id"]))
                    break
                seen.add(current)
                current = successor[current]
            if r.get("succeeded_by") and not r.get("succession_source_id"):
                out.append(problem("succession-unsourced", path["agencies"], row=line, field="succession_source_id", cell=r["id"]))
    if "targets" in rows:
        needs = {"count": ["target_value", "unit_vi", "unit_en"], "growth_band": ["target_value", "target_max", "unit_vi", "unit_en"],
                 "change_vs_period": ["target_value", "baseline_period", "unit_vi", "unit_en"], "milestone": []}
        for line, r in rows["targets"]:
            missing = [f for f in needs.get(r.get("kind"), []) if not r.get(f)]
            if missing:
                out.append(problem("target-incomplete", path["targets"], row=line, field=missing[0], cell=r.get("id"),
                                   kind=r.get("kind"), missing=", ".join(missing)))
    if "context_indicators" in rows and "context_observations" in rows:
        # a value beyond its indicator's scale (a rank of 630 among 63 provinces) is a typing slip, and
        # would draw a chart thousands of pixels tall
        top = {r["id"]: r.get("scale_max") for _, r in rows["context_indicators"]}
        for line, r in rows["context_observations"]:
            limit, value = top.get(r.get("indicator_id")), r.get("value")
            try:
                beyond = bool(limit) and not 0 <= float(value) <= float(limit)
            except (TypeError, ValueError):
                continue            # not a number: the table's own check has said so
            if beyond:
                out.append(problem("out-of-range", path["context_observations"], line, "value", cell=value, limit=f"0–{limit}",
                                   advice_vi=f"Chỉ số này tính trên thang 0–{limit} (cột scale_max của data/context_indicators.csv); kiểm tra lại số liệu.",
                                   advice_en=f"This indicator is on a 0–{limit} scale (scale_max in data/context_indicators.csv); check the figure."))
    out += enterprises.rules(rows, path)
    return out


# --- fix -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One cell `fix` corrects: where, what it holds, what it will hold, and why."""

    file: str
    row: int
    field: str | None
    before: str
    after: str
    kinds: tuple[str, ...]  # "nfc", "trim", "boolean", "bom"

    def as_dict(self) -> dict:
        return asdict(self)


def fix(package_path: Path = paths.PACKAGE, apply: bool = False) -> list[Change]:
    """The safe, mechanical corrections: NFC everywhere; spaces around keys and typed values;
    Excel's TRUE/FALSE; a byte-order mark in datapackage.json. With apply=False nothing is
    written (a preview); with apply=True only the records that change are rewritten, each file
    replaced in one step so an interrupted fix leaves it whole."""
    descriptor, problems = _read_descriptor(package_path)
    if descriptor is None or _shape(descriptor, package_path):
        return []  # validate says what is wrong; nothing here is safe to touch
    changes = []
    if any(p.code == "package-bom" for p in problems):
        changes.append(Change(_display(package_path), 1, None, BOM, "", ("bom",)))
        if apply:
            _replace(package_path, package_path.read_bytes()[len(BOM.encode()):])
    root = package_path.parent
    for resource in descriptor["resources"]:
        path = root / resource["path"]
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        if outside_data(resource["path"], root) or _read_table(path, len(fields))[1] is None:
            continue
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        tidied, found = _tidy_text(text, fields, _display(path))
        changes += found
        if apply and found:
            _replace(path, (BOM if raw.startswith(BOM.encode()) else "").encode() + tidied.encode("utf-8"))
    return changes


def _tidy_text(text: str, fields: dict[str, dict], rel: str) -> tuple[str, list[Change]]:
    """The text with each cell tidied; records that do not change keep their exact bytes."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return text, []
    out, changes, start = lines[: reader.line_num], [], reader.line_num
    for cells in reader:
        end = reader.line_num
        names = header if len(cells) == len(header) else [None] * len(cells)  # a ragged row's cells are not in their columns
        tidied = [_tidy_cell(cell, fields.get(name)) for cell, name in zip(cells, names)]
        if tidied == cells:
            out += lines[start:end]
        else:
            changes += [Change(rel, start + 1, name, before, after, _kinds(before, after))
                        for name, before, after in zip(names, cells, tidied) if before != after]
            out.append(_csv_record(tidied, lines[end - 1]))
        start = end
    return "".join(out), changes


def _tidy_cell(value: str, field: dict | None) -> str:
    """NFC; no spaces around keys and typed values; Excel's TRUE/FALSE in lower case."""
    if field is None:
        return value
    value = unicodedata.normalize("NFC", value)
    if _trimmed(field):
        value = value.strip()
    if field.get("type") == "boolean":
        value = EXCEL_BOOLEANS.get(value, value)
    return value


def _kinds(before: str, after: str) -> tuple[str, ...]:
    nfc = unicodedata.normalize("NFC", before)
    kinds = ("nfc",) if nfc != before else ()
    if nfc.strip() != nfc:
        kinds += ("trim",)
    if nfc.strip() in EXCEL_BOOLEANS:
        kinds += ("boolean",)
    return kinds


def _csv_record(cells: list[str], last_line: str) -> str:
    """One record as csv writes it, ending the way the original record ended."""
    ending = last_line[len(last_line.rstrip("\r\n")):]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()[:-1] + ending


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.fixing")
    temporary.write_bytes(data)
    shutil.copymode(path, temporary)
    os.replace(temporary, path)

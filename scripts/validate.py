"""Check the Data Package: frictionless for the schema, then the project's own rules.

Returns every problem found, in file order; never stops at the first, never prints.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from . import paths
from .problems import TYPE_NAMES, Problem, problem


def validate(package_path: Path = paths.PACKAGE) -> list[Problem]:
    # 1. The descriptor itself
    descriptor, problems = _read_descriptor(package_path)
    if descriptor is None:
        return problems
    root = package_path.parent

    # 2. Each file: present, readable as UTF-8, not empty
    unreadable: set[str] = set()
    texts: dict[str, str] = {}
    for resource in descriptor.get("resources", []):
        name, rel = resource["name"], _display(root / resource["path"])
        file_problems, text = _read_text(root / resource["path"], rel)
        problems += file_problems
        if text is None:
            unreadable.add(name)
        else:
            texts[name] = text

    # 3. Frictionless: types, constraints, keys, links
    lines = {name: _line_starts(text) for name, text in texts.items()}
    problems += _frictionless(descriptor, root, skip=unreadable, lines=lines)

    # 4. Our own rules on the raw cells and on the whole graph
    for resource in descriptor.get("resources", []):
        if resource["name"] in texts:
            problems += _cell_rules(resource, texts[resource["name"]], _display(root / resource["path"]))
    if not problems:
        problems += _graph_rules(descriptor, texts, root)
    # one report per place and kind (frictionless may flag a repeated key twice: unique and primary key)
    unique = {(p.code, p.file, p.row, p.field): p for p in reversed(problems)}
    return sorted(unique.values(), key=_order)


def _order(p: Problem):
    return (p.file, p.row or 0, p.field or "", p.code)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _read_descriptor(path: Path) -> tuple[dict | None, list[Problem]]:
    rel = _display(path)
    if not path.exists():
        return None, [problem("missing-file", rel)]
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except UnicodeDecodeError:
        return None, [problem("not-utf8", rel, encoding="?")]
    except json.JSONDecodeError as err:
        return None, [problem("package-syntax", rel, row=err.lineno, detail=f"{err.msg} (line {err.lineno}, column {err.colno})")]


def _read_text(path: Path, rel: str) -> tuple[list[Problem], str | None]:
    if not path.exists():
        return [problem("missing-file", rel)], None
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [problem("not-utf8", rel, encoding="UTF-16 (Excel \"Unicode Text\")")], None
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 byte-order mark, as Excel writes, is accepted
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return [problem("not-utf8", rel, row=line, encoding="Windows-1258 / Latin-1")], None
    if not text.strip():
        return [problem("empty-file", rel)], None
    return [], text


# frictionless error type -> how we report it
def _frictionless(descriptor: dict, root: Path, skip: set[str], lines: dict[str, dict[int, int]]) -> list[Problem]:
    from frictionless import Package, system

    kept = dict(descriptor)
    kept["resources"] = [r for r in descriptor.get("resources", []) if r["name"] not in skip]
    # Links into an unreadable table cannot be checked; drop them rather than report noise.
    for r in kept["resources"]:
        schema = r.get("schema", {})
        if "foreignKeys" in schema:
            r["schema"] = {**schema, "foreignKeys": [fk for fk in schema["foreignKeys"] if fk["reference"].get("resource") not in skip]}
    try:
        with system.use_context(trusted=False):
            package = Package(kept, basepath=str(root))
            report = package.validate()
    except Exception as err:  # the descriptor itself is wrong: frictionless raises
        return [problem("package-invalid", _display(root / "datapackage.json"), detail=_one_line(err))]
    out: list[Problem] = []
    by_name = {r["name"]: r for r in kept["resources"]}
    for task in report.tasks:
        resource = by_name.get(task.name)
        rel = _display(root / resource["path"]) if resource else _display(root / "datapackage.json")
        fields = {f["name"]: f for f in (resource or {}).get("schema", {}).get("fields", [])}
        starts = lines.get(task.name, {})
        for err in task.errors:
            found = _translate(err, rel, fields, resource)
            # frictionless counts records; a person counts lines (a quoted cell may span several)
            out.append(replace(found, row=starts.get(found.row, found.row)) if found.row else found)
    for err in report.errors:
        out.append(problem("package-invalid", _display(root / "datapackage.json"), detail=_one_line(err.message)))
    return out


def _one_line(value) -> str:
    return " ".join(str(value).split())[:300]


def _translate(err, rel: str, fields: dict, resource: dict | None) -> Problem:
    kind = err.type
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None) or getattr(err, "label", None)
    cell = getattr(err, "cell", None)
    cell = "" if cell is None else str(cell)
    note = getattr(err, "note", "") or ""
    if kind in ("scheme-error", "source-error", "format-error", "encoding-error"):
        return problem("missing-file" if kind == "scheme-error" else "not-utf8", rel, encoding="?")
    if kind == "missing-label":
        return problem("missing-column", rel, row=1, field=field)
    if kind == "extra-label":
        return problem("unknown-column", rel, row=1, field=field or cell)
    if kind in ("incorrect-label", "blank-label", "duplicate-label"):
        expected = fields and list(fields)[getattr(err, "field_number", 1) - 1] if fields and getattr(err, "field_number", 0) <= len(fields) else ""
        return problem("wrong-header", rel, row=1, field=expected, cell=getattr(err, "label", ""))
    if kind == "extra-cell":
        return problem("ragged-row", rel, row=row, detail="nhiều ô hơn / more cells")
    if kind == "missing-cell":
        return problem("ragged-row", rel, row=row, field=field, detail="ít ô hơn / fewer cells")
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
            limit = f"{constraints.get('minimum', '')}–{constraints.get('maximum', '')}"
            return problem("out-of-range", rel, row=row, field=field, cell=cell, limit=limit)
        if '"pattern"' in note:
            return problem("bad-identifier", rel, row=row, field=field, cell=cell)
        if '"unique"' in note:
            return problem("duplicate-key", rel, row=row, field=field, cell=cell)
        return problem("invalid-cell", rel, row=row, field=field, cell=cell, detail=_one_line(note))
    if kind in ("unique-error", "primary-key"):
        key = (resource or {}).get("schema", {}).get("primaryKey", [field])
        cells = getattr(err, "cells", None) or []
        names = list(fields)
        values = [str(cells[names.index(k)]) for k in key if k in names and names.index(k) < len(cells)]
        return problem("duplicate-key", rel, row=row, field=", ".join(key), cell=", ".join(values))
    if kind == "foreign-key":
        ref = getattr(err, "reference", None) or {}
        fk_fields = getattr(err, "field_names", None) or []
        cells = getattr(err, "field_cells", None) or []
        target = _fk_target(resource, fk_fields)
        return problem("broken-link", rel, row=row, field=", ".join(fk_fields), cell=", ".join(map(str, cells)), target=target)
    if kind == "field-error" or kind == "schema-error":
        return problem("package-invalid", rel, detail=_one_line(note or err.message))
    return problem("invalid-cell", rel, row=row, field=field, cell=cell, detail=_one_line(note or err.message))


def _fk_target(resource: dict | None, fk_fields: list[str]) -> str:
    for fk in (resource or {}).get("schema", {}).get("foreignKeys", []):
        if list(fk["fields"]) == list(fk_fields):
            return f"data/{fk['reference']['resource']}.csv"
    return "?"


KEY_FIELD = re.compile(r"^(id|.*_id|succeeded_by|item)$")


def _cell_rules(resource: dict, text: str, rel: str) -> list[Problem]:
    """NFC and stray spaces: frictionless accepts both, but both break links and search."""
    out = []
    for line, record in _records(text):
        for name, value in record.items():
            if value is None:
                continue
            if not unicodedata.is_normalized("NFC", value):
                out.append(problem("not-nfc", rel, row=line, field=name))
            if KEY_FIELD.match(name) and value != value.strip():
                out.append(problem("surrounding-space", rel, row=line, field=name, cell=value))
    return out


def _records(text: str) -> list[tuple[int, dict]]:
    """(line where the record starts, record) for each data row; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    out, line = [], reader.line_num + 1
    for cells in reader:
        if cells:
            out.append((line, dict(zip(header, cells))))
        line = reader.line_num + 1
    return out


def _line_starts(text: str) -> dict[int, int]:
    """frictionless row number (header = 1, blank rows counted) -> line in the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    starts, line, number = {1: 1}, reader.line_num + 1, 2
    for _ in reader:
        starts[number] = line
        number, line = number + 1, reader.line_num + 1
    return starts


def _graph_rules(descriptor: dict, texts: dict[str, str], root: Path) -> list[Problem]:
    """Rules that span tables. Run only once every table is sound on its own."""
    rows = {name: _records(text) for name, text in texts.items()}
    path = {r["name"]: _display(root / r["path"]) for r in descriptor["resources"]}
    out = []
    if "tasks" in rows and "task_agencies" in rows:
        leads = {r["task_id"] for _, r in rows["task_agencies"] if r["role"] == "lead"}
        for line, r in rows["tasks"]:
            if r["id"] not in leads:
                out.append(problem("task-without-lead", path["tasks"], row=line, field="id", cell=r["id"]))
    if "agencies" in rows:
        successor = {r["id"]: r["succeeded_by"] for _, r in rows["agencies"] if r["succeeded_by"]}
        for line, r in rows["agencies"]:
            seen, current = set(), r["id"]
            while current in successor:
                if current in seen:
                    out.append(problem("succession-loop", path["agencies"], row=line, field="succeeded_by", cell=r["id"]))
                    break
                seen.add(current)
                current = successor[current]
            if r["succeeded_by"] and not r["succession_source_id"]:
                out.append(problem("succession-unsourced", path["agencies"], row=line, field="succession_source_id", cell=r["id"]))
    if "targets" in rows:
        needs = {"count": ["target_value", "unit_vi", "unit_en"], "growth_band": ["target_value", "target_max", "unit_vi", "unit_en"],
                 "change_vs_period": ["target_value", "baseline_period", "unit_vi", "unit_en"], "milestone": []}
        for line, r in rows["targets"]:
            missing = [f for f in needs.get(r["kind"], []) if not r.get(f)]
            if missing:
                out.append(problem("target-incomplete", path["targets"], row=line, field=missing[0], cell=r["id"], kind=r["kind"], missing=", ".join(missing)))
    return out

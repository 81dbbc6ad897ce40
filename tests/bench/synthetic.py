"""Synthetic data packages for the scale benchmark: the real package's shape, made-up rows.

`generate(folder, scale)` reads data/datapackage.json and writes, into `folder` (never under
data/), a package with the same resources and Table Schemas whose rows satisfy them (types,
constraints, keys, links), the rules that validate.py and enterprises.py check across tables, and
the case-study files model_sites.csv points at.

Everything comes from the descriptor, so a resource added to data/ is generated too. Each table
starts with data/'s rows, keeping their keys, links, codes and numbers (templates may name a row,
such as the support need "ton-vinh") with every text made up; then made-up rows up to its size at
the scale: `GROWTH` for the tables that grow, `PER_PARENT` rows per row of the table a composite
key starts with (ten years of observations per target); any other table keeps data/'s size, or as
many rows per parent row as data/ has. Values of new rows come from data/'s own columns (enums,
numbers, dates, codes); text is Vietnamese-looking and obviously synthetic ("Doanh nghiệp thử
nghiệm 00042"); links point at example.org.
"""
from __future__ import annotations

import csv
import itertools
import json
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts import paths
from scripts.data.validate import FILE_FIELD, URL_FIELD, WEBSITE_FIELD, YEAR_FIELD

# Rows at 1× and how a table grows: rows = base × scale ** power. At 100×: 100 targets (with ten
# years of observations each, below), 20,000 enterprises, 50,000 honours, 500 case studies.
GROWTH = {
    "targets": (15, 0.41),           # a plan adds targets slowly: 15, 39, 100
    "enterprises": (200, 1.0),
    "honours": (500, 1.0),
    "model_sites": (5, 1.0),
    "sources": (60, 1.0),            # honours and case studies cite them
    "agencies": (30, 0.5),           # departments first, then communes: 30, 95, 300
    "award_rounds": (16, 0.5),
    "award_round_counts": (48, 0.5),
    "changelog": (12, 0.5),
}
# Rows per row of the table a primary key starts with: ten years of figures for each.
PER_PARENT = {"observations": 10, "context_observations": 10, "reports": 10}

LATEST_YEAR = 2025            # synthetic figures run up to this year
SEED = 683

VI_WORDS = ("năng suất chất lượng sản phẩm hàng hóa doanh nghiệp đổi mới sáng tạo tiêu chuẩn quy chuẩn "
            "đo lường công nghệ hỗ trợ đào tạo chuyển đổi số truy xuất nguồn gốc thị trường xuất khẩu "
            "mô hình điểm cải tiến quản lý hợp tác xã làng nghề nông sản chế biến dịch vụ thử nghiệm").split()
EN_WORDS = ("productivity quality products goods enterprise innovation standards regulations metrology "
            "technology support training digital transformation traceability market export model site "
            "improvement management cooperative craft village produce processing services synthetic").split()


@dataclass
class Column:
    """What data/ says about one field: its values, how often it is filled, how long its text is."""
    values: list[str]
    filled: float
    length: int


def generate(folder: Path, scale: float, source: Path = paths.PACKAGE, seed: int = SEED) -> Path:
    """Write a synthetic package at `scale` into `folder`; returns its datapackage.json."""
    folder = Path(folder).resolve()
    if folder.is_relative_to(paths.DATA.resolve()) or paths.DATA.resolve().is_relative_to(folder):
        raise ValueError(f"synthetic data never goes into data/ nor a folder that holds it: {folder}")
    descriptor = json.loads(source.read_text(encoding="utf-8"))
    rng = random.Random(f"{seed}-{scale}")
    real = {r["name"]: _read_rows(source.parent / r["path"]) for r in descriptor["resources"]}
    by_name = {r["name"]: r for r in descriptor["resources"]}

    tables: dict[str, list[dict]] = {}
    for name in _in_link_order(descriptor["resources"]):
        resource = by_name[name]
        count = _row_count(resource, scale, real, tables)
        tables[name] = _table(resource, count, tables, real[name], rng)
    _cross_table_rules(tables, descriptor, rng)

    folder.mkdir(parents=True, exist_ok=True)
    for resource in descriptor["resources"]:
        _write_rows(folder / resource["path"], [f["name"] for f in resource["schema"]["fields"]], tables[resource["name"]])
    if "model_sites" in tables:
        _write_case_studies(folder, tables, rng)
    synthetic = {**descriptor,
                 "name": descriptor["name"] + "-thu-nghiem",
                 "title": f"Dữ liệu thử nghiệm tổng hợp ×{scale:g} (không phải số liệu thật)",
                 "title_en": f"Synthetic benchmark data ×{scale:g} (not real figures)"}
    target = folder / "datapackage.json"
    target.write_text(json.dumps(synthetic, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def row_counts(package_path: Path) -> dict[str, int]:
    """Rows per resource of a package, as a benchmark reports its size."""
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    return {r["name"]: len(_read_rows(package_path.parent / r["path"])) for r in descriptor["resources"]}


# --- how many rows -----------------------------------------------------------------------------------

def _row_count(resource: dict, scale: float, real: dict, tables: dict) -> int:
    name, schema = resource["name"], resource["schema"]
    parent = _key_parent(resource)
    if name in GROWTH:
        base, power = GROWTH[name]
        count = max(1, round(base * scale ** power))
    elif parent:
        per = PER_PARENT.get(name) or (len(real[name]) / len(real[parent]) if real[parent] and real[name] else 2)
        count = max(1, round(per * len(tables[parent])))
    else:
        count = max(1, len(real[name]))
    count = max(count, len(real[name]))   # never fewer rows than data/ has: other tables link to them
    for f in schema["fields"]:        # a unique enum or a unique integer range holds only so many rows
        c = f.get("constraints", {})
        if c.get("unique") or _as_list(schema.get("primaryKey")) == [f["name"]]:
            if "enum" in c:
                count = min(count, len(c["enum"]))
            if f.get("type") == "integer" and c.get("maximum") is not None:
                count = min(count, c["maximum"] - c.get("minimum", 1) + 1)
    return count


def _key_parent(resource: dict) -> str | None:
    """The table a composite primary key's first field links to (a target for its observations)."""
    key = _as_list(resource["schema"].get("primaryKey"))
    if len(key) < 2:
        return None
    for link in resource["schema"].get("foreignKeys", []):
        if _as_list(link["fields"]) == key[:1] and link["reference"].get("resource", resource["name"]) != resource["name"]:
            return link["reference"]["resource"]
    return None


def _in_link_order(resources: list[dict]) -> list[str]:
    """Names in an order where every table comes after the tables it links to."""
    needs = {r["name"]: {fk["reference"].get("resource") or r["name"] for fk in r["schema"].get("foreignKeys", [])} - {r["name"]}
             for r in resources}
    done: list[str] = []
    while len(done) < len(needs):
        ready = [n for n in needs if n not in done and needs[n] <= set(done)]
        if not ready:
            raise ValueError(f"tables link to each other in a loop: {sorted(set(needs) - set(done))}")
        done += ready
    return done


# --- the rows of one table ---------------------------------------------------------------------------

def _table(resource: dict, count: int, tables: dict, real_rows: list[dict], rng: random.Random) -> list[dict]:
    """data/'s rows first, with their keys, links, codes and numbers and made-up text (templates may
    name a row: the support need "ton-vinh"); then made-up rows up to `count`."""
    name, schema = resource["name"], resource["schema"]
    fields = schema["fields"]
    columns = {f["name"]: _column(f["name"], real_rows) for f in fields}
    links = {tuple(_as_list(fk["fields"])): fk["reference"] for fk in schema.get("foreignKeys", [])}
    kept = {f["name"] for f in fields if not _is_text(f)} | {f for link in links for f in link} | set(_as_list(schema.get("primaryKey")))
    label_vi, label_en = _labels(resource)
    rows: list[dict] = []
    for i, real in enumerate(real_rows):
        row = {f: real.get(f, "") for f in kept}
        for f in fields:
            if f["name"] not in row:
                row[f["name"]] = _value(f, i, columns[f["name"]], name, label_vi, label_en, rng) if real.get(f["name"]) else ""
        rows.append(row)
    for i, key in enumerate(_keys(resource, count - len(rows), tables, rows, rng), start=len(rows)):
        row = dict(key)
        for link_fields, reference in links.items():
            if all(f in row for f in link_fields):
                continue
            required = any(_field(fields, f).get("constraints", {}).get("required") for f in link_fields)
            target = reference.get("resource") or name
            choices = rows if target == name else tables[target]   # a table linking to itself points back, never in a loop
            if not choices or (not required and rng.random() >= columns[link_fields[0]].filled):
                row.update({f: "" for f in link_fields})
                continue
            chosen = rng.choice(choices)
            row.update({f: chosen[r] for f, r in zip(link_fields, _as_list(reference["fields"]))})
        for f in fields:
            if f["name"] not in row:
                row[f["name"]] = _value(f, i, columns[f["name"]], name, label_vi, label_en, rng)
        rows.append(row)
    return rows


def _is_text(field: dict) -> bool:
    """Words people read (replaced by made-up words), as opposed to codes, numbers, dates and links."""
    c = field.get("constraints", {})
    return field.get("type", "string") == "string" and "enum" not in c and "pattern" not in c


def _keys(resource: dict, count: int, tables: dict, taken: list[dict], rng: random.Random) -> list[dict]:
    """The primary key and unique fields of `count` new rows, unlike those of the rows `taken`:
    sequential, or spread over the rows of the table a composite key starts with."""
    if count <= 0:
        return []
    schema = resource["schema"]
    key = _as_list(schema.get("primaryKey"))
    unique = [f for f in schema["fields"] if f.get("constraints", {}).get("unique") or key == [f["name"]]]
    keys: list[dict] = [{} for _ in range(count)]
    for f in unique:
        used = {r[f["name"]] for r in taken}
        fresh = (v for v in (_sequential(f, i, resource) for i in itertools.count(len(taken))) if v not in used)
        for row in keys:
            row[f["name"]] = next(fresh)
    if len(key) < 2:
        return keys
    used = {tuple(r[k] for k in key) for r in taken}
    domains = [_domain(resource, f, tables) for f in key]
    parents = domains[0]
    per = [count // len(parents) + (1 if j < count % len(parents) else 0) for j in range(len(parents))]
    out = []
    for parent, n in zip(parents, per):
        if n:
            mine = {k[1:] for k in used if k[0] == parent}
            out += [{key[0]: parent, **dict(zip(key[1:], combo))} for combo in _combos(key[1:], domains[1:], n, mine, rng)]
    for row, extra in zip(out, keys):
        row.update({k: v for k, v in extra.items() if k not in row})
    return out


def _combos(names: list[str], domains: list[list[str]], n: int, used: set[tuple], rng: random.Random) -> list[tuple]:
    """n values of the rest of a composite key, none in `used`; a run of consecutive years for a year."""
    if len(names) == 1 and YEAR_FIELD.match(names[0]):
        free = [int(y) for y in domains[0] if (y,) not in used]
        latest_first = sorted(free, key=lambda y: (y > LATEST_YEAR, -y if y <= LATEST_YEAR else y))
        return [(str(y),) for y in sorted(latest_first[:n])]
    size = math.prod(len(d) for d in domains)
    if size <= 100_000:
        free = [c for c in itertools.product(*domains) if c not in used]
        return rng.sample(free, min(n, len(free)))
    seen: set[tuple] = set()
    while len(seen) < min(n, size - len(used)):
        combo = tuple(rng.choice(d) for d in domains)
        if combo not in used:
            seen.add(combo)
    return list(seen)


def _domain(resource: dict, field_name: str, tables: dict) -> list[str]:
    for link in resource["schema"].get("foreignKeys", []):
        if _as_list(link["fields"]) == [field_name]:
            target = link["reference"].get("resource") or resource["name"]
            return [row[_as_list(link["reference"]["fields"])[0]] for row in tables[target]]
    field = _field(resource["schema"]["fields"], field_name)
    c = field.get("constraints", {})
    if "enum" in c:
        return [str(v) for v in c["enum"]]
    if field.get("type") == "integer":
        lo = c.get("minimum", 2011 if YEAR_FIELD.match(field_name) else 1)
        return [str(v) for v in range(lo, c.get("maximum", lo + 999) + 1)]
    return [f"{_slug(resource['name'])}-{i:05d}" for i in range(1, 1001)]


def _sequential(field: dict, i: int, resource: dict) -> str:
    c = field.get("constraints", {})
    if "enum" in c:
        return str(c["enum"][i])
    if field.get("type") == "integer":
        return str(c.get("minimum", 1) + i)
    if field.get("type", "string") != "string":
        raise ValueError(f"cannot make unique values of type {field.get('type')} for {resource['name']}.{field['name']}")
    return f"{_slug(resource.get('title_vi') or resource['name'], words=3)}-{i + 1:05d}"


def _value(field: dict, i: int, column: Column, table: str, label_vi: str, label_en: str, rng: random.Random) -> str:
    name, kind, c = field["name"], field.get("type", "string"), field.get("constraints", {})
    if not c.get("required") and rng.random() >= column.filled:
        return ""
    if "enum" in c:
        return rng.choice(column.values or [str(v) for v in c["enum"]])
    if URL_FIELD.match(name) or WEBSITE_FIELD.match(name) or field.get("format") == "uri":
        return f"https://example.org/thu-nghiem/{_slug(table)}/{i + 1}"
    if FILE_FIELD.match(name):
        if c.get("required"):
            raise ValueError(f"{table}.{name} names a file; teach tests/bench/synthetic.py to write one")
        return ""
    if kind != "string" or "pattern" in c:
        if column.values:
            return rng.choice(column.values)
        return _typed(field, table, rng)
    return _text(name, i, label_vi, label_en, column.length, rng)


def _typed(field: dict, table: str, rng: random.Random) -> str:
    name, kind, c = field["name"], field.get("type", "string"), field.get("constraints", {})
    lo, hi = c.get("minimum"), c.get("maximum")
    if kind == "integer":
        if YEAR_FIELD.match(name):
            return str(rng.randint(max(lo or 2011, 2016), min(hi or LATEST_YEAR, LATEST_YEAR)))
        lo = lo if lo is not None else 0
        return str(rng.randint(lo, hi if hi is not None else lo + 100))
    if kind == "number":
        return f"{rng.uniform(lo or 0, hi if hi is not None else 1000):.1f}"
    if kind == "boolean":
        return rng.choice(["true", "false"])
    if kind == "date":
        return f"{rng.randint(2016, LATEST_YEAR)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if c.get("required"):
        raise ValueError(f"{table}.{name}: no example of its pattern in data/; teach tests/bench/synthetic.py one")
    return ""


def _text(name: str, i: int, label_vi: str, label_en: str, length: int, rng: random.Random) -> str:
    english = name.endswith("_en")
    text = f"{label_en} {i + 1:05d}" if english else f"{label_vi} thử nghiệm {i + 1:05d}"
    if length > len(text) + 10:         # longer text as long as the real column's, give or take
        words = EN_WORDS if english else VI_WORDS
        goal = int(length * rng.uniform(0.7, 1.3))
        tail, size = [], len(text)
        while size < goal:
            tail.append(rng.choice(words))
            size += len(tail[-1]) + 1
        text += ": " + " ".join(tail) + "."
    return text


# --- rules across tables -----------------------------------------------------------------------------

def _cross_table_rules(tables: dict[str, list[dict]], descriptor: dict, rng: random.Random) -> None:
    """What a Table Schema cannot say, as validate.py, enterprises.py and progress.py check it."""
    for resource in descriptor["resources"]:             # a period never ends before it starts
        names = {f["name"] for f in resource["schema"]["fields"]}
        for start in [n for n in names if n.endswith("_start")]:
            end = start.removesuffix("_start") + "_end"
            for row in tables[resource["name"]] if end in names else []:
                if row[start] and row[end] and int(row[start]) > int(row[end]):
                    row[start], row[end] = row[end], row[start]

    if "task_agencies" in tables:                        # every task has a lead agency
        led = {r["task_id"] for r in tables["task_agencies"] if r["role"] == "lead"}
        first = {}
        for r in tables["task_agencies"]:
            first.setdefault(r["task_id"], r)
        for task, r in first.items():
            if task not in led:
                r["role"] = "lead"

    if "agencies" in tables and tables.get("sources"):   # a successor is sourced
        for r in tables["agencies"]:
            if r.get("succeeded_by") and not r.get("succession_source_id"):
                r["succession_source_id"] = rng.choice(tables["sources"])["id"]

    for r in tables.get("targets", []):                  # each kind of target has what its status needs
        kind = r["kind"]
        measured = kind != "milestone"
        r["target_value"] = f"{rng.randint(5, 50)}" if measured else ""
        r["target_max"] = str(int(r["target_value"]) + rng.randint(2, 10)) if kind == "growth_band" else ""
        r["unit_vi"], r["unit_en"] = ("đơn vị thử nghiệm", "test unit") if measured else ("", "")
        r["baseline_period"] = "2016-2020" if kind == "change_vs_period" else ""
        r["baseline_value"] = f"{rng.randint(50, 500)}" if kind == "change_vs_period" else ""
        if kind == "count" and r["direction"] not in ("increase", "decrease"):
            r["direction"] = "increase"

    observed = {t["id"]: t for t in tables.get("targets", [])}
    for o in tables.get("observations", []):             # figures that move the way a target counts
        target = observed.get(o["target_id"])
        if target and target["kind"] == "milestone":
            o["value"] = "1" if int(o["year"]) >= LATEST_YEAR - 1 else "0"
        elif target:
            o["value"] = f"{rng.uniform(10, 200):.1f}"

    indicators = {i["id"]: i for i in tables.get("context_indicators", [])}
    for o in tables.get("context_observations", []):     # a value on its indicator's scale (a rank 1–63)
        top = indicators.get(o["indicator_id"], {}).get("scale_max")
        if top and not 1 <= float(o["value"]) <= float(top):
            o["value"] = str(rng.randint(1, int(float(top))))

    awards = {a["id"]: a for a in tables.get("awards", [])}
    rounds = {r["id"]: r for r in tables.get("award_rounds", [])}
    for h in tables.get("honours", []):                  # stars only for a rated award; a round of the same award
        rated = awards.get(h["award"], {}).get("rated") == "true"
        h["rating"] = str(rng.choice([3, 3, 3, 4, 4, 5])) if rated else ""
        same = [r for r in rounds.values() if r["award"] == h["award"]]
        if h.get("round_id"):
            h["round_id"] = rng.choice(same)["id"] if same else ""
        if h.get("note_source_id") and not (h.get("note_vi") and h.get("note_en")):
            h["note_source_id"] = ""

    if "award_round_counts" in tables:                   # one count per breakdown; stars only for OCOP
        seen, kept = set(), []
        for c in tables["award_round_counts"]:
            if rounds.get(c["round_id"], {}).get("award") != "ocop":
                c["rating"] = ""
            key = tuple(c.get(k) for k in ("round_id", "measure", "rating", "level", "prize", "status"))
            if key not in seen:
                seen.add(key)
                kept.append(c)
        tables["award_round_counts"] = kept

    if "support_programmes" in tables:                   # "for every sector" exactly when no sector is listed
        listed = {link["programme_id"] for link in tables.get("programme_sectors", [])}
        for p in tables["support_programmes"]:
            p["all_sectors"] = "false" if p["id"] in listed else "true"

    for site in tables.get("model_sites", []):           # each case study is a file of its own
        site["path"] = f"case-studies/{site['id']}.md"


def _write_case_studies(folder: Path, tables: dict, rng: random.Random) -> None:
    """Front matter as data/case-study.schema.json wants it, and a story in each language."""
    target = folder / "case-studies"
    target.mkdir(parents=True, exist_ok=True)
    tools = [t["id"] for t in tables.get("tools", [])]
    for i, site in enumerate(tables["model_sites"]):
        start = rng.randint(2018, LATEST_YEAR - 2)
        meta = {
            "title_vi": site["title_vi"], "title_en": site["title_en"],
            "enterprise_id": site["enterprise_id"], "sector_id": site["sector_id"],
            "commune_vi": f"xã Thử Nghiệm {i + 1:05d}", "commune_en": f"Thử Nghiệm commune {i + 1:05d}",
            "tools": rng.sample(tools, min(len(tools), rng.randint(1, 3))),
            "year_start": start, "year_end": start + 2,
            "summary_vi": f"Mô hình thử nghiệm {i + 1:05d}: dữ liệu tổng hợp để đo tốc độ, không phải số liệu thật.",
            "summary_en": f"Synthetic model site {i + 1:05d}: made-up data for the speed benchmark, not real figures.",
            "results": [{"indicator_vi": f"Chỉ số thử nghiệm {k + 1}", "indicator_en": f"Test indicator {k + 1}",
                         "unit_vi": "%", "unit_en": "%", "before": round(rng.uniform(5, 20), 1),
                         "after": round(rng.uniform(1, 5), 1), "year_before": start, "year_after": start + 2}
                        for k in range(rng.randint(1, 3))],
            "source_id": site["source_id"],
        }
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (target / f"{site['id']}.md").write_text(f"---\n{front}---\n{_story(VI_WORDS, 'Bối cảnh', 'Kết quả', rng)}", encoding="utf-8")
        (target / f"{site['id']}.en.md").write_text(_story(EN_WORDS, "Background", "Results", rng), encoding="utf-8")


def _story(words: tuple, first: str, second: str, rng: random.Random) -> str:
    paragraphs = [" ".join(rng.choice(words) for _ in range(rng.randint(60, 120))).capitalize() + "." for _ in range(4)]
    return f"# {first}\n\n{paragraphs[0]}\n\n{paragraphs[1]}\n\n# {second}\n\n{paragraphs[2]}\n\n- {paragraphs[3]}\n"


# --- helpers -----------------------------------------------------------------------------------------

def _read_rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [row for row in csv.DictReader(f) if any(row.values())]


def _write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([unicodedata.normalize("NFC", str(row.get(h, ""))) for h in header] for row in rows)


def _column(name: str, real_rows: list[dict]) -> Column:
    values = [r[name] for r in real_rows if r.get(name)]
    filled = len(values) / len(real_rows) if real_rows else 0.5
    length = round(sum(len(v) for v in values) / len(values)) if values else 40
    return Column(values, filled, length)


def _labels(resource: dict) -> tuple[str, str]:
    title_vi = resource.get("title_vi") or resource["name"]
    title_en = resource.get("title") or resource["name"]
    return title_vi.split(",")[0], f"Synthetic {title_en.split(',')[0].lower()}"


def _slug(text: str, words: int = 0) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    parts = re.findall(r"[a-z0-9]+", plain)
    return "-".join(parts[:words] if words else parts)


def _field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


def _as_list(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)

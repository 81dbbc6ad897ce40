"""The open data as people download it: each table as CSV (plain and for Excel), JSON and XLSX,
the whole package as ZIP and as one workbook, the input workbook stewards edit (scripts/intake/workbook.py),
and a data dictionary read from the Table Schemas.

Everything is made from data/ at build time, identical in content to it, and byte-for-byte
reproducible (fixed timestamps inside ZIP and XLSX files). What was made is kept in
site/generated/.download-cache, keyed by a hash of everything that goes into it, so a build after
a one-row change remakes only that table's files, the workbook and the ZIP.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import shutil
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from .. import paths
from ..base import cache
from ..base.reproducible import add_to_zip, save_xlsx, stamp_of
from ..intake import workbook


def package_zip(descriptor: dict) -> str:
    """The whole package in one ZIP, named after the package (its "name": <name>.zip)."""
    return f"{descriptor['name']}.zip"


def package_workbook(descriptor: dict) -> str:
    """Every table in one Excel file, named after the package."""
    return f"{descriptor['name']}.xlsx"
INPUT_WORKBOOK = "nhap-lieu.xlsx"   # the workbook stewards edit and send back (scripts/intake/workbook.py)
FORMATS = ("csv", "excel.csv", "json", "xlsx")


def write_downloads(package_path: Path, descriptor: dict, frames: dict[str, pd.DataFrame], out: Path) -> None:
    """Write every download into `out` (the site's du-lieu/ folder)."""
    stamp = stamp_of(descriptor)
    out.mkdir(parents=True, exist_ok=True)
    package_bytes = package_path.read_bytes()
    (out / "datapackage.json").write_bytes(package_bytes)
    raws, keys = {}, []
    if (paths.GENERATED / ".download-cache").is_dir():
        cache.sweep(paths.GENERATED / ".download-cache")
    for resource in descriptor["resources"]:
        name, raw = resource["name"], (package_path.parent / resource["path"]).read_bytes()
        raws[resource["path"]] = raw
        key = _key(resource, raw, _fingerprint(frames[name]), stamp)
        keys.append(key)
        _from_cache(key, out, lambda folder: _write_resource(folder, name, raw, frames[name], descriptor))
    # The workbook and the ZIP hold every table: keyed by all the tables' keys and the descriptor
    _from_cache(_key(keys, package_bytes, descriptor, stamp), out,
                lambda folder: _write_package(folder, package_bytes, raws, descriptor, frames))


def _write_resource(folder: Path, name: str, raw: bytes, frame: pd.DataFrame, descriptor: dict) -> None:
    text = raw.decode("utf-8-sig")
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    # Excel opens a CSV as Vietnamese text only when it starts with a byte-order mark
    (folder / f"{name}.excel.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (folder / f"{name}.json").write_text(_json(frame), encoding="utf-8")
    _write_xlsx(folder / f"{name}.xlsx", {name: frame}, descriptor)


def _write_package(folder: Path, package_bytes: bytes, raws: dict[str, bytes], descriptor: dict,
                   frames: dict[str, pd.DataFrame]) -> None:
    stamp = stamp_of(descriptor)
    workbook.write_tables(descriptor, workbook.tables_of(descriptor, raws), folder / INPUT_WORKBOOK)
    _write_xlsx(folder / package_workbook(descriptor), {r["name"]: frames[r["name"]] for r in descriptor["resources"]}, descriptor)
    with zipfile.ZipFile(folder / package_zip(descriptor), "w", zipfile.ZIP_DEFLATED) as archive:
        add_to_zip(archive, "datapackage.json", package_bytes, stamp)
        for resource in descriptor["resources"]:
            add_to_zip(archive, resource["path"], raws[resource["path"]], stamp)


# In every key: this file's code and what else decides the bytes (XLSX and ZIP writers, deflate)
_CODE = "|".join(["downloads-1", *(hashlib.sha256((Path(__file__).parent / f).read_bytes()).hexdigest()
                                    for f in ("opendata.py", "../intake/workbook.py", "../base/reproducible.py")), sys.version,
                  zlib.ZLIB_RUNTIME_VERSION, pd.__version__, importlib.metadata.version("openpyxl")])


def _key(*parts) -> str:
    text = json.dumps([_CODE, *parts], sort_keys=True, ensure_ascii=False,
                      default=lambda v: v.hex() if isinstance(v, bytes) else [type(v).__qualname__, repr(v)])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _fingerprint(frame: pd.DataFrame) -> str:
    """The frame exactly as the JSON and XLSX writers see it: columns, types and every value with its
    type (a date and its ISO text are different cells), so frames made by other code can't go stale."""
    digest = hashlib.sha256(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode())
    for row in frame.itertuples(index=False, name=None):
        digest.update(repr([(type(v).__qualname__, v) for v in row]).encode())
    return digest.hexdigest()


def _from_cache(key: str, out: Path, make) -> None:
    """Copy the files cached under `key` into `out`; on a miss, make(folder) writes them first.
    An entry is a folder renamed into place when complete, so a half-made one is never served."""
    store = paths.GENERATED / ".download-cache"
    entry = store / key
    if not entry.is_dir():
        store.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=store))
        try:
            make(scratch)
            scratch.rename(entry)
        except OSError:
            if not entry.is_dir():  # not "another build stored it first"
                raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    cache.used(entry)
    for file in sorted(entry.iterdir()):
        shutil.copyfile(file, out / file.name)


def _json(frame: pd.DataFrame) -> str:
    records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], descriptor: dict) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if pd.isna(v) else v for v in row])
    save_xlsx(book, path, descriptor)





def dictionary(descriptor: dict) -> list[dict]:
    """Every resource and field, with type, constraints, descriptions and links, from the schemas."""
    out = []
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        links = {tuple(fk["fields"]) if isinstance(fk["fields"], list) else (fk["fields"],): fk["reference"]["resource"]
                 for fk in schema.get("foreignKeys", [])}
        key = schema.get("primaryKey", [])
        fields = []
        for field in schema["fields"]:
            constraints = dict(field.get("constraints", {}))
            fields.append({
                "name": field["name"], "type": field.get("type", "string"),
                "required": bool(constraints.pop("required", False)) or field["name"] in key,
                "primary_key": field["name"] in key,
                "constraints": constraints,
                "description_en": field.get("description", ""),
                "description_vi": field.get("description_vi", ""),
                "links_to": links.get((field["name"],)),
            })
        out.append({"name": resource["name"], "path": resource["path"],
                    "title_en": resource.get("title", resource["name"]), "title_vi": resource.get("title_vi", resource.get("title", "")),
                    "description_en": resource.get("description", ""), "description_vi": resource.get("description_vi", ""),
                    "fields": fields, "primary_key": key})
    return out


def json_ld(descriptor: dict, frames: dict[str, pd.DataFrame], lang: str, data_url: str, page_url: str, plan: dict) -> str:
    """schema.org Dataset, so data search engines can find the package. Safe inside <script>. `plan`:
    the model's plan, which names the province and the document the data is based on."""
    title = descriptor["title"] if lang == "vi" else descriptor.get("title_en", descriptor["title"])
    description = descriptor.get("description_vi" if lang == "vi" else "description", "")
    distribution = [{"@type": "DataDownload", "encodingFormat": "application/zip", "contentUrl": f"{data_url}{package_zip(descriptor)}",
                     "name": "Data Package (ZIP)"},
                    {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": f"{data_url}datapackage.json",
                     "name": "datapackage.json"}]
    for resource in descriptor["resources"]:
        distribution.append({"@type": "DataDownload", "encodingFormat": "text/csv",
                             "contentUrl": f"{data_url}{resource['name']}.csv", "name": f"{resource['name']}.csv"})
    years = [int(v) for name, frame in frames.items() for column in ("year",) if column in frame for v in frame[column].dropna()]
    document = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": title, "description": description, "inLanguage": ["vi", "en"],
        "license": descriptor["licenses"][0]["path"],
        "version": descriptor.get("version"), "dateModified": descriptor.get("last_updated"),
        "temporalCoverage": f"{min(years + [plan['period_start']])}/{max(years + [plan['period_end']])}",
        "spatialCoverage": {"@type": "Place", "name": f"{plan['province_vi']}, Việt Nam"},
        "creator": {"@type": "Organization", "name": descriptor["site"][f"name_{lang}"]},
        "isBasedOn": plan["source"]["title"],
        "url": page_url, "distribution": distribution,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).replace("</", "<\\/")

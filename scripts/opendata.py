"""The open data as people download it: each table as CSV (plain and for Excel), JSON and XLSX,
the whole package as ZIP and as one workbook, and a data dictionary read from the Table Schemas.

Everything is made from data/ at build time, identical in content to it, and byte-for-byte
reproducible (fixed timestamps inside ZIP and XLSX files).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd

PACKAGE_ZIP = "ke-hoach-683-nghe-an.zip"
WORKBOOK = "ke-hoach-683-nghe-an.xlsx"
FORMATS = ("csv", "excel.csv", "json", "xlsx")


def write_downloads(package_path: Path, descriptor: dict, frames: dict[str, pd.DataFrame], out: Path) -> None:
    """Write every download into `out` (the site's du-lieu/ folder)."""
    stamp = _stamp(descriptor)
    out.mkdir(parents=True, exist_ok=True)
    (out / "datapackage.json").write_bytes(package_path.read_bytes())
    for resource in descriptor["resources"]:
        name, raw = resource["name"], (package_path.parent / resource["path"]).read_bytes()
        text = raw.decode("utf-8-sig")
        (out / f"{name}.csv").write_text(text, encoding="utf-8")
        # Excel opens a CSV as Vietnamese text only when it starts with a byte-order mark
        (out / f"{name}.excel.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        (out / f"{name}.json").write_text(_json(frames[name]), encoding="utf-8")
        _write_xlsx(out / f"{name}.xlsx", {name: frames[name]}, stamp)
    _write_xlsx(out / WORKBOOK, {r["name"]: frames[r["name"]] for r in descriptor["resources"]}, stamp)
    with zipfile.ZipFile(out / PACKAGE_ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "datapackage.json", package_path.read_bytes(), stamp)
        for resource in descriptor["resources"]:
            _add(archive, resource["path"], (package_path.parent / resource["path"]).read_bytes(), stamp)


def _stamp(descriptor: dict) -> tuple:
    day = dt.date.fromisoformat(descriptor["last_updated"])
    return (day.year, day.month, day.day, 0, 0, 0)


def _json(frame: pd.DataFrame) -> str:
    records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _add(archive: zipfile.ZipFile, name: str, data: bytes, stamp: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], stamp: tuple) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    moment = dt.datetime(*stamp)
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "ke-hoach-683-nghe-an"
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if pd.isna(v) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps each part with the current time: rewrite them with the data's date
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            _add(target, item.filename, data, stamp)


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


def json_ld(descriptor: dict, frames: dict[str, pd.DataFrame], lang: str, data_url: str, page_url: str) -> str:
    """schema.org Dataset, so data search engines can find the package. Safe inside <script>."""
    title = descriptor["title"] if lang == "vi" else descriptor.get("title_en", descriptor["title"])
    description = descriptor.get("description_vi" if lang == "vi" else "description", "")
    distribution = [{"@type": "DataDownload", "encodingFormat": "application/zip", "contentUrl": f"{data_url}{PACKAGE_ZIP}",
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
        "temporalCoverage": f"{min(years + [2021])}/{max(years + [2030])}",
        "spatialCoverage": {"@type": "Place", "name": "Nghệ An, Việt Nam"},
        "creator": {"@type": "Organization", "name": "Kế hoạch 683 Nghệ An: nhóm dữ liệu mở"},
        "isBasedOn": "Kế hoạch số 683/KH-UBND ngày 17/11/2021 của UBND tỉnh Nghệ An",
        "url": page_url, "distribution": distribution,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).replace("</", "<\\/")

"""A new plan's package, empty, laid out as data/ is: what `python -m scripts new-plan FOLDER` writes.

The tables and their schemas are the engine's (copied from an existing package, data/ by default); what
names the plan is left for its editor to fill in, and `python -m scripts validate --data FOLDER` lists
each thing still missing. Nothing is invented: every table starts with its header row only.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .. import paths

SETTINGS_TO_FILL = {"name_vi": "", "name_en": "", "description_vi": "", "description_en": "",
                    # the engine's default colours, dark enough for white text; change them at will
                    "colors": {"primary": "#0b5394", "primary_light": "#3d78b5", "primary_dark": "#073763", "accent": "#a33b00"}}


class FolderNotEmpty(Exception):
    """The folder already holds files: a new plan never writes over anything."""


def create(folder: Path, template: Path | None = None) -> list[str]:
    """Write the empty package into `folder` (which must be empty or absent); return the files written."""
    template = template or paths.PACKAGE
    if folder.exists() and any(folder.iterdir()):
        raise FolderNotEmpty(folder)
    source = json.loads(template.read_text(encoding="utf-8"))
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-") or "ke-hoach"
    descriptor = {
        "$schema": source.get("$schema", "https://datapackage.org/profiles/2.0/datapackage.json"),
        "name": name, "title": "", "title_en": "", "description": "", "description_vi": "", "version": "0.1.0",
        "last_updated": "", "licenses": source.get("licenses", []),
        "last_updated_note": source.get("last_updated_note", ""),
        "site": SETTINGS_TO_FILL, "site_note": source.get("site_note", ""),
        "resources": source["resources"],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written = ["datapackage.json"]
    for resource in source["resources"]:
        header = ",".join(f["name"] for f in resource["schema"]["fields"])
        (folder / resource["path"]).write_text(header + "\n", encoding="utf-8")
        written.append(resource["path"])
    for extra in ("case-study.schema.json",):
        if (template.parent / extra).is_file():
            (folder / extra).write_text((template.parent / extra).read_text(encoding="utf-8"), encoding="utf-8")
            written.append(extra)
    (folder / "nguon").mkdir(exist_ok=True)
    return written

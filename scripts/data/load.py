"""Read the validated Data Package into typed pandas frames, one per resource."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import paths


def load(package_path: Path = paths.PACKAGE) -> dict[str, pd.DataFrame]:
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    frames = {}
    for resource in descriptor["resources"]:
        frame = pd.read_csv(package_path.parent / resource["path"], dtype=str, keep_default_na=False,
                            na_values=[""], encoding="utf-8-sig")
        frames[resource["name"]] = _typed(frame, resource["schema"]["fields"])
    return frames


def descriptor(package_path: Path = paths.PACKAGE) -> dict:
    return json.loads(package_path.read_text(encoding="utf-8"))


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        column = frame[name]
        if kind == "integer":
            frame[name] = pd.to_numeric(column).astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(column).astype("Float64")
        elif kind == "boolean":
            frame[name] = column.map({"true": True, "false": False, "True": True, "False": False}).astype("boolean")
        elif kind == "date":
            frame[name] = pd.to_datetime(column, format="%Y-%m-%d").dt.date
        else:
            frame[name] = column.astype(object).where(column.notna(), None)
    return frame

"""Loaded frames as plain Python: what the model and the enterprise model are joined from."""
from __future__ import annotations

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts, with pandas' missing values turned into None."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value

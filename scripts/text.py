"""The one place where text from data is made safe for Markdown and HTML, and numbers and dates
are written the way each language writes them."""
from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

# Characters that HTML or Markdown would read as markup, written as numeric entities instead.
_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>\"'`*_[](){}#+!|~\\$^=:"}
_TABLE = str.maketrans(_SPECIAL)


def escape(value) -> str:
    """Data text shown literally: no HTML, no Markdown, no line breaks (safe in a table cell)."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    text = " ".join(str(value).split())
    return text.translate(_TABLE)


SAFE_URL = re.compile(r"^(https?://[^\s<>\"'`]+|[A-Za-z0-9][A-Za-z0-9._/-]*)$")


def safe_url(value: str | None) -> str:
    """A link target from data: http(s) or a relative path inside the site, nothing else."""
    if not value or not SAFE_URL.match(value) or ".." in value:
        return "#"
    return value.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def format_date(value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if lang == "vi":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def format_number(value, lang: str, decimals: int | None = None) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English."""
    if value is None:
        return ""
    if decimals is None:  # as many decimals as the figure has: a published 32.69 stays 32.69
        decimals = next((d for d in range(0, 7) if round(float(value), d) == float(value)), 6)
    text = f"{float(value):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text

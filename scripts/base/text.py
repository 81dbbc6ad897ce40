"""The one place where text from data is made safe for Markdown and HTML, and numbers and dates
are written the way each language writes them."""
from __future__ import annotations

import datetime as dt
import decimal
import functools
import re

import babel
import babel.dates
import babel.numbers
from markupsafe import Markup

# Characters that HTML or Markdown would read as markup, written as numeric entities instead.
_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>\"'`*_[](){}#+!|~\\$^=:"}
_TABLE = str.maketrans(_SPECIAL)
# Invisible control characters left after whitespace is collapsed (Python-Markdown uses \x02 and
# \x03 as its own placeholders, so they must never reach it).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# At the start of a line, "- x" is a list item, "2021. x" a numbered one, "---" a rule.
_LINE_START = re.compile(r"^(?:-(?=[\s-]|$)|(\d+)\.(?=\s|$))")


def escape(value) -> str:
    """Data text shown literally: no HTML, no Markdown, no line breaks (safe in a table cell)."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return _escape_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _escape_text(text: str) -> str:
    """Cached: the same names, sectors and publishers come back thousands of times on long lists."""
    text = _CONTROL.sub("", " ".join(text.split())).translate(_TABLE)
    return _LINE_START.sub(lambda m: f"{m.group(1)}&#46;" if m.group(1) else "&#45;", text)


class Label(Markup):
    """The site's own words (trusted Markdown). A value put into one with .format() or + is data,
    so it is escaped the way escape() escapes it, not only for HTML."""

    __slots__ = ()

    @classmethod
    def escape(cls, s) -> "Label":
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(escape(s))


def one_line(value) -> str:
    """Data text for places that are neither Markdown nor HTML (chart titles, YAML, calendars):
    one line, no control characters. Vega-Lite fails on a title with a line break in it."""
    if value is None:
        return ""
    return _CONTROL.sub("", " ".join(str(value).split()))


# A link from data: a web address with a host, or a plain path inside the site. Nothing that a
# browser could run (javascript:, data:, vbscript:) and nothing that leaves the attribute.
_WEB = re.compile(r"https?://[^/\s<>\"'`\\\x00-\x1f\x7f][^\s<>\"'`\\\x00-\x1f\x7f]*")
_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def is_safe_url(value: str | None, web_only: bool = False) -> bool:
    """True for http(s)://host… and (unless web_only) for a relative path without `..` or `//`."""
    if not value:
        return False
    if _WEB.fullmatch(value):
        return True
    return not web_only and bool(_PATH.fullmatch(value)) and ".." not in value.split("/") and "//" not in value


def safe_url(value: str | None) -> str:
    """A link target from data: http(s) or a relative path inside the site, nothing else ("#")."""
    if not is_safe_url(value):
        return "#"
    return value.replace("(", "%28").replace(")", "%29")


def clause_title(text: str | None) -> str:
    """A clause of the plan used as a title or heading: without the ";" or "." that ends it in the
    plan's list (an ellipsis, "...", is part of the words and stays)."""
    text = (text or "").rstrip()
    if text.endswith((";", ".")) and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


# Dates the way each language's readers write them, with CLDR's month names (Babel): 01/03/2025
# is the form of Vietnamese official documents (CLDR's own short Vietnamese form is d/M/yy);
# 1 March 2025 is CLDR's long form for British English.
DATE_PATTERNS = {"vi": "dd/MM/y", "en": "d MMMM y"}
DAY_MONTH_PATTERNS = {"vi": "dd/MM", "en": "d MMM"}      # in a table whose column gives the year


def format_date(value, lang: str, patterns: dict = DATE_PATTERNS) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return babel.dates.format_date(value, patterns[lang], locale=_locale(lang))


MONTH_PATTERNS = {"vi": "'tháng' M/y", "en": "MMMM y"}


def format_published(value: str | None, lang: str) -> str:
    """A publication date as precisely as the page showed it: 2025-12-16, 2024-03 (a month) or 2024."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return format_date(value, lang)
    if len(parts) == 2:
        return babel.dates.format_date(dt.date(int(parts[0]), int(parts[1]), 1), MONTH_PATTERNS[lang], locale=_locale(lang))
    return value


def _places(value) -> int:
    """The decimals a figure is written with: 32.69 → 2, 36.5 → 1, 33 → 0 (six at most)."""
    return next((d for d in range(0, 7) if round(float(value), d) == float(value)), 6)


def decimals_of(values) -> int:
    """The decimals a set of figures needs to be written alike: 36.5 and 32.69 → 2 (36,50 and 32,69)."""
    return max((_places(v) for v in values if v is not None), default=0)


def format_number(value, lang: str, decimals: int | None = None) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English: the language's CLDR symbols and grouping (Babel)."""
    if value is None:
        return ""
    if decimals is None:  # as many decimals as the figure has: a published 32.69 stays 32.69
        decimals = _places(value)
    # a figure cut to fewer decimals is rounded as written, half up (2.675 → 2.68), as readers do by hand
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        return _number_pattern(decimals).apply(float(value), _locale(lang))


def number_symbols(lang: str) -> tuple[str, str]:
    """The language's decimal mark and thousands separator, for formats written elsewhere (Vega's)."""
    return babel.numbers.get_decimal_symbol(_locale(lang)), babel.numbers.get_group_symbol(_locale(lang))


@functools.lru_cache(maxsize=None)
def _number_pattern(decimals: int) -> babel.numbers.NumberPattern:
    """Grouped in thousands, with exactly `decimals` decimals: 1,234.50 for 2."""
    return babel.numbers.parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@functools.lru_cache(maxsize=None)
def _locale(lang: str) -> babel.Locale:
    return babel.Locale.parse(lang)

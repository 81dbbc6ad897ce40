"""The site's own words in each language (site/labels*.yml): trusted Markdown, as `Label`s.

They name no plan: where a label needs the plan's name, its province or the site's name, it says
{plan}, {province}, {issuer}, {period}, {plan_number}, {plan_date}, {plan_title}, {package}, {site_name}
or {site_description}, and
`read_labels(words)` puts the package's own words there (model["words"], from the plan table and
the package's "site" settings). The same goes for the hand-written pages (`fill`).
"""
from __future__ import annotations

import functools
import re

import yaml

from .. import paths
from ..base.text import Label, escape
from .urls import LANGS

# libyaml's parser where PyYAML has it (the same documents, ten times faster than pure Python)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLAN_WORDS = ("plan", "province", "issuer", "period", "plan_number", "plan_date", "plan_title", "package", "site_name",
              "site_description")
_TOKEN = re.compile(r"\{(" + "|".join(PLAN_WORDS) + r")\}")


def read_labels(words: dict[str, dict] | None = None) -> dict[str, dict]:
    """The labels of each language, with the plan's own words (`words[lang]`) in place of their tokens.
    Read once per content of the two files: a build asks five times."""
    texts = (paths.LABELS.read_text(encoding="utf-8"), paths.LABELS_ENTERPRISES.read_text(encoding="utf-8"))
    labels = _parsed(*texts)
    if not words:
        return {lang: dict(found) for lang, found in labels.items()}
    return {lang: {key: (Label(fill(value, words[lang])) if isinstance(value, Label) else value)
                   for key, value in found.items()} for lang, found in labels.items()}


def fill(text: str, words: dict[str, str]) -> str:
    """Trusted Markdown `text` with each {plan}-like token replaced by the plan's word, which is data and
    so escaped (scripts/base/text.py); other braces are left alone (a label's own {n} or {date}, a
    Markdown attribute list)."""
    return _TOKEN.sub(lambda m: escape(words[m.group(1)]), text)


@functools.lru_cache(maxsize=4)
def _parsed(text: str, text_enterprises: str) -> dict[str, dict]:
    labels = yaml.load(text, Loader=_LOADER)
    extra = yaml.load(text_enterprises, Loader=_LOADER)
    for lang in LANGS:
        clash = set(extra[lang]) & set(labels[lang])
        if clash:
            raise ValueError(f"{paths.LABELS_ENTERPRISES.name} redefines {sorted(clash)}")
        labels[lang] = {**labels[lang], **extra[lang]}
        # the site's own words are trusted Markdown; only data text is escaped
        labels[lang] = {key: Label(value) for key, value in labels[lang].items()}
        labels[lang]["_lang"] = lang
    return labels

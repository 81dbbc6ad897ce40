"""The site's own words in each language (site/labels*.yml): trusted Markdown, as `Label`s."""
from __future__ import annotations

import functools

import yaml

from .. import paths
from ..base.text import Label
from .urls import LANGS

# libyaml's parser where PyYAML has it (the same documents, ten times faster than pure Python)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_labels() -> dict[str, dict]:
    """The labels of each language. Read once per content of the two files: a build asks five times."""
    texts = (paths.LABELS.read_text(encoding="utf-8"), paths.LABELS_ENTERPRISES.read_text(encoding="utf-8"))
    return {lang: dict(words) for lang, words in _parsed(*texts).items()}


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

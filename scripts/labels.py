"""The site's own words in each language (site/labels*.yml): trusted Markdown, as `Label`s."""
from __future__ import annotations

import yaml

from . import paths
from .text import Label
from .urls import LANGS


def read_labels() -> dict[str, dict]:
    labels = yaml.safe_load(paths.LABELS.read_text(encoding="utf-8"))
    extra = yaml.safe_load(paths.LABELS_ENTERPRISES.read_text(encoding="utf-8"))
    for lang in LANGS:
        clash = set(extra[lang]) & set(labels[lang])
        if clash:
            raise ValueError(f"{paths.LABELS_ENTERPRISES.name} redefines {sorted(clash)}")
        labels[lang] = {**labels[lang], **extra[lang]}
        # the site's own words are trusted Markdown; only data text is escaped
        labels[lang] = {key: Label(value) for key, value in labels[lang].items()}
        labels[lang]["_lang"] = lang
    return labels

"""The small pages that keep each enterprise's permanent address (ton-vinh/<id>.html) leading to
its entry in the directory, wherever the directory's paging puts it: written after the engine."""
from __future__ import annotations

import posixpath
from pathlib import Path

from . import sharing
from .labels import read_labels
from .pages import directories, environment, overlay
from .urls import LANGS, path_of, site_root


def redirects(model: dict, labels: dict, lang: str) -> dict[str, str]:
    """{path: HTML} of the small pages that keep each enterprise's permanent address
    (ton-vinh/<id>.html) leading to its entry in the directory, wherever the entry now is."""
    page = directories(model["firms"])["enterprise_page"]
    env = overlay(environment(lang, labels), finalize=None)
    template = env.get_template("redirect.html.j2")
    out = {}
    for e in model["firms"]["enterprises"]:
        path = path_of("enterprise", e["id"])
        target = posixpath.relpath(page[e["id"]].replace(".md", ".html"), posixpath.dirname(path)) + "#" + e["id"]
        image = sharing.preview_path(page[e["id"]])       # the card of the page the entry is on
        if site_root(lang):
            image = site_root(lang) + image
        else:
            image = posixpath.relpath(image, posixpath.dirname(path))
        out[path] = template.render(title=e[f"name_{lang}"], target=target, image=image)
    return out


def write_redirects(model: dict, site: Path) -> None:
    """Into the built site (Vietnamese at its root, English in en/), after MkDocs: plain files it
    need not know about."""
    labels = read_labels(model["words"])
    for lang in LANGS:
        root = site if lang == LANGS[0] else site / lang
        for path, text in redirects(model, labels[lang], lang).items():
            target = root / path
            if target.exists():      # never over a page of the site (validation refuses such an id)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

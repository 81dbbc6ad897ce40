"""MkDocs hooks (the generated site/generated/mkdocs.<lang>.yml names this file): what makes a
rebuild after a small change cheap, and nothing else. They change no output: a build without them
(and Zensical, which runs no hooks) makes the same pages; whatever changes output is in our pipeline
(scripts/engines.py) or in a Markdown extension both engines run (scripts/search_sections.py).

1. The theme's templates are compiled by Jinja once, then read from a bytecode cache (Jinja checks
   each template's source against the cache, so an edited template is compiled again).
2. A page's Markdown → HTML conversion is kept, keyed by everything the conversion reads: the page's
   Markdown and address, the Markdown extensions and their settings, the link settings, the list of
   every file of the site (links are checked and rewritten against it), the versions of MkDocs and
   Python-Markdown, and the source of this file and of our Markdown extension. A change to any of
   these is a different key, so a stale page cannot be served. A conversion that logged anything (a
   broken link, say) is never stored: strict mode must see the same warnings on every build.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import jinja2
import markdown
import mkdocs
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from scripts import engines          # run by `python -m mkdocs` from the project: scripts is importable

VERSION = "2"
# the code a page's HTML depends on besides MkDocs and Python-Markdown
_CODE = hashlib.sha256(Path(__file__).read_bytes() + engines.own_extensions_digest().encode()).hexdigest()
CACHE = Path(os.environ.get("PLAN683_MKDOCS_CACHE") or Path(__file__).resolve().parent.parent / "site" / "generated" / ".mkdocs-cache")
_files_keys: dict[int, str] = {}
_used: set[str] = set()


def on_env(env: jinja2.Environment, config, files):
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(_folder("templates")))
    return env


def _folder(name: str) -> Path:
    folder = CACHE / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _files_key(files) -> str:
    """The site's files as links see them; computed once per build."""
    if id(files) not in _files_keys:
        listing = sorted((f.src_uri, f.dest_uri, f.url) for f in files)
        _files_keys[id(files)] = hashlib.sha256(json.dumps(listing).encode()).hexdigest()
    return _files_keys[id(files)]


def _pages(config) -> Path:
    """One folder per language: each language's MkDocs runs in its own process, at the same time."""
    return _folder("pages-" + str(config["theme"]["language"]))


def on_post_build(config):
    """Forget the pages this build did not use (an old version of a changed page)."""
    for path in _pages(config).glob("*.json"):
        if path.stem not in _used:
            path.unlink(missing_ok=True)


def _key(page: Page, config, files) -> str:
    parts = [VERSION, _CODE, mkdocs.__version__, markdown.__version__, page.file.src_uri, page.file.dest_uri,
             repr(config["markdown_extensions"]), repr(sorted((config["mdx_configs"] or {}).items())),
             repr(config["use_directory_urls"]), repr(config["validation"]), _files_key(files), page.markdown]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


class _Logged(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        if record.levelno >= logging.INFO:
            self.count += 1


_render = Page.render


def _cached_render(self: Page, config, files) -> None:
    if self.markdown is None:
        return _render(self, config, files)
    key = _key(self, config, files)
    _used.add(key)
    path = _pages(config) / f"{key}.json"
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        self.content = saved["content"]
        self.toc = get_toc(saved["toc_tokens"])
        self._title_from_render = saved["title"]
        self.present_anchor_ids = set(saved["anchors"])
        if saved["links"] is not None:
            self.links_to_anchors = {files.get_file_from_path(src): links for src, links in saved["links"].items()}
        return None
    logged = _Logged()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(logged)
    tokens = []
    real_convert = markdown.Markdown.convert

    def convert(md, source):            # the toc tokens, which render() reads and then drops
        html = real_convert(md, source)
        tokens.append(getattr(md, "toc_tokens", []))
        return html

    markdown.Markdown.convert = convert
    try:
        _render(self, config, files)
    finally:
        markdown.Markdown.convert = real_convert
        logger.removeHandler(logged)
    if logged.count or len(tokens) != 1:
        return None
    links = self.links_to_anchors
    saved = {"content": self.content, "toc_tokens": tokens[0], "title": self._title_from_render,
             "anchors": sorted(self.present_anchor_ids or (), key=lambda a: (a is None, a or "")),
             "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()}}
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return None


Page.render = _cached_render

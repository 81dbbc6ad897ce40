"""MkDocs hooks (the generated site/generated/mkdocs.<lang>.yml names this file): what makes a
rebuild after a small change cheap, and nothing else. They change no output: a build without them
(and Zensical, which runs no hooks) makes the same pages; whatever changes output is in our pipeline
(scripts/engines/engine.py) or in a Markdown extension both engines run (scripts/engines/search_sections.py).

1. The theme's templates are compiled by Jinja once, then read from a bytecode cache (Jinja checks
   each template's source against the cache, so an edited template is compiled again).
2. A page's Markdown → HTML conversion is kept, keyed by everything the conversion reads: the page's
   Markdown and address, the Markdown extensions and their settings, the link settings, the versions
   of MkDocs and Python-Markdown, and the source of this file and of our Markdown extensions. A change
   to any of these is a different key, so a stale page cannot be served. The conversion also reads the
   site's list of files, to check and rewrite links: each file it looked up is kept with the page (what
   it was, or that it was missing), and a kept page is used only while every one of those lookups
   still gives the same answer. (Keying on the whole list re-made every page whenever a chart was
   added.) A conversion that logged anything (a broken link, say) is never stored: strict mode must
   see the same warnings on every build.
3. A page's entries in the search index are kept, keyed by everything the theme's search plugin reads
   to make them: the page's HTML, address, title, table of contents and front matter, the theme's
   version and this file. Parsing every page's HTML for the index was a third of a rebuild's MkDocs
   time after one new figure, when two or three pages had changed.
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

from scripts.engines import engine  # run by `python -m mkdocs` from the project: scripts is importable

VERSION = "3"
# the code a page's HTML depends on besides MkDocs and Python-Markdown
_CODE = hashlib.sha256(Path(__file__).read_bytes() + engine.own_extensions_digest().encode()).hexdigest()
CACHE = Path(os.environ.get("SITE_MKDOCS_CACHE") or Path(__file__).resolve().parents[2] / "site" / "generated" / ".mkdocs-cache")
_used: set[str] = set()


def on_env(env: jinja2.Environment, config, files):
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(_folder("templates")))
    return env


def _folder(name: str) -> Path:
    folder = CACHE / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _as_seen(file) -> list | None:
    """What a link to a file depends on: where the file is written, its address, whether it is built."""
    return None if file is None else [file.src_uri, file.dest_uri, file.url, str(file.inclusion)]


def _pages(config) -> Path:
    """One folder per language: each language's MkDocs runs in its own process, at the same time."""
    return _folder("pages-" + str(config["theme"]["language"]))


_language: list[str] = []


def on_config(config):
    _language[:] = [str(config["theme"]["language"])]
    return config


def _searches() -> Path:
    return _folder("search-" + _language[0])


def on_post_build(config):
    """Forget the pages and search entries this build did not use (an old version of a changed page)."""
    for folder in (_pages(config), _searches()):
        for path in folder.glob("*.json"):
            if path.stem not in _used:
                path.unlink(missing_ok=True)


def _key(page: Page, config) -> str:
    parts = [VERSION, _CODE, mkdocs.__version__, markdown.__version__, page.file.src_uri, page.file.dest_uri,
             repr(config["markdown_extensions"]), repr(sorted((config["mdx_configs"] or {}).items())),
             repr(config["use_directory_urls"]), repr(config["validation"]), page.markdown]
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
    key = _key(self, config)
    _used.add(key)
    path = _pages(config) / f"{key}.json"
    saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if saved and all(_as_seen(files.get_file_from_path(src)) == seen for src, seen in saved["lookups"]):
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

    lookups = []
    real_lookup = files.get_file_from_path

    def lookup(src):                    # the files a link was checked against, and what was found
        found = real_lookup(src)
        lookups.append([src, _as_seen(found)])
        return found

    markdown.Markdown.convert = convert
    files.get_file_from_path = lookup
    try:
        _render(self, config, files)
    finally:
        markdown.Markdown.convert = real_convert
        del files.get_file_from_path
        logger.removeHandler(logged)
    if logged.count or len(tokens) != 1:
        return None
    links = self.links_to_anchors
    saved = {"content": self.content, "toc_tokens": tokens[0], "title": self._title_from_render,
             "anchors": sorted(self.present_anchor_ids or (), key=lambda a: (a is None, a or "")),
             "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()}, "lookups": lookups}
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return None


Page.render = _cached_render


def _toc_key(items) -> list:
    return [[item.title, item.id, item.level, _toc_key(item.children)] for item in items]


def _search_key(page: Page) -> str:
    import material

    meta = json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=repr)
    parts = [VERSION, _CODE, material.__version__, page.url, str(page.title), meta,
             json.dumps(_toc_key(page.toc), ensure_ascii=False), page.content or ""]
    return "search-" + hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _cache_search_entries() -> None:
    """Wrap the theme's SearchIndex.add_entry_from_context with a cache of the entries it adds."""
    try:
        from material.plugins.search.plugin import SearchIndex, jieba
    except ImportError:                  # another theme: nothing to cache
        return
    if getattr(SearchIndex.add_entry_from_context, "cached", False) or jieba:
        return
    add = SearchIndex.add_entry_from_context

    def cached_add(self, page: Page) -> None:
        key = _search_key(page)
        _used.add(key)
        path = _searches() / f"{key}.json"
        if path.exists():
            self.entries.extend(json.loads(path.read_text(encoding="utf-8")))
            return
        before = len(self.entries)
        add(self, page)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.entries[before:], ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    cached_add.cached = True
    SearchIndex.add_entry_from_context = cached_add


_cache_search_entries()

"""What a built site weighs, read from build/ alone (no browser): its size, its search indexes, and
the bytes each page makes a browser fetch — the HTML plus every file of the site it loads."""
from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What a page loads when it opens: scripts, stylesheets, icons, images, frames. Not links people follow.
_LOADS = re.compile(r"<(?:script|img|source|iframe|embed|audio|video|track|object)\b[^>]*?\s(?:src|data|poster)=[\"']([^\"']+)[\"']", re.I)
_SRCSET = re.compile(r"\ssrcset=[\"']([^\"']+)[\"']", re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_LINK_LOADS = re.compile(r"\srel=[\"'][^\"']*\b(?:stylesheet|icon|preload|modulepreload|manifest)\b", re.I)
_HREF = re.compile(r"\shref=[\"']([^\"']+)[\"']", re.I)
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)")
_SEARCH_FORM = re.compile(r"<form\b[^>]*\bname=[\"']search[\"']", re.I)
_WORKER = re.compile(r'"search"\s*:\s*"([^"]+\.js)"')
SEARCH_INDEX = "search/search_index.json"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def search_indexes(build: Path) -> dict[str, int]:
    """Bytes of each language's search index, keyed by its path in build/."""
    return {p.relative_to(build).as_posix(): p.stat().st_size for p in sorted(build.rglob("search_index.json"))}


def page_weights(build: Path, top: int = 10) -> list[dict]:
    """The `top` heaviest pages by what they load themselves (the HTML and the files it names),
    raw and gzipped as a server sends them. `with_search` adds what Material's script fetches once
    the search is first used (site/assets/search.js holds it back until then): the language's search
    index, the search worker and its Lunr files (checked in Chromium)."""
    sizes: dict[Path, int] = {}
    css_refs: dict[Path, set[Path]] = {}
    searches: dict[Path, set[Path]] = {}
    rows = []
    for page in build.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        loads = _loads(text, page, build, css_refs)
        assets = sum(sizes.setdefault(p, p.stat().st_size) for p in loads)
        html = len(text.encode("utf-8"))
        search = _search_files(text, page, build, searches) - loads if _SEARCH_FORM.search(text) else set()
        rows.append({"page": page.relative_to(build).as_posix(), "html": html, "assets": assets, "total": html + assets,
                     "search": sum(sizes.setdefault(p, p.stat().st_size) for p in search), "files": len(loads) + 1,
                     "_loads": loads, "_search": search, "_path": page})
    rows.sort(key=lambda r: (-r["total"], r["page"]))
    out = []
    for r in rows[:top]:
        gz = _gzip_size(r["_path"]) + sum(_gzip_size(p) for p in r["_loads"])
        out.append({k: v for k, v in r.items() if not k.startswith("_")} | {
            "total_gzip": gz, "with_search": r["total"] + r["search"],
            "with_search_gzip": gz + sum(_gzip_size(p) for p in r["_search"])})
    return out


def count_pages(build: Path) -> int:
    """HTML pages, not counting the redirects that keep each enterprise's address (`count_redirects`)."""
    return sum(1 for p in build.rglob("*.html") if not is_redirect(p))


def count_redirects(build: Path) -> int:
    return sum(1 for p in build.rglob("*.html") if is_redirect(p))


def is_redirect(path: Path) -> bool:
    """A small page whose only job is to send the browser on (an enterprise's permanent address)."""
    return path.stat().st_size < 2000 and 'http-equiv="refresh"' in path.read_text(encoding="utf-8", errors="replace")


def _loads(text: str, page: Path, build: Path, css_refs: dict) -> set[Path]:
    targets = set(_LOADS.findall(text))
    for srcset in _SRCSET.findall(text):
        targets |= {part.split()[0] for part in srcset.split(",") if part.strip()}
    for tag in _LINK.findall(text):
        if _LINK_LOADS.search(tag) and (href := _HREF.search(tag)):
            targets.add(href.group(1))
    found = set()
    for target in targets:
        path = _local(target, page, build)
        if path:
            found.add(path)
            if path.suffix == ".css":
                found |= _css_loads(path, build, css_refs)
    return found


def _css_loads(css: Path, build: Path, seen: dict) -> set[Path]:
    if css not in seen:
        seen[css] = set()
        for target in _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            path = _local(target, css, build)
            if path:
                seen[css].add(path)
    return seen[css]


def _local(target: str, page: Path, build: Path) -> Path | None:
    """The file in build/ a reference loads, or None for another host, data: or a missing file."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = Path(os.path.normpath(page.parent / unquote(parts.path)))
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() and path.is_relative_to(build) else None


def _search_files(text: str, page: Path, build: Path, cache: dict) -> set[Path]:
    """The search index of the page's language (the nearest search/ folder above the page), the
    worker named in the page's __config, and the Lunr files for the index's languages."""
    index = next((folder / SEARCH_INDEX for folder in [page.parent, *page.parent.parents]
                  if (folder / SEARCH_INDEX).is_file() or folder == build), None)
    if index is None or not index.is_file():
        return set()
    if index not in cache:
        root = index.parent.parent
        found = {index}
        worker = _WORKER.search(text)
        if worker and (root / worker.group(1)).is_file():
            found.add(root / worker.group(1))
        langs = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", [])
        lunr = root / "assets" / "javascripts" / "lunr" / "min"
        names = ["lunr.stemmer.support.min.js"] + [f"lunr.{lang}.min.js" for lang in langs if lang != "en"]
        names += ["lunr.multi.min.js"] if len(langs) > 1 else []
        found |= {lunr / n for n in names if (lunr / n).is_file()}
        cache[index] = found
    return cache[index]


def _gzip_size(path: Path) -> int:
    data = path.read_bytes()
    if path.suffix in (".png", ".jpg", ".jpeg", ".webp", ".gif", ".woff", ".woff2", ".gz", ".zip", ".xlsx"):
        return len(data)            # already compressed: a server sends these as they are
    return len(gzip.compress(data, compresslevel=6))

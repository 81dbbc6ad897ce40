"""The engines that turn the generated docs folders into HTML: MkDocs with Material (the default)
and Zensical, its authors' successor (Material for MkDocs reaches end of life on 5 May 2027).

Both read the same generated config (site/generated/mkdocs.<lang>.yml) and run the same Markdown
extensions; what differs is here: the command, where the site lands, which of an engine's lines
are its normal progress and which are warnings, and what our pipeline does to its output.
Zensical lives in a virtual environment of its own (.venv-zensical, from requirements-zensical.lock,
`make zensical`), so the default install stays as it is.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

from .. import paths

ENGINES = ("mkdocs", "zensical")
DEFAULT = "mkdocs"
ZENSICAL_VENV = paths.ROOT / ".venv-zensical"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Our own Python-Markdown extensions (named in mkdocs.yml). Both engines keep each page's HTML in a
# cache keyed by its source; the code of these makes that HTML too, so it is part of each cache's key.
OWN_EXTENSIONS = ("search_sections.py", "table_boxes.py")

# An engine's normal progress output; any other line it prints is a warning (strict: the build fails)
PROGRESS = {
    "mkdocs": (),                                   # run with --quiet: it prints nothing unless warned
    "zensical": (re.compile(r"Build started"), re.compile(r"Build finished in [\d.]+\s*(ms|s|m)"),
                 re.compile(r"No issues found")),
}


class EngineMissing(Exception):
    """The engine asked for is not installed."""


def python(engine: str) -> str:
    """The interpreter that runs the engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "mkdocs":
        return sys.executable
    found = os.environ.get("ZENSICAL_PYTHON") or str(ZENSICAL_VENV / "bin" / "python")
    if not Path(found).is_file():
        raise EngineMissing(
            f"Chưa cài Zensical (không có {found}): chạy `make zensical` để cài theo requirements-zensical.lock "
            "vào .venv-zensical, hoặc đặt biến ZENSICAL_PYTHON.\n"
            f"Zensical is not installed (no {found}): run `make zensical`, which installs "
            "requirements-zensical.lock into .venv-zensical, or set ZENSICAL_PYTHON.")
    return found


def command(engine: str, lang: str, out: Path) -> list[str]:
    """Build one language, strictly. MkDocs writes to `out`; Zensical to the config's site_dir
    (it has no option for it), which `collect` then moves to `out`."""
    config = str(paths.mkdocs_config(lang))
    if engine == "mkdocs":
        return [python(engine), "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", config, "--site-dir", str(out)]
    return [python(engine), "-m", "zensical", "build", "--strict", "--config-file", config]


def environment(engine: str, epoch: str) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_COLOR": "1"}
    if engine == "mkdocs":
        env |= {"NO_MKDOCS_2_WARNING": "true", "SITE_MKDOCS_CACHE": str(paths.GENERATED / ".mkdocs-cache")}
    return env


def own_extensions_digest() -> str:
    return hashlib.sha256(b"".join((Path(__file__).parent / name).read_bytes() for name in OWN_EXTENSIONS)).hexdigest()


def prepare(engine: str, lang: str) -> None:
    """Nothing of an earlier run may be taken for this one's output. Zensical's page cache knows the
    page's source, not our extensions' code: it is emptied when that code has changed."""
    if engine == "zensical":
        shutil.rmtree(paths.engine_site_dir(lang), ignore_errors=True)
        stamp, digest = paths.GENERATED / ".zensical-extensions", own_extensions_digest()
        if not stamp.is_file() or stamp.read_text(encoding="utf-8") != digest:
            shutil.rmtree(paths.GENERATED / ".cache", ignore_errors=True)
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(digest, encoding="utf-8")


def warnings(engine: str, output: str) -> list[str]:
    """The lines of an engine's output that are not its normal progress."""
    lines = [_ANSI.sub("", line).rstrip() for line in output.splitlines()]
    return [line for line in lines if line.strip() and not any(p.fullmatch(line.strip()) for p in PROGRESS[engine])]


def collect(engine: str, lang: str, out: Path) -> None:
    """Put the language's site at `out`, finished as our pipeline wants it."""
    if engine == "zensical":
        shutil.move(str(paths.engine_site_dir(lang)), str(out))
    _utf8_search_index(out / "search" / "search_index.json")


def _utf8_search_index(index: Path) -> None:
    """MkDocs writes the search index with \\u escapes; write it as UTF-8: a Vietnamese letter is 2–3
    bytes, not 6, and every search downloads the index. (Zensical's search.json is UTF-8 already.)
    And again as a script: a copy opened from the file system cannot fetch JSON, so
    assets/search.js loads this instead."""
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        index.write_text(text, encoding="utf-8")
        index.with_suffix(".js").write_text(f"var __index = {text};\n", encoding="utf-8")

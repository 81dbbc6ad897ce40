"""Draw Vega-Lite specs to SVG and PNG with vl-convert, and make the site's Vega bundle.

This is the part of the chart stage that runs in other processes (chart workers, the background
bundle), so it imports vl_convert, the standard library and scripts/base/cache.py only: Altair or pandas
would cost each worker half a second to import. Everything it writes goes in place atomically
(cache.atomic_write), so a reader never sees half a file, even if the process is killed.

`python -m scripts.render.vega BUNDLE PARENT_PID` writes the bundle to the file BUNDLE (see
charts.start_bundle) and dies with the process PARENT_PID.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
from pathlib import Path

from scripts.base import cache

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]
BUNDLE_SNIPPET = "window.vegaEmbed = vegaEmbed;"
# In every render key: a change to how charts are drawn (this file) must never be served from the cache
DRAWING = "svg-then-png-2x|" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

_fonts_registered = False


def register_fonts() -> None:
    """Once per process, before the first drawing."""
    global _fonts_registered
    import vl_convert as vlc

    if not _fonts_registered:
        for folder in FONT_DIRS:
            if Path(folder).is_dir():
                vlc.register_font_directory(folder)
        _fonts_registered = True


def render_key(text: str, locale: dict) -> str:
    """Names a drawing by everything that goes into it: vl-convert, this code, the locale, the spec."""
    import vl_convert as vlc

    locale_text = json.dumps(locale, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{vlc.__version__}|{DRAWING}|{locale_text}|{text}".encode()).hexdigest()[:24]


def draw(text: str, locale: dict, svg: Path, png: Path) -> None:
    """Render one spec (its JSON text) to SVG, then the PNG from that SVG, into the two files."""
    import vl_convert as vlc

    register_fonts()
    svg_text = vlc.vegalite_to_svg(json.loads(text), format_locale=locale)
    # The same picture as vegalite_to_png(scale=2), byte for byte, without running Vega a second time
    png_bytes = vlc.svg_to_png(svg_text, scale=2)
    cache.atomic_write(png, png_bytes)
    cache.atomic_write(svg, svg_text.encode("utf-8"))


def write_bundle_file(path: Path) -> None:
    """Vega, Vega-Lite and Vega-Embed in one script (~2.4 s, holding the GIL throughout)."""
    import vl_convert as vlc

    cache.atomic_write(path, vlc.javascript_bundle(BUNDLE_SNIPPET).encode("utf-8"))


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel send SIGTERM when the build's process ends, however it ends."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's atexit handler stops us instead
        pass
    if os.getppid() != parent:  # the parent was gone before we asked
        sys.exit(1)


if __name__ == "__main__":
    # Stopped (Ctrl-C, the parent gone): exit through atomic_write's cleanup, quietly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    _die_with_parent(int(sys.argv[2]))
    write_bundle_file(Path(sys.argv[1]))

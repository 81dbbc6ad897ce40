"""Serve a built site on localhost and drive Debian's Chromium with Playwright."""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(root: Path):
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def screenshots(root: Path, pages: list[str], out: Path) -> list[Path]:
    """Full-page PNGs of each page, phone and desktop sized."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with serve(root) as base, chromium() as browser:
        for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            context = browser.new_context(viewport=size, device_scale_factor=1)
            page = context.new_page()
            for path in pages:
                page.goto(f"{base}/{path}")
                name = path.replace("/", "_").replace(".html", "") or "index"
                target = out / f"{name}.{size_name}.png"
                page.screenshot(path=str(target), full_page=True)
                made.append(target)
            context.close()
    return made


if __name__ == "__main__":
    import sys

    root = Path(sys.argv[1])
    for made in screenshots(root, sys.argv[3:], Path(sys.argv[2])):
        print(made)

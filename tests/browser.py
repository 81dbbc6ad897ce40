"""Serve a built site on localhost and drive Debian's Chromium with Playwright.

Also the shared pieces of the browser tests (tests/test_browser_*.py, which load this module as a
pytest plugin): the session's fixtures (the site served, one Chromium for the interactive tests),
`check_site`, which loads every page of a build once in its own Chromium, several tabs at a time,
and records what a person's browser meets there (`PageReport`), and `bench_web` for `make bench-web`.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.bench.figures import is_redirect

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# WCAG 2.1 levels A and AA, as axe-core tags them
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Smallest tap target for a control that is not a link inside a sentence (WCAG 2.2, 2.5.8: 24 × 24 CSS px)
TAP_TARGET = 24


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Gzip(_Quiet):
    """Text files gzipped, as a static host (GitHub Pages) sends them: for transfer sizes that mean something."""
    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map")

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in self.TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(root: Path, gzipped: bool = False):
    handler = functools.partial(_Gzip if gzipped else _Quiet, directory=str(root))
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


# ---------------------------------------------------------------------------------------------
# Fixtures shared by the browser test modules (each says `pytest_plugins = ["tests.browser"]`)

@pytest.fixture(scope="session")
def site_url(built_site):
    """The real site, built once, served on localhost for the whole session."""
    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make browser` (Debian package chromium).")
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE.relative_to(ROOT)}): run `make browser` (npm ci from package-lock.json).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def site_check(built_site, site_url, axe_source) -> dict[str, PageReport]:
    """Every page of the built site, both languages, loaded and checked once (see `check_page`)."""
    import asyncio
    import concurrent.futures

    pages = html_pages(built_site)
    # its own thread: the async API cannot start while the sync one (fixture `browser`) holds this thread
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, check_site(site_url, pages, axe_source)).result()


# ---------------------------------------------------------------------------------------------
# What is checked on a page

def html_pages(root: Path) -> list[str]:
    """Every page of a build, both languages, as paths relative to its root ("en/index.html");
    not the redirects that keep old addresses alive (see `redirect_pages`)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if not is_redirect(p))


def redirect_pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if is_redirect(p))



def language_of(path: str) -> str:
    return "en" if path.startswith("en/") else "vi"


@dataclass
class PageReport:
    path: str
    lang: str = ""                                               # <html lang>
    requests: list[str] = field(default_factory=list)            # every URL the page asked for
    failed: list[str] = field(default_factory=list)              # "URL (reason)" or "URL (HTTP 404)"
    console_errors: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)          # "rule-id: selector"
    not_focusable: list[str] = field(default_factory=list)       # controls a keyboard cannot reach
    scroll_width: int = 0                                        # on a phone
    small_targets: list[str] = field(default_factory=list)       # on a phone
    unexplained: list[str] = field(default_factory=list)         # charts without words or table, colour-only status
    layout_shift: dict[str, float] = field(default_factory=dict)  # cumulative layout shift while loading, per size


# Theme parts that look like controls but have a keyboard way of their own, so need no tab stop:
# the click-outside overlays and the search box's icons (Escape closes and clears the search), the
# titles of the navigation drawer's levels, and "back to top" (the Home key).
KEYBOARD_EXEMPT = ".md-overlay, .md-search__overlay, .md-search__icon, .md-search__options, .md-nav__title, .md-top"

# In the page: controls that are shown but out of the keyboard's reach (tabindex -1, or a label or
# an element with a click role that cannot take focus).
NOT_FOCUSABLE_JS = """(exempt) => {
  // laid out, not hidden, not inside a closed <details>
  const shown = el => el.getClientRects().length > 0
    && el.checkVisibility({visibilityProperty: true, opacityProperty: false, contentVisibilityAuto: true})
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "")
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=tab], label[for], [onclick]")
  const out = []
  for (const el of controls) {
    if (!shown(el) || el.closest("[inert], [aria-hidden=true]") || el.closest(exempt) || el.disabled) continue
    if (el.tagName === "LABEL" && !el.hasAttribute("tabindex")) {
      const target = document.getElementById(el.htmlFor)
      const inner = el.querySelector("a[href], button, [tabindex]:not([tabindex='-1'])")
      if (!(target && shown(target) && target.tabIndex >= 0) && !inner) out.push(name(el))
    } else if (el.tabIndex < 0 || el.tabIndex > 0) {
      out.push(name(el) + " tabindex=" + el.getAttribute("tabindex"))
    }
  }
  return out
}"""

# In the page, on a phone: controls smaller than TAP_TARGET, unless one of WCAG 2.2's exceptions
# (2.5.8) holds: a link inside a sentence, or a small target with room around it (a circle of
# TAP_TARGET across, centred on it, meets no other target and no other small target's circle).
SMALL_TARGETS_JS = """(size) => {
  const inSentence = el => {
    if (getComputedStyle(el).display !== "inline") return false
    const block = el.parentElement.closest("p, li, td, th, dd, dt, figcaption, h1, h2, h3, h4, h5, h6, blockquote, summary")
    return !!block && block.textContent.trim().length > el.textContent.trim().length
  }
  const targets = []
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button]")) {
    const box = el.getBoundingClientRect()
    if (box.width === 0 || box.height === 0 || !el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue
    if (el.closest("[inert], [aria-hidden=true], .md-sidebar, .md-search")) continue      // closed drawer, search
    if (box.right <= 0 || box.left >= window.innerWidth) continue                       // off screen
    targets.push({el, box, small: box.width < size || box.height < size, x: box.left + box.width / 2,
                  y: box.top + window.scrollY + box.height / 2, top: box.top + window.scrollY})
  }
  const distanceToBox = (t, o) => {
    const dx = Math.max(o.box.left - t.x, 0, t.x - o.box.right)
    const dy = Math.max(o.top - t.y, 0, t.y - (o.top + o.box.height))
    return Math.hypot(dx, dy)
  }
  const out = []
  for (const t of targets) {
    if (!t.small || inSentence(t.el) || t.el.classList.contains("headerlink")) continue
    const crowded = targets.some(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) &&
      (o.small ? Math.hypot(o.x - t.x, o.y - t.y) < size : distanceToBox(t, o) < size / 2))
    if (crowded)
      out.push(`${t.el.tagName.toLowerCase()} "${(t.el.textContent || t.el.getAttribute("aria-label") || "").trim().slice(0, 40)}" ${Math.round(t.box.width)}×${Math.round(t.box.height)}`)
  }
  return out
}"""


# In the page: a chart (figure.chart) needs a text alternative and its numbers in a table before the
# next heading; a status badge (class status--*) needs words, not only its colour.
UNEXPLAINED_JS = """() => {
  const out = []
  document.querySelectorAll("article figure.chart").forEach((figure, i) => {
    const picture = figure.querySelector("img, svg, canvas")
    const name = picture && (picture.getAttribute("alt") || picture.getAttribute("aria-label") || picture.querySelector("title")?.textContent || "")
    if (!name || !name.trim()) out.push(`chart ${i + 1}: no text alternative`)
    let next = figure.nextElementSibling, table = false
    while (next && !/^H[1-6]$/.test(next.tagName) && !table) {
      table = next.matches("table, .md-typeset__scrollwrap") || !!next.querySelector("table")
      next = next.nextElementSibling
    }
    if (!table && !figure.querySelector("table")) out.push(`chart ${i + 1}: its numbers are in no table`)
  })
  document.querySelectorAll("[class*='status--']").forEach(el => {
    if (!el.textContent.trim() && !el.getAttribute("aria-label")) out.push(`status "${el.className}" shown by colour only`)
  })
  return out
}"""


def watch(page, report_of):
    """Record on `report_of()` (the report of the page now loading) everything the page does."""
    page.on("request", lambda r: report_of().requests.append(r.url))
    # (a request cut short because the next page was opened, net::ERR_ABORTED, is no fault of the site)
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and report_of().failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and report_of().failed.append(f"{r.url} (HTTP {r.status})"))
    page.on("console", lambda m: m.type == "error" and report_of().console_errors.append(f"{m.text} [{m.location.get('url')}]"))
    page.on("pageerror", lambda e: report_of().console_errors.append(str(e)))


def is_local(url: str, base: str) -> bool:
    return url == base or url.startswith(base + "/") or urlsplit(url).scheme in ("data", "blob", "about")


# Rules of WCAG 2.1 A/AA whose result can change with the width of the screen; on a phone only these
# run again (all of them ran at desktop size on the same page a moment before).
# (Colours do not change with the width, so color-contrast, the slowest rule, runs only once.)
LAYOUT_RULES = ["scrollable-region-focusable", "meta-viewport", "css-orientation-lock"]

AXE_JS = """async (options) => {
  const r = await axe.run(document, {...options, resultTypes: ["violations"]})
  return r.violations.map(v => v.nodes.map(n => v.id + ": " + n.target.join(" ") + " (" + v.help + ")")).flat()
}"""


# In the page: the cumulative layout shift so far, from the browser's own record of the load (the
# observer's buffered entries, read at once); shifts just after a click or key press do not count.
LAYOUT_SHIFT_JS = """() => {
  const observer = new PerformanceObserver(() => {})
  observer.observe({type: "layout-shift", buffered: true})
  const shifts = observer.takeRecords()
  observer.disconnect()
  return shifts.filter(s => !s.hadRecentInput).reduce((sum, s) => sum + s.value, 0)
}"""


async def check_page(page, url: str, report: PageReport, settle) -> None:
    """Load one page at desktop size, check it, then load and check it again at phone size."""
    await page.set_viewport_size(DESKTOP)
    await page.goto(url, wait_until="load")
    await settle(page)
    report.layout_shift["desktop"] = await page.evaluate(LAYOUT_SHIFT_JS)
    report.lang = await page.evaluate("document.documentElement.lang")
    report.violations = await page.evaluate(AXE_JS, {"runOnly": {"type": "tag", "values": WCAG21_AA}})
    report.not_focusable = await page.evaluate(NOT_FOCUSABLE_JS, KEYBOARD_EXEMPT)
    report.unexplained = await page.evaluate(UNEXPLAINED_JS)
    await page.set_viewport_size(PHONE)
    await page.reload(wait_until="load")          # a phone's own load: the shift of a resize is no shift of loading
    await settle(page)
    report.layout_shift["phone"] = await page.evaluate(LAYOUT_SHIFT_JS)
    report.scroll_width = await page.evaluate("document.scrollingElement.scrollWidth")
    report.small_targets = await page.evaluate(SMALL_TARGETS_JS, TAP_TARGET)
    report.not_focusable += [f"{c} (phone)" for c in await page.evaluate(NOT_FOCUSABLE_JS, KEYBOARD_EXEMPT) if c not in report.not_focusable]
    report.violations += [f"{v} (phone)" for v in await page.evaluate(AXE_JS, {"runOnly": {"type": "rule", "values": LAYOUT_RULES}})]
    report.cookies = [c["name"] for c in await page.context.cookies()]


async def _settle(page) -> None:
    """Two animation frames: the page's own scripts have reacted to the load or the new size."""
    await page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


async def check_site(base: str, pages: list[str], axe_source: str, tabs: int = max(2, os.cpu_count() or 2)) -> dict[str, PageReport]:
    """Every page, in one browser and one context, `tabs` pages at a time (each tab is its own process)."""
    import asyncio

    from playwright.async_api import async_playwright

    reports = {path: PageReport(path) for path in pages}
    queue = list(pages)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = await browser.new_context(viewport=DESKTOP, device_scale_factor=1)
        await context.add_init_script(axe_source)

        async def tab():
            page = await context.new_page()
            current = {}
            watch(page, lambda: current["report"])
            while queue:
                path = queue.pop(0)
                current["report"] = reports[path]
                await check_page(page, f"{base}/{path}", reports[path], _settle)
                await context.clear_cookies()
            await page.close()

        await asyncio.gather(*(tab() for _ in range(tabs)))
        await browser.close()
    return reports


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


# ---------------------------------------------------------------------------------------------
# `make bench-web`: Lighthouse (npm, pinned in package-lock.json) with Debian's Chromium

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time",
           "CLS": "cumulative-layout-shift"}
RUNS = 3
README = ROOT / "README.md"
README_TABLE = ("<!-- bench-web table: written by `make bench-web` -->", "<!-- end of bench-web table -->")


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run, mobile settings (its defaults: a mid-range phone, slow 4G simulated)."""
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return lighthouse_figures(json.loads(out.read_text(encoding="utf-8")))


def lighthouse_figures(result: dict) -> dict:
    """What the report keeps of one Lighthouse result."""
    items = result["audits"]["network-requests"]["details"]["items"]
    return {
        "scores": {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics": {name: result["audits"][audit]["numericValue"] for name, audit in METRICS.items()},
        "transferred_bytes": sum(i.get("transferSize", 0) for i in items),
        "requests": len(items),
        "benchmark_index": result["environment"]["benchmarkIndex"],
        "failed_audits": sorted(a["id"] for a in result["audits"].values()
                                if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric")
                                and any(a["id"] in [r["id"] for r in result["categories"][c]["auditRefs"] if r["weight"] > 0] for c in CATEGORIES)),
    }


def median_of_runs(runs: list[dict]) -> dict:
    """The median of each score and figure over the runs (each on its own: the runs of a busy machine differ)."""
    from statistics import median

    return {
        "scores": {c: median(r["scores"][c] for r in runs) for c in CATEGORIES},
        "performance_runs": [r["scores"]["performance"] for r in runs],
        "metrics": {m: median(r["metrics"][m] for r in runs) for m in METRICS},
        "transferred_bytes": median(r["transferred_bytes"] for r in runs),
        "requests": median(r["requests"] for r in runs),
        "benchmark_index": median(r["benchmark_index"] for r in runs),
        "failed_audits": sorted({a for r in runs for a in r["failed_audits"]}),
    }


# The kinds of page measured (issue 17), by their key in scripts.render.urls.PATHS. For a kind with many
# pages (a task, a target, an agency, a part of the honours directory) the largest one is measured.
BENCH_KINDS = [("home", "home"), ("plan", "plan"), ("a task", "task"), ("a target", "target"),
               ("progress overview", "targets"), ("context", "context"), ("calendar", "calendar"),
               ("agencies", "agencies"), ("an agency", "agency"), ("support finder", "support"),
               ("honours directory", "honours"), ("a part of the honours directory", "honours_group"),
               ("enterprise directory", "enterprises"), ("open data", "data"), ("data dictionary", "dictionary")]
# Kinds today's data does not have (the honours fit on one page): measured on a synthetic package at this
# scale (tests/bench/synthetic.py, built in a temp folder, never published) and marked so in the report.
SYNTHETIC_SCALE = 10
SYNTHETIC_PREFIX = "synthetic/"


def bench_pages(root: Path) -> dict[str, str]:
    """Each kind of page of BENCH_KINDS that the build has: name → path in the build."""
    from scripts.render.urls import PATHS

    chosen = {}
    for name, kind in BENCH_KINDS:
        pattern = PATHS[kind].replace(".md", ".html")
        if "{id}" in pattern:
            candidates = [p for p in root.glob(pattern.replace("{id}", "*")) if p.name != "index.html" and not is_redirect(p)]
            if candidates:
                chosen[name] = max(candidates, key=lambda p: (p.stat().st_size, p.name)).relative_to(root).as_posix()
        elif (root / pattern).is_file():
            chosen[name] = pattern
    return chosen


def _kb(n: float) -> str:
    return f"{n / 1024:.0f} KB"


def bench_table(results: dict[str, tuple[str, dict]]) -> list[str]:
    """The Markdown table of the medians: one row per kind of page."""
    rows = ["| page | performance (median; each run) | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | transferred | host CPU index |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, (path, r) in results.items():
        m = r["metrics"]
        rows.append(f"| {name} (`{path}`) | **{r['scores']['performance']:g}** ({', '.join(map(str, r['performance_runs']))}) | "
                    f"{r['scores']['accessibility']:g} | {r['scores']['best-practices']:g} | {r['scores']['seo']:g} | "
                    f"{m['FCP'] / 1000:.1f} s | {m['LCP'] / 1000:.1f} s | {m['TBT']:.0f} ms | {m['CLS']:.3f} | "
                    f"{_kb(r['transferred_bytes'])} in {r['requests']:g} | {r['benchmark_index']:.0f} |")
    return rows


def bench_web(out: Path, runs: int = RUNS) -> str:
    """Build the site (with SITE_URL, as published), serve it gzipped on localhost, run Lighthouse
    `runs` times on each kind of page, keeping every run's JSON; then the report (`bench_web_report`)."""
    import datetime
    import tempfile

    from scripts import settings
    from scripts.engines.build import build

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "build"
        build(root)
        pages = bench_pages(root)
        sites = {"": root}
        missing = [name for name, _ in BENCH_KINDS if name not in pages]
        if missing:
            sites[SYNTHETIC_PREFIX] = _synthetic_build(Path(scratch) / "synthetic")
            pages |= {name: SYNTHETIC_PREFIX + path for name, path in bench_pages(sites[SYNTHETIC_PREFIX]).items() if name in missing}
        for prefix, site in sites.items():
            measured = [path.removeprefix(prefix) for path in pages.values() if path.startswith(SYNTHETIC_PREFIX) == bool(prefix)]
            with serve(site, gzipped=True) as base:
                for path in measured:
                    for i in range(runs):
                        lighthouse(f"{base}/{path}", out / f"{_stem(prefix + path)}.{i + 1}.json")
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    run = {"pages": pages, "runs": runs, "lighthouse": version, "site_url": settings.SITE_URL,
           "date": datetime.date.today().isoformat()}
    (out / "runs.json").write_text(json.dumps(run, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return bench_web_report(out)


def _synthetic_build(work: Path) -> Path:
    """The site built from a synthetic package at SYNTHETIC_SCALE, in a process of its own with its own
    caches (tests/bench/measure.py), so the project's site/generated/ is left as it was."""
    from tests.bench.synthetic import generate

    package = generate(work / "data", SYNTHETIC_SCALE)
    subprocess.run([sys.executable, "-m", "tests.bench.measure", str(work), str(package), "--runs", "clean"], cwd=ROOT, check=True)
    return work / "build"


def _stem(path: str) -> str:
    return path.replace("/", "_").replace(".html", "")


def bench_web_report(out: Path, readme: Path | None = None) -> str:
    """The medians of the runs kept in `out` (runs.json and one JSON per run) as a Markdown report,
    written to out/report.md and into the README's table; returned."""
    run = json.loads((out / "runs.json").read_text(encoding="utf-8"))
    results = {name: (path, median_of_runs([lighthouse_figures(json.loads((out / f"{_stem(path)}.{i + 1}.json").read_text(encoding="utf-8")))
                                             for i in range(run["runs"])]))
               for name, path in run["pages"].items()}
    below = [name for name, (_, r) in results.items() if r["scores"]["performance"] < 95]
    audits = sorted({a for _, r in results.values() for a in r["failed_audits"]})
    hosts = [r["benchmark_index"] for _, r in results.values()]
    table = bench_table(results)
    summary = (f"Lighthouse {run['lighthouse']}, mobile settings (a mid-range phone on a slow 4G line, simulated), "
               f"{run['date']}, {run['runs']} runs per page, medians; the site built with "
               f"SITE_URL={run['site_url'] or '(unset)'} and served gzip-compressed from localhost, as a static host does. "
               f"Performance below 95: {', '.join(below) or 'none'}. Lighthouse simulates the phone's CPU as 4 times slower "
               "than the machine it runs on, a factor calibrated for a high-end desktop (a CPU index of 1,500–2,000 in "
               f"Lighthouse's own benchmark); this machine's index was {min(hosts):.0f}–{max(hosts):.0f} (busy with other work), "
               "so the blocking time (TBT) and the performance score here are an upper and a lower bound.")
    missing = [name for name, _ in BENCH_KINDS if name not in run["pages"]]
    if missing:
        summary += f" Not in this build, so not measured: {', '.join(missing)}."
    synthetic = [name for name, path in run["pages"].items() if path.startswith(SYNTHETIC_PREFIX)]
    if synthetic:
        summary += (f" Not in today's data, so measured on a synthetic package at {SYNTHETIC_SCALE}× (made up, built in a "
                    f"temporary folder, never published; its path starts with \"{SYNTHETIC_PREFIX}\"): {', '.join(synthetic)}.")
    report = "\n".join([summary, "", *table, "", "Audits not passed in some run: " + (", ".join(audits) or "none") + "."])
    (out / "report.md").write_text(report + "\n", encoding="utf-8")
    _write_readme_table(readme or README, [summary, "", *table])     # README read now: a test points it elsewhere
    return report


def _write_readme_table(readme: Path, lines: list[str]) -> None:
    """Replace the README's bench-web table (between its two markers) with this run's."""
    start, end = README_TABLE
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after, encoding="utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["lighthouse"]:              # python -m tests.browser lighthouse OUT [RUNS]
        print(bench_web(Path(sys.argv[2]), int(sys.argv[3]) if sys.argv[3:] else RUNS))
    elif sys.argv[1:2] == ["lighthouse-report"]:     # python -m tests.browser lighthouse-report OUT: again from its JSON
        print(bench_web_report(Path(sys.argv[2])))
    else:                                            # python -m tests.browser BUILD OUT PAGE...
        for made in screenshots(Path(sys.argv[1]), sys.argv[3:], Path(sys.argv[2])):
            print(made)

"""Every page of the built site, in both languages, opened in headless Chromium.

The pages are found by walking the build for *.html, so a page added to the site is checked as soon
as it is built. Each page is loaded once (tests/browser.py, `check_page`): at desktop size for
axe-core (WCAG 2.1 A and AA), the keyboard and the language; then at 360 × 640 for the phone layout.
Each test below reads those records and lists the pages that fail, with what failed.
"""
import re

import pytest

pytest.register_assert_rewrite("tests.browser")
from tests.browser import ARTIFACTS, PHONE, html_pages, is_local, language_of, redirect_pages, serve  # noqa: E402

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser


def failures(site_check, field: str) -> dict[str, list[str]]:
    return {path: getattr(report, field) for path, report in site_check.items() if getattr(report, field)}


def test_every_page_of_both_languages_was_checked(built_site, site_check):
    pages = html_pages(built_site)
    assert sorted(site_check) == pages
    assert {language_of(p) for p in pages} == {"vi", "en"}
    assert len([p for p in pages if language_of(p) == "vi"]) == len([p for p in pages if language_of(p) == "en"])
    not_loaded = [path for path, report in site_check.items() if not report.requests or not report.scroll_width]
    assert not_loaded == []


def test_every_permanent_address_leads_to_its_entry(built_site, browser, site_url):
    """ton-vinh/<id>.html, an enterprise's address, sends the browser to its entry in the directory:
    in the file (every one), and in Chromium (one per language)."""
    stubs = redirect_pages(built_site)
    assert len(stubs) >= 8 and all(s.split("/")[-2] == "ton-vinh" for s in stubs)
    for stub in stubs:
        text = (built_site / stub).read_text(encoding="utf-8")
        target = re.search(r'content="0; url=([^"#]+)#([a-z0-9-]+)"', text)
        page = (built_site / stub).parent / target.group(1)
        assert f'id="{target.group(2)}"' in page.read_text(encoding="utf-8"), stub
        assert f'href="{target.group(1)}#{target.group(2)}"' in text          # a link, for a browser that does not follow
    for stub in (stubs[0], next(s for s in stubs if s.startswith("en/"))):
        tab = browser.new_page()
        try:
            tab.goto(f"{site_url}/{stub}")
            tab.wait_for_url(re.compile(r"/doanh-nghiep/[^/]+\.html#"), timeout=10_000)
            anchor = tab.url.split("#")[1]
            assert tab.locator(f"h3#{anchor}").is_visible()
        finally:
            tab.close()


def test_no_wcag_21_a_or_aa_violation(site_check):
    assert failures(site_check, "violations") == {}


def test_every_page_says_its_language(site_check):
    wrong = {path: report.lang for path, report in site_check.items() if report.lang != language_of(path)}
    assert wrong == {}


def test_nothing_comes_from_another_host_and_no_cookie_is_set(site_check, site_url):
    elsewhere = {path: [u for u in report.requests if not is_local(u, site_url)] for path, report in site_check.items()}
    assert {path: urls for path, urls in elsewhere.items() if urls} == {}
    assert failures(site_check, "cookies") == {}
    # the recording works: every page asked the local server for itself
    assert [path for path, r in site_check.items() if f"{site_url}/{path}" not in r.requests] == []


def test_no_console_error_failed_request_or_missing_file(site_check):
    assert failures(site_check, "failed") == {}
    assert failures(site_check, "console_errors") == {}


# Cumulative layout shift while a page loads: "good" is under 0.1; this site keeps under half of it.
MAX_LAYOUT_SHIFT = 0.05
# What search needs, which a page asks for only once the search is opened or focused (assets/search.js).
SEARCH_FILES = re.compile(r"/search/search_index\.js(on)?$|/workers/search\.[^/]*\.js$|/lunr/")


def test_nothing_moves_as_a_page_loads(site_check):
    """Each page loaded at desktop size and again at 360 × 640, its scripts running (the filters too)."""
    moved = {path: {size: round(shift, 3) for size, shift in report.layout_shift.items() if shift > MAX_LAYOUT_SHIFT}
             for path, report in site_check.items()}
    assert {path: sizes for path, sizes in moved.items() if sizes} == {}
    assert [path for path, report in site_check.items() if sorted(report.layout_shift) != ["desktop", "phone"]] == []


def test_nothing_moves_as_a_page_loads_without_javascript(built_site, browser, site_url):
    """The pages whose scripts reveal or hide parts (the filters, the interactive charts), and every
    page with a picture, loaded with JavaScript off: the layout a script then changes is the same."""
    from tests.browser import DESKTOP, LAYOUT_SHIFT_JS

    pages = [p for p in html_pages(built_site)
             if re.search(r"data-filter|chart-interactive|<img ", (built_site / p).read_text(encoding="utf-8"))]
    assert len(pages) >= 4
    moved = {}
    for size in (DESKTOP, PHONE):
        context = browser.new_context(viewport=size, java_script_enabled=False)
        tab = context.new_page()
        for path in pages:
            tab.goto(f"{site_url}/{path}", wait_until="load")
            shift = tab.evaluate(LAYOUT_SHIFT_JS)
            if shift > MAX_LAYOUT_SHIFT:
                moved[f"{path} ({size['width']} px)"] = round(shift, 3)
        context.close()
    assert moved == {}


def test_search_loads_only_when_it_is_used(site_check):
    early = {path: [u for u in report.requests if SEARCH_FILES.search(u)] for path, report in site_check.items()}
    assert {path: urls for path, urls in early.items() if urls} == {}


def test_the_keyboard_can_reach_every_control(site_check):
    assert failures(site_check, "not_focusable") == {}


def test_no_page_scrolls_sideways_on_a_phone(site_check):
    wide = {path: report.scroll_width for path, report in site_check.items() if report.scroll_width > PHONE["width"]}
    assert wide == {}


def test_tap_targets_are_big_enough_on_a_phone(site_check):
    assert failures(site_check, "small_targets") == {}


def test_charts_have_words_and_a_table_and_status_is_not_colour_alone(site_check):
    assert failures(site_check, "unexplained") == {}


def test_external_links_are_listed_and_well_formed(built_site):
    """Links out of the site are not fetched (no network here); they are listed for a person to check,
    in tests/artifacts/external-links.md, and each must be a complete http(s) address."""
    from html.parser import HTMLParser
    from urllib.parse import urlsplit

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href and re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I):
                self.hrefs.append(href)

    found = {}
    for path in html_pages(built_site):
        parser = Links()
        parser.feed((built_site / path).read_text(encoding="utf-8"))
        for href in parser.hrefs:
            found.setdefault(href, []).append(path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = ["# External links in the built site (not fetched)", "", "| link | pages | first page |", "|---|---|---|"]
    lines += [f"| {href} | {len(pages)} | {pages[0]} |" for href, pages in sorted(found.items())]
    (ARTIFACTS / "external-links.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    malformed = [href for href in found
                 if not (urlsplit(href).scheme in ("http", "https", "mailto", "tel") and (urlsplit(href).netloc or urlsplit(href).scheme in ("mailto", "tel")))
                 or " " in href]
    assert found, "no link out of the site at all: the sources should be linked"
    assert malformed == []


# The theme's script (Material's bundle): asked for only at the visitor's first action (assets/theme.js).
THEME_BUNDLE = re.compile(r"/assets/javascripts/bundle\.[^/]*\.js$")
TABLE_BOXES = """() => [...document.querySelectorAll("article table, article .md-typeset__scrollwrap")]
  .filter(el => el.tagName === "TABLE" || !el.parentElement.closest(".md-typeset__scrollwrap"))
  .map(el => { const r = el.getBoundingClientRect(); return [el.tagName, r.x, r.y + scrollY, r.width, r.height].map(v => typeof v === "number" ? Math.round(v) : v) })"""


@pytest.mark.parametrize("path", ["index.html", "du-lieu/tu-dien.html", "ton-vinh/index.html", "doanh-nghiep/index.html",
                                  "en/co-quan/index.html", "en/du-lieu/tu-dien.html"])
def test_the_theme_script_starts_at_the_first_action_and_moves_nothing(browser, site_url, path):
    """A page loads without the theme's bundle; the first scroll starts it (it mounts: window.component$);
    then the tables and their boxes are where they were, nothing has shifted, and nothing failed."""
    from tests.browser import DESKTOP, LAYOUT_SHIFT_JS

    for size in (PHONE, DESKTOP):
        context = browser.new_context(viewport=size)
        tab = context.new_page()
        requests, problems = [], []
        tab.on("request", lambda r: requests.append(r.url))
        tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
        tab.on("pageerror", lambda e: problems.append(str(e)))
        try:
            tab.goto(f"{site_url}/{path}", wait_until="load")
            tab.wait_for_timeout(300)
            assert [u for u in requests if THEME_BUNDLE.search(u)] == [], f"{path} at {size}: the bundle came with the page"
            assert tab.evaluate("typeof window.component$") == "undefined"
            assert tab.evaluate("document.documentElement.classList.contains('js')")   # drawn as the theme will draw it
            boxes = tab.evaluate(TABLE_BOXES)
            tab.mouse.move(size["width"] // 2, size["height"] // 2)
            tab.mouse.wheel(0, 1)
            tab.wait_for_function("() => typeof window.component$ !== 'undefined'", timeout=10_000)
            tab.wait_for_timeout(300)
            assert len([u for u in requests if THEME_BUNDLE.search(u)]) == 1
            assert tab.evaluate(TABLE_BOXES) == boxes, f"{path} at {size}: a table moved when the theme started"
            assert tab.evaluate(LAYOUT_SHIFT_JS) <= MAX_LAYOUT_SHIFT
            assert problems == []
        finally:
            context.close()


def test_the_dictionary_folds_each_tables_columns_and_a_printout_shows_them_all(browser, site_url, built_site):
    """The data dictionary lays out one table's columns when asked (issue 17: 28 tables laid out on
    arrival cost a phone a second); the print button's script opens them all for paper, then folds
    back what was folded."""
    import json

    resources = json.loads((built_site / "du-lieu" / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    tab = browser.new_page(viewport=PHONE)
    try:
        tab.goto(f"{site_url}/du-lieu/tu-dien.html", wait_until="load")
        folds = tab.locator("details.dictionary-fields")
        assert folds.count() == len(resources)
        assert tab.evaluate("[...document.querySelectorAll('details.dictionary-fields')].filter(d => d.open).length") == 0
        assert not tab.locator("details.dictionary-fields table").first.is_visible()
        folds.first.locator("summary").click()
        assert folds.first.locator("table").is_visible()
        tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert tab.evaluate("[...document.querySelectorAll('details.dictionary-fields')].every(d => d.open)")
        tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert tab.evaluate("[...document.querySelectorAll('details.dictionary-fields')].map(d => d.open)") == [True] + [False] * (len(resources) - 1)
    finally:
        tab.close()


@pytest.fixture(scope="module")
def long_honours_page(built_site, tmp_path_factory):
    """The real honours page with its tables replaced by 250 synthetic honours (tests/bench/synthetic.py,
    in a temp folder, never published): the built page's theme, styles and scripts, a list long enough
    to come in parts. Served from a folder holding only that page and the build's assets."""
    import markdown

    from scripts.data.load import descriptor, load
    from scripts.data.model import build_model
    from scripts.engines.table_boxes import TableBoxesExtension
    from scripts.render import pages
    from tests.bench.synthetic import generate
    from tests.enterprise_wiring import render_page

    root = tmp_path_factory.mktemp("long-honours")
    package = generate(root / "data", 0.5)
    model = build_model(load(package), descriptor(package), package.parent)
    spec = next(p for p in pages.enterprise_page_specs(model["firms"]) if p.path == "ton-vinh/index.md")
    text = render_page(spec, model, "vi").split("---\n", 2)[-1]
    article = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "toc", TableBoxesExtension()])
    page = (built_site / "ton-vinh" / "index.html").read_text(encoding="utf-8")
    start = page.index('<article class="md-content__inner md-typeset">') + len('<article class="md-content__inner md-typeset">')
    site = root / "site"
    (site / "ton-vinh").mkdir(parents=True)
    (site / "assets").symlink_to(built_site / "assets")
    (site / "ton-vinh" / "index.html").write_text(page[:start] + article + page[page.index("</article>", start):], encoding="utf-8")
    with serve(site) as base:
        yield f"{base}/ton-vinh/index.html"


PARTS_JS = """() => [...document.querySelectorAll(".table-parts")].map(box => [...box.querySelectorAll(".table-part")].map(part => ({
  rendered: part.querySelector("tbody tr").checkVisibility({contentVisibilityAuto: true}),
  style: getComputedStyle(part).contentVisibility,
  columns: [...part.querySelectorAll("thead th")].map(th => { const r = th.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)] }),
  rows: part.querySelectorAll("tbody tr").length, hidden: part.hidden,
  shown: [...part.querySelectorAll("tbody tr")].filter(tr => !tr.hidden).length })))"""


def test_a_long_list_of_honours_is_laid_out_a_part_at_a_time(browser, long_honours_page, axe_source):
    """Issue 17: a phone laid out a 345-row table on arrival (Lighthouse 77-93 at 10×). The rows come in
    tables of 50, each laid out when it nears the screen (content-visibility): the parts below are not
    rendered on arrival, their columns line up with the first part's, the keyboard walks into them in
    order, the filter hides a part it empties, nothing moves and axe finds nothing."""
    from scripts.render import paging
    from tests.browser import AXE_JS, DESKTOP, LAYOUT_SHIFT_JS, WCAG21_AA

    for size in (PHONE, DESKTOP):
        context = browser.new_context(viewport=size)
        context.add_init_script(axe_source)
        tab = context.new_page()
        problems = []
        tab.on("pageerror", lambda e: problems.append(str(e)))
        try:
            tab.goto(long_honours_page, wait_until="load")
            tab.wait_for_timeout(300)
            assert tab.evaluate(LAYOUT_SHIFT_JS) <= MAX_LAYOUT_SHIFT
            boxes = tab.evaluate(PARTS_JS)
            longest = max(boxes, key=len)
            assert len(longest) >= 2 and all(len(parts) >= 2 for parts in boxes)
            for parts in boxes:
                assert [p["rows"] for p in parts[:-1]] == [paging.TABLE_PART] * (len(parts) - 1)
                assert {p["style"] for p in parts} == {"auto"}
                assert len({tuple(map(tuple, p["columns"])) for p in parts}) == 1, f"{size}: the parts' columns do not line up"
            assert not all(p["rendered"] for parts in boxes for p in parts), f"{size}: every part was laid out on arrival"
            # the keyboard: from the last link of the next-to-last part, Tab goes to the first link of the last one
            box = tab.evaluate_handle("[...document.querySelectorAll('.table-parts')].sort((a, b) => b.children.length - a.children.length)[0]")
            assert not box.evaluate("b => b.lastElementChild.querySelector('tbody tr').checkVisibility({contentVisibilityAuto: true})")
            box.evaluate("b => [...b.children].at(-2).querySelectorAll('a').item([...b.children].at(-2).querySelectorAll('a').length - 1).focus()")
            tab.keyboard.press("Tab")
            assert box.evaluate("b => document.activeElement === b.lastElementChild.querySelector('tbody a')")
            assert box.evaluate("b => b.lastElementChild.querySelector('tbody tr').checkVisibility({contentVisibilityAuto: true})")
            violations = tab.evaluate(AXE_JS, {"runOnly": {"type": "tag", "values": WCAG21_AA}})
            # and WCAG 2.2's tap targets, which a part not laid out yet must not make overlap
            violations += tab.evaluate(AXE_JS, {"runOnly": {"type": "rule", "values": ["target-size"]}})
            assert violations == [], f"{size}: {violations}"
            # the filter: a name typed, the parts left with no row are hidden, the count says what is shown
            name = box.evaluate("b => b.lastElementChild.querySelector('tbody a').textContent")
            tab.fill("input[name=tim]", name)
            after = [p for parts in tab.evaluate(PARTS_JS) for p in parts]
            assert any(p["hidden"] for p in after) and all(p["hidden"] == (p["shown"] == 0) for p in after)
            shown = sum(p["shown"] for p in after)
            assert 0 < shown < sum(p["rows"] for p in after)
            assert tab.locator("[data-filter-count]").text_content().startswith(f"Đang hiển thị {shown} trên")
            assert problems == []
        finally:
            context.close()

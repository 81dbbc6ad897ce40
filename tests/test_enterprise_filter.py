"""site/assets/filter.js in headless Chromium, on a 360 px phone, on the enterprise pages' own markup.

The pages are rendered from the real data and turned into HTML with the site's Markdown extensions,
without the theme, so the test needs no full build; the built site's pages are checked (WCAG,
keyboard, phone layout) by tests/test_browser_pages.py once they are wired into the build.
"""
import shutil

import markdown
import pytest

from scripts import paths
from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.render import urls
from tests.browser import PHONE, serve
from tests.enterprise_wiring import add_firms, page_specs, render_page, wired

pytestmark = pytest.mark.browser

EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "def_list", "toc"]
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>
<style>body{{margin:0 8px;font-family:sans-serif}} table{{display:block;overflow-x:auto}}</style></head>
<body><article>{body}</article></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The support finder and the honours directory, as plain HTML, with filter.js beside them."""
    root = tmp_path_factory.mktemp("enterprise-pages")
    frames = load()
    model = add_firms(build_model(frames, descriptor()), frames)
    with wired():
        specs = {p.path: p for p in page_specs(model)}
        for kind in ("support", "honours"):
            path = urls.path_of(kind)
            body = markdown.markdown(render_page(specs[path], model, "vi"), extensions=EXTENSIONS)
            target = root / path.replace(".md", ".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(PAGE.format(lang="vi", body=body), encoding="utf-8")
    (root / "assets").mkdir()
    shutil.copy(paths.ASSETS / "filter.js", root / "assets" / "filter.js")
    with serve(root) as base:
        yield base, model["firms"]


pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="module")
def chrome(browser):
    """The session's one Chromium (two sync Playwright drivers cannot share a thread)."""
    return browser


@pytest.fixture(scope="module")
def phone(chrome):
    context = chrome.new_context(viewport=PHONE)
    yield context
    context.close()


def test_without_javascript_everything_is_listed_and_the_form_stays_hidden(site, chrome):
    base, firms = site
    context = chrome.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/ho-tro/index.html")
    assert page.is_hidden("form[data-filter]")
    assert page.locator(".ent-programme:visible").count() == len(firms["programmes"])
    assert page.locator(".ent-sector:visible").count() == len(firms["sectors"])
    page.goto(f"{base}/ton-vinh/index.html")
    assert page.is_hidden("form[data-filter]")
    assert page.locator("tr:has([data-filter-item]):visible").count() == len(firms["honours"])
    context.close()


def test_support_finder_narrows_to_a_sector_and_a_need(site, phone):
    base, firms = site
    page = phone.new_page()
    page.goto(f"{base}/ho-tro/index.html")
    assert page.is_visible("form[data-filter]")
    assert page.locator(".ent-programme:visible").count() == len(firms["programmes"])
    page.select_option("select[name=sector]", "cong-nghiep")
    shown = page.locator(".ent-programme:visible h4").evaluate_all("hs => hs.map(h => h.id)")
    assert "ho-tro-gap-huu-co" not in shown and len(shown) == len(firms["programmes"]) - 1
    assert page.locator(".ent-sector:visible h3").evaluate_all("hs => hs.map(h => h.id)") == ["nganh-cong-nghiep"]
    assert "Hoa Sen" in page.inner_text(".ent-sector:visible")
    page.select_option("select[name=sector]", "nong-nghiep-thuc-pham")
    page.select_option("select[name=need]", "gap-huu-co")
    assert page.locator(".ent-programme:visible h4").evaluate_all("hs => hs.map(h => h.id)") == ["ho-tro-gap-huu-co"]
    assert page.inner_text("[data-filter-count]") == "Có 1 hỗ trợ phù hợp với lựa chọn."
    assert "sector=nong-nghiep-thuc-pham" in page.url and "need=gap-huu-co" in page.url
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.close()


def test_choices_in_the_address_are_applied_on_arrival(site, phone):
    base, _ = site
    page = phone.new_page()
    page.goto(f"{base}/ho-tro/index.html?sector=thu-cong-my-nghe&need=ton-vinh")
    assert page.input_value("select[name=sector]") == "thu-cong-my-nghe"
    assert page.locator(".ent-programme:visible h4").evaluate_all("hs => hs.map(h => h.id)") == ["ho-tro-tham-gia-giai-thuong"]
    assert "Đức Phong" in page.inner_text(".ent-sector:visible")
    page.close()


def test_honours_filter_by_rating_year_and_name_without_accents(site, phone):
    base, firms = site
    page = phone.new_page()
    page.goto(f"{base}/ton-vinh/index.html")
    rows = "tr:has([data-filter-item]):visible"
    assert page.locator(rows).count() == len(firms["honours"])
    page.select_option("select[name=rating]", "5")
    assert page.locator(rows).all_inner_texts()[0].startswith("Công ty TNHH Đức Phong")
    assert page.locator(rows).count() == 1
    assert page.locator(".ent-group:visible h2").evaluate_all("hs => hs.map(h => h.id)") == ["giai-ocop"]
    page.click("button[type=reset]")
    page.wait_for_function("document.querySelectorAll('tr:not([hidden]) [data-filter-item]').length === %d" % len(firms["honours"]))
    page.select_option("select[name=year]", "2021")
    assert page.locator(rows).count() == 1 and "Sữa TH" in page.locator(rows).inner_text()
    page.select_option("select[name=year]", "")
    page.fill("input[name=tim]", "hoa sen nghe an")
    assert page.locator(rows).count() == 1 and "Hoa Sen" in page.locator(rows).inner_text()
    page.fill("input[name=tim]", "khong co doanh nghiep nay")
    assert page.locator(rows).count() == 0
    assert page.inner_text("[data-filter-count]") == "Không có mục nào khớp với lựa chọn."
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.close()

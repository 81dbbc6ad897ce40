"""The finding at a glance, in a real browser (issue 15): on a 360 x 640 phone the home page's answer
and its figures are on the first screen, and the calendar's agency column stays in view while the
table scrolls sideways."""
import pytest

pytest.register_assert_rewrite("tests.browser")
from tests.browser import DESKTOP, PHONE  # noqa: E402

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
def test_the_answer_and_the_first_figures_are_above_the_fold(browser, site_url, size, lang):
    page = browser.new_page(viewport=size)
    try:
        page.goto(f"{site_url}/{lang}index.html")
        fold = size["height"]
        standing = page.locator(".standing").bounding_box()
        cards = page.locator("ul.headline-cards > li").all()
        assert standing["y"] + standing["height"] <= fold
        # the figure of the first two cards (targets with data, reports published) can be read without scrolling
        for card in cards[:2]:
            figure = card.locator(".headline-figure").bounding_box()
            assert figure["y"] + figure["height"] <= fold
        assert len(cards) == 4
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
def test_the_calendar_keeps_its_agency_column_in_view_and_only_the_table_scrolls(browser, site_url, lang):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{site_url}/{lang}lich-bao-cao.html")
        box = page.locator(".matrix-scroll")
        widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] > widths[1]                           # ten years do not fit on a phone: the table scrolls
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")   # the page does not
        first = page.locator(".report-matrix tbody th").first
        before = first.bounding_box()["x"]
        box.evaluate("el => { el.scrollLeft = el.scrollWidth }")
        page.wait_for_timeout(50)
        assert abs(first.bounding_box()["x"] - before) < 1     # sticky: the agency names stay put
        last_year = page.locator(".report-matrix thead th").last
        assert last_year.inner_text().strip() == "2030"
        assert last_year.bounding_box()["x"] < PHONE["width"]  # and 2030 has come into view
    finally:
        page.close()

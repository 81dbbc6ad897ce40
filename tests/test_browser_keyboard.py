"""Keyboard only: Tab goes through every control in order, and the phone's menu and search open.

On every page, test_browser_pages checks that no shown control is out of the keyboard's reach.
Here the Tab key really walks one page of each kind (the home and 404 pages, and in every folder
its index and its first page, so a new folder is walked as soon as it is built), checking that it
stops on each control once and is not trapped.
"""
from collections import defaultdict

import pytest

pytest.register_assert_rewrite("tests.browser")
from tests.browser import DESKTOP, KEYBOARD_EXEMPT, PHONE, html_pages  # noqa: E402

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser

# Numbers every shown control (data-kb) and starts a log of where focus goes.
START_WALK_JS = """(exempt) => {
  // laid out, not hidden, not inside a closed <details>
  const shown = el => el.getClientRects().length > 0
    && el.checkVisibility({visibilityProperty: true, opacityProperty: false, contentVisibilityAuto: true})
  const controls = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])")]
    .filter(el => shown(el) && !el.closest(exempt) && !el.closest("[inert], [aria-hidden=true]") && !el.disabled)
  controls.forEach((el, i) => el.dataset.kb = i)
  window.__focused = []
  document.addEventListener("focusin", ev => window.__focused.push(ev.target.dataset.kb ?? ev.target.tagName), true)
  return controls.map(el => el.tagName.toLowerCase() + " " + (el.getAttribute("href") || el.getAttribute("aria-label") || el.className))
}"""


def walked_pages(root) -> list[str]:
    """One page of each kind: home and 404, and per folder its index and first other page (Vietnamese)."""
    by_folder = defaultdict(list)
    for path in html_pages(root):
        if not path.startswith("en/"):
            folder, _, name = path.rpartition("/")
            by_folder[folder].append(name)
    chosen = ["index.html", "404.html"]
    for folder, names in sorted(by_folder.items()):
        if folder:
            others = [n for n in names if n != "index.html"]
            chosen += [f"{folder}/{n}" for n in (["index.html"] if "index.html" in names else []) + others[:1]]
    return chosen + ["en/index.html"]


def tab_through(page) -> tuple[list[str], list[str]]:
    """Press Tab from the top of the page; return (every control, the order in which focus went)."""
    controls = page.evaluate(START_WALK_JS, KEYBOARD_EXEMPT)
    for _ in range(len(controls) + 3):
        page.keyboard.press("Tab")
    return controls, page.evaluate("window.__focused")


@pytest.fixture(scope="module")
def walks(browser, site_url, built_site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    result = {}
    for path in walked_pages(built_site):
        page.goto(f"{site_url}/{path}")
        result[path] = tab_through(page)
    context.close()
    return result


def test_a_page_of_each_kind_is_walked(walks):
    assert {"index.html", "404.html", "en/index.html"} <= set(walks)
    assert any(p.startswith("nhiem-vu/") and p != "nhiem-vu/index.html" for p in walks)
    assert len(walks["index.html"][0]) > 5


def test_tab_reaches_every_control_in_order_once(walks):
    problems = {}
    for path, (controls, focused) in walks.items():
        numbers = [int(f) for f in focused if f.isdigit()]
        missed = [controls[i] for i in range(len(controls)) if i not in numbers]
        if missed:
            problems[path] = f"never focused: {missed[:8]}"
        elif numbers[:len(controls)] != sorted(numbers[:len(controls)]):
            problems[path] = f"focus jumps back: {numbers[:len(controls)]}"
    assert problems == {}


def test_on_a_phone_the_keyboard_opens_the_menu_and_the_search(browser, site_url):
    page = browser.new_page(viewport=PHONE, has_touch=True)
    page.goto(f"{site_url}/index.html")
    menu = page.locator("label[for=__drawer] > [role=button]")
    for _ in range(10):                            # the skip link, the logo, then the menu button
        page.keyboard.press("Tab")
        if menu.evaluate("el => el === document.activeElement"):
            break
    assert menu.evaluate("el => el === document.activeElement"), "Tab never reaches the menu button"
    assert menu.get_attribute("aria-label")
    drawer_open = "document.getElementById('__drawer').checked"
    page.keyboard.press("Enter")
    assert page.evaluate(drawer_open)
    page.evaluate("document.getElementById('__drawer').click()")      # closed again
    menu.focus()
    page.keyboard.press(" ")                       # Space presses the button too
    assert page.evaluate(drawer_open)
    page.evaluate("document.getElementById('__drawer').click()")

    search = page.locator("label[for=__search] > [role=button]")
    search.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.matches('[data-md-component=search-query]')")
    page.keyboard.type("nang suat")
    page.wait_for_selector(".md-search-result__item")
    page.close()

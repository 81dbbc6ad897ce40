"""The three journeys of the people the site is for, clicked through in Chromium, in both languages.

Screenshots of every step go to tests/artifacts/journeys/ (git-ignored): look at them after a change.
A journey whose first page is not built yet is skipped, saying which page it waits for; it runs as
soon as that page exists.
"""
import re
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.browser")
from tests.browser import ARTIFACTS, DESKTOP, PHONE  # noqa: E402

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "journeys"
NO_DATA = {"vi": "chưa có số liệu công bố", "en": "no published data yet"}


def built_path(kind: str, id: str = "x") -> str | None:
    """Where a kind of page is built, from the one place that knows URLs (scripts.render.urls.PATHS)."""
    from scripts.render.urls import PATHS

    path = PATHS.get(kind)
    return path.format(id=id).replace(".md", ".html") if path else None


def first_built(root: Path, kinds: list[str]) -> str | None:
    """The first of these kinds of page that the site has built (their names may still change)."""
    for kind in kinds:
        path = built_path(kind)
        if path and (root / path).is_file():
            return path
    return None


def prefix(lang: str) -> str:
    return "en/" if lang == "en" else ""


class Journey:
    """A browser tab that saves a numbered screenshot of each step."""

    def __init__(self, browser, name: str, lang: str, viewport: dict):
        self.context = browser.new_context(viewport=viewport, device_scale_factor=1)
        self.page = self.context.new_page()
        self.name, self.lang, self.step = name, lang, 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, what: str) -> None:
        self.step += 1
        self.page.wait_for_timeout(300)            # the theme's header title fades on scroll
        self.page.screenshot(path=str(SHOTS / f"{self.name}.{self.lang}.{self.step}-{what}.png"), full_page=False)

    def click(self, locator) -> None:
        with self.page.expect_navigation():
            locator.first.click()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module", autouse=True)
def fresh_screenshots():
    """Screenshots of this run only."""
    import shutil

    shutil.rmtree(SHOTS, ignore_errors=True)


def show(locator) -> None:
    """Scroll so that the element starts at the top of the window (below the sticky header)."""
    locator.evaluate("el => { el.scrollIntoView({block: 'start'}); window.scrollBy(0, -60) }")


@pytest.fixture
def journey(browser):
    opened = []

    def start(name: str, lang: str, viewport: dict = DESKTOP) -> Journey:
        opened.append(Journey(browser, name, lang, viewport))
        return opened[-1]

    yield start
    for j in opened:
        j.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_journey_1_the_public_follows_a_target_from_home_to_its_source(journey, built_site, site_url, lang):
    """Home → progress overview → a target → its chart and source (or the plain "no data yet") → other language."""
    overview = first_built(built_site, ["progress", "targets"])
    if overview is None:
        pytest.skip("waits for the progress overview page (scripts.render.urls.PATHS['progress'] or ['targets'])")
    j = journey("1-public", lang)
    page = j.page
    page.goto(f"{site_url}/{prefix(lang)}index.html")
    j.shot("home")

    j.click(page.locator(f"article a[href$='{overview}']"))
    assert page.url.endswith(f"/{prefix(lang)}{overview}")
    j.shot("overview")

    folder = built_path("target", "x").split("/")[0]
    links = page.eval_on_selector_all("article a[href]", "as => as.map(a => [a.getAttribute('href'), a.href])")
    targets = [(attr, url) for attr, url in links if re.search(rf"/{folder}/(?!index\.html)[a-z0-9-]+\.html$", url)]
    assert targets, "the overview links to no target"
    # a target that has a chart if there is one, else the first
    charted = [(attr, url) for attr, url in targets
               if "<figure" in (built_site / url.removeprefix(site_url + "/")).read_text(encoding="utf-8")]
    chosen = (charted or targets)[0][0]
    j.click(page.locator(f"article a[href='{chosen}']"))
    target_url = page.url
    j.shot("target")

    if charted:
        figure = page.locator("article figure").first
        show(figure)
        loaded = figure.locator("img, svg").first.evaluate("el => el.tagName === 'svg' || el.naturalWidth > 0")
        assert loaded, "the chart did not load"
        assert page.locator("article table").count() >= 1, "the chart's numbers are not in a table"
        assert page.locator("article a[href^='http']").count() >= 1, "no link to the figure's source"
        j.shot("chart-and-source")
    else:
        assert NO_DATA[lang] in page.locator("article").inner_text().lower()

    j.click(page.locator("a.lang-switch"))
    other = "en" if lang == "vi" else "vi"
    assert page.evaluate("document.documentElement.lang") == other
    assert page.url.rsplit("/", 1)[1] == target_url.rsplit("/", 1)[1]          # the same target
    assert ("/en/" in page.url) == (other == "en")
    j.shot("other-language")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_journey_2_an_enterprise_finds_support_and_who_to_ask(journey, built_site, site_url, lang):
    """On a phone: home → support finder → a sector and a need → a programme and its agency → who did it."""
    finder = first_built(built_site, ["support", "support_finder", "supports", "finder"])
    if finder is None:
        pytest.skip("waits for the support finder page (scripts.render.urls.PATHS['support'])")
    j = journey("2-enterprise", lang, PHONE)
    page = j.page
    page.goto(f"{site_url}/{prefix(lang)}index.html")
    j.shot("home")
    home_link = page.locator(f"article a[href$='{finder}']")
    assert home_link.count() >= 1, "the home page does not lead to the support finder"
    j.click(home_link)
    j.shot("finder")

    # choose a sector, then a need, until a programme shows (the first sector may have none for a need)
    agencies = built_path("agency", "x").split("/")[0]
    honoured = [f for f in (built_path("enterprises"), built_path("model_site", "x")) if f]
    sector, need = page.locator("article select").nth(0), page.locator("article select").nth(1)
    programme = page.locator(f"article [data-filter-item]:not([data-filter-uncounted]):visible:has(a[href*='{agencies}/'])")
    found = False
    for s in [v for v in sector.locator("option").evaluate_all("os => os.map(o => o.value)") if v][:6]:
        sector.select_option(s)
        for n in [v for v in need.locator("option").evaluate_all("os => os.map(o => o.value)") if v]:
            need.select_option(n)
            if programme.count():
                found = True
                break
        if found:
            break
    assert found, "no sector and need shows a programme with its agency"
    show(programme.first)
    j.shot("programme-and-agency")
    assert programme.first.inner_text().strip()

    # who in that sector has done it: an honoured enterprise or a model site, or the plain "none yet"
    sector_box = page.locator(f"article [data-sector='{s}'][data-filter-uncounted]:visible")
    if sector_box.count():
        show(sector_box.first)
        j.shot("who-in-the-sector")
        names = [page.locator(f"article a[href*='{h.split('/')[0]}/']:visible") for h in honoured]
        assert any(n.count() for n in names) or sector_box.first.inner_text().strip()

    j.click(programme.first.locator(f"a[href*='{agencies}/']"))
    assert page.url.split("#")[0].rsplit("/", 2)[-2] == agencies
    j.shot("agency-contact")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_journey_3_an_official_shares_a_task_section_and_prints_it(journey, browser, built_site, site_url, lang):
    """A task page; its permalink and a section's anchor open fresh to the same place; the printable view."""
    task = built_path("task", "co-che-chinh-sach")
    if not (built_site / task).is_file():
        task = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "nhiem-vu").glob("*.html")
                      if p.name != "index.html")[0]
    j = journey("3-official", lang)
    page = j.page
    page.goto(f"{site_url}/{prefix(lang)}{task}")
    j.shot("task")
    title = page.locator("article h1").inner_text()
    text = page.locator("article").inner_text()

    # the permalink is the page's own address; a section's is the "#" link beside its heading
    permalink = page.url
    anchor = page.locator("article h2 a.headerlink").nth(1)
    anchor.click()
    section_link = page.url
    assert section_link == permalink + anchor.get_attribute("href")
    section_id = anchor.get_attribute("href")[1:]

    fresh = browser.new_context(viewport=DESKTOP)                # no history, no cache: as a colleague opens it
    try:
        other = fresh.new_page()
        other.goto(permalink)
        assert other.locator("article h1").inner_text() == title
        assert other.locator("article").inner_text() == text
        other.goto(section_link)
        heading = other.locator(f"[id='{section_id}']")
        top = heading.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < 200, f"the section is not at the top of the window (at {top}px)"
        other.screenshot(path=str(SHOTS / f"3-official.{lang}.2-section-opened-fresh.png"))
        j.step += 1
    finally:
        fresh.close()

    # printable view: the print button (shown by JavaScript) and the print stylesheet
    button = page.locator(".print-button")
    if button.count():
        assert button.first.is_visible(), "the print button stays hidden"
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer']
        .map(s => document.querySelector(s)).filter(el => el && getComputedStyle(el).display !== 'none').map(el => el.className)""")
    assert hidden == [], "the printed page would carry the site's menus"
    assert page.locator("article h1").is_visible()
    pdf = page.pdf(path=str(SHOTS / f"3-official.{lang}.3-printed.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    page.emulate_media(media="screen")

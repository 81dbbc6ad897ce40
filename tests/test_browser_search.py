"""Search in a real browser: Vietnamese with or without accents finds the same pages.

Material's search does not fold accents; this site's lunr.vi (site/overrides/assets/javascripts/
lunr/min/lunr.vi.min.js) folds them in the index and in the query, and assets/site.js marks the
words on the page a result opens.
"""
import pytest

pytest.register_assert_rewrite("tests.browser")
from tests.browser import DESKTOP  # noqa: E402

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser

BOX = "input[data-md-component=search-query]"


@pytest.fixture(scope="module")
def search(browser, site_url):
    """search(lang, words) → the pages the search box lists for `words`, in order."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    opened = {}
    requests, problems = [], []
    context.on("request", lambda r: requests.append(r.url))                # the search worker's too
    context.on("requestfailed", lambda r: problems.append(f"{r.url} ({r.failure})"))
    context.on("response", lambda r: r.status >= 400 and problems.append(f"{r.url} (HTTP {r.status})"))
    context.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))

    def results(lang: str, words: str) -> list[str]:
        if opened.get("lang") != lang:
            page.goto(f"{site_url}/{'en/' if lang == 'en' else ''}index.html")
            opened["lang"] = lang
        meta = page.locator(".md-search-result__meta")
        # empty the box first, so that the result shown next is the one for `words`
        page.fill(BOX, "")
        page.press(BOX, "End")
        page.wait_for_function("() => !document.querySelector('.md-search-result__list').children.length")
        page.fill(BOX, words)
        page.press(BOX, "End")                    # the theme searches on keyup
        page.wait_for_function(
            """() => document.querySelector('.md-search-result__list').children.length
                  || /\\d|Không|No matching/.test(document.querySelector('.md-search-result__meta').textContent)""")
        assert meta.count() == 1
        return page.eval_on_selector_all(
            ".md-search-result__item > a.md-search-result__link",
            "links => links.map(a => new URL(a.href).pathname + new URL(a.href).hash)")

    results.requests, results.problems = requests, problems
    yield results
    context.close()


@pytest.mark.parametrize("accented, plain", [
    ("năng suất", "nang suat"),
    ("Sở Khoa học", "so khoa hoc"),
    ("đổi mới", "doi moi"),
    ("Nghệ An", "Nghe An"),
])
def test_vietnamese_with_or_without_accents_finds_the_same_pages(search, accented, plain):
    found = search("vi", accented)
    assert found, f"no page found for {accented!r}"
    assert search("vi", plain) == found
    assert all(not p.startswith("/en/") for p in found)


def test_accented_search_finds_the_page_it_should(search):
    assert "/co-quan/so-khcn.html" in search("vi", "so khoa hoc")
    assert "/co-quan/so-khcn.html" in search("vi", "Sở Khoa học")


def test_a_word_that_is_nowhere_finds_nothing(search):
    assert search("vi", "xyzzyqwerty") == []


def test_english_search_finds_english_pages(search):
    found = search("en", "productivity")
    assert found and all(p.startswith("/en/") for p in found)
    assert search("en", "Department of Science") and all(p.startswith("/en/") for p in search("en", "Department of Science"))
    # Vietnamese names on English pages fold too
    assert search("en", "Nghe An") == search("en", "Nghệ An") != []


def test_combining_accents_are_read_as_precomposed_letters(search):
    """Some keyboards type "ă" as "a" + U+0306; the box turns it into one letter before searching."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "năng suất")
    assert search("vi", decomposed) == search("vi", "năng suất") != []


def test_the_page_opened_from_a_result_marks_the_words_with_their_accents(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site_url}/index.html?h=nang+suat")
    marked = page.eval_on_selector_all("article mark", "marks => marks.map(m => m.textContent.toLowerCase())")
    page.close()
    assert "năng" in marked and "suất" in marked


def test_search_loads_only_local_files_without_error(search, site_url):
    """The search worker and its language files: from the site itself, found, and quiet (both languages)."""
    search("vi", "năng suất")
    search("en", "productivity")
    worker_files = [u for u in search.requests if "/lunr/" in u or "/workers/" in u]
    assert any(u.endswith("/assets/javascripts/lunr/min/lunr.vi.min.js") for u in worker_files)
    assert any(u.startswith(f"{site_url}/en/") for u in worker_files)
    assert [u for u in search.requests if not (u.startswith(site_url + "/") or u.startswith("data:"))] == []
    assert search.problems == []


@pytest.mark.parametrize("served", [True, False], ids=["served", "file"])
def test_search_loads_when_first_used_and_answers_the_first_query(browser, built_site, site_url, served):
    """Nothing of the search loads with the page (assets/search.js), nor the theme's script (assets/
    theme.js); the keyboard shortcut "/" opens it at the first press, and the first query typed at once is answered, on the site as served and on a copy opened
    from the file system (where the theme's worker runs in a frame and the index is a script)."""
    base = site_url if served else built_site.resolve().as_uri()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: problems.append(f"{r.url} ({r.failure})"))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{base}/en/index.html", wait_until="load")
        page.wait_for_timeout(300)
        search_files = lambda: sorted({u.rsplit("/", 1)[1] for u in requests if "/search/" in u or "/workers/" in u or "/lunr/" in u})  # noqa: E731
        assert search_files() == []
        assert [u for u in requests if "/javascripts/bundle." in u] == []      # nor the theme's script (assets/theme.js)
        page.keyboard.press("/")
        page.keyboard.type("productivity")
        page.wait_for_function("() => document.querySelector('.md-search-result__list').children.length", timeout=20_000)
        index = "search_index.json" if served else "search_index.js"
        assert search_files() == sorted([index, "lunr.stemmer.support.min.js", "lunr.vi.min.js", next(
            u.rsplit("/", 1)[1] for u in requests if "/workers/search." in u)])
        links = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link", "links => links.map(a => a.href)")
        assert links and all(link.startswith(f"{base}/en/") for link in links)
        assert problems == []
    finally:
        context.close()

"""What goes into the site's search index (issue 9: under 2 MB at 100×). Pages are rendered from a
synthetic package, turned into HTML as the engines do (with our Markdown extension), and cut into sections
by the theme's own search parser: the sections it keeps are what the index holds."""
import re

import markdown
import pytest
from material.plugins.search.plugin import Parser

from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.engines.search_sections import mark_excluded_sections
from scripts.render import pages, urls
from tests.bench.synthetic import generate
from tests.enterprise_wiring import render_page

EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "def_list", "toc"]    # and ours: see indexed()


def indexed(html: str, hook: bool = True) -> list[tuple[str | None, str]]:
    """(section id, its title and text) for each section the theme's search would index."""
    parser = Parser()
    parser.feed(mark_excluded_sections(html) if hook else html)
    parser.close()
    return [(s.id, "".join(s.title) + " " + "".join(s.text)) for s in parser.data if not s.is_excluded()]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    package = generate(tmp_path_factory.mktemp("search") / "data", 0.5)
    return build_model(load(package), descriptor(package), package.parent)


def _html(model, kind, id=None) -> str:
    page = {p.path: p for p in pages.enterprise_page_specs(model["firms"])}[urls.path_of(kind, id)]
    text = render_page(page, model, "vi")
    return markdown.markdown(text.split("---\n", 2)[-1] if text.startswith("---\n") else text, extensions=EXTENSIONS)


def test_a_left_out_section_takes_its_subsections_with_it():
    html = ('<h1 id="t">T</h1><p>a</p><h2 data-search-exclude id="x">X</h2><p>b</p><h3 id="y">Y</h3><p>c</p>'
            '<h2 id="z">Z</h2><p>d</p><h3 id="w">W</h3><p>e</p>')
    assert [i for i, _ in indexed(html)] == [None, "z", "w"]
    assert [i for i, _ in indexed(html, hook=False)] == [None, "y", "z", "w"], "the theme alone keeps Y"
    assert mark_excluded_sections("<h2 id=a>A</h2>") == "<h2 id=a>A</h2>"


def test_both_engines_run_the_rule_as_a_markdown_extension():
    """mkdocs.yml names it, so MkDocs and Zensical both run it on every page (no MkDocs hook)."""
    import yaml

    from scripts import paths

    assert "scripts.engines.search_sections" in yaml.safe_load(paths.MKDOCS_CONFIG.read_text(encoding="utf-8"))["markdown_extensions"]
    text = "# T\n\n## X { #x data-search-exclude }\n\nb\n\n<h3 id=\"y\">Y</h3>\n\n### Z { #z }\n\n## W\n"
    html = markdown.markdown(text, extensions=["scripts.engines.search_sections", *EXTENSIONS])
    assert [i for i, _ in indexed(html, hook=False)] == [None, "w"], "raw HTML headings are marked too"


def test_a_case_study_is_found_by_its_summary_not_its_story(synthetic):
    site = synthetic["firms"]["model_sites"][0]
    html = _html(synthetic, "model_site", site["id"])
    story_words = site["story_vi"].split("\n\n")[1][:60]
    assert story_words in html, "the story is on the page"
    sections = indexed(html)
    assert [i for i, _ in sections] == [None], "only the title section: summary and facts"
    assert not any(story_words in text for _, text in sections)
    assert any(story_words in text for _, text in indexed(html, hook=False)), "without the rule, the story's own headings bring it back"


def test_the_case_study_gallery_leaves_each_case_study_to_its_own_page(synthetic):
    html = _html(synthetic, "model_sites")
    titles = [s["title_vi"] for s in synthetic["firms"]["model_sites"]]
    sections = indexed(html)
    assert sections and not any(t in text for _, text in sections for t in titles)


def test_the_page_and_the_search_worker_fold_accents_the_same_way():
    """site.js (the query, the marks on a page) and our lunr.vi (the index, in the search worker)
    each hold the fold: a worker cannot share the page's script, so this keeps them in step."""
    from scripts import paths

    def body(path):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"var MARKS = (/[^\n]*/g)\s*(?:/\*[^*]*\*/\s*)?function fold\(text\) \{(.*?)\n  \}", text, re.S)
        assert found, path
        return found.group(1), " ".join(found.group(2).split())

    page = body(paths.SITE / "assets" / "site.js")
    worker = body(paths.OVERRIDES / "assets" / "javascripts" / "lunr" / "min" / "lunr.vi.min.js")
    assert page == worker
    assert "normalize(\"NFD\")" in page[1] and "\"đ\"" in page[1]

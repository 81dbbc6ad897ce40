"""Issue 9: long lists are cut into pages of bounded size, and nothing is lost or shown twice.

The split itself on plain rows, then the honours and enterprise directory rendered from a synthetic
package (tests/bench/synthetic.py, in a temp folder) with small limits so that every kind of page
appears: an award page, award-and-year pages, sector pages and numbered parts.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import markdown
import pytest

from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.render import pages, paging, urls
from scripts.render.labels import read_labels
from scripts.render.redirects import redirects
from tests.bench.synthetic import generate
from tests.enterprise_wiring import render_page


def _levels():
    return [(lambda r: r["a"], lambda a: f"x/{a}.md"), (lambda r: r["y"], lambda a, y: f"x/{a}-{y}.md")]


def test_a_list_that_fits_stays_one_page():
    rows = [{"a": "p", "y": 2020, "n": i} for i in range(5)]
    root = paging.split(rows, "x/index.md", _levels(), limit=5)
    assert root.leaf and root.rows == rows and [c.path for c in root.walk()] == ["x/index.md"]


def test_a_long_list_splits_by_key_then_year_then_parts():
    rows = ([{"a": "p", "y": 2020, "n": i} for i in range(3)] + [{"a": "q", "y": 2021, "n": i} for i in range(4)]
            + [{"a": "q", "y": 2020, "n": i} for i in range(7)])
    root = paging.split(rows, "x/index.md", _levels(), limit=3)
    paths = [c.path for c in root.walk()]
    assert paths == ["x/index.md", "x/p.md", "x/q.md", "x/q-2021.md", "x/q-2021--2.md", "x/q-2020.md", "x/q-2020--2.md", "x/q-2020--3.md"]
    leaves = list(paging.leaves(root))
    # every row once, in order, no page over the limit
    assert [r for c in leaves for r in c.rows] == rows
    assert all(len(c.rows) <= 3 for c in leaves)
    q = root.child("q")
    assert q.total == 11 and [c.keys for c in q.children] == [("q", 2021), ("q", 2020)]
    assert root.child("nothing") is None
    part3 = next(c for c in leaves if c.path == "x/q-2020--3.md")
    assert part3.part == 3 and [p.path for p in part3.parts] == ["x/q-2020.md", "x/q-2020--2.md", "x/q-2020--3.md"]
    assert part3.total == 7 and part3.parent is q


def test_the_addresses_of_groups_do_not_depend_on_other_groups():
    """Adding rows to one award does not move another award's or another year's page."""
    base = [{"a": "p", "y": 2020, "n": i} for i in range(4)] + [{"a": "q", "y": 2021, "n": i} for i in range(2)]
    more = base + [{"a": "p", "y": 2019, "n": i} for i in range(9)]
    before = paging.page_of(paging.split(base, "x/index.md", _levels(), limit=3), lambda r: (r["a"], r["y"], r["n"]))
    after = paging.page_of(paging.split(more, "x/index.md", _levels(), limit=3), lambda r: (r["a"], r["y"], r["n"]))
    assert before[("q", 2021, 0)] == after[("q", 2021, 0)] == "x/q.md"


# --- the pages, from a synthetic package ----------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    package = generate(tmp_path_factory.mktemp("paging") / "data", 0.5)     # 250 honours, 100 enterprises
    frames = load(package)
    return build_model(frames, descriptor(package), package.parent)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "LIMIT", 30)
    monkeypatch.setattr(pages, "ENTERPRISES_PER_PAGE", 12)


def _rendered(model, lang="vi"):
    return {p.path: render_page(p, model, lang) for p in pages.enterprise_page_specs(model["firms"])}


def test_every_honour_and_enterprise_is_on_exactly_one_page_of_bounded_size(synthetic, small_pages):
    firms = synthetic["firms"]
    out = _rendered(synthetic)
    honour_pages = {p: t for p, t in out.items() if p.startswith("ton-vinh/giai/")}
    directory_pages = {p: t for p, t in out.items() if p.startswith("doanh-nghiep/")}
    assert len(honour_pages) > 10 and any("--2.md" in p for p in directory_pages)
    rows = [line for text in honour_pages.values() for line in text.splitlines() if "data-filter-item" in line]
    assert len(rows) == len(firms["honours"])
    for path, text in honour_pages.items():
        assert text.count("data-filter-item") <= 30, path
    entries = [m for text in directory_pages.values() for m in re.findall(r'^<h3 id="([a-z0-9-]+)">', text, re.M)]
    assert sorted(entries) == sorted(e["id"] for e in firms["enterprises"])
    assert all(len(re.findall(r"^<h3 ", t, re.M)) <= 12 for t in directory_pages.values())
    # the overview pages list groups, not rows
    assert "data-filter-item" not in out["ton-vinh/index.md"]
    assert "<h3 " not in out["doanh-nghiep/index.md"]


def test_links_to_an_enterprise_reach_its_entry(synthetic, small_pages):
    out = _rendered(synthetic)
    anchors = {path: set(re.findall(r'\{ #([a-z0-9-]+) \}|<h3 id="([a-z0-9-]+)"', text)) for path, text in out.items()}
    anchors = {path: {a or b for a, b in found} for path, found in anchors.items()}
    checked = 0
    for path, text in out.items():
        # Markdown links to .md pages, and the long lists' HTML links to the built .html pages
        links = re.findall(r"\]\(([^)#\s]+\.md)#([a-z0-9-]+)\)", text)
        links += [(target[:-5] + ".md", anchor) for target, anchor in re.findall(r'href="([^"#\s]+\.html)#([a-z0-9-]+)"', text)]
        for target, anchor in links:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved.startswith("doanh-nghiep/"):
                assert anchor in anchors[resolved], (path, target, anchor)
                checked += 1
    assert checked > 300     # every honour's row, the support finder, the stubs' targets


def test_the_pages_of_a_split_list_are_out_of_search_and_the_overviews_in(synthetic, small_pages):
    out = _rendered(synthetic)
    for path, text in out.items():
        listed = path.startswith("ton-vinh/giai/") or (path.startswith("doanh-nghiep/") and path != "doanh-nghiep/index.md")
        assert text.startswith("---\nsearch:\n  exclude: true\n---\n") == listed, path
    assert "Ctrl+F" in out["doanh-nghiep/index.md"]


def test_the_support_finder_shows_ten_per_sector_and_links_to_the_rest(synthetic, small_pages):
    page = render_page(next(p for p in pages.enterprise_page_specs(synthetic["firms"]) if p.path == urls.path_of("support")), synthetic, "en")
    for sector in synthetic["firms"]["sectors"]:
        part = page[page.index(f"{{ #nganh-{sector['id']} }}"):]
        part = part[:part.index("</div>")]
        shown = len(re.findall(r"^- \[.*\]\(\.\./doanh-nghiep/", part, re.M))
        assert shown == min(10, len(sector["enterprises"]))
        if len(sector["enterprises"]) > 10:
            assert f"See all {len(sector['enterprises'])} enterprises of this sector" in part


def test_each_enterprise_keeps_its_permanent_address(synthetic, small_pages):
    labels = read_labels(synthetic["words"])
    firms = synthetic["firms"]
    stubs = redirects(synthetic, labels["en"], "en")
    assert set(stubs) == {f"ton-vinh/{e['id']}.html" for e in firms["enterprises"]}
    where = pages.directories(firms)["enterprise_page"]
    for e in firms["enterprises"][:20]:
        html = stubs[f"ton-vinh/{e['id']}.html"]
        target = "../" + where[e["id"]].replace(".md", ".html") + "#" + e["id"]
        assert f'content="0; url={target}"' in html and f'<a href="{target}">' in html and '<html lang="en">' in html


def test_an_enterprise_cannot_take_the_address_of_the_honours_page(tmp_path):
    import shutil

    from scripts import paths
    from scripts.data.validate import validate

    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    old = "duc-phong"
    for name in ("enterprises", "honours"):
        csv = data / f"{name}.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace(old, "index"), encoding="utf-8")
    found = [[Path(p.file).name, p.row, p.field, p.code] for p in validate(data / "datapackage.json")]
    assert found == [["enterprises.csv", 5, "id", "invalid-field"]]


def test_the_pager_is_a_list_with_this_part_marked(synthetic, small_pages):
    out = _rendered(synthetic)
    split = [(path, text) for path, text in out.items() if "ent-pager" in text]
    assert split
    for path, text in split:
        html = markdown.markdown(text.split("---\n", 2)[-1], extensions=["attr_list", "md_in_html", "tables", "toc"])
        nav = re.search(r'<nav[^>]*class="ent-pager"[^>]*>(.*?)</nav>', html, re.S).group(1)
        items = re.findall(r"<li>(.*?)</li>", nav, re.S)
        assert len(items) >= 2 and "- " not in nav, path
        assert sum('aria-current="page"' in item for item in items) == 1, path


def test_a_long_table_of_honours_comes_in_parts_that_keep_every_row_once(synthetic, small_pages, monkeypatch):
    """Issue 17: a phone laid out 345 rows on arrival (Lighthouse 77-93 on a part of the directory at 10×).
    A list longer than TABLE_PART is written as tables of TABLE_PART rows, each with a caption that says
    which rows it holds, in one box; a shorter list stays one plain table."""
    monkeypatch.setattr(paging, "TABLE_PART", 12)
    for lang, caption in (("vi", "Các dòng {a}–{b} trong {n} dòng"), ("en", "Rows {a} to {b} of {n}")):
        out = _rendered(synthetic, lang)
        long_pages = short_pages = 0
        for path, text in out.items():
            rows = text.count("data-filter-item")
            if not path.startswith("ton-vinh/") or not rows:
                continue
            tables = re.findall(r"<table[^>]*>(.*?)</table>", text, re.S)
            if rows > 12:
                long_pages += 1
                assert text.count('class="md-typeset__table table-parts"') == 1, path
                assert len(tables) == -(-rows // 12) and all(re.fullmatch(r'<table class="honours-rows">', t) for t in
                                                              re.findall(r"<table[^>]*>", text)), path
                assert [t.count("data-filter-item") for t in tables] == [12] * (rows // 12) + ([rows % 12] if rows % 12 else []), path
                captions = re.findall(r'<caption class="sr-only">(.*?)</caption>', text)
                assert captions == [caption.format(a=i + 1, b=min(i + 12, rows), n=rows) for i in range(0, rows, 12)], path
                assert all(t.count("<thead>") == 1 for t in tables), path       # each part says what its columns are
            else:
                short_pages += 1
                assert re.findall(r"<table[^>]*>", text) == ["<table>"] and "<caption" not in text, path
        assert long_pages and short_pages

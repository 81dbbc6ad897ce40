"""The built site: every page in both languages, language switch, no third-party requests."""
import os
import re
from pathlib import Path

import pytest

from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.render.pages import render
from scripts.render.urls import path_of

GOLDEN = Path(__file__).parent / "golden"


def html_path(kind, id=None):
    return path_of(kind, id).replace(".md", ".html")


@pytest.fixture(scope="module")
def model():
    return build_model(load(), descriptor())


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_task_and_agency_page_exists_in_both_languages(built_site, model, prefix):
    expected = [html_path("task", t["id"]) for t in model["tasks"]] + [html_path("agency", a["id"]) for a in model["agencies"]]
    expected += [html_path(k) for k in ("home", "plan", "legal_basis", "funding", "tasks", "targets", "agencies", "data", "about")]
    missing = [p for p in expected if not (built_site / prefix / p).is_file()]
    assert missing == []
    assert len(expected) == 5 + len(model["agencies"]) + 9


def test_pages_declare_their_language(built_site):
    assert '<html lang="vi"' in (built_site / "nhiem-vu/co-che-chinh-sach.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (built_site / "en/nhiem-vu/co-che-chinh-sach.html").read_text(encoding="utf-8")


def test_language_switch_lands_on_the_same_page(built_site):
    vi = (built_site / "co-quan/so-khcn.html").read_text(encoding="utf-8")
    en = (built_site / "en/co-quan/so-khcn.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-header__button lang-switch" href="\.\./en/co-quan/so-khcn\.html"', vi)
    assert re.search(r'class="md-header__button lang-switch" href="\.\./\.\./co-quan/so-khcn\.html"', en)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'lang-switch" href="\./en/index\.html"', home)


def test_task_page_shows_its_agencies_and_products(built_site):
    page = (built_site / "nhiem-vu/dao-tao-nhan-luc.html").read_text(encoding="utf-8")
    for text in ("Sở Nội vụ", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Hằng năm", "chuyên gia"):
        assert text in page
    en = (built_site / "en/nhiem-vu/dao-tao-nhan-luc.html").read_text(encoding="utf-8")
    assert "Department of Home Affairs" in en and "Annually" in en


def test_agency_page_shows_successor_with_date_and_source(built_site):
    page = (built_site / "co-quan/so-khdt.html").read_text(encoding="utf-8")
    assert "01/03/2025" in page and "Sở Tài chính" in page and "laodong.vn" in page
    en = (built_site / "en/co-quan/so-khdt.html").read_text(encoding="utf-8")
    assert "1 March 2025" in en and "Department of Finance" in en


def test_source_text_and_data_are_downloadable(built_site):
    assert (built_site / "nguon/ke-hoach-683-KH-UBND-2021.txt").read_text(encoding="utf-8").count("683/KH-UBND") >= 1
    assert (built_site / "du-lieu/datapackage.json").is_file()
    assert (built_site / "du-lieu/tasks.csv").is_file()


THIRD_PARTY = re.compile(r'(?:src|href)="(?:https?:)?//(?!127\.0\.0\.1)[^"]+"[^>]*>', re.I)


def test_pages_load_nothing_from_another_host(built_site):
    """Scripts, styles, fonts and images all come from build/ (links out to sources are fine)."""
    offenders = []
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html, re.I):
            if re.search(r'(?:src|href)="(?:https?:)?//', tag) and 'rel="alternate"' not in tag and "rel=\"canonical\"" not in tag:
                offenders.append((page.relative_to(built_site).as_posix(), tag))
        if "fonts.googleapis" in html or "fonts.gstatic" in html:
            offenders.append((page.name, "google fonts"))
    assert offenders == []


def test_golden_task_page_markdown():
    """The generated Markdown of one task page, pinned. Set UPDATE_GOLDEN=1 to rewrite it after a deliberate change."""
    frames = load()
    rendered = render(build_model(frames, descriptor()), {**descriptor(), "resources": []})
    for lang in ("vi", "en"):
        got = rendered[lang][path_of("task", "co-che-chinh-sach")]
        golden = GOLDEN / f"task-co-che-chinh-sach.{lang}.md"
        if os.environ.get("UPDATE_GOLDEN"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(got, encoding="utf-8")
        assert got == golden.read_text(encoding="utf-8")


def test_every_internal_link_and_anchor_resolves(built_site):
    assert broken_links(built_site) == []


def broken_links(site: Path) -> list[tuple[str, str]]:
    """Every link or source in a built site whose file or anchor is not there (tests/test_plans.py runs
    it on the second plan's site too)."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.add(attrs["id"])
            for name in ("href", "src"):
                if attrs.get(name):
                    self.links.append(attrs[name])

    parsed = {}
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served at any depth, so MkDocs writes it with root-relative links
            continue
        c = Collect()
        c.feed(page.read_text(encoding="utf-8"))
        parsed[page] = c
    broken = []
    for page, c in parsed.items():
        for link in c.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith("mailto:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if target not in parsed and target.suffix == ".html" or not target.exists():
                broken.append((page.relative_to(site).as_posix(), link))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                broken.append((page.relative_to(site).as_posix(), link))
    return broken

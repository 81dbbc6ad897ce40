"""Sharing: preview images, QR codes (when the published address is known), embeds, print."""
import re
import xml.etree.ElementTree as ET

import pytest

from scripts import settings
from scripts.engines.build import build
from scripts.render.pages import page_title
from scripts.render.sharing import preview_path


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The site built as the publish workflow builds it: with its public address known."""
    out = tmp_path_factory.mktemp("published") / "build"
    settings.SITE_URL = "https://example.org/ke-hoach-683/"
    try:
        build(out)
    finally:
        settings.SITE_URL = ""
    return out


def test_page_title_reads_the_first_heading():
    assert page_title("intro\n# Nhiệm vụ 1&#46; Cơ chế { #x }\n## b") == "Nhiệm vụ 1. Cơ chế"
    assert preview_path("nhiem-vu/co-che-chinh-sach.md") == "anh-chia-se/nhiem-vu--co-che-chinh-sach.png"


def test_every_page_has_a_preview_image_and_card_metadata(built_site):
    for page in list(built_site.glob("**/*.html")):
        rel = page.relative_to(built_site).as_posix()
        if rel.startswith(("assets/", "bieu-do/", "en/bieu-do/", "en/assets/")) or page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        assert image, rel
        assert (page.parent / image.group(1)).resolve().is_file(), rel
        assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_published_build_uses_absolute_addresses_and_has_qr_codes(published):
    task = (published / "nhiem-vu/tieu-chuan-hoa.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://example.org/ke-hoach-683/anh-chia-se/nhiem-vu--tieu-chuan-hoa.png">' in task
    assert '<link rel="canonical" href="https://example.org/ke-hoach-683/nhiem-vu/tieu-chuan-hoa.html">' in task
    assert 'src="../qr/nhiem-vu--tieu-chuan-hoa.svg"' in task
    for lang in ("", "en/"):
        svg = (published / lang / "qr/nhiem-vu--tieu-chuan-hoa.svg").read_text(encoding="utf-8")
        ET.fromstring(svg)
        assert f"https://example.org/ke-hoach-683/{lang}nhiem-vu/tieu-chuan-hoa.html" in svg  # in its <title>
    assert (published / "qr/index.svg").is_file()


def test_every_qr_code_a_published_page_shows_exists(published):
    """The share box (home, plan, tasks, targets) shows a QR code; each one it names was written."""
    shown = {(page, src) for page in published.rglob("*.html")
             for src in re.findall(r'<img [^>]*src="([^"]*qr/[^"]+\.svg)"', page.read_text(encoding="utf-8"))}
    assert {page.relative_to(published).as_posix() for page, _ in shown} >= {"ke-hoach.html", "en/chi-tieu/ton-vinh-khen-thuong.html"}
    assert sorted(f"{page.relative_to(published)} → {src}" for page, src in shown if not (page.parent / src).is_file()) == []


def test_each_chart_has_an_embeddable_page_and_snippet(built_site):
    embed = (built_site / "bieu-do/boi-canh-pii-diem.html").read_text(encoding="utf-8")
    assert '<img src="boi-canh-pii-diem.svg"' in embed and "Nguồn: Báo Nghệ An" in embed
    assert 'href="../boi-canh.html#pii-diem"' in embed
    page = (built_site / "boi-canh.html").read_text(encoding="utf-8")
    assert "&lt;iframe src=&quot;bieu-do/boi-canh-pii-diem.html&quot;" in page or '&lt;iframe src="bieu-do/boi-canh-pii-diem.html"' in page


def test_print_stylesheet_is_loaded_and_hides_navigation(built_site):
    page = (built_site / "ke-hoach.html").read_text(encoding="utf-8")
    assert 'href="assets/print.css"' in page
    css = (built_site / "assets/print.css").read_text(encoding="utf-8")
    assert "@page { size: A4" in css and ".md-sidebar" in css


def test_atom_feed_of_data_updates_is_built_from_the_changelog(built_site):
    import csv

    from scripts import paths

    entries = list(csv.DictReader((paths.DATA / "changelog.csv").open(encoding="utf-8")))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for lang, field in (("", "title_vi"), ("en/", "title_en")):
        root = ET.parse(built_site / lang / "cap-nhat.xml").getroot()
        titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
        assert sorted(titles) == sorted(e[field] for e in entries)
        assert all(e.find("a:id", ns).text.startswith("tag:ke-hoach-683-nghe-an,") for e in root.findall("a:entry", ns))
    assert 'type="application/atom+xml" href="./cap-nhat.xml"' in (built_site / "index.html").read_text(encoding="utf-8")


def test_a_published_build_gives_every_page_absolute_hreflang_and_canonical_links(published):
    """Relative hreflang links are ignored by search engines and cost Lighthouse's SEO audit 9 points
    (issue 24): built with SITE_URL, as the publish workflow builds, every page of the site names itself
    and its other language by absolute address."""
    root = "https://example.org/ke-hoach-683/"
    wrong, pages = [], 0
    for page in sorted(published.rglob("*.html")):
        rel = page.relative_to(published).as_posix()
        html = page.read_text(encoding="utf-8")
        if 'class="md-header' not in html:          # chart embeds and enterprise redirects: not pages of the site
            continue
        pages += 1
        links = dict(re.findall(r'<link rel="alternate" hreflang="(vi|en)" href="([^"]+)"', html))
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
        if sorted(links) != ["en", "vi"] or not all(h.startswith(root) for h in links.values()):
            wrong.append(f"{rel}: hreflang {links}")
        not_found = rel.removeprefix("en/") == "404.html"      # served at any address: no canonical of its own
        if not not_found and canonical != [root + rel]:
            wrong.append(f"{rel}: canonical {canonical}")
        if not not_found and links.get("vi") != root + rel.removeprefix("en/"):
            wrong.append(f"{rel}: the Vietnamese alternate is not this page")
    assert pages > 100
    assert wrong == []

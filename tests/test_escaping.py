"""No text in any cell can run code in a visitor's browser, and every text is shown as it was written.

- Volume, without MkDocs: hypothesis puts arbitrary Unicode, Markdown and HTML-like text through the
  real Jinja environment (the one place that escapes) into each Markdown context the templates use,
  renders it with the site's Markdown extensions and checks the HTML.
- Once, with MkDocs: a copy of data/ with a hostile text in every text field of every table is built
  into a temporary folder; nothing from data becomes markup and every text shows literally.
"""
import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from scripts import paths
from scripts.base.text import clause_title, escape, is_safe_url, safe_url
from scripts.engines.build import DataInvalid, build
from scripts.render.pages import environment
from tests.helpers import read_rows, site_labels, write_rows

pytest_plugins = ["tests.browser"]  # the session's one Chromium (fixture `browser`)

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
    "`code` ``x``",
    "a | b | c",
    "&lt;b&gt; &amp; &#60;",
    "\u202eRTL\u200f mark",
    "😀 emoji 👩‍👩‍👧",
    "\"'><svg onload=alert(1)>",
    "</title><script>alert(2)</script>",
    "**bold** _it_ ~~s~~",
    "- list",
    "+ plus",
    "> quote",
    "    indented code",
    "1. one",
    "# h",
    "{: onclick=\"alert(1)\" }",
    "<!-- c -->",
    "![i](http://evil.example/x.png)",
    "<http://evil.example/>",
    "\\*",
    "---",
    "!!! note",
    ":   def",
    "a\nb\n\n- c",
    "<a href=\"javascript:alert(3)\">x</a>",
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
    "[ref]: javascript:alert(5)",
    "<details open ontoggle=alert(6)>",
    "%3Cscript%3E",
]
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


# --- the one place that escapes ------------------------------------------------------------------------

def test_escape_writes_markup_as_entities():
    assert escape("<script>alert(1)</script>") == "&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;"
    assert escape("[x](javascript:alert(1))") == "&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"
    assert escape("&lt;b&gt;") == "&#38;lt;b&#38;gt;"
    assert escape("a\n\n  b\tc") == "a b c"


def test_escape_keeps_a_line_start_from_making_a_list_or_a_rule():
    assert escape("- a") == "&#45; a"
    assert escape("2021. Một năm") == "2021&#46; Một năm"
    assert escape("---") == "&#45;--"


def test_escape_drops_control_characters_markdown_uses_internally():
    """Python-Markdown keeps raw HTML aside behind \\x02…\\x03 placeholders: data must never forge one."""
    assert escape("a\x02wzxhzdk:0\x03b\x00c\x1b[2Jd") == "awzxhzdk&#58;0bc&#91;2Jd"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x",
                                 "/etc/passwd", "../secret.txt", "nguon/../../x", "https://", "https:///x", "http://a b",
                                 "https://a\"onmouseover=\"alert(1)", "https://a>b", "file:///etc/passwd", "\\\\server\\share",
                                 "HTTPS://EXAMPLE.ORG", "mailto:a@b.vn", ""])
def test_unsafe_link_targets_become_hash(url):
    assert not is_safe_url(url)
    assert safe_url(url) == "#"


@pytest.mark.parametrize("url, target", [("https://example.org/a(b)", "https://example.org/a%28b%29"),
                                         ("http://so.nghean.gov.vn/?id=1&x=2", "http://so.nghean.gov.vn/?id=1&x=2"),
                                         ("nguon/ke-hoach-683-KH-UBND-2021.txt", "nguon/ke-hoach-683-KH-UBND-2021.txt"),
                                         ("https://vi.wikipedia.org/wiki/Nghệ_An", "https://vi.wikipedia.org/wiki/Nghệ_An")])
def test_safe_link_targets_are_kept(url, target):
    assert safe_url(url) == target


# --- hypothesis, through the real Jinja environment and the site's Markdown ----------------------------------

class _Permissive(yaml.SafeLoader):
    """mkdocs.yml may hold !!python/name tags (pymdownx settings): read them as nothing."""


_Permissive.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions mkdocs.yml gives MkDocs."""
    config = yaml.load(paths.MKDOCS_CONFIG.read_text(encoding="utf-8"), Loader=_Permissive)
    names, settings_ = [], {}
    for item in config.get("markdown_extensions", []):
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        names.append(name)
        settings_[name] = {k: v for k, v in (options or {}).items() if v is not None}
    return markdown.Markdown(extensions=names, extension_configs=settings_)


MD = site_markdown()
ENV = environment("vi", site_labels()["vi"])

# Where templates put data text, with X for the value.
CONTEXTS = {
    "paragraph": "{{ x }}\n",
    "after a label": "Số hiệu: **{{ x }}** · {{ x }}\n",
    "heading with an id": "## {{ x }} { #muc }\n",
    "page title": "# Nhiệm vụ 1. {{ x }}\n",
    "list item": "- {{ x }}\n",
    "numbered": "1. {{ x }}\n2. {{ x }}\n",
    "table cell": "| A | B |\n|---|---|\n| {{ x }} | {{ x }} |\n",
    "link text": "[{{ x }}](../co-quan/so-khcn.md)\n",
    "emphasis": "*{{ x }}*\n",
    "admonition": '<div class="admonition note" markdown>\n<p class="admonition-title">Hiện nay</p>\n\n{{ x }}\n\n</div>\n',
    "lines": "{% for line in x | lines %}\n- {{ line }}\n{% endfor %}\n",
    # a label of the site's own words with a value put in by .format(), as cite_text and merged_into are
    "inside a label": "> {{ label.format(title=x) }}\n",
}
LABEL = next(type(v) for v in site_labels()["vi"].values() if isinstance(v, Markup))("Trích dẫn: \"{title}\", bảng theo dõi.")


class Page(HTMLParser):
    """Tags, attributes and the visible text of a piece of HTML."""

    HIDDEN = {"script", "style", "title", "template", "noscript"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.texts, self.scripts, self._open = [], [], [], [], []
        self._type = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag in self.HIDDEN:
            self._open.append(tag)
            self._type = dict(attrs).get("type") or ""

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if not self._open:
            self.texts.append(data)
        elif self._open[-1] in ("script", "style"):
            self.scripts.append((self._open[-1], self._type, data))

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.texts).split())


def rendered(context: str, value: str) -> Page:
    MD.reset()
    return Page(MD.convert(ENV.from_string(CONTEXTS[context]).render(x=value, label=LABEL)))


def shown(value: str) -> str:
    return " ".join(value.split())


MARKS = list("&<>\"'`*_[](){}#+!|~\\$^=:-.;/ ") + ["\n", "\t", "\u2028", "\xa0", "1.", "&#", "&lt;", "<b>", "](", "{:"]
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.sampled_from(MARKS), st.sampled_from(MARKS),
                          st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8)),
                min_size=1, max_size=10).map("".join)


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_each_hostile_text_in_each_context_is_shown_literally(context):
    for value in HOSTILE:
        check(context, value)


@settings(max_examples=300, deadline=None)
@given(value=TEXT, context=st.sampled_from(sorted(CONTEXTS)))
def test_any_text_in_any_context_is_shown_literally_and_adds_no_markup(value, context):
    assume(value.strip() or context == "lines")  # a blank value is a "required" problem, not text to show
    check(context, value)


def check(context: str, value: str) -> None:
    lines = [line for line in value.split("\n") if line.strip()]
    if context == "lines":  # one list item per line of the cell
        plain, expected_values = rendered(context, "\n".join("Q" for _ in lines)), [shown(line) for line in lines]
    else:
        plain, expected_values = rendered(context, "Q"), [shown(value)]
    got = rendered(context, value)
    # the same elements and attributes as around a harmless value (a heading's id and anchor follow its text)
    assert got.tags == plain.tags
    assert [(t, n) for t, n, _ in got.attributes] == [(t, n) for t, n, _ in plain.attributes]
    assert _fixed(got.attributes) == _fixed(plain.attributes)
    # and the text as it was written, with its spaces and line breaks collapsed
    parts = plain.visible.split("Q")
    if context != "lines":
        expected_values = expected_values * (len(parts) - 1)
    expected = parts[0] + "".join(text + part for text, part in zip(expected_values, parts[1:]))
    assert got.visible == expected, (context, value)


def _fixed(attributes):
    return [v for t, n, v in attributes if n != "id" and not (n == "href" and v.startswith("#"))]


URLS = st.one_of(st.sampled_from(["javascript:alert(1)", "data:text/html,x", "https://example.org/a_b(c)*d", "//evil.example",
                                  "nguon/x.txt", "../x", "https://x.org/<script>"]),
                 st.text(max_size=30), st.text(max_size=20).map(lambda s: "https://e.org/" + s),
                 st.text(max_size=20).map(lambda s: "nguon/" + s))


@settings(max_examples=150, deadline=None)
@given(url=URLS)
def test_a_link_from_data_is_web_or_site_relative_or_nothing(url):
    page = Page(MD.convert(ENV.from_string("[nguồn]({{ u | url }})\n").render(u=url, here="co-quan")))
    [(tag, name, href)] = [a for a in page.attributes if a[0] == "a"] or [("a", "href", None)]
    assert href is not None, "the link disappeared"
    parts = urlsplit(href)
    assert parts.scheme in ("", "http", "https") and not href.startswith("//")
    assert (href == "#") == (not is_safe_url(url))
    assert page.visible == "nguồn"


# --- one build with a hostile text in every text field ------------------------------------------------------

def text_fields(resource: dict) -> list[str]:
    """Free text: strings that are not keys, links, codes from a list, patterned values or file paths."""
    schema = resource["schema"]
    keys = set(schema.get("primaryKey", [])) | {f for fk in schema.get("foreignKeys", []) for f in fk["fields"]}
    return [f["name"] for f in schema["fields"]
            if f.get("type", "string") == "string" and f["name"] not in keys
            and not {"pattern", "enum"} & set(f.get("constraints", {}))
            and not re.match(r"^(id|.*_id|url|.*_url|website|.*_path|.*image|succeeded_by)$", f["name"])]


def plant(package: Path) -> dict[str, str]:
    """Put a hostile text, tagged with where it went, in every text field of every row; return them."""
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    placed, n = {}, 0

    def hostile(where: str) -> str:
        nonlocal n
        n += 1
        marker = f"«{where}»"
        value = f"{marker} {HOSTILE[n % len(HOSTILE)]}" if n % 2 else f"{HOSTILE[n % len(HOSTILE)]} {marker}"
        placed[marker] = value
        return value

    for resource in descriptor["resources"]:
        fields = text_fields(resource)
        header, rows = read_rows(package.parent / resource["path"])
        for i, row in enumerate(rows):
            for field in fields:
                row[field] = hostile(f"{resource['name']}.{field}.{i}")
        write_rows(package.parent / resource["path"], header, rows)
        for key in ("title", "title_vi", "description", "description_vi"):
            if key in resource:
                resource[key] = hostile(f"{resource['name']}.{key}")
    for key in ("title", "title_en", "description", "description_vi"):
        descriptor[key] = hostile(f"package.{key}")
    package.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    # a web address full of Markdown's special characters, still a web address
    header, rows = read_rows(package.parent / "sources.csv")
    rows[1]["url"] = "https://example.org/a_b*c(d)[e]{f}~g!h$i^j"
    write_rows(package.parent / "sources.csv", header, rows)
    return placed


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(paths.DATA, data)
    placed = plant(data / "datapackage.json")
    out = data.parent / "build"
    try:
        build(out, data / "datapackage.json")
    except DataInvalid as err:
        pytest.fail("the hostile texts are valid data, yet: " + "; ".join(
            f"{p.file}:{p.row}:{p.field} {p.message('en')}" for p in err.problems))
    return out, placed


def _pages(site: Path):
    return sorted(site.rglob("*.html"))


def markup_offences(site: Path, clean: Path) -> list[tuple]:
    """Elements or attributes the real build never has; event handlers; javascript:/data: links;
    data inside a script or a style; a hostile payload in raw HTML."""
    known_tags, known = set(), set()
    for page in _pages(clean):
        parsed = Page(page.read_text(encoding="utf-8"))
        known_tags |= set(parsed.tags)
        known |= {(tag, name) for tag, name, _ in parsed.attributes}
    offences = []
    for path in _pages(site):
        raw = path.read_text(encoding="utf-8")
        page = Page(raw)
        where = path.relative_to(site).as_posix()
        offences += [(where, "new element", tag) for tag in sorted(set(page.tags) - known_tags)]
        offences += [(where, "new attribute", tag, name) for tag, name, _ in page.attributes if (tag, name) not in known]
        offences += [(where, "event handler", tag, name) for tag, name, _ in page.attributes if name.startswith("on")]
        offences += [(where, "link", tag, value) for tag, name, value in page.attributes
                     if name in ("href", "src", "action", "formaction", "srcset", "xlink:href", "poster")
                     and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(DANGEROUS_SCHEMES)]
        offences += [(where, "data in a script or style", text[:80]) for tag, kind, text in page.scripts
                     if "«" in text and not (kind.endswith("json") and _is_json(text))]
        outside_json = re.sub(r'<script[^>]*type="application/(?:ld\+)?json"[^>]*>.*?</script>', "", raw, flags=re.S)
        offences += [(where, "raw", payload) for payload in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<details open")
                     if payload in outside_json]
    return offences


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def title_offences(site: Path) -> list[tuple]:
    """A <title> holding markup, or a <meta> whose content attribute was left by a quote from data."""
    offences = []
    for path in _pages(site):
        raw = path.read_text(encoding="utf-8")
        for title in re.findall(r"<title>(.*?)</title>", raw, re.S):
            if "<" in title:
                offences.append((path.relative_to(site).as_posix(), title[:120]))
        for tag in re.findall(r"<meta [^>]*>", raw):
            if "«" in tag and re.search(r'content="[^"]*"\s+(?!/?>)[^\s=>]+', tag):
                offences.append((path.relative_to(site).as_posix(), tag[:160]))
    return offences


def literal_offences(site: Path, placed: dict[str, str]) -> tuple[list[tuple], set[str]]:
    """Where a text shows but not as written; and the markers seen."""
    seen, wrong = set(), []
    for path in _pages(site):
        raw = path.read_text(encoding="utf-8")
        visible = Page(raw).visible
        titles = shown(" ".join(html.unescape(t) for t in re.findall(r"<title>(.*?)</title>", raw, re.S)))
        for marker, value in placed.items():
            for text in (visible, titles):
                if marker in text:
                    seen.add(marker)
                    expected = " ".join(shown(line) for line in value.split("\n") if line.strip())
                    # a clause used as a title or heading drops its closing ";" or "." (issue 15), nothing else
                    if expected not in text and clause_title(expected) not in text:
                        found = text[max(0, text.index(marker) - 60): text.index(marker) + 80]
                        wrong.append((path.relative_to(site).as_posix(), expected, found))
    return wrong, seen


def test_no_markup_from_data_in_any_page(hostile_site, built_site):
    site, _ = hostile_site
    assert markup_offences(site, built_site) == []


def test_page_titles_from_data_are_text_not_markup(hostile_site):
    """MkDocs gives the theme a page title as HTML and `striptags` decodes it: the <title> element and
    the sharing card's attributes must escape it again."""
    site, _ = hostile_site
    assert title_offences(site) == []


def test_every_text_is_shown_as_written(hostile_site):
    site, placed = hostile_site
    wrong, seen = literal_offences(site, placed)
    assert wrong == []
    fields = {marker.strip("«»").rsplit(".", 1)[0] if marker.count(".") > 1 else marker.strip("«»") for marker in seen}
    assert {"plan.title_vi", "plan.title_en", "tasks.title_vi", "tasks.title_en", "tasks.short_title_vi", "tasks.content_vi",
            "tasks.timeframe_en", "agencies.name_vi", "agencies.name_en", "agencies.succession_note_vi", "targets.text_vi",
            "targets.text_en", "duties.text_vi", "duties.text_en", "purposes.text_vi", "funding_sources.text_en",
            "duty_items.heading_vi", "legal_basis.title_vi", "sources.title", "sources.publisher"} <= fields


def test_a_web_address_with_markdown_characters_is_linked_unchanged(hostile_site):
    site, _ = hostile_site
    hrefs = {value for path in _pages(site) for tag, name, value in Page(path.read_text(encoding="utf-8")).attributes
             if tag == "a" and name == "href" and "example.org" in value}
    assert hrefs == {"https://example.org/a_b*c%28d%29[e]{f}~g!h$i^j"}


def test_the_search_index_holds_data_as_text(hostile_site):
    """Material puts search results into the page as HTML: the index must hold data escaped."""
    site, _ = hostile_site
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    docs = json.loads(index)["docs"]
    assert any("«" in d["text"] for d in docs)
    for payload in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<details open"):
        assert all(payload not in d["text"] and payload not in d["title"] for d in docs), payload


@pytest.mark.browser
def test_no_script_runs_in_a_browser_on_hostile_pages_or_in_search(hostile_site, browser):
    from tests.browser import is_redirect, serve

    site, placed = hostile_site
    # pages full of data, and every page whose title holds a text that would run if it were markup
    risky = [marker for marker, value in placed.items() if re.search(r"</title>|onerror|onload|ontoggle", value)]
    titled = [path.relative_to(site).as_posix() for path in _pages(site)
              if any(marker in " ".join(re.findall(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S))
                     for marker in risky)]
    pages = ["index.html", "ke-hoach.html", "chi-tieu/index.html", "du-lieu/index.html", "en/ke-hoach.html"] + titled
    assert len(titled) > 5
    dialogs = []
    with serve(site) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
            for path in pages:
                if is_redirect(site / path):     # an enterprise's address: wait until it has sent us on
                    page.goto(f"{base}/{path}", wait_until="commit")
                    page.wait_for_url(re.compile(r"/doanh-nghiep/"), timeout=10_000)
                else:
                    page.goto(f"{base}/{path}")
                page.wait_for_load_state("load")
            page.goto(f"{base}/index.html")
            page.keyboard.press("/")  # Material's search shortcut
            found = 0      # results shown, over all the queries
            for query in ("alert", "script", "img", "onerror", "svg"):
                page.fill("input.md-search__input", query)
                page.wait_for_timeout(400)
                shown = page.locator(".md-search-result__item").count()
                if shown:
                    page.locator(".md-search-result__item").first.hover()
                found += shown
        finally:
            context.close()
    assert found > 0, "the search found nothing to show: this test would prove nothing"
    assert dialogs == []

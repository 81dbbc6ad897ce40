"""Render the model into one MkDocs docs folder per language, plus its config: the Jinja
environment, the table of pages (`page_specs`), and the Markdown each page becomes.

URLs come from scripts/render/urls.py; feeds, charts, redirects and sharing have modules of their own.
"""
from __future__ import annotations

import hashlib
import html
import os
import posixpath
import re
import shutil
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .. import paths, settings
from ..base.text import (
    DAY_MONTH_PATTERNS,
    clause_title,
    decimals_of,
    escape,
    format_date,
    format_number,
    format_published,
    safe_url,
)
from ..data.progress import STATUSES
from ..intake import forms
from . import feeds, opendata, paging, timeline
from .chart_jobs import chart_id
from .labels import fill, read_labels
from .urls import LANGS, path_of, qr_file, site_root


@dataclass
class Page:
    path: str                     # inside the docs folder, e.g. nhiem-vu/co-che-chinh-sach.md
    template: str                 # under site/templates/pages/
    context: dict = field(default_factory=dict)


def page_specs(model: dict, package: dict, frames: dict) -> list[Page]:
    """Every generated page, as (path, template, context): the table the site is made from."""
    pages = [Page(path_of(kind), f"{kind}.md.j2") for kind in
             ("home", "plan", "legal_basis", "funding", "tasks", "targets", "context", "searches", "calendar", "agencies")]
    data_url = settings.SITE_URL + posixpath.dirname(path_of("data")) + "/" if settings.SITE_URL else ""
    json_ld = {lang: Markup(opendata.json_ld(package, frames, lang, data_url, settings.SITE_URL, model["plan"])) for lang in LANGS}
    pages += [Page(path_of("data"), "data.md.j2", {"json_ld": json_ld}),
              Page(path_of("dictionary"), "dictionary.md.j2", {"dictionary": opendata.dictionary(package)})]
    pages += [Page(path_of("target", t["id"]), "target.md.j2", {"target": t}) for t in model["targets"]]
    pages += [Page(path_of("task", t["id"]), "task.md.j2", {"task": t}) for t in model["tasks"]]
    pages += enterprise_page_specs(model["firms"])
    pages += [Page(path_of("agency", a["id"]), "agency.md.j2", {"agency": a}) for a in model["agencies"]]
    return pages


def enterprise_page_specs(firms: dict) -> list[Page]:
    """The pages for enterprises: support finder, honours (paged), directory (paged), model sites."""
    dirs = directories(firms)
    pages = [Page(path_of(kind), f"{kind}.md.j2", {"firms": firms}) for kind in ("support", "model_sites")]
    pages += [Page(c.path, "honours.md.j2" if c.parent is None else "honours_group.md.j2", {"firms": firms, "chunk": c})
              for c in dirs["honours"].walk()]
    pages += [Page(c.path, "enterprises.md.j2", {"firms": firms, "chunk": c}) for c in dirs["enterprises"].walk()]
    pages += [Page(path_of("model_site", s["id"]), "model_site.md.j2", {"firms": firms, "site": s}) for s in firms["model_sites"]]
    return pages


def directories(firms: dict) -> dict:
    """The honours and the enterprise directory as pages of at most paging.LIMIT rows: one page while
    they fit, then one per award (and year) or per sector. Where each enterprise's entry is."""
    honours = paging.split(firms["honours"], path_of("honours"), [
        (lambda h: h["award"], lambda award: path_of("honours_group", award)),
        (lambda h: h["year"], lambda award, year: path_of("honours_group", f"{award}-{year}"))])
    listed = sorted(firms["enterprises"], key=lambda e: (e["sector"]["order"], e["name_vi"]))
    directory = paging.split(listed, path_of("enterprises"), [
        (lambda e: e["sector"]["id"], lambda sector: path_of("enterprise_group", sector))], limit=ENTERPRISES_PER_PAGE)
    sector_page = {c.keys[0]: c.path for c in directory.children}
    return {"honours": honours, "enterprises": directory, "limit": paging.LIMIT, "table_part": paging.TABLE_PART, "enterprise_limit": ENTERPRISES_PER_PAGE,
            "enterprise_page": paging.page_of(directory, lambda e: e["id"]),
            # a sector's place in the directory: its own page, or its section of the one page
            "sector_page": {s["id"]: (sector_page[s["id"]], "") if s["id"] in sector_page else (directory.path, "nganh-" + s["id"])
                            for s in firms["sectors"]}}


ENTERPRISES_PER_PAGE = 200     # an entry holds its honours and sources: a page of 200 is about 60 KB gzipped


def nav(model: dict, labels: dict) -> list:
    L = labels
    return [
        {L["home"]: path_of("home")},
        {L["plan"]: [{L["the_plan"]: path_of("plan")}, {L["legal_basis"]: path_of("legal_basis")}, {L["funding"]: path_of("funding")}]},
        {L["tasks"]: [path_of("tasks")] + [{f'{t["number"]}. {t["short_title_" + labels["_lang"]]}': path_of("task", t["id"])} for t in model["tasks"]]},
        {L["progress"]: [{L["progress_title"]: path_of("targets")}, {L["context"]: path_of("context")},
                         {L["searches_nav"]: path_of("searches")},
                         {L["calendar"]: path_of("calendar")}, {L["methodology"]: path_of("methodology")}]},
        {L["agencies"]: path_of("agencies")},
        {L["ent_nav"]: [{L["ent_support_nav"]: path_of("support")}, {L["ent_honours_nav"]: path_of("honours")},
                        {L["ent_directory_nav"]: path_of("enterprises")},
                        {L["ent_model_sites_nav"]: path_of("model_sites")}]},
        {L["open_data"]: [path_of("data"), {L["dictionary"]: path_of("dictionary")}]},
        {L["about"]: [path_of("about"), {L["how_to_update"]: "cap-nhat-du-lieu.md"}, {L["maintaining"]: "bao-tri.md"},
                      {L["new_plan"]: path_of("new_plan")}]},
    ]


def environment(lang: str, labels: dict) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES),
        undefined=jinja2.StrictUndefined,
        # Every {{ value }} that is not already Markup (labels, links, macro output) is data:
        # escaped for both Markdown and HTML, so it is shown literally.
        finalize=lambda value: value if isinstance(value, Markup) else Markup(escape(value)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.bytecode_cache = _bytecode_cache(env)
    env.filters.update(
        tr=lambda record, name: record[f"{name}_{lang}"],
        heading=lambda record, name: clause_title(record[f"{name}_{lang}"]),
        date=lambda value: format_date(value, lang),
        daymonth=lambda value: format_date(value, lang, DAY_MONTH_PATTERNS),
        when=lambda value: format_published(value, lang),
        first_upper=lambda text: (text[:1].upper() + text[1:]) if text else text,
        split_unique=lambda text: "; ".join(dict.fromkeys(p.strip() for p in text.split(";") if p.strip() and p.strip() != "—")),
        host=lambda url: urllib.parse.urlsplit(url or "").netloc.removeprefix("www.") or url,
        page_kind=lambda kind: labels[f"page_kind_{kind}"],
        number=lambda value, decimals=None: format_number(value, lang, decimals),
        decimals=lambda rows: decimals_of(r["value"] for r in rows),
        url=_url,
        lines=lambda text: [line.strip() for line in (text or "").split("\n") if line.strip()],
    )
    env.filters["reason"] = lambda assessment: _reason(assessment, labels, lang)
    env.globals["timeline"] = lambda model: _timeline(model, labels, lang)
    env.globals["STATUSES"] = STATUSES
    env.globals["part_ref"] = _part_ref
    # the record with this id, or none (a package may lack it: an award no one in the province won)
    env.globals["find"] = lambda records, id: next((r for r in records if r["id"] == id), None)
    env.globals.update(L=labels, lang=lang, path_of=path_of, chart_id=chart_id, qr_file=qr_file,
                       site_url=settings.SITE_URL, has_qr=bool(settings.SITE_URL),
                       # a link that opens an issue form filled in ("" without REPO_URL: then leave the link out)
                       form_url=lambda form_id, **fields: Markup(forms.form_url(form_id, **fields)))
    return env


def _bytecode_cache(env: jinja2.Environment) -> jinja2.FileSystemBytecodeCache:
    """Compiled templates kept between builds (compiling ours takes ~1 s, per language). Jinja
    checks each template's source against what it compiled, and the compiled code also depends on
    the environment's settings, so each set of settings has its own folder."""
    settings_key = repr((jinja2.__version__, env.autoescape, env.finalize is not None, env.trim_blocks,
                         env.lstrip_blocks, env.keep_trailing_newline, env.undefined.__name__))
    folder = paths.GENERATED / ".jinja-cache" / hashlib.sha256(settings_key.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def overlay(env: jinja2.Environment, **changes) -> jinja2.Environment:
    """The environment with other settings, and the bytecode cache that goes with them."""
    other = env.overlay(**changes)
    other.bytecode_cache = _bytecode_cache(other)
    return other


def _reason(assessment, labels: dict, lang: str) -> Markup:
    """The sentence that explains a status, with its numbers written the language's way."""
    facts = {k: (format_number(v, lang) if isinstance(v, float) else v) for k, v in assessment.facts.items()}
    return Markup(escape(str(labels[f"reason_{assessment.reason}"]).format(**facts)))


def _timeline(model: dict, labels: dict, lang: str) -> Markup:
    """The home page's timeline of the plan, in the page's language."""
    L, plan = labels, model["plan"]
    targets = [{**t, "label": clause_title(t[f"text_{lang}"])} for t in model["targets"]]
    groups = "; ".join(str(L["timeline_group"]).format(n=n, year=year)
                       for year, n in sorted(Counter(t["deadline_year"] for t in targets).items())) or str(L["timeline_no_targets"])
    words = {"title": str(L["timeline_alt"]).format(start=plan["period_start"], end=plan["period_end"], groups=groups,
                                                    date=format_date(model["as_of"], lang)),
             "as_of": str(L["timeline_as_of"]), "as_of_date": format_date(model["as_of"], lang),
             "deadline": str(L["timeline_deadline"]), **{f"status_{s}": str(L[f"status_{s}"]) for s in STATUSES}}
    return timeline.svg(targets, model["as_of"], plan["period_start"], plan["period_end"], words)


@jinja2.pass_context
def _part_ref(context, part: str, *subs) -> str | None:
    """A part of the plan by its own numbering (plan.csv: tasks_section II, …) and a clause within it:
    "II.3". None where the plan's text kept does not number that part."""
    number = context["model"]["plan"][f"{part}_section"]
    return ".".join([number, *(str(s) for s in subs if s is not None)]) if number else None


@jinja2.pass_context
def _url(context, value: str | None) -> Markup:
    """A link from data: absolute as it is; a path inside the site made relative to this page."""
    target = safe_url(value)
    if target.startswith(("http://", "https://", "#")):
        return Markup(target)
    return Markup(posixpath.relpath(target, context.get("here") or "."))


def render(model: dict, package: dict, chart_sizes: dict | None = None, frames=None) -> dict[str, dict[str, str]]:
    """{lang: {path: markdown}} for every generated page."""
    labels = read_labels(model["words"])
    dirs = directories(model["firms"])
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        env = environment(lang, labels[lang])
        out[lang] = {page.path: render_page(env, page, model, package, dirs, (chart_sizes or {}).get(lang, {}))
                     for page in page_specs(model, package, frames or {})}
    return out


def render_page(env: jinja2.Environment, page: Page, model: dict, package: dict, dirs: dict, chart_sizes: dict) -> str:
    """One page's Markdown, with the links it needs made relative to where it is."""
    here = posixpath.dirname(page.path)

    def href(path: str, anchor: str = "") -> str:
        """A docs path (…/x.md) as a link from this page."""
        return Markup(posixpath.relpath(path, here or ".") + (f"#{anchor}" if anchor else ""))

    def link(kind: str, id: str | None = None, anchor: str = "") -> str:
        return href(path_of(kind, id), anchor)

    def page_href(path: str, anchor: str = "") -> str:
        """The same link for raw HTML, which MkDocs does not rewrite: to the built page."""
        return href(path[:-3] + ".html" if path.endswith(".md") else path, anchor)

    template = env.get_template(f"pages/{page.template}")
    return template.render(model=model, package=package, link=link, href=href, page_href=page_href, here=here,
                           dirs=dirs, chart_sizes=chart_sizes, **page.context)


def prepare_docs(model: dict, package_path: Path, descriptor: dict, frames) -> None:
    """Lay out site/generated/<lang>/ afresh: static files, the downloads, feeds, the MkDocs config."""
    labels = read_labels(model["words"])
    for lang in LANGS:
        docs = paths.docs_dir(lang)
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        for page in sorted((paths.CONTENT / lang).rglob("*.md")):        # the hand-written pages, with the plan's words
            target = docs / page.relative_to(paths.CONTENT / lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fill(page.read_text(encoding="utf-8"), model["words"][lang]), encoding="utf-8")
        shutil.copytree(paths.ASSETS, docs / "assets")
        (docs / "assets" / COLOURS_CSS).write_text(colours_css(model["colors"]), encoding="utf-8")
        data_dir = docs / posixpath.dirname(path_of("data"))
        if lang == LANGS[0]:  # the downloads are the same in both languages: make them once, copy them
            opendata.write_downloads(package_path, descriptor, frames, data_dir)
        else:
            shutil.copytree(paths.docs_dir(LANGS[0]) / posixpath.dirname(path_of("data")), data_dir)
        for kept in kept_documents(model, package_path.parent):       # texts the project keeps, e.g. the plan's own
            (docs / kept).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package_path.parent / kept, docs / kept)
        (docs / path_of("feed")).write_text(feeds.feed(model, labels[lang], lang), encoding="utf-8")
        (docs / path_of("calendar_ics")).write_bytes(feeds.calendar_ics(model, labels[lang], lang))
        paths.mkdocs_config(lang).write_text(_config(lang, labels[lang], model), encoding="utf-8")


COLOURS_CSS = "colors.css"      # the package's colours (its "site" settings), after the theme's and site.css


def colours_css(colors: dict[str, str]) -> str:
    """The theme's colour variables from the package (validated as #rrggbb)."""
    return (":root {\n"
            f"  --md-primary-fg-color: {colors['primary']};\n"
            f"  --md-primary-fg-color--light: {colors['primary_light']};\n"
            f"  --md-primary-fg-color--dark: {colors['primary_dark']};\n"
            f"  --md-accent-fg-color: {colors['accent']};\n}}\n")


def kept_documents(model: dict, folder: Path) -> list[str]:
    """Sources the project keeps inside the package (a url that is a path, e.g. nguon/ke-hoach.txt, not
    a web address): published at the same path, so the link resolves on the site."""
    return sorted({s["url"] for s in model["sources"].values()
                   if s["url"] and not s["url"].startswith(("http://", "https://")) and (folder / s["url"]).is_file()})


def write_pages(rendered: dict[str, dict[str, str]]) -> None:
    for lang, pages in rendered.items():
        for path, text in pages.items():
            target = paths.docs_dir(lang) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(with_title(text), encoding="utf-8")


def page_title(markdown: str) -> str:
    """The first H1 of a generated page, as text (entities decoded, heading attributes dropped)."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return html.unescape(re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:])).strip()
    return ""


def with_title(markdown: str) -> str:
    """Give the page an explicit, HTML-escaped title. MkDocs would otherwise take the H1's text with
    its entities decoded, and the theme prints page titles into the HTML unescaped."""
    title = page_title(markdown)
    if not title:
        return markdown
    line = yaml.safe_dump({"title": html.escape(title)}, allow_unicode=True, width=10_000).strip()
    if markdown.startswith("---\n"):
        return "---\n" + line + "\n" + markdown[4:]
    return f"---\n{line}\n---\n\n{markdown}"


def _plain(value):
    """Labels are Markup (trusted); YAML wants plain strings. Nav titles from data are HTML-escaped
    here because MkDocs puts them into the page without escaping."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


def _markdown_extensions(labels: dict) -> list:
    """mkdocs.yml's extensions (INHERIT replaces a list, it does not merge it), with the title of
    each heading's "#" link in the page's language."""
    base = _base_config()["markdown_extensions"]
    return [{"toc": {**(item["toc"] or {}), "permalink_title": labels["permalink_title"]}}
            if isinstance(item, dict) and "toc" in item else item for item in base]


def _base_config() -> dict:
    return yaml.safe_load(paths.MKDOCS_CONFIG.read_text(encoding="utf-8"))


def _config(lang: str, labels: dict, model: dict) -> str:
    here = paths.mkdocs_config(lang).parent
    config = {
        # paths relative to this file, and the site inside its folder: the form both MkDocs and
        # Zensical accept (MkDocs is given its own --site-dir; Zensical has no such option)
        "INHERIT": os.path.relpath(paths.MKDOCS_CONFIG, here),
        "docs_dir": os.path.relpath(paths.docs_dir(lang), here),
        "site_dir": os.path.relpath(paths.engine_site_dir(lang), here),
        "site_name": Markup(model["words"][lang]["site_name"]),       # plain text (validate: no < > & " ` { })
        "site_description": Markup(model["words"][lang]["site_description"]),
        "theme": {"name": "material", "language": lang, "custom_dir": os.path.relpath(paths.OVERRIDES, here)},
        "site_url": site_root(lang) or None,
        "nav": nav(model, labels),
        "markdown_extensions": _markdown_extensions(labels),
        # mkdocs.yml's styles, then the package's colours (INHERIT replaces a list, it does not merge it)
        "extra_css": _base_config()["extra_css"] + [f"assets/{COLOURS_CSS}"],
        # caches that make a rebuild after a small change cheap (scripts/engines/mkdocs_hooks.py); Zensical
        # ignores this key, and the output is the same without them
        "hooks": [os.path.relpath(paths.MKDOCS_HOOKS, here)],
        # relative, so the site works under any path (a GitHub Pages project site, a downloaded copy)
        "extra": {"alternate": [{"name": "Tiếng Việt", "link": "./" if lang == "vi" else "../", "lang": "vi"},
                                {"name": "English", "link": "en/" if lang == "vi" else "./", "lang": "en"}],
                  "lang": lang, "other_lang": "en" if lang == "vi" else "vi",
                  "site_root": settings.SITE_URL or None,    # the Vietnamese home, for absolute hreflang links
                  "other_lang_name": labels["other_lang_name"], "other_lang_label": labels["other_lang_label"]},
    }
    config = _plain(config)
    return "# Written by `python -m scripts build`; edit mkdocs.yml or scripts/render/pages.py instead.\n" + \
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False)

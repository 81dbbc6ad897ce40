"""Render the model into one MkDocs docs folder per language, plus its config.

The one place that knows URLs: `PATHS` maps a kind of page to its path in the docs folder,
which is also its path on the site (Vietnamese at /, English at /en/).
"""
from __future__ import annotations

import html
import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import paths
from .text import escape, format_date, format_number, safe_url

LANGS = ("vi", "en")

PATHS = {
    "home": "index.md",
    "plan": "ke-hoach.md",
    "legal_basis": "can-cu-phap-ly.md",
    "funding": "kinh-phi.md",
    "tasks": "nhiem-vu/index.md",
    "task": "nhiem-vu/{id}.md",
    "targets": "chi-tieu/index.md",
    "agencies": "co-quan/index.md",
    "agency": "co-quan/{id}.md",
    "data": "du-lieu/index.md",
    "about": "gioi-thieu.md",
    "source_text": "nguon/ke-hoach-683-KH-UBND-2021.txt",
}


def path_of(kind: str, id: str | None = None) -> str:
    return PATHS[kind].format(id=id)


@dataclass
class Page:
    path: str                     # inside the docs folder, e.g. nhiem-vu/co-che-chinh-sach.md
    template: str                 # under site/templates/pages/
    context: dict = field(default_factory=dict)


def page_specs(model: dict) -> list[Page]:
    """Every generated page, as (path, template, context): the table the site is made from."""
    pages = [Page(path_of(kind), f"{kind}.md.j2") for kind in
             ("home", "plan", "legal_basis", "funding", "tasks", "targets", "agencies", "data")]
    pages += [Page(path_of("task", t["id"]), "task.md.j2", {"task": t}) for t in model["tasks"]]
    pages += [Page(path_of("agency", a["id"]), "agency.md.j2", {"agency": a}) for a in model["agencies"]]
    return pages


def nav(model: dict, labels: dict) -> list:
    L = labels
    return [
        {L["home"]: path_of("home")},
        {L["plan"]: [{L["the_plan"]: path_of("plan")}, {L["legal_basis"]: path_of("legal_basis")}, {L["funding"]: path_of("funding")}]},
        {L["tasks"]: [path_of("tasks")] + [{f'{t["number"]}. {t["short_title_" + labels["_lang"]]}': path_of("task", t["id"])} for t in model["tasks"]]},
        {L["targets"]: path_of("targets")},
        {L["agencies"]: path_of("agencies")},
        {L["open_data"]: path_of("data")},
        {L["about"]: path_of("about")},
    ]


def read_labels() -> dict[str, dict]:
    labels = yaml.safe_load(paths.LABELS.read_text(encoding="utf-8"))
    for lang in LANGS:
        # the site's own words are trusted Markdown; only data text is escaped
        labels[lang] = {key: Markup(value) for key, value in labels[lang].items()}
        labels[lang]["_lang"] = lang
    return labels


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
    env.filters.update(
        tr=lambda record, name: record[f"{name}_{lang}"],
        date=lambda value: format_date(value, lang),
        number=lambda value, decimals=None: format_number(value, lang, decimals),
        url=_url,
        lines=lambda text: [line.strip() for line in (text or "").split("\n") if line.strip()],
    )
    env.globals.update(L=labels, lang=lang, path_of=path_of)
    return env


@jinja2.pass_context
def _url(context, value: str | None) -> Markup:
    """A link from data: absolute as it is; a path inside the site made relative to this page."""
    target = safe_url(value)
    if target.startswith(("http://", "https://", "#")):
        return Markup(target)
    return Markup(posixpath.relpath(target, context.get("here") or "."))


def render(model: dict, package: dict) -> dict[str, dict[str, str]]:
    """{lang: {path: markdown}} for every generated page."""
    labels = read_labels()
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        env = environment(lang, labels[lang])
        out[lang] = {}
        for page in page_specs(model):
            here = posixpath.dirname(page.path)

            def link(kind: str, id: str | None = None, anchor: str = "", _here=here) -> str:
                target = posixpath.relpath(path_of(kind, id), _here or ".")
                return Markup(target + (f"#{anchor}" if anchor else ""))

            template = env.get_template(f"pages/{page.template}")
            out[lang][page.path] = template.render(model=model, package=package, link=link, here=here, **page.context)
    return out


def write_docs(rendered: dict[str, dict[str, str]], model: dict, data_files: list[Path]) -> None:
    """Lay out site/generated/<lang>/ and its mkdocs config; the folders are rebuilt each time."""
    labels = read_labels()
    for lang, pages in rendered.items():
        docs = paths.docs_dir(lang)
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        shutil.copytree(paths.CONTENT / lang, docs, dirs_exist_ok=True)
        shutil.copytree(paths.ASSETS, docs / "assets")
        for path, text in pages.items():
            target = docs / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for data_file in data_files:
            target = docs / "du-lieu" / data_file.name
            shutil.copyfile(data_file, target)
        (docs / "nguon").mkdir(exist_ok=True)
        shutil.copyfile(paths.SOURCE_TEXT, docs / path_of("source_text"))
        paths.mkdocs_config(lang).write_text(_config(lang, labels[lang], model), encoding="utf-8")


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


def _config(lang: str, labels: dict, model: dict) -> str:
    config = {
        "INHERIT": str(paths.MKDOCS_CONFIG),
        "docs_dir": str(paths.docs_dir(lang)),
        "site_name": labels["site_name"],
        "site_description": labels["site_description"],
        "theme": {"name": "material", "language": lang, "custom_dir": str(paths.OVERRIDES)},
        "nav": nav(model, labels),
        # relative, so the site works under any path (a GitHub Pages project site, a downloaded copy)
        "extra": {"alternate": [{"name": "Tiếng Việt", "link": "./" if lang == "vi" else "../", "lang": "vi"},
                                {"name": "English", "link": "en/" if lang == "vi" else "./", "lang": "en"}],
                  "lang": lang, "other_lang": "en" if lang == "vi" else "vi",
                  "other_lang_name": labels["other_lang_name"], "other_lang_label": labels["other_lang_label"]},
    }
    config = _plain(config)
    return "# Written by `python -m scripts build`; edit mkdocs.yml or scripts/pages.py instead.\n" + \
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False)

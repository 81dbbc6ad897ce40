"""How the enterprise pages plug into the build, for the tests of issue 4.

The lead wires these into scripts/pages.py and scripts/model.py; until then `wired()` patches them
in for the duration of a test build, and does nothing once the real wiring is there.
"""
from __future__ import annotations

import contextlib
import functools
import posixpath

import yaml
from markupsafe import Markup

from scripts import paths, pages
from scripts.enterprises import build_enterprise_model

LABELS = paths.SITE / "labels-enterprises.yml"
_SITE_LABELS = pages.read_labels          # before wired() replaces it

PATHS = {
    "support": "ho-tro/index.md",
    "honours": "ton-vinh/index.md",
    "enterprise": "ton-vinh/{id}.md",
    "model_sites": "mo-hinh-diem/index.md",
    "model_site": "mo-hinh-diem/{id}.md",
}


def add_firms(model: dict, frames: dict) -> dict:
    """What scripts/model.py does at the end of build_model."""
    model["firms"] = build_enterprise_model(frames, {a["id"]: a for a in model["agencies"]}, {t["id"]: t for t in model["tasks"]})
    return model


def page_specs(model: dict) -> list[pages.Page]:
    """The rows scripts/pages.py adds to its page_specs."""
    firms = model["firms"]
    specs = [pages.Page(pages.path_of(kind), f"{kind}.md.j2", {"firms": firms}) for kind in ("support", "honours", "model_sites")]
    specs += [pages.Page(pages.path_of("enterprise", e["id"]), "enterprise.md.j2", {"firms": firms, "enterprise": e}) for e in firms["enterprises"]]
    specs += [pages.Page(pages.path_of("model_site", s["id"]), "model_site.md.j2", {"firms": firms, "site": s}) for s in firms["model_sites"]]
    return specs


def nav_entry(labels: dict) -> dict:
    """The entry scripts/pages.py adds to nav(), after the agencies."""
    L = labels
    return {L["ent_nav"]: [{L["ent_support_nav"]: pages.path_of("support")}, {L["ent_honours_nav"]: pages.path_of("honours")},
                           {L["ent_model_sites_nav"]: pages.path_of("model_sites")}]}


def _with_entry(nav: list, labels: dict) -> list:
    """The enterprise entry goes before the last two (open data, about)."""
    return nav[:-2] + [nav_entry(labels)] + nav[-2:]


@functools.lru_cache(maxsize=1)
def read_labels() -> dict[str, dict]:
    """The site's labels with these merged in, as scripts/pages.read_labels will return them."""
    labels = _SITE_LABELS()
    extra = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    for lang in pages.LANGS:
        clash = set(extra[lang]) & set(labels[lang])
        if clash and any(str(labels[lang][k]) != extra[lang][k] for k in clash):
            raise ValueError(f"labels-enterprises.yml redefines {sorted(clash)}")
        labels[lang] = {**labels[lang], **{k: Markup(v) for k, v in extra[lang].items()}}
    return labels


def render_page(page: pages.Page, model: dict, lang: str, labels: dict | None = None, chart_sizes: dict | None = None) -> str:
    """One page's Markdown, rendered the way scripts/pages.render does."""
    with wired():
        labels = labels or read_labels()
        env = pages.environment(lang, labels[lang])
        here = posixpath.dirname(page.path)

        def link(kind: str, id: str | None = None, anchor: str = "") -> str:
            return Markup(posixpath.relpath(pages.path_of(kind, id), here or ".") + (f"#{anchor}" if anchor else ""))

        template = env.get_template(f"pages/{page.template}")
        return template.render(model=model, package={}, link=link, here=here, chart_sizes=chart_sizes or {}, **page.context)


def is_wired() -> bool:
    return "honours" in pages.PATHS


@contextlib.contextmanager
def wired():
    """Patch the enterprise pages into the build unless the lead has already done so."""
    if is_wired():
        yield
        return
    from scripts import build as build_module

    saved = (dict(pages.PATHS), pages.page_specs, pages.nav, pages.read_labels, build_module.build_model)
    original_specs, original_nav, original_build_model = saved[1], saved[2], saved[4]
    pages.PATHS.update(PATHS)
    pages.page_specs = lambda model, *rest: original_specs(model, *rest) + page_specs(model)
    pages.nav = lambda model, labels, *rest: _with_entry(original_nav(model, labels, *rest), labels)
    pages.read_labels = read_labels

    def build_model(frames, meta):
        return add_firms(original_build_model(frames, meta), frames)

    build_module.build_model = build_model
    try:
        yield
    finally:
        pages.PATHS.clear()
        pages.PATHS.update(saved[0])
        pages.page_specs, pages.nav, pages.read_labels, build_module.build_model = saved[1], saved[2], saved[3], saved[4]

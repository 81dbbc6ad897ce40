"""The enterprise pages as the build renders them, one at a time, for the tests of issue 4."""
from __future__ import annotations

import contextlib
import posixpath

from markupsafe import Markup

from scripts import pages
from scripts.enterprises import build_enterprise_model


def add_firms(model: dict, frames: dict) -> dict:
    """What scripts/model.py does at the end of build_model, for a model built from other frames."""
    model["firms"] = build_enterprise_model(frames, {a["id"]: a for a in model["agencies"]}, {t["id"]: t for t in model["tasks"]})
    return model


def page_specs(model: dict) -> list[pages.Page]:
    return pages.enterprise_page_specs(model["firms"])


def read_labels() -> dict[str, dict]:
    return pages.read_labels()


def render_page(page: pages.Page, model: dict, lang: str, labels: dict | None = None, chart_sizes: dict | None = None) -> str:
    """One page's Markdown, rendered the way scripts/pages.render does."""
    labels = labels or read_labels()
    env = pages.environment(lang, labels[lang])
    here = posixpath.dirname(page.path)

    def href(path: str, anchor: str = "") -> str:
        return Markup(posixpath.relpath(path, here or ".") + (f"#{anchor}" if anchor else ""))

    def link(kind: str, id: str | None = None, anchor: str = "") -> str:
        return href(pages.path_of(kind, id), anchor)

    template = env.get_template(f"pages/{page.template}")
    return template.render(model=model, package={}, link=link, href=href, here=here, dirs=pages.directories(model["firms"]),
                           chart_sizes=chart_sizes or {}, **page.context)


@contextlib.contextmanager
def wired():
    """Kept for the tests written before the enterprise pages were part of the build."""
    yield

"""The enterprise pages as the build renders them, one at a time, for the tests of issue 4."""
from __future__ import annotations

import contextlib

from scripts.data.enterprises import build_enterprise_model
from scripts.render import pages
from tests.helpers import site_labels


def add_firms(model: dict, frames: dict) -> dict:
    """What scripts/data/model.py does at the end of build_model, for a model built from other frames."""
    model["firms"] = build_enterprise_model(frames, {a["id"]: a for a in model["agencies"]}, {t["id"]: t for t in model["tasks"]})
    return model


def page_specs(model: dict) -> list[pages.Page]:
    return pages.enterprise_page_specs(model["firms"])


def read_labels() -> dict[str, dict]:
    return site_labels()


def render_page(page: pages.Page, model: dict, lang: str, labels: dict | None = None, chart_sizes: dict | None = None) -> str:
    """One page's Markdown, rendered the way scripts/pages.render does."""
    labels = labels or read_labels()
    return pages.render_page(pages.environment(lang, labels[lang]), page, model, {}, pages.directories(model["firms"]),
                             chart_sizes or {})


@contextlib.contextmanager
def wired():
    """Kept for the tests written before the enterprise pages were part of the build."""
    yield

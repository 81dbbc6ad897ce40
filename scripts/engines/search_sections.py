"""A Python-Markdown extension (named in mkdocs.yml, so MkDocs and Zensical both run it): a section
left out of search takes its subsections with it.

The theme's search leaves out a section whose heading carries data-search-exclude, but only up to
the next heading of any level, so a case study's own subheadings would put its story back in. This
marks every heading under an excluded one, until a heading of the same or a higher level.

Imports nothing but Python-Markdown: Zensical runs it from its own virtual environment.
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.postprocessors import Postprocessor

EXCLUDE = "data-search-exclude"
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>")


def mark_excluded_sections(html: str) -> str:
    """Mark every heading under a heading marked data-search-exclude (until one of the same or a
    higher level)."""
    if EXCLUDE not in html:
        return html
    excluded_at = None

    def mark(match: re.Match) -> str:
        nonlocal excluded_at
        level, attributes = int(match.group(1)), match.group(2)
        if excluded_at is not None and level > excluded_at:
            return match.group(0) if EXCLUDE in attributes else f"<h{level}{attributes} {EXCLUDE}>"
        excluded_at = level if EXCLUDE in attributes else None
        return match.group(0)

    return _HEADING.sub(mark, html)


class _SearchSections(Postprocessor):
    def run(self, text: str) -> str:
        return mark_excluded_sections(text)


class SearchSectionsExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # after raw HTML is put back (priority 30), so headings written as HTML are marked too
        md.postprocessors.register(_SearchSections(md), "search_sections", 5)


def makeExtension(**kwargs) -> SearchSectionsExtension:
    return SearchSectionsExtension(**kwargs)

"""A Python-Markdown extension (named in mkdocs.yml, so MkDocs and Zensical both run it): each table
of a page in the box that lets it scroll sideways on a narrow screen, written into the page.

The theme's script puts a plain table (one without a class) in that box when it starts. The site
starts that script at the visitor's first action (site/assets/theme.js), so without this the box would
arrive late and move the table; now the page has it from the start, with or without JavaScript. When
the theme's script wraps the table once more, the inner box takes no room (site/assets/site.css), so
nothing moves. Tables with a class of their own (the role and report matrices) have their own box.

Imports nothing but Python-Markdown: Zensical runs it from its own virtual environment.
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.postprocessors import Postprocessor

OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
CLOSE = "</div></div>"
_TABLE = re.compile(r"<table(\s[^>]*)?>|</table>")


def box_tables(html: str) -> str:
    """Put each <table> without a class attribute in the theme's scrolling box."""
    if "<table" not in html:
        return html
    boxed: list[bool] = []

    def box(match: re.Match) -> str:
        tag = match.group(0)
        if tag == "</table>":
            return tag + CLOSE if boxed and boxed.pop() else tag
        plain = not re.search(r"\sclass\s*=", match.group(1) or "")
        boxed.append(plain)
        return OPEN + tag if plain else tag

    return _TABLE.sub(box, html)


class _TableBoxes(Postprocessor):
    def run(self, text: str) -> str:
        return box_tables(text)


class TableBoxesExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # after raw HTML is put back (priority 30), so tables written as HTML are boxed too
        md.postprocessors.register(_TableBoxes(md), "table_boxes", 6)


def makeExtension(**kwargs) -> TableBoxesExtension:
    return TableBoxesExtension(**kwargs)

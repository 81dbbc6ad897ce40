"""Long lists cut into pages of a bounded size.

A list that fits on one page stays one page. A longer one is split by a key (the honours by award,
then by year; the enterprises by sector), and a group still too long after the last key is cut
into numbered parts. Each page is a `Chunk`: it either shows rows or lists the chunks below it.
Splitting is by meaning first, so that the pages people link to (an award, a sector, a year) keep
their address as the data grows; only the numbered parts move.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

LIMIT = 500          # rows per page at most: a page of 500 honours is about 60 KB gzipped
TABLE_PART = 50      # rows per table of a long list on a page: a phone lays out only the parts in view


@dataclass
class Chunk:
    path: str                        # docs path of the page
    keys: tuple = ()                 # the group values leading here, e.g. ("ocop", 2024)
    rows: list = field(default_factory=list)       # the rows this page shows (all rows below it, if it lists children)
    children: list["Chunk"] = field(default_factory=list)
    total: int = 0                   # rows in the whole group (a part shows only some of them)
    part: int = 0                    # 1, 2, … when the group is cut into parts; 0 otherwise
    parts: list["Chunk"] = field(default_factory=list)   # every part of the group, for the pager
    parent: "Chunk | None" = None

    @property
    def leaf(self) -> bool:
        return not self.children

    def child(self, key) -> "Chunk | None":
        """The chunk below this one for a key value (an award, a year, a sector), if it has rows."""
        return next((c for c in self.children if c.keys[-1] == key), None)

    def walk(self) -> Iterator["Chunk"]:
        yield self
        for child in self.children:
            yield from child.walk()
        for part in self.parts[1:] if self.part == 1 else ():
            yield from part.walk()


# A level: (the key of a row, the path of the group's page from the keys so far)
Level = tuple[Callable[[Any], Any], Callable[..., str]]


def split(rows: list, path: str, levels: list[Level], limit: int | None = None) -> Chunk:
    """The page tree of `rows`, in their order. Groups keep the order of their first row."""
    return _split(rows, path, (), levels, limit or LIMIT, None)


def _split(rows: list, path: str, keys: tuple, levels: list[Level], limit: int, parent: Chunk | None) -> Chunk:
    chunk = Chunk(path, keys, rows, total=len(rows), parent=parent)
    if len(rows) <= limit:
        return chunk
    if levels:
        (key, child_path), rest = levels[0], levels[1:]
        groups: dict[Any, list] = {}
        for row in rows:
            groups.setdefault(key(row), []).append(row)
        chunk.children = [_split(group, child_path(*keys, value), keys + (value,), rest, limit, chunk)
                          for value, group in groups.items()]
        return chunk
    # no key left: numbered parts; the first keeps the group's own address
    count = math.ceil(len(rows) / limit)
    parts = [Chunk(path if n == 1 else part_path(path, n), keys, rows[(n - 1) * limit: n * limit], total=len(rows),
                   part=n, parent=parent) for n in range(1, count + 1)]
    for p in parts:
        p.parts = parts
    return parts[0]


def part_path(path: str, n: int) -> str:
    """ton-vinh/giai-ocop-2024.md → ton-vinh/giai-ocop-2024--2.md (ids never hold "--")."""
    return path.removesuffix(".md") + f"--{n}.md"


def leaves(root: Chunk) -> Iterator[Chunk]:
    return (c for c in root.walk() if c.leaf)


def page_of(root: Chunk, key: Callable[[Any], str]) -> dict[str, str]:
    """{row key: path of the page that shows the row}."""
    return {key(row): c.path for c in leaves(root) for row in c.rows}

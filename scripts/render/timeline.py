"""The plan's timeline as a small static SVG: 2021–2030, the data's date marked, each target a dot at
its deadline in its status colour. Drawn by hand (a few shapes), so it needs no JavaScript, no font
file and no request; the page shows the same facts as a table beside it."""
from __future__ import annotations

import datetime as dt
import html

from markupsafe import Markup

from ..data.progress import STATUSES

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT = 14, 346           # the axis, from 1 January of the first year to 31 December of the last
AXIS_Y = 112
DOT, STEP, PER_COLUMN = 5.5, 13, 5
SYMBOL = {"achieved": "✓", "on_track": "→", "behind": "↘", "no_data": "?", "overdue": "!", "not_achieved": "✗"}


def _x(when: float, first: int, last: int) -> float:
    return LEFT + (when - first) / (last + 1 - first) * (RIGHT - LEFT)


def _year_fraction(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    return day.year + (day - start).days / (dt.date(day.year + 1, 1, 1) - start).days


def svg(targets: list[dict], as_of: dt.date, first: int, last: int, words: dict) -> Markup:
    """`words`: title, as_of (with {date}), deadline (with {year}), status_<s> for each status.

    The axis runs over the plan's years and, when the as-of date falls outside them (a plan whose
    period has ended: a 2021–2025 plan seen in 2026), stretches to its year, so the "as of" line
    stays on the drawing instead of falling off its edge."""
    first, last = min(first, as_of.year), max(last, as_of.year)
    esc = lambda text: html.escape(str(text), quote=True)  # noqa: E731 - one place, every text below
    parts = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="timeline-title" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">{esc(words["title"])}</title>',
             f'<line class="tl-axis" x1="{LEFT}" y1="{AXIS_Y}" x2="{RIGHT}" y2="{AXIS_Y}"/>']
    for year in range(first, last + 2):
        x = _x(year, first, last)
        parts.append(f'<line class="tl-tick" x1="{x:.1f}" y1="{AXIS_Y}" x2="{x:.1f}" y2="{AXIS_Y + 4}"/>')
    for year in range(first, last + 1):
        if year == last or ((year - first) % 2 == 0 and year < last - 1):
            parts.append(f'<text class="tl-year" x="{_x(year + 0.5, first, last):.1f}" y="{AXIS_Y + 16}" '
                         f'text-anchor="middle">{year}</text>')
    by_deadline: dict[int, list[dict]] = {}
    for t in targets:
        by_deadline.setdefault(int(t["deadline_year"]), []).append(t)
    for year, group in sorted(by_deadline.items()):
        x_end = _x(year + 1, first, last)
        parts.append(f'<line class="tl-deadline" x1="{x_end:.1f}" y1="{AXIS_Y}" x2="{x_end:.1f}" y2="18"/>')
        anchor = "end" if x_end > WIDTH - 40 else "middle"
        parts.append(f'<text class="tl-label" x="{x_end:.1f}" y="12" text-anchor="{anchor}">'
                     f'{esc(words["deadline"].format(year=year))}</text>')
        group = sorted(group, key=lambda t: STATUSES.index(t["assessment"].status))
        for i, t in enumerate(group):
            column, row = divmod(i, PER_COLUMN)
            cx, cy = x_end - 9 - column * STEP, AXIS_Y - 10 - row * STEP
            status = t["assessment"].status
            label = f'{t["label"]}: {words["status_" + status]}'
            parts.append(f'<g class="tl-dot tl--{status}"><title>{esc(label)}</title>'
                         f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{DOT}"/>'
                         f'<text x="{cx:.1f}" y="{cy + 3:.1f}" text-anchor="middle">{SYMBOL[status]}</text></g>')
    today = _x(_year_fraction(as_of), first, last)
    parts.append(f'<line class="tl-today" x1="{today:.1f}" y1="{AXIS_Y + 4}" x2="{today:.1f}" y2="30"/>')
    anchor = "end" if today > WIDTH / 2 else "start"
    shift = -3 if anchor == "end" else 3
    parts.append(f'<text class="tl-label tl-today-label" x="{today + shift:.1f}" y="{HEIGHT - 6}" '
                 f'text-anchor="{anchor}">{esc(words["as_of"].format(date=words["as_of_date"]))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

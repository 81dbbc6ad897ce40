"""The site's two feeds, one per language: the Atom feed of data updates (data/changelog.csv) and
the iCalendar feed of the reporting deadlines."""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape as xml_escape

import icalendar

from ..base.text import one_line
from .urls import path_of, site_root


def feed(model: dict, labels: dict, lang: str) -> str:
    """The Atom feed of data updates, from data/changelog.csv."""
    root = site_root(lang)
    entries = [{"id": e["id"], "date": e["date"].isoformat(), "title": e[f"title_{lang}"], "summary": e[f"summary_{lang}"],
                "path": e["page"] or path_of("data").replace(".md", ".html")} for e in model["changelog"]]
    updated = max([e["date"] for e in entries] + [model["data_date"].isoformat()])
    name = model["words"][lang]["site_name"]
    return atom_feed(entries, lang, f'{name} · {labels["updates"]}', root, path_of("feed"), updated, model["package_name"], name)


def atom_feed(entries: list[dict], lang: str, title: str, site_url: str, feed_path: str, updated: str,
              tag: str, author: str) -> str:
    """Atom 1.0 feed of data updates; ids are tag: URIs (`tag`: the package's name) so they never depend
    on where the site lives."""
    base = site_url or ""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
           f"  <title>{xml_escape(title)}</title>",
           f"  <id>tag:{tag},2026:cap-nhat:{lang}</id>",
           f"  <updated>{updated}T00:00:00Z</updated>",
           f'  <link rel="self" href="{xml_escape(base + feed_path)}"/>',
           f"  <author><name>{xml_escape(author)}</name></author>"]
    for e in entries:
        out += ["  <entry>",
                f"    <title>{xml_escape(e['title'])}</title>",
                f"    <id>tag:{tag},{e['date']}:{e['id']}</id>",
                f"    <updated>{e['date']}T00:00:00Z</updated>",
                f'    <link href="{xml_escape(base + e["path"])}"/>',
                f"    <summary>{xml_escape(e['summary'])}</summary>",
                "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def calendar_ics(model: dict, labels: dict, lang: str) -> bytes:
    """An iCalendar feed of the reporting deadlines: one all-day event per deadline and year."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    tag, number = model["package_name"], one_line(model["plan"]["number"])      # data: one line, as a calendar line must be
    calendar.add("prodid", f"-//{tag}//lich-bao-cao//" + lang.upper())
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{labels['calendar_title']} {number}")
    stamp = dt.datetime.combine(model["data_date"], dt.time(), dt.timezone.utc)
    seen = set()
    for row in model["calendar"]:
        key = (row["due"], row["duty"]["id"])
        if key in seen:
            continue
        seen.add(key)
        agencies = [r["agency"][f"name_{lang}"] for r in model["calendar"] if (r["due"], r["duty"]["id"]) == key]
        event = icalendar.Event()
        event.add("uid", f"{row['year']}-{row['duty']['id']}@{tag}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row["due"])
        event.add("dtend", row["due"] + dt.timedelta(days=1))
        event.add("summary", f'{labels["due"]}: {labels["calendar"]} {number} ({row["year"]})')
        event.add("description", f'{row["duty"][f"text_{lang}"]} — {", ".join(agencies)}')
        calendar.add_component(event)
    return calendar.to_ical(sorted=False)     # the properties in the order written here

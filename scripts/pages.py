"""Render the model into one MkDocs docs folder per language, plus its config.

The one place that knows URLs: `PATHS` maps a kind of page to its path in the docs folder,
which is also its path on the site (Vietnamese at /, English at /en/).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import posixpath
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import paths
from . import charts, enterprises, opendata, paging, settings, sharing
from .text import Label, escape, format_date, format_number, safe_url

LANGS = ("vi", "en")

PATHS = {
    "home": "index.md",
    "plan": "ke-hoach.md",
    "legal_basis": "can-cu-phap-ly.md",
    "funding": "kinh-phi.md",
    "tasks": "nhiem-vu/index.md",
    "task": "nhiem-vu/{id}.md",
    "targets": "chi-tieu/index.md",
    "target": "chi-tieu/{id}.md",
    "context": "boi-canh.md",
    "methodology": "phuong-phap.md",
    "calendar": "lich-bao-cao.md",
    "calendar_ics": "lich-bao-cao.ics",
    "feed": "cap-nhat.xml",
    "chart": "bieu-do/{id}",
    "qr": "qr/{id}",
    "agencies": "co-quan/index.md",
    "agency": "co-quan/{id}.md",
    "support": "ho-tro/index.md",
    "honours": "ton-vinh/index.md",
    "honours_group": "ton-vinh/giai/{id}.md",          # an award, or an award and a year, when the list is long
    "enterprises": "doanh-nghiep/index.md",
    "enterprise_group": "doanh-nghiep/{id}.md",        # a sector, when the directory is long
    "enterprise": "ton-vinh/{id}.html",                # an enterprise's permanent address: leads to its entry
    "model_sites": "mo-hinh-diem/index.md",
    "model_site": "mo-hinh-diem/{id}.md",
    "data": "du-lieu/index.md",
    "dictionary": "du-lieu/tu-dien.md",
    "data_file": "du-lieu/{id}",
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


def page_specs(model: dict, package: dict, frames: dict) -> list[Page]:
    """Every generated page, as (path, template, context): the table the site is made from."""
    pages = [Page(path_of(kind), f"{kind}.md.j2") for kind in
             ("home", "plan", "legal_basis", "funding", "tasks", "targets", "context", "calendar", "agencies")]
    data_url = settings.SITE_URL + posixpath.dirname(path_of("data")) + "/" if settings.SITE_URL else ""
    json_ld = {lang: Markup(opendata.json_ld(package, frames, lang, data_url, settings.SITE_URL)) for lang in LANGS}
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
    return {"honours": honours, "enterprises": directory, "limit": paging.LIMIT, "enterprise_limit": ENTERPRISES_PER_PAGE,
            "enterprise_page": paging.page_of(directory, lambda e: e["id"]),
            # a sector's place in the directory: its own page, or its section of the one page
            "sector_page": {s["id"]: (sector_page[s["id"]], "") if s["id"] in sector_page else (directory.path, "nganh-" + s["id"])
                            for s in firms["sectors"]}}


ENTERPRISES_PER_PAGE = 200     # an entry holds its honours and sources: a page of 200 is about 60 KB gzipped


def redirects(model: dict, labels: dict, lang: str) -> dict[str, str]:
    """{path: HTML} of the small pages that keep each enterprise's permanent address
    (ton-vinh/<id>.html) leading to its entry in the directory, wherever the entry now is."""
    page = directories(model["firms"])["enterprise_page"]
    env = _overlay(environment(lang, labels), finalize=None)
    template = env.get_template("redirect.html.j2")
    out = {}
    for e in model["firms"]["enterprises"]:
        path = path_of("enterprise", e["id"])
        target = posixpath.relpath(page[e["id"]].replace(".md", ".html"), posixpath.dirname(path)) + "#" + e["id"]
        image = sharing.preview_path(page[e["id"]])       # the card of the page the entry is on
        if settings.SITE_URL:
            image = settings.SITE_URL + ("" if lang == LANGS[0] else f"{lang}/") + image
        else:
            image = posixpath.relpath(image, posixpath.dirname(path))
        out[path] = template.render(title=e[f"name_{lang}"], target=target, image=image)
    return out


def write_redirects(model: dict, site: Path) -> None:
    """Into the built site (Vietnamese at its root, English in en/), after MkDocs: plain files it
    need not know about."""
    labels = read_labels()
    for lang in LANGS:
        root = site if lang == LANGS[0] else site / lang
        for path, text in redirects(model, labels[lang], lang).items():
            target = root / path
            if target.exists():      # never over a page of the site (validation refuses such an id)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def nav(model: dict, labels: dict) -> list:
    L = labels
    return [
        {L["home"]: path_of("home")},
        {L["plan"]: [{L["the_plan"]: path_of("plan")}, {L["legal_basis"]: path_of("legal_basis")}, {L["funding"]: path_of("funding")}]},
        {L["tasks"]: [path_of("tasks")] + [{f'{t["number"]}. {t["short_title_" + labels["_lang"]]}': path_of("task", t["id"])} for t in model["tasks"]]},
        {L["progress"]: [{L["progress_title"]: path_of("targets")}, {L["context"]: path_of("context")},
                         {L["calendar"]: path_of("calendar")}, {L["methodology"]: path_of("methodology")}]},
        {L["agencies"]: path_of("agencies")},
        {L["ent_nav"]: [{L["ent_support_nav"]: path_of("support")}, {L["ent_honours_nav"]: path_of("honours")},
                        {L["ent_directory_nav"]: path_of("enterprises")},
                        {L["ent_model_sites_nav"]: path_of("model_sites")}]},
        {L["open_data"]: [path_of("data"), {L["dictionary"]: path_of("dictionary")}]},
        {L["about"]: [path_of("about"), {L["how_to_update"]: "cap-nhat-du-lieu.md"}, {L["maintaining"]: "bao-tri.md"}]},
    ]


def chart_id(kind: str, record: dict) -> str | None:
    """The chart a target or context indicator gets, if its data can draw one."""
    if kind == "target" and record["observations"]:
        return f"chi-tieu-{record['id']}"
    if kind == "context" and len(record["observations"]) >= 2:
        return f"boi-canh-{record['id']}"
    return None


def chart_jobs(model: dict, labels: dict, lang: str) -> list[charts.Chart]:
    L = labels
    jobs = []
    for t in model["targets"]:
        if cid := chart_id("target", t):
            goal = t["target_value"] if t["kind"] == "count" else None
            jobs.append(charts.Chart(
                id=cid, points=[(o["year"], o["value"]) for o in t["observations"]],
                title=str(t[f"text_{lang}"]), page=path_of("target", t["id"]), x_label=str(L["year"]),
                y_title=str(t[f"unit_{lang}"] or L["value"]),
                alt_text=f'{L["chart"]}: {t[f"text_{lang}"]}',
                source_line=f'{L["source"]}: ' + "; ".join(sorted({o["source"]["publisher"] for o in t["observations"]})),
                target=goal, target_label=f'{L["target"]}: {format_number(goal, lang)}' if goal is not None else ""))
    series = enterprises.chart_series(model["firms"])
    stars = {3: "3 sao", 4: "4 sao", 5: "5 sao"} if lang == "vi" else {3: "3 stars", 4: "4 stars", 5: "5 stars"}
    for cid, rows, stack, key, anchor in (
            ("ton-vinh-ocop-theo-dot", series["ocop_by_round"], L["ent_rating"], "rating", "ocop-theo-dot"),
            ("ton-vinh-cnnt-theo-cap", series["cnnt_by_level"], L["ent_level"], "level", "cnnt-theo-cap")):
        if not rows:
            continue
        names = {r[key]: (stars[r[key]] if key == "rating" else str(L.get(f"ent_level_{r[key]}", r[key]))) for r in rows}
        order = {r["round_id"]: i for i, r in enumerate(sorted(rows, key=lambda r: (r["year"] or 0, r["round_id"])))}
        jobs.append(charts.Chart(
            id=cid, points=[], title=str(L["ent_chart_ocop" if key == "rating" else "ent_chart_cnnt"]),
            page=path_of("honours") + "#" + anchor, y_title=str(L["ent_products"]), x_label=str(L["ent_round"]),
            alt_text=str(L["ent_chart_ocop" if key == "rating" else "ent_chart_cnnt"]),
            source_line=f'{L["source"]}: ' + str(L["ent_chart_sources"]),
            bars=[(r[f"label_{lang}"], order[r["round_id"]], names[r[key]], r["count"]) for r in rows], stack_title=str(stack),
            stack_order=list(dict.fromkeys(names[r[key]] for r in sorted(rows, key=lambda r: r.get("level_order", r[key]))))))
    for group in model["context"]:
        for ind in group["indicators"]:
            if cid := chart_id("context", ind):
                values = ", ".join(f'{format_number(o["value"], lang)} ({o["year"]})' for o in ind["observations"])
                jobs.append(charts.Chart(
                    id=cid, points=[(o["year"], o["value"]) for o in ind["observations"]],
                    title=str(ind[f"title_{lang}"]), page=path_of("context") + "#" + ind["id"], x_label=str(L["year"]),
                    y_title=str(ind[f"unit_{lang}"] or (L["rank_axis"] if ind["better"] == "lower" else L["value"])),
                    alt_text=f'{ind[f"title_{lang}"]}: {values}.', scale_max=ind["scale_max"],
                    source_line=f'{L["source"]}: ' + "; ".join(sorted({o["source"]["publisher"] for o in ind["observations"]})),
                    reverse_y=ind["better"] == "lower"))
    return jobs


def feed(model: dict, labels: dict, lang: str) -> str:
    """The Atom feed of data updates, from data/changelog.csv."""
    root = (settings.SITE_URL + ("" if lang == "vi" else "en/")) if settings.SITE_URL else ""
    entries = [{"id": e["id"], "date": e["date"].isoformat(), "title": e[f"title_{lang}"], "summary": e[f"summary_{lang}"],
                "path": e["page"] or path_of("data").replace(".md", ".html")} for e in model["changelog"]]
    updated = max([e["date"] for e in entries] + [model["as_of"].isoformat()])
    return sharing.atom_feed(entries, lang, f'{labels["site_name"]} · {labels["updates"]}', root, path_of("feed"), updated)


def calendar_ics(model: dict, labels: dict, lang: str) -> str:
    """An iCalendar feed of the reporting deadlines: one all-day event per deadline and year."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ke-hoach-683-nghe-an//lich-bao-cao//" + lang.upper(),
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(labels['calendar_title'])} 683/KH-UBND"]
    seen = set()
    stamp = model["as_of"].strftime("%Y%m%dT000000Z")
    for row in model["calendar"]:
        key = (row["due"], row["duty"]["id"])
        if key in seen:
            continue
        seen.add(key)
        agencies = [r["agency"][f"name_{lang}"] for r in model["calendar"] if (r["due"], r["duty"]["id"]) == key]
        summary = f'{labels["due"]}: {labels["calendar"]} 683/KH-UBND ({row["year"]})'
        description = f'{row["duty"][f"text_{lang}"]} — {", ".join(agencies)}'
        end = row["due"].toordinal() + 1
        lines += ["BEGIN:VEVENT", f"UID:{row['year']}-{row['duty']['id']}@ke-hoach-683-nghe-an", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{row['due']:%Y%m%d}", f"DTEND;VALUE=DATE:{dt.date.fromordinal(end):%Y%m%d}",
                  f"SUMMARY:{_ics_text(summary)}", f"DESCRIPTION:{_ics_text(description)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


def _ics_text(value) -> str:
    return str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def read_labels() -> dict[str, dict]:
    labels = yaml.safe_load(paths.LABELS.read_text(encoding="utf-8"))
    extra = yaml.safe_load(paths.LABELS_ENTERPRISES.read_text(encoding="utf-8"))
    for lang in LANGS:
        clash = set(extra[lang]) & set(labels[lang])
        if clash:
            raise ValueError(f"{paths.LABELS_ENTERPRISES.name} redefines {sorted(clash)}")
        labels[lang] = {**labels[lang], **extra[lang]}
        # the site's own words are trusted Markdown; only data text is escaped
        labels[lang] = {key: Label(value) for key, value in labels[lang].items()}
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
    env.bytecode_cache = _bytecode_cache(env)
    env.filters.update(
        tr=lambda record, name: record[f"{name}_{lang}"],
        date=lambda value: format_date(value, lang),
        number=lambda value, decimals=None: format_number(value, lang, decimals),
        url=_url,
        lines=lambda text: [line.strip() for line in (text or "").split("\n") if line.strip()],
    )
    env.filters["reason"] = lambda assessment: _reason(assessment, labels, lang)
    env.globals.update(L=labels, lang=lang, path_of=path_of, chart_id=chart_id, qr_file=qr_file,
                       site_url=settings.SITE_URL, has_qr=bool(settings.SITE_URL))
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


def _overlay(env: jinja2.Environment, **changes) -> jinja2.Environment:
    """The environment with other settings, and the bytecode cache that goes with them."""
    other = env.overlay(**changes)
    other.bytecode_cache = _bytecode_cache(other)
    return other


def _reason(assessment, labels: dict, lang: str) -> Markup:
    """The sentence that explains a status, with its numbers written the language's way."""
    facts = {k: (format_number(v, lang) if isinstance(v, float) else v) for k, v in assessment.facts.items()}
    return Markup(escape(str(labels[f"reason_{assessment.reason}"]).format(**facts)))


@jinja2.pass_context
def _url(context, value: str | None) -> Markup:
    """A link from data: absolute as it is; a path inside the site made relative to this page."""
    target = safe_url(value)
    if target.startswith(("http://", "https://", "#")):
        return Markup(target)
    return Markup(posixpath.relpath(target, context.get("here") or "."))


def render(model: dict, package: dict, chart_sizes: dict | None = None, frames=None) -> dict[str, dict[str, str]]:
    """{lang: {path: markdown}} for every generated page."""
    labels = read_labels()
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
    labels = read_labels()
    for lang in LANGS:
        docs = paths.docs_dir(lang)
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        shutil.copytree(paths.CONTENT / lang, docs, dirs_exist_ok=True)
        shutil.copytree(paths.ASSETS, docs / "assets")
        data_dir = docs / posixpath.dirname(path_of("data"))
        if lang == LANGS[0]:  # the downloads are the same in both languages: make them once, copy them
            opendata.write_downloads(package_path, descriptor, frames, data_dir)
        else:
            shutil.copytree(paths.docs_dir(LANGS[0]) / posixpath.dirname(path_of("data")), data_dir)
        (docs / "nguon").mkdir()
        shutil.copyfile(paths.SOURCE_TEXT, docs / path_of("source_text"))
        (docs / path_of("feed")).write_text(feed(model, labels[lang], lang), encoding="utf-8")
        (docs / path_of("calendar_ics")).write_text(calendar_ics(model, labels[lang], lang), encoding="utf-8", newline="")
        paths.mkdocs_config(lang).write_text(_config(lang, labels[lang], model), encoding="utf-8")


def draw_charts(model: dict) -> dict[str, dict[str, tuple[int, int]]]:
    """Every chart of both languages in one go (so both cores can share the work), into each
    language's docs folder, with the site's own Vega bundle. Returns each chart's size."""
    labels = read_labels()
    jobs = {lang: chart_jobs(model, labels[lang], lang) for lang in LANGS}
    folder = {lang: paths.docs_dir(lang) / posixpath.dirname(path_of("chart", "x")) for lang in LANGS}
    charts.render_all([(chart, lang, folder[lang]) for lang in LANGS for chart in jobs[lang]])
    for lang in LANGS:
        charts.write_bundle(paths.docs_dir(lang) / "assets" / "vendor" / "vega-bundle.js")
    return {lang: {chart.id: charts.svg_size(folder[lang] / f"{chart.id}.svg") for chart in jobs[lang]} for lang in LANGS}


def write_pages(rendered: dict[str, dict[str, str]]) -> None:
    for lang, pages in rendered.items():
        for path, text in pages.items():
            target = paths.docs_dir(lang) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(with_title(text), encoding="utf-8")


def with_title(markdown: str) -> str:
    """Give the page an explicit, HTML-escaped title. MkDocs would otherwise take the H1's text with
    its entities decoded, and the theme prints page titles into the HTML unescaped."""
    title = sharing.page_title(markdown)
    if not title:
        return markdown
    line = yaml.safe_dump({"title": html.escape(title)}, allow_unicode=True, width=10_000).strip()
    if markdown.startswith("---\n"):
        return "---\n" + line + "\n" + markdown[4:]
    return f"---\n{line}\n---\n\n{markdown}"


def write_sharing(model: dict, chart_sizes: dict) -> None:
    """Preview images for every page, embeddable charts, QR codes: after the pages are written."""
    labels = read_labels()
    for lang in LANGS:
        L, docs = labels[lang], paths.docs_dir(lang)
        footer = "Kế hoạch 683/KH-UBND · UBND tỉnh Nghệ An · 2021–2030" if lang == "vi" else \
            "Plan 683/KH-UBND · Nghệ An Provincial People's Committee · 2021–2030"
        jobs = []
        for md in sorted(docs.rglob("*.md")):
            rel = md.relative_to(docs).as_posix()
            jobs.append((docs / sharing.preview_path(rel), sharing.page_title(md.read_text(encoding="utf-8")) or str(L["site_name"])))
        (docs / "anh-chia-se").mkdir(exist_ok=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            images = pool.map(lambda job: sharing.preview_png(job[1], str(L["site_name"]), footer), jobs)
            for (target, _), data in zip(jobs, images):
                target.write_bytes(data)
        embed = _overlay(environment(lang, L), autoescape=True, finalize=None).get_template("embed/chart.html.j2")
        for chart in chart_jobs(model, L, lang):
            folder = docs / posixpath.dirname(path_of("chart", chart.id))
            width, height = chart_sizes[lang][chart.id]
            back = posixpath.relpath(chart.page.replace(".md", ".html"), posixpath.dirname(path_of("chart", chart.id)))
            (folder / f"{chart.id}.html").write_text(embed.render(
                chart_id=chart.id, title=chart.title, alt=chart.alt_text, source=chart.source_line, width=width, height=height,
                back=back, back_label=L["embed_back"], csv_label=L["download_csv"]), encoding="utf-8")
        if settings.SITE_URL:
            root = settings.SITE_URL + ("" if lang == "vi" else "en/")
            (docs / "qr").mkdir(exist_ok=True)
            # every page with a share box (templates' share_box): home, the plan, each task and target
            shared = [path_of("home"), path_of("plan")] + [path_of("task", t["id"]) for t in model["tasks"]] \
                + [path_of("target", t["id"]) for t in model["targets"]]
            for path in shared:
                url = root + path.replace(".md", ".html")
                (docs / qr_path(path)).write_text(sharing.qr_svg(url, url), encoding="utf-8")


def qr_file(page_path: str) -> str:
    return page_path.replace(".md", ".svg").replace("/", "--")


def qr_path(page_path: str) -> str:
    return path_of("qr", qr_file(page_path))


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
    base = yaml.safe_load(paths.MKDOCS_CONFIG.read_text(encoding="utf-8"))["markdown_extensions"]
    return [{"toc": {**(item["toc"] or {}), "permalink_title": labels["permalink_title"]}}
            if isinstance(item, dict) and "toc" in item else item for item in base]


def _config(lang: str, labels: dict, model: dict) -> str:
    config = {
        "INHERIT": str(paths.MKDOCS_CONFIG),
        "docs_dir": str(paths.docs_dir(lang)),
        "site_name": labels["site_name"],
        "site_description": labels["site_description"],
        "theme": {"name": "material", "language": lang, "custom_dir": str(paths.OVERRIDES)},
        "site_url": (settings.SITE_URL + ("" if lang == "vi" else "en/")) if settings.SITE_URL else None,
        "nav": nav(model, labels),
        "markdown_extensions": _markdown_extensions(labels),
        # caches that make a rebuild after a small change cheap (scripts/mkdocs_hooks.py)
        "hooks": [str(paths.ROOT / "scripts" / "mkdocs_hooks.py")],
        # relative, so the site works under any path (a GitHub Pages project site, a downloaded copy)
        "extra": {"alternate": [{"name": "Tiếng Việt", "link": "./" if lang == "vi" else "../", "lang": "vi"},
                                {"name": "English", "link": "en/" if lang == "vi" else "./", "lang": "en"}],
                  "lang": lang, "other_lang": "en" if lang == "vi" else "vi",
                  "other_lang_name": labels["other_lang_name"], "other_lang_label": labels["other_lang_label"]},
    }
    config = _plain(config)
    return "# Written by `python -m scripts build`; edit mkdocs.yml or scripts/pages.py instead.\n" + \
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False)

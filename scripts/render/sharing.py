"""What people share: a preview image per page (Open Graph / Twitter card), each chart as a page to
embed elsewhere, and QR codes for printed material."""
from __future__ import annotations

import functools
import hashlib
import io
import posixpath
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import paths
from ..base import cache
from .chart_jobs import chart_jobs
from .labels import read_labels
from .pages import environment, overlay, page_title
from .urls import LANGS, path_of, qr_path, site_root

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SIZE = (1200, 630)
BLUE, INK, GREY = (11, 83, 148), (26, 26, 26), (80, 80, 80)


def preview_path(page_path: str) -> str:
    """Where a page's preview image lives; main.html derives the same name from page.url."""
    return "anh-chia-se/" + page_path.replace(".md", ".png").replace("/", "--")


def preview_png(title: str, site_name: str, footer: str) -> bytes:
    """A 1200×630 card: the site's name, the page title, the plan. Cached by content."""
    key = hashlib.sha256(f"v2|{title}|{site_name}|{footer}".encode()).hexdigest()[:24]
    cached = paths.GENERATED / ".preview-cache" / f"{key}.png"
    if cached.exists():
        return cache.used(cached).read_bytes()
    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    bold, regular = _font("DejaVuSans-Bold.ttf", 56), _font("DejaVuSans.ttf", 30)
    draw.rectangle([0, 0, SIZE[0], 96], fill=BLUE)
    draw.text((60, 28), site_name, font=regular, fill="white")
    lines = textwrap.wrap(title, width=30)[:5]
    if len(textwrap.wrap(title, width=30)) > 5:
        lines[-1] = lines[-1].rstrip(" ,.;") + "…"
    y = 150
    for line in lines:
        draw.text((60, y), line, font=bold, fill=INK)
        y += 72
    draw.line([60, 540, SIZE[0] - 60, 540], fill=(200, 200, 200), width=2)
    draw.text((60, 560), footer, font=regular, fill=GREY)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)     # half the time of level 6, 15 % larger
    data = buffer.getvalue()
    cached.parent.mkdir(parents=True, exist_ok=True)
    cache.atomic_write(cached, data)
    return data


@functools.lru_cache(maxsize=None)
def _font(name: str, size: int):
    """Read each font once per build, not once per image (it was half the time of an image)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_DIR / name), size)


def qr_svg(url: str, title: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, title=title, svgclass=None, lineclass=None)
    return out.getvalue().decode("utf-8")


def write_sharing(model: dict, chart_sizes: dict) -> None:
    """Preview images for every page, embeddable charts, QR codes: after the pages are written."""
    labels = read_labels(model["words"])
    for lang in LANGS:
        L, docs, words = labels[lang], paths.docs_dir(lang), model["words"][lang]
        footer = f'{words["plan"]} · {words["issuer"]} · {words["period"]}'
        jobs = []
        for md in sorted(docs.rglob("*.md")):
            rel = md.relative_to(docs).as_posix()
            jobs.append((docs / preview_path(rel), page_title(md.read_text(encoding="utf-8")) or words["site_name"]))
        (docs / "anh-chia-se").mkdir(exist_ok=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            images = pool.map(lambda job: preview_png(job[1], words["site_name"], footer), jobs)
            for (target, _), data in zip(jobs, images):
                target.write_bytes(data)
        embed = overlay(environment(lang, L), autoescape=True, finalize=None).get_template("embed/chart.html.j2")
        for chart in chart_jobs(model, L, lang):
            folder = docs / posixpath.dirname(path_of("chart", chart.id))
            width, height = chart_sizes[lang][chart.id]
            back = posixpath.relpath(chart.page.replace(".md", ".html"), posixpath.dirname(path_of("chart", chart.id)))
            (folder / f"{chart.id}.html").write_text(embed.render(
                chart_id=chart.id, title=chart.title, alt=chart.alt_text, source=chart.source_line, width=width, height=height,
                back=back, back_label=L["embed_back"], csv_label=L["download_csv"]), encoding="utf-8")
        if root := site_root(lang):
            (docs / "qr").mkdir(exist_ok=True)
            # every page with a share box (templates' share_box): home, the plan, each task and target
            shared = [path_of("home"), path_of("plan")] + [path_of("task", t["id"]) for t in model["tasks"]] \
                + [path_of("target", t["id"]) for t in model["targets"]]
            for path in shared:
                url = root + path.replace(".md", ".html")
                (docs / qr_path(path)).write_text(qr_svg(url, url), encoding="utf-8")

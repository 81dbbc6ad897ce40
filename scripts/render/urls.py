"""The site's URL scheme, the one place everyone imports for it: `PATHS` maps a kind of page to its
path in the docs folder, which is also its path on the site (Vietnamese at /, English at /en/)."""
from __future__ import annotations

from .. import settings

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
    "searches": "tim-so-lieu.md",                      # where the plan's own figures were looked for
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
    "new_plan": "ke-hoach-moi.md",                     # how another province's plan gets a site of its own
    "build_info": "ban-dung.json",                     # what a build was made of (engines/build.py), for the publish workflow
}


def path_of(kind: str, id: str | None = None) -> str:
    return PATHS[kind].format(id=id)


def site_root(lang: str) -> str:
    """The absolute address of a language's home ("" without SITE_URL: then links stay relative)."""
    if not settings.SITE_URL:
        return ""
    return settings.SITE_URL + ("" if lang == LANGS[0] else f"{lang}/")


def qr_file(page_path: str) -> str:
    return page_path.replace(".md", ".svg").replace("/", "--")


def qr_path(page_path: str) -> str:
    return path_of("qr", qr_file(page_path))

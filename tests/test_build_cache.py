"""Issue 9: the caches that make a rebuild cheap never serve stale output.

Each build here has its own site/generated/ (paths.GENERATED in a temp folder), so the first build
starts with every cache empty: chart renders, preview images, downloads, compiled templates and the
Markdown → HTML of each page (scripts/engines/mkdocs_hooks.py). After one data row changes, a build with the
warm caches must be byte for byte the build a fresh checkout makes of the changed data.
"""
import shutil
from pathlib import Path

import pytest

from scripts import paths
from scripts.engines.build import build
from tests.helpers import edit_cell, read_rows

NEW_TEXT = "Chỉ tiêu đã sửa để thử bộ nhớ đệm"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    top = tmp_path_factory.mktemp("cache")
    data = top / "data"
    shutil.copytree(paths.DATA, data)
    package = data / "datapackage.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paths, "GENERATED", top / "generated-warm")
        build(top / "before", package)
        cache = top / "generated-warm" / ".mkdocs-cache"
        cached_pages = sorted(p.name for p in cache.glob("pages-vi/*.json"))
        target = read_rows(data / "targets.csv")[1][0]
        edit_cell(package, "targets", 0, "text_vi", NEW_TEXT)
        edit_cell(package, "context_observations", 5, "value", "36.6")   # and a charted figure (pii-diem 2023: 36.5)
        warm = build(top / "warm", package)
        used_after = sorted(p.name for p in cache.glob("pages-vi/*.json"))
        patch.setattr(paths, "GENERATED", top / "generated-cold")
        cold = build(top / "cold", package)
    return {"warm": warm.out, "cold": cold.out, "before": top / "before", "target": target,
            "cached": cached_pages, "after": used_after, "generated": {"warm": top / "generated-warm", "cold": top / "generated-cold"}}


def test_a_warm_rebuild_after_a_change_is_the_build_a_fresh_checkout_makes(builds):
    warm, cold = _files(builds["warm"]), _files(builds["cold"])
    assert sorted(warm) == sorted(cold)
    assert [name for name in warm if warm[name] != cold[name]] == []


def test_the_change_reached_the_pages_and_the_downloads(builds):
    page = f"chi-tieu/{builds['target']['id']}.html"
    assert NEW_TEXT in (builds["warm"] / page).read_text(encoding="utf-8")
    assert NEW_TEXT not in (builds["before"] / page).read_text(encoding="utf-8")
    assert NEW_TEXT in (builds["warm"] / "du-lieu" / "targets.csv").read_text(encoding="utf-8")


def test_the_page_cache_was_used_and_keeps_only_what_the_last_build_used(builds):
    before, after = set(builds["cached"]), set(builds["after"])
    assert len(before) > 50
    # most pages did not change and were reused; the changed ones were converted again and the old
    # versions dropped
    assert len(before & after) > len(before) // 2
    assert after - before and before - after
    assert len(after) == len(before)


@pytest.mark.parametrize("cache", [".chart-cache", ".download-cache", ".preview-cache"])
def test_after_a_change_a_cache_holds_what_a_fresh_build_would_make_and_no_more(builds, cache):
    """The old versions of what changed (a chart, a download, a preview card) are dropped: the warm
    cache ends up with exactly the entries a fresh checkout's build makes."""
    warm, cold = (sorted(p.name for p in (builds["generated"][g] / cache).iterdir()) for g in ("warm", "cold"))
    assert len(cold) > 3
    assert warm == cold


def test_a_kept_page_is_used_while_the_files_its_links_name_are_unchanged(tmp_path):
    """MkDocs' page cache (scripts/engines/mkdocs_hooks.py) keeps a page's HTML with the files its links were
    checked against. A file added elsewhere leaves the page as it was kept (a new chart used to re-make
    every page); a linked file removed makes it be converted again, so strict mode still fails."""
    import os
    import subprocess
    import sys

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# A\n\n[B](b.md)\n", encoding="utf-8")
    (docs / "b.md").write_text("# B\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: t\ndocs_dir: docs\ntheme:\n  name: material\n  language: vi\nhooks:\n  - {paths.MKDOCS_HOOKS}\n", encoding="utf-8")
    env = {**os.environ, "SITE_MKDOCS_CACHE": str(tmp_path / "cache"), "NO_MKDOCS_2_WARNING": "true"}

    def build_site():
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                               "--site-dir", str(tmp_path / "site")], cwd=paths.ROOT, env=env, capture_output=True, text=True)

    assert build_site().returncode == 0
    kept = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("pages-*/*.json")}
    assert len(kept) == 2
    def article():
        text = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
        return text[text.index("<article"):text.index("</article>")]

    page = article()
    (docs / "c.md").write_text("# C\n", encoding="utf-8")
    assert build_site().returncode == 0
    assert {p: p.stat().st_mtime_ns for p in kept} == kept          # used as kept, not written again
    assert article() == page and 'href="b/"' in page
    (docs / "b.md").unlink()
    run = build_site()
    assert run.returncode != 0 and "contains a link 'b.md', but the target is not found" in run.stderr

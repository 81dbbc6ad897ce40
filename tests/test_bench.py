"""The scale benchmark's parts (tests/bench/), fast: a tiny synthetic package, the page weights and
the report. The benchmark itself is `make bench`, not part of this suite."""
from __future__ import annotations

import csv
import json
import re
import shutil

import pytest

from scripts import paths
from scripts.data.validate import validate
from tests.bench import figures, report
from tests.bench.synthetic import generate, row_counts

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A synthetic package at 0.1×, and data/ as it was before and after making it."""
    before = _snapshot(paths.DATA)
    package = generate(tmp_path_factory.mktemp("bench") / "data", 0.1)
    return package, before, _snapshot(paths.DATA)


def test_tiny_synthetic_package_validates(tiny):
    package, _, _ = tiny
    assert validate(package) == []


def test_synthetic_package_has_every_resource_of_data_and_grows_with_the_scale(tiny, tmp_path):
    package, _, _ = tiny
    real = json.loads(paths.PACKAGE.read_text(encoding="utf-8"))
    rows = row_counts(package)
    assert set(rows) == {r["name"] for r in real["resources"]}
    assert all(n >= 1 for n in rows.values())
    assert rows["enterprises"] == 20 and rows["honours"] == 50
    bigger = row_counts(generate(tmp_path / "x2", 0.2))
    assert bigger["enterprises"] == 40 and bigger["honours"] == 100
    assert bigger["observations"] == 10 * bigger["targets"]       # ten years of figures per target


def test_synthetic_rows_are_obviously_made_up_and_keyed_by_slugs(tiny):
    package, _, _ = tiny
    enterprises = _rows(package.parent / "enterprises.csv")
    assert all("thử nghiệm" in e["name_vi"] for e in enterprises)
    assert all(SLUG.match(e["id"]) for e in enterprises)
    real_names = {e["name_vi"] for e in _rows(paths.DATA / "enterprises.csv")}
    assert not real_names & {e["name_vi"] for e in enterprises}
    studies = sorted((package.parent / "case-studies").glob("*.md"))
    assert studies and all("thử nghiệm" in s.read_text(encoding="utf-8") or s.name.endswith(".en.md") for s in studies)


def test_generator_never_writes_under_data(tiny):
    _, before, after = tiny
    assert before == after
    for inside in (paths.DATA, paths.DATA / "bench", paths.ROOT):
        with pytest.raises(ValueError, match="never"):
            generate(inside, 0.1)
    assert _snapshot(paths.DATA) == before
    assert not (paths.DATA / "bench").exists()


def test_generator_follows_the_descriptor_not_a_list_of_tables(tmp_path):
    """A table added to data/ is generated too, keys unique and links sound."""
    source = tmp_path / "source"
    shutil.copytree(paths.DATA, source)
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "enterprise_visits", "path": "enterprise_visits.csv", "schema": {
        "fields": [{"name": "enterprise_id", "type": "string", "constraints": {"required": True}},
                   {"name": "year", "type": "integer", "constraints": {"required": True, "minimum": 2021, "maximum": 2030}},
                   {"name": "note_vi", "type": "string"}],
        "primaryKey": ["enterprise_id", "year"],
        "foreignKeys": [{"fields": ["enterprise_id"], "reference": {"resource": "enterprises", "fields": ["id"]}}]}})
    (source / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (source / "enterprise_visits.csv").write_text("enterprise_id,year,note_vi\nhoa-sen-nghe-an,2024,Ghi chú\n", encoding="utf-8")
    package = generate(tmp_path / "out", 0.1, source=source / "datapackage.json")
    visits = _rows(package.parent / "enterprise_visits.csv")
    enterprises = {e["id"] for e in _rows(package.parent / "enterprises.csv")}
    real_share = 1 / len(_rows(paths.DATA / "enterprises.csv"))     # data/ has one visit per so many enterprises
    assert len(visits) == round(real_share * len(enterprises))
    assert {v["enterprise_id"] for v in visits} <= enterprises
    assert len({(v["enterprise_id"], v["year"]) for v in visits}) == len(visits)
    assert all(2021 <= int(v["year"]) <= 2030 for v in visits)


# --- page weights ---------------------------------------------------------------------------------

def test_page_weight_counts_what_the_page_loads_and_the_search_it_fetches(tmp_path):
    build = tmp_path / "build"
    (build / "assets").mkdir(parents=True)
    (build / "search").mkdir()
    (build / "assets" / "site.css").write_text("body{background:url(bg.png)}", encoding="utf-8")
    (build / "assets" / "bg.png").write_bytes(b"x" * 1000)
    (build / "assets" / "app.js").write_bytes(b"y" * 2000)
    (build / "chart.svg").write_bytes(b"z" * 3000)
    (build / "search" / "search_index.json").write_text('{"config": {"lang": ["vi"]}, "docs": []}', encoding="utf-8")
    page = ('<link rel="stylesheet" href="assets/site.css"><link rel="next" href="other.html">'
            '<script src="assets/app.js"></script><script src="https://cdn.example/x.js"></script>'
            '<form name="search"></form><img src="chart.svg" alt=""><a href="chart.svg">chart</a>')
    (build / "index.html").write_text(page, encoding="utf-8")
    (build / "other.html").write_text("<p>small</p>", encoding="utf-8")
    heaviest, lightest = figures.page_weights(build)
    css = len((build / "assets" / "site.css").read_bytes())
    index = (build / "search" / "search_index.json").stat().st_size
    assert heaviest["page"] == "index.html"
    assert heaviest["assets"] == css + 1000 + 2000 + 3000          # each file once; no other host, no link targets
    assert heaviest["total"] == len(page) + heaviest["assets"]
    assert heaviest["with_search"] == heaviest["total"] + index
    assert lightest == {**lightest, "page": "other.html", "assets": 0, "search": 0}
    assert figures.search_indexes(build) == {"search/search_index.json": index}
    assert figures.count_pages(build) == 2


# --- the report -----------------------------------------------------------------------------------

def _child(rows: int, quadratic: bool = True) -> dict:
    """A measured build at `rows` rows: validate grows linearly, pages with the square (if asked)."""
    cpu = {"validate": rows / 100, "pages": (rows / 100) ** 2 / 10 if quadratic else rows / 100, "mkdocs": 0.2}
    page = {"page": "ton-vinh/index.html", "html": rows * 10, "assets": 300_000, "total": rows * 10 + 300_000, "search": rows * 20,
            "files": 12, "total_gzip": rows * 2, "with_search": rows * 30 + 300_000, "with_search_gzip": rows * 3 + 90_000}
    return {"runs": {"clean": {"seconds": dict(cpu), "cpu": dict(cpu), "wall": sum(cpu.values()), "pages": rows // 10}},
            "figures": {"html_pages": rows // 5, "build_bytes": rows * 1000, "search_index_bytes": {"search/search_index.json": rows * 20},
                        "search_index_total": rows * 20, "heaviest_pages": [page]},
            "peak_rss_mb": {"build": 100.0, "mkdocs": 90.0, "peak": 100.0, "all_at_once": 150.0}}


def test_report_has_every_figure_and_judges_growth():
    scales = [report.scale_entry(s, {"enterprises": 1000 * s, "honours": 2500 * s}, _child(3500 * s)) for s in (1, 10)]
    stopped = report.stopped_state([{"run": "clean"}, {"stage": "validate", "seconds": 3500.0, "cpu": 3500.0}], 3600.0, 3600,
                                   {"pages": 10, "previews": 0, "html_written": 0, "largest": [("vi/ton-vinh/index.md", 9)]})
    scales.append(report.scale_entry(100, {"enterprises": 100_000, "honours": 250_000}, None, stopped))
    warm = _child(3500)["runs"]["clean"] | {"wall": 3.0}
    real = report.real_site({"runs": {"clean": _child(3500)["runs"]["clean"], "warm": warm, "edited": warm},
                             "edit": {"resource": "targets", "row": 16, "field": "text_vi"}, "figures": {}, "peak_rss_mb": {}})
    result = report.build_report({"cores": 2, "when": "now"}, scales, real)

    assert set(result) == {"machine", "scales", "growth", "real_site", "targets", "engines"}
    assert set(scales[0]) >= {"stages", "wall", "cpu", "pages", "html_pages", "build_bytes", "search_index_bytes",
                              "search_index_total", "heaviest_page", "peak_rss_mb", "total_rows", "finished"}
    assert scales[2]["stopped"]["last_finished"] == "validate" and scales[2]["stopped"]["in_stage_for"] == 100.0
    verdicts = {g["figure"]: g["verdict"] for g in result["growth"]}
    assert verdicts["validate (s, CPU)"] == "linear or better"       # measured at 100× before the stop
    assert verdicts["pages (s, CPU)"] == "superlinear up to 10×; 100× stopped before this was measured"
    assert verdicts["mkdocs (s, CPU)"].startswith("too small to judge")
    assert {"peak memory, all processes (MB)", "pages", "build/ (bytes)", "search indexes (bytes)",
            "heaviest page (bytes)"} <= set(verdicts)
    validate_growth = next(g for g in result["growth"] if g["figure"] == "validate (s, CPU)")
    assert validate_growth["values"] == {"1×": 35.0, "10×": 350.0, "100×": 3500.0}
    assert validate_growth["steps"] == [{"from": "1×", "to": "10×", "ratio": 10.0, "rows_ratio": 10.0, "exponent": 1.0},
                                       {"from": "10×", "to": "100×", "ratio": 10.0, "rows_ratio": 10.0, "exponent": 1.0}]
    assert real["ratios"] == {"warm/clean": pytest.approx(3.0 / real["runs"]["clean"]["wall"], abs=1e-3),
                              "edited/clean": pytest.approx(3.0 / real["runs"]["clean"]["wall"], abs=1e-3)}
    met = {t["target"].split(" <")[0]: t["met"] for t in result["targets"]}
    assert met["one changed row"] is True and met["heaviest page at 100×"] is None


def test_report_is_written_as_json_and_markdown(tmp_path):
    scales = [report.scale_entry(s, {"honours": 2500 * s}, _child(2500 * s, quadratic=False)) for s in (1, 10)]
    as_json, as_md = report.write(report.build_report({"cores": 2}, scales, None), tmp_path)
    assert json.loads(as_json.read_text(encoding="utf-8"))["growth"]
    text = as_md.read_text(encoding="utf-8")
    assert "## Targets" in text and "## Growth" in text and "### 10×" in text
    assert "| pages (s, CPU) | 25 | 250 |" in text and "linear or better" in text and "superlinear" not in text


def test_report_compares_the_engines_on_the_real_site_and_at_ten_times(tmp_path):
    """Issue 16: each engine's whole build and its own stage, real site clean and warm, 10× clean."""
    def child(engine, seconds):
        run = {"seconds": {"validate": 1.0, engine: seconds}, "cpu": {"validate": 1.0, engine: seconds}, "wall": 1.0 + seconds,
               "pages": 10}
        return {"runs": {"clean": run}, "figures": {"html_pages": 20, "build_bytes": 1, "search_index_bytes": {},
                                                    "search_index_total": 0, "heaviest_pages": []}, "peak_rss_mb": {}}

    def real(engine, clean, warm):
        runs = {"clean": child(engine, clean)["runs"]["clean"], "warm": child(engine, warm)["runs"]["clean"]}
        return report.real_site({"runs": runs, "figures": {}, "peak_rss_mb": {}})

    engines = {"mkdocs": report.engine_entry("mkdocs", real("mkdocs", 4.0, 2.0), report.scale_entry(10, {"x": 1}, child("mkdocs", 9.0))),
               "zensical": report.engine_entry("zensical", real("zensical", 3.0, 1.0), None)}
    assert engines["mkdocs"] == {"engine": "mkdocs", "real_clean": {"wall": 5.0, "cpu": 5.0, "engine_stage": 4.0, "engine_stage_cpu": 4.0},
                                 "real_warm": {"wall": 3.0, "cpu": 3.0, "engine_stage": 2.0, "engine_stage_cpu": 2.0},
                                 "ten_clean": {"wall": 10.0, "cpu": 10.0, "engine_stage": 9.0, "engine_stage_cpu": 9.0}}
    assert engines["zensical"]["ten_clean"] is None
    assert report.engine_line(engines["zensical"]) == "real clean 4 s, real warm 2 s, 10× clean —"
    _, as_md = report.write(report.build_report({"cores": 2}, [], None, engines), tmp_path)
    text = as_md.read_text(encoding="utf-8")
    assert "| mkdocs | 5 s (5 CPU) [4 s (4 CPU)] | 3 s (3 CPU) [2 s (2 CPU)] | 10 s (10 CPU) [9 s (9 CPU)] |" in text
    assert "| zensical | 4 s (4 CPU) [3 s (3 CPU)] | 2 s (2 CPU) [1 s (1 CPU)] | — |" in text


def test_the_two_real_edits_leave_a_valid_package_and_data_untouched(tmp_path):
    """The real site's "edited" and "added" builds: one text cell changed, then one observation and
    the source it cites added, in a copy; the copy validates and data/ is as it was."""
    from tests.bench.measure import BENCH_SOURCE, EDIT_MARK, add_one_observation, edit_one_row

    before = {p.name: p.read_bytes() for p in paths.DATA.glob("*.csv")}
    edited, edit = edit_one_row(paths.PACKAGE, tmp_path / "edited")
    added, addition = add_one_observation(edited, tmp_path / "added")
    assert edit["resource"] == "targets" and EDIT_MARK in (added.parent / "targets.csv").read_text(encoding="utf-8")
    with (added.parent / "observations.csv").open(encoding="utf-8-sig", newline="") as f:
        observations = list(csv.DictReader(f))
    assert observations[-1] == {"target_id": addition["target"], "year": str(addition["year"]), "value": "1",
                                "source_id": BENCH_SOURCE["id"], "note_vi": "", "note_en": ""}
    assert (added.parent / "sources.csv").read_text(encoding="utf-8").splitlines()[-1].startswith(BENCH_SOURCE["id"] + ",")
    assert validate(added) == []
    assert {p.name: p.read_bytes() for p in paths.DATA.glob("*.csv")} == before


def _lighthouse_result(performance: float, tbt: float, bytes_: int, index: float) -> dict:
    """The parts of a Lighthouse JSON result that `make bench-web` reads."""
    scores = {"performance": performance, "accessibility": 1, "best-practices": 1, "seo": 1}
    return {
        "categories": {c: {"score": s, "auditRefs": [{"id": "total-blocking-time", "weight": 30}]} for c, s in scores.items()},
        "audits": {"network-requests": {"details": {"items": [{"transferSize": bytes_}, {"transferSize": 0}]}},
                   "first-contentful-paint": {"numericValue": 1200}, "largest-contentful-paint": {"numericValue": 2000},
                   "total-blocking-time": {"id": "total-blocking-time", "numericValue": tbt, "score": 0.9 if tbt > 200 else 1,
                                           "scoreDisplayMode": "numeric"},
                   "cumulative-layout-shift": {"id": "cumulative-layout-shift", "numericValue": 0}},
        "environment": {"benchmarkIndex": index},
    }


def test_bench_web_report_gives_the_median_of_each_figure(tmp_path):
    """Three runs of one page: each score and figure is the median of the three on its own, the runs'
    scores are shown, and the README's table (between its markers) is replaced."""
    from tests.browser import README_TABLE, bench_web_report

    out = tmp_path / "lighthouse"
    out.mkdir()
    runs = [(0.99, 150, 80_000, 900), (0.91, 400, 82_000, 700), (0.97, 210, 81_000, 1100)]
    for i, run in enumerate(runs):
        (out / f"ton-vinh_index.{i + 1}.json").write_text(json.dumps(_lighthouse_result(*run)), encoding="utf-8")
    (out / "runs.json").write_text(json.dumps({"pages": {"honours directory": "ton-vinh/index.html"}, "runs": 3,
                                               "lighthouse": "12.2.3", "site_url": "https://example.org/", "date": "2026-12-01"}))
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{README_TABLE[0]}\nold table\n{README_TABLE[1]}\nafter\n", encoding="utf-8")
    report = bench_web_report(out, readme)
    row = "| honours directory (`ton-vinh/index.html`) | **97** (99, 91, 97) | 100 | 100 | 100 | 1.2 s | 2.0 s | 210 ms | 0.000 | 79 KB in 2 | 900 |"
    assert row in report.splitlines()
    assert "Performance below 95: none." in report and "index was 900–900" in report
    assert "Audits not passed in some run: total-blocking-time." in report
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("before\n") and text.endswith(f"{README_TABLE[1]}\nafter\n") and row in text and "old table" not in text
    assert (out / "report.md").read_text(encoding="utf-8") == report + "\n"


def test_bench_web_measures_a_kind_todays_data_lacks_on_synthetic_data_and_says_so(tmp_path, monkeypatch):
    """The real build has no part of the honours directory: bench-web builds a synthetic package (in a
    temp folder, its own process) and measures its largest part there; the report marks it synthetic."""
    import tests.browser as browser_module

    real, synthetic = tmp_path / "real", tmp_path / "x10"
    for root, parts in ((real, False), (synthetic, True)):
        (root / "ton-vinh" / "giai").mkdir(parents=True)
        (root / "ton-vinh" / "index.html").write_text("<html>honours</html>", encoding="utf-8")
        if parts:
            (root / "ton-vinh" / "giai" / "gpea-2021.html").write_text("<html>" + "x" * 900 + "</html>", encoding="utf-8")
            (root / "ton-vinh" / "giai" / "ocop.html").write_text("<html>small</html>", encoding="utf-8")
    measured = []
    monkeypatch.setattr("scripts.engines.build.build", lambda out, *a, **k: shutil.copytree(real, out))
    monkeypatch.setattr(browser_module, "_synthetic_build", lambda work: shutil.copytree(synthetic, work / "build"))
    monkeypatch.setattr(browser_module, "lighthouse", lambda url, path: (measured.append(url), path.write_text(
        json.dumps(_lighthouse_result(1, 0, 50_000, 2000)), encoding="utf-8")))
    from tests.browser import README_TABLE

    real_readme = browser_module.README.read_bytes()
    monkeypatch.setattr(browser_module, "README", tmp_path / "README.md")
    stand_in = tmp_path / "lighthouse"                  # Lighthouse is not installed by make test
    stand_in.write_text("#!/bin/sh\necho 12.2.3\n", encoding="utf-8")
    stand_in.chmod(0o755)
    monkeypatch.setattr(browser_module, "LIGHTHOUSE", stand_in)
    (tmp_path / "README.md").write_text(f"{README_TABLE[0]}\n{README_TABLE[1]}\n", encoding="utf-8")
    report = browser_module.bench_web(tmp_path / "out", runs=1)
    assert (paths.ROOT / "README.md").read_bytes() == real_readme           # the project's README left alone
    assert "gpea-2021" in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert [u.split("/", 3)[-1] for u in measured] == ["ton-vinh/index.html", "ton-vinh/giai/gpea-2021.html"]
    assert "| a part of the honours directory (`synthetic/ton-vinh/giai/gpea-2021.html`) | **100**" in report
    assert "Not in today's data, so measured on a synthetic package at 10×" in report
    assert report.split("\n")[0].endswith('starts with "synthetic/"): a part of the honours directory.')

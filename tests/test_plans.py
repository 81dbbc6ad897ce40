"""One engine, any province's plan (issue 21): nothing of a plan in the engine's code, a second real
plan (Lâm Đồng, Plan 8206/KH-UBND) built from its own folder, a new plan built from an empty package,
and the national programmes' targets as one table that each plan's targets link to.

The plan-independent checks run on both real sites: validation, links, the two languages, no other
host, the as-of date, and in Chromium every page of the second site (axe, keyboard, phone width).
"""
import asyncio
import concurrent.futures
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import paths
from scripts.__main__ import main
from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.data.validate import validate
from scripts.engines.build import DataInvalid, build
from tests.conftest import LAM_DONG
from tests.helpers import read_rows, write_rows

pytest.register_assert_rewrite("tests.browser")
pytest_plugins = ["tests.browser"]

# What names either plan: its number, its province (with and without accents), its date.
PLAN_WORDS = re.compile(r"683|8206|Nghệ An|Nghe An|nghe-an|Lâm Đồng|Lam Dong|lam-dong|17/11/2021|2021-11-17|"
                        r"17 November 2021|15/11/2021|2021-11-15|15 November 2021", re.I)
ENGINE = ["scripts", "site", "mkdocs.yml", "Makefile", ".github/workflows"]


def _engine_files() -> list[Path]:
    files = []
    for name in ENGINE:
        root = paths.ROOT / name
        for path in ([root] if root.is_file() else sorted(root.rglob("*"))):
            if path.is_file() and "generated" not in path.relative_to(paths.ROOT).parts and "__pycache__" not in path.parts:
                files.append(path)
    return files


def test_no_file_of_the_engine_names_a_plan():
    """Everything about a plan comes from its package: the code, the templates, the site's own words,
    the hand-written pages and the configs name no plan, no province and no date of issue."""
    hits = []
    for path in _engine_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        hits += [f"{path.relative_to(paths.ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in PLAN_WORDS.finditer(text)]
    assert len(_engine_files()) > 80
    assert hits == []


def test_the_check_itself_finds_a_plans_name(tmp_path):
    """The pattern above would catch what it is meant to (a test that can fail)."""
    for sample in ("Kế hoạch 683/KH-UBND", "tỉnh Nghệ An", "ngày 17/11/2021", "tỉnh Lâm Đồng", "8206/KH-UBND"):
        assert PLAN_WORDS.search(sample), sample


# --- the packages ------------------------------------------------------------------------------

def test_both_plans_and_the_national_table_validate():
    assert validate(paths.PACKAGE) == []
    assert validate(LAM_DONG) == []
    from frictionless import validate as frictionless_validate

    assert frictionless_validate(str(paths.NATIONAL_PACKAGE)).valid


def test_both_plans_have_the_same_tables_and_schemas():
    """A second plan is laid out as data/ is: the engine reads the same tables from any package."""
    assert descriptor(LAM_DONG)["resources"] == descriptor(paths.PACKAGE)["resources"]
    for resource in descriptor(LAM_DONG)["resources"]:
        header = (LAM_DONG.parent / resource["path"]).read_text(encoding="utf-8").split("\n")[0]
        assert header == ",".join(f["name"] for f in resource["schema"]["fields"]), resource["name"]


def test_lam_dong_holds_only_what_its_stored_text_says():
    """The stored copy of Plan 8206 stops in general objective d): its objectives a) to c) are entered
    word for word from that text, and everything after the cut is a recorded gap, not a guess."""
    text = " ".join((LAM_DONG.parent / "nguon" / "ke-hoach-8206-KH-UBND-2021.txt").read_text(encoding="utf-8").split())
    frames = load(LAM_DONG)
    plan = frames["plan"].iloc[0]
    assert plan["number"] in text and "15 tháng 11 năm 2021" in text
    assert (plan["period_start"], plan["period_end"]) == (2021, 2025) and "GIAI ĐOẠN 2021-2025" in text
    objectives = frames["purposes"]
    assert list(objectives["clause"]) == ["a", "b", "c"] and set(objectives["kind"]) == {"objective"}
    for clause in objectives["text_vi"]:
        assert clause in text, clause[:60]
    assert "khoa học và công [… không có trong bản lưu" in text.replace("\n", " ")
    for empty in ("targets", "tasks", "task_agencies", "funding_sources", "duty_items", "duties", "observations", "reports"):
        assert frames[empty].empty, empty
    gaps = set(frames["gaps"]["part"])
    assert {"text", "purposes", "targets", "tasks", "funding", "duties", "signer"} <= gaps
    assert plan["signer"] is None or str(plan["signer"]) in ("nan", "None", "<NA>")


def test_a_plans_target_links_to_the_national_target_it_serves():
    model = build_model(load(), descriptor())
    served = {t["id"]: t["national_target"]["id"] for t in model["targets"] if t["national_target"]}
    assert served["chuyen-gia-2025"] == "chuyen-gia-nscl-2025"
    assert served["dn-duoc-ho-tro-tang-truong"] == "dn-ho-tro-tang-hang-nam"
    national = {n["id"]: n for n in model["national"]}
    assert [t["id"] for t in national["mo-hinh-diem-100"]["plan_targets"]] == ["dn-ap-dung-dong-bo", "dn-mo-hinh-diem"]
    assert all(n["quote"] and n["source"]["url"].startswith("http") for n in national.values())


def test_a_link_to_a_national_target_that_does_not_exist_is_located(data_copy):
    header, rows = read_rows(data_copy.parent / "targets.csv")
    rows[3]["national_target_id"] = "khong-co-muc-tieu-nay"
    write_rows(data_copy.parent / "targets.csv", header, rows)
    [p] = validate(data_copy)
    assert (p.code, p.file.endswith("targets.csv"), p.row, p.field) == ("broken-link", True, 5, "national_target_id")
    assert "national/programme_targets.csv" in p.message("en")


def test_a_broken_national_table_stops_the_build_with_its_problem(data_copy, tmp_path, monkeypatch):
    national = tmp_path / "national"
    shutil.copytree(paths.NATIONAL, national)
    text = (national / "programme_targets.csv").read_text(encoding="utf-8").replace(",count,600,", ",count,sáu trăm,", 1)
    (national / "programme_targets.csv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "NATIONAL_PACKAGE", national / "datapackage.json")
    problems = validate(data_copy)
    assert {p.code for p in problems} == {"national-package"}
    assert any(p.row == 3 and p.field == "target_value" for p in problems)


def test_site_settings_are_checked_and_located(data_copy):
    d = json.loads(data_copy.read_text(encoding="utf-8"))
    d["site"]["name_en"] = ""
    d["site"]["colors"]["primary"] = "blue"
    d["site"]["description_vi"] = "Trang <b>đậm</b>"
    d["last_updated"] = "hôm qua"
    data_copy.write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")
    found = sorted((p.code, p.field) for p in validate(data_copy))
    assert found == [("last-updated", "last_updated"), ("site-setting", "colors.primary"), ("site-setting", "description_vi"),
                     ("site-setting", "name_en")]


def test_a_plan_table_needs_exactly_one_row(data_copy):
    header, rows = read_rows(data_copy.parent / "plan.csv")
    write_rows(data_copy.parent / "plan.csv", header, rows + [{**rows[0], "id": "ke-hoach-khac"}])
    assert [(p.code, p.row) for p in validate(data_copy)] == [("plan-one-row", 3)]


def test_another_plans_problems_name_its_own_folder(tmp_path, capsys):
    """A steward of another province's package is sent to its files, never to data/ (Nghệ An's)."""
    copy = tmp_path / "plans" / "lam-dong-8206"
    shutil.copytree(LAM_DONG.parent, copy)
    header, rows = read_rows(copy / "legal_basis.csv")
    rows[0]["source_id"] = "khong-co-nguon-nay"
    write_rows(copy / "legal_basis.csv", header, rows)
    header, rows = read_rows(copy / "purposes.csv")
    write_rows(copy / "purposes.csv", header + ["ghi_chu"], [{**r, "ghi_chu": ""} for r in rows])
    problems = validate(copy / "datapackage.json")
    assert sorted(p.code for p in problems) == ["broken-link", "unknown-column"]
    texts = [p.message(lang) + " " + p.fix(lang) for p in problems for lang in ("vi", "en")]
    assert all(str(copy) in t for t in texts)
    assert not [t for t in texts if re.search(r"(?<![\w/.-])data/", t)]
    assert main(["validate", "--data", str(copy)]) == 1
    out = capsys.readouterr()
    assert f"{copy}/sources.csv" in out.out + out.err and f"{copy}/datapackage.json" in out.out + out.err
    # the same bytes in another folder: the kept check (validate's cache) names the new folder, not the first
    moved = tmp_path / "plans" / "lam-dong-khac"
    shutil.copytree(copy, moved)
    texts = [p.message("vi") + " " + p.fix("vi") for p in validate(moved / "datapackage.json")]
    assert len(texts) == 2 and all(str(moved) in t and f"{copy}/" not in t for t in texts)


# --- the second site -----------------------------------------------------------------------------

def _text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article.group(1) if article else html))


def test_one_command_builds_lam_dongs_site_from_its_folder(tmp_path):
    out = tmp_path / "build-lam-dong"
    assert main(["build", "--data", str(LAM_DONG.parent), "--out", str(out), "--as-of", "2026-12-04"]) == 0
    assert (out / "index.html").is_file() and (out / "en" / "index.html").is_file()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Kế hoạch 8206/KH-UBND: tỉnh Lâm Đồng đã thực hiện đến đâu" in home
    assert "<title>Kế hoạch 8206 Lâm Đồng: Năng suất, chất lượng</title>" in home
    assert "#1b5e20" in (out / "assets" / "colors.css").read_text(encoding="utf-8")


def test_a_relative_out_folder_is_the_callers(tmp_path, monkeypatch):
    """`--out build-lam-dong`, as the README shows it, is a folder where the command was run: the
    engines, which run from the project's folder, must not put the site anywhere else."""
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--data", str(LAM_DONG.parent), "--out", "build-lam-dong", "--as-of", "2026-12-04"]) == 0
    assert (tmp_path / "build-lam-dong" / "index.html").is_file() and (tmp_path / "build-lam-dong" / "en" / "index.html").is_file()
    assert not list(paths.GENERATED.glob(".build-*"))


def test_the_second_site_says_what_its_text_leaves_out(lam_dong_site):
    plan = _text(lam_dong_site / "ke-hoach.html")
    assert "I. Mục tiêu" in plan and "1. Mục tiêu chung" in plan
    assert "a) Hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm" in plan
    assert "Bản lưu của văn bản chỉ có phần đầu" in plan and "Người ký: chưa rõ" in plan
    home = _text(lam_dong_site / "index.html")
    assert "Chưa có chỉ tiêu nào được nhập" in home and "Chưa có lịch báo cáo hằng năm" in home
    # no target, no deadline to draw: the timeline is a sentence, not an empty axis
    assert 'class="timeline"' not in home and "Kế hoạch có thời kỳ 2021–2025. Chưa có chỉ tiêu nào được nhập" in home
    assert "The plan covers 2021–2025. No target has been entered yet" in _text(lam_dong_site / "en" / "index.html")
    # nothing to count on the targets' and reports' cards: a dash to the eye, words to a screen reader
    raw = (lam_dong_site / "index.html").read_text(encoding="utf-8")
    assert raw.count('<span class="headline-figure"><span aria-hidden="true">—</span><span class="sr-only">Chưa có dữ liệu:</span>') == 2
    assert "Phần mục tiêu cụ thể" in _text(lam_dong_site / "chi-tieu" / "index.html")
    assert "Phần tổ chức thực hiện" in _text(lam_dong_site / "lich-bao-cao.html")
    en = _text(lam_dong_site / "en" / "ke-hoach.html")
    assert "General objectives" in en and "The stored copy of the text holds only its opening" in en
    assert (lam_dong_site / "nguon" / "ke-hoach-8206-KH-UBND-2021.txt").is_file()


@pytest.mark.parametrize("site, other", [("built_site", "lam_dong_site"), ("lam_dong_site", "built_site")])
def test_a_site_names_no_other_plan(site, other, request):
    """Nothing of one plan leaks into the other's site (a label or page left naming the first plan)."""
    root = request.getfixturevalue(site)
    words = {"built_site": re.compile(r"Lâm Đồng|Lam Dong|8206"),
             "lam_dong_site": re.compile(r"Nghệ An|Nghe An|683/KH|Kế hoạch 683|Plan 683")}[site]
    found = []
    for page in sorted(root.rglob("*")):
        if page.suffix in (".html", ".xml", ".ics", ".json", ".txt", ".csv", ".svg") and "search" not in page.parts:
            text = page.read_text(encoding="utf-8", errors="replace")
            found += [f"{page.relative_to(root)}: {m.group(0)}" for m in words.finditer(text)]
    assert found == []


SITES = ["built_site", "lam_dong_site"]


@pytest.mark.parametrize("site", SITES)
def test_every_internal_link_and_anchor_resolves_on_both_sites(site, request):
    from tests.test_build import broken_links

    assert broken_links(request.getfixturevalue(site)) == []


@pytest.mark.parametrize("site", SITES)
def test_both_languages_and_their_pairs_on_both_sites(site, request):
    root = request.getfixturevalue(site)
    vi = {p.relative_to(root).as_posix() for p in root.rglob("*.html") if p.relative_to(root).parts[0] != "en"}
    en = {p.relative_to(root / "en").as_posix() for p in (root / "en").rglob("*.html")}
    assert vi == en and len(vi) > 20
    for rel in ("index.html", "ke-hoach.html", "chi-tieu/index.html"):
        assert '<html lang="vi"' in (root / rel).read_text(encoding="utf-8")
        assert '<html lang="en"' in (root / "en" / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("site", SITES)
def test_nothing_is_loaded_from_another_host_on_both_sites(site, request):
    root = request.getfixturevalue(site)
    offenders = []
    for page in root.rglob("*.html"):
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", page.read_text(encoding="utf-8"), re.I):
            if re.search(r'(?:src|href)="(?:https?:)?//', tag) and 'rel="alternate"' not in tag and 'rel="canonical"' not in tag:
                offenders.append((page.relative_to(root).as_posix(), tag))
    assert offenders == []


@pytest.mark.browser
def test_every_page_of_the_second_site_in_chromium(lam_dong_site, axe_source):
    """Axe (WCAG 2.1 A and AA), the keyboard, the language, nothing from another host, no console
    error, and at 360 px no sideways scroll: every page of both languages of Lâm Đồng's site."""
    from tests.browser import PHONE, check_site, html_pages, language_of, serve

    pages = html_pages(lam_dong_site)
    with serve(lam_dong_site) as base, concurrent.futures.ThreadPoolExecutor(1) as pool:
        reports = pool.submit(asyncio.run, check_site(base, pages, axe_source)).result()
    assert len(reports) > 40
    problems = {path: r.violations + r.failed + r.console_errors + r.not_focusable
                + ([f"{r.scroll_width} px wide on a phone"] if r.scroll_width > PHONE["width"] else [])
                + ([f"lang {r.lang}"] if r.lang != language_of(path) else [])
                + [u for u in r.requests if not u.startswith(base)]
                for path, r in reports.items()}
    assert {p: v for p, v in problems.items() if v} == {}


# --- a new plan, from an empty package -----------------------------------------------------------

def _new_plan(folder: Path) -> Path:
    """What a new province's editor does first: an empty package, then the plan's row, its site's name,
    its purpose and its targets, and nothing else."""
    assert main(["new-plan", str(folder)]) == 0
    package = folder / "datapackage.json"
    d = json.loads(package.read_text(encoding="utf-8"))
    d.update(title="Kế hoạch thử", title_en="A test plan", last_updated="2026-06-01")
    d["site"].update(name_vi="Kế hoạch thử: Năng suất", name_en="Test plan: Productivity",
                     description_vi="Trang thử của một kế hoạch mới.", description_en="The test site of a new plan.")
    package.write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")

    def fill(table, rows):
        header = (folder / f"{table}.csv").read_text(encoding="utf-8").strip().split(",")
        write_rows(folder / f"{table}.csv", header, rows)

    fill("sources", [dict(id="ke-hoach-thu", title="Kế hoạch thử (dữ liệu thử nghiệm, không phải văn bản thật)", publisher="Bộ kiểm thử", url="nguon/ke-hoach.txt")])
    (folder / "nguon" / "ke-hoach.txt").write_text("Văn bản thử nghiệm.\n", encoding="utf-8")
    fill("agencies", [dict(id="ubnd-tinh", name_vi="Ủy ban nhân dân tỉnh Thử", name_en="Test Provincial People's Committee",
                           kind="provincial_government", named_in_plan="true")])
    fill("plan", [dict(id="ke-hoach-thu", number="1/KH-UBND", issued_date="2022-01-10", issuer_id="ubnd-tinh",
                       title_vi="Kế hoạch thử", title_en="A test plan", province_vi="Thử", province_en="Test",
                       short_name_vi="Kế hoạch 1/KH-UBND", short_name_en="Plan 1/KH-UBND", period_start="2022", period_end="2025",
                       purpose_section="I", source_id="ke-hoach-thu")])
    fill("purposes", [dict(id="muc-dich", kind="purpose", text_vi="Mục đích thử.", text_en="A test purpose.")])
    fill("targets", [dict(id="chi-tieu-thu", order="1", text_vi="Có ít nhất 3 câu lạc bộ thử.", text_en="At least 3 test clubs.",
                          kind="count", target_value="3", unit_vi="câu lạc bộ", unit_en="clubs", deadline_year="2025",
                          deadline_stated="true", direction="increase")])
    return package


def test_a_new_plan_with_only_its_purpose_and_targets_builds(tmp_path):
    package = _new_plan(tmp_path / "plans" / "ke-hoach-thu")
    assert validate(package) == []
    out = tmp_path / "build"
    build(out, package, as_of=__import__("datetime").date(2026, 6, 1))
    home, targets = _text(out / "index.html"), _text(out / "chi-tieu" / "index.html")
    assert "Kế hoạch 1/KH-UBND: tỉnh Thử đã thực hiện đến đâu" in home
    assert "1 chỉ tiêu" in home and "Chưa có lịch báo cáo hằng năm" in home
    assert "Có ít nhất 3 câu lạc bộ thử" in targets and "Chỉ tiêu nêu trong phần mục tiêu" in targets
    plan = _text(out / "ke-hoach.html")
    assert "Chưa có dữ liệu về phần này." in plan                  # tasks, funding, duties: said, not failed
    target = _text(out / "chi-tieu" / "chi-tieu-thu.html")
    assert "Có ít nhất 3 câu lạc bộ thử" in target
    assert "Quá hạn, chưa có số liệu công bố" in target and "Đã hết thời hạn năm 2025" in target
    assert (out / "en" / "index.html").is_file()


def test_the_status_rules_hold_for_a_new_plan(tmp_path):
    """The rules that judge a target know no plan: the new plan's one target, overdue without a figure,
    is achieved once a sourced figure reaching it is entered."""
    package = _new_plan(tmp_path / "plans" / "ke-hoach-thu")
    folder = package.parent
    header = (folder / "observations.csv").read_text(encoding="utf-8").strip().split(",")
    write_rows(folder / "observations.csv", header, [dict(target_id="chi-tieu-thu", year="2025", value="3", source_id="ke-hoach-thu")])
    assert validate(package) == []
    out = tmp_path / "build"
    build(out, package, as_of=__import__("datetime").date(2026, 6, 1))
    target = _text(out / "chi-tieu" / "chi-tieu-thu.html")
    assert "Đã đạt" in target and "Quá hạn, chưa có số liệu công bố" not in target
    assert "Achieved" in _text(out / "en" / "chi-tieu" / "chi-tieu-thu.html")


def test_an_empty_package_says_what_to_fill_in_and_the_build_refuses_it(tmp_path, capsys):
    folder = tmp_path / "plans" / "moi"
    assert main(["new-plan", str(folder)]) == 0
    assert main(["new-plan", str(folder)]) == 2             # never over a folder that holds files
    codes = {p.code for p in validate(folder / "datapackage.json")}
    assert codes == {"site-setting", "last-updated"}            # first the settings; then the tables, in turn
    with pytest.raises(DataInvalid):
        build(tmp_path / "out", folder / "datapackage.json")
    assert not (tmp_path / "out").exists()


def test_the_plan_workbook_round_trips_a_new_plans_text(tmp_path):
    """`workbook --plan` gives the plan's own tables in Excel; `import` reads them back: how a new
    plan's text can be entered without editing CSV files."""
    package = _new_plan(tmp_path / "plans" / "ke-hoach-thu")
    book = tmp_path / "ke-hoach.xlsx"
    assert main(["workbook", "--data", str(package.parent), "--plan", "--out", str(book)]) == 0
    from openpyxl import load_workbook

    sheets = load_workbook(book).sheetnames
    assert {"plan", "purposes", "targets", "tasks", "gaps"} <= set(sheets) and "observations" not in sheets
    assert main(["import", str(book), "--data", str(package.parent), "--dry-run"]) == 0


def test_make_builds_a_plan_from_its_folder():
    text = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--data $(DATA) --out $(OUT)" in text and "DATA ?= data" in text and "OUT ?= build" in text
    done = subprocess.run(["make", "-n", "site", "DATA=plans/lam-dong-8206", "OUT=build-lam-dong"], cwd=paths.ROOT,
                          capture_output=True, text=True)
    assert "scripts build --engine mkdocs --data plans/lam-dong-8206 --out build-lam-dong" in done.stdout

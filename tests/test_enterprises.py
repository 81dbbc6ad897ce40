"""Issue 4, for enterprises: honours and award rounds, support programmes, model-site case studies.

Data faithful to its sources; joins; located problems for bad input (never a crash); the pages,
pinned as golden Markdown and checked for structure and safety. Case studies here are synthetic
fixtures under tests/fixtures/case-studies/.
"""
import csv
import os
import re
import shutil
from html import unescape
from pathlib import Path

import markdown
import pandas as pd
import pytest

from scripts import paths
from scripts.data import casestudies
from scripts.data.enterprises import build_enterprise_model, chart_series, rules
from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.data.validate import validate
from scripts.render import urls
from tests.enterprise_wiring import add_firms, page_specs, read_labels, render_page, wired
from tests.helpers import edit_cell

FIXTURES = Path(__file__).parent / "fixtures" / "case-studies"
GOLDEN = Path(__file__).parent / "golden" / "enterprises"
PLAN_TEXT = " ".join((paths.DATA / "nguon" / "ke-hoach-683-KH-UBND-2021.txt").read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def frames():
    return load()


@pytest.fixture(scope="module")
def model(frames):
    return add_firms(build_model(frames, descriptor()), frames)


@pytest.fixture(scope="module")
def firms(model):
    return model["firms"]


def _missing(value) -> bool:
    return bool(pd.isna(value))


def flat(problems):
    return [[Path(p.file).name, p.row, p.field, p.code] for p in problems]


# --- the data ---------------------------------------------------------------------------------------

def test_every_fact_row_cites_a_source_with_a_web_address(frames):
    urls = frames["sources"].set_index("id")["url"]
    for name in ("enterprises", "honours", "award_rounds"):
        cited = frames[name]["source_id"]
        assert [s for s in cited if not urls[s].startswith(("https://", "http://"))] == [], name


def test_published_counts_are_those_of_the_sources(frames):
    """Every count, as shared/docs/PUBLIC-FACTS.md reports it (Honours section)."""
    got = {}
    for c in frames["award_round_counts"].to_dict(orient="records"):
        key = next((str(c[k]) for k in ("rating", "level", "prize") if not _missing(c[k])), "all")
        if not _missing(c["status"]):
            key += f"/{c['status']}"
        got[(c["round_id"], c["measure"], key)] = (int(c["count"]), c["qualifier"])
    exact = {
        ("ocop-2019", "products", "all"): 48, ("ocop-2019", "products", "3"): 33, ("ocop-2019", "products", "4"): 15,
        ("ocop-2021", "products", "all"): 139, ("ocop-2021", "products", "3"): 125, ("ocop-2021", "products", "4"): 14,
        ("ocop-2021", "producers", "all"): 88,
        ("ocop-2022-dot-2", "products", "all"): 124, ("ocop-2022-dot-2", "products", "3"): 121,
        ("ocop-2022-dot-2", "products", "4"): 3, ("ocop-2022-dot-2", "producers", "all"): 98,
        ("ocop-2023", "products", "4"): 9,
        ("ocop-2024-dot-2", "products", "4/new"): 11, ("ocop-2024-dot-2", "products", "4/upgraded"): 3,
        ("ocop-2024-dot-2", "products", "4/re_rated"): 10,
        ("ocop-2025", "products", "3/new"): 70, ("ocop-2025", "products", "4/upgraded"): 2,
        ("ocop-2025", "products", "4/re_rated"): 1, ("ocop-2025", "products", "3/re_rated"): 16,
        ("ocop-luy-ke-2022", "products", "all"): 403, ("ocop-luy-ke-2023-01", "products", "all"): 405,
        ("ocop-luy-ke-2025-08", "products", "3"): 695, ("ocop-luy-ke-2025-08", "products", "4"): 45,
        ("ocop-luy-ke-2025-08", "products", "5"): 3, ("ocop-luy-ke-2025-08", "producers", "all"): 449,
        ("cnnt-2012-2022", "products", "district"): 233, ("cnnt-2012-2022", "products", "provincial"): 87,
        ("cnnt-2012-2022", "products", "regional"): 15, ("cnnt-2012-2022", "products", "national"): 11,
        ("cnnt-2022", "products", "provincial"): 25, ("cnnt-2022", "entries", "all"): 84, ("cnnt-2022", "forwarded", "all"): 11,
        ("cnnt-2024", "products", "provincial"): 26,
        ("gtclqg-2021", "enterprises", "all"): 61, ("gtclqg-2021", "enterprises", "gold"): 19,
        ("gtclqg-2022", "enterprises", "all"): 49, ("gtclqg-2022", "enterprises", "gold"): 22,
        ("gtclqg-2023", "enterprises", "all"): 23, ("gtclqg-2023", "enterprises", "gold"): 11,
    }
    expected = {key: (count, "exact") for key, count in exact.items()}
    expected[("ocop-luy-ke-2025-08", "products", "all")] = (740, "more_than")   # "hơn 740"
    assert got == expected


def test_honours_are_the_sourced_ones(frames):
    honours = frames["honours"].set_index("id")
    got = {i: (h["enterprise_id"], h["award"], h["level"], int(h["year"]), None if _missing(h["rating"]) else int(h["rating"]))
           for i, h in honours.iterrows()}
    assert got == {
        "gtclqg-hoa-sen-nghe-an": ("hoa-sen-nghe-an", "nqa", "national", 2020, None),
        "gpea-2021-th-milk-food": ("th-milk-food", "gpea", "international", 2021, None),
        "gpea-2012-vat-tu-nong-nghiep": ("vat-tu-nong-nghiep-nghe-an", "gpea", "international", 2012, None),
        "ocop-5-sao-duc-phong": ("duc-phong", "ocop", "national", 2025, 5),
    }


def test_facts_the_sources_disagree_on_carry_a_visible_note(frames):
    """The M facts of PUBLIC-FACTS.md: the year of Hoa Sen's award, the end-2022 total, OCOP 2024 round 2."""
    honours = frames["honours"].set_index("id")
    assert "2019" in honours.loc["gtclqg-hoa-sen-nghe-an", "note_vi"] and "2019" in honours.loc["gtclqg-hoa-sen-nghe-an", "note_en"]
    assert honours.loc["gtclqg-hoa-sen-nghe-an", "note_source_id"] == "gtclqg-2019-2020-vjst"
    rounds = frames["award_rounds"].set_index("id")
    assert "405" in rounds.loc["ocop-luy-ke-2022", "note_vi"] and "405" in rounds.loc["ocop-luy-ke-2022", "note_en"]
    assert "12" in rounds.loc["ocop-2024-dot-2", "note_vi"] and "12" in rounds.loc["ocop-2024-dot-2", "note_en"]


def test_programme_clauses_are_the_plans_words(frames):
    clauses = list(frames["support_programmes"]["clause_vi"])
    assert [c for c in clauses if " ".join(c.split()) not in PLAN_TEXT] == []


def test_no_contact_is_invented(frames):
    """No phone number, e-mail or street address unless a source published it; otherwise 'through the lead agency'."""
    programmes = frames["support_programmes"]
    unsourced = programmes[programmes["contact_source_id"].isna()]
    assert set(unsourced["contact_vi"]) == {"Liên hệ qua cơ quan chủ trì"}
    assert set(unsourced["contact_en"]) == {"Through the lead agency"}
    text = " ".join(str(v) for v in programmes.drop(columns=["target_id"]).to_numpy().ravel())
    assert re.findall(r"@|\b\d{3,4}[ .]?\d{3}[ .]?\d{3,4}\b|\bsố nhà\b|\bđường\s+\w+\s+số\b", text) == []


def test_the_plan_lists_every_kind_of_support(frames):
    needs = set(frames["support_programmes"]["need_id"])
    assert needs >= {"tieu-chuan", "he-thong-quan-ly", "cong-cu-nang-suat", "san-xuat-thong-minh", "truy-xuat-nguon-goc",
                     "gap-huu-co", "nang-suat-xanh", "doi-moi-cong-nghe", "chuyen-doi-so", "dao-tao", "mo-hinh-diem"}


def test_no_model_site_is_published_without_a_source():
    assert (paths.DATA / "model_sites.csv").read_text(encoding="utf-8").strip().count("\n") == 0
    assert casestudies.validate() == []


# --- the joins ----------------------------------------------------------------------------------------

def test_honours_join_their_enterprise_award_sector_and_source(firms):
    duc_phong = next(e for e in firms["enterprises"] if e["id"] == "duc-phong")
    assert [(h["award"], h["rating"], h["product_vi"]) for h in duc_phong["honours"]] == [("ocop", 5, "Đèn bàn mây tre")]
    assert duc_phong["sector"]["id"] == "thu-cong-my-nghe"
    assert [s["id"] for s in duc_phong["sources"]] == ["ocop-5-sao-2025-vietnamnews"]
    hoa_sen = next(e for e in firms["enterprises"] if e["id"] == "hoa-sen-nghe-an")
    assert [s["id"] for s in hoa_sen["sources"]] == ["gtclqg-61-dn-congnghieptieudung", "gtclqg-2019-2020-vjst"]
    by_award = {a["id"]: [h["id"] for h in a["honours"]] for a in firms["awards"]}
    assert by_award == {"nqa": ["gtclqg-hoa-sen-nghe-an"], "gpea": ["gpea-2021-th-milk-food", "gpea-2012-vat-tu-nong-nghiep"],
                        "cnnt": [], "ocop": ["ocop-5-sao-duc-phong"]}


def test_programmes_join_the_agency_to_ask_and_its_successor(firms):
    gap = next(p for p in firms["programmes"] if p["id"] == "gap-huu-co")
    assert gap["contact_agency"]["id"] == "so-nnptnt"
    assert gap["contact_agency"]["successor"]["id"] == "so-nnmt"
    assert gap["sector_ids"] == ["nong-nghiep-thuc-pham"]
    assert gap["basis_duty"]["id"] == "cac-so-b"
    assert [a["id"] for a in gap["other_leads"]] == ["so-khcn", "so-ct", "so-khdt", "so-tttt", "co-quan-lien-quan"]
    panel = firms["model_site_programme"]
    assert (panel["contact_agency"]["id"], [a["id"] for a in panel["contact_units"]]) == ("so-khcn", ["chi-cuc-tdc"])
    assert panel["basis_duty"]["id"] == "khcn-c" and panel["target"]["id"] == "dn-mo-hinh-diem"


def test_each_sector_gets_the_programmes_open_to_it(firms):
    sectors = {s["id"]: s for s in firms["sectors"]}
    every = [p["id"] for p in firms["programmes"] if p["all_sectors"]]
    assert [p["id"] for p in sectors["cong-nghiep"]["programmes"]] == every
    assert "gap-huu-co" in [p["id"] for p in sectors["nong-nghiep-thuc-pham"]["programmes"]]
    assert [e["id"] for e in sectors["nong-nghiep-thuc-pham"]["enterprises"]] == ["th-milk-food", "vat-tu-nong-nghiep-nghe-an"]


def test_chart_series(firms):
    series = chart_series(firms)
    assert [(r["round_id"], r["rating"], r["count"]) for r in series["ocop_by_round"]] == [
        ("ocop-2019", 3, 33), ("ocop-2019", 4, 15), ("ocop-2021", 3, 125), ("ocop-2021", 4, 14),
        ("ocop-2022-dot-2", 3, 121), ("ocop-2022-dot-2", 4, 3), ("ocop-2023", 4, 9), ("ocop-2024-dot-2", 4, 24),
        ("ocop-2025", 3, 86), ("ocop-2025", 4, 3)]
    assert [(r["round_id"], r["level"], r["count"]) for r in series["cnnt_by_level"]] == [
        ("cnnt-2012-2022", "district", 233), ("cnnt-2012-2022", "provincial", 87), ("cnnt-2012-2022", "regional", 15),
        ("cnnt-2012-2022", "national", 11), ("cnnt-2022", "provincial", 25), ("cnnt-2024", "provincial", 26)]


# --- bad input: located problems, never a crash ---------------------------------------------------------

def test_unknown_award_type(data_copy):
    edit_cell(data_copy, "honours", 0, "award", "giai-nobel")
    assert flat(validate(data_copy)) == [["honours.csv", 2, "award", "broken-link"], ["honours.csv", 2, "award", "not-allowed"]]


def test_star_rating_outside_three_to_five(data_copy):
    edit_cell(data_copy, "honours", 3, "rating", "6")
    assert flat(validate(data_copy)) == [["honours.csv", 5, "rating", "out-of-range"]]


def test_honour_of_a_missing_enterprise(data_copy):
    edit_cell(data_copy, "honours", 1, "enterprise_id", "khong-ton-tai")
    assert flat(validate(data_copy)) == [["honours.csv", 3, "enterprise_id", "broken-link"]]


def test_rules_across_the_tables():
    code = casestudies.code_for
    rows = {
        "awards": [(2, {"id": "nqa", "rated": "false"}), (3, {"id": "ocop", "rated": "true"})],
        "award_rounds": [(2, {"id": "r-nqa", "award": "nqa"})],
        "honours": [(2, {"award": "ocop", "rating": "", "round_id": ""}),
                    (3, {"award": "nqa", "rating": "4", "round_id": ""}),
                    (4, {"award": "ocop", "rating": "4", "round_id": "r-nqa"}),
                    (5, {"award": "nqa", "rating": "", "round_id": "", "note_source_id": "x", "note_vi": "ghi chú", "note_en": ""})],
        "award_round_counts": [(2, {"round_id": "r-nqa", "measure": "enterprises", "rating": "", "level": "", "prize": "", "status": ""}),
                               (3, {"round_id": "r-nqa", "measure": "enterprises", "rating": "", "level": "", "prize": "", "status": ""}),
                               (4, {"round_id": "r-nqa", "measure": "products", "rating": "3", "level": "", "prize": "", "status": ""})],
        "support_programmes": [(2, {"id": "a", "all_sectors": "false"}), (3, {"id": "b", "all_sectors": "true"})],
        "programme_sectors": [(2, {"programme_id": "b", "sector_id": "cong-nghiep"})],
    }
    where = {name: f"data/{name}.csv" for name in rows}
    assert flat(rules(rows, where)) == [
        ["honours.csv", 2, "rating", code("rating-mismatch")],
        ["honours.csv", 3, "rating", code("rating-mismatch")],
        ["honours.csv", 4, "round_id", code("invalid-field")],
        ["honours.csv", 5, "note_en", "required"],
        ["award_round_counts.csv", 3, "round_id, measure, rating, level, prize, status", "duplicate-key"],
        ["award_round_counts.csv", 4, "rating", code("rating-mismatch")],
        ["support_programmes.csv", 2, "all_sectors", code("invalid-field")],
        ["support_programmes.csv", 3, "all_sectors", code("invalid-field")],
    ]


def test_the_real_data_passes_the_rules():
    from scripts.data.validate import _records

    names = ("awards", "award_rounds", "honours", "award_round_counts", "support_programmes", "programme_sectors")
    rows = {n: _records((paths.DATA / f"{n}.csv").read_text(encoding="utf-8")) for n in names}
    assert rules(rows, {n: f"data/{n}.csv" for n in names}) == []


# --- case studies -------------------------------------------------------------------------------------

def data_with_case_studies(tmp_path: Path, names: list[str], folder: str = "broken", listing: dict | None = None) -> Path:
    """A copy of data/ with a synthetic enterprise and source, and the named fixtures listed in model_sites.csv."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    _append(data / "enterprises.csv", ["doanh-nghiep-thu", "Doanh nghiệp thử", "Test enterprise", "cong-nghiep", "nguon-thu", "", ""])
    _append(data / "sources.csv", ["nguon-thu", "Nguồn thử", "Kiểm thử", "", "https://example.org/nguon", "", ""])
    (data / casestudies.FOLDER).mkdir(exist_ok=True)
    for name in names:
        for suffix in (".md", ".en.md"):
            if (FIXTURES / folder / f"{name}{suffix}").exists():
                shutil.copy(FIXTURES / folder / f"{name}{suffix}", data / casestudies.FOLDER / f"{name}{suffix}")
    for name, path in (listing or {name: f"{casestudies.FOLDER}/{name}.md" for name in names}).items():
        _append(data / "model_sites.csv", [name, path, name, name, "doanh-nghiep-thu", "cong-nghiep", "nguon-thu"])
    return data


def _append(path: Path, row: list[str]) -> None:
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(row)


def test_the_synthetic_case_study_is_sound(tmp_path):
    data = data_with_case_studies(tmp_path, ["mo-hinh-thu"], folder="valid")
    assert casestudies.validate(data) == []
    [study] = casestudies.load(data)
    assert (study.id, study.meta["tools"], study.meta["results"][0]["after"]) == ("mo-hinh-thu", ["5s", "iso-9001"], 2.1)


@pytest.mark.parametrize("name, expected", [
    ("front-matter-syntax-error", [[3, None, "front-matter-syntax"]]),
    ("no-front-matter", [[1, None, "front-matter-syntax"]]),
    ("missing-fields", [[1, "results", "required"], [1, "source_id", "required"]]),
    ("raw-html-in-body", [[26, "body", "raw-html"], [28, "body", "raw-html"]]),
    ("unknown-tool", [[10, "tools[1]", "broken-link"]]),
    ("year-out-of-range", [[10, "year_end", "out-of-range"]]),
    ("unsafe-link", [[24, "body", "unsafe-url"], [26, "body", "unsafe-url"]]),
])
def test_a_broken_case_study_is_a_located_problem(tmp_path, name, expected):
    data = data_with_case_studies(tmp_path, [name])
    got = [[p.row, p.field, p.code] for p in casestudies.validate(data)]
    assert got == [[row, field, casestudies.code_for(code)] for row, field, code in expected]
    assert {Path(p.file).name for p in casestudies.validate(data)} == {f"{name}.md"}
    assert casestudies.load(data) == []          # nothing broken reaches a page


def test_problems_are_told_in_both_languages_with_the_parsers_words(tmp_path):
    data = data_with_case_studies(tmp_path, ["front-matter-syntax-error"])
    [problem] = casestudies.validate(data)
    assert "mapping values are not allowed here" in problem.message("vi")
    assert problem.message("en") and problem.fix("vi") and problem.fix("en")


def test_listing_that_points_outside_data(tmp_path):
    data = data_with_case_studies(tmp_path, [], listing={"ngoai": "../../etc/passwd", "tuyet-doi": "/etc/passwd"})
    assert flat(casestudies.validate(data)) == [["model_sites.csv", 2, "path", casestudies.code_for("file-outside-data")],
                                                ["model_sites.csv", 3, "path", casestudies.code_for("file-outside-data")]]


def test_listing_of_a_missing_file_and_a_file_not_listed(tmp_path):
    data = data_with_case_studies(tmp_path, ["mo-hinh-thu"], folder="valid", listing={"khong-co": f"{casestudies.FOLDER}/khong-co.md"})
    assert flat(casestudies.validate(data)) == [["mo-hinh-thu.md", 1, None, casestudies.code_for("unlisted-case-study")],
                                                ["model_sites.csv", 2, "path", casestudies.code_for("missing-referenced-file")]]


def test_english_story_missing(tmp_path):
    data = data_with_case_studies(tmp_path, ["mo-hinh-thu"], folder="valid")
    (data / casestudies.FOLDER / "mo-hinh-thu.en.md").unlink()
    assert flat(casestudies.validate(data)) == [["mo-hinh-thu.md", 1, None, casestudies.code_for("missing-referenced-file")]]


def test_front_matter_disagreeing_with_the_listing(tmp_path):
    data = data_with_case_studies(tmp_path, ["mo-hinh-thu"], folder="valid")
    text = (data / "model_sites.csv").read_text(encoding="utf-8").replace(",cong-nghiep,nguon-thu", ",xay-dung,nguon-thu")
    (data / "model_sites.csv").write_text(text, encoding="utf-8")
    assert flat(casestudies.validate(data)) == [["mo-hinh-thu.md", 5, "sector_id", casestudies.code_for("invalid-field")]]


def test_safe_markdown_shows_html_as_text_and_keeps_markdown():
    body = ("# Tiêu đề\n## Mục nhỏ\n##### Sâu\nCó `<mã>` và <script>alert(1)</script> {: onclick=\"x\" }\n"
            "[a](javascript:alert(1)) [b](https://example.org) ![ảnh](https://example.org/x.png) <https://example.org/y>\n"
            "```\n<b>mã</b>\n```\n[r]: javascript:x")
    assert casestudies.safe_markdown(body) == (
        "### Tiêu đề\n#### Mục nhỏ\n###### Sâu\nCó `<mã>` và &lt;script>alert(1)&lt;/script> &#123;: onclick=\"x\" &#125;\n"
        "[a](#) [b](https://example.org) ảnh [https://example.org/y](https://example.org/y)\n"
        "```\n<b>mã</b>\n```\n[r]: #\n")


# --- the pages ----------------------------------------------------------------------------------------

def render(model, kind, id=None, lang="vi"):
    with wired():
        specs = {p.path: p for p in page_specs(model)}
        return render_page(specs[urls.path_of(kind, id)], model, lang)


def html(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=["attr_list", "md_in_html", "tables", "admonition", "def_list", "toc"])


GOLDEN_PAGES = [("honours", None), ("support", None), ("model_sites", None), ("enterprises", None)]


@pytest.mark.parametrize("kind, id", GOLDEN_PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_golden_pages(model, kind, id, lang):
    """The generated Markdown, pinned. Set UPDATE_GOLDEN=1 to rewrite it after a deliberate change."""
    got = render(model, kind, id, lang)
    golden = GOLDEN / f"{kind}{'-' + id if id else ''}.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_honours_directory_lists_each_honour_once_with_its_filters_and_source(model, firms):
    page = render(model, "honours")
    markers = re.findall(r'<span data-filter-item data-award="([^"]*)" data-year="([^"]*)" data-rating="([^"]*)" data-sector="([^"]*)"></span>', page)
    assert sorted(markers) == sorted((h["award"], str(h["year"]), str(h["rating"] or ""), h["sector"]["id"]) for h in firms["honours"])
    for h in firms["honours"]:
        assert h["source"]["url"] in page
    assert page.count("<form ") == 1 and " hidden>" in page      # the filter waits for JavaScript
    assert "ghi-chu-gtclqg-hoa-sen-nghe-an" in page and "vjst.vn" in page


def test_unpublished_figures_show_a_dash_not_a_zero(model):
    page = render(model, "honours")
    row_2023 = next(line for line in page.splitlines() if line.startswith("| Năm 2023;"))
    assert row_2023.split(" | ")[1:5] == ["—", "9", "—", "—"]
    assert "| 0 |" not in page


def test_support_finder_shows_each_programme_with_the_agency_to_ask(model, firms):
    page = render(model, "support")
    for p in firms["programmes"]:
        assert page.count(f"{{ #ho-tro-{p['id']} }}") == 1
    assert page.count("Liên hệ qua cơ quan chủ trì") == len(firms["programmes"])
    gap = page[page.index("{ #ho-tro-gap-huu-co }"):page.index("</div>", page.index("{ #ho-tro-gap-huu-co }"))]
    assert "[Sở Nông nghiệp và Phát triển nông thôn](../co-quan/so-nnptnt.md) (nay là [Sở Nông nghiệp và Môi trường](../co-quan/so-nnmt.md))" in gap
    assert 'data-sector="nong-nghiep-thuc-pham"' in page
    for sector in firms["sectors"]:
        assert f"{{ #nganh-{sector['id']} }}" in page and f"](#nganh-{sector['id']})" in page


def test_support_finder_puts_honoured_enterprises_beside_their_sector(model):
    page = render(model, "support", lang="en")
    crafts = page[page.index("{ #nganh-thu-cong-my-nghe }"):page.index("</div>", page.index("{ #nganh-thu-cong-my-nghe }"))]
    assert "[Đức Phong Company Limited](../doanh-nghiep/index.md#duc-phong): OCOP 2025 (5 stars)" in crafts
    assert "No model site has been published yet." in crafts


def test_model_sites_page_says_none_is_published_and_whom_to_ask(model):
    for lang, none, agency in (("vi", "Chưa có mô hình điểm nào được công bố.", "[Sở Khoa học và Công nghệ](../co-quan/so-khcn.md)"),
                               ("en", "No model site has been published yet.", "[Department of Science and Technology](../co-quan/so-khcn.md)")):
        page = render(model, "model_sites", lang=lang)
        assert none in page and agency in page and "../co-quan/chi-cuc-tdc.md" in page
        assert 'id="tro-thanh-mo-hinh-diem"' in page and "../chi-tieu/dn-mo-hinh-diem.md" in page


def test_a_case_study_page_from_the_synthetic_fixture(tmp_path, frames, model):
    data = data_with_case_studies(tmp_path, ["mo-hinh-thu"], folder="valid")
    copy = load(data / "datapackage.json")
    frames = {**frames, **{name: copy[name] for name in ("model_sites", "enterprises", "sources")}}
    firms = build_enterprise_model(frames, {a["id"]: a for a in model["agencies"]}, {t["id"]: t for t in model["tasks"]},
                                   casestudies.load(data))
    synthetic = {**model, "firms": firms}
    page = unescape(render(synthetic, "model_site", "mo-hinh-thu"))
    assert "| Tỷ lệ sản phẩm lỗi | % | 5,2 (2023) | 2,1 (2024) | [Kiểm thử](https://example.org/nguon) |" in page
    assert "## Bối cảnh" in page and "`<mã>`" in page
    en = unescape(render(synthetic, "model_site", "mo-hinh-thu", "en"))
    assert "| Share of defective products | % | 5.2 (2023) | 2.1 (2024) |" in en and "## Background" in en
    gallery = render(synthetic, "model_sites")
    assert 'data-tool="5s iso-9001"' in gallery and "(mo-hinh-thu.md)" in gallery
    assert "Chưa có mô hình điểm nào được công bố." not in gallery


def test_hostile_text_in_the_data_is_shown_literally(frames, model):
    """Markup in data (a product name, an enterprise name, a story) never becomes HTML or a link."""
    hostile = frames["honours"].copy()
    hostile.loc[hostile["id"] == "ocop-5-sao-duc-phong", "product_vi"] = '<script>alert("x")</script> [bấm](javascript:alert(1)) {: onclick=alert(1) }'
    hostile_enterprises = frames["enterprises"].copy()
    hostile_enterprises.loc[hostile_enterprises["id"] == "duc-phong", "name_vi"] = '<img src=x onerror=alert(1)>'
    firms = build_enterprise_model({**frames, "honours": hostile, "enterprises": hostile_enterprises},
                                   {a["id"]: a for a in model["agencies"]}, {t["id"]: t for t in model["tasks"]}, [])
    synthetic = {**model, "firms": firms}
    for kind, id in (("honours", None), ("enterprises", None), ("support", None)):
        page = html(render(synthetic, kind, id))
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page
        assert re.search(r"<[^>]+\sonclick=", page) is None


def test_labels_exist_in_both_languages_and_do_not_clash():
    labels = read_labels()
    ours = {lang: {k for k in labels[lang] if k.startswith("ent_")} for lang in urls.LANGS}
    assert ours["vi"] == ours["en"] and len(ours["vi"]) > 50


def test_the_case_study_schema_is_a_valid_json_schema():
    import json

    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(casestudies.SCHEMA.read_text(encoding="utf-8")))

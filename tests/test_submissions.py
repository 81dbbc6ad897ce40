"""`python -m scripts from-issue`: a submitted issue form, as GitHub writes it, becomes checked rows
of data/, written all together or not at all. Every body here is shaped like GitHub's rendering;
the rows are synthetic and go into a copy of data/ in a temporary folder."""
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from scripts.__main__ import main
from scripts.intake import submissions
from scripts.intake.submissions import from_issue, read_date, read_number, read_url

SENT = dt.date(2026, 12, 1)     # the day the synthetic issues were "opened"
TARGET = "chuyen-gia-2025 — Có ít nhất 05 chuyên gia năng suất, chất lượng được chứng nhận trình độ đạt chuẩn quy định…"
AGENCY = "so-khcn — Sở Khoa học và Công nghệ"


def body(*pairs: tuple[str, str]) -> str:
    """An issue's text as GitHub renders a form: a heading per question, its answer or _No response_."""
    return "".join(f"### {label}\n\n{answer or '_No response_'}\n\n" for label, answer in pairs)


def figure(**answers) -> str:
    given = {"Chỉ tiêu": TARGET, "Năm": "2025", "Giá trị": "7", "Tên văn bản hoặc bài viết": "Báo cáo thử nghiệm số 1 (tổng hợp)",
             "Cơ quan công bố": "Cơ quan thử nghiệm", "Ngày công bố": "15/01/2026", "Đường liên kết": "https://example.org/bao-cao-1.pdf",
             "Ghi chú": ""}
    given.update(answers)
    return body(*given.items())


def report_body(**answers) -> str:
    given = {"Cơ quan": AGENCY, "Năm báo cáo": "2025", "Tên báo cáo": "Báo cáo thử nghiệm số 2",
             "Ngày công bố": "20/01/2026", "Đường liên kết": "https://example.org/bao-cao-2.pdf"}
    given.update(answers)
    return body(*given.items())


def honour_body(**answers) -> str:
    given = {"Hình thức tôn vinh": "ocop — Sản phẩm OCOP (Chương trình Mỗi xã một sản phẩm)",
             "Tên doanh nghiệp": "Công ty TNHH Thử Nghiệm Một", "Tên tiếng Anh của doanh nghiệp": "Test One Company Limited",
             "Ngành": "thu-cong-my-nghe — Thủ công mỹ nghệ, công nghiệp nông thôn", "Cấp": "provincial — Cấp tỉnh",
             "Năm": "2025", "Hạng sao (OCOP)": "4 sao", "Sản phẩm": "Nón lá thử nghiệm", "Giải, danh hiệu": "",
             "Số quyết định": "", "Tên văn bản hoặc bài viết": "Quyết định thử nghiệm công nhận sản phẩm OCOP",
             "Cơ quan công bố": "Cơ quan thử nghiệm", "Ngày công bố": "", "Đường liên kết": "https://example.org/ocop.pdf",
             "Ghi chú": ""}
    given.update(answers)
    return body(*given.items())


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def where(problems) -> list[tuple[str, str | None, str]]:
    return [(p.file, p.field, p.code) for p in problems]


def tail(path: Path, lines: int = 1) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[-lines:]


# --- reading the answers ---------------------------------------------------------------------------

def test_the_body_is_read_by_its_headings_and_no_response_is_empty():
    text = "### Năm\r\n\r\n2025\r\n\r\n### Ghi chú\r\n\r\n_No response_\r\n\r\n### Giá trị\n\n  1,5  \n"
    assert submissions.parse_body(text) == {"Năm": "2025", "Ghi chú": "", "Giá trị": "1,5"}


@pytest.mark.parametrize("text, expected", [
    ("7", ("7", False)),
    ("1,5", ("1.5", True)),                 # the Vietnamese decimal comma
    ("1.250", ("1250", True)),              # a dot groups thousands in Vietnamese
    ("1.250,5", ("1250.5", True)),
    ("1.250.000", ("1250000", True)),
    ("1,250.5", ("1250.5", True)),          # written the English way: unambiguous with both marks
    ("1,250,000", ("1250000", True)),       # two commas cannot be decimal marks
    ("12.5", ("12.5", False)),              # one dot not followed by three digits: a decimal point
    ("1 250", ("1250", True)),              # a space, or a non-breaking one, groups thousands too
    ("1\u00a0250", ("1250", True)),
    ("15%", ("15", True)),                  # the unit of a percentage target
    ("-3,25", ("-3.25", True)),
    ("khoảng 12", (None, False)),           # words: a person must say what the figure is
    ("1,2,3", (None, False)),
    ("", (None, False)),
])
def test_numbers_are_read_the_vietnamese_way(text, expected):
    assert read_number(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("15/01/2026", dt.date(2026, 1, 15)),
    ("5/1/2026", dt.date(2026, 1, 5)),
    ("15-01-2026", dt.date(2026, 1, 15)),
    ("15.01.2026", dt.date(2026, 1, 15)),
    ("ngày 15 tháng 01 năm 2026", dt.date(2026, 1, 15)),
    ("2026-01-15", dt.date(2026, 1, 15)),
    ("31/02/2026", None),                   # no such day
    ("01/15/2026", None),                   # month first, the American way: month 15 does not exist
    ("tháng 1/2026", None),
])
def test_dates_are_read_day_first(text, expected):
    assert read_date(text) == expected


def test_spaces_inside_an_address_are_encoded_and_around_it_dropped():
    assert read_url(" https://example.org/tai lieu/bao  cao.pdf ") == ("https://example.org/tai%20lieu/bao%20cao.pdf", True)
    assert read_url("https://example.org/a.pdf") == ("https://example.org/a.pdf", False)


def test_a_source_id_is_the_title_in_ascii():
    assert submissions.slug("Báo cáo số 45/BC-SKHCN về Đổi mới") == "bao-cao-so-45-bc-skhcn-ve-doi-moi"
    assert submissions.slug("Quyết định " + "rất " * 30) == "quyet-dinh-rat-rat-rat-rat-rat-rat-rat"


# --- a figure ----------------------------------------------------------------------------------------

def test_a_figure_becomes_an_observation_and_its_source(data_copy):
    folder = data_copy.parent
    before = {name: (folder / name).read_bytes() for name in ("observations.csv", "sources.csv")}
    text = figure(**{"Giá trị": "1,5", "Đường liên kết": "https://example.org/tai lieu/bao cao 1.pdf", "Ghi chú": "Tính đến 31/12/2025."})
    submission, problems = from_issue("so-lieu", text, data_copy, SENT, issue=12)
    assert problems == []
    assert tail(folder / "observations.csv") == ["chuyen-gia-2025,2025,1.5,bao-cao-thu-nghiem-so-1-tong-hop,Tính đến 31/12/2025.,"]
    assert tail(folder / "sources.csv") == [
        "bao-cao-thu-nghiem-so-1-tong-hop,Báo cáo thử nghiệm số 1 (tổng hợp),Cơ quan thử nghiệm,2026-01-15,"
        "https://example.org/tai%20lieu/bao%20cao%201.pdf,Gửi qua mẫu trên GitHub (vấn đề #12).,"
        "Submitted through a GitHub issue form (issue #12)."]
    # the rows already there keep every byte
    for name, old in before.items():
        assert (folder / name).read_bytes().startswith(old)
    assert json.loads(data_copy.read_text(encoding="utf-8"))["last_updated"] == "2026-12-01"
    assert [en for _, en in submission.notes] == [
        'Value "1,5" was read as 1.5.',
        "The link had spaces, written as https://example.org/tai%20lieu/bao%20cao%201.pdf; the reviewer should open it to check.",
        "The note is in Vietnamese only: the reviewer adds the English (column note_en)."]
    from scripts.data.validate import validate
    assert validate(data_copy) == []


def test_the_date_of_the_data_never_goes_back(data_copy):
    current = json.loads(data_copy.read_text(encoding="utf-8"))["last_updated"]
    earlier = dt.date.fromisoformat(current) - dt.timedelta(days=300)
    _, problems = from_issue("so-lieu", figure(**{"Ngày công bố": earlier.strftime("%d/%m/%Y")}), data_copy, earlier)
    assert problems == []
    assert json.loads(data_copy.read_text(encoding="utf-8"))["last_updated"] == current


def test_a_source_already_listed_is_reused(data_copy):
    _, problems = from_issue("so-lieu", figure(**{"Đường liên kết": "https://thuviennhadat.vn/vbpl/quyet-dinh-36-qd-ttg-2021-nang-cao-nang-suat-dua-tren-nen-tang-khoa-hoc-cong-nghe-va-doi-moi-sang-ta-461953.html"}),
                             data_copy, SENT)
    assert problems == []
    assert tail(data_copy.parent / "observations.csv") == ["chuyen-gia-2025,2025,7,qd-36-ttg,,"]
    assert "thu-nghiem" not in (data_copy.parent / "sources.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("answers, expected", [
    # a year outside the plan, one not yet begun, one that is not a year
    ({"Năm": "2019"}, [("issue", "year", "form-year-outside-plan")]),
    ({"Năm": "2027"}, [("issue", "year", "form-year-future")]),
    ({"Năm": "hai nghìn"}, [("issue", "year", "form-not-a-year")]),
    # a value with words in it
    ({"Giá trị": "khoảng 7 chuyên gia"}, [("issue", "value", "form-not-a-number")]),
    # a target that is not in the plan (the body was edited by hand)
    ({"Chỉ tiêu": "chuyen-gia-2099 — Không có"}, [("issue", "target", "form-unknown-choice")]),
    # an empty required answer, as GitHub writes it
    ({"Giá trị": ""}, [("issue", "value", "form-answer-missing")]),
    # a date that is not one, and one after the day it was sent
    ({"Ngày công bố": "32/01/2026"}, [("issue", "ngay", "form-bad-date")]),
    ({"Ngày công bố": "02/12/2026"}, [("issue", "ngay", "form-date-future")]),
    # an address a browser would run, not open
    ({"Đường liên kết": "javascript:alert(1)"}, [("issue", "url", "unsafe-url")]),
    # several at once: every one is reported, in the form's order
    ({"Năm": "2019", "Giá trị": "7 người", "Đường liên kết": "example.org/a.pdf"},
     [("issue", "year", "form-year-outside-plan"), ("issue", "value", "form-not-a-number"), ("issue", "url", "unsafe-url")]),
])
def test_a_figure_with_a_problem_changes_nothing(data_copy, answers, expected):
    before = snapshot(data_copy.parent)
    _, problems = from_issue("so-lieu", figure(**answers), data_copy, SENT)
    assert where(problems) == expected
    assert snapshot(data_copy.parent) == before


def test_a_question_deleted_from_the_body_is_named(data_copy):
    text = figure().replace("### Giá trị\n\n7\n\n", "")
    _, problems = from_issue("so-lieu", text, data_copy, SENT)
    assert where(problems) == [("issue", "value", "form-section-missing")]
    assert problems[0].message("en") == 'The issue\'s text has no "Value" section ("Giá trị").'


def test_a_figure_already_in_the_data_is_not_added_twice(data_copy):
    _, problems = from_issue("so-lieu", figure(), data_copy, SENT)
    assert problems == []
    before = snapshot(data_copy.parent)
    _, problems = from_issue("so-lieu", figure(**{"Giá trị": "8", "Đường liên kết": "https://example.org/khac.pdf"}), data_copy, SENT)
    assert where(problems) == [("issue", "year", "form-duplicate")]
    assert problems[0].message("vi") == "Trang đã có dữ liệu cho chuyen-gia-2025, 2025 (7; nguồn bao-cao-thu-nghiem-so-1-tong-hop)."
    assert snapshot(data_copy.parent) == before


def test_a_dry_run_writes_nothing(data_copy):
    before = snapshot(data_copy.parent)
    submission, problems = from_issue("so-lieu", figure(), data_copy, SENT, apply=False)
    assert problems == [] and submission.rows["observations"][0]["value"] == "7"
    assert snapshot(data_copy.parent) == before


def test_a_problem_validate_finds_in_a_new_row_is_shown_at_its_question(data_copy):
    # the form's own checks let a control character (pasted from a PDF) through; validate does not
    _, problems = from_issue("so-lieu", figure(**{"Tên văn bản hoặc bài viết": "Báo cáo\x07 số 1"}), data_copy, SENT)
    assert where(problems) == [("issue", "nguon", "control-character")]
    assert submissions.where(problems[0], submissions.FORMS["so-lieu"], "en") == "“Title of the document or article” (Tên văn bản hoặc bài viết)"


def test_a_problem_in_a_reports_source_is_shown_at_the_reports_question(data_copy):
    _, problems = from_issue("bao-cao", report_body(**{"Tên báo cáo": "Báo cáo\x07 số 2"}), data_copy, SENT)
    assert where(problems) == [("issue", "title", "control-character")]


# --- a report ----------------------------------------------------------------------------------------

def test_a_report_becomes_a_report_row_and_its_source(data_copy):
    _, problems = from_issue("bao-cao", report_body(), data_copy, SENT, issue=3)
    assert problems == []
    folder = data_copy.parent
    assert tail(folder / "reports.csv") == [
        "so-khcn,2025,Báo cáo thử nghiệm số 2,2026-01-20,https://example.org/bao-cao-2.pdf,bao-cao-thu-nghiem-so-2"]
    assert tail(folder / "sources.csv")[0].startswith(
        "bao-cao-thu-nghiem-so-2,Báo cáo thử nghiệm số 2,Sở Khoa học và Công nghệ,2026-01-20,https://example.org/bao-cao-2.pdf,")


def test_a_second_report_for_the_same_agency_and_year_is_refused(data_copy):
    assert from_issue("bao-cao", report_body(), data_copy, SENT)[1] == []
    _, problems = from_issue("bao-cao", report_body(**{"Đường liên kết": "https://example.org/khac.pdf"}), data_copy, SENT)
    assert where(problems) == [("issue", "year", "form-duplicate")]


def test_a_report_without_a_date_or_agency_says_which(data_copy):
    _, problems = from_issue("bao-cao", report_body(**{"Ngày công bố": "", "Cơ quan": "so-khong-co"}), data_copy, SENT)
    assert where(problems) == [("issue", "date", "form-answer-missing"), ("issue", "agency", "form-unknown-choice")]


# --- an honour or a model site -----------------------------------------------------------------------

def test_an_honour_of_a_new_enterprise_adds_the_enterprise_the_honour_and_the_source(data_copy):
    _, problems = from_issue("ton-vinh", honour_body(), data_copy, SENT, issue=7)
    assert problems == []
    folder = data_copy.parent
    assert tail(folder / "enterprises.csv") == [
        "thu-nghiem-mot,Công ty TNHH Thử Nghiệm Một,Test One Company Limited,thu-cong-my-nghe,"
        "quyet-dinh-thu-nghiem-cong-nhan-san,,"]
    assert tail(folder / "honours.csv") == [
        "ocop-2025-thu-nghiem-mot,thu-nghiem-mot,ocop,provincial,2025,4,,,Nón lá thử nghiệm,,,,,"
        "quyet-dinh-thu-nghiem-cong-nhan-san,,,"]


def test_an_honour_of_a_listed_enterprise_adds_only_the_honour_and_source(data_copy):
    text = honour_body(**{"Tên doanh nghiệp": "công ty tnhh  đức phong", "Tên tiếng Anh của doanh nghiệp": "", "Ngành": ""})
    submission, problems = from_issue("ton-vinh", text, data_copy, SENT)
    assert problems == []
    assert sorted(submission.rows) == ["honours", "sources"]
    assert submission.rows["honours"][0]["enterprise_id"] == "duc-phong"


def test_an_ocop_product_needs_its_stars_and_another_award_has_none(data_copy):
    _, problems = from_issue("ton-vinh", honour_body(**{"Hạng sao (OCOP)": ""}), data_copy, SENT)
    assert where(problems) == [("issue", "rating", "form-answer-missing")]
    text = honour_body(**{"Hình thức tôn vinh": "cnnt — Sản phẩm công nghiệp nông thôn tiêu biểu"})
    submission, problems = from_issue("ton-vinh", text, data_copy, SENT)
    assert problems == [] and submission.rows["honours"][0]["rating"] == ""
    assert submission.notes[0][1] == "Star rating left out: award cnnt has no star rating."


def test_a_new_enterprise_needs_its_english_name_and_sector(data_copy):
    _, problems = from_issue("ton-vinh", honour_body(**{"Tên tiếng Anh của doanh nghiệp": "", "Ngành": ""}), data_copy, SENT)
    assert where(problems) == [("issue", "enterprise_en", "form-answer-missing"), ("issue", "sector", "form-answer-missing")]
    assert problems[0].message("vi") == "Chưa trả lời mục này (cần khi doanh nghiệp chưa có trên trang)."


def test_a_model_site_adds_the_enterprise_and_source_and_tells_the_reviewer_what_is_left(data_copy):
    text = honour_body(**{"Hình thức tôn vinh": "mo-hinh-diem — Mô hình điểm (doanh nghiệp điển hình về năng suất)",
                          "Cấp": "", "Hạng sao (OCOP)": ""})
    submission, problems = from_issue("ton-vinh", text, data_copy, SENT)
    assert problems == []
    assert sorted(submission.rows) == ["enterprises", "sources"]
    assert "data/model_sites.csv" in submission.notes[-1][1]


def test_a_model_site_already_fully_known_adds_nothing_and_says_so(data_copy):
    text = honour_body(**{"Hình thức tôn vinh": "mo-hinh-diem — Mô hình điểm", "Tên doanh nghiệp": "Công ty TNHH Đức Phong",
                          "Cấp": "", "Hạng sao (OCOP)": "", "Đường liên kết": "https://thuviennhadat.vn/vbpl/quyet-dinh-36-qd-ttg-2021-nang-cao-nang-suat-dua-tren-nen-tang-khoa-hoc-cong-nghe-va-doi-moi-sang-ta-461953.html"})
    _, problems = from_issue("ton-vinh", text, data_copy, SENT)
    assert where(problems) == [("issue", None, "form-nothing-new")]


# --- all files or none -------------------------------------------------------------------------------

def test_a_failure_while_swapping_files_in_puts_back_the_ones_already_swapped(data_copy, monkeypatch):
    before = snapshot(data_copy.parent)
    real, calls = os.replace, []

    def fail_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(submissions.os, "replace", fail_second)
    with pytest.raises(OSError):
        from_issue("so-lieu", figure(), data_copy, SENT)
    assert snapshot(data_copy.parent) == before


# --- the command -------------------------------------------------------------------------------------

def test_the_command_reports_problems_in_english_and_exits_1(data_copy, tmp_path, capsys):
    path = tmp_path / "body.md"
    path.write_text(figure(**{"Năm": "2019"}), encoding="utf-8")
    code = main(["from-issue", "--form", "so-lieu", str(path), "--date", "2026-12-01", "--package", str(data_copy), "--lang", "en"])
    assert code == 1
    assert capsys.readouterr().out == (
        "1 problem(s) in the submitted form:\n\n"
        "- Question: “Year” (Năm)\n"
        "  Problem: Year 2019 is outside the plan's period (2021–2030).\n"
        "  What to do: Check the year. Figures for years before 2021 (for comparison with the earlier period) do not go "
        "through this form; say so in a comment and the reviewer will look at it.\n")


def test_the_command_in_json_and_markdown(data_copy, tmp_path, capsys):
    path = tmp_path / "body.md"
    path.write_text(figure(), encoding="utf-8")
    args = ["from-issue", "--form", "so-lieu", str(path), "--date", "2026-12-01", "--package", str(data_copy), "--dry-run"]
    assert main(args + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["ok"], out["applied"], out["last_updated"], out["problems"]) == (True, False, "2026-12-01", [])
    assert out["rows"]["observations"] == [{"target_id": "chuyen-gia-2025", "year": "2025", "value": "7",
                                            "source_id": "bao-cao-thu-nghiem-so-1-tong-hop", "note_vi": "", "note_en": ""}]
    path.write_text(figure(**{"Năm": "2019"}), encoding="utf-8")
    assert main(args + ["--json"]) == 1
    [found] = json.loads(capsys.readouterr().out)["problems"]
    assert (found["file"], found["field"], found["code"], found["label_vi"], found["label_en"]) == ("issue", "year", "form-year-outside-plan", "Năm", "Year")
    path.write_text(figure(**{"Giá trị": "| @someone <b>"}), encoding="utf-8")
    assert main(args + ["--markdown"]) == 1
    comment = capsys.readouterr().out
    assert "| “Giá trị”<br>*“Value” (Giá trị)* | \"\\| @\u200bsomeone &lt;b&gt;\" không phải một số." in comment


def test_the_command_needs_a_date(data_copy, tmp_path, capsys):
    path = tmp_path / "body.md"
    path.write_text(figure(), encoding="utf-8")
    assert main(["from-issue", "--form", "so-lieu", str(path), "--date", "hôm nay", "--package", str(data_copy)]) == 1
    assert "--date" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["so-lieu", "gui-so-lieu", "gui-so-lieu.yml"])
def test_the_form_is_named_by_its_id_or_its_files_name(data_copy, tmp_path, capsys, name):
    path = tmp_path / "body.md"
    path.write_text(figure(), encoding="utf-8")
    args = ["from-issue", "--form", name, str(path), "--date", "2026-12-01", "--package", str(data_copy), "--dry-run", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["rows"]["observations"][0]["target_id"] == "chuyen-gia-2025"


def test_an_unknown_form_is_refused_with_the_names_it_could_be(data_copy, tmp_path, capsys):
    path = tmp_path / "body.md"
    path.write_text(figure(), encoding="utf-8")
    assert main(["from-issue", "--form", "gui-bao-cao-sai", str(path), "--date", "2026-12-01", "--package", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "không có mẫu này" in err and "no such form" in err
    assert "so-lieu, gui-so-lieu" in err
    with pytest.raises(SystemExit):
        main(["from-issue", "--help"])
    assert "so-lieu (gui-so-lieu)" in " ".join(capsys.readouterr().out.split())

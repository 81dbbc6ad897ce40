"""Where the plan stands (issue 15): report states around 30 November, the home page's statement,
the calendar matrix, who owes what. Judged on the data's date, never the build's clock."""
import datetime as dt

import pytest

from scripts.base.text import clause_title, decimals_of, format_date, format_number
from scripts.data.load import descriptor, load
from scripts.data.model import build_model, report_state

DUE = dt.date(2025, 11, 30)


@pytest.mark.parametrize("as_of, published, expected", [
    (dt.date(2025, 10, 30), False, "upcoming"),     # 31 days before: not yet near
    (dt.date(2025, 10, 31), False, "due_soon"),     # 30 days before: "due in 30 days"
    (dt.date(2025, 11, 29), False, "due_soon"),     # the day before
    (dt.date(2025, 11, 30), False, "due_today"),    # on the day: not yet overdue
    (dt.date(2025, 12, 1), False, "overdue"),       # the day after
    (dt.date(2025, 12, 1), True, "published"),      # found: published, whatever the date
    (dt.date(2025, 1, 1), True, "published"),       # published early still counts
])
def test_report_state_around_30_november(as_of, published, expected):
    assert report_state(DUE, published, as_of) == expected


def _model(last_updated: str, reports: list[dict] | None = None):
    frames = load()
    if reports:
        import pandas as pd
        frames["reports"] = pd.concat([frames["reports"], pd.DataFrame(reports)], ignore_index=True)
    return build_model(frames, {**descriptor(), "last_updated": last_updated})


def test_the_real_data_today_two_targets_overdue_and_no_report_published():
    m = _model(descriptor()["last_updated"])
    st = m["standing"]
    assert [t["id"] for t in st["overdue"]] == ["chuyen-gia-2025", "clb-sinh-vien-2025"]
    assert st["overdue_years"] == [2025]
    assert st["open_by_year"] == [(2030, 13)]
    assert (st["targets"], st["with_data"]) == (15, 0)
    # 12 agencies owe a report every year; 2021-2025 are past their 30 November on 25 Nov 2026
    assert (st["reports_due"], st["reports_published"], st["reports_overdue"]) == (60, 0, 60)
    assert (st["next_due"], st["next_due_days"], st["next_due_count"], st["next_due_state"]) == (dt.date(2026, 11, 30), 5, 12, "due_soon")
    assert _model("2026-06-01")["standing"]["next_due_state"] == "upcoming"     # months ahead: the date alone


def test_on_30_november_the_years_report_is_due_today_not_overdue():
    st = _model("2026-11-30")["standing"]
    assert (st["reports_due"], st["reports_overdue"], st["next_due_days"], st["next_due_state"]) == (72, 60, 0, "due_today")
    st = _model("2026-12-01")["standing"]
    assert (st["reports_due"], st["reports_overdue"], st["next_due"]) == (72, 72, dt.date(2027, 11, 30))


def test_in_2031_every_target_without_figures_is_overdue():
    st = _model("2031-01-01")["standing"]
    assert len(st["overdue"]) == 15 and st["open_by_year"] == []
    assert _model("2030-12-31")["standing"]["open_by_year"] == [(2030, 13)]     # 31 Dec 2030: still within


def test_a_published_report_is_counted_and_leaves_what_the_agency_owes():
    m = _model("2026-11-25", [{"agency_id": "so-ct", "year": 2024, "title": "Báo cáo", "published_date": dt.date(2024, 12, 5),
                               "url": "https://example.org/bc", "source_id": "ke-hoach-683"}])
    assert (m["standing"]["reports_published"], m["standing"]["reports_overdue"]) == (1, 59)
    owes = {a["id"]: a["owes"] for a in m["agencies"]}
    assert [r["year"] for r in owes["so-ct"]["reports"]] == [2021, 2022, 2023, 2025]
    assert [r["year"] for r in owes["so-khcn"]["reports"]] == [2021, 2022, 2023, 2024, 2025]
    row = next(r for r in m["report_matrix"]["rows"] if r["agency"]["id"] == "so-ct")
    assert [c["state"] for c in row["cells"]] == ["overdue"] * 3 + ["published", "overdue", "due_soon"] + ["upcoming"] * 4


def test_who_owes_what_the_department_of_science_and_technology():
    m = _model(descriptor()["last_updated"])
    dost = next(a for a in m["agencies"] if a["id"] == "so-khcn")
    assert [t["id"] for t in dost["owes"]["targets"]] == ["chuyen-gia-2025", "clb-sinh-vien-2025"]
    assert dost["owes"]["next"]["due"] == dt.date(2026, 11, 30)
    # the matrix: one row per agency that owes reports, in the plan's order (item IV.1 first), ten years
    assert m["report_matrix"]["years"] == list(range(2021, 2031))
    assert m["report_matrix"]["rows"][0]["agency"]["id"] == "so-khcn"
    assert len(m["report_matrix"]["rows"]) == 12
    assert all(len(r["cells"]) == 10 and all(r["cells"]) for r in m["report_matrix"]["rows"])


@pytest.mark.parametrize("text, expected", [
    ("Các hoạt động truyền thông được thực hiện;", "Các hoạt động truyền thông được thực hiện"),
    ("Ban hành kịp thời các cơ chế, chính sách.", "Ban hành kịp thời các cơ chế, chính sách"),
    ("các sản phẩm được công nhận OCOP...", "các sản phẩm được công nhận OCOP..."),   # an ellipsis is part of the words
    ("tăng từ 10 - 15%", "tăng từ 10 - 15%"),
    ("Có tối thiểu 02 chuyên gia đạt chuẩn quốc tế; ", "Có tối thiểu 02 chuyên gia đạt chuẩn quốc tế"),
])
def test_a_clause_as_a_title_drops_its_list_punctuation(text, expected):
    assert clause_title(text) == expected


def test_one_number_of_decimals_within_a_table():
    places = decimals_of([36.5, 32.69])
    assert places == 2
    assert [format_number(v, "vi", places) for v in (36.5, 32.69)] == ["36,50", "32,69"]
    assert [format_number(v, "en", places) for v in (36.5, 32.69)] == ["36.50", "32.69"]
    assert decimals_of([33, 37]) == 0 and decimals_of([]) == 0


@pytest.mark.parametrize("value, decimals, vi, en", [
    (1234567, None, "1.234.567", "1,234,567"),
    (-1234.5, None, "-1.234,5", "-1,234.5"),
    (32.69, None, "32,69", "32.69"),
    (0.5, 0, "1", "1"),                  # cut to fewer decimals: half up, as written
    (2.675, 2, "2,68", "2.68"),          # not 2.67, the binary float's rounding
    (None, None, "", ""),
])
def test_numbers_are_written_in_each_languages_cldr_form(value, decimals, vi, en):
    assert (format_number(value, "vi", decimals), format_number(value, "en", decimals)) == (vi, en)


def test_dates_are_written_the_way_each_language_writes_them():
    assert [format_date(d, "vi") for d in (dt.date(2025, 3, 1), "2026-11-30")] == ["01/03/2025", "30/11/2026"]
    assert [format_date(d, "en") for d in (dt.date(2025, 3, 1), "2026-11-30")] == ["1 March 2025", "30 November 2026"]
    assert format_date(None, "vi") == ""


# --- the built site: every page shows the status the data gives, in both languages -------------------
import re  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return _model(descriptor()["last_updated"])


LISTED = re.compile(r'status--([a-z_]+)">[^<]*</span>\s*<a href="(?:[./]*chi-tieu/)?([a-z0-9-]+)\.html"')
TABLED = re.compile(r'chi-tieu/([a-z0-9-]+)\.html">[^<]*</a></td>\s*<td><span class="status status--([a-z_]+)"')


def test_every_page_shows_the_status_the_data_gives(built_site, model):
    expected = {t["id"]: t["assessment"].status for t in model["targets"]}
    seen: dict[str, int] = {}
    for root in (built_site, built_site / "en"):
        for page in ["index.html", "chi-tieu/index.html", *(f"co-quan/{a['id']}.html" for a in model["agencies"]),
                     *(f"nhiem-vu/{t['id']}.html" for t in model["tasks"])]:
            text = (root / page).read_text(encoding="utf-8")
            pairs = [(tid, s) for s, tid in LISTED.findall(text)] + TABLED.findall(text)
            for tid, status in pairs:
                assert (page, tid, status) == (page, tid, expected[tid])
            seen[page] = seen.get(page, 0) + len(pairs)
        for tid, status in expected.items():
            text = (root / f"chi-tieu/{tid}.html").read_text(encoding="utf-8")
            assert re.search(r'class="status status--([a-z_]+)"', text).group(1) == status
    # the home table, the overview and the lead agency's page each list the targets
    assert seen["index.html"] == 2 * 15 and seen["chi-tieu/index.html"] == 2 * 15
    assert seen["co-quan/so-khcn.html"] >= 2 * (15 + 2)   # its targets, and the two it owes


def test_home_answers_first_and_links_each_figure_to_its_evidence(built_site):
    for root, words in ((built_site, ("Quá hạn", "chỉ tiêu")), (built_site / "en", ("overdue", "targets"))):
        text = (root / "index.html").read_text(encoding="utf-8")
        article = text[text.index("<article"):]
        # the statement and the cards come before the timeline, the ways in and the plan's title
        order = [article.index(m) for m in ('class="standing"', 'class="headline-cards"', 'class="timeline"',
                                             'id="loi-vao"', 'id="ke-hoach-683"')]
        assert order == sorted(order)
        cards = re.findall(r'<li><a href="([^"]+)"><span class="headline-figure">([^<]+)</span>', article)
        assert cards == [("chi-tieu/index.html" if root == built_site else "chi-tieu/index.html", "0/15"),
                         ("lich-bao-cao.html", "0/60"), ("ton-vinh/index.html", "4"), ("mo-hinh-diem/index.html", "0")]
        # the timeline: one dot per target, in its status colour, with a text alternative and a table
        svg = article[article.index("<svg"):article.index("</svg>")]
        assert svg.count('class="tl-dot tl--overdue"') == 2 and svg.count('class="tl-dot tl--no_data"') == 13
        assert 'role="img"' in svg and "<title" in svg
        table = article[article.index('class="timeline-table"'):]
        assert table.count("chi-tieu/") >= 15


@pytest.mark.parametrize("period, as_of, years", [
    ((2021, 2030), dt.date(2026, 12, 5), (2021, 2030)),   # inside the period: the axis is the plan's
    ((2021, 2025), dt.date(2026, 12, 5), (2021, 2026)),   # a period that has ended: the axis reaches today
])
def test_the_timelines_as_of_line_stays_on_the_drawing(period, as_of, years):
    from scripts.render import timeline
    words = {"title": "t", "as_of": "Tính đến {date}", "as_of_date": format_date(as_of, "vi"), "deadline": "Hạn {year}",
             **{f"status_{s}": s for s in ("achieved", "on_track", "behind", "no_data", "overdue", "not_achieved")}}
    svg = str(timeline.svg([], as_of, *period, words))
    today = float(re.search(r'class="tl-today" x1="([\d.]+)"', svg).group(1))
    assert timeline.LEFT < today < timeline.RIGHT
    label = re.search(r'class="tl-label tl-today-label" x="([\d.]+)"[^>]*text-anchor="(\w+)"', svg)
    assert label.group(2) == "end" and float(label.group(1)) <= timeline.WIDTH
    shown = [int(y) for y in re.findall(r'class="tl-year"[^>]*>(\d{4})<', svg)]
    assert (shown[0], shown[-1]) == years


def test_the_agencies_page_shows_who_leads_and_who_coordinates(built_site, model):
    text = (built_site / "co-quan/index.html").read_text(encoding="utf-8")
    matrix = text[text.index('class="role-matrix"'):text.index("</table>", text.index('class="role-matrix"'))]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", matrix, re.S)
    assert len(rows) == sum(1 for a in model["agencies"] if a["named_in_plan"])
    named = {a["id"] for a in model["agencies"] if a["named_in_plan"]}
    roles = [link["role"] for link in load()["task_agencies"].to_dict(orient="records") if link["agency_id"] in named]
    # an agency can hold both roles in one task ("và các cơ quan, đơn vị có liên quan" leads and coordinates)
    assert matrix.count("role--lead") == roles.count("lead")
    assert matrix.count("role--coordinating") == roles.count("coordinating")
    # the symbol is decoration; the word is there for everyone, screen readers included
    assert '<span aria-hidden="true">●</span> Chủ trì' in matrix
    dpi = next(r for r in rows if "so-khdt.html" in r)
    assert "so-tc.html" in dpi          # its successor since the 2025 merger

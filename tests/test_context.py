"""What is already public, on the page (issue 22): context figures, each with the sentence of the page
that states it, its publisher, date and address; a record of every search for the plan's own figures;
and links from a target to the context that bears on it, which never touch its status."""
import datetime as dt
import re

import pandas as pd
import pytest

from scripts import paths
from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from tests.conftest import LAM_DONG

PACKAGES = [paths.PACKAGE, LAM_DONG]


def _spellings(value: float) -> set[str]:
    """How a page may write a figure: 8,2 or 8.2; 6,400 or 6.400 or 6400; 36,50."""
    whole, _, part = f"{value:.6f}".rstrip("0").rstrip(".").partition(".")
    grouped = f"{int(whole):,}"
    out = {whole, grouped, grouped.replace(",", ".")}
    if part:
        out |= {f"{w},{p}" for w in out for p in (part, part.ljust(2, "0"))} | {f"{w}.{p}" for w in (whole, grouped) for p in (part, part.ljust(2, "0"))}
    return out


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.parent.name)
def test_every_context_figure_has_its_sentence_publisher_date_and_address(package):
    frames = load(package)
    sources = frames["sources"].set_index("id")
    for _, row in frames["context_observations"].iterrows():
        source = sources.loc[row["source_id"]]
        where = f"{row['indicator_id']} {row['year']}"
        assert row["quote"] and row["quote_lang"] in ("vi", "en", "fr"), where
        assert source["url"].startswith(("https://", "http://")), where
        assert source["publisher"], where
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["published"]), where
        # the sentence states the figure: it is there, written one way or another
        assert any(s in row["quote"] for s in _spellings(float(row["value"]))), f"{where}: {row['value']} not in the quote"


def test_the_national_targets_are_quoted_from_their_pages():
    frames = load(paths.NATIONAL_PACKAGE)
    sources = frames["sources"].set_index("id")
    for _, row in frames["programme_targets"].iterrows():
        assert row["quote"] and sources.loc[row["source_id"], "url"].startswith("http"), row["id"]
        assert any(s in row["quote"] for s in _spellings(float(row["target_value"]))), row["id"]


def test_the_spellings_cover_the_ways_pages_write_numbers():
    assert {"8,2", "8.2"} <= _spellings(8.2) and {"6,400", "6.400"} <= _spellings(6400) and "36,50" in _spellings(36.5)


def test_a_context_figure_never_changes_a_targets_status():
    """Context linked to a target, even a figure that would meet the target if it were the target's
    own, leaves every status as the target's own observations make it."""
    frames, meta = load(), descriptor()
    before = {t["id"]: t["assessment"] for t in build_model(frames, meta)["targets"]}
    rich = {k: v.copy() for k, v in frames.items()}
    extra = pd.DataFrame([dict(indicator_id="chuyen-gia-qg", year=2025, period_vi=None, period_en=None, value=1000.0, qualifier="exact",
                               source_id="ket-qua-chuong-trinh-1322-2021-2025", quote="1000", quote_lang="en", published="2025",
                               note_vi=None, note_en=None)])
    rich["context_observations"] = pd.concat([rich["context_observations"], extra], ignore_index=True)
    after = build_model(rich, meta)
    assert {t["id"]: t["assessment"] for t in after["targets"]} == before
    target = next(t for t in after["targets"] if t["id"] == "chuyen-gia-2025")
    assert [c["indicator"]["id"] for c in target["context"]] == ["chuyen-gia-qg"]
    assert target["assessment"].status == "overdue" and target["observations"] == []


def test_every_target_and_every_report_year_due_was_looked_for():
    model = build_model(load(), descriptor(), as_of=dt.date(2026, 12, 4))
    missing = [s["target"]["id"] for s in model["searches"]["targets"] if not s["searches"]]
    assert len(model["searches"]["targets"]) == 15 and missing == []
    years = dict(model["searches"]["reports"])
    assert sorted(years) == [2021, 2022, 2023, 2024, 2025, 2026]          # every year whose 30 November has passed
    assert [y for y, rows in years.items() if not rows] == []
    assert all(r["searched_on"] <= dt.date(2026, 12, 4) for rows in years.values() for r in rows)


def _text(path):
    html = path.read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*?)</article>", html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


def test_the_searches_page_covers_each_target_in_both_languages(built_site):
    model = build_model(load(), descriptor())
    for lang, prefix in (("vi", ""), ("en", "en/")):
        html = (built_site / prefix / "tim-so-lieu.html").read_text(encoding="utf-8")
        assert [t["id"] for t in model["targets"] if f'id="tim-{t["id"]}"' not in html] == [], lang
        for year in (2021, 2025):
            assert f'id="tim-bao-cao-{year}"' in html
    assert "kho lưu bản sao các trang web công khai" in _text(built_site / "tim-so-lieu.html")
    assert "archive of stored copies of public web pages" in _text(built_site / "en" / "tim-so-lieu.html")


def test_the_home_page_answer_links_to_where_we_looked(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    standing = home[home.index('class="standing"'):home.index("headline-cards")]
    assert 'href="tim-so-lieu.html"' in standing and "lượt tìm" in standing
    assert 'href="tim-so-lieu.html"' in (built_site / "en" / "index.html").read_text(encoding="utf-8")


def test_a_target_page_shows_its_context_apart_from_its_status(built_site):
    text = _text(built_site / "chi-tieu" / "dn-duoc-ho-tro-tang-truong.html")
    status, context = text.index("Chưa có số liệu"), text.index("Bối cảnh (không phải tiến độ của chỉ tiêu này)")
    assert status < context
    assert "hơn 6.400" in text[context:] and "không riêng tỉnh Nghệ An" in text[context:]
    en = _text(built_site / "en" / "chi-tieu" / "dn-duoc-ho-tro-tang-truong.html")
    assert "Context (not progress on this target)" in en and "more than 6,400" in en


def test_the_context_page_says_beside_each_figure_whose_it_is(built_site):
    text = _text(built_site / "boi-canh.html")
    national = text.index("Doanh nghiệp được hỗ trợ nâng cao năng suất, chất lượng")
    assert "Số liệu của cả nước, không riêng tỉnh Nghệ An." in text[national:national + 400]
    tfp = text.index("Đóng góp của TFP vào tăng trưởng kinh tế của tỉnh, giai đoạn 2021–2025")
    assert "công bố ngoài Kế hoạch; không phải tiến độ các chỉ tiêu của Kế hoạch" in text[tfp:tfp + 400]
    assert "Năng suất lao động tăng bình quân 8,2%/năm" in text           # the source's own sentence
    assert "ước 8,2 %/năm" in text                                        # the source calls it an estimate
    html = (built_site / "boi-canh.html").read_text(encoding="utf-8")
    assert '<q lang="en">From 2021 to 2025, assistance reached more than 6,400 enterprises' in html

"""Targets and progress on the site: a status per target, its reason, sources, charts with tables."""
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from scripts.data.load import descriptor, load
from scripts.data.model import build_model
from scripts.render.feeds import calendar_ics
from scripts.render.labels import read_labels


@pytest.fixture(scope="module")
def model():
    return build_model(load(), descriptor())


def test_every_target_has_a_page_with_status_and_reason_in_both_languages(built_site, model):
    for t in model["targets"]:
        vi = (built_site / f"chi-tieu/{t['id']}.html").read_text(encoding="utf-8")
        en = (built_site / f"en/chi-tieu/{t['id']}.html").read_text(encoding="utf-8")
        assert 'class="status status--' in vi and 'class="status status--' in en
        assert "phuong-phap.html#" in vi


def test_no_published_data_is_said_plainly(built_site, model):
    # No figure has been published for any of the plan's own targets (PUBLIC-FACTS.md): the site says so.
    assert model["summary"]["with_data"] == 0
    page = (built_site / "chi-tieu/chuyen-gia-2025.html").read_text(encoding="utf-8")
    assert "Chưa có số liệu công bố" in page
    assert "No published data yet" in (built_site / "en/chi-tieu/chuyen-gia-2025.html").read_text(encoding="utf-8")
    overview = (built_site / "chi-tieu/index.html").read_text(encoding="utf-8")
    assert "15 chỉ tiêu: 0 có số liệu công bố" in overview


def test_iso_targets_explain_the_missing_baseline(model):
    iso = next(t for t in model["targets"] if t["id"] == "iso-9001-tang")
    assert (iso["assessment"].status, iso["assessment"].reason) == ("no_data", "no_baseline")


def test_status_is_never_colour_alone(built_site):
    html = (built_site / "chi-tieu/index.html").read_text(encoding="utf-8")
    badges = re.findall(r'<span class="status status--(\w+)">([^<]+)</span>', html)
    assert badges and all(text.strip() for _, text in badges)


def test_context_charts_have_svg_png_spec_csv_and_a_table(built_site):
    for lang in ("", "en/"):
        folder = built_site / lang / "bieu-do"
        for ext in ("svg", "png", "vl.json", "csv"):
            assert (folder / f"boi-canh-pii-diem.{ext}").stat().st_size > 0
        page = (built_site / lang / "boi-canh.html").read_text(encoding="utf-8")
        assert re.search(r'<img src="bieu-do/boi-canh-pii-diem\.svg" alt="[^"]+" width="\d+" height="\d+"', page)
    assert "32,69" in html.unescape((built_site / "boi-canh.html").read_text(encoding="utf-8"))
    assert "32.69" in html.unescape((built_site / "en/boi-canh.html").read_text(encoding="utf-8"))


def test_every_chart_spec_the_site_draws_is_valid_vega_lite(built_site):
    """charts.spec skips Altair's validation for speed; this is where it happens, against the
    Vega-Lite schema Altair ships."""
    import jsonschema
    from altair.vegalite.v6.schema import core

    schema = core.load_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    specs = sorted(built_site.glob("**/bieu-do/*.vl.json"))
    assert len(specs) >= 8, "both languages' charts"
    for path in specs:
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))]
        assert not errors, f"{path.relative_to(built_site)}: {errors[:3]}"
    broken = json.loads(specs[0].read_text(encoding="utf-8")) | {"mark": {"type": "no-such-mark"}}
    assert list(validator.iter_errors(broken)), "the check can fail"


def test_chart_svg_uses_a_font_with_vietnamese_letters_and_local_number_format(built_site):
    svg = (built_site / "bieu-do/boi-canh-pii-diem.svg").read_text(encoding="utf-8")
    assert "DejaVu Sans" in svg and "Nguồn: Báo Nghệ An" in svg
    assert "32,69" in svg and "32.69" not in svg.split("<")[-1]
    ET.fromstring(svg)  # well-formed


def test_interactive_chart_loads_only_the_sites_own_bundle(built_site):
    assert (built_site / "assets/vendor/vega-bundle.js").stat().st_size > 100_000
    js = (built_site / "assets/charts.js").read_text(encoding="utf-8")
    assert "vendor/vega-bundle.js" in js and "://" not in js


def test_calendar_lists_reports_and_has_a_valid_ics_feed(built_site, model):
    page = (built_site / "lich-bao-cao.html").read_text(encoding="utf-8")
    # one matrix: 12 agencies down, 2021-2030 across; 2021-2025 overdue on 25/11/2026, 2026 due in 5 days
    assert page.count('<tr><th scope="row">') == 12
    assert page.count('<span class="report report--overdue">Quá hạn</span>') == 60
    assert page.count('<span class="report report--due_soon">Hạn 30/11</span>') == 12     # the day, not "in 5 days"
    assert page.count('<td><span class="report report--upcoming">Chưa đến hạn</span></td>') == 48
    assert "Hạn báo cáo tiếp theo: 30/11/2026 (còn 5 ngày, tính đến ngày 25/11/2026) (12 báo cáo)." in page and "60 báo cáo đã quá hạn mà chưa thấy công bố" in page
    assert page.count("<table") == 1
    ics = (built_site / "lich-bao-cao.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and ics.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))      # folded as RFC 5545 says
    calendar = icalendar.Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 2 * 10  # two reporting duties (IV.1.e, IV.2.d), 2021–2030
    assert sum(e.decoded("DTSTART") == dt.date(2026, 11, 30) for e in events) == 2
    assert b"DTSTART;VALUE=DATE:20261130\r\n" in ics and b"DTEND;VALUE=DATE:20261201\r\n" in ics
    assert str(calendar["X-WR-CALNAME"]) == "Lịch báo cáo hằng năm 683/KH-UBND"


def test_ics_escapes_commas_and_semicolons(model):
    ics = calendar_ics(model, read_labels(model["words"])["en"], "en")
    unfolded = ics.replace(b"\r\n ", b"").decode("utf-8")
    description = next(line for line in unfolded.split("\r\n") if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:By 30 November each year\\, or whenever requested\\, compile")
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).startswith("By 30 November each year, or whenever requested, compile")
    assert str(event["UID"]) == "2021-khcn-e@ke-hoach-683-nghe-an"


def test_home_shows_headline_counts(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    text = html.unescape(home)
    assert "15 chỉ tiêu: 2 đã quá hạn năm 2025 mà chưa có số liệu công bố, 13 hạn năm 2030." in re.sub("<[^>]+>", "", text)
    assert "0/60 báo cáo hằng năm đến hạn đã được công bố." in re.sub("<[^>]+>", "", text)
    assert '<a href="chi-tieu/index.html"><span class="headline-figure">0/15</span>' in home
    assert '<span class="status status--overdue">2 quá hạn, chưa có số liệu</span>' in home
    assert '<a href="lich-bao-cao.html"><span class="headline-figure">0/60</span>' in home
    en = re.sub("<[^>]+>", "", html.unescape((built_site / "en/index.html").read_text(encoding="utf-8")))
    assert "15 targets: 2 passed their 2025 deadline with nothing published, 13 due by 2030." in en


def test_a_target_with_published_values_gets_chart_table_downloads_and_status(data_copy, tmp_path):
    """Synthetic values (in a temporary copy, never in data/) exercise the path real figures will take."""
    from scripts.engines.build import build
    from tests.helpers import read_rows, write_rows

    write_rows(data_copy.parent / "sources.csv", *_with_source(read_rows(data_copy.parent / "sources.csv")))
    header, _ = read_rows(data_copy.parent / "observations.csv")
    write_rows(data_copy.parent / "observations.csv", header, [
        {"target_id": "chuyen-gia-2030", "year": "2022", "value": "2", "source_id": "thu-nghiem", "note_vi": "", "note_en": ""},
        {"target_id": "chuyen-gia-2030", "year": "2024", "value": "6", "source_id": "thu-nghiem", "note_vi": "", "note_en": ""},
    ])
    out = tmp_path / "build"
    build(out, data_copy)
    page = html.unescape((out / "chi-tieu/chuyen-gia-2030.html").read_text(encoding="utf-8"))
    assert '<span class="status status--on_track">Đúng tiến độ</span>' in page
    assert "khoảng 18 vào năm 2030, đủ chỉ tiêu 10" in page
    for ext in ("svg", "png", "csv", "vl.json"):
        assert f'href="../bieu-do/chi-tieu-chuyen-gia-2030.{ext}"' in page
    assert (out / "bieu-do/chi-tieu-chuyen-gia-2030.csv").read_text(encoding="utf-8") == "year,value\n2022,2.0\n2024,6.0\n"
    assert "<td>2024</td>" in page and "Nguồn thử nghiệm" in page
    svg = (out / "en/bieu-do/chi-tieu-chuyen-gia-2030.svg").read_text(encoding="utf-8")
    assert "Target: 10" in svg
    overview = html.unescape((out / "chi-tieu/index.html").read_text(encoding="utf-8"))
    assert "15 chỉ tiêu: 1 có số liệu công bố; 2 quá hạn mà chưa có số liệu, 0 không đạt" in overview
    assert "1 đúng tiến độ, 0 đã đạt." in overview


def _with_source(table):
    header, rows = table
    return header, rows + [{"id": "thu-nghiem", "title": "Nguồn thử nghiệm", "publisher": "Nguồn thử nghiệm",
                            "date": "", "url": "https://example.org/thu-nghiem", "note_vi": "", "note_en": ""}]

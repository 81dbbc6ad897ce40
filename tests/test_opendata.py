"""Open data: every download matches data/, the package ZIP validates, the dictionary follows the schema."""
import csv
import html
import io
import json
import re
import zipfile
from pathlib import Path

from frictionless import validate as frictionless_validate

from scripts import paths
from scripts.data.load import descriptor

PUBLISHED = Path(__file__).parent / "published-urls.txt"


def test_published_urls_never_disappear(built_site):
    """A URL officials may have linked to stays. Adding pages is fine; removing or renaming one fails here."""
    urls = PUBLISHED.read_text(encoding="utf-8").split()
    assert len(urls) > 100
    assert [u for u in urls if not (built_site / u).is_file()] == []
    for kind in ("ke-hoach.html", "nhiem-vu/ho-tro-doanh-nghiep.html", "chi-tieu/chuyen-gia-2030.html", "co-quan/so-khcn.html"):
        assert kind in urls and f"en/{kind}" in urls


def test_every_resource_downloads_in_four_formats_with_the_same_content(built_site):
    folder = built_site / "du-lieu"
    for resource in descriptor()["resources"]:
        original = (paths.DATA / resource["path"]).read_bytes()
        name = resource["name"]
        assert (folder / f"{name}.csv").read_bytes() == original.removeprefix(b"\xef\xbb\xbf")
        excel = (folder / f"{name}.excel.csv").read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and excel[3:] == original.removeprefix(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(original.decode("utf-8-sig"))))
        records = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert len(records) == len(rows)
        if rows:
            assert list(records[0]) == list(rows[0])
        assert (folder / f"{name}.xlsx").read_bytes()[:2] == b"PK"


def test_xlsx_holds_the_vietnamese_text(built_site):
    from openpyxl import load_workbook

    book = load_workbook(built_site / "du-lieu/tasks.xlsx")
    values = [c.value for row in book["tasks"].iter_rows() for c in row]
    assert "Rà soát, xem xét để đề xuất ban hành, sửa đổi một số cơ chế, chính sách nhằm thúc đẩy hoạt động nâng cao năng suất, chất lượng sản phẩm, hàng hóa dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo." in values


def test_package_zip_validates_with_frictionless(built_site, tmp_path):
    with zipfile.ZipFile(built_site / "du-lieu/ke-hoach-683-nghe-an.zip") as archive:
        archive.extractall(tmp_path)
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}
    report = frictionless_validate(str(tmp_path / "datapackage.json"))
    assert report.flatten(["rowNumber", "fieldName", "type"]) == []


def test_dictionary_lists_every_field_of_every_resource(built_site):
    page = html.unescape((built_site / "du-lieu/tu-dien.html").read_text(encoding="utf-8"))
    for resource in descriptor()["resources"]:
        assert f'id="{resource["name"].replace("_", "-")}"' in page
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in page, (resource["name"], field["name"])
    assert 'liên kết tới <a href="#tasks">tasks</a>' in page


def test_dataset_json_ld_is_valid_and_lists_distributions(built_site):
    for lang in ("", "en/"):
        page = (built_site / lang / "du-lieu/index.html").read_text(encoding="utf-8")
        [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        data = json.loads(block)
        assert data["@type"] == "Dataset" and data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        formats = {d["encodingFormat"] for d in data["distribution"]}
        assert {"application/zip", "text/csv", "application/json"} <= formats
        start, end = data["temporalCoverage"].split("/")
        assert int(start) <= 2021 and end == "2030"

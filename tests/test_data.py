"""The real data package: valid, faithful to the plan, complete."""
import csv
import unicodedata

from frictionless import validate as frictionless_validate

from scripts import paths
from scripts.data.load import load
from scripts.data.validate import validate


def test_the_package_validates_with_frictionless_alone():
    report = frictionless_validate(str(paths.PACKAGE))
    assert report.flatten(["rowNumber", "fieldName", "type"]) == []


def test_the_package_passes_our_own_rules():
    assert [p.as_dict() for p in validate()] == []


def test_every_task_has_a_lead_agency():
    frames = load()
    leads = frames["task_agencies"].query("role == 'lead'")
    assert sorted(leads["task_id"].unique()) == sorted(frames["tasks"]["id"])


def test_five_tasks_numbered_one_to_five():
    assert sorted(load()["tasks"]["number"]) == [1, 2, 3, 4, 5]


def test_every_agency_named_in_the_plan_appears_in_its_text():
    text = " ".join((paths.DATA / "nguon" / "ke-hoach-683-KH-UBND-2021.txt").read_text(encoding="utf-8").split()).lower()
    agencies = load()["agencies"]
    named = agencies[agencies["named_in_plan"]]
    # the plan lists some bodies without "Sở" (e.g. "Các sở: Nông nghiệp..."): compare the distinctive part
    abbreviations = {"ủy ban nhân dân": "ubnd", "tiêu chuẩn đo lường chất lượng": "tcđlcl"}

    def found(name: str) -> bool:
        forms = {name.lower().removeprefix("sở ").split(" tỉnh")[0]}
        for long, short in abbreviations.items():
            forms |= {f.replace(long, short) for f in forms}
        return any(f in text for f in forms)

    assert [n for n in named["name_vi"] if not found(n)] == []


def test_plan_words_are_the_plans_words():
    """Every Vietnamese duty, purpose and task title is found in the plan's text."""
    text = " ".join((paths.DATA / "nguon" / "ke-hoach-683-KH-UBND-2021.txt").read_text(encoding="utf-8").split())
    frames = load()
    quoted = list(frames["duties"]["text_vi"]) + list(frames["purposes"]["text_vi"]) + list(frames["tasks"]["title_vi"])
    absent = [q for q in quoted if " ".join(q.split()).rstrip(".;") not in text]
    assert absent == []


def test_all_numeric_targets_of_tasks_3_to_5_are_present():
    targets = load()["targets"].set_index("id")
    expected = {
        "dn-duoc-ho-tro-tang-truong": ("growth_band", 10, 2030),
        "iso-9001-tang": ("change_vs_period", 10, 2030),
        "iso-14001-tang": ("change_vs_period", 10, 2030),
        "dn-ap-dung-dong-bo": ("count", 10, 2030),
        "dn-mo-hinh-diem": ("count", 2, 2030),
        "chuyen-gia-2025": ("count", 5, 2025),
        "clb-sinh-vien-2025": ("count", 1, 2025),
        "chuyen-gia-2030": ("count", 10, 2030),
        "chuyen-gia-quoc-te-2030": ("count", 2, 2030),
        "clb-sinh-vien-2030": ("count", 3, 2030),
        "to-chuc-danh-gia-phu-hop": ("count", 4, 2030),
    }
    got = {i: (targets.loc[i, "kind"], targets.loc[i, "target_value"], targets.loc[i, "deadline_year"]) for i in expected}
    assert got == expected
    assert targets.loc["dn-duoc-ho-tro-tang-truong", "target_max"] == 15


def test_every_text_cell_is_nfc_and_trimmed():
    bad = []
    for csv_path in paths.DATA.glob("*.csv"):
        with csv_path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                for field, value in row.items():
                    if value != value.strip() or not unicodedata.is_normalized("NFC", value):
                        bad.append((csv_path.name, line, field))
    assert bad == []


def test_every_succession_has_a_source_with_a_url():
    frames = load()
    sources = frames["sources"].set_index("id")
    merged = frames["agencies"].dropna(subset=["succeeded_by"])
    assert len(merged) >= 8
    for source_id in merged["succession_source_id"]:
        assert sources.loc[source_id, "url"].startswith("https://")

"""The issue forms: generated from the data (the committed ones are exactly what `python -m scripts
forms` writes), valid for GitHub, readable back by `from-issue`, and opened filled in by form_url."""
import re

import pytest
import yaml

from scripts import paths, settings
from scripts.__main__ import main
from scripts.intake import forms
from scripts.intake.forms import FORMS, form_url, option, option_id
from tests.helpers import check_schema

COMMITTED = sorted(paths.ISSUE_TEMPLATES.glob("*.yml"))


def test_the_committed_forms_are_what_the_data_generates():
    """A target or agency added to data/ without `python -m scripts forms` fails here."""
    generated = forms.render()
    assert sorted(p.name for p in COMMITTED) == sorted(generated)
    stale = [p.name for p in COMMITTED if p.read_text(encoding="utf-8") != generated[p.name]]
    assert stale == [], "run `python -m scripts forms`"


def test_a_change_in_the_data_changes_the_forms(data_copy, tmp_path):
    targets = data_copy.parent / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("Có tối thiểu 02 chuyên gia đạt chuẩn quốc tế;",
                                                                   "Có tối thiểu 03 chuyên gia đạt chuẩn quốc tế;"), encoding="utf-8")
    assert forms.write(tmp_path, data_copy) == ["gui-so-lieu.yml", "bao-cao-hang-nam.yml", "de-xuat-ton-vinh.yml"]
    assert "chuyen-gia-quoc-te-2030 — Có tối thiểu 03 chuyên gia đạt chuẩn quốc tế;" in (tmp_path / "gui-so-lieu.yml").read_text(encoding="utf-8")
    assert forms.write(tmp_path, data_copy) == []          # written once, nothing to do the second time


def test_the_forms_command_checks_and_writes(capsys):
    assert main(["forms", "--check"]) == 0
    assert capsys.readouterr().out == "Forms up to date.\n"


def test_the_forms_command_finds_stale_forms_and_rewrites_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "ISSUE_TEMPLATES", tmp_path)
    for name, text in forms.render().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "gui-so-lieu.yml").write_text("name: old\n", encoding="utf-8")
    assert main(["forms", "--check"]) == 1
    assert capsys.readouterr().out == "Out of date: .github/ISSUE_TEMPLATE/gui-so-lieu.yml (run `python -m scripts forms`)\n"
    assert main(["forms"]) == 0
    assert capsys.readouterr().out == "Wrote gui-so-lieu.yml.\n"
    assert main(["forms", "--check"]) == 0


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_the_forms_are_valid_github_issue_forms(path):
    """Offline: check-jsonschema ships GitHub's issue-forms schema (vendor.github-issue-forms)."""
    run = check_schema("vendor.github-issue-forms", path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\ndescription: y\nbody:\n  - type: dropdown\n    id: a\n    attributes:\n      label: A\n")
    run = check_schema("vendor.github-issue-forms", broken)
    assert run.returncode == 1


@pytest.mark.parametrize("form", FORMS.values(), ids=lambda f: f.id)
def test_each_form_is_what_from_issue_reads(form):
    document = yaml.safe_load((paths.ISSUE_TEMPLATES / form.file).read_text(encoding="utf-8"))
    questions = [item for item in document["body"] if item["type"] != "markdown"]
    # from-issue finds an answer by its heading, which is the label: labels must differ
    assert [q["attributes"]["label"] for q in questions] == [f.label_vi for f in form.fields]
    assert len({f.label_vi for f in form.fields}) == len(form.fields)
    assert [q["id"] for q in questions] == [f.id for f in form.fields]
    assert all(re.fullmatch(r"[a-z_]+", f.id) for f in form.fields)      # a plain query parameter
    assert document["labels"] == ["gui-du-lieu", f"mau-{form.id}"]
    for q in questions:
        assert "*" in q["attributes"]["description"]                    # English help text, in italics
        if q["type"] == "dropdown":
            opts = q["attributes"]["options"]
            assert len(opts) == len(set(opts)) and len({option_id(o) for o in opts}) == len(opts)


def test_every_target_and_agency_is_offered_and_read_back_by_its_id():
    lists = forms.options()
    targets = [t["id"] for t in forms.read_table(paths.PACKAGE, "targets")]
    agencies = [a["id"] for a in forms.read_table(paths.PACKAGE, "agencies")]
    assert sorted(option_id(o) for o in lists["targets"]) == sorted(targets)
    assert [option_id(o) for o in lists["agencies"]] == agencies


def test_a_long_option_is_cut_at_a_word_with_an_ellipsis():
    record = {"id": "x", "text_vi": "Một chỉ tiêu rất dài, " * 10}
    assert option(record, "text_vi") == "x — " + ("Một chỉ tiêu rất dài, " * 5)[:89].rstrip(" ,;.") + "…"
    assert option({"id": "so-khcn", "name_vi": "Sở  Khoa học\nvà Công nghệ"}, "name_vi") == "so-khcn — Sở Khoa học và Công nghệ"


def test_form_url_opens_the_form_filled_in(monkeypatch):
    monkeypatch.setattr(settings, "REPO_URL", "https://github.com/owner/ke-hoach-683")
    target = {"id": "chuyen-gia-2025", "text_vi": "Có ít nhất 05 chuyên gia;"}
    assert form_url("so-lieu", target=target, year=2025) == (
        "https://github.com/owner/ke-hoach-683/issues/new?template=gui-so-lieu.yml"
        "&target=chuyen-gia-2025%20%E2%80%94%20C%C3%B3%20%C3%ADt%20nh%E1%BA%A5t%2005%20chuy%C3%AAn%20gia%3B&year=2025")
    agency = {"id": "so-khcn", "name_vi": "Sở Khoa học và Công nghệ"}
    assert form_url("bao-cao", agency=agency, year="2025").endswith(
        "template=bao-cao-hang-nam.yml&agency=so-khcn%20%E2%80%94%20S%E1%BB%9F%20Khoa%20h%E1%BB%8Dc%20v%C3%A0%20C%C3%B4ng%20ngh%E1%BB%87&year=2025")


def test_form_url_is_empty_without_the_repository_address(monkeypatch):
    monkeypatch.setattr(settings, "REPO_URL", "")
    assert form_url("so-lieu", target={"id": "x", "text_vi": "y"}, year=2025) == ""


def test_form_url_refuses_a_field_the_form_does_not_have(monkeypatch):
    monkeypatch.setattr(settings, "REPO_URL", "https://github.com/owner/repo")
    with pytest.raises(KeyError):
        form_url("so-lieu", colour="red")


# --- the links on the site ---------------------------------------------------------------------------

def _render(kind: str, id: str | None, lang: str) -> str:
    from scripts.data.load import descriptor, load
    from scripts.data.model import build_model
    from scripts.render import pages, urls
    from scripts.render.labels import read_labels

    model = build_model(load(paths.PACKAGE), descriptor(paths.PACKAGE), paths.DATA)
    record = next((t for t in model["targets"] if t["id"] == id), None)
    agency = next((a for a in model["agencies"] if a["id"] == id), None)
    context = {"target": record} if record else ({"agency": agency} if agency else {})
    page = pages.Page(urls.path_of(kind, id), f"{kind}.md.j2", context)
    labels = read_labels(model["words"])
    return pages.render_page(pages.environment(lang, labels[lang]), page, model, {}, pages.directories(model["firms"]), {})


TARGET_ID = "chuyen-gia-quoc-te-2030"      # no published figure in data/ today


def test_a_target_without_a_figure_links_to_the_form_filled_in(monkeypatch):
    monkeypatch.setattr(settings, "REPO_URL", "https://github.com/owner/repo")
    text = _render("target", TARGET_ID, "vi")
    url = ("https://github.com/owner/repo/issues/new?template=gui-so-lieu.yml&target=chuyen-gia-quoc-te-2030%20%E2%80%94%20"
           "C%C3%B3%20t%E1%BB%91i%20thi%E1%BB%83u%2002%20chuy%C3%AAn%20gia%20%C4%91%E1%BA%A1t%20chu%E1%BA%A9n%20qu%E1%BB%91c%20t%E1%BA%BF%3B"
           "&year=2025")
    assert f"[Gửi số liệu]({url}){{ .md-button .submit-figure }}" in text
    assert "[Submit a figure](https://github.com/owner/repo/issues/new?template=gui-so-lieu.yml&target=" in _render("target", TARGET_ID, "en")
    overview = _render("targets", None, "vi")
    assert f"· [Gửi số liệu]({url})" in overview


def test_without_the_repository_address_there_is_no_link(monkeypatch):
    monkeypatch.setattr(settings, "REPO_URL", "")
    for kind, id in (("target", TARGET_ID), ("targets", None)):
        for lang in ("vi", "en"):
            text = _render(kind, id, lang)
            assert "issues/new" not in text and "Gửi số liệu" not in text and "Submit a figure" not in text


def test_an_overdue_report_links_to_the_report_form_filled_in(monkeypatch):
    """Issue 15's calendar and agency pages: each report not found has a link that opens the report form
    with the agency and the year already chosen."""
    monkeypatch.setattr(settings, "REPO_URL", "https://github.com/owner/repo")
    calendar = _render("calendar", None, "vi")
    links = re.findall(r'class="report-submit" href="([^"]+)"', calendar)
    assert len(links) == 60          # 12 agencies x 2021-2025, all past their 30 November on 25/11/2026
    assert ("https://github.com/owner/repo/issues/new?template=bao-cao-hang-nam.yml&agency=so-ct%20%E2%80%94%20"
            "S%E1%BB%9F%20C%C3%B4ng%20th%C6%B0%C6%A1ng&year=2023") in links
    assert 'aria-label="Gửi đường liên kết báo cáo năm 2023 của Sở Công thương"' in calendar
    agency = _render("agency", "so-ct", "en")
    assert "[Send the report's link](https://github.com/owner/repo/issues/new?template=bao-cao-hang-nam.yml&agency=so-ct" in agency
    monkeypatch.setattr(settings, "REPO_URL", "")
    assert "issues/new" not in _render("calendar", None, "vi") + _render("agency", "so-ct", "en")

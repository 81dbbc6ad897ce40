"""No traceback reaches the person: every broken input gets a located table and exit status 1;
whatever bytes are in a file, the validator answers; data that validates always loads; files named
in the data cannot be outside data/."""
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts import paths
from scripts.__main__ import main
from scripts.data.load import load
from scripts.data.problems import Problem
from scripts.data.validate import outside_data, validate
from tests.test_problems import FIXTURES, TINY_CASES, broken_copy, flat, tiny_copy

build_module = importlib.import_module("scripts.engines.build")
BROKEN_CASES = [c for c in TINY_CASES if c.expected]


def where(p: Problem, lang: str = "vi") -> str:
    """The location as the command line prints it."""
    row, column = ("dòng", "cột") if lang == "vi" else ("row", "column")
    return p.file + (f", {row} {p.row}" if p.row else "") + (f", {column} {p.field}" if p.field else "")


# --- the command line on every broken input ----------------------------------------------------------

@pytest.mark.parametrize("case", BROKEN_CASES, ids=[c.name for c in BROKEN_CASES])
def test_validate_and_build_answer_every_broken_input_with_a_located_table(case, tmp_path, capsys, monkeypatch):
    package = broken_copy(case, tmp_path)
    problems = validate(package)

    assert main(["validate", "--package", str(package)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"Có {len(problems)} lỗi trong dữ liệu:")
    assert all(f"- Vị trí: {where(p)}\n  Lỗi: {p.message('vi')}\n  Cách sửa: {p.fix('vi')}" in out for p in problems)
    assert "Traceback" not in out + err

    assert main(["validate", "--json", "--lang", "en", "--package", str(package)]) == 1
    reported = json.loads(capsys.readouterr().out)
    assert [[r["file"].split("/")[-1], r["row"], r["field"], r["code"]] for r in reported] == case.expected

    # `build` validates the same data first; the last good site stays as it was
    site = tmp_path / "site" / "build"
    site.mkdir(parents=True)
    (site / "index.html").write_text("last good build", encoding="utf-8")
    monkeypatch.setattr(build_module, "validate", lambda *args, **kwargs: validate(package))
    assert main(["build", "--lang", "en", "--out", str(site)]) == 1
    out, err = capsys.readouterr()
    assert all(f"- Where: {where(p, 'en')}\n  Problem: {p.message('en')}\n  What to do: {p.fix('en')}" in err for p in problems)
    assert "build/ is unchanged" in err and "Traceback" not in out + err
    assert [p.name for p in site.parent.iterdir()] == ["build"]
    assert (site / "index.html").read_text(encoding="utf-8") == "last good build"


def _cli(*args: str, package: Path) -> subprocess.CompletedProcess:
    """`python -m scripts ARGS` in a real process, reading `package` instead of data/.
    (Set before scripts.engines.build is imported, so that its default package is this one.)"""
    code = ("import sys; from pathlib import Path; from scripts import paths; paths.PACKAGE = Path(sys.argv[1]); "
            "from scripts.__main__ import main; sys.exit(main(sys.argv[2:]))")
    return subprocess.run([sys.executable, "-c", code, str(package), *args], capture_output=True, text=True,
                          cwd=paths.ROOT, timeout=120)


def test_a_real_process_exits_1_with_the_table_and_no_traceback(tmp_path):
    package = tiny_copy(tmp_path)
    shutil.copyfile(FIXTURES / "broken" / "units-windows-1258.csv", package.parent / "units.csv")
    site = tmp_path / "build"
    site.mkdir()
    (site / "index.html").write_text("last good build", encoding="utf-8")

    checked = _cli("validate", "--package", str(package), package=package)
    built = _cli("build", "--out", str(site), package=package)

    assert (checked.returncode, built.returncode) == (1, 1)
    assert "units.csv, dòng 2\n  Lỗi: Tệp không được lưu ở bảng mã UTF-8 (có vẻ là Windows-1258" in checked.stdout
    assert "units.csv, dòng 2\n  Lỗi: Tệp không được lưu ở bảng mã UTF-8 (có vẻ là Windows-1258" in built.stderr
    assert "Traceback" not in checked.stdout + checked.stderr + built.stdout + built.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "last good build"


def test_an_internal_error_says_it_is_a_bug_not_a_data_problem(tmp_path, capsys, monkeypatch):
    def broken_validator(*args, **kwargs):
        raise RuntimeError("a mistake in our code")

    monkeypatch.setattr(paths, "ROOT", tmp_path)  # where the details are written
    monkeypatch.setattr("scripts.data.validate.validate", broken_validator)
    assert main(["validate"]) == 2
    out, err = capsys.readouterr()
    assert "không phải lỗi dữ liệu" in err and "not a data problem" in err
    assert "Traceback" not in out + err
    assert "RuntimeError: a mistake in our code" in (tmp_path / "build-error.log").read_text(encoding="utf-8")


# --- whatever is in a file, the validator answers ----------------------------------------------------

FRAGMENTS = st.sampled_from([",", '"', "\n", "\r\n", "\r", ";", "\t", "\ufeff", "\x00", " ", "so-thu-nghiem", "true",
                             "TRUE", "2030", "NaN", "１", "ệ", "e\u0302\u0323", "<script>", "id", "name_vi", "\u2028", "\xa0"])
CSV_LIKE = st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=300), CSV_LIKE.map(lambda s: s.encode("utf-8", "surrogatepass"))),
       table=st.sampled_from(["units.csv", "products.csv"]))
def test_any_bytes_in_a_table_get_an_answer_not_a_crash(tmp_path_factory, content, table):
    package = tiny_copy(tmp_path_factory.mktemp("bytes"))
    (package.parent / table).write_bytes(content)
    problems = validate(package)
    assert all(isinstance(p, Problem) and p.message("vi") and p.fix("en") for p in problems)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
DESCRIPTOR_PLACES = [(), ("resources",), ("resources", 0), ("resources", 0, "name"), ("resources", 0, "path"),
                     ("resources", 0, "schema"), ("resources", 0, "schema", "fields"), ("resources", 0, "schema", "fields", 0),
                     ("resources", 0, "schema", "fields", 0, "name"), ("resources", 0, "schema", "fields", 4, "type"),
                     ("resources", 0, "schema", "primaryKey"), ("resources", 1, "schema", "foreignKeys"),
                     ("resources", 1, "schema", "foreignKeys", 0, "reference"), ("resources", 1, "schema", "fields", 4, "constraints")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(DESCRIPTOR_PLACES), value=JSON)
def test_any_descriptor_gets_an_answer_not_a_crash(tmp_path_factory, place, value):
    package = tiny_copy(tmp_path_factory.mktemp("descriptor"))
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    if place:
        *parents, last = place
        container = descriptor
        for key in parents:
            container = container[key]
        container[last] = value
    else:
        descriptor = value
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    problems = validate(package)
    assert all(isinstance(p, Problem) for p in problems)


# --- what validates, loads ----------------------------------------------------------------------------

TYPED_CELLS = [("products", 0, "value"), ("products", 0, "deadline_year"), ("products", 1, "order"),
               ("units", 0, "active"), ("units", 0, "founded")]
NUMBERISH = st.lists(st.sampled_from(list("0123456789+-.eE_, ") + ["NaN", "inf", "Infinity", "TRUE", "True", "true",
                                                                   "false", "1", "0", "١", "２", "\xa0", "-", "2021-11-17"]),
                     min_size=1, max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.sampled_from(TYPED_CELLS), value=st.one_of(NUMBERISH, st.text(max_size=6)))
def test_a_value_the_validator_accepts_is_one_the_build_can_read(tmp_path_factory, cell, value):
    """Frictionless accepts "1_000", "２０３０", "NaN" and "TRUE"; the build must never meet what it cannot read."""
    from tests.helpers import edit_cell

    table, row, field = cell
    package = tiny_copy(tmp_path_factory.mktemp("typed"))
    edit_cell(package, table, row, field, value)
    if validate(package):
        return
    loaded = load(package)[table][field][row]
    assert pd.isna(loaded) == (value == ""), (value, loaded)


# --- files named in the data stay inside data/ -----------------------------------------------------------

def test_a_file_reference_must_stay_inside_data(tmp_path):
    data = tmp_path / "data"
    (data / "anh").mkdir(parents=True)
    (data / "anh" / "mo-hinh.jpg").write_bytes(b"jpeg")
    (tmp_path / "secret.txt").write_text("not for the site", encoding="utf-8")
    (data / "anh" / "loi-tat.jpg").symlink_to(tmp_path / "secret.txt")
    (data / "thu-muc-tat").symlink_to(tmp_path)

    assert outside_data("anh/mo-hinh.jpg", data) is None
    assert outside_data("anh/./mo-hinh.jpg", data) is None
    reasons = {value: (outside_data(value, data) or {}).get("reason_en") for value in [
        "../secret.txt", "anh/../../secret.txt", "/etc/passwd", "~/secret.txt", "C:\\Users\\secret.txt", "C:/secret.txt",
        "https://example.org/x.jpg", "file:///etc/passwd", "data:image/png;base64,AAAA", "anh\\mo-hinh.jpg",
        "anh/loi-tat.jpg", "thu-muc-tat/secret.txt"]}
    assert reasons == {
        "../secret.txt": 'it climbs out with ".."', "anh/../../secret.txt": 'it climbs out with ".."',
        "/etc/passwd": "an absolute path", "~/secret.txt": "an absolute path",
        "C:\\Users\\secret.txt": "an absolute path", "C:/secret.txt": "an absolute path",
        "https://example.org/x.jpg": "a web address, not a file", "file:///etc/passwd": "a web address, not a file",
        "data:image/png;base64,AAAA": "a web address, not a file", "anh\\mo-hinh.jpg": "it contains \\; use /",
        "anh/loi-tat.jpg": "it is a symbolic link", "thu-muc-tat/secret.txt": "it is a symbolic link",
    }


def test_file_fields_of_a_table_are_checked_where_they_are(tmp_path):
    """A synthetic table with the fields case studies will have: *image and *_path."""
    from tests.helpers import write_rows

    package = tiny_copy(tmp_path)
    data = package.parent
    (data / "anh").mkdir()
    (data / "anh" / "mo-hinh.jpg").write_bytes(b"jpeg")
    (data / "anh" / "loi-tat.jpg").symlink_to(FIXTURES / "tiny" / "units.csv")
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "case_studies", "path": "case_studies.csv", "schema": {"fields": [
        {"name": "id", "type": "string"}, {"name": "cover_image", "type": "string"}, {"name": "report_path", "type": "string"}]}})
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    write_rows(data / "case_studies.csv", ["id", "cover_image", "report_path"], [
        {"id": "a", "cover_image": "anh/mo-hinh.jpg", "report_path": ""},
        {"id": "b", "cover_image": "../units.csv", "report_path": "/etc/passwd"},
        {"id": "c", "cover_image": "anh/loi-tat.jpg", "report_path": "https://example.org/bao-cao.pdf"},
        {"id": "d", "cover_image": "anh/khong-co.jpg", "report_path": "anh/mo-hinh.jpg"},
    ])
    assert flat(validate(package)) == [
        ["case_studies.csv", 3, "cover_image", "file-outside-data"],
        ["case_studies.csv", 3, "report_path", "file-outside-data"],
        ["case_studies.csv", 4, "cover_image", "file-outside-data"],
        ["case_studies.csv", 4, "report_path", "file-outside-data"],
        ["case_studies.csv", 5, "cover_image", "missing-referenced-file"],
    ]


def test_the_validator_reads_no_file_outside_data(tmp_path, monkeypatch):
    """A table whose path climbs out of data/ is reported, and its file is never opened."""
    package = tiny_copy(tmp_path)
    shutil.copyfile(FIXTURES / "tiny" / "units.csv", tmp_path / "secret.csv")
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../secret.csv"
    package.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    opened = []
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self.name) or real_read_bytes(self))
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: opened.append(self.name) or real_read_text(self, *a, **k))
    assert flat(validate(package)) == [["datapackage.json", 6, "path", "file-outside-data"]]
    assert "secret.csv" not in opened

"""The validator never rewrites a file unless asked; `fix` previews its safe, mechanical changes
(file, row, field, before → after) and writes them only with apply=True."""
import hashlib
import shutil
import unicodedata
from pathlib import Path

from scripts import paths
from scripts.data.validate import Change, fix, validate
from tests.test_problems import FIXTURES, tiny_copy


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fixable_copy(tmp_path: Path) -> Path:
    """The tiny package with what Excel and an old keyboard leave behind: decomposed accents,
    spaces around a key and a link, TRUE/FALSE, CRLF line endings and a byte-order mark."""
    package = tiny_copy(tmp_path)
    units = package.parent / "units.csv"
    units.write_bytes("\ufeff".encode() + (
        "id,name_vi,name_en,kind,active,website,founded\r\n"
        "so-thu-nghiem,Sở Thử nghiệm Đo lường,Test Department of Measurement,department,true,https://example.org/so,2008-04-01\r\n"
        f"bao-thu-nghiem ,{unicodedata.normalize('NFD', 'Báo Thử nghiệm Nghệ An')},Test Newspaper,media,FALSE,,\r\n"
    ).encode("utf-8"))
    products = package.parent / "products.csv"
    products.write_text(products.read_text(encoding="utf-8").replace("sp-hai,bao-thu-nghiem,", "sp-hai,\u00a0bao-thu-nghiem,"),
                        encoding="utf-8")
    return package


EXPECTED = [
    Change("units.csv", 3, "id", "bao-thu-nghiem ", "bao-thu-nghiem", ("trim",)),
    Change("units.csv", 3, "name_vi", unicodedata.normalize("NFD", "Báo Thử nghiệm Nghệ An"), "Báo Thử nghiệm Nghệ An", ("nfc",)),
    Change("units.csv", 3, "active", "FALSE", "false", ("boolean",)),
    Change("products.csv", 3, "unit_id", "\u00a0bao-thu-nghiem", "bao-thu-nghiem", ("trim",)),
]


def short(changes):
    return [Change(Path(c.file).name, c.row, c.field, c.before, c.after, c.kinds) for c in changes]


def test_validate_never_writes(tmp_path):
    package = fixable_copy(tmp_path)
    before = snapshot(package.parent)
    assert validate(package)
    assert snapshot(package.parent) == before


def test_fix_without_apply_previews_every_change_and_writes_nothing(tmp_path):
    package = fixable_copy(tmp_path)
    before = snapshot(package.parent)
    assert short(fix(package, apply=False)) == EXPECTED
    assert snapshot(package.parent) == before


def test_fix_with_apply_writes_only_the_cells_it_named(tmp_path):
    package = fixable_copy(tmp_path)
    units = package.parent / "units.csv"
    untouched_lines = units.read_bytes().split(b"\r\n")[:2]  # the BOM, the header and row 2 stay byte for byte

    assert short(fix(package, apply=True)) == EXPECTED

    assert validate(package) == []
    raw = units.read_bytes()
    assert raw.split(b"\r\n")[:2] == untouched_lines
    assert raw.endswith(b"bao-thu-nghiem,B\xc3\xa1o Th\xe1\xbb\xad nghi\xe1\xbb\x87m Ngh\xe1\xbb\x87 An,Test Newspaper,media,false,,\r\n")
    assert (package.parent / "products.csv").read_text(encoding="utf-8").splitlines()[2].startswith("sp-hai,bao-thu-nghiem,")
    assert fix(package, apply=True) == []  # nothing left to do
    assert not list(package.parent.glob(".*.fixing"))


def test_fix_keeps_quoted_cells_that_span_lines(tmp_path):
    package = tiny_copy(tmp_path)
    shutil.copyfile(FIXTURES / "broken" / "products-crlf-multiline-cell.csv", package.parent / "products.csv")
    path = package.parent / "products.csv"
    path.write_bytes(path.read_bytes().replace(b"sp-hai,bao-thu-nghiem", b"sp-hai,bao-thu-nghiem "))
    [change] = fix(package, apply=True)
    assert (Path(change.file).name, change.row, change.field) == ("products.csv", 4, "unit_id")
    assert path.read_bytes().split(b"\r\n")[1:4] == [b'sp-mot,so-thu-nghiem,"D\xc3\xb2ng m\xe1\xbb\x99t', b'd\xc3\xb2ng hai",100,2025,1,',
                                                     b"sp-hai,bao-thu-nghiem,X\xc3\xa2y d\xe1\xbb\xb1ng 5 m\xc3\xb4 h\xc3\xacnh \xc4\x91i\xe1\xbb\x83m,5.5,2030,2,"]
    assert validate(package) == []


def test_fix_removes_a_byte_order_mark_from_the_descriptor(tmp_path):
    package = tiny_copy(tmp_path)
    shutil.copyfile(FIXTURES / "broken" / "datapackage-with-bom.json", package)
    [change] = fix(package, apply=False)
    assert (Path(change.file).name, change.row, change.kinds) == ("datapackage.json", 1, ("bom",))
    assert package.read_bytes().startswith(b"\xef\xbb\xbf")
    fix(package, apply=True)
    assert package.read_bytes() == (FIXTURES / "tiny" / "datapackage.json").read_bytes()
    assert validate(package) == []


def test_fix_leaves_alone_what_is_not_mechanical(tmp_path):
    """A wrong type, a ragged row or a file in another encoding needs a person; fix does not guess."""
    package = tiny_copy(tmp_path)
    for fixture in ("products-ragged-rows.csv", "units-windows-1258.csv"):
        shutil.copyfile(FIXTURES / "broken" / fixture, package.parent / (fixture.split("-")[0] + ".csv"))
    before = snapshot(package.parent)
    assert fix(package, apply=True) == []
    assert snapshot(package.parent) == before


def test_there_is_nothing_to_fix_in_the_real_data():
    assert fix(paths.PACKAGE, apply=False) == []


def test_cli_fix_previews_with_dry_run_and_then_writes(data_copy):
    import subprocess
    import sys
    import unicodedata

    from scripts import paths
    from tests.helpers import edit_cell

    decomposed = unicodedata.normalize("NFD", "Sở Y tế")
    edit_cell(data_copy, "agencies", 1, "name_vi", decomposed)
    target = data_copy.parent / "agencies.csv"
    before = target.read_bytes()
    run = subprocess.run([sys.executable, "-m", "scripts", "validate", "--fix", "--dry-run", "--package", str(data_copy)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert run.returncode == 0 and "Sẽ sửa: " in run.stdout and "agencies.csv, dòng 3, name_vi" in run.stdout
    assert target.read_bytes() == before
    run = subprocess.run([sys.executable, "-m", "scripts", "validate", "--fix", "--package", str(data_copy)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert run.returncode == 0 and "Đã sửa: " in run.stdout and run.stdout.rstrip().endswith("Dữ liệu hợp lệ.")
    assert unicodedata.is_normalized("NFC", target.read_text(encoding="utf-8"))

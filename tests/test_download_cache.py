"""The downloads cache: a warm build gives the same bytes as a cold one, and a changed row is never
served from the cache (its table, the workbook and the ZIP all carry the new value)."""
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scripts import paths
from scripts.data.load import descriptor, load
from scripts.render import opendata
from tests.helpers import edit_cell

NEW_VALUE = "Giá trị mới để kiểm tra bộ nhớ đệm 683"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A cache of the test's own: never the shared site/generated/."""
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "generated")
    return tmp_path / "generated" / ".download-cache"


def write(package: Path, out: Path) -> dict[str, bytes]:
    opendata.write_downloads(package, descriptor(package), load(package), out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def cold(package: Path, out: Path, monkeypatch) -> dict[str, bytes]:
    """What the downloads are with nothing cached."""
    with monkeypatch.context() as patch:
        patch.setattr(paths, "GENERATED", out.parent / f"{out.name}-generated")
        return write(package, out)


def cells(xlsx: bytes) -> set:
    book = load_workbook(io.BytesIO(xlsx))
    return {c.value for sheet in book for row in sheet.iter_rows() for c in row}


def test_warm_downloads_are_byte_identical_to_cold_ones_and_come_from_the_cache(data_copy, cache, tmp_path, monkeypatch):
    first = write(data_copy, tmp_path / "first")
    assert cache.is_dir() and not [p for p in cache.iterdir() if p.name.startswith(".")]  # no scratch left
    # A hit makes nothing: the XLSX writer would fail if it were called
    with monkeypatch.context() as patch:
        patch.setattr(opendata, "_write_xlsx", lambda *a: pytest.fail("made an XLSX on a warm cache"))
        assert write(data_copy, tmp_path / "second") == first


def test_one_changed_row_changes_its_table_the_workbook_and_the_zip(data_copy, cache, tmp_path, monkeypatch):
    before = write(data_copy, tmp_path / "before")
    edit_cell(data_copy, "tasks", 0, "title_en", NEW_VALUE)
    after = write(data_copy, tmp_path / "after")

    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"tasks.csv", "tasks.excel.csv", "tasks.json", "tasks.xlsx", opendata.package_workbook(descriptor()), opendata.package_zip(descriptor())}
    assert NEW_VALUE in after["tasks.csv"].decode("utf-8")
    assert json.loads(after["tasks.json"])[0]["title_en"] == NEW_VALUE
    assert NEW_VALUE in cells(after["tasks.xlsx"]) and NEW_VALUE in cells(after[opendata.package_workbook(descriptor())])
    with zipfile.ZipFile(io.BytesIO(after[opendata.package_zip(descriptor())])) as archive:
        assert NEW_VALUE in archive.read("tasks.csv").decode("utf-8")
    # Nothing stale anywhere: the same bytes as with an empty cache
    assert after == cold(data_copy, tmp_path / "cold", monkeypatch)


def test_a_frame_changed_in_memory_is_not_served_from_the_cache(cache, tmp_path):
    """The JSON and XLSX come from the frames the caller passes, not the CSV: they are in the key."""
    frames, meta = load(), descriptor()
    opendata.write_downloads(paths.PACKAGE, meta, frames, tmp_path / "first")
    frames["tasks"].loc[0, "title_en"] = NEW_VALUE
    opendata.write_downloads(paths.PACKAGE, meta, frames, tmp_path / "second")
    assert json.loads((tmp_path / "second" / "tasks.json").read_text(encoding="utf-8"))[0]["title_en"] == NEW_VALUE
    assert NEW_VALUE in cells((tmp_path / "second" / "tasks.xlsx").read_bytes())


def test_a_failed_write_stores_nothing(data_copy, cache, tmp_path, monkeypatch):
    def broken(path, sheets, stamp):
        path.write_bytes(b"PK half a workbook")
        raise KeyboardInterrupt
    monkeypatch.setattr(opendata, "_write_xlsx", broken)
    with pytest.raises(KeyboardInterrupt):
        write(data_copy, tmp_path / "out")
    assert list(cache.iterdir()) == []

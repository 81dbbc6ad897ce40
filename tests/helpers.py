"""Small helpers for tests that edit a copy of the data."""
import csv
import io
from pathlib import Path


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def edit_cell(package: Path, resource: str, row_index: int, field: str, value: str) -> None:
    path = package.parent / f"{resource}.csv"
    header, rows = read_rows(path)
    rows[row_index][field] = value
    write_rows(path, header, rows)


def check_schema(schema: str, path):
    """check-jsonschema against one of the schemas it ships (offline): vendor.github-workflows,
    vendor.github-issue-forms."""
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True)


def site_labels(package: Path | None = None) -> dict[str, dict]:
    """The site's words with a package's own (its plan's name, province, site name) in place of their
    tokens, as a build reads them (default: data/)."""
    from scripts import paths
    from scripts.data.load import descriptor, load
    from scripts.data.model import build_model
    from scripts.render.labels import read_labels

    package = package or paths.PACKAGE
    return read_labels(build_model(load(package), descriptor(package), package.parent)["words"])

import shutil
from pathlib import Path

import pytest

from scripts import paths
from scripts.engines.build import build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once for the whole session into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "build"
    build(out)
    return out


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ to break on purpose; returns the path of its datapackage.json."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target / "datapackage.json"

import shutil
from pathlib import Path

import pytest

from scripts import paths
from scripts.data import clock
from scripts.data.load import descriptor
from scripts.engines.build import build

# The suite's clock: a build made in this process judges states as of the data's own last_updated,
# unless a test gives another day, so no expectation depends on the day the suite runs. The default
# (today in Viet Nam) is tested on its own, under faketime, in tests/test_as_of.py.
DATA_DAY = clock.data_date(descriptor())


@pytest.fixture(autouse=True, scope="session")
def _states_as_of_the_data_date():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: DATA_DAY)
        yield


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once for the whole session into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "build"
    build(out)
    return out


LAM_DONG = paths.PLANS / "lam-dong-8206" / "datapackage.json"


@pytest.fixture(scope="session")
def lam_dong_site(tmp_path_factory) -> Path:
    """The second real plan's site (Lâm Đồng, Plan 8206/KH-UBND), built once, as of its own data's date."""
    out = tmp_path_factory.mktemp("lam-dong") / "build"
    build(out, LAM_DONG, as_of=clock.data_date(descriptor(LAM_DONG)))
    return out


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ to break on purpose; returns the path of its datapackage.json."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target / "datapackage.json"

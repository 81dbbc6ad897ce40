"""The build's caches on disk (charts, downloads, preview cards): written atomically, marked when
used, and pruned to what the last build used. Standard library only: chart workers import it."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """A unique temporary name per writer, so two processes drawing the same chart never mix bytes."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    except BaseException:  # interrupted or failed: leave nothing behind
        Path(tmp).unlink(missing_ok=True)
        raise


def now(folder: Path) -> float:
    """The clock that stamps files in `folder`: the file system's, which is what modification times
    are compared with. A process clock can differ from it (a network disk, libfaketime in the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(dir=folder, prefix=".now.", suffix=".tmp")
    os.close(fd)
    try:
        return Path(probe).stat().st_mtime
    finally:
        Path(probe).unlink(missing_ok=True)


def sweep(folder: Path) -> None:
    """Remove what writers killed mid-write (SIGKILL, a power cut) left: a temporary file or folder
    (names starting with a dot) nobody has touched for ten minutes, when a write takes milliseconds.
    Never read, so never served; this only keeps the cache tidy."""
    clock = now(folder)
    for path in folder.glob(".*"):
        try:
            if clock - path.stat().st_mtime > 600:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError:  # gone already: another build swept it
            pass


_OFFSETS: dict[Path, float] = {}     # folder -> its file system's clock minus this process's clock


def used(path: Path) -> Path:
    """Mark a cache entry as used by this build (its modification time), for `prune`. The time is the
    file system's: a bare utime() stamps the process clock, which `prune` does not compare with."""
    try:
        folder = path.parent
        if folder not in _OFFSETS:          # one probe per folder and process (chart workers too)
            _OFFSETS[folder] = now(folder) - time.time()
        stamp = time.time() + _OFFSETS[folder]
        os.utime(path, (stamp, stamp))
    except OSError:
        pass
    return path


def prune(folder: Path, since: float) -> None:
    """Forget the entries of a cache that no build since `since` (this build's start) wrote or used:
    old versions of what changed. The build holds its lock, so no other build is using them."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < since:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError:
            pass

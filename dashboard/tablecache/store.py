"""The cache folder: one sub-folder per entry, written whole or not at all, the most
recently used ones kept.

An entry is written into a hidden temporary folder and renamed into place, so a reader
(another server, another command) never sees half an entry; when two write the same
entry, the first rename wins and the other is dropped. Entries are removed the same way:
renamed aside, then deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HIDDEN = "."  # temporary and discarded entries; never read
STALE_SECONDS = 3600  # a temporary folder this old was left by a writer that died


def find(folder: Path, key: str) -> Path | None:
    """The entry ``key`` if it is there, marked as just used."""
    entry = Path(folder) / key
    if not entry.is_dir():
        return None
    with contextlib.suppress(OSError):  # a folder shared read-only is still read
        os.utime(entry)
    return entry


def write(folder: Path, key: str, fill: Callable[[Path], None]) -> Path | None:
    """Entry ``key`` with the files ``fill`` writes into an empty folder; None when it
    could not be written (``fill`` failed, or the folder is not writable).

    Raises
    ------
    Exception
        Whatever ``fill`` raised, after the partial entry is removed.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f"{HIDDEN}{key}-", dir=folder))
        os.chmod(temporary, 0o755)  # as a folder made by mkdir: other servers may read it
    except OSError:
        return None
    try:
        fill(temporary)
        os.rename(temporary, folder / key)
    except OSError:  # written by another in the meantime, or the disk is full
        shutil.rmtree(temporary, ignore_errors=True)
        return find(folder, key)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return folder / key


def discard(entry: Path) -> None:
    """Remove an entry: renamed aside first, so nobody opens half of it."""
    aside = entry.with_name(f"{HIDDEN}{entry.name}-discarded-{os.getpid()}")
    try:
        os.rename(entry, aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def prune(folder: Path, keep: int) -> None:
    """Keep the ``keep`` most recently used entries; remove the others, and temporary
    folders left by writers that died."""
    try:
        children = list(Path(folder).iterdir())
    except OSError:
        return
    entries: list[tuple[float, Path]] = []
    now = time.time()
    for child in children:
        try:
            used = child.stat().st_mtime
        except OSError:
            continue
        if not child.is_dir():
            continue
        if child.name.startswith(HIDDEN):
            if now - used > STALE_SECONDS:
                shutil.rmtree(child, ignore_errors=True)
            continue
        entries.append((used, child))
    for _, entry in sorted(entries, reverse=True)[max(keep, 0):]:
        discard(entry)

"""A cache of imported tables: an unchanged events file loads from Parquet in seconds.

The first load of a file named on the command line (or in ``DASHBOARD_EVENTS``) imports
it and writes the whole :class:`~dashboard.dataset.Dataset` (table, skipped rows, notices,
the places it added) into an entry of the cache folder; later loads of the same bytes,
with the same geodata, limits and code (:func:`~dashboard.tablecache.keys.entry_key`),
read it back. An entry that cannot be read is dropped and the file imported again; a
folder that cannot be written leaves the file uncached. Uploads are never written.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.dataset import Dataset, Geodata
from dashboard.errors import DataFileError
from dashboard.importing import load_path
from dashboard.paths import GEODATA_DIR
from dashboard.settings import Limits
from dashboard.tablecache import codec, store
from dashboard.tablecache.keys import entry_key, file_digest, geodata_digest

Progress = Callable[[float, str], None]
KEEP = 8  # entries kept: the most recently used
CHECKED = 0.05  # of the progress bar: hashing the file
SAVING = 0.9  # of the progress bar: the import before the table is written

__all__ = ["TableCache", "load_cached"]


def _quiet(fraction: float, message: str) -> None:
    """No progress shown."""


def _within(progress: Progress, low: float, high: float) -> Progress:
    """``progress`` of a step that takes the bar from ``low`` to ``high``."""
    return lambda fraction, message: progress(low + (high - low) * fraction, message)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


@dataclass(frozen=True)
class TableCache:
    """A cache folder (``DASHBOARD_CACHE_DIR``) and how many entries it keeps.

    ``background``: entries are written by a thread of their own, so a server shows a
    file it has just imported without waiting for its entry to be written.
    """

    folder: Path
    keep: int = KEEP
    background: bool = False

    def key(self, path: Path, geodata_dir: Path, fmt: str | None, limits: Limits,
            progress: Progress = _quiet) -> str | None:
        """The entry of ``path`` as it is now; None when it or the geodata cannot be read
        (the import then says why)."""
        try:
            content = file_digest(path, lambda f: progress(f, "Checking the file"))
            geodata = geodata_digest(geodata_dir)
        except (OSError, DataFileError):
            return None
        return entry_key(content, path, fmt, limits, geodata)

    def get(self, key: str, path: Path, base: Geodata,
            progress: Progress = _quiet) -> Dataset | None:
        """The dataset of entry ``key`` as read from ``path``; None when there is none or
        it cannot be read (then it is dropped)."""
        entry = store.find(self.folder, key)
        if entry is None:
            return None
        progress(0.0, "Reading the table kept from the last load")
        try:
            return codec.read_dataset(entry, Path(path), base)
        except Exception:  # any damage or foreign content: import the file again
            store.discard(entry)
            return None

    def summary(self, key: str) -> dict[str, Any] | None:
        """What ``validate`` prints of entry ``key`` without reading its table: the
        dataset's fields (``problems``, ``notices``, ``total_rows``, ``format``…) and
        ``rows``, the number of valid rows; None when there is no readable entry."""
        entry = store.find(self.folder, key)
        if entry is None:
            return None
        try:
            values, meta = codec.read_fields(entry)
            return {**values, "rows": int(meta["rows"])}
        except Exception:
            return None

    def put(self, key: str, data: Dataset, base: Geodata) -> None:
        """Write ``data`` (loaded with ``base``) as entry ``key``, if it can be kept; in
        the background if the cache says so."""
        if self.background:
            threading.Thread(target=self.write, args=(key, data, base), daemon=True,
                             name=f"table cache {key[:8]}").start()
        else:
            self.write(key, data, base)

    def write(self, key: str, data: Dataset, base: Geodata) -> bool:
        """Write ``data`` (loaded with ``base``) as entry ``key``; False if it was not."""
        try:
            written = store.write(self.folder, key,
                                  lambda entry: codec.write_dataset(data, base, entry))
        except Exception:  # a table it cannot keep, a full disk: the load goes on
            return False
        store.prune(self.folder, self.keep)
        return written is not None


def load_cached(path: Path | str, geodata: Geodata, cache: TableCache | None, *,
                geodata_dir: Path = GEODATA_DIR, fmt: str | None = None,
                limits: Limits | None = None, progress: Progress | None = None) -> Dataset:
    """:func:`dashboard.importing.load_path` through the cache: from its entry when the
    file, the geodata in ``geodata_dir`` (that ``geodata`` was loaded from), ``fmt`` and
    ``limits`` are those of an entry, else imported and written for the next time.

    ``progress(fraction, phrase)`` is told how far the load is, from 0 to 1.

    Raises
    ------
    DataFileError
        As :func:`~dashboard.importing.load_path` does, for a file that cannot be used.
    """
    path, report = Path(path), progress or _quiet
    if cache is None:
        return load_path(path, geodata, fmt=fmt, limits=limits, progress=progress)
    before = _stamp(path)
    key = cache.key(path, geodata_dir, fmt, limits or Limits(), _within(report, 0, CHECKED))
    data = cache.get(key, path, geodata, _within(report, CHECKED, 1.0)) if key else None
    if data is None:
        data = load_path(path, geodata, fmt=fmt, limits=limits,
                         progress=_within(report, CHECKED, 1.0 if cache.background else SAVING))
        if key and _stamp(path) == before:  # the bytes imported are the bytes hashed
            if not cache.background:
                report(SAVING, "Keeping the table for the next load")
            cache.put(key, data, geodata)
    report(1.0, "Done")
    return data

"""Snapshots of what the dashboard shows: image, page, data and time-lapse.

Every format is an :class:`Exporter` in :data:`EXPORTERS` and goes through
:func:`snapshot` (the file's bytes, for the dashboard's Snapshot panel) or :func:`save`
(the file written to a path, for ``python -m dashboard snapshot``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.dataset import Dataset
from dashboard.export.registry import EXPORTERS, Exporter
from dashboard.export.types import Bounds, ExportError, Progress, SnapshotOptions
from dashboard.filters import FilterState
from dashboard.query import EmbeddedStore

__all__ = ["EXPORTERS", "Bounds", "ExportError", "Exporter", "Progress", "SnapshotOptions",
           "save", "snapshot"]


def _exporter(fmt: str) -> Exporter:
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    return exporter


def selected(data: Dataset, state: FilterState,
             events: pd.DataFrame | None = None) -> pd.DataFrame:
    """``events`` when the caller has selected them already (the page's store), else the
    events ``state`` selects, in date order."""
    return events if events is not None else EmbeddedStore(data.events).select(state).frame()


def snapshot(data: Dataset, state: FilterState, fmt: str,
             options: SnapshotOptions | None = None, progress: Progress | None = None,
             events: pd.DataFrame | None = None) -> bytes:
    """The export of the events ``state`` selects (``events``, when given), in format
    ``fmt``.

    Raises
    ------
    ExportError
        For an unknown format, or an export that cannot be made (the reason).
    """
    exporter = _exporter(fmt)
    events = selected(data, state, events)
    return exporter.render(data, state, events, options or SnapshotOptions(), progress)


def save(data: Dataset, state: FilterState, fmt: str, path: Path,
         options: SnapshotOptions | None = None, progress: Progress | None = None,
         events: pd.DataFrame | None = None) -> int:
    """Write :func:`snapshot` to ``path``; return the bytes written.

    Formats that can (the data formats) are written a part at a time, never held whole
    in memory; a file left half written by an error is removed. Other formats are made
    first, so a failed export writes nothing.
    """
    exporter = _exporter(fmt)
    events = selected(data, state, events)
    if exporter.write is None:
        content = exporter.render(data, state, events, options or SnapshotOptions(), progress)
        path.write_bytes(content)
        return len(content)
    regular = not path.exists() or (path.is_file() and not path.is_symlink())
    try:
        with path.open("wb") as out:
            exporter.write(events, out, progress)
            return out.tell() if out.seekable() else 0
    except BaseException:
        if regular:  # never a device or a link's target
            path.unlink(missing_ok=True)
        raise

"""Snapshots of what the dashboard shows: image, page, data and time-lapse.

Every format is an :class:`Exporter` in :data:`EXPORTERS` and goes through
:func:`snapshot`, used by the dashboard's Snapshot panel and by
``python -m dashboard snapshot`` alike.
"""

from __future__ import annotations

from dashboard.dataset import Dataset
from dashboard.export.registry import EXPORTERS, Exporter
from dashboard.export.types import Bounds, ExportError, Progress, SnapshotOptions
from dashboard.filters import FilterState, apply_filters

__all__ = ["EXPORTERS", "Bounds", "ExportError", "Exporter", "Progress", "SnapshotOptions",
           "snapshot"]


def snapshot(data: Dataset, state: FilterState, fmt: str,
             options: SnapshotOptions | None = None, progress: Progress | None = None) -> bytes:
    """The export of the events ``state`` selects, in format ``fmt``.

    Raises
    ------
    ExportError
        For an unknown format, or an export that cannot be made (the reason).
    """
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    events = apply_filters(data.events, state)
    return exporter.render(data, state, events, options or SnapshotOptions(), progress)

"""Snapshots of what the dashboard shows: image, page, data and time-lapse.

Every format goes through :func:`snapshot`, used by the dashboard's Snapshot panel and by
``python -m dashboard snapshot`` alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.dataset import Dataset
from dashboard.errors import DashboardError
from dashboard.filters import FilterState, apply_filters

FORMATS: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "gif": "image/gif",
}
Bounds = tuple[float, float, float, float]  # south, west, north, east (degrees)
Progress = Callable[[float, str], None]


class ExportError(DashboardError):
    """An export that cannot be made, with the reason."""


@dataclass(frozen=True)
class SnapshotOptions:
    """How an export looks: pixel size, the area shown, time-lapse step and pace."""

    width: int = 1600
    height: int = 1130
    dpi: int = 200
    bounds: Bounds | None = None  # None: the extent of the shown events
    step_days: int = 1
    frame_ms: int = 800

    def __post_init__(self) -> None:
        if not (200 <= self.width <= 8000 and 200 <= self.height <= 8000):
            raise ExportError("image size must be between 200 and 8000 pixels a side")
        if not 50 <= self.dpi <= 600:
            raise ExportError("dpi must be between 50 and 600")
        if self.step_days < 1:
            raise ExportError("the time-lapse step must be at least one day")


def snapshot(data: Dataset, state: FilterState, fmt: str,
             options: SnapshotOptions | None = None, progress: Progress | None = None) -> bytes:
    """The export of the events ``state`` selects, in format ``fmt``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    options = options or SnapshotOptions()
    events = apply_filters(data.events, state)
    if fmt in ("csv", "geojson"):
        from dashboard.export import tables

        return tables.to_csv(events) if fmt == "csv" else tables.to_geojson(events)
    if fmt == "html":
        from dashboard.export import page

        return page.render(data, state, events, options)
    if fmt == "gif":
        from dashboard.export import timelapse

        return timelapse.render(data, state, events, options, progress)
    from dashboard.export import image

    return image.render(data, state, events, fmt, options)

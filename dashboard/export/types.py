"""What every exporter shares: the area shown, the options, progress and the error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.errors import DashboardError

Bounds = tuple[float, float, float, float]  # south, west, north, east (degrees)
Progress = Callable[[float, str], None]  # (share done, 0 to 1; what is being done)


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

"""Time-lapse GIF: the map day by day, events appearing as they happen and staying.

Each frame shows what playback's *cumulative* mode shows on its day
(:func:`dashboard.playback.started_by`).

All frames show the same area (the extent of the period's events). The base map, place
names and title are drawn once; each frame restores that background and draws only the
events of its day, the legend counts, the note and the date (matplotlib blitting). Beyond
:data:`dashboard.aggregate.MAX_EVENTS` events in the period every frame draws their density
(:mod:`dashboard.export.density_mpl`), on one grid and one colour scale.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import cast

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from dashboard.dataset import Dataset
from dashboard.export import describe
from dashboard.export.image import render_figure
from dashboard.export.types import ExportError, Progress, SnapshotOptions
from dashboard.filters import FilterState
from dashboard.formatting import format_day
from dashboard.playback import started_by

MAX_FRAMES = 400
PALETTE_COLOURS = 255


def frame_days(state: FilterState, events: pd.DataFrame, options: SnapshotOptions) -> list[date]:
    """The day of each frame: the period's first day, every ``step_days``, and its last.

    Raises
    ------
    ExportError
        When there is no period (no dates and no events) or more than ``MAX_FRAMES`` frames.
    """
    start, end = describe.date_span(state, events)
    if start is None or end is None:
        raise ExportError("there are no events to animate; widen the filters or set dates")
    step = options.step_days
    steps = (end - start).days // step
    count = steps + 1 + (start + timedelta(days=steps * step) != end)
    if count > MAX_FRAMES:
        raise ExportError(f"the time-lapse would have {count:,} frames (at most {MAX_FRAMES}); "
                          "choose a larger step or a shorter period")
    days = [start + timedelta(days=i * step) for i in range(steps + 1)]
    return days if days[-1] == end else [*days, end]


class Frames:
    """The frames of a time-lapse, drawn one at a time on one laid-out figure.

    Attributes
    ----------
    days : list of datetime.date
        The day of each frame.
    map : dashboard.export.image.MapFigure
        The figure; ``map.marker_pixel`` tells where a symbol of the last frame drawn is.
    """

    def __init__(self, data: Dataset, state: FilterState, events: pd.DataFrame,
                 options: SnapshotOptions):
        self.days = frame_days(state, events, options)
        self.events = events
        self.map = render_figure(data, state, events, options,
                                 headline=format_day(self.days[-1]))
        if self.map.density is not None:  # a density frame reads only these
            self.events = events[["start", "category", "place_name", events.geometry.name]]
        moving = self.map.dynamic_artists()
        for artist in moving:
            artist.set_visible(False)
        canvas = self._canvas()
        canvas.draw()
        self._background = canvas.copy_from_bbox(self.map.figure.bbox)
        for artist in moving:
            artist.set_visible(True)

    def _canvas(self) -> FigureCanvasAgg:
        """The figure's Agg canvas (images are drawn with Agg), for blitting."""
        return cast(FigureCanvasAgg, self.map.figure.canvas)

    def draw(self, day: date, events: pd.DataFrame | None = None) -> Image.Image:
        """The RGB frame of ``day`` (or of ``events`` under the date of ``day``)."""
        self.map.set_events(started_by(self.events, day) if events is None else events)
        if self.map.headline is not None:
            self.map.headline.set_text(format_day(day))
        figure, canvas = self.map.figure, self._canvas()
        canvas.restore_region(self._background)
        for artist in self.map.dynamic_artists():
            figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        rgba = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA",
                                0, 1)
        return rgba.convert("RGB")


def render(data: Dataset, state: FilterState, events: pd.DataFrame,
           options: SnapshotOptions, progress: Progress | None = None) -> bytes:
    """The time-lapse of ``events`` as an endlessly looping GIF.

    Every frame is quantized to one palette taken from a frame showing all the period's
    events, so colours do not flicker between frames.
    """
    frames = Frames(data, state, events, options)
    total = len(frames.days)
    palette = frames.draw(frames.days[-1], events).quantize(
        PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT)
    images = []
    for number, day in enumerate(frames.days):
        if progress:
            progress(number / total, f"Frame {number + 1} of {total}: {format_day(day)}")
        images.append(frames.draw(day).quantize(palette=palette, dither=Image.Dither.NONE))
    if progress:
        progress(1.0, "Writing the GIF")
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                   duration=options.frame_ms, loop=0, disposal=1)
    return buffer.getvalue()

"""Every export format, once: what it is called, what it is, and what makes it.

The command line's ``snapshot --format``, the Snapshot panel and
:func:`dashboard.export.snapshot` all read :data:`EXPORTERS`; a format added here appears
in all three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import pandas as pd

from dashboard.dataset import Dataset
from dashboard.export import image, page, tables, timelapse
from dashboard.export.basemap_mpl import load_basemap
from dashboard.export.types import Progress, SnapshotOptions
from dashboard.filters import FilterState
from dashboard.map_builder import basemap_json

Render = Callable[[Dataset, FilterState, pd.DataFrame, SnapshotOptions, Progress | None],
                  bytes]
Dates = Callable[[], pd.DataFrame]  # the events' ``start`` and ``end``, read when called
Check = Callable[[FilterState, Dates, SnapshotOptions], None]
Write = Callable[[pd.DataFrame, BinaryIO, Progress | None], None]


def _no_check(state: FilterState, dates: Dates, options: SnapshotOptions) -> None:
    """Data exports can always be made."""


@dataclass(frozen=True)
class Exporter:
    """One export format.

    Attributes
    ----------
    id : str
        The format's name on the command line and in file names' extension.
    label : str
        What the Snapshot panel calls it.
    mime : str
        The file's media type.
    render : callable
        ``render(data, state, events, options, progress)``: the file's bytes for the
        events ``state`` selects.
    check : callable
        ``check(state, dates, options)``: raises what would make ``render`` fail, cheaply
        (cached base maps, frame counts), so the panel can say so before the click;
        ``dates()`` gives the events' ``start`` and ``end``, read only by a check that
        calls it (a time-lapse's), not on every rerun of the page.
    image : bool
        A picture: its pixel size and dpi apply.
    data : bool
        The events as a table, no map: the area shown does not apply.
    animated : bool
        A time-lapse: its step and frame duration apply.
    write : callable, optional
        ``write(events, file, progress)``: ``render``'s bytes written to a binary file a
        part at a time, for formats that can (the data of a million events).
    """

    id: str
    label: str
    mime: str
    render: Render
    check: Check = _no_check
    image: bool = False
    data: bool = False
    animated: bool = False
    write: Write | None = None

    @property
    def extension(self) -> str:
        """The file name's extension, without the dot."""
        return self.id

    @property
    def needs_extent(self) -> bool:
        """Whether it draws a map, so the area shown (the map view or the events') applies."""
        return not self.data


def _picture(fmt: str) -> Render:
    def render(data: Dataset, state: FilterState, events: pd.DataFrame,
               options: SnapshotOptions, progress: Progress | None = None) -> bytes:
        return image.render(data, state, events, fmt, options)
    return render


def _page(data: Dataset, state: FilterState, events: pd.DataFrame, options: SnapshotOptions,
          progress: Progress | None = None) -> bytes:
    return page.render(data, state, events, options)


def _csv(data: Dataset, state: FilterState, events: pd.DataFrame, options: SnapshotOptions,
         progress: Progress | None = None) -> bytes:
    return tables.to_csv(events)


def _geojson(data: Dataset, state: FilterState, events: pd.DataFrame,
             options: SnapshotOptions, progress: Progress | None = None) -> bytes:
    return tables.to_geojson(events)


def _check_basemap(state: FilterState, dates: Dates, options: SnapshotOptions) -> None:
    load_basemap()  # the static base map images and time-lapses draw


def _check_page(state: FilterState, dates: Dates, options: SnapshotOptions) -> None:
    basemap_json()  # the web map's borders the page inlines


def _check_timelapse(state: FilterState, dates: Dates, options: SnapshotOptions) -> None:
    load_basemap()
    timelapse.frame_days(state, dates(), options)  # a period, and not too many frames


EXPORTERS: dict[str, Exporter] = {e.id: e for e in (
    Exporter("png", "Image (PNG)", "image/png", _picture("png"), _check_basemap, image=True),
    Exporter("svg", "Image (SVG, editable)", "image/svg+xml", _picture("svg"), _check_basemap,
             image=True),
    Exporter("pdf", "Image (PDF)", "application/pdf", _picture("pdf"), _check_basemap,
             image=True),
    Exporter("html", "Interactive page (HTML, works offline)", "text/html", _page,
             _check_page),
    Exporter("csv", "Data (CSV for spreadsheets)", "text/csv", _csv, data=True,
             write=tables.write_csv),
    Exporter("geojson", "Data (GeoJSON for GIS)", "application/geo+json", _geojson,
             data=True, write=tables.write_geojson),
    Exporter("gif", "Time-lapse (animated GIF)", "image/gif", timelapse.render,
             _check_timelapse, image=True, animated=True),
)}

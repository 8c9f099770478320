"""Many events on a static map: hexagons coloured by how many events fall in each.

Beyond :data:`dashboard.aggregate.MAX_EVENTS` events (where the web map turns to
aggregates) images and time-lapse frames draw this density instead of a symbol per event:
a colour bar says what the colours count, a note says the events are aggregated and in
what cells, and only the places with most events are named.
"""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colorbar import Colorbar
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter

from dashboard.aggregate import MAX_EVENTS, needs_aggregates
from dashboard.dataset import Dataset
from dashboard.export.basemap_mpl import MAX_LAT, Extent, latitude_of, to_mercator
from dashboard.export.extent import lonlat
from dashboard.export.layout_mpl import (
    FONT,
    TEXT,
    inside,
    label_spots,
    outside_note,
    overlaps,
    printable,
)
from dashboard.export.symbols_mpl import with_halo
from dashboard.schema import CATEGORIES

CMAP = "viridis_r"  # sequential, colour-blind safe, dark where events are many
HEX_PT = 10.0  # a hexagon's width on the page at scale 1, points
TOP_PLACES = 10  # places named on a density map
COLOURBAR_LABEL = "Events per cell"
LEGEND_TITLE = "Events by layer"
Z_DENSITY = 2.5  # above the land and provinces, under the borders
EARTH_M = 6378137.0  # Web Mercator's sphere


def dense(events: pd.DataFrame) -> bool:
    """Whether ``events`` are drawn as density: the web map's rule, one threshold."""
    return needs_aggregates(len(events))


def mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator metres of many points, computed directly (as pyproj does, to a
    millimetre; several times quicker for a million points)."""
    lat = np.radians(np.clip(lat, -MAX_LAT, MAX_LAT))
    return EARTH_M * np.radians(lon), EARTH_M * np.log(np.tan(np.pi / 4 + lat / 2))


def _km(metres: float) -> str:
    km = metres / 1000
    return f"{km:.1f}" if km < 10 else f"{km:,.0f}"


class Density:
    """The hexagonal grid of one map, the same for every frame drawn on it.

    Attributes
    ----------
    gridsize : int
        Hexagons across the map.
    norm : LogNorm or None
        Events per cell to colour, fixed by the first events drawn (a time-lapse draws its
        last day, with the most events, first).
    """

    def __init__(self, extent: Extent, width_pt: float, scale: float):
        self.extent, self.scale = extent, scale
        self.gridsize = max(8, round(width_pt / (HEX_PT * scale)))
        x0, y0, x1, y1 = extent
        factor = math.cos(math.radians(latitude_of((y0 + y1) / 2)))
        self.cell = _km((x1 - x0) / self.gridsize * factor)  # across the flat sides
        self.norm: LogNorm | None = None

    def draw(self, ax: Axes, events: pd.DataFrame) -> list:
        """The hexagons of ``events`` (those in view) on ``ax``, as one collection."""
        x, y = mercator(*lonlat(events))
        x0, y0, x1, y1 = self.extent
        keep = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        hexes = ax.hexbin(x[keep], y[keep], gridsize=self.gridsize, extent=(x0, x1, y0, y1),
                          mincnt=1, cmap=CMAP, zorder=Z_DENSITY, edgecolors="face",
                          linewidths=0.15 * self.scale)
        if self.norm is None:  # the colours of the first (fullest) events drawn
            counts = np.asarray(hexes.get_array())
            self.norm = LogNorm(vmin=1, vmax=max(2.0, float(counts.max(initial=1))))
        hexes.set_norm(self.norm)
        return [hexes]

    def note(self, count: int) -> str:
        """What the colours stand for, for the note under the map."""
        return (f"The {count:,} events are aggregated (more than {MAX_EVENTS:,} are not "
                f"drawn one by one): each hexagonal cell, about {self.cell} km across, is "
                f"coloured by the number of events in it. Named: the places with most "
                f"events (up to {TOP_PLACES}).")

    def colourbar(self, figure: Figure, rect: tuple[float, float, float, float]) -> list:
        """A horizontal colour bar in ``rect`` (figure fraction), labelled to its right."""
        if self.norm is None:
            raise ValueError("the colour scale is set by the first events drawn")
        cax = figure.add_axes(rect)
        bar = Colorbar(cax, cmap=CMAP, norm=self.norm, orientation="horizontal")
        largest = float(self.norm.vmax or 1)
        ticks: list[float] = [10 ** p for p in range(math.floor(math.log10(largest)) + 1)]
        if largest > ticks[-1]:  # the largest count, in place of a power of ten too near
            near = largest < 3 * ticks[-1] and len(ticks) > 1
            ticks = [*(ticks[:-1] if near else ticks), largest]
        cax.xaxis.set_major_locator(FixedLocator(ticks))
        cax.xaxis.set_minor_locator(FixedLocator([]))
        cax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        size = FONT["note"] * self.scale
        cax.tick_params(labelsize=size, length=2 * self.scale, width=0.5 * self.scale)
        bar.outline.set_linewidth(0.5 * self.scale)
        label = cax.text(1.03, 0.5, f"{COLOURBAR_LABEL} (hexagons about {self.cell} km "
                         "across)", transform=cax.transAxes, ha="left", va="center",
                         fontsize=size, color="#333333", **TEXT)
        return [bar, label]


def map_note(events: pd.DataFrame, extent: Extent, data: Dataset,
             density: Density | None) -> str:
    """The note under a map: how events are aggregated, and those outside the view."""
    outside = outside_note(events, extent, data)
    return outside if density is None else f"{density.note(len(events))} {outside}".strip()


def legend_entries(counts: dict[str, int]) -> tuple[list, list[str]]:
    """Legend lines of each layer's count, without symbols (none is drawn)."""
    handles = [Line2D([], [], linestyle="none") for _ in counts]
    return handles, [f"{CATEGORIES[c].label} ({n:,})" for c, n in counts.items()]


def top_places(events: pd.DataFrame, keep: np.ndarray | None = None,
               count: int = TOP_PLACES, where: tuple | None = None
               ) -> list[tuple[str, float, float, int]]:
    """The ``count`` place names with most events (of those ``keep`` marks): (name, lon,
    lat, events), at the place of that name with most events. ``where``: the markers'
    longitudes and latitudes, when known."""
    lon, lat = where or lonlat(events)
    names, name_index = pd.factorize(events["place_name"], use_na_sentinel=False)
    places = pd.factorize(events["place_id"], use_na_sentinel=False)[0]
    rows = np.flatnonzero(keep) if keep is not None else np.arange(len(events))
    totals = np.bincount(names[rows], minlength=len(name_index))
    found = []
    for name in np.argsort(-totals, kind="stable")[:count]:
        if not totals[name]:
            break
        mine = rows[names[rows] == name]
        busiest = np.bincount(places[mine]).argmax()
        row = mine[np.argmax(places[mine] == busiest)]
        found.append((str(name_index[name]), float(lon[row]), float(lat[row]),
                      int(totals[name])))
    return found


def label_top_places(ax: Axes, events: pd.DataFrame, extent: Extent, scale: float) -> list:
    """Names of the places with most events in view, busiest first, where they overlap
    no other name; a name that fits nowhere is left out."""
    renderer = cast(FigureCanvasAgg, ax.figure.canvas).get_renderer()
    prop = font_manager.FontProperties(size=FONT["label"] * scale, weight="bold")
    ppt = ax.figure.dpi / 72
    labels: list[tuple] = []
    artists: list = []
    where = lonlat(events)
    x, y = mercator(*where)
    for name, lon, lat, _ in top_places(events, inside(x, y, extent, 0.02), where=where):
        (px_m,), (py_m,) = to_mercator([lon], [lat])
        px, py = ax.transData.transform((px_m, py_m))
        text = printable(name)
        width, height, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        spots = [s for s in label_spots(px, py, width, height, 4 * scale * ppt,
                                        1.1 * scale * ppt)
                 if not overlaps(s[0], labels) and _within(s[0], ax)]
        if not spots:
            continue
        box, (dx, dy), ha, va = spots[0]
        labels.append(box)
        artists += ax.plot([px_m], [py_m], marker="o", markersize=3.2 * scale, color="white",
                           markeredgecolor="#111111", markeredgewidth=0.8 * scale, zorder=8)
        artists += with_halo(ax.annotate, text, (px_m, py_m), halo=2.4 * scale,
                             xytext=(dx / ppt, dy / ppt), textcoords="offset points",
                             fontsize=FONT["label"] * scale, fontweight="bold",
                             color="#111111", va=va, ha=ha, zorder=8, annotation_clip=True,
                             **TEXT)
    return artists


def _within(box: tuple, ax: Axes) -> bool:
    """Whether a pixel box lies inside the map's frame."""
    frame = ax.get_window_extent()
    return bool(box[0] >= frame.x0 and box[2] <= frame.x1 and box[1] >= frame.y0
                and box[3] <= frame.y1)

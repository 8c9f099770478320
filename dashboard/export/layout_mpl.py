"""What a static map shows and where its text goes: extent, wrapping, labels, corners."""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ft2font import FT2Font

from dashboard.dataset import Dataset
from dashboard.export.basemap_mpl import (
    MAX_LAT,
    Basemap,
    Extent,
    latitude_of,
    to_bounds,
    to_mercator,
)
from dashboard.export.extent import events_extent, lonlat, outside
from dashboard.export.symbols_mpl import offset_points, with_halo
from dashboard.export.types import Bounds, ExportError
from dashboard.profile import LABELLED_PLACES, STUDY_AREA

TEXT: dict[str, Any] = {"parse_math": False, "usetex": False}  # data text is never mathtext or TeX
# Font sizes (points) on an 8-inch-wide page; printed at A4 text width (16 cm) the
# legend and place names are about 6.3 pt, the sources 5.5 pt.
FONT = {"headline": 20, "title": 12, "legend": 8, "label": 8, "count": 7, "note": 7.5,
        "footer": 7, "scalebar": 7.5}
MIN_SPAN_M = 60_000  # the narrowest view, in metres on the ground
NOTE_PLACES = 10  # places named in the note of events outside the view
CORNERS = ("lower left", "upper left", "lower right", "upper right")


def wrap(text: str, size: float, width_px: float, renderer, weight: str = "normal") -> str:
    """``text`` broken into lines no wider than ``width_px`` at font ``size`` and ``weight``.

    Words are measured one by one (kerning across spaces is ignored), which is quick.
    """
    prop = font_manager.FontProperties(size=size, weight=weight)

    def measure(s: str) -> float:
        return renderer.get_text_width_height_descent(s, prop, ismath=False)[0]

    space = measure("a a") - measure("aa")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            w = measure(word)
            if line and used + space + w > width_px:
                lines.append(line)
                line, used = word, w
            else:
                line, used = (f"{line} {word}", used + space + w) if line else (word, w)
        lines.append(line)
    return "\n".join(lines).strip("\n")


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return frozenset(FT2Font(path).get_charmap())


def printable(name: str) -> str:
    """``name`` if the bundled font draws it; else its parts the font draws, or ASCII."""
    glyphs = _glyphs()
    if all(ord(ch) in glyphs for ch in name):
        return name
    parts = [p for p in name.split(" / ") if all(ord(ch) in glyphs for ch in p)]
    if parts:
        return " / ".join(parts)
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "?"


def _check(bounds: Bounds) -> None:
    south, west, north, east = bounds
    if not (-MAX_LAT <= south < north <= MAX_LAT and -180 <= west < east <= 180):
        raise ExportError("bounds must be south < north within ±85° and west < east within "
                          "±180° (south, west, north, east in degrees)")


def event_points(events: gpd.GeoDataFrame, basemap: Basemap | None = None) -> np.ndarray:
    """Lon/lat of the events' markers and shape corners (of events the base map covers)."""
    lon, lat = lonlat(events)
    if basemap is not None:
        west, south, east, north = basemap.coverage
        keep = (west <= lon) & (lon <= east) & (south <= lat) & (lat <= north)
        events, lon, lat = events[keep], lon[keep], lat[keep]
    shapes = events["shape"].to_numpy()
    shapes = shapes[pd.notna(shapes)]
    corners = shapely.bounds(shapes).reshape(-1, 2) if len(shapes) else np.empty((0, 2))
    return np.vstack([np.column_stack([lon, lat]), corners]).astype(float).reshape(-1, 2)


def view_extent(events: pd.DataFrame, basemap: Basemap, bounds: Bounds | None) -> Extent:
    """The area to show in Web Mercator: ``bounds``, or the events' extent.

    The extent is :func:`dashboard.export.extent.events_extent`, the same the HTML page
    fits, so both show one area for one state; a single place is shown at least
    ``MIN_SPAN_M`` across. ``basemap`` is kept for callers; the extent already leaves out
    events beyond the region (listed in a note instead).
    """
    if bounds is not None:
        _check(bounds)
    else:
        (low_lat, low_lon), (high_lat, high_lon) = STUDY_AREA
        bounds = events_extent(events) or (low_lat, low_lon, high_lat, high_lon)
    south, west, north, east = bounds
    (x0, x1), (y0, y1) = to_mercator([west, east], [south, north])
    least = MIN_SPAN_M / math.cos(math.radians(latitude_of((y0 + y1) / 2)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = max(x1 - x0, least) / 2, max(y1 - y0, least) / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def fit_aspect(extent: Extent, ratio: float) -> Extent:
    """``extent`` grown about its centre to width/height ``ratio``."""
    x0, y0, x1, y1 = extent
    width, height = x1 - x0, y1 - y0
    if width / height < ratio:
        width = height * ratio
    else:
        height = width / ratio
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def inside(x, y, extent: Extent, inset: float = 0.0):
    """Whether points (Web Mercator) lie in ``extent`` shrunk by ``inset`` of its size."""
    x0, y0, x1, y1 = extent
    dx, dy = (x1 - x0) * inset, (y1 - y0) * inset
    return (x >= x0 + dx) & (x <= x1 - dx) & (y >= y0 + dy) & (y <= y1 - dy)


def outside_note(events: gpd.GeoDataFrame, extent: Extent, data: Dataset) -> str:
    """``Outside this view: Moscow (7 events), Berlin (1 event)``, or empty."""
    away = outside(events, to_bounds(extent)) if len(events) else {}
    if not away:
        return ""

    def events_(n: int) -> str:
        return f"{n} event{'s' if n != 1 else ''}"

    ranked = sorted(away.items(), key=lambda kv: (-kv[1], kv[0]))
    items = [f"{printable(name)} ({events_(n)})" for name, n in ranked[:NOTE_PLACES]]
    rest = ranked[NOTE_PLACES:]
    if rest:
        items.append(f"{len(rest)} other places ({events_(sum(n for _, n in rest))})")
    return "Outside this view: " + ", ".join(items) + "."


def choose_corner(events: pd.DataFrame, extent: Extent) -> str:
    """The corner of the map with the fewest event points, for the legend."""
    points = event_points(events)
    if not len(points):
        return CORNERS[0]
    x, y = to_mercator(points[:, 0], points[:, 1])
    x0, y0, x1, y1 = extent
    fx, fy = (x - x0) / (x1 - x0), (y - y0) / (y1 - y0)
    boxes = {"lower left": (fx < 0.4) & (fy < 0.45), "upper left": (fx < 0.4) & (fy > 0.55),
             "lower right": (fx > 0.6) & (fy < 0.45), "upper right": (fx > 0.6) & (fy > 0.55)}
    inside = (fx >= 0) & (fx <= 1) & (fy >= 0) & (fy <= 1)
    return min(CORNERS, key=lambda c: int((boxes[c] & inside).sum()))


def _symbol_boxes(ax: Axes, symbols, scale: float) -> np.ndarray:
    """Pixel boxes (x0, y0, x1, y1) of drawn symbols and their counts."""
    ppt = ax.figure.dpi / 72
    boxes = []
    for s in symbols:
        x, y = ax.transData.transform((s.x, s.y))
        dx, dy = offset_points(s.category, scale)
        x, y, half = x + dx * ppt, y + dy * ppt, 5.5 * scale * ppt
        boxes.append((x - half, y - half, x + half, y + half))
        if s.count > 1:  # the count, as draw_symbols places it
            left, bottom = x + 4.5 * scale * ppt, y + 2.5 * scale * ppt
            boxes.append((left, bottom, left + 4.5 * len(str(s.count)) * scale * ppt,
                          bottom + 7 * scale * ppt))
    return np.array(boxes, dtype=float).reshape(-1, 4)


def _hits(box: tuple, boxes: np.ndarray) -> int:
    x0, y0, x1, y1 = box
    return int(((boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] < y1)
                & (boxes[:, 3] > y0)).sum())


def overlaps(box: tuple, others: list[tuple]) -> bool:
    return bool(others) and _hits(box, np.array(others, dtype=float)) > 0


def label_spots(px: float, py: float, width: float, height: float, gap: float,
                pad: float) -> list[tuple[tuple, tuple, str, str]]:
    """Where a name may go, in order of preference: right, left, above, below its place,
    then the four diagonals.

    Each as (pixel box with ``pad`` for the halo, offset in pixels, ha, va).
    """
    half, d = height / 2, gap * 0.7
    spots = [((px + gap, py - half), (gap, 0.0), "left", "center"),
             ((px - gap - width, py - half), (-gap, 0.0), "right", "center"),
             ((px - width / 2, py + gap / 2), (0.0, gap / 2), "center", "bottom"),
             ((px - width / 2, py - gap / 2 - height), (0.0, -gap / 2), "center", "top"),
             ((px + d, py + d), (d, d), "left", "bottom"),
             ((px + d, py - d - height), (d, -d), "left", "top"),
             ((px - d - width, py + d), (-d, d), "right", "bottom"),
             ((px - d - width, py - d - height), (-d, -d), "right", "top")]
    return [((x - pad, y - pad, x + width + pad, y + height + pad), offset, ha, va)
            for (x, y), offset, ha, va in spots]


def label_places(ax: Axes, events: pd.DataFrame, data: Dataset, extent: Extent,
                 symbols, scale: float) -> list:
    """Names of the main places in view, and of the point places of the events.

    A place too close on the page to one already named is skipped. A name goes right,
    left, above or below its place, where it overlaps no other name and fewest symbols;
    a name that fits nowhere is left out, with its place's dot.
    """
    gazetteer = data.geodata.gazetteer
    points = [p for p in events.loc[events["drawn_as"] == "point", "place_id"].unique()]
    wanted = [i for i in dict.fromkeys([*LABELLED_PLACES, *points]) if i in gazetteer]
    renderer = cast(FigureCanvasAgg, ax.figure.canvas).get_renderer()
    prop = font_manager.FontProperties(size=FONT["label"] * scale)
    ppt = ax.figure.dpi / 72
    boxes = _symbol_boxes(ax, symbols, scale)
    placed: list[np.ndarray] = []
    labels: list[tuple] = []  # pixel boxes of the names drawn so far
    artists = []
    for place_id in wanted:
        place = gazetteer[place_id]
        x, y = (float(v[0]) for v in to_mercator([place.anchor[0]], [place.anchor[1]]))
        if not inside(x, y, extent, inset=0.02):
            continue
        px, py = ax.transData.transform((x, y))
        if any(np.hypot(px - p[0], py - p[1]) < 18 * scale * ppt for p in placed):
            continue
        name = printable(place.display_name)
        width, height, _ = renderer.get_text_width_height_descent(name, prop, ismath=False)
        gap = (13 if _hits((px - 1, py - 1, px + 1, py + 1), boxes) else 4) * scale * ppt
        spots = [s for s in label_spots(px, py, width, height, gap, 1.1 * scale * ppt)
                 if not overlaps(s[0], labels)]
        if not spots:
            continue  # every side is taken by other names
        box, (dx, dy), ha, va = min(spots, key=lambda s: _hits(s[0], boxes))
        placed.append(np.array([px, py]))
        labels.append(box)
        boxes = np.vstack([boxes, box])
        artists += ax.plot([x], [y], marker="o", markersize=3.2 * scale, color="white",
                           markeredgecolor="#333333", markeredgewidth=0.8 * scale, zorder=8)
        artists += with_halo(ax.annotate, name, (x, y), halo=2.2 * scale,
                             xytext=(dx / ppt, dy / ppt), textcoords="offset points",
                             fontsize=FONT["label"] * scale, color="#222222", va=va,
                             ha=ha, zorder=8, annotation_clip=True, **TEXT)
    return artists

"""Events summed per cell of a grid that follows the map's zoom, for views holding more
events than a browser should draw one by one.

Cells are squares of :data:`CELL_PX` screen pixels in Web Mercator (Leaflet's projection),
so an aggregate symbol covers about the same screen area at every zoom. Each cell reports
where its events are (their mean position and bounds, for zooming into it), how many fall
in each layer, its dominant layer and its date span.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.schema import CATEGORIES

CELL_PX = 64  # cell side in screen pixels
TILE_PX = 256  # Leaflet's tile size: the world is TILE_PX * 2**zoom pixels wide
MAX_EVENTS = 2000  # more events than this in view are drawn as aggregates
MAX_LAT = 85.05112878  # Web Mercator's limit
AREA_BLOCK = 8  # cells: the area a map's cells are taken from moves in steps of this many


def world_pixels(lat: np.ndarray, lon: np.ndarray, zoom: float) -> tuple[np.ndarray,
                                                                        np.ndarray]:
    """Web Mercator pixel coordinates of points at ``zoom`` (x east, y south)."""
    size = TILE_PX * 2.0 ** zoom
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * size
    phi = np.radians(np.clip(np.asarray(lat, dtype=float), -MAX_LAT, MAX_LAT))
    y = (1.0 - np.log(np.tan(phi) + 1.0 / np.cos(phi)) / np.pi) / 2.0 * size
    return x, y


def cell_ids(lat: np.ndarray, lon: np.ndarray, zoom: float) -> np.ndarray:
    """One integer per point naming its grid cell at ``zoom`` (same cell, same id)."""
    x, y = world_pixels(lat, lon, int(zoom))
    column = np.floor(x / CELL_PX).astype(np.int64)
    row = np.floor(y / CELL_PX).astype(np.int64)
    return row * (1 << 32) + column


def aggregate(events: pd.DataFrame, zoom: float) -> pd.DataFrame:
    """The events summed per grid cell at ``zoom``.

    Parameters
    ----------
    events
        Rows with ``lat``, ``lon`` (where the event's marker is), ``category``, ``start``
        and ``end``.
    zoom
        The map's zoom level; cells are :data:`CELL_PX` pixels at its integer part.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty cell, largest first: ``lat``/``lon`` (mean of its events),
        ``count``, one count column per category id, ``dominant`` (the category with most
        events, the first in ``CATEGORIES`` order on a tie), ``first``/``last`` (date
        span), and ``south``/``west``/``north``/``east`` (bounds of its events).
    """
    columns = ["lat", "lon", "count", *CATEGORIES, "dominant", "first", "last",
               "south", "west", "north", "east"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    lat, lon = events["lat"].to_numpy(float), events["lon"].to_numpy(float)
    codes, cell_index = pd.factorize(cell_ids(lat, lon, zoom))
    cells_n, layers = len(cell_index), list(CATEGORIES)
    layer = pd.Categorical(events["category"], categories=layers).codes.astype(np.int64)
    per_layer = np.bincount(codes * len(layers) + layer, minlength=cells_n * len(layers))
    per_layer = per_layer.reshape(cells_n, len(layers))
    count = np.bincount(codes, minlength=cells_n)
    by_cell = pd.DataFrame({"lat": lat, "lon": lon, "start": events["start"].to_numpy(),
                            "end": events["end"].to_numpy()}).groupby(codes, sort=True)
    low, high = by_cell[["lat", "lon", "start"]].min(), by_cell[["lat", "lon", "end"]].max()
    cells = pd.DataFrame({
        "lat": np.bincount(codes, weights=lat, minlength=cells_n) / count,
        "lon": np.bincount(codes, weights=lon, minlength=cells_n) / count,
        "count": count, **{c: per_layer[:, i] for i, c in enumerate(layers)},
        "dominant": np.array(layers)[per_layer.argmax(axis=1)],
        "first": low["start"].to_numpy(), "last": high["end"].to_numpy(),
        "south": low["lat"].to_numpy(), "west": low["lon"].to_numpy(),
        "north": high["lat"].to_numpy(), "east": high["lon"].to_numpy()})
    cells = cells.sort_values(["count", "lat", "lon"], ascending=[False, True, True])
    return cells.reset_index(drop=True)[columns]


def cells_area(bounds: tuple[float, float, float, float], zoom: float,
               margin: float = 0.5) -> tuple[float, float, float, float]:
    """Where a map of aggregates at ``zoom`` showing ``bounds`` (south, west, north, east)
    is sent cells from: the view widened by ``margin`` of its size on every side, out to
    whole blocks of :data:`AREA_BLOCK` cells. What a pan of less than ``margin`` of the
    view shows is in it, and small pans keep it."""
    south, west, north, east = bounds
    size = TILE_PX * 2.0 ** int(zoom)
    (x0, x1), (y0, y1) = world_pixels(np.array([north, south]), np.array([west, east]),
                                      int(zoom))
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    step = CELL_PX * AREA_BLOCK
    left, right = np.floor((x0 - dx) / step) * step, np.ceil((x1 + dx) / step) * step
    top, bottom = np.floor((y0 - dy) / step) * step, np.ceil((y1 + dy) / step) * step

    def lat(y: float) -> float:  # the world's edge takes in what Web Mercator clips
        return float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y / size))))) \
            if 0 < y < size else (90.0 if y <= 0 else -90.0)

    def lon(x: float) -> float:
        return float(x / size * 360.0 - 180.0) if 0 < x < size else (
            -180.0 if x <= 0 else 180.0)

    return lat(bottom), lon(left), lat(top), lon(right)


def cells_in(cells: pd.DataFrame, area: tuple[float, float, float, float]) -> pd.DataFrame:
    """The cells of :func:`aggregate` whose events' mean position lies in ``area`` (south,
    west, north, east; see :func:`cells_area`), each with all of its events."""
    south, west, north, east = area
    return cells[cells["lat"].between(south, north) & cells["lon"].between(west, east)]


def needs_aggregates(count_in_view: int, limit: int = MAX_EVENTS) -> bool:
    """Whether a view holding ``count_in_view`` events is drawn as aggregates."""
    return count_in_view > limit


def zoom_for(bounds: tuple[float, float, float, float], width_px: int = 1000,
             height_px: int = 680) -> int:
    """The largest whole zoom at which ``bounds`` fit a map of that many pixels."""
    south, west, north, east = bounds
    (x0, x1), (y1, y0) = (world_pixels(np.array([south, north]), np.array([west, east]), 0))
    span_x, span_y = max(abs(x1 - x0), 1e-9), max(abs(y1 - y0), 1e-9)
    zoom = min(np.log2(width_px / span_x), np.log2(height_px / span_y))
    return int(max(0, min(18, np.floor(zoom))))

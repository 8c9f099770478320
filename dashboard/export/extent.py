"""The area a map shows: the map view, or the extent of the shown events; and what lies
outside it (the live map's caption, the page's header and the images' note all ask here)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.export.types import Bounds
from dashboard.profile import STUDY_AREA

MIN_SPAN_DEG = 0.6  # about 60 km: a single event never zooms to street level
MARGIN = 0.12  # share of the span added on each side


def _points(events: gpd.GeoDataFrame) -> np.ndarray:
    """Lon/lat rows of the markers and of every vertex of routes and arrows."""
    lines = events.loc[events["drawn_as"].isin(("arrow", "line")), "shape"]
    return np.vstack([shapely.get_coordinates(np.asarray(events.geometry.array)),
                      shapely.get_coordinates(lines.to_numpy())])


def lonlat(events: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of the events' markers (as ``geometry.x``/``.y``, quicker)."""
    points = np.asarray(events.geometry.array)
    return shapely.get_x(points), shapely.get_y(points)


def in_study_area(lon: float | np.ndarray, lat: float | np.ndarray) -> bool | np.ndarray:
    """Whether a point lies in the region the base map covers in detail (elementwise for
    arrays of longitudes and latitudes)."""
    (south, west), (north, east) = STUDY_AREA
    return (south <= lat) & (lat <= north) & (west <= lon) & (lon <= east)


def _padding(span: float) -> float:
    """Margin on each side, widened so the whole is at least ``MIN_SPAN_DEG`` across."""
    return max(span, MIN_SPAN_DEG) * MARGIN + max(0.0, MIN_SPAN_DEG - span) / 2


def events_extent(events: gpd.GeoDataFrame) -> Bounds | None:
    """Bounds around the shown events, with a margin; None when nothing is shown.

    Events far from the region (statements in Moscow or Berlin) would shrink the region to
    a speck, so when some events lie in the study area the extent covers those; exports
    list the others by name.
    """
    if not len(events):
        return None
    points = _points(events)
    near = points[in_study_area(points[:, 0], points[:, 1])]
    points = near if len(near) else points
    west, south = (float(v) for v in points.min(axis=0))
    east, north = (float(v) for v in points.max(axis=0))
    return padded((south, west, north, east))


def padded(bounds: Bounds) -> Bounds:
    """``bounds`` (south, west, north, east) of some points with the margin of
    :func:`events_extent` (a database finds the bounds itself)."""
    south, west, north, east = bounds
    pad_lat, pad_lon = _padding(north - south), _padding(east - west)
    return (south - pad_lat, west - pad_lon, north + pad_lat, east + pad_lon)


def outside(events: gpd.GeoDataFrame, bounds: Bounds) -> dict[str, int]:
    """Place names of shown events whose marker lies outside ``bounds``, with counts.

    In the order the events first name each place.
    """
    south, west, north, east = bounds
    lon, lat = lonlat(events)
    away = ~((south <= lat) & (lat <= north) & (west <= lon) & (lon <= east))
    codes, names = pd.factorize(events["place_name"][away], use_na_sentinel=False)
    return dict(zip(names.tolist(), np.bincount(codes).tolist(), strict=True))

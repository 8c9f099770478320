"""The area a map shows: the map view, or the extent of the shown events; and what lies
outside it (the live map's caption, the page's header and the images' note all ask here)."""

from __future__ import annotations

import pandas as pd

from dashboard.export.types import Bounds
from dashboard.profile import STUDY_AREA

MIN_SPAN_DEG = 0.6  # about 60 km: a single event never zooms to street level
MARGIN = 0.12  # share of the span added on each side


def _points(events: pd.DataFrame) -> list[tuple[float, float]]:
    points = [tuple(m["geometry"]["coordinates"]) for m in events["marker"]]
    for shape in events["shape"]:
        if shape is not None and shape["properties"]["kind"] in ("arrow", "line"):
            geometry = shape["geometry"]
            lines = geometry["coordinates"]
            if geometry["type"] == "LineString":
                lines = [lines]
            points.extend(tuple(p) for line in lines for p in line)
    return points


def in_study_area(lon: float, lat: float) -> bool:
    """Whether a point lies in the region the base map covers in detail."""
    (south, west), (north, east) = STUDY_AREA
    return south <= lat <= north and west <= lon <= east


def _padding(span: float) -> float:
    """Margin on each side, widened so the whole is at least ``MIN_SPAN_DEG`` across."""
    return max(span, MIN_SPAN_DEG) * MARGIN + max(0.0, MIN_SPAN_DEG - span) / 2


def events_extent(events: pd.DataFrame) -> Bounds | None:
    """Bounds around the shown events, with a margin; None when nothing is shown.

    Events far from the region (statements in Moscow or Berlin) would shrink the region to
    a speck, so when some events lie in the study area the extent covers those; exports
    list the others by name.
    """
    points = _points(events) if len(events) else []
    near = [p for p in points if in_study_area(*p)]
    points = near or points
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    pad_lat, pad_lon = _padding(north - south), _padding(east - west)
    return (south - pad_lat, west - pad_lon, north + pad_lat, east + pad_lon)


def outside(events: pd.DataFrame, bounds: Bounds) -> dict[str, int]:
    """Place names of shown events whose marker lies outside ``bounds``, with counts.

    In the order the events first name each place.
    """
    south, west, north, east = bounds
    counts: dict[str, int] = {}
    for marker, name in zip(events["marker"], events["place_name"], strict=True):
        lon, lat = marker["geometry"]["coordinates"]
        if not (south <= lat <= north and west <= lon <= east):
            counts[name] = counts.get(name, 0) + 1
    return counts

"""What each event draws: a marker at its place, plus a route, an area or an arrow.

:func:`locate` gives the loaded events these as geometry columns; how they look on a map
or a page is the renderers' business (:mod:`dashboard.layers.features`, the exports).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point, mapping
from shapely.geometry import shape as to_shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from dashboard.gazetteer import Gazetteer, Place

HEAD_FRACTION = 0.12  # arrowhead length as a share of the arrow's length
HEAD_ANGLE = math.radians(28)
ARRIVAL_INSET_DEG = 0.06  # about 5-6 km inside the destination's border
DIGITS = 5  # coordinates are kept to about a metre, as the map receives them
CRS = "EPSG:4326"
# What locate() adds: the marker point (the active geometry), the extra shape or None, what
# kind it is, and the place a route or area stands for (shared by the events drawn there).
GEOMETRY_COLUMNS = ("marker", "shape", "drawn_as", "shape_place")
_ROW = ("place_id", "origin_place_id", "destination_place_id", "start")


@dataclass(frozen=True)
class EventShape:
    """The marker point of an event and its optional extra shape."""

    marker: Point
    kind: str  # "point", "line", "area" or "arrow"
    shape: BaseGeometry | None
    shape_place: str | None  # the place (or route) a line or area stands for


def arrow(points: list[tuple[float, float]]) -> MultiLineString:
    """A polyline through ``points`` (lon, lat) with a two-stroke head at the last one.

    The head is computed in a local frame that shrinks longitude by cos(latitude), so it
    looks symmetric on a Web Mercator map at these latitudes.
    """
    (x0, y0), (x1, y1) = points[-2], points[-1]
    scale = math.cos(math.radians(y1))
    dx, dy = (x1 - x0) * scale, y1 - y0
    total = sum(math.dist((a[0] * scale, a[1]), (b[0] * scale, b[1]))
                for a, b in itertools.pairwise(points))
    length = max(total * HEAD_FRACTION, 1e-6)
    heading = math.atan2(dy, dx)
    strokes = []
    for side in (1, -1):
        angle = heading + math.pi - side * HEAD_ANGLE
        tip = (x1 + length * math.cos(angle) / scale, y1 + length * math.sin(angle))
        strokes.append(LineString([(x1, y1), tip]))
    return MultiLineString([LineString(points), *strokes])


def arrival_point(destination: Place, crossing: Point) -> tuple[float, float]:
    """Where an arrow into ``destination`` ends after ``crossing``.

    A point destination is its anchor. For an area, the arrow ends just inside it, at the
    point nearest the crossing: people who crossed the Hakari bridge "into Syunik" or
    "into Armenia" arrived at its border, not at the area's centre.
    """
    if destination.geometry_kind != "area":
        return destination.anchor
    inside = destination.geometry.buffer(-ARRIVAL_INSET_DEG)
    target = inside if not inside.is_empty else destination.geometry
    point = nearest_points(target, crossing)[0]
    return (point.x, point.y)


def route_to(origin: Place, crossing: Place, gazetteer: Gazetteer,
             when: date) -> list[tuple[float, float]] | None:
    """The known road from ``origin`` to ``crossing`` on ``when``, or None.

    A route qualifies when it was in use that day, starts inside (or at) the origin and
    passes through the crossing: people leaving Nagorno-Karabakh over the Hakari bridge in
    September 2023 are drawn along the Lachin corridor's new route, not a straight line.
    """
    for place in gazetteer:
        if not place.routes:
            continue
        route = gazetteer.on(place.id, when)
        if route.id == place.id or route.geometry_kind != "line":
            continue
        coords = [tuple(c) for c in route.geometry.coords]
        start = Point(coords[0])
        starts_in_origin = (origin.geometry.buffer(1e-9).contains(start)
                            if origin.geometry_kind == "area"
                            else start.distance(origin.geometry) < 1e-6)
        if not starts_in_origin:
            continue
        for i, vertex in enumerate(coords):
            if Point(vertex).distance(crossing.geometry) < 1e-6:
                return coords[: i + 1]
    return None


def event_shape(row: dict, gazetteer: Gazetteer) -> EventShape:
    """The geometry an event is drawn with, from its place, date and movement."""
    when: date = row["start"].date()
    place = gazetteer.on(row["place_id"], when)
    marker = Point(place.anchor)
    if row.get("origin_place_id") and row.get("destination_place_id"):
        origin = gazetteer[row["origin_place_id"]]
        destination = gazetteer[row["destination_place_id"]]
        stops = [origin.anchor]
        if place.geometry_kind == "point" and row["place_id"] not in (
            row["origin_place_id"], row["destination_place_id"]
        ):
            stops = route_to(origin, place, gazetteer, when) or [origin.anchor, place.anchor]
        stops.append(arrival_point(destination, Point(stops[-1])))
        return EventShape(marker, "arrow", arrow(stops), None)
    kind = place.geometry_kind
    if kind == "point":
        return EventShape(marker, "point", None, None)
    return EventShape(marker, kind, place.geometry, place.id)


def _rounded(geometry: BaseGeometry) -> BaseGeometry:
    def walk(value):
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return round(value, DIGITS) if isinstance(value, float) else value
    data = mapping(geometry)
    return to_shape({"type": data["type"], "coordinates": walk(data["coordinates"])})


def locate(frame: pd.DataFrame, gazetteer: Gazetteer) -> gpd.GeoDataFrame:
    """``frame`` with the columns of :data:`GEOMETRY_COLUMNS`, ``marker`` the geometry.

    ``shape`` holds shapely geometries (or None): one object per route or area, shared by
    every event drawn with it, so a pickled table holds each once.
    """
    markers: list[Point] = []
    shapes: list[BaseGeometry | None] = []
    kinds: list[str] = []
    places: list[str | None] = []
    shared: dict[str, BaseGeometry] = {}  # rounded once per place
    for row in frame[list(_ROW)].to_dict("records"):
        drawn = event_shape(row, gazetteer)
        markers.append(Point(round(drawn.marker.x, DIGITS), round(drawn.marker.y, DIGITS)))
        kinds.append(drawn.kind)
        places.append(drawn.shape_place)
        if drawn.shape is None:
            shapes.append(None)
        elif drawn.shape_place is None:
            shapes.append(_rounded(drawn.shape))
        else:
            if drawn.shape_place not in shared:
                shared[drawn.shape_place] = _rounded(drawn.shape)
            shapes.append(shared[drawn.shape_place])
    shape = pd.Series(shapes, index=frame.index, dtype=object)
    out = frame.assign(marker=gpd.GeoSeries(markers, index=frame.index, crs=CRS),
                       shape=shape, drawn_as=kinds,
                       shape_place=pd.Series(places, index=frame.index))
    return gpd.GeoDataFrame(out, geometry="marker", crs=CRS)

"""Checked rows joined with places, regions, search text and geometry, for whole columns.

Each rule is the per-event one (:func:`regions_of`, :func:`search_text`,
:func:`dashboard.layers.geometry.locate`), run once for each distinct combination of what
it reads: an imported point's regions come from one spatial join of the distinct points,
an event's search text from its texts and its place's names, and a point's marker from its
coordinates.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.dataset import Geodata, arrow_weights
from dashboard.events import EventsFile
from dashboard.gazetteer import IMPORTED, Gazetteer, fold
from dashboard.importing.arrow_text import member
from dashboard.importing.columns import Coded, combo_codes, compact_text, per_combo, spread
from dashboard.importing.progress import Steps
from dashboard.importing.searching import PLACES, TEXTS, search_texts
from dashboard.importing.typed import typed
from dashboard.layers import locate
from dashboard.layers.geometry import CRS, DIGITS
from dashboard.point_places import COLUMNS as PLACE_COLUMNS
from dashboard.point_places import PointPlaces
from dashboard.regions import OUTSIDE

MOVES = ("origin_place_id", "destination_place_id")


def point_regions(lon: np.ndarray, lat: np.ndarray, shapes: gpd.GeoDataFrame) -> np.ndarray:
    """The region ids (a sorted tuple; ``OUTSIDE`` when none) of each point, by one spatial
    join of the distinct points, as :func:`dashboard.regions.place_regions` finds them."""
    codes, firsts = combo_codes(lon, lat)
    x, y = lon[firsts], lat[firsts]
    ids = shapes["id"].to_numpy(dtype=object)
    # Each region shape, prepared (a copy: the shared shapes are left as they are), against
    # the points within its bounds: the pairs that touch.
    geometries = shapely.from_wkb(shapely.to_wkb(shapes.geometry.to_numpy()))
    shapely.prepare(geometries)
    pairs = []
    for i, (x0, y0, x1, y1) in enumerate(shapely.bounds(geometries)):
        near = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        touching = near[shapely.intersects_xy(geometries[i], x[near], y[near])]
        pairs.append((np.full(len(touching), i), touching))
    region = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, dtype=int)
    hit = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, dtype=int)
    rank = np.argsort(np.argsort(ids.astype(str)))  # each region's place in sorted order
    words = max(1, -(-len(ids) // 63))
    masks = np.zeros((words, len(x)), dtype=np.int64)
    for word in range(words):
        inside = rank[region] // 63 == word
        np.bitwise_or.at(masks[word], hit[inside], np.int64(1) << (rank[region][inside] % 63))
    by_rank = ids[np.argsort(rank)]
    mask_codes, results = per_combo(
        lambda *bits: tuple(by_rank[[w * 63 + b for w, m in enumerate(bits) for b in range(63)
                                     if m >> b & 1]]) or (OUTSIDE,), *masks)
    return spread(mask_codes, [tuple(r) for r in results])[codes]


def extend(geodata: Geodata, places: pd.DataFrame) -> Geodata:
    """``geodata`` with the made-up ``places`` (see :func:`dashboard.importing.checking.check`)
    it lacks; their regions by one spatial join. Points outside every region shape belong to
    "outside the mapped regions"."""
    new = places[~places["id"].isin([p.id for p in geodata.base])]
    if geodata.points is not None:
        new = new[~member(new["id"], geodata.points.table["id"])]
    if not len(new):
        return geodata
    lon = new["longitude"].to_numpy(dtype=float)
    lat = new["latitude"].to_numpy(dtype=float)
    shapes = geodata.regions[["id", "geometry"]]
    new = new.assign(regions=point_regions(lon, lat, shapes))[list(PLACE_COLUMNS)]
    parts = [PointPlaces(new)] if geodata.points is None else [geodata.points, PointPlaces(new)]
    return geodata.with_points(PointPlaces.concat(parts))


def regions_of(row: dict, geodata: Geodata) -> tuple[str, ...]:
    """Region ids of an event's place (on its date), origin and destination."""
    places = {row["place_id"], row["origin_place_id"], row["destination_place_id"]} - {""}
    gazetteer = geodata.gazetteer
    ids: set[str] = set()
    for place_id in places:
        place = gazetteer.on(place_id, row["start"].date()) if place_id == row["place_id"] \
            else gazetteer[place_id]
        ids.update(geodata.place_regions[place.id])
    return tuple(sorted(ids))


def search_text(row: dict, place_terms, gazetteer: Gazetteer | None = None) -> str:
    """Folded text, names of the event's places, and every variant of places it names.

    A title saying "Stepanakert" is then found by a search for "Khankendi" too.
    """
    ids = [p for p in (row["place_id"], row["origin_place_id"], row["destination_place_id"])
           if p]
    folded = {c: fold(row[c]) for c in ("title", "description", "actor1", "actor2", "claimed_by")
              if row[c]}
    texts = list(folded.values())
    told = f"{folded.get('title', '')} \n {folded.get('description', '')}"
    named = gazetteer.named_in(told) if gazetteer is not None else []
    ids += [p.id for p in named if p.id not in ids]
    return " ".join([*texts, *(place_terms[p] for p in ids if p in place_terms)])


class _Terms:
    """Search terms of places by id: the gazetteer's, and imported points' from their rows."""

    def __init__(self, geodata: Geodata):
        self.own = {p.id: p.search_terms() for p in geodata.base}
        self.points = geodata.points

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.own or (self.points is not None and place_id in self.points)

    def __getitem__(self, place_id: str) -> str:
        if place_id in self.own:
            return self.own[place_id]
        assert self.points is not None
        return self.points.place(place_id).search_terms()


def _rows(frame: pd.DataFrame, at: np.ndarray, columns: list[str]) -> list[dict]:
    return frame[columns].iloc[at].to_dict("records")


def _own_place(geodata: Geodata, place_id: str) -> tuple:
    """What enriching needs of one of the gazetteer's places: name, precision, whether it
    is drawn at a point whatever the date, its rounded anchor and its regions."""
    place = geodata.gazetteer[place_id]
    fixed = not place.routes and place.geometry_kind == "point"
    return (place.display_name, place.precision_text, fixed, round(place.anchor[0], DIGITS),
            round(place.anchor[1], DIGITS), tuple(sorted(set(geodata.place_regions[place_id]))),
            bool(place.routes))


def enrich(events: EventsFile, geodata: Geodata, steps: Steps | None = None,
           ) -> gpd.GeoDataFrame:
    """The typed events table with place names, regions, search text and geometry."""
    steps = steps or Steps()
    frame = typed(events.table)
    points = geodata.points
    n = len(frame)
    at = points.positions(frame["place_id"]) if points is not None else np.full(n, -1)
    moving = ((frame["origin_place_id"] != "") | (frame["destination_place_id"] != "")
              ).to_numpy(dtype=bool)
    imported = np.flatnonzero(at >= 0)
    own = np.flatnonzero(at < 0)
    steps(0.0, "Placing events")
    name_codes, precision_codes = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    names: list[str] = []
    precisions: list[str] = []
    fixed = np.zeros(n, dtype=bool)  # drawn at one point whatever the date
    routed = np.zeros(n, dtype=bool)  # drawn along the route in use on the day
    x, y = np.zeros(n), np.zeros(n)
    regions = np.empty(n, dtype=object)
    if len(imported):
        assert points is not None
        table, rows = points.table, at[imported]
        coded = Coded.of(table["name"])
        name_codes[imported] = coded.codes[rows]
        names = coded.values.tolist()
        codes, precisions = per_combo(
            lambda p, m: p if m != m else f"{p} (about ±{int(m):,} m)",
            table["precision"], table["precision_m"])
        precision_codes[imported] = codes[rows]
        fixed[imported] = True
        x[imported] = _round(table["longitude"].to_numpy(dtype=float))[rows]
        y[imported] = _round(table["latitude"].to_numpy(dtype=float))[rows]
        regions[imported] = table["regions"].to_numpy(dtype=object)[rows]
    if len(own):
        codes, found = per_combo(lambda p: _own_place(geodata, p), frame["place_id"].iloc[own])
        name_codes[own] = len(names) + codes
        precision_codes[own] = len(precisions) + codes
        names = [*names, *(f[0] for f in found)]
        precisions = [*precisions, *(f[1] for f in found)]
        fixed[own] = np.array([f[2] for f in found], dtype=bool)[codes]
        x[own] = np.array([f[3] for f in found], dtype=float)[codes]
        y[own] = np.array([f[4] for f in found], dtype=float)[codes]
        regions[own] = spread(codes, [f[5] for f in found])
        routed[own] = np.array([f[6] for f in found], dtype=bool)[codes]
    frame["place_name"] = compact_text(*_used(name_codes, names), frame.index)
    frame["location_precision"] = compact_text(*_used(precision_codes, precisions),
                                               frame.index)
    simple = ~moving & fixed
    steps(0.25, "Finding regions")
    rest = np.flatnonzero(~simple)
    if len(rest):
        row_columns = ["place_id", *MOVES, "start"]
        dated = frame["start"].where(routed)  # the day matters on a route only
        codes, firsts = combo_codes(*(frame[c].iloc[rest] for c in row_columns[:3]),
                                    dated.iloc[rest])
        found = [regions_of(r, geodata) for r in _rows(frame.iloc[rest], firsts, row_columns)]
        regions[rest] = spread(codes, found)
    frame["regions"] = regions
    steps(0.5, "Indexing text")
    frame["search_text"] = _search_texts(frame, geodata, at)
    steps(0.75, "Drawing events")
    located = _located(frame, geodata, simple, x, y, routed | moving)
    located["arrow_weight"] = arrow_weights(located)
    steps(1.0, "Drawing events")
    return located


def _used(codes: np.ndarray, texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes and texts, keeping only the texts some code uses."""
    used, codes = np.unique(codes, return_inverse=True)
    return codes, [texts[i] for i in used]


def _search_texts(frame: pd.DataFrame, geodata: Geodata, at: np.ndarray) -> pd.Series:
    """:func:`search_text` of each event, once per distinct combination of its texts and
    places (imported points of one name and variants search alike)."""
    imported = at >= 0
    own_place = frame["place_id"].astype("str").where(~imported, "")
    named_alike = np.full(len(frame), -1)
    if imported.any():
        points = geodata.points
        assert points is not None
        key_codes, _ = combo_codes(points.table["name"], points.table["alt_names"])
        named_alike[imported] = key_codes[at[imported]]
    codes, firsts = combo_codes(*(frame[c] for c in TEXTS), own_place, named_alike,
                                *(frame[c] for c in MOVES))
    known = Gazetteer([p for p in geodata.base if p.kind != IMPORTED])
    rows = frame[[*TEXTS, *PLACES]]
    if len(firsts) < len(frame):  # else each row is its own combination, in order
        rows = rows.iloc[firsts].reset_index(drop=True)
    texts = search_texts(rows, _Terms(geodata), known)
    return compact_text(codes, texts, frame.index)


def _round(values: np.ndarray) -> np.ndarray:
    codes, rounded = per_combo(lambda v: round(v, DIGITS), values)
    return np.asarray(rounded, dtype=float)[codes] if len(codes) else values


def _located(frame: pd.DataFrame, geodata: Geodata, simple: np.ndarray, x: np.ndarray,
             y: np.ndarray, dated: np.ndarray) -> gpd.GeoDataFrame:
    """``frame`` with the columns of :func:`dashboard.layers.geometry.locate`: ``simple``
    events (at a point place, not moving) drawn at their place's rounded anchor ``x``,
    ``y``, the others by ``locate`` itself, once per place, movement and (where ``dated``,
    on a route or moving) day."""
    n = len(frame)
    shape = np.full(n, None, dtype=object)
    shape_place = np.full(n, None, dtype=object)
    drawn = np.full(n, "point", dtype=object)
    rest = np.flatnonzero(~simple)
    if len(rest):
        columns = ["place_id", *MOVES, "start"]
        codes, firsts = combo_codes(*(frame[c].iloc[rest] for c in columns[:3]),
                                    frame["start"].where(dated).iloc[rest])
        reps = frame[columns].iloc[rest[firsts]].reset_index(drop=True)
        used = {p for c in ("place_id", *MOVES) for p in reps[c] if p}
        points = geodata.points
        small = Gazetteer([*geodata.base, *(points.place(p) for p in used
                                            if points is not None and p in points)])
        drawn_reps = locate(reps, small)
        x[rest] = drawn_reps.geometry.x.to_numpy()[codes]
        y[rest] = drawn_reps.geometry.y.to_numpy()[codes]
        shape[rest] = drawn_reps["shape"].to_numpy(dtype=object)[codes]
        shape_place[rest] = drawn_reps["shape_place"].to_numpy(dtype=object)[codes]
        drawn[rest] = drawn_reps["drawn_as"].to_numpy(dtype=object)[codes]
    shape_place[pd.isna(shape_place)] = None  # no place: None, never NaN
    out = frame.assign(marker=gpd.GeoSeries(gpd.points_from_xy(x, y), index=frame.index,
                                            crs=CRS),
                       shape=pd.Series(shape, index=frame.index, dtype=object),
                       drawn_as=pd.Series(drawn, index=frame.index, dtype="str"),
                       shape_place=pd.Series(shape_place, index=frame.index, dtype=object))
    return gpd.GeoDataFrame(out, geometry="marker", crs=CRS)

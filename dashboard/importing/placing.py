"""Places of the rows located by coordinates, for whole columns at once.

The rule is :func:`dashboard.importing.places.locate`'s: a name the gazetteer knows, within
reach and no coarser than that, is the gazetteer's place (the row's notes say where the
file put it); otherwise a place is made up, one row of a table rather than an object per
row. Distances are computed with numpy; where rounding could tip a choice, a comparison
with the reach, or the tenth of a kilometre a note shows, the row is measured again with
:func:`~dashboard.importing.places.distance_km` itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.gazetteer import Gazetteer, Place
from dashboard.importing.arrow_text import arrow, from_arrow, joined_text, scatter
from dashboard.importing.columns import compact_text, per_combo, spread
from dashboard.importing.common import Draft
from dashboard.importing.places import EARTH_RADIUS_KM, MERGE_DISTANCE_KM, distance_km, radius_m

CLOSE = 1e-7  # km, or tenths of one: nearer than this to a tie or a boundary, measure again
PLACE_COLUMNS = ("id", "name", "alt_names", "precision", "precision_m", "longitude",
                 "latitude", "line")


def _haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    """:func:`~dashboard.importing.places.distance_km` between points, as numpy does it."""
    lat1, lon1 = np.radians(lat1), np.radians(lon1)
    lat2, lon2 = np.radians(lat2), np.radians(lon2)
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _exactly(places: list[Place], lat: float, lon: float) -> tuple[int, float]:
    """The nearest of ``places`` (by distance, then id) and its distance, as ``locate``."""
    best = min((distance_km(p, lat, lon), p.id, i) for i, p in enumerate(places))
    return best[2], best[0]


def _nearest(places: list[Place], lat: np.ndarray, lon: np.ndarray,
             within_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each point: the nearest of ``places`` (sorted by id), its distance, and whether
    the distance had to be measured exactly."""
    simple = all(p.geometry.geom_type == "Point" for p in places)
    if simple:
        table = np.stack([_haversine(lat, lon, p.geometry.y, p.geometry.x) for p in places])
        best = table.argmin(axis=0)
        km = table[best, np.arange(len(lat))]
        near = np.sort(table, axis=0)[1] - km < CLOSE if len(places) > 1 else False
        tenths = km * 10
        again = near | (np.abs(km - within_km) < CLOSE) | (
            np.abs(tenths - np.floor(tenths) - 0.5) < CLOSE)
    else:
        best, km = np.zeros(len(lat), dtype=int), np.zeros(len(lat))
        again = np.ones(len(lat), dtype=bool)
    for i in np.flatnonzero(again):
        best[i], km[i] = _exactly(places, float(lat[i]), float(lon[i]))
    return best, km, again


def _candidates(gazetteer: Gazetteer, name: str) -> list[Place]:
    return sorted((p for p in gazetteer.named(name) if p.geometry_kind == "point"),
                  key=lambda p: p.id) if name else []


def _texts(func: Callable[..., str], *columns: np.ndarray | pd.Series) -> pa.Array:
    """Text ``func`` makes of each row's values, once per distinct combination, in Arrow."""
    codes, texts = per_combo(func, *columns)
    return arrow(np.array(texts, dtype=object)).take(pa.array(codes))


def _digest(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


def place(frame: pd.DataFrame, gazetteer: Gazetteer, dataset: str,
          within_km: float = MERGE_DISTANCE_KM) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mapped rows with the places of those located by coordinates, and the places made
    up for them (one row per row that made one, with its line).

    ``frame`` (changed in place) has the schema's columns, ``line`` and the draft columns
    of :data:`~dashboard.importing.columns.DRAFT_COLUMNS`; notes of rows shown at a
    gazetteer place say where the file put them.
    """
    rows = np.flatnonzero(frame["latitude"].notna().to_numpy())
    lat = frame["latitude"].to_numpy(dtype=float)[rows]
    lon = frame["longitude"].to_numpy(dtype=float)[rows]
    names = frame["place_name"].iloc[rows].reset_index(drop=True)
    precision = frame["location_precision"].iloc[rows].reset_index(drop=True)
    metres = frame["precision_m"].to_numpy(dtype=float)[rows]
    codes, radii = per_combo(
        lambda m, text: radius_m(Draft(precision_m=None if m != m else int(m),
                                       location_precision=text)), metres, precision)
    radius = np.array([np.nan if r is None else r for r in radii], dtype=float)[codes] \
        if len(rows) else np.zeros(0)
    known = np.full(len(rows), -1)  # index into ``found`` of the named place within reach
    km = np.zeros(len(rows))
    again = np.zeros(len(rows), dtype=bool)
    found: list[Place] = []
    codes, places = per_combo(lambda n: _candidates(gazetteer, n), names)
    for code, candidates in enumerate(places):
        if not candidates:
            continue
        at = np.flatnonzero(codes == code)
        best, distance, exact = _nearest(candidates, lat[at], lon[at], within_km)
        close = distance <= within_km
        known[at[close]] = len(found) + best[close]
        km[at], again[at] = distance, exact
        found.extend(candidates)
    shown = (known >= 0) & ~(~np.isnan(radius) & (radius > within_km * 1000))
    made = ~shown
    ids = np.empty(len(rows), dtype=object)
    if shown.any():
        at = np.flatnonzero(shown)
        ids[at] = np.array([p.id for p in found], dtype=object)[known[at]]
        frame["notes"] = _noted(frame["notes"], rows[at], dataset, names.iloc[at],
                                precision.iloc[at], lat[at], lon[at],
                                [found[k].name for k in known[at]], km[at], again[at])
    at = np.flatnonzero(made)
    made_names = names.iloc[at].to_numpy(dtype=object)
    made_ids = joined_text("at:", _texts(lambda v: f"{v:.5f}", lat[at]), ",",
                           _texts(lambda v: f"{v:.5f}", lon[at]), ":",
                           _texts(_digest, made_names))
    ids[at] = np.asarray(made_ids, dtype=object)
    frame["place_id"] = scatter(frame["place_id"], rows, arrow(ids))
    unnamed = np.flatnonzero(made_names == "")
    made_names[unnamed] = [f"{a:.4f}, {b:.4f}" for a, b in zip(lat[at][unnamed],
                                                              lon[at][unnamed], strict=True)]
    codes, alt = per_combo(  # a named place within reach, but coarser: its other names
        lambda n, k: tuple(v for v in found[k].names if v != n) if k >= 0 else (),
        made_names, known[at])
    precisions = precision.iloc[at].to_numpy(dtype=object)
    precisions[precisions == ""] = "point"
    made_up = pd.DataFrame({
        "id": from_arrow(made_ids), "name": _compact(made_names),
        "alt_names": spread(codes, alt), "precision": _compact(precisions),
        "precision_m": metres[at], "longitude": lon[at], "latitude": lat[at],
        "line": frame["line"].to_numpy()[rows[at]]})
    return frame, made_up


def _compact(values: np.ndarray) -> pd.Series:
    """Python text as a column: a categorical where it repeats."""
    return compact_text(*per_combo(lambda v: v, values))


def _noted(notes: pd.Series, rows: np.ndarray, dataset: str, names: pd.Series,
           precision: pd.Series, lat: np.ndarray, lon: np.ndarray, shown_as: list[str],
           km: np.ndarray, exact: np.ndarray) -> pd.Series:
    """``notes`` with, at ``rows``, where the file put an event shown at a gazetteer place."""
    tenths = np.floor(km * 10 + 0.5).astype(int)  # km is not near a half tenth (see CLOSE)
    km_text = np.array([f"{t / 10:.1f}" for t in range(tenths.max() + 1)],
                       dtype=object)[tenths]
    km_text[exact] = [f"{k:.1f}" for k in km[exact]]
    note = joined_text(
        _texts(lambda n: f"Located in {dataset} as {n} (", names),
        _texts(lambda v: f"{v:.4f}", lat), ", ", _texts(lambda v: f"{v:.4f}", lon),
        _texts(lambda text: f"; {text}" if text else "", precision),
        _texts(lambda n: f"); shown at the gazetteer's {n}, ",
               np.array(shown_as, dtype=object)), km_text, " km away.")
    before = arrow(notes).take(pa.array(rows))
    after = pc.if_else(pc.equal(before, ""), note, joined_text(before, " ", note))
    return scatter(notes, rows, after)

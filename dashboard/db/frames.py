"""Rows of the ``events`` table as the app's events table: the same columns, in the same
order and of the same types as the importer makes them (:class:`dashboard.dataset.Dataset`).

Each column of the app is read by one or more SQL expressions (on ``events e`` joined with
``datasets d``, and with ``event_details t`` for the columns kept there) and put together
from what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.layers.features import arrow_weight
from dashboard.schema import COLUMNS, FIGURE_COLUMNS

CRS = "EPSG:4326"


@dataclass(frozen=True)
class Context:
    """What some columns need besides their rows: the shapes of areas and routes by place,
    and the largest ``displaced`` figure (arrows are scaled by it)."""

    shapes: dict[str, Any]
    largest: float | None


Build = Callable[[list[Sequence[Any]], Context], Any]


@dataclass(frozen=True)
class Column:
    """An app column: the SQL expressions it is read from and how it is made of them."""

    expressions: tuple[str, ...]
    build: Build


def _text(values: list[Sequence[Any]], _: Context) -> pd.Series:
    return pd.Series(values[0], dtype=str)


def _figure(values: list[Sequence[Any]], _: Context) -> Any:
    return pd.array(values[0], dtype="Int64")


def _day(values: list[Sequence[Any]], _: Context) -> np.ndarray:
    """Days since 1970, as the columns read them (many times quicker to convert than dates)."""
    return np.array(values[0], dtype=np.int64).astype("datetime64[D]").astype("datetime64[s]")


def _line(values: list[Sequence[Any]], _: Context) -> np.ndarray:
    return np.array(values[0], dtype=np.int64)


def _regions(values: list[Sequence[Any]], _: Context) -> pd.Series:
    return pd.Series([tuple(v) for v in values[0]], dtype=object)


def _marker(values: list[Sequence[Any]], _: Context) -> gpd.GeoSeries:
    lon, lat = (np.array(v, dtype=float) for v in values)
    return gpd.GeoSeries(shapely.points(lon, lat), crs=CRS)


def _shape(values: list[Sequence[Any]], context: Context) -> pd.Series:
    arrows, places = values
    shapes = [shapely.from_wkb(bytes(a)) if a is not None
              else context.shapes.get(p) if p is not None else None
              for a, p in zip(arrows, places, strict=True)]
    return pd.Series(shapes, dtype=object)


def _shape_place(values: list[Sequence[Any]], _: Context) -> pd.Series:
    return pd.Series(values[0], dtype=object)  # None where an event stands for no shape


def _arrow_weight(values: list[Sequence[Any]], context: Context) -> np.ndarray:
    people, kinds = values
    return np.array([arrow_weight(n, context.largest) if kind == "arrow" else np.nan
                     for n, kind in zip(people, kinds, strict=True)], dtype=float)


NARROW = {"category", "date_precision", "place_name", "displaced", "drawn_as", "regions"}


def _plain(name: str, build: Build = _text) -> Column:
    """The column ``name`` as stored: in ``events`` (narrow) or ``event_details``."""
    return Column((f"{'e' if name in NARROW else 't'}.{name}",), build)


COLUMN_SQL: dict[str, Column] = {
    **{c: _plain(c, _figure if c in FIGURE_COLUMNS else _text) for c in COLUMNS},
    "event_id": Column(("e.uid",), _text),
    "start": Column(("e.start_day - DATE '1970-01-01'",), _day),
    "end": Column(("e.end_day - DATE '1970-01-01'",), _day),
    "line": _plain("line", _line),
    "place_name": _plain("place_name"),
    "location_precision": _plain("location_precision"),
    "regions": _plain("regions", _regions),
    "search_text": _plain("search_text"),
    "marker": Column(("e.lon", "e.lat"), _marker),
    "shape": Column(("ST_AsBinary(t.arrow)", "t.shape_place"), _shape),
    "drawn_as": _plain("drawn_as"),
    "shape_place": _plain("shape_place", _shape_place),
    "arrow_weight": Column(("e.displaced", "e.drawn_as"), _arrow_weight),
    "dataset": Column(("d.name",), _text),
}
FRAME_COLUMNS = list(COLUMN_SQL)  # the importer's order (see tests)
COLUMN_SQL["geometry"] = COLUMN_SQL["marker"]  # what columns() calls the marker
NEEDS_SHAPES = {"shape"}
NEEDS_LARGEST = {"arrow_weight"}


def unknown(names: Sequence[str]) -> list[str]:
    """Of ``names``, those that are not columns of the events table."""
    return [n for n in names if n not in COLUMN_SQL]


def needs_details(names: Sequence[str]) -> bool:
    """Whether some of the columns ``names`` are kept in ``event_details``."""
    return any(e.startswith("t.") or "(t." in e for e in expressions(names))


def expressions(names: Sequence[str]) -> list[str]:
    """The SQL expressions, in order, that the columns ``names`` are read from."""
    return [e for n in names for e in COLUMN_SQL[n].expressions]


def to_frame(names: Sequence[str], rows: list[tuple[Any, ...]],
             context: Context) -> pd.DataFrame:
    """The columns ``names`` from ``rows`` (read with :func:`expressions`); a GeoDataFrame
    whose geometry is the marker when ``marker`` or ``geometry`` is among them."""
    fields = list(zip(*rows, strict=True)) if rows else [
        () for _ in expressions(names)]
    data: dict[str, Any] = {}
    at = 0
    for name in names:
        column = COLUMN_SQL[name]
        width = len(column.expressions)
        data[name] = column.build(list(fields[at:at + width]), context)
        at += width
    index = pd.RangeIndex(len(rows))
    data = {n: (v.set_axis(index) if isinstance(v, pd.Series) else v)
            for n, v in data.items()}
    geometry = next((n for n in ("marker", "geometry") if n in data), None)
    if geometry is not None:
        return gpd.GeoDataFrame(data, geometry=geometry, crs=CRS, index=index)
    return pd.DataFrame(data, index=index)

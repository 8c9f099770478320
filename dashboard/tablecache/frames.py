"""A table to a Parquet file and back, whatever its columns: every dtype kept.

Arrow keeps most of a pandas frame by itself (strings, nullable integers, categoricals, the
index). The rest is encoded column by column and said in the file's own metadata, so the
reader needs no schema: geometry columns (a GeoDataFrame's, or shapely objects in a plain
column) as x and y where they are all points, else as WKB, read back once per distinct
shape; tuples, lists and 1-D arrays as codes into their distinct values; time units Parquet
lacks (seconds) converted back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

KEY = b"dashboard.frame"  # the Parquet metadata holding how each column was encoded
SHAPES = ("geometry", "shapes")  # a geometry column; shapely objects in an object column
MANY = 1000  # distinct tuples beyond which (and beyond half the rows) rows keep their own
KEYS: dict[str, Callable[[Any], tuple]] = {  # containers kept as codes: what tells them apart
    "tuples": lambda v: v, "lists": tuple, "arrays": lambda v: (v.dtype.str, tuple(v.tolist())),
}
MAKE: dict[str, Callable[[list], Any]] = {  # and what makes one back from its JSON
    "lists": list, "arrays": lambda u: np.array(u[1], dtype=u[0]),
}


class Unsupported(ValueError):
    """A table holding something this module cannot write and read back unchanged."""


SIMPLE = {"empty", "string", "bytes", "integer", "floating", "mixed-integer-float", "boolean",
          "date", "datetime", "decimal"}  # what pandas infers of values Arrow keeps itself


def _object_kind(values: np.ndarray) -> str | None:
    """``shapes``, ``tuples``, ``lists`` or ``arrays`` (1-D) when every present value is
    one; None for anything else."""
    if pd.api.types.infer_dtype(values, skipna=True) in SIMPLE:
        return None
    present = [v for v in values if v is not None]
    if all(isinstance(v, BaseGeometry) for v in present):
        return "shapes"
    if all(type(v) is tuple for v in present):
        return "tuples"
    if all(type(v) is list for v in present):
        return "lists"
    if all(type(v) is np.ndarray and v.ndim == 1 for v in present):
        return "arrays"
    raise Unsupported("a column mixes containers or shapes with other values")


def _containers(values: np.ndarray, kind: str) -> tuple[pa.Array, dict[str, Any]]:
    """Tuples, lists or arrays (None for none) as a column Arrow keeps, and how: codes into
    the distinct ones (kept as JSON), or, where most are distinct, each row's own values."""
    keyed = values if kind == "tuples" else np.fromiter(
        (v if v is None else KEYS[kind](v) for v in values), dtype=object, count=len(values))
    codes, distinct = pd.factorize(keyed)
    if kind != "arrays" and len(distinct) > max(MANY, len(values) // 2):
        rows = [v if v is None else list(v) for v in values]
        try:
            array = pa.array(rows)
        except (pa.ArrowException, TypeError, ValueError) as exc:
            raise Unsupported(str(exc)) from None
        if array.to_pylist() != rows:
            raise Unsupported(f"{kind} of values Arrow does not keep")
        return array, {"kind": kind, "rows": True}
    uniques = [[t[0], list(t[1])] if kind == "arrays" else list(t) for t in distinct]
    if json.loads(json.dumps(uniques)) != uniques:
        raise Unsupported(f"{kind} of values JSON does not keep")
    return pa.array(codes.astype(np.int32)), {"kind": kind, "values": uniques}


def _contained(column: pa.ChunkedArray, spec: dict[str, Any]) -> np.ndarray:
    """:func:`_containers` undone: the same tuple shared by the rows holding it; each row
    its own list or array, as they were."""
    kind = spec["kind"]
    if spec.get("rows"):
        build: Callable[[Any], Any] = tuple if kind == "tuples" else list
        return np.fromiter((v if v is None else build(v) for v in column.to_pylist()),
                           dtype=object, count=len(column))
    codes, uniques = column.to_numpy(), spec["values"]
    if kind == "tuples":
        lookup = np.empty(len(uniques) + 1, dtype=object)
        lookup[:-1] = [tuple(u) for u in uniques]
        lookup[-1] = None  # code -1
        return lookup[codes]
    make = MAKE[kind]
    return np.fromiter((None if c < 0 else make(uniques[c]) for c in codes.tolist()),
                       dtype=object, count=len(codes))


def _shapes(values: np.ndarray) -> tuple[pa.Array, bool]:
    """Shapes (None for none) as a column Arrow keeps: x and y if all are flat points."""
    kinds = shapely.get_type_id(values)
    present = kinds >= 0
    if np.all(kinds[present] == 0) and not shapely.has_z(values[present]).any() \
            and not shapely.is_empty(values[present]).any():
        x, y = shapely.get_x(values), shapely.get_y(values)
        return pa.StructArray.from_arrays([pa.array(x), pa.array(y)], names=["x", "y"],
                                          mask=pa.array(~present)), True
    return pa.array(shapely.to_wkb(values), type=pa.binary()), False


def _encode(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pa.Array], dict[str, Any]]:
    """The columns Arrow keeps by itself, the others encoded, and how they were."""
    if not frame.columns.is_unique or not all(isinstance(c, str) for c in frame.columns):
        raise Unsupported("column names must be distinct strings")
    encoded: dict[str, pa.Array] = {}
    spec: dict[str, Any] = {"dtypes": {c: str(t) for c, t in frame.dtypes.items()},
                            "columns": {}, "attrs": frame.attrs}
    if isinstance(frame, gpd.GeoDataFrame) and frame.active_geometry_name is not None:
        spec["geometry"] = frame.active_geometry_name
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, gpd.array.GeometryDtype):
            crs = column.crs.to_json() if column.crs is not None else None
            encoded[name], points = _shapes(np.asarray(column.array))
            spec["columns"][name] = {"kind": "geometry", "crs": crs, "points": points}
        elif column.dtype == object:
            values = column.to_numpy(dtype=object, copy=True)
            values[pd.isna(values)] = None
            kind = _object_kind(values)
            if kind == "shapes":
                encoded[name], points = _shapes(values)
                spec["columns"][name] = {"kind": kind, "points": points}
            elif kind is not None:
                encoded[name], spec["columns"][name] = _containers(values, kind)
    return frame[[c for c in frame.columns if c not in encoded]], encoded, spec


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` as Parquet, with what is needed to read it back.

    Raises
    ------
    Unsupported
        When a column holds values this module would not read back equal.
    """
    plain, encoded, spec = _encode(frame)
    try:
        table = pa.Table.from_pandas(pd.DataFrame(plain), preserve_index=None)
        text = json.dumps(spec)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise Unsupported(str(exc)) from None
    for name, values in encoded.items():
        table = table.append_column(name, values)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           KEY: text.encode("utf-8")})
    pq.write_table(table, path)


def _read_shapes(column: pa.ChunkedArray, points: bool) -> np.ndarray:
    """Shapes (None for none) of a column :func:`_shapes` wrote; WKB read once per
    distinct shape, shared by the rows that hold it."""
    encoded = column.combine_chunks()
    if points:
        missing = encoded.is_null().to_numpy(zero_copy_only=False)
        shapes = shapely.points(encoded.field("x").to_numpy(zero_copy_only=False),
                                encoded.field("y").to_numpy(zero_copy_only=False))
        shapes[missing] = None
        return shapes
    if not pa.types.is_dictionary(encoded.type):
        encoded = encoded.dictionary_encode()
    distinct = np.empty(len(encoded.dictionary) + 1, dtype=object)
    distinct[:-1] = shapely.from_wkb(encoded.dictionary.to_numpy(zero_copy_only=False))
    return distinct[encoded.indices.fill_null(-1).to_numpy()]


def shape_at(value: Any) -> BaseGeometry | None:
    """One cell of a column left as points by :func:`read_frame`'s ``as_needed``."""
    if isinstance(value, dict):
        return Point(value["x"], value["y"])
    return value if isinstance(value, BaseGeometry) else None


def shapes_in(column: pd.Series) -> np.ndarray:
    """The shapes of a column, left as points by :func:`read_frame`'s ``as_needed`` or not."""
    if isinstance(column.dtype, pd.ArrowDtype):
        return _read_shapes(pa.chunked_array([pa.array(column.array)]), points=True)
    return column.to_numpy(dtype=object)


def read_frame(path: Path, as_needed: Collection[str] = ()) -> pd.DataFrame:
    """The frame :func:`write_frame` wrote to ``path``: a GeoDataFrame if it was one.

    Columns named in ``as_needed`` that hold points (not a GeoDataFrame's geometry), or
    mostly distinct tuples or lists, are left as Arrow keeps them (x and y; lists), to be
    made when needed (:func:`shape_at`, :func:`shapes_in`; ``tuple(value)``).

    Raises
    ------
    OSError, ValueError, KeyError, pyarrow.ArrowException
        For a file that is missing, not Parquet or not written by :func:`write_frame`.
    """
    spec = json.loads(pq.read_schema(path).metadata[KEY])
    kinds = spec["columns"]
    wkb = [n for n, c in kinds.items() if c["kind"] in SHAPES and not c["points"]]
    table = pq.read_table(path, read_dictionary=wkb)
    frame = table.drop_columns(list(kinds)).to_pandas(split_blocks=True)
    for name, column in kinds.items():
        if name in as_needed and (column.get("rows") or column.get("points")) \
                and column["kind"] != "geometry":
            frame[name] = pd.Series(pd.arrays.ArrowExtensionArray(table.column(name)),
                                    index=frame.index)
            continue
        if column["kind"] in KEYS:
            values = _contained(table.column(name), column)
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
            continue
            frame[name] = pd.Series(pd.arrays.ArrowExtensionArray(table.column(name)),
                                    index=frame.index)
            continue
        shapes = _read_shapes(table.column(name), column["points"])
        if column["kind"] == "geometry":
            frame[name] = gpd.GeoSeries(shapes, index=frame.index, crs=column["crs"])
        else:
            frame[name] = pd.Series(shapes, index=frame.index, dtype=object)
    frame = frame[list(spec["dtypes"])]
    for name, dtype in spec["dtypes"].items():
        if str(frame[name].dtype) != dtype and dtype.startswith(("datetime64", "timedelta64")):
            frame[name] = frame[name].astype(dtype)
        elif dtype == "object" and isinstance(frame[name].dtype, pd.StringDtype):  # text
            column = frame[name]
            frame[name] = column.astype(object).where(column.notna(), None)
    frame.attrs = spec["attrs"]
    if "geometry" in spec:
        return gpd.GeoDataFrame(frame, geometry=spec["geometry"], copy=False)
    return frame

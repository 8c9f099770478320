"""The places a file added to the gazetteer, read back from their table as they are needed.

An imported file can add a place per point (a million events, most of a million places);
making them all would take seconds of every cached load. A place is made the first time
it is asked for (the map's popups ask for a few hundred); going over all of them makes
all, once, column by column.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping, ValuesView
from dataclasses import fields
from typing import Any, Union, get_args, get_origin

import pandas as pd
from shapely.geometry.base import BaseGeometry

from dashboard.gazetteer import Place
from dashboard.tablecache.frames import shape_at, shapes_in


def _inner(hint: Any) -> tuple[Any, bool]:
    """The type ``hint`` names, and whether it allows None."""
    if get_origin(hint) in (Union, types.UnionType):
        return next(a for a in get_args(hint) if a is not type(None)), True
    return hint, False


def _one(value: Any, hint: Any) -> Any:
    """One cell of the places table as the field's ``hint`` says: None for a missing
    value, an int for a number read back as a float, a date for a timestamp."""
    inner, _ = _inner(hint)
    if inner is BaseGeometry:
        return shape_at(value)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if inner is int:
        return int(value)
    if get_origin(inner) is tuple and isinstance(value, list):  # left as Arrow keeps it
        return tuple(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def column_values(column: pd.Series, hint: Any) -> list:
    """A whole column of the places table as :func:`_one` reads each cell."""
    inner, _ = _inner(hint)
    if inner is BaseGeometry:
        return list(shapes_in(column))
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        column = column.dt.date.astype(object)
    values = column.tolist()
    if column.dtype == object:
        return values
    if get_origin(inner) is tuple:  # left as Arrow keeps it
        return [None if v is None or v is pd.NA else tuple(v) for v in values]
    missing = column.isna().to_numpy()
    if inner is int:
        return [None if m else int(v) for v, m in zip(values, missing, strict=True)]
    if missing.any():
        return [None if m else v for v, m in zip(values, missing, strict=True)]
    return values


def lazy_fields(hints: dict[str, Any]) -> list[str]:
    """The fields of :class:`~dashboard.gazetteer.Place` holding a shape or a tuple: made
    as needed, where they are stored one per row (see :func:`frames.read_frame`)."""
    return [f.name for f in fields(Place)
            if (inner := _inner(hints[f.name])[0]) is BaseGeometry or get_origin(inner) is tuple]


class AddedPlaces(Mapping[str, Place]):
    """The gazetteer's places by id: ``base``'s, then the rows of ``table`` (a column per
    field of :class:`~dashboard.gazetteer.Place`, typed by ``hints``)."""

    def __init__(self, base: Mapping[str, Place], table: pd.DataFrame, hints: dict[str, Any]):
        self._base = base
        self._fields = [(f.name, hints[f.name]) for f in fields(Place)]
        self._columns = [table[name].array for name, _ in self._fields]
        self._table = table
        self._ids: list[str] = table["id"].tolist()
        self._rows = dict(zip(self._ids, range(len(self._ids)), strict=True))
        self._made: dict[str, Place] = {}

    def __getitem__(self, key: str) -> Place:
        if key in self._base:
            return self._base[key]
        place = self._made.get(key)
        if place is None:
            row = self._rows[key]
            place = Place(*(_one(column[row], hint) for column, (_, hint)
                            in zip(self._columns, self._fields, strict=True)))
            self._made[key] = place
        return place

    def __contains__(self, key: object) -> bool:
        return key in self._base or key in self._rows

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        yield from self._ids

    def __len__(self) -> int:
        return len(self._base) + len(self._ids)

    def values(self) -> ValuesView[Place]:
        """Every place, those not yet made made together, column by column."""
        if len(self._made) < len(self._ids):
            columns = [column_values(self._table[name], hint) for name, hint in self._fields]
            for key, row in zip(self._ids, zip(*columns, strict=True), strict=True):
                if key not in self._made:
                    self._made[key] = Place(*row)
        return super().values()

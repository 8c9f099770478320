"""Places made up for an imported file's coordinates, kept as a table, not as objects.

A file of a million events located by coordinates makes up hundreds of thousands of
places. They are one row each of :class:`PointPlaces`; a :class:`~dashboard.gazetteer.Place`
is built only when a renderer asks for one by id (the events drawn, a popup, an export).
:class:`ExtendedGazetteer` and :class:`PlaceRegions` show the gazetteer's own places and
these as one gazetteer and one mapping of regions.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd
from shapely.geometry import Point

from dashboard.gazetteer import IMPORTED, Gazetteer, Place

# One row per place: its id, name, other names (a tuple), precision in words and metres
# (NaN: not said), coordinates, where they come from, and its regions (a tuple of ids).
COLUMNS = ("id", "name", "alt_names", "precision", "precision_m", "longitude", "latitude",
           "source", "regions")
BUILT = 4096  # places kept once built


class PointPlaces:
    """Point places of imported coordinates, one row of ``table`` each (see
    :data:`COLUMNS`); ids are unique and none is the gazetteer's."""

    def __init__(self, table: pd.DataFrame):
        self.table = table[list(COLUMNS)].reset_index(drop=True)
        self._index: pd.Index | None = None
        self._arrays: dict[str, np.ndarray] = {}
        self._built: dict[str, Place] = {}

    def __getstate__(self) -> dict:
        return {"table": self.table}  # the lookups are built again when needed

    def __setstate__(self, state: dict) -> None:
        self.table = state["table"]
        self._index, self._arrays, self._built = None, {}, {}

    def __len__(self) -> int:
        return len(self.table)

    @property
    def index(self) -> pd.Index:
        """The ids, for lookups (built when first needed)."""
        if self._index is None:
            self._index = pd.Index(self.table["id"].astype("str"))
        return self._index

    def positions(self, ids: pd.Series) -> np.ndarray:
        """The row of each of ``ids`` (-1 where it is not one of these places)."""
        own = self.table["id"].astype("str")
        codes, _ = pd.factorize(pd.concat([own, ids.astype("str")], ignore_index=True))
        found = np.asarray(codes[len(own):], dtype=np.int64)  # ids are unique: code = row
        found[found >= len(own)] = -1
        return found

    def _value(self, name: str, row: int) -> Any:
        """One value of a column (numpy and categorical columns read without pandas)."""
        if name not in self._arrays:
            column = self.table[name]
            if isinstance(column.dtype, pd.CategoricalDtype):
                self._arrays[name] = column.cat.codes.to_numpy()
                self._arrays[name + ":names"] = column.cat.categories.to_numpy(dtype=object)
            elif isinstance(column.dtype, np.dtype):
                self._arrays[name] = column.to_numpy()
            else:
                return column.iat[row]  # Arrow text: one value, not the whole column
        values, names = self._arrays[name], self._arrays.get(name + ":names")
        return values[row] if names is None else names[values[row]]

    def __contains__(self, place_id: object) -> bool:
        return len(self.table) > 0 and place_id in self.index

    def _row(self, place_id: str) -> int:
        if place_id not in self:
            raise KeyError(place_id)
        return cast(int, self.index.get_loc(place_id))  # ids are unique: one row

    def regions(self, place_id: str) -> tuple[str, ...]:
        """The region ids of one place."""
        return self._value("regions", self._row(place_id))

    def place(self, place_id: str) -> Place:
        """One place, built from its row."""
        built = self._built.get(place_id)
        if built is None:
            built = self._place(self._row(place_id), place_id)
            if len(self._built) >= BUILT:
                self._built.clear()
            self._built[place_id] = built
        return built

    def _place(self, row: int, place_id: str | None = None) -> Place:
        value = self._value
        lon, lat = float(value("longitude", row)), float(value("latitude", row))
        metres = float(value("precision_m", row))
        name = str(value("name", row))
        return Place(
            id=place_id if place_id is not None else str(self.table["id"].iat[row]),
            name=name, display_name=name, alt_names=tuple(value("alt_names", row)),
            kind=IMPORTED, precision=str(value("precision", row)),
            precision_m=None if np.isnan(metres) else int(metres), country=None,
            source=str(value("source", row)), note="", anchor=(lon, lat),
            geometry=Point(lon, lat))

    def __iter__(self) -> Iterator[Place]:
        ids = self.table["id"].tolist()
        return (self._place(i, place_id) for i, place_id in enumerate(ids))

    @classmethod
    def concat(cls, parts: list[PointPlaces]) -> PointPlaces:
        """The places of several files; a place of two keeps the first one's row and the
        last one's regions."""
        tables = [p.table for p in parts if len(p.table)]
        if len(tables) <= 1:
            return next((p for p in parts if len(p.table)), parts[0])
        table = pd.concat(tables, ignore_index=True)
        last = table.drop_duplicates("id", keep="last").set_index("id")["regions"]
        table = table.drop_duplicates("id", keep="first").reset_index(drop=True)
        table["regions"] = last.reindex(table["id"]).to_numpy()
        return cls(table)


class ExtendedGazetteer(Gazetteer):
    """A gazetteer with the point places of imported files besides its own."""

    def __init__(self, base: Gazetteer, points: PointPlaces):
        super().__init__([])
        self.base, self.points = base, points
        self._places = base._places  # the gazetteer's own, shared, not copied
        self._whole: Gazetteer | None = None

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places or place_id in self.points

    def __getitem__(self, place_id: str) -> Place:
        place = self._places.get(place_id)
        return place if place is not None else self.points.place(place_id)

    def __iter__(self) -> Iterator[Place]:
        return itertools.chain(self._places.values(), self.points)

    def __len__(self) -> int:
        return len(self._places) + len(self.points)

    def on(self, place_id: str, when: date | None) -> Place:
        if place_id in self._places:
            return super().on(place_id, when)
        return self.points.place(place_id)  # imported points have no routes

    def named(self, name: str) -> tuple[Place, ...]:
        return self._all().named(name)

    def named_in(self, folded_text: str) -> list[Place]:
        return self._all().named_in(folded_text)

    def _all(self) -> Gazetteer:
        """Every place as objects: only for looking names up among imported points."""
        if self._whole is None:
            self._whole = Gazetteer(list(self))
        return self._whole


class PlaceRegions(Mapping[str, tuple[str, ...]]):
    """Region ids of the gazetteer's places and of imported point places, as one mapping."""

    def __init__(self, base: Mapping[str, tuple[str, ...]], points: PointPlaces):
        self.base, self.points = base, points

    def __getitem__(self, place_id: str) -> tuple[str, ...]:
        found = self.base.get(place_id)
        return found if found is not None else self.points.regions(place_id)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.base or place_id in self.points

    def __iter__(self) -> Iterator[str]:
        return itertools.chain(self.base, self.points.table["id"].tolist())

    def __len__(self) -> int:
        return len(self.base) + len(self.points)

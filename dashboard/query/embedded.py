"""The embedded store: the loaded events in memory, in date order, with the columns the
filters look at kept as arrays, so that selecting among a million events takes
milliseconds and copies nothing.

Repetitive columns (regions, search text, datasets) are held as codes into their distinct
values: a filter is decided once per distinct value, then looked up for every event.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from dashboard.filters import FilterState, date_order
from dashboard.gazetteer import fold
from dashboard.periods import opening_range
from dashboard.query.selection import EmbeddedSelection
from dashboard.query.store import Bounds
from dashboard.schema import CATEGORIES

SELECTIONS_KEPT = 16  # selections remembered per store (up to 4 MB each at 1M events)
LAYER_CODES = {c: i for i, c in enumerate(CATEGORIES)}


class Coded:
    """A column as integer codes into its distinct values; a value test runs per value."""

    def __init__(self, column: pd.Series):
        if isinstance(column.dtype, pd.CategoricalDtype):
            self.codes = column.cat.codes.to_numpy()
            self.values: list = list(column.cat.categories)
        else:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            self.codes, self.values = codes, list(uniques)

    def counts(self, positions: np.ndarray) -> dict[Any, int]:
        """How many of the rows at ``positions`` hold each value (every value named)."""
        found = np.bincount(self.codes[positions] + 1, minlength=len(self.values) + 1)
        return {v: int(n) for v, n in zip(self.values, found[1:], strict=True)}

    def where(self, test: Callable[[Any], bool]) -> np.ndarray:
        """A boolean per row: ``test`` of its value (missing values never pass)."""
        table = np.array([bool(test(v)) for v in self.values] + [False], dtype=bool)
        return table[self.codes]  # code -1 (missing) picks the last entry: False


def take(column: pd.Series, at: np.ndarray) -> pd.Series:
    """``column.iloc[at]``, taken from its array (quicker than through pandas' indexing);
    from an Arrow column of several chunks (a file read a part at a time) chunk by chunk,
    as pyarrow would first join every chunk into one copy."""
    at = np.asarray(at, dtype=np.int64)
    chunked = getattr(column.array, "__arrow_array__", lambda: None)()
    if not isinstance(chunked, pa.ChunkedArray) or chunked.num_chunks < 2 or not len(at):
        return column._constructor(column.array.take(at), index=column.index[at],
                                   name=column.name)
    lengths = np.array([len(c) for c in chunked.chunks], dtype=np.int64)
    at = np.where(at < 0, at + lengths.sum(), at)
    which = np.searchsorted(np.cumsum(lengths), at, side="right")
    order = np.argsort(which, kind="stable")  # by chunk, and in order within each
    starts = np.cumsum(lengths) - lengths
    pieces = [chunked.chunk(k).take(pa.array(at[order][which[order] == k] - starts[k]))
              for k in range(chunked.num_chunks)]
    joined = pa.concat_arrays(pieces).take(pa.array(np.argsort(order)))
    return pd.Series(pd.array(joined, dtype=column.dtype), index=column.index[at],
                     name=column.name)


def _ns(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype="datetime64[ns]").view(np.int64)


class EmbeddedStore:
    """The events of one dataset, answering :class:`~dashboard.filters.FilterState` s.

    Parameters
    ----------
    events
        The dataset's events (a GeoDataFrame whose geometry is each event's marker point);
        kept as they are; the store reads them in date order
        (:func:`~dashboard.filters.date_order`). Read-only.
    """

    def __init__(self, events: gpd.GeoDataFrame):
        self.events = events
        order = date_order(events)  # the table is not reordered: a copy of every column
        self.order = np.arange(len(events)) if order is None else order
        self.in_order = order is None  # the table itself is in date order

        def ordered(name: str) -> pd.Series:
            column = events[name]
            return column if order is None else column.iloc[order]

        self.start, self.end = _ns(ordered("start")), _ns(ordered("end"))
        self.category = pd.Categorical(ordered("category"), categories=list(CATEGORIES)
                                       ).codes.astype(np.int8)
        self.date_precision = Coded(ordered("date_precision"))
        self.precise = self.date_precision.where(lambda p: p == "day")
        points = shapely.get_coordinates(np.asarray(events.geometry.values))[self.order]
        self.lon, self.lat = points[:, 0].copy(), points[:, 1].copy()
        self._regions = Coded(ordered("regions"))
        self._search = Coded(ordered("search_text"))
        self._datasets = Coded(ordered("dataset")) if "dataset" in events else None
        self._kept: OrderedDict[FilterState, EmbeddedSelection] = OrderedDict()
        self._lock = threading.Lock()  # one store serves every session's thread
        self._ids: dict[str, int] | None = None
        self._names: list[str] | None = None
        self._columns: dict[str, pd.Series] = {}

    def rows(self, positions: np.ndarray | slice) -> gpd.GeoDataFrame:
        """The events at ``positions`` (in date order), every column."""
        return self.events.iloc[self.order[positions]]

    def column(self, name: str, positions: np.ndarray) -> pd.Series:
        """One column of the events at ``positions`` (in date order); ``geometry``: the
        marker points."""
        column = self._columns.get(name)
        if column is None:  # a view of the table's column, kept: made once, not per call
            column = self.events.geometry if name == "geometry" else self.events[name]
            self._columns[name] = column
        return take(column, self.order[positions])

    def __len__(self) -> int:
        return len(self.events)

    def mask(self, state: FilterState) -> np.ndarray:
        """Which events (in date order) ``state`` selects; as :func:`filters.selection_mask`."""
        keep = np.isin(self.category, [LAYER_CODES[c] for c in state.categories])
        if state.date_to is not None:
            keep &= self.start <= pd.Timestamp(state.date_to).value
        if state.date_from is not None:
            keep &= self.end >= pd.Timestamp(state.date_from).value
        if state.regions:
            wanted = set(state.regions)
            keep &= self._regions.where(lambda ids: not wanted.isdisjoint(ids))
        words = fold(state.search).split()
        if words:
            keep &= self._search.where(lambda text: all(w in text for w in words))
        if state.precise_only:
            keep &= self.precise
        if state.datasets and self._datasets is not None:
            wanted_sets = set(state.datasets)
            keep &= self._datasets.where(lambda name: name in wanted_sets)
        return keep

    def select(self, state: FilterState) -> EmbeddedSelection:
        """The events ``state`` selects, in date order (the last few states remembered)."""
        with self._lock:
            found = self._kept.get(state)
            if found is not None:
                self._kept.move_to_end(state)
                return found
        positions = np.flatnonzero(self.mask(state))
        selection = EmbeddedSelection(self, positions.astype(np.int32) if len(self) < 2**31
                              else positions)  # half the memory
        with self._lock:
            self._kept[state] = selection
            while len(self._kept) > SELECTIONS_KEPT:
                self._kept.popitem(last=False)
        return selection

    def span(self) -> tuple[date, date] | None:
        """The first day an event starts and the last day one covers; None when empty."""
        if not len(self):
            return None
        return (pd.Timestamp(int(self.start.min())).date(),
                pd.Timestamp(int(self.end.max())).date())

    def opening(self, first: date, last: date) -> tuple[date, date]:
        """The range the page opens on (:func:`dashboard.periods.opening_range`)."""
        return opening_range(self.events, first, last)

    def extent(self) -> Bounds | None:
        """The events' own region (:func:`dashboard.export.extent.events_extent`)."""
        from dashboard.export.extent import events_extent  # the exports import this module

        return events_extent(self.events)

    def datasets(self) -> list[str]:
        """The names of the datasets, in the order the table first holds them."""
        if self._names is None:  # once: every rerun asks
            self._names = ([str(name) for name in pd.unique(self.events["dataset"])]
                           if "dataset" in self.events else [])
        return list(self._names)

    def position(self, event_id: str) -> int | None:
        """Where the event ``event_id`` is in date order (None when there is none)."""
        if self._ids is None:
            ids = self.events["event_id"].to_numpy()[self.order]
            self._ids = {e: i for i, e in enumerate(ids)}
        return self._ids.get(event_id)

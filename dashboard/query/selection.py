"""The events a filter state selects: positions into the store's date-ordered table,
turned into rows only as far as a caller needs them (a page, a few columns, what is in the
map's view)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.aggregate import MAX_EVENTS, aggregate
from dashboard.query.store import Bounds, drawn
from dashboard.schema import CATEGORIES
from dashboard.timeline import REPORTED, count_bins, displacement_reports

if TYPE_CHECKING:
    from dashboard.query.embedded import EmbeddedStore

LAYERS = list(CATEGORIES)


class EmbeddedSelection:
    """Some of a store's events, in date order (by start, then id). Read-only.

    ``len()`` counts them; :meth:`frame`, :meth:`rows` (a page) and :meth:`columns` give
    rows.
    """

    def __init__(self, store: EmbeddedStore, positions: np.ndarray):
        self.store = store
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def empty(self) -> bool:
        return len(self.positions) == 0

    @cached_property
    def key(self) -> str:
        """Names exactly these events (a digest of their positions), for cache keys."""
        return hashlib.blake2b(self.positions.tobytes(), digest_size=16).hexdigest()

    def _all(self) -> bool:
        return len(self.positions) == len(self.store)

    @cached_property
    def _frame(self) -> gpd.GeoDataFrame:
        store = self.store
        return store.events if self._all() and store.in_order else store.rows(self.positions)

    def frame(self) -> gpd.GeoDataFrame:
        """Every selected event with every column (made once; for exports and small sets)."""
        return self._frame

    def rows(self, start: int, count: int, names: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """``count`` events from the ``start``-th in date order (a slice of the selection),
        every column or only ``names``."""
        start = max(int(start), 0)
        at = self.positions[start:start + max(int(count), 0)]
        if names is not None:
            return EmbeddedSelection(self.store, at).columns(names)
        return self.store.rows(at)

    def position(self, event_id: str | None) -> int | None:
        """Where the selected event ``event_id`` is in date order; None when not selected."""
        position = None if event_id is None else self.store.position(event_id)
        if position is None:
            return None
        at = int(np.searchsorted(self.positions, position))
        return at if at < len(self) and self.positions[at] == position else None

    def columns(self, names: Sequence[str]) -> pd.DataFrame:
        """Only the columns ``names`` of the selected events (a GeoDataFrame when
        ``geometry`` is one of them)."""
        data = {n: self.store.column(n, self.positions) for n in names}
        if "geometry" in data:
            return gpd.GeoDataFrame(data, geometry="geometry", crs=self.store.events.crs)
        return pd.DataFrame(data)

    def where(self, keep: np.ndarray) -> EmbeddedSelection:
        """The selected events for which ``keep`` (one boolean per selected event) holds."""
        return EmbeddedSelection(self.store, self.positions[keep])

    @property
    def start(self) -> np.ndarray:
        """First days, as nanoseconds since 1970 (int64)."""
        return self.store.start[self.positions]

    @property
    def end(self) -> np.ndarray:
        """Last days covered, as nanoseconds since 1970 (int64)."""
        return self.store.end[self.positions]

    def overlapping(self, first: date | None, last: date | None) -> EmbeddedSelection:
        """The events whose span overlaps ``first``..``last`` (inclusive; None: open), as
        :func:`dashboard.filters.date_mask`."""
        keep = np.ones(len(self), dtype=bool)
        if last is not None:
            keep &= self.start <= pd.Timestamp(last).value
        if first is not None:
            keep &= self.end >= pd.Timestamp(first).value
        return self.where(keep)

    def aggregates(self, zoom: float) -> pd.DataFrame:
        """The events summed per map cell at ``zoom`` (:func:`dashboard.aggregate.aggregate`),
        from the store's arrays."""
        store, at = self.store, self.positions
        return aggregate(pd.DataFrame({
            "lat": store.lat[at], "lon": store.lon[at],
            "category": pd.Categorical.from_codes(store.category[at],
                                                  dtype=pd.CategoricalDtype(LAYERS)),
            "start": store.start[at].view("datetime64[ns]"),
            "end": store.end[at].view("datetime64[ns]")}), zoom)

    def span(self) -> tuple[date, date] | None:
        """The first day any selected event starts and the last day any covers."""
        if self.empty:
            return None
        return (pd.Timestamp(int(self.start.min())).date(),
                pd.Timestamp(int(self.end.max())).date())

    def precision_counts(self) -> dict[str, int]:
        """How many events each ``date_precision`` holds (those with none left out)."""
        counts = self.store.date_precision.counts(self.positions)
        return {str(k): v for k, v in counts.items() if v}

    def day_counts(self, start: date, end: date, unit: str) -> pd.DataFrame:
        """The timeline's bars: day-precision events per bin and layer
        (:func:`dashboard.timeline.binned_counts`)."""
        precise = self.store.precise[self.positions]
        return count_bins(self.start[precise].view("datetime64[ns]"),
                          self.store.category[self.positions][precise], start, end, unit)

    def reports(self) -> pd.DataFrame:
        """Reports of people crossing, in date order
        (:func:`dashboard.timeline.displacement_reports`)."""
        moved = self.where(self.store.category[self.positions] == LAYERS.index("displacement"))
        return displacement_reports(moved.columns(REPORTED))

    def layer_counts(self) -> dict[str, int]:
        """How many events each layer holds, every layer named."""
        counts = np.bincount(self.store.category[self.positions], minlength=len(CATEGORIES))
        return {c: int(n) for c, n in zip(CATEGORIES, counts, strict=True)}

    def _inside(self, bounds: Bounds, margin: float = 0.0) -> np.ndarray:
        south, west, north, east = bounds
        dlat, dlon = (north - south) * margin, (east - west) * margin
        lat, lon = self.store.lat[self.positions], self.store.lon[self.positions]
        return ((lat >= south - dlat) & (lat <= north + dlat)
                & (lon >= west - dlon) & (lon <= east + dlon))

    def in_bounds(self, bounds: Bounds, margin: float = 0.25) -> EmbeddedSelection:
        """The events whose marker lies in ``bounds`` widened by ``margin`` of its size on
        every side."""
        return self.where(self._inside(bounds, margin))

    def outside(self, bounds: Bounds) -> dict[str, int]:
        """Place names of the events whose marker lies outside ``bounds``, with counts, in
        the order the events first name them (as :func:`dashboard.export.extent.outside`)."""
        away = self.positions[~self._inside(bounds)]
        codes, names = pd.factorize(self.store.column("place_name", away))
        return {str(n): int(c) for n, c in zip(names, np.bincount(codes), strict=False)}

    def find(self, event_id: str | None) -> pd.DataFrame:
        """The selected event ``event_id`` as a one-row table (no rows when not selected)."""
        at = self.position(event_id)
        if at is None:
            return self.store.events.iloc[:0]
        position = int(self.positions[at])
        return self.store.rows(slice(position, position + 1))

    def for_map(self, bounds: Bounds | None,
                limit: int = MAX_EVENTS) -> tuple[str, EmbeddedSelection]:
        """What the map draws: ``("events", those in view)`` when few enough are selected or
        in view, else ``("aggregates", all selected)`` to be summed per cell
        (:func:`dashboard.query.store.drawn`)."""
        return cast(tuple[str, EmbeddedSelection], drawn(self, bounds, limit))

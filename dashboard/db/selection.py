"""The events a filter state selects in the database: conditions on the ``events`` table,
asked only for what the page shows (a count per layer, a page of rows, a few columns, what
is in the map's view, the timeline's bars), each answered by one query.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
from psycopg import sql

from dashboard.aggregate import MAX_EVENTS
from dashboard.db import pages
from dashboard.db.cells import cells
from dashboard.db.frames import (
    FRAME_COLUMNS,
    Context,
    expressions,
    needs_details,
    to_frame,
    unknown,
)
from dashboard.db.where import (
    DATE_ORDER,
    Condition,
    Where,
    bounds_conditions,
    date_conditions,
    tables,
)
from dashboard.query.store import Bounds, drawn
from dashboard.schema import CATEGORIES
from dashboard.timeline import REPORTED, count_bins, displacement_reports

if TYPE_CHECKING:
    from dashboard.db.store import PostgisStore

LAYERS = list(CATEGORIES)
ANSWERS_KEPT = 16  # per selection
MAX_CELLS_KEPT = 400_000  # rows times columns of one answer kept (100,000 rows of 4 columns)
# What find answers for no event, made once (asked on every rerun): shared, read-only.
NONE_FOUND = to_frame(FRAME_COLUMNS, [], Context({}, None))


@dataclass(frozen=True)
class Summary:
    """What one scan of a selection tells: counts per layer (every layer named) and per
    date precision, the span of its dates, and the key naming its events."""

    layers: dict[str, int]
    precisions: dict[str, int]
    span: tuple[date, date] | None
    key: str


class PostgisSelection:
    """Some of the database's events, in date order (by start, then id). Read-only.

    Made for one data version: :attr:`key` names it, and the store makes new selections once
    the data change.
    """

    def __init__(self, store: PostgisStore, where: Where, version: int):
        self.store = store
        self.where = where
        self.version = version
        # Answers kept once asked. Not functools.cached_property: on Python 3.11 its lock is
        # shared by every instance, so one session's query would wait for another's.
        self._counted: Summary | None = None
        self._rows_all: gpd.GeoDataFrame | None = None
        self._answers: dict[tuple, Any] = {}  # what a rerun asks again: a page, cells...
        self._lock = threading.Lock()

    def _kept(self, key: tuple, answer: Callable[[], Any], cells: int | None = 0) -> Any:
        """``answer()``, kept for the next rerun asking the same (at most
        :data:`ANSWERS_KEPT` answers; none over :data:`MAX_CELLS_KEPT` table cells, unless
        ``cells`` is None: not a table)."""
        if key in self._answers:
            return self._answers[key]
        found = answer()
        if cells is None or len(found) * max(cells, 1) <= MAX_CELLS_KEPT:
            with self._lock:  # sessions share selections: one change of the dict at a time
                while len(self._answers) >= ANSWERS_KEPT:
                    self._answers.pop(next(iter(self._answers)), None)
                self._answers[key] = found
        return found

    def fetch(self, head: str, tail: str = "", more: Sequence[Condition] = (),
              params: Sequence[Any] = (), head_params: Sequence[Any] = (),
              details: bool = False) -> list[tuple[Any, ...]]:
        """``SELECT head FROM … WHERE (these conditions and more) tail``: ``head`` and
        ``tail`` are constant text; every value is a parameter, those of ``head`` first.
        ``details``: ``event_details t`` is joined too; ``datasets d`` is joined only when
        ``head`` or a condition names it."""
        where = self.where.having(more)
        query = sql.SQL("SELECT {} {} WHERE {} {}").format(
            sql.SQL(head), tables(head, where, details), where.sql, sql.SQL(tail))
        return self.store.database.fetch(query, [*head_params, *where.params, *params])

    @property
    def _summary(self) -> Summary:
        if self._counted is None:
            self._counted = self._count()
        return self._counted

    def _count(self) -> Summary:
        """One scan for the counts per layer and date precision, the span and a digest
        naming the set: the data version, the count and two 64-bit XORs of hashes of the
        row ids (independent seeds)."""
        rows = self.fetch("e.category, e.date_precision, count(*), "
                          "bit_xor(hashint8extended(e.id, 1)), "
                          "bit_xor(hashint8extended(e.id, 2)), min(e.start_day), "
                          "max(e.end_day)", "GROUP BY e.category, e.date_precision")
        layers = dict.fromkeys(LAYERS, 0)
        precisions: dict[str, int] = {}
        total, first, second = 0, 0, 0
        for category, precision, count, one, two, _, _ in rows:
            layers[category] += int(count)
            precisions[str(precision)] = precisions.get(str(precision), 0) + int(count)
            total, first, second = total + int(count), first ^ int(one), second ^ int(two)
        digest = hashlib.blake2b(f"{self.version}:{total}:{first}:{second}".encode(),
                                 digest_size=16).hexdigest()
        span = (min(r[5] for r in rows), max(r[6] for r in rows)) if rows else None
        return Summary(layers, precisions, span, digest)

    def __len__(self) -> int:
        return sum(self._summary.layers.values())

    @property
    def empty(self) -> bool:
        return len(self) == 0

    @property
    def key(self) -> str:
        """Names exactly these events (a digest of the data version and their row ids)."""
        return self._summary.key

    def layer_counts(self) -> dict[str, int]:
        """How many events each layer holds, every layer named."""
        return dict(self._summary.layers)

    def _rows(self, names: Sequence[str], tail: str = "", more: Sequence[Condition] = (),
              params: Sequence[Any] = ()) -> pd.DataFrame:
        missing = unknown(names)
        if missing:
            raise KeyError(f"not a column of the events: {', '.join(missing)}")
        head = ", ".join(expressions(names))
        rows = self.fetch(head, f"{DATE_ORDER} {tail}", more, params,
                          details=needs_details(names))
        return to_frame(names, rows, self.store.context(names))

    def frame(self) -> gpd.GeoDataFrame:
        """Every selected event with every column (made once; for exports and small sets)."""
        if self._rows_all is None:
            self._rows_all = self._rows(FRAME_COLUMNS)
        return self._rows_all

    def rows(self, start: int, count: int, names: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """``count`` events from the ``start``-th in date order, every column or only
        ``names`` (:func:`dashboard.db.pages.page`; kept: asked again every rerun)."""
        wanted = FRAME_COLUMNS if names is None else list(names)
        start, count = max(int(start), 0), max(int(count), 0)
        return self._kept(("rows", start, count, *([] if names is None else wanted)),
                          lambda: pages.page(self, wanted, start, count))

    def position(self, event_id: str | None) -> int | None:
        """Where the selected event ``event_id`` is in date order (one query, kept); None
        when it is not selected."""
        if event_id is None or "\x00" in event_id:  # no id holds NUL
            return None
        return self._kept(("position", event_id),
                          lambda: pages.position(self, event_id), cells=None)

    def columns(self, names: Sequence[str]) -> pd.DataFrame:
        """Only the columns ``names`` of the selected events (a GeoDataFrame when
        ``geometry`` is one of them)."""
        return self._kept(("columns", *names), lambda: self._rows(list(names)), len(names))

    def find(self, event_id: str | None) -> pd.DataFrame:
        """The selected event ``event_id`` as a one-row table (no rows when not selected)."""
        if event_id is None or "\x00" in event_id:  # no id holds NUL
            return NONE_FOUND
        return self._kept(("find", event_id), lambda: self._rows(
            FRAME_COLUMNS, "LIMIT 1", [("e.uid = %s", (event_id,))]))

    def _narrowed(self, more: Sequence[Condition]) -> PostgisSelection:
        """A selection of these events, kept: the map's view and playback's step are
        asked again on every rerun."""
        return self._kept(("narrowed", *more), lambda: PostgisSelection(
            self.store, self.where.having(more), self.version), cells=None)

    def overlapping(self, first: date | None, last: date | None) -> PostgisSelection:
        """The events whose span overlaps ``first``..``last`` (inclusive; None: open)."""
        return self._narrowed(date_conditions(first, last, self.store.longest()))

    def in_bounds(self, bounds: Bounds, margin: float = 0.25) -> PostgisSelection:
        """The events whose marker lies in ``bounds`` widened by ``margin`` of its size on
        every side."""
        return self._narrowed(bounds_conditions(bounds, margin))

    def for_map(self, bounds: Bounds | None,
                limit: int = MAX_EVENTS) -> tuple[str, PostgisSelection]:
        """``("events", those in view)`` when few enough are selected or in view, else
        ``("aggregates", all selected)`` (:func:`dashboard.query.store.drawn`)."""
        return cast(tuple[str, PostgisSelection], drawn(self, bounds, limit))

    def outside(self, bounds: Bounds) -> dict[str, int]:
        """Place names of the events whose marker lies outside ``bounds``, with counts, in
        the order the events first name them (as :func:`dashboard.export.extent.outside`)."""
        south, west, north, east = (float(v) for v in bounds)
        return self._kept(("outside", south, west, north, east),
                          lambda: self._outside(south, west, north, east))

    def _outside(self, south: float, west: float, north: float, east: float
                 ) -> dict[str, int]:
        away = self.store.away((south, west, north, east))  # a few, listed once per version
        if away is not None and not away:
            return {}
        more: list[Condition] = (
            [("e.id = ANY(%s)", (away,))] if away is not None else
            [("NOT (e.lat BETWEEN %s AND %s AND e.lon BETWEEN %s AND %s)",
              (south, north, west, east))])
        rows = self.fetch(
            "place_name, count(*) FROM (SELECT e.place_name, row_number() OVER "
            "(ORDER BY e.start_day, e.uid, e.id) AS n", ") away GROUP BY place_name "
            "ORDER BY min(n)", more)
        return {str(name): int(count) for name, count in rows}

    def precision_counts(self) -> dict[str, int]:
        """How many events each ``date_precision`` holds (those with none left out)."""
        return dict(self._summary.precisions)

    def span(self) -> tuple[date, date] | None:
        """The first day any selected event starts and the last day any covers."""
        return self._summary.span

    def day_counts(self, start: date, end: date, unit: str) -> pd.DataFrame:
        """The timeline's bars: day-precision events per bin and layer, counted per day and
        layer in the database (:func:`dashboard.timeline.binned_counts`)."""
        return self._kept(("days", start, end, unit),
                          lambda: self._day_counts(start, end, unit))

    def _day_counts(self, start: date, end: date, unit: str) -> pd.DataFrame:
        rows = self.fetch("e.start_day - DATE '1970-01-01', e.category, count(*)",
                           "GROUP BY e.start_day, e.category",
                           [("e.date_precision = 'day'", ()),
                            ("e.start_day BETWEEN %s AND %s", (start, end))])
        days, layers, counts = (list(c) for c in zip(*rows, strict=True)) if rows else (
            [], [], [])
        number = {layer: i for i, layer in enumerate(LAYERS)}
        return count_bins(np.array(days, dtype=np.int64).astype("datetime64[D]"),
                          np.array([number[c] for c in layers], dtype=np.int64), start, end,
                          unit, weights=np.array(counts, dtype=np.int64))

    def reports(self) -> pd.DataFrame:
        """Reports of people crossing, in date order
        (:func:`dashboard.timeline.displacement_reports`)."""
        return self._kept(("reports",), lambda: displacement_reports(self._rows(
            REPORTED, more=[("e.category = 'displacement' AND e.displaced IS NOT NULL", ())])))

    def aggregates(self, zoom: float) -> pd.DataFrame:
        """The events summed per grid cell at ``zoom`` in the database: the table
        :func:`dashboard.aggregate.aggregate` makes of their markers, layers and dates."""
        return self._kept(("cells", int(zoom)), lambda: cells(self, zoom))

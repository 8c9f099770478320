"""What every store answers: the calls the page makes, whatever holds the events.

The embedded store (:class:`~dashboard.query.embedded.EmbeddedStore`) answers from memory;
a database store answers the same calls with queries. Selections are read-only and in date
order (by start, then id).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

import geopandas as gpd
import pandas as pd

from dashboard.aggregate import needs_aggregates
from dashboard.filters import FilterState

Bounds = tuple[float, float, float, float]  # south, west, north, east


class Selection(Protocol):
    """The events a filter state selects, and what the page asks of them."""

    @property
    def key(self) -> str:
        """Names exactly these events, for cache keys."""

    @property
    def empty(self) -> bool:
        """Whether no event is selected."""

    def __len__(self) -> int:
        """How many events are selected."""

    def frame(self) -> gpd.GeoDataFrame:
        """Every selected event with every column (for exports and small sets)."""

    def rows(self, start: int, count: int, names: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """``count`` events from the ``start``-th (from 0) in date order: a page of the
        table (fewer at the end, none past it); every column, or only ``names``."""

    def position(self, event_id: str | None) -> int | None:
        """Where the selected event ``event_id`` is in date order (its ``start`` for
        :meth:`rows`); None when it is not selected."""

    def columns(self, names: Sequence[str]) -> pd.DataFrame:
        """Only these columns of the selected events (``geometry``: the marker point)."""

    def find(self, event_id: str | None) -> pd.DataFrame:
        """The selected event ``event_id`` as a one-row table (none when not selected)."""

    def overlapping(self, first: date | None, last: date | None) -> Selection:
        """The events whose span overlaps ``first``..``last`` (a playback step)."""

    def in_bounds(self, bounds: Bounds, margin: float = 0.25) -> Selection:
        """The events whose marker lies in ``bounds``, widened by ``margin`` of its size."""

    def for_map(self, bounds: Bounds | None, limit: int = ...) -> tuple[str, Selection]:
        """``("events", those in view)`` when few enough, else ``("aggregates", all)``."""

    def outside(self, bounds: Bounds) -> dict[str, int]:
        """Place names of events whose marker lies outside ``bounds``, with counts."""

    def layer_counts(self) -> dict[str, int]:
        """How many events each layer holds, every layer named."""

    def precision_counts(self) -> dict[str, int]:
        """How many events each ``date_precision`` holds."""

    def span(self) -> tuple[date, date] | None:
        """The first day an event starts and the last day one covers; None when empty."""

    def day_counts(self, start: date, end: date, unit: str) -> pd.DataFrame:
        """The timeline's bars (:func:`dashboard.timeline.binned_counts`)."""

    def reports(self) -> pd.DataFrame:
        """Reports of people crossing (:func:`dashboard.timeline.displacement_reports`)."""

    def aggregates(self, zoom: float) -> pd.DataFrame:
        """The events summed per map cell at ``zoom`` (:func:`dashboard.aggregate.aggregate`)."""


class EventStore(Protocol):
    """The events of the data shown, answering filter states; and what the page takes
    from all of them: the slider's span, the range it opens on, the map's first view, the
    datasets and the count."""

    def __len__(self) -> int:
        """How many events the store holds."""

    def select(self, state: FilterState) -> Selection:
        """The events ``state`` selects."""

    def span(self) -> tuple[date, date] | None:
        """The first day an event starts and the last day one covers; None when empty."""

    def opening(self, first: date, last: date) -> tuple[date, date]:
        """The range the page opens on, within ``first``..``last``
        (:func:`dashboard.periods.opening_range`)."""

    def extent(self) -> Bounds | None:
        """The events' own region with a margin, far ones left out
        (:func:`dashboard.export.extent.events_extent` of every event); None when empty."""

    def datasets(self) -> list[str]:
        """The names of the datasets the events come from, in the order loaded."""


def drawn(selection: Selection, bounds: Bounds | None,
          limit: int) -> tuple[str, Selection]:
    """What the map draws of ``selection`` (every store's ``for_map``): ``("events", those
    in view)`` when few enough are selected or in view, else ``("aggregates", all)``."""
    if not needs_aggregates(len(selection), limit):
        return "events", selection
    if bounds is not None:
        near = selection.in_bounds(bounds)
        if not needs_aggregates(len(near), limit):
            return "events", near
    return "aggregates", selection

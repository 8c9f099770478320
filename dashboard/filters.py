"""The frozen filter state the UI reads from its widgets, and the filtering itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dashboard.gazetteer import fold
from dashboard.schema import CATEGORIES


@dataclass(frozen=True)
class FilterState:
    """What the user asked to see. Empty ``regions`` (``datasets``) means every one.

    Dates are inclusive; an event shows while its span overlaps them, so a nine-month
    blockade shows in any range inside it. ``precise_only`` keeps only the events dated
    to the day (see :func:`precise_mask`).
    """

    date_from: date | None = None
    date_to: date | None = None
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = field(default_factory=lambda: tuple(CATEGORIES))
    search: str = ""
    datasets: tuple[str, ...] = ()
    precise_only: bool = False

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError(f"date range ends ({self.date_to}) before it starts "
                             f"({self.date_from})")
        unknown = set(self.categories) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown categories: {', '.join(sorted(unknown))}")


def date_mask(events: pd.DataFrame, date_from: date | None, date_to: date | None) -> pd.Series:
    """Events whose ``start``..``end`` span overlaps the inclusive range."""
    mask = pd.Series(True, index=events.index)
    if date_to is not None:
        mask &= events["start"] <= pd.Timestamp(date_to)
    if date_from is not None:
        mask &= events["end"] >= pd.Timestamp(date_from)
    return mask


def precise_mask(events: pd.DataFrame) -> pd.Series:
    """Events dated to the day (``date_precision`` ``day``, spans of days included).

    Events known only to the month, the year or to "some day between two dates" (``range``)
    are not: they would show in any short range they merely might fall in.
    """
    return (events["date_precision"] == "day").astype(bool)


def region_mask(events: pd.DataFrame, regions: tuple[str, ...]) -> pd.Series:
    """Events that lie in any of ``regions`` (all events when none are chosen)."""
    if not regions:
        return pd.Series(True, index=events.index)
    wanted = set(regions)
    return events["regions"].map(lambda ids: not wanted.isdisjoint(ids)).astype(bool)


def search_mask(events: pd.DataFrame, query: str) -> pd.Series:
    """Events whose text and place names (any variant) contain every word of ``query``."""
    mask = pd.Series(True, index=events.index)
    for word in fold(query).split():
        mask &= events["search_text"].str.contains(word, regex=False)
    return mask


DATE_ORDER = ["start", "event_id"]  # how shown events are ordered


def date_order(events: pd.DataFrame) -> np.ndarray | None:
    """The rows of ``events`` in the order :func:`apply_filters` returns them (by start,
    then id), as positions; None when the table is in that order already."""
    start, ids = events["start"].to_numpy(), events["event_id"].to_numpy()
    tied = start[1:] == start[:-1]
    if (start[1:] >= start[:-1]).all() and (ids[1:][tied] >= ids[:-1][tied]).all():
        return None
    keys = pd.DataFrame({"start": start, "event_id": ids})  # two columns sorted, not all
    return keys.sort_values(DATE_ORDER, kind="stable").index.to_numpy()


def date_ordered(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` in the order :func:`apply_filters` returns them: by start, then id (the
    table itself when it is in that order already, as a cached import is)."""
    order = date_order(events)
    return events if order is None else events.iloc[order]


def selection_mask(events: pd.DataFrame, state: FilterState) -> pd.Series:
    """Which of ``events`` ``state`` selects."""
    mask = (
        date_mask(events, state.date_from, state.date_to)
        & region_mask(events, state.regions)
        & events["category"].isin(state.categories)
        & search_mask(events, state.search)
    )
    if state.precise_only:
        mask &= precise_mask(events)
    if state.datasets and "dataset" in events:
        mask &= events["dataset"].isin(state.datasets)
    return mask


def apply_filters(events: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """The events ``state`` selects, in date order."""
    return date_ordered(events[selection_mask(events, state)])

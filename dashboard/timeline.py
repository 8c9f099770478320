"""The timeline under the map: events per day, week or month by category, displacement
reports, selections.

No Streamlit here: the UI (``ui/timeline_view``) draws what these functions compute.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from dashboard.filters import precise_mask
from dashboard.playback import Frame
from dashboard.schema import CATEGORIES, DATE_PRECISIONS, FIGURE_QUALIFIERS

# The bars' bin by the length of the range: (bin, longest range in days it is used for).
BINS = (("day", 120), ("week", 731), ("month", None))
REPORTED = ["start", "category", "displaced", "figure_qualifier", "claimed_by", "source",
            "event_id", "date_precision"]  # what a report of people crossing shows
LAYERS = list(CATEGORIES)
ADJECTIVES = {"day": "daily", "week": "weekly", "month": "monthly"}


def choose_bin(start: date, end: date) -> str:
    """``day`` for ranges up to 120 days, ``week`` up to two years, ``month`` beyond.

    So that a bar stays a few pixels wide on a page-wide chart.
    """
    days = (end - start).days + 1
    return next(unit for unit, limit in BINS if limit is None or days <= limit)


def bin_first_day(days: pd.Series, unit: str) -> pd.Series:
    """The first day of each day's bin: itself, its week's Sunday, or its month's first."""
    if unit == "day":
        return days
    if unit == "week":  # Sunday-based, as Vega-Lite's week time unit
        return days - pd.to_timedelta((days.dt.day_of_week + 1) % 7, unit="D")
    if unit == "month":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    raise ValueError(f"unknown timeline bin {unit!r}; choose day, week or month")


def bin_label(first: date, unit: str) -> str:
    """``19 Sep 2023``, ``17–23 Sep 2023`` or ``September 2023``: the bin starting ``first``."""
    if unit == "month":
        return f"{first:%B %Y}"
    return Frame(first, first + timedelta(days=6 if unit == "week" else 0)).label


def daily_counts(events: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Day-precision events counted on the day they start, per category.

    The same as ``binned_counts(events, start, end, "day")`` without the ``bin`` column.
    """
    return binned_counts(events, start, end, "day").drop(columns="bin")


def binned_counts(events: pd.DataFrame, start: date, end: date, unit: str) -> pd.DataFrame:
    """Day-precision events counted in the day, week or month they start, per category.

    Parameters
    ----------
    events
        Events as :func:`dashboard.events.to_frame` makes them (``start``, ``category``,
        ``date_precision``).
    start, end
        Inclusive range of days counted; events starting outside it are left out.
    unit
        ``day``, ``week`` (Sunday to Saturday) or ``month``; see :func:`choose_bin`.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64, the bin's first day), ``category`` (id), ``label``, ``count``
        and ``bin`` (``17–23 Sep 2023``), one row per bin and category that has events, by
        date then in the order of ``CATEGORIES``.
    """
    precise = precise_mask(events).to_numpy(dtype=bool)
    layers = pd.Categorical(events["category"], categories=LAYERS).codes
    return count_bins(events["start"].to_numpy(dtype="datetime64[ns]")[precise],
                      layers[precise], start, end, unit)


def count_bins(starts: np.ndarray, layers: np.ndarray, start: date, end: date,
               unit: str, weights: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`binned_counts` of day-precision events given as arrays: their ``starts``
    (datetime64) and ``layers`` (indexes into ``CATEGORIES``), each standing for
    ``weights`` events (one each by default: a database gives counts per day and layer).
    Each distinct day is binned once, so a million events cost a few array passes."""
    days = starts.astype("datetime64[D]")
    keep = (days >= np.datetime64(start, "D")) & (days <= np.datetime64(end, "D"))
    distinct, day_of = np.unique(days[keep], return_inverse=True)
    firsts = bin_first_day(pd.Series(distinct.astype("datetime64[ns]")), unit).to_numpy()
    bins, bin_of = np.unique(firsts, return_inverse=True)
    table = np.bincount(bin_of[day_of] * len(LAYERS) + layers[keep],
                        weights=None if weights is None else weights[keep],
                        minlength=len(bins) * len(LAYERS)).reshape(len(bins), len(LAYERS))
    rows, columns = np.nonzero(table)  # by date, then in the order of CATEGORIES
    labels = np.array([bin_label(d, unit) for d in bins.astype("datetime64[D]").tolist()],
                      dtype=object)  # each bin's once
    return pd.DataFrame({
        "date": pd.to_datetime(bins[rows]).astype("datetime64[ns]"),
        "category": np.array(LAYERS, dtype=object)[columns],
        "label": np.array([c.label for c in CATEGORIES.values()], dtype=object)[columns],
        "count": table[rows, columns].astype(int),
        "bin": labels[rows]})


def undated_counts(found: Mapping[str, int]) -> dict[str, int]:
    """Of events counted per ``date_precision``, those known only to the month or year (or a
    range of days), by precision (zeros left out)."""
    return {p: int(found[p]) for p in DATE_PRECISIONS if p != "day" and found.get(p, 0)}


def undated_note(counts: Mapping[str, int], unit: str = "day") -> str:
    """``3 events known only to the month and 1 only to the year are not on the daily chart``.

    ``unit`` is the chart's bin (``day``, ``week`` or ``month``), which names the chart.
    """
    if not counts:
        return ""
    what = {"range": "a range of days"}
    parts = [f"{n} {'event' if n == 1 else 'events'} known only to "
             f"{what.get(p, f'the {p}')}" if i == 0 else f"{n} only to {what.get(p, f'the {p}')}"
             for i, (p, n) in enumerate(counts.items())]
    verb = "is" if sum(counts.values()) == 1 else "are"
    return " and ".join(parts) + f" {verb} not on the {ADJECTIVES[unit]} chart."


def report_label(people: int, qualifier: str, claimed_by: str) -> str:
    """``more than 68,000 — Document A, citing footnote [8]``."""
    words = " ".join(filter(None, (FIGURE_QUALIFIERS.get(qualifier, ""), f"{people:,}")))
    return f"{words} — {claimed_by}" if claimed_by else words


def displacement_reports(events: pd.DataFrame) -> pd.DataFrame:
    """One point per displacement event with a ``displaced`` figure, in date order.

    The figures are cumulative totals as each source reported them, so they are never
    summed: two documents may count the same people.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``people`` (int), ``qualifier``, ``claimed_by`` (falling back to the
        source), ``event_id``, ``date_precision`` and ``label``.
    """
    columns = ["date", "people", "qualifier", "claimed_by", "event_id", "date_precision",
               "label"]
    rows = events[(events["category"] == "displacement") & events["displaced"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    claimed = rows["claimed_by"].where(rows["claimed_by"] != "",
                                       rows["source"].str.split(":").str[0])
    reports = pd.DataFrame({
        "date": rows["start"].dt.normalize(),
        "people": rows["displaced"].astype(int),
        "qualifier": rows["figure_qualifier"],
        "claimed_by": claimed,
        "event_id": rows["event_id"],
        "date_precision": rows["date_precision"],
    })
    reports["label"] = [report_label(p, q, c) for p, q, c in zip(
        reports["people"], reports["qualifier"], reports["claimed_by"], strict=True)]
    return reports.sort_values(["date", "event_id"], kind="stable")[columns].reset_index(
        drop=True)


def _to_day(value: object) -> date | None:
    """A selection bound (epoch milliseconds, ISO string or date) as a UTC day."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        stamp = pd.Timestamp(str(value))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
    return stamp.date()


def selected_interval(selection: object, name: str, first: date,
                      last: date) -> tuple[date, date] | None:
    """The days an x-interval selection spans, clipped to ``first``..``last``.

    ``selection`` is a chart's selection state, ``{"selection": {name: {field: [lo, hi]}}}``,
    the bounds epoch milliseconds or ISO strings. ``None`` when nothing usable is selected.
    """
    try:
        span = selection["selection"][name]  # type: ignore[index]
        bounds = next(iter(span.values()))
        low, high = (_to_day(v) for v in bounds)
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError):
        return None
    if low is None or high is None:
        return None
    low, high = sorted((low, high))
    low, high = max(low, first), min(high, last)
    return (low, high) if low <= high else None

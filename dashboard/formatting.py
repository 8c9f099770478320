"""Human-readable dates and figures, shared by popups, the table and exports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from dashboard.schema import FIGURE_COLUMNS, FIGURE_QUALIFIERS


def format_day(day: date, precision: str = "day") -> str:
    """``19 Sep 2023``, ``December 2022`` or ``2023`` by precision."""
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%b %Y')}"


PRECISION_WORDS = {"day": "day", "month": "month only", "year": "year only",
                   "range": "some day in a range"}


def format_precision(precision: str) -> str:
    """``month only``: how precisely a date is known, for the table's column."""
    return PRECISION_WORDS.get(precision, precision)


def format_when(start: date, end: date | None, precision: str, time: str = "") -> str:
    """The date of an event as a reader should see it, precision included.

    >>> format_when(date(2022, 12, 1), date(2023, 9, 28), "month")
    'December 2022 – 28 Sep 2023 (start known to the month)'
    """
    if precision == "range" and end:
        return f"some day {format_day(start)} – {format_day(end)} (date known to a range)"
    text = format_day(start, precision)
    if time:
        text += f", {time} local time"
    if end and end != start:
        text += f" – {format_day(end)}"
    if precision != "day":
        text += f" ({'start known' if end and end != start else 'known'} to the {precision})"
    return text


def format_figures(row: dict) -> str:
    """``at least 200 killed, at least 400 injured``; empty when the row has no figure."""
    qualifier = FIGURE_QUALIFIERS.get(row.get("figure_qualifier") or "", "")
    parts = []
    for column in FIGURE_COLUMNS:
        value = row.get(column)
        if value is None or pd.isna(value) or value == "":
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        parts.append(" ".join(filter(None, (qualifier, f"{number:,}", column))))
    return ", ".join(parts)


def figures_column(fields: Mapping[str, list]) -> list[str]:
    """Each row's figures (:func:`format_figures`) from the columns ``fields`` (lists of
    the figures and ``figure_qualifier``), made only for rows that have one."""
    columns = [[None if v is pd.NA else v for v in fields[c]] for c in FIGURE_COLUMNS]
    return [format_figures(dict(zip(FIGURE_COLUMNS, values, strict=True),
                                figure_qualifier=qualifier))
            if any(v is not None for v in values) else ""
            for *values, qualifier in zip(*columns, fields["figure_qualifier"], strict=True)]


def days(values: pd.Series) -> list[date]:
    """The days of a column of timestamps, as ``datetime.date`` objects (quicker than
    Timestamps, and all a date shows)."""
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").tolist()

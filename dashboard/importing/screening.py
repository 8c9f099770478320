"""Which mapped rows the schema's checks find nothing wrong with, found for whole columns.

:func:`~dashboard.validation.check_row` is run once for each distinct combination of the
values each of its checks reads (dates, figures), on a row that is otherwise good; the
text, places, layer and type are looked up once per distinct value. A row all of whose
parts pass has no problem at all; every other row is checked by ``check_row`` itself, so
its problems, their wording and order are the schema's own.
"""

from __future__ import annotations

from collections.abc import Container

import numpy as np
import pandas as pd

from dashboard.importing.arrow_text import as_text
from dashboard.importing.columns import flags
from dashboard.schema import CATEGORIES, COLUMNS, EVENT_TYPES, REQUIRED_TEXT
from dashboard.validation import DateRange, Problem, check_row

DATES = ("date_start", "date_end", "date_precision", "time")
FIGURES = ("killed", "injured", "displaced", "figure_qualifier", "claimed_by")


def _good_row(dates: DateRange) -> dict[str, str]:
    """A row with nothing wrong with it, dated on the first day ``dates`` allow."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(event_id="x", date_start=str(dates.first), date_precision="day",
               place_id="x", category=next(iter(CATEGORIES)), event_type=next(iter(EVENT_TYPES)),
               title="x", source="x", quote="x")
    return row


def nonblank(column: pd.Series) -> np.ndarray:
    """Whether each value has a character that is not white space (``str.strip``'s)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return flags(lambda v: bool(v.strip()), column)
    text = as_text(column)
    found = np.array(text.str.contains("[0-9A-Za-z]", regex=True), dtype=bool)
    rest = np.flatnonzero(~found)  # no ASCII letter or digit: ask Python
    found[rest] = [bool(v.strip()) for v in text.iloc[rest].tolist()]
    return found


def passes(frame: pd.DataFrame, made_here: np.ndarray, gazetteer: Container[str],
           dates: DateRange) -> np.ndarray:
    """Rows of ``frame`` (the schema's columns) in which ``check_row`` finds no problem.

    ``made_here``: rows whose place was just made up or found for their coordinates (so
    known); other place ids must be the gazetteer's.
    """
    good = _good_row(dates)
    if check_row(good, 0, {"x"}, dates):  # cannot happen; then every row is checked
        return np.zeros(len(frame), dtype=bool)

    def fine(**values: str) -> bool:
        return not check_row({**good, **values}, 0, {"x"}, dates)

    ok = np.ones(len(frame), dtype=bool)
    for column in (*REQUIRED_TEXT, "quote"):
        ok &= nonblank(frame[column])
    ok &= flags(lambda *v: fine(**dict(zip(DATES, v, strict=True))), *(frame[c] for c in DATES))
    ok &= flags(lambda *v: fine(**dict(zip(FIGURES, v, strict=True))),
                *(frame[c] for c in FIGURES))
    ok &= flags(lambda v: v in CATEGORIES, frame["category"])
    ok &= flags(lambda v: v in EVENT_TYPES, frame["event_type"])
    elsewhere = np.flatnonzero(~made_here)
    ok[elsewhere] &= flags(lambda v: v in gazetteer, frame["place_id"].iloc[elsewhere])
    ok &= flags(lambda a, b: (not a and not b) or (a in gazetteer and b in gazetteer),
                frame["origin_place_id"], frame["destination_place_id"])
    return ok


class Known:
    """Place ids known when a row is checked: the gazetteer's, and those made up for rows
    up to and including that row's line."""

    def __init__(self, gazetteer: Container[str], made: pd.Series, line: int = 0):
        self.gazetteer, self.made, self.line = gazetteer, made, line  # made: id -> first line

    def __contains__(self, place_id: object) -> bool:
        if place_id in self.gazetteer:
            return True
        first = self.made.get(place_id)
        return first is not None and first <= self.line


def check_rows(rows: list[dict[str, str]], lines: list[int], known: Known,
               dates: DateRange) -> list[list[Problem]]:
    """``check_row`` of each of ``rows``."""
    found = []
    for row, line in zip(rows, lines, strict=True):
        known.line = line
        found.append(check_row(row, line, known, dates))
    return found

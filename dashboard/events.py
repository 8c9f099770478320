"""The validated rows of an events file with their line numbers, and as a typed table.

Files are read and checked by :mod:`dashboard.importing`, whatever their format.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.validation import Problem, parse_date


@dataclass
class EventsFile:
    """The rows of an events file that passed validation, and every problem found."""

    path: Path
    rows: list[dict[str, str]]
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the file invalid (warnings excluded)."""
        return [p for p in self.problems if p.severity == "error"]


def effective_end(start: date, end: str, precision: str) -> date:
    """Last day an event covers: its end, or the end of its month or year."""
    if end:
        return parse_date(end)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return start


def to_frame(events: EventsFile) -> pd.DataFrame:
    """The valid rows as a typed table: ``start``/``end`` dates, integer figures, ``line``."""
    frame = pd.DataFrame(events.rows, columns=list(COLUMNS))
    starts = [parse_date(r["date_start"]) for r in events.rows]
    ends = [effective_end(s, r["date_end"], r["date_precision"])
            for s, r in zip(starts, events.rows, strict=True)]
    frame["start"] = pd.to_datetime(pd.Series(starts, dtype="object"))
    frame["end"] = pd.to_datetime(pd.Series(ends, dtype="object"))
    for column in FIGURE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    frame["line"] = events.lines
    return frame

"""The validated rows of an events file with their line numbers, and as a typed table.

Files are read and checked by :mod:`dashboard.importing`, whatever their format.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import cast

import pandas as pd

from dashboard.schema import COLUMNS
from dashboard.validation import Problem, parse_date


@dataclass
class EventsFile:
    """The rows of an events file that passed validation, and every problem found.

    ``table`` holds them as columns: the schema's, as text, and ``line``.
    """

    path: Path
    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0

    @property
    def rows(self) -> list[dict[str, str]]:
        """The valid rows, one dict of the schema's columns each."""
        return cast(list[dict[str, str]], self.table[list(COLUMNS)].to_dict("records"))

    @property
    def lines(self) -> list[int]:
        """The line of each valid row."""
        return self.table["line"].tolist()

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
    """The valid rows as a typed table: ``start``/``end`` dates, integer figures, ``line``
    (see :func:`dashboard.importing.typed.typed`)."""
    from dashboard.importing.typed import typed  # the importers use this module

    return typed(events.table)

"""How precisely events are dated: counts and the sentence the page shows with them.

An event is *precisely dated* when its date is known to the day (``date_precision`` ``day``,
spans of days such as a two-day offensive included). Events known only to the month or
the year, and imported events known only to "some day between two dates" (``range``), are
not: they overlap any short range they might fall in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

PRECISE = "day"
ROUGH = ("month", "year")  # known only to the month or year
HELP = ("Keep only events whose date is known to the day (spans of days included). Events "
        "known only to the month or year, or to some day between two dates, are left out; "
        "otherwise they show in every range they overlap.")


@dataclass(frozen=True)
class PrecisionCounts:
    """Events by how precisely they are dated."""

    day: int = 0
    month_or_year: int = 0
    range: int = 0  # "some day between two dates"

    @property
    def imprecise(self) -> int:
        """Events not dated to the day."""
        return self.month_or_year + self.range


def precision_counts(events: pd.DataFrame) -> PrecisionCounts:
    """Count ``events`` by ``date_precision``: day, month or year, range."""
    found = events["date_precision"].value_counts() if len(events) else pd.Series(dtype=int)
    return counted({str(k): int(v) for k, v in found.items()})


def counted(found: Mapping[str, int]) -> PrecisionCounts:
    """:class:`PrecisionCounts` of events counted per ``date_precision``."""
    return PrecisionCounts(day=int(found.get(PRECISE, 0)),
                           month_or_year=int(sum(found.get(p, 0) for p in ROUGH)),
                           range=int(found.get("range", 0)))


def _events(n: int) -> str:
    return f"{n} {'event' if n == 1 else 'events'}"


def precision_note(counts: PrecisionCounts, precise_only: bool = False) -> str:
    """``17 events dated to the day + 28 known only to the month or year``.

    Parameters
    ----------
    counts
        The events the filters select, the precision switch aside.
    precise_only
        Whether the imprecise ones are hidden: the note then says how many.

    Examples
    --------
    >>> precision_note(PrecisionCounts(day=1, month_or_year=1))
    '1 event dated to the day + 1 known only to the month or year'
    >>> precision_note(PrecisionCounts(day=17, month_or_year=28), precise_only=True)
    '17 events dated to the day; 28 known only to the month or year hidden'
    """
    if not counts.day and not counts.imprecise:
        return ""
    parts = [f"{counts.month_or_year} known only to the month or year"
             if counts.month_or_year else "",
             f"{counts.range} known only to a range of days" if counts.range else ""]
    rough = [p for p in parts if p]
    day = f"{_events(counts.day)} dated to the day"
    if not rough:
        return day
    if precise_only:
        return f"{day}; {' and '.join(rough)} hidden"
    return " + ".join([day, *rough])

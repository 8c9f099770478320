"""Playback through time: the steps of a date range and the events each step shows.

No Streamlit here: ``ui/playback_view`` keeps the current step and the timer.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

MODES = {
    "window": "Window",
    "cumulative": "Cumulative",
}
MODE_HELP = ("Window: only the events of the current step, and longer spans (such as the "
             "blockade) while they last. Cumulative: everything from the start of the date "
             "range up to the current step.")
STEPS = {1: "1 day", 2: "2 days", 7: "1 week", 28: "4 weeks"}
SPEEDS = {2.0: "Slow · 2 s", 1.0: "Normal · 1 s", 0.5: "Fast · ½ s"}  # per step


@dataclass(frozen=True)
class Frame:
    """One step of playback: the days ``first`` to ``last``, inclusive."""

    first: date
    last: date

    @property
    def label(self) -> str:
        """``24 Sep 2023`` for one day, ``24–30 Sep 2023`` or ``28 Sep – 4 Oct 2023``."""
        if self.first == self.last:
            return f"{self.first.day} {self.first:%b %Y}"
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first.day}–{self.last.day} {self.last:%b %Y}"
        if self.first.year == self.last.year:
            return f"{self.first.day} {self.first:%b} – {self.last.day} {self.last:%b %Y}"
        return f"{self.first.day} {self.first:%b %Y} – {self.last.day} {self.last:%b %Y}"


def frames(events: pd.DataFrame, date_from: date, date_to: date, step: int = 1,
           skip_empty: bool = False) -> list[Frame]:
    """The steps from ``date_from`` to ``date_to``, ``step`` days each (the last may be shorter).

    Parameters
    ----------
    events
        The events being played (``start`` column); only used with ``skip_empty``.
    date_from, date_to
        The inclusive date range played.
    step
        Days per step, at least 1.
    skip_empty
        Keep only the steps in which some event starts, and the first step, so a range of
        three years with thirty eventful days plays in about thirty steps.
    """
    if step < 1:
        raise ValueError(f"a playback step is at least one day, not {step}")
    if date_to < date_from:
        raise ValueError(f"the range ends ({date_to}) before it starts ({date_from})")
    count = (date_to - date_from).days // step + 1
    firsts = [date_from + timedelta(days=i * step) for i in range(count)]
    if skip_empty and not events.empty:
        starts = events["start"].dt.normalize()
        offsets = ((starts - pd.Timestamp(date_from)).dt.days // step).to_numpy(dtype=int)
        busy = np.unique(offsets[(offsets >= 0) & (offsets < count)])
        firsts = [firsts[i] for i in sorted({0, *busy.tolist()})]
    return [Frame(f, min(f + timedelta(days=step - 1), date_to)) for f in firsts]


def frame_index(steps: list[Frame], day: date | None) -> int | None:
    """The index of the step that holds ``day`` (or the last one starting before it)."""
    if day is None or not steps or day < steps[0].first:
        return None
    return bisect_right([f.first for f in steps], day) - 1


def moved(steps: list[Frame], day: date | None, delta: int) -> Frame | None:
    """The step ``delta`` steps after the one holding ``day``; None past either end.

    With no current step, moving forward starts at the first step and back at the last.
    """
    if not steps:
        return None
    index = frame_index(steps, day)
    if index is None:
        return steps[0] if delta >= 0 else steps[-1]
    target = index + delta
    return steps[target] if 0 <= target < len(steps) else None


def started_by(events: pd.DataFrame, day: date) -> pd.DataFrame:
    """What a cumulative map shows on ``day``: every event that has started by then.

    Events are added and never taken away: one with a span (the blockade, a month) stays
    after its end too. Playback's *cumulative* mode and the time-lapse GIF both show this.
    """
    return events[events["start"] <= pd.Timestamp(day)]


def step_window(frame: Frame, mode: str) -> tuple[date | None, date]:
    """The dates whose events a step shows: an event shows while its span overlaps them.

    ``window``: the step itself, so a blockade shows for as long as it lasts.
    ``cumulative``: everything up to the step's end, i.e. :func:`started_by` it (the caller
    has already filtered to the date range).
    """
    if mode == "window":
        return frame.first, frame.last
    if mode == "cumulative":
        return None, frame.last
    raise ValueError(f"unknown playback mode {mode!r}; choose {' or '.join(MODES)}")

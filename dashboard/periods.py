"""Named periods the source documents describe, offered as quick date presets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

GAP = timedelta(days=365)  # a quieter stretch longer than this separates two episodes


@dataclass(frozen=True)
class Period:
    """A preset date range and why it has these bounds."""

    id: str
    label: str
    start: date | None  # None: the start of the data
    end: date | None  # None: the end of the data
    basis: str


PERIODS: tuple[Period, ...] = (
    Period("everything", "Everything", None, None, "The whole span of the loaded events."),
    Period("blockade", "Blockade", date(2022, 12, 1), date(2023, 9, 28),
           "December 2022 ('since December 2022') to 28 Sept 2023, the 'as of' date of "
           "the later document."),
    Period("offensive", "Offensive", date(2023, 9, 19), date(2023, 9, 20),
           "19-20 Sept 2023: from about 1 pm on the 19th to the capitulation about 1 pm on "
           "the 20th."),
    Period("exodus", "Exodus", date(2023, 9, 24), date(2023, 9, 28),
           "24-28 Sept 2023: the first group crossing on the 24th to the count 'as of "
           "September 28, at noon'."),
)


def period_range(period: Period, data_start: date, data_end: date) -> tuple[date, date]:
    """The period's bounds, clipped to the data's span."""
    start = max(period.start or data_start, data_start)
    end = min(period.end or data_end, data_end)
    return (start, end) if start <= end else (data_start, data_end)


def opening_range(events: pd.DataFrame, data_start: date, data_end: date) -> tuple[date, date]:
    """The range the page opens on: the episode holding most events, in whole years.

    Events (``start``..``end``, in date order) are split into episodes wherever more than a
    year passes with no event under way; the episode with the most events is widened to
    whole calendar years and clipped to ``data_start``..``data_end``. Background events
    years before the rest (a 1991 referendum) then stay one click away, under
    *Everything*, instead of squeezing the busy years into a few pixels. For the bundled
    documents this is 1 January 2022 to 31 December 2023 (some events are dated "2023").
    """
    if events.empty:
        return data_start, data_end
    ordered = events.sort_values("start", kind="stable")
    reach = ordered["end"].cummax().shift()  # the latest end of the events before each
    episode = (ordered["start"] - reach > pd.Timedelta(GAP)).cumsum()
    sizes = episode.value_counts(sort=False).sort_index()
    busiest = sizes.index[::-1][int(sizes.to_numpy()[::-1].argmax())]  # ties: the later one
    members = ordered[episode == busiest]
    return widened((members["start"].min().date(), members["end"].max().date()),
                   data_start, data_end)


def widened(episode: tuple[date, date] | None, data_start: date,
            data_end: date) -> tuple[date, date]:
    """The busiest ``episode`` (its first start and last end) widened to whole calendar
    years and clipped to ``data_start``..``data_end``: the range the page opens on
    (:func:`opening_range`; a database computes the episode itself). None: the whole span.
    """
    if episode is None:
        return data_start, data_end
    start = max(date(episode[0].year, 1, 1), data_start)
    end = min(date(episode[1].year, 12, 31), data_end)
    return (start, end) if start <= end else (data_start, data_end)

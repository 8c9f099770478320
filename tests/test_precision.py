"""How precisely events are dated: the counts the page shows, and the range it opens on."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import FilterState, apply_filters
from dashboard.periods import opening_range
from dashboard.precision import PrecisionCounts, precision_counts, precision_note
from tests.conftest import row


def test_counts_by_precision(make_dataset):
    events = make_dataset(
        row(event_id="d1"), row(event_id="d2", date_end="2023-09-20"),
        row(event_id="m", date_start="2023-09-01", date_precision="month", time=""),
        row(event_id="y", date_start="2023-01-01", date_precision="year", time="")).events
    assert precision_counts(events) == PrecisionCounts(day=2, month_or_year=2, range=0)
    assert precision_counts(events.iloc[:0]) == PrecisionCounts()


@pytest.mark.parametrize(("counts", "precise_only", "note"), [
    (PrecisionCounts(17, 28), False,
     "17 events dated to the day + 28 known only to the month or year"),
    (PrecisionCounts(1, 1), False, "1 event dated to the day + 1 known only to the month or year"),
    (PrecisionCounts(0, 3, 2), False, "0 events dated to the day + 3 known only to the month "
                                      "or year + 2 known only to a range of days"),
    (PrecisionCounts(17, 28), True,
     "17 events dated to the day; 28 known only to the month or year hidden"),
    (PrecisionCounts(5), False, "5 events dated to the day"),
    (PrecisionCounts(), False, ""),
])
def test_the_note_says_how_many_are_dated_to_the_day(counts, precise_only, note):
    assert precision_note(counts, precise_only) == note


def test_offensive_days_are_mostly_vaguely_dated_events(bundled):
    """The journalist's count: 45 events in two days, only 17 of them dated to those days."""
    shown = apply_filters(bundled.events, FilterState(date(2023, 9, 19), date(2023, 9, 20)))
    counts = precision_counts(shown)
    assert counts.day + counts.imprecise == len(shown)
    assert counts.day == len(apply_filters(
        bundled.events, FilterState(date(2023, 9, 19), date(2023, 9, 20), precise_only=True)))
    assert counts.imprecise > counts.day


def test_the_page_opens_on_the_documents_years(bundled):
    first, last = bundled.events["start"].min().date(), bundled.events["end"].max().date()
    assert opening_range(bundled.events, first, last) == (date(2022, 1, 1), date(2023, 12, 31))


def span(events):
    return events["start"].min().date(), events["end"].max().date()


def test_without_a_long_gap_the_page_opens_on_everything(make_dataset):
    events = make_dataset(row(event_id="a", date_start="2021-03-05"),
                          row(event_id="b", date_start="2022-02-01")).events
    assert opening_range(events, *span(events)) == span(events)


def test_the_busiest_episode_wins_and_is_widened_to_whole_years(make_dataset):
    events = make_dataset(
        row(event_id="old", date_start="2001-05-01"),
        row(event_id="a", date_start="2010-03-01", date_end="2012-06-01"),
        row(event_id="b", date_start="2013-04-01"),  # within a year of a's end: same episode
        row(event_id="late", date_start="2020-07-01")).events
    assert opening_range(events, *span(events)) == (date(2010, 1, 1), date(2013, 12, 31))


def test_of_two_equally_busy_episodes_the_later_one_opens(make_dataset):
    events = make_dataset(row(event_id="a", date_start="2001-05-01"),
                          row(event_id="b", date_start="2010-03-01")).events
    assert opening_range(events, *span(events)) == (date(2010, 1, 1), date(2010, 3, 1))

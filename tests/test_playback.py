"""Playback steps: how a date range is cut into steps and what each step shows."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.filters import FilterState
from dashboard.playback import Frame, frame_index, frames, moved, step_window
from dashboard.query import EmbeddedStore
from tests.conftest import row

FIRST, LAST = date(2023, 9, 18), date(2023, 9, 30)


@pytest.fixture
def loaded(make_dataset):
    """A nine-month span, two one-day events and one known only to the month."""
    return make_dataset(
        row(event_id="span", date_start="2022-12-12", date_end="2023-09-28",
            category="blockade", event_type="blockade"),
        row(event_id="d19", date_start="2023-09-19"),
        row(event_id="d24", date_start="2023-09-24", category="displacement", displaced="100",
            figure_qualifier="exact", claimed_by="Test",
            event_type="crossing"),
        row(event_id="sept", date_start="2023-09-01", date_precision="month",
            category="political", event_type="statement"),
    )


@pytest.fixture
def events(loaded) -> pd.DataFrame:
    assert not loaded.skipped, loaded.skipped
    return loaded.events


def visible(events: pd.DataFrame, frame: Frame, mode: str) -> pd.DataFrame:
    """The events a step shows, asked of the store as the page asks."""
    window = step_window(frame, mode)
    return EmbeddedStore(events).select(FilterState()).overlapping(*window).frame()


def test_one_step_per_day_covers_the_range(events):
    steps = frames(events, FIRST, LAST, 1)
    assert [f.first for f in steps] == [FIRST + timedelta(days=i) for i in range(13)]
    assert all(f.first == f.last for f in steps)


def test_longer_steps_end_at_the_range(events):
    steps = frames(events, FIRST, LAST, 7)
    assert steps == [Frame(date(2023, 9, 18), date(2023, 9, 24)),
                     Frame(date(2023, 9, 25), date(2023, 9, 30))]


def test_skipping_keeps_the_first_step_and_the_steps_where_something_starts(events):
    steps = frames(events, FIRST, LAST, 1, skip_empty=True)
    # The span and the month-precision event start before the range: only the first step.
    assert [f.first for f in steps] == [FIRST, date(2023, 9, 19), date(2023, 9, 24)]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2023, 9, 18), {"span", "sept"}),
    (date(2023, 9, 19), {"span", "sept", "d19"}),
    (date(2023, 9, 24), {"span", "sept", "d24"}),
    (date(2023, 9, 29), {"sept"}),  # the blockade span ended on the 28th
])
def test_window_shows_the_step_and_the_spans_still_running(events, day, expected):
    assert set(visible(events, Frame(day, day), "window")["event_id"]) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (date(2023, 9, 18), {"span", "sept"}),
    (date(2023, 9, 19), {"span", "sept", "d19"}),
    (date(2023, 9, 30), {"span", "sept", "d19", "d24"}),
])
def test_cumulative_shows_everything_started_by_the_step(events, day, expected):
    assert set(visible(events, Frame(day, day), "cumulative")["event_id"]) == expected


def test_a_week_window_shows_the_events_of_every_day_in_it(events):
    shown = visible(events, Frame(date(2023, 9, 18), date(2023, 9, 24)), "window")
    assert set(shown["event_id"]) == {"span", "sept", "d19", "d24"}


def test_moving_stops_at_either_end(events):
    steps = frames(events, FIRST, date(2023, 9, 20), 1)
    assert moved(steps, None, 1) == steps[0]
    assert moved(steps, None, -1) == steps[-1]
    assert moved(steps, FIRST, 1) == steps[1]
    assert moved(steps, date(2023, 9, 20), 1) is None
    assert moved(steps, FIRST, -1) is None


def test_a_day_inside_a_step_belongs_to_it(events):
    steps = frames(events, FIRST, LAST, 7)
    assert frame_index(steps, date(2023, 9, 27)) == 1
    assert frame_index(steps, date(2023, 9, 1)) is None


@pytest.mark.parametrize(("frame", "label"), [
    (Frame(date(2023, 9, 24), date(2023, 9, 24)), "24 Sep 2023"),
    (Frame(date(2023, 9, 24), date(2023, 9, 30)), "24–30 Sep 2023"),
    (Frame(date(2023, 9, 28), date(2023, 10, 4)), "28 Sep – 4 Oct 2023"),
    (Frame(date(2022, 12, 30), date(2023, 1, 5)), "30 Dec 2022 – 5 Jan 2023"),
])
def test_labels_say_which_days_a_step_holds(frame, label):
    assert frame.label == label


@pytest.mark.parametrize(("args", "message"), [
    ((FIRST, LAST, 0), "at least one day"),
    ((LAST, FIRST, 1), "before it starts"),
])
def test_impossible_steps_are_refused(events, args, message):
    with pytest.raises(ValueError, match=message):
        frames(events, *args)


def test_an_unknown_mode_is_refused(events):
    with pytest.raises(ValueError, match="window or cumulative"):
        visible(events, Frame(FIRST, FIRST), "sideways")

"""Playback through AppTest: play, ticks, the end, steps, and what each mode puts on the map."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import FilterState, apply_filters
from dashboard.ui.playback_view import DAY, DUE
from tests.conftest import drawn_ids
from tests.test_app import run_app
from tests.test_app_timeline import chart_data, ms

pytestmark = pytest.mark.app


def map_ids(at: AppTest) -> set[str]:
    """The event ids in the layers the app hands the map (streamlit-folium's arguments)."""
    [component] = at.get("component_instance")
    return drawn_ids(json.loads(component.proto.json_args)["feature_group"])


def shown_date(at: AppTest) -> str | None:
    """The large current date above the map, None when playback is off."""
    found = [m.value for m in at.markdown if 'role="status"' in m.value]
    return re.sub(r"<[^>]+>", "", found[0]) if found else None


def tick(at: AppTest) -> AppTest:
    """What the fragment's timer does: a rerun once the next step is due."""
    at.session_state[DUE] = 0.0
    return at.run()


@pytest.fixture
def exodus(monkeypatch) -> AppTest:
    """The Exodus period, played a day at a time without skipping quiet days."""
    at = run_app(monkeypatch)
    at.button(key="period_exodus").click().run()
    at.checkbox(key="play_skip").uncheck().run()
    assert not at.exception, at.exception
    return at


def days(at: AppTest) -> list[date]:
    first, last = at.slider(key="dates").value
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def label(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def window(events: pd.DataFrame, day: date) -> set[str]:
    """What the user expects in window mode: the events a one-day date range shows."""
    return set(apply_filters(events, FilterState(day, day))["event_id"])


def test_play_advances_one_step_per_tick_and_stops_at_the_end(exodus, bundled):
    steps = days(exodus)
    assert len(steps) >= 3
    assert shown_date(exodus) is None
    assert len(map_ids(exodus)) == int(exodus.metric[0].value)
    exodus.button(key="play_toggle").click().run()
    assert shown_date(exodus) == label(steps[0])
    assert exodus.button(key="play_toggle").label == "⏸ Pause"
    exodus.session_state[DUE] = float("inf")
    exodus.run()  # a rerun before the next step is due (a filter, a map move) stays put
    assert shown_date(exodus) == label(steps[0])
    for day in steps[1:]:
        tick(exodus)
        assert not exodus.exception, exodus.exception
        assert shown_date(exodus) == label(day)
        assert map_ids(exodus) == window(bundled.events, day)
    assert exodus.button(key="play_toggle").label == "▶ Play", "playback did not stop"
    assert exodus.button(key="play_forward").disabled
    tick(exodus)
    assert shown_date(exodus) == label(steps[-1])
    exodus.button(key="play_toggle").click().run()  # at the end, Play starts again
    assert shown_date(exodus) == label(steps[0])


def test_pause_holds_the_date(exodus):
    steps = days(exodus)
    exodus.button(key="play_toggle").click().run()
    tick(exodus)
    exodus.button(key="play_toggle").click().run()
    assert exodus.button(key="play_toggle").label == "▶ Play"
    tick(exodus)
    assert shown_date(exodus) == label(steps[1])


@pytest.mark.parametrize("offset", [0, 2, 4])
def test_window_and_cumulative_modes_show_the_right_events(exodus, bundled, offset):
    steps = days(exodus)
    day = steps[offset]
    for _ in range(offset + 1):
        exodus.button(key="play_forward").click().run()
    assert shown_date(exodus) == label(day)
    in_range = apply_filters(bundled.events, FilterState(steps[0], steps[-1]))
    assert map_ids(exodus) == window(bundled.events, day)
    exodus.radio(key="play_mode").set_value("cumulative").run()
    cumulative = set(in_range[in_range["start"] <= pd.Timestamp(day)]["event_id"])
    assert map_ids(exodus) == cumulative
    assert f"{len(cumulative)} of {len(in_range)} shown events" in " ".join(
        c.value for c in exodus.caption)
    assert shown_date(exodus) == label(day), "changing the mode moved the date"


def test_back_forward_and_show_all(exodus, bundled):
    steps = days(exodus)
    assert exodus.button(key="play_back").disabled
    exodus.button(key="play_forward").click().run()
    exodus.button(key="play_forward").click().run()
    assert shown_date(exodus) == label(steps[1])
    exodus.button(key="play_back").click().run()
    assert shown_date(exodus) == label(steps[0])
    exodus.button(key="play_stop").click().run()
    assert shown_date(exodus) is None
    assert len(map_ids(exodus)) == int(exodus.metric[0].value)


def test_a_week_step_shows_the_whole_week(monkeypatch, bundled):
    at = run_app(monkeypatch)
    at.button(key="period_blockade").click().run()
    at.selectbox(key="play_step").set_value(7).run()
    at.checkbox(key="play_skip").uncheck().run()
    at.button(key="play_forward").click().run()
    first = at.slider(key="dates").value[0]
    week = (first, first + timedelta(days=6))
    same_month = first.month == week[1].month
    assert shown_date(at) == (f"{first.day}–{week[1].day} {week[1]:%b %Y}" if same_month
                              else f"{first.day} {first:%b} – {week[1].day} {week[1]:%b %Y}")
    assert map_ids(at) == set(apply_filters(bundled.events, FilterState(*week))["event_id"])


def test_skipping_plays_only_eventful_steps(monkeypatch, bundled):
    at = run_app(monkeypatch)  # everything, one day a step, quiet days skipped
    first, last = at.slider(key="dates").value
    starts = {d for d in bundled.events["start"].dt.date if first < d <= last}
    at.button(key="play_toggle").click().run()
    assert f"Step 1 of {len(starts) + 1} " in " ".join(c.value for c in at.caption)
    tick(at)
    assert shown_date(at) == label(min(starts))


def test_the_timeline_marks_the_playback_step(exodus):
    steps = days(exodus)
    exodus.button(key="play_forward").click().run()
    exodus.button(key="play_forward").click().run()
    marks = [d for d in chart_data(exodus) if {"date", "end"} <= set(d.columns)]
    assert len(marks) == len(exodus.get("vega_lite_chart")) == 2  # on both charts
    for mark in marks:
        assert mark["date"].tolist() == [ms(steps[1])]
        assert mark["end"].tolist() == [ms(steps[1] + timedelta(days=1))]


def test_narrowing_the_dates_past_the_step_leaves_playback(exodus):
    steps = days(exodus)
    for _ in range(4):
        exodus.button(key="play_forward").click().run()
    exodus.slider(key="dates").set_value((steps[0], steps[1])).run()
    assert not exodus.exception, exodus.exception
    assert shown_date(exodus) is None
    assert exodus.session_state[DAY] is None

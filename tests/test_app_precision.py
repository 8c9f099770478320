"""Vaguely dated events through AppTest: the counts, the switch, its link, table and playback."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser_support import read_events
from tests.test_app import run_app, shown
from tests.test_app_playback import map_ids, tick

pytestmark = pytest.mark.app

OFFENSIVE = (date(2023, 9, 19), date(2023, 9, 20))


def file_counts(first: date, last: date) -> tuple[set[str], set[str], set[str]]:
    """Ids of the events.csv rows overlapping ``first``..``last``: dated to the day, known
    only to the month or year, and known only to some day of a range. Worked out from the
    file, not with the app's code."""
    found: dict[str, set[str]] = {"day": set(), "month": set(), "year": set(),
                                  "range": set()}
    for r in read_events():
        start = date.fromisoformat(r["date_start"])
        if r["date_end"]:
            end = date.fromisoformat(r["date_end"])
        elif r["date_precision"] == "month":
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        elif r["date_precision"] == "year":
            end = date(start.year, 12, 31)
        else:
            end = start
        if start <= last and end >= first:
            found[r["date_precision"]].add(r["event_id"])
    return found["day"], found["month"] | found["year"], found["range"]


def note(day: set, rough: set, ranged: set, hidden: bool = False) -> str:
    """The count under the metric, as the issue asked for it."""
    vague = [f"{len(rough)} known only to the month or year"] if rough else []
    vague += [f"{len(ranged)} known only to a range of days"] if ranged else []
    if hidden:
        return f"{len(day)} events dated to the day; {' and '.join(vague)} hidden"
    return " + ".join([f"{len(day)} events dated to the day", *vague])


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.fixture
def offensive(monkeypatch) -> AppTest:
    at = run_app(monkeypatch)
    at.button(key="period_offensive").click().run()
    return at


def test_the_count_says_how_many_are_dated_to_these_days(offensive):
    day, rough, ranged = file_counts(*OFFENSIVE)
    assert day and rough, "the Offensive's two days have events of both kinds"
    assert shown(offensive) == len(day) + len(rough) + len(ranged)
    assert note(day, rough, ranged) in captions(offensive)


def test_the_switch_hides_vaguely_dated_events_and_says_how_many(offensive):
    day, rough, ranged = file_counts(*OFFENSIVE)
    offensive.toggle(key="precise_only").set_value(True).run()
    assert shown(offensive) == len(day)
    assert map_ids(offensive) == day
    assert note(day, rough, ranged, hidden=True) in captions(offensive)
    assert offensive.query_params["precise"] == "1"
    offensive.toggle(key="precise_only").set_value(False).run()
    assert shown(offensive) == len(day) + len(rough) + len(ranged)
    assert "precise" not in offensive.query_params


def test_the_table_shows_the_precision_beside_the_date(offensive):
    day, rough, ranged = file_counts(*OFFENSIVE)
    table = offensive.dataframe[0].value
    assert list(table.columns[:2]) == ["Date", "Date precision"]
    by_id = dict(zip(table["ID"], table["Date precision"], strict=True))
    assert {i for i, p in by_id.items() if p == "day"} == day
    assert {i for i, p in by_id.items() if p in ("month only", "year only")} == rough
    assert {i for i, p in by_id.items() if p == "some day in a range"} == ranged


def test_a_link_with_the_switch_reopens_it(monkeypatch):
    day = file_counts(*OFFENSIVE)[0]
    at = run_app(monkeypatch, params={"from": "2023-09-19", "to": "2023-09-20",
                                      "precise": "1"})
    assert not at.warning
    assert at.toggle(key="precise_only").value is True
    assert shown(at) == len(day)
    copied = dict(at.query_params)
    assert copied == {"from": "2023-09-19", "to": "2023-09-20", "precise": "1"}
    assert shown(run_app(monkeypatch, params=copied)) == len(day)


def test_a_bad_switch_in_a_link_is_named(monkeypatch):
    at = run_app(monkeypatch, params={"precise": "maybe"})
    assert "maybe" in at.warning[0].value and at.toggle(key="precise_only").value is False


def test_playback_follows_the_switch(monkeypatch):
    at = run_app(monkeypatch)
    at.button(key="period_exodus").click().run()
    at.toggle(key="precise_only").set_value(True).run()
    day = file_counts(date(2023, 9, 24), date(2023, 9, 28))[0]
    at.button(key="play_toggle").click().run()
    seen = set()
    for _ in range(10):
        on_map = map_ids(at)
        assert on_map <= day, on_map - day  # no month- or year-only event on any day
        seen |= on_map
        if not at.session_state["play_running"]:
            break
        tick(at)
    assert seen == day

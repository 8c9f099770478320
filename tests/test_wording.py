"""Captions read as English whatever the counts: one event is, two events are."""

from __future__ import annotations

from dashboard.timeline import undated_note


def test_one_undated_event_is_not_on_the_chart():
    assert undated_note({"month": 1}) == (
        "1 event known only to the month is not on the daily chart.")
    assert undated_note({"year": 2}) == (
        "2 events known only to the year are not on the daily chart.")
    assert undated_note({"month": 1, "year": 1}).endswith(" are not on the daily chart.")

"""Links: the opening range stays out of them, Everything stays in, and the precision switch."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dashboard.filters import FilterState
from dashboard.linkstate import read_link, write_link

FIRST, LAST = date(1991, 1, 1), date(2023, 12, 31)
SPAN = (FIRST, LAST)
OPENING = (date(2022, 1, 1), date(2023, 12, 31))
REGIONS = ("nagorno_karabakh", "syunik")


def read(params):
    return read_link(params, regions=REGIONS, first=FIRST, last=LAST, default=OPENING)


def write(state):
    return write_link(state, span=SPAN, default=OPENING)


STATES = {
    "opening range": FilterState(*OPENING),
    "everything": FilterState(*SPAN),
    "from the first day": FilterState(FIRST, date(2023, 9, 20)),
    "to the last day": FilterState(date(2023, 9, 19), LAST),
    "offensive": FilterState(date(2023, 9, 19), date(2023, 9, 20)),
    "precisely dated only": FilterState(*OPENING, precise_only=True),
    "offensive, precisely dated, one region": FilterState(
        date(2023, 9, 19), date(2023, 9, 20), regions=("syunik",), precise_only=True),
}


@pytest.mark.parametrize("state", STATES.values(), ids=list(STATES))
def test_every_state_round_trips(state):
    assert read(write(state)) == (state, None, [])


def test_the_opening_range_is_left_out_and_everything_written_in_full():
    assert write(FilterState(*OPENING)) == {}
    assert write(FilterState(*SPAN)) == {"from": "1991-01-01", "to": "2023-12-31"}
    assert read({})[0] == FilterState(*OPENING)


def test_a_link_with_one_date_keeps_its_old_meaning():
    """Before the page opened on fewer years, a missing date meant the data's end."""
    assert read({"to": "2023-09-20"})[0] == FilterState(FIRST, date(2023, 9, 20))
    assert read({"from": "2023-09-19"})[0] == FilterState(date(2023, 9, 19), LAST)


def test_the_switch_is_written_only_when_on():
    assert write(FilterState(*OPENING, precise_only=True)) == {"precise": "1"}
    assert "precise" not in write(FilterState(date(2023, 9, 19), date(2023, 9, 20)))
    assert read({"precise": "0"}) == (FilterState(*OPENING), None, [])


@pytest.mark.parametrize("bad", ["yes", "2", "<b>on</b>"])
def test_a_bad_switch_is_dropped_with_a_notice(bad):
    state, _, notices = read({"precise": bad, "q": "Hakari"})
    assert state == replace(FilterState(*OPENING), search="Hakari")
    assert len(notices) == 1 and "precision switch" in notices[0] and bad in notices[0]

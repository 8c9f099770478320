"""Filtering by date overlap, region, category and search with name variants."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.filters import FilterState, apply_filters, date_ordered
from dashboard.periods import PERIODS, period_range
from tests.conftest import row

SPAN = row(event_id="span", date_start="2022-12-01", date_end="2023-09-28",
           date_precision="month", time="", place_id="lachin_corridor", category="blockade",
           event_type="blockade", title="Road closed")
MONTH = row(event_id="month", date_start="2023-09-01", date_precision="month", time="",
            place_id="yerevan", category="political", event_type="statement",
            title="A statement")
DAY = row(event_id="day", place_id="stepanakert", title="Offensive")
MOSCOW = row(event_id="far", place_id="moscow", category="political",
             event_type="statement", title="Duma member speaks")


@pytest.fixture
def events(make_dataset):
    return make_dataset(SPAN, MONTH, DAY, MOSCOW).events


def ids(events, **state) -> list[str]:
    return sorted(apply_filters(events, FilterState(**state))["event_id"])


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [(date(2023, 3, 1), date(2023, 3, 31), ["span"]),  # inside the span only
     (date(2022, 1, 1), date(2022, 12, 1), ["span"]),  # touches its first day
     (date(2023, 9, 28), date(2023, 9, 28), ["month", "span"]),  # last day; month-long
     (date(2023, 9, 30), date(2023, 10, 5), ["month"]),  # month precision covers the 30th
     (date(2023, 10, 1), date(2023, 12, 31), []),
     (date(2023, 9, 19), date(2023, 9, 19), ["day", "far", "month", "span"])],
)
def test_events_show_while_their_span_overlaps(events, date_from, date_to, expected):
    assert ids(events, date_from=date_from, date_to=date_to) == expected


@pytest.mark.parametrize(
    ("regions", "expected"),
    [(("syunik",), ["span"]),  # the corridor runs through Syunik
     (("nagorno_karabakh",), ["day", "span"]),
     (("yerevan",), ["month"]),
     (("russia",), ["far"]),
     (("yerevan", "russia"), ["far", "month"]),
     ((), ["day", "far", "month", "span"])],
)
def test_region_filter(events, regions, expected):
    assert ids(events, regions=regions) == expected


def test_category_filter(events):
    assert ids(events, categories=("political",)) == ["far", "month"]
    assert ids(events, categories=()) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Khankendi", ["day"]), ("xankəndi", ["day"]), ("STEPANAKERT", ["day"]),
     ("Berdzor", ["span"]), ("duma speaks", ["far"]), ("duma offensive", []),
     ("Ереван", ["month"]), ("", ["day", "far", "month", "span"])],
)
def test_search_covers_titles_and_every_place_variant(events, query, expected):
    assert ids(events, search=query) == expected


def test_filters_combine(events):
    assert ids(events, regions=("nagorno_karabakh",), categories=("military",),
               date_from=date(2023, 9, 19), date_to=date(2023, 9, 20)) == ["day"]


def test_results_come_in_date_order(events):
    shown = apply_filters(events, FilterState())
    assert list(shown["start"]) == sorted(shown["start"])


def test_impossible_states_are_refused():
    with pytest.raises(ValueError, match="before it starts"):
        FilterState(date_from=date(2023, 9, 20), date_to=date(2023, 9, 19))
    with pytest.raises(ValueError, match="unknown categories"):
        FilterState(categories=("weather",))


def test_state_is_frozen():
    with pytest.raises(AttributeError):
        FilterState().search = "x"  # type: ignore[misc]


@pytest.mark.parametrize("period", PERIODS, ids=[p.id for p in PERIODS])
def test_presets_select_events_of_the_bundled_data(bundled, period):
    first, last = bundled.events["start"].min().date(), bundled.events["end"].max().date()
    start, end = period_range(period, first, last)
    shown = apply_filters(bundled.events, FilterState(date_from=start, date_to=end))
    assert len(shown) > 0
    if period.id != "everything":
        assert len(shown) < len(bundled.events)


def test_offensive_preset_includes_the_crossing_only_after(bundled):
    offensive = next(p for p in PERIODS if p.id == "offensive")
    exodus = next(p for p in PERIODS if p.id == "exodus")
    first, last = date(1991, 1, 1), date(2023, 12, 31)
    during = apply_filters(bundled.events, FilterState(*period_range(offensive, first, last)))
    after = apply_filters(bundled.events, FilterState(*period_range(exodus, first, last)))
    assert 68000 not in set(during["displaced"].dropna())
    assert 68000 in set(after["displaced"].dropna())


def test_precisely_dated_only_keeps_the_events_dated_to_the_day(make_dataset):
    events = make_dataset(SPAN, MONTH, DAY, MOSCOW,
                          row(event_id="year", date_start="2023-01-01", date_precision="year",
                              time=""),
                          row(event_id="two days", date_start="2023-09-19",
                              date_end="2023-09-20")).events
    day = {"date_from": date(2023, 9, 19), "date_to": date(2023, 9, 19)}
    assert ids(events, **day) == ["day", "far", "month", "span", "two days", "year"]
    assert ids(events, **day, precise_only=True) == ["day", "far", "two days"]


def test_a_table_in_date_order_is_not_sorted_again(bundled):
    ordered = date_ordered(bundled.events.sample(frac=1, random_state=3))
    assert list(ordered["event_id"]) == list(apply_filters(bundled.events,
                                                           FilterState())["event_id"])
    assert date_ordered(ordered) is ordered
    swapped = pd.concat([ordered.iloc[1:2], ordered.iloc[:1], ordered.iloc[2:]])
    assert list(date_ordered(swapped)["event_id"]) == list(ordered["event_id"])

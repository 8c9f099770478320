"""Both stores answer as the plain filters do, on the bundled data and on imports: the
embedded one and the database one (a real PostgreSQL with PostGIS), same assertions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.aggregate import aggregate
from dashboard.export.extent import events_extent, outside
from dashboard.filters import FilterState, apply_filters, date_mask, date_ordered
from dashboard.periods import opening_range
from dashboard.query import EmbeddedStore
from dashboard.schema import CATEGORIES
from dashboard.timeline import binned_counts, displacement_reports
from tests.conftest import row

STATES = {
    "everything": FilterState(),
    "days": FilterState(date(2023, 9, 19), date(2023, 9, 28)),
    "search": FilterState(search="stepanakert"),
    "two words": FilterState(search="hakari bridge"),
    "one layer": FilterState(categories=("displacement",)),
    "no layer": FilterState(categories=()),
    "region": FilterState(regions=("AM-SU",)),
    "precise": FilterState(date(2020, 1, 1), date(2024, 12, 31), precise_only=True),
    "nothing": FilterState(date(2030, 1, 1), date(2030, 12, 31)),
    "dataset": FilterState(datasets=("none such",)),
}


@pytest.fixture(params=["bundled", "generated"])
def data(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("state", list(STATES.values()), ids=list(STATES))
def test_a_selection_holds_what_the_filters_select_in_date_order(store_of, data, state):
    expected = apply_filters(data.events, state)
    found = store_of(data).select(state)
    assert len(found) == len(expected)
    assert list(found.frame()["event_id"]) == list(expected["event_id"])
    assert list(found.rows(0, 5)["event_id"]) == list(expected["event_id"].head(5))
    assert found.layer_counts() == {c: int((expected["category"] == c).sum())
                                    for c in CATEGORIES}


def test_regions_select_some_of_the_generated_events(store_of, generated):
    region = next(r for ids in generated.events["regions"] for r in ids)
    found = store_of(generated).select(FilterState(regions=(region,)))
    assert 0 < len(found) < len(generated.events)
    assert all(region in ids for ids in found.frame()["regions"])


def test_a_state_asked_again_is_not_selected_again(store_of, bundled):
    store = store_of(bundled)
    assert store.select(STATES["days"]) is store.select(STATES["days"])
    if isinstance(store, EmbeddedStore):  # everything, of a table in date order: no copy
        ordered = EmbeddedStore(date_ordered(bundled.events))
        assert ordered.in_order and ordered.select(FilterState()).frame() is ordered.events


def test_columns_are_the_selected_rows_of_those_columns_only(store_of, generated):
    found = store_of(generated).select(STATES["days"])
    narrow = found.columns(["start", "category"])
    assert list(narrow.columns) == ["start", "category"]
    assert narrow.equals(found.frame()[["start", "category"]])
    assert found.columns(["geometry"]).geometry.equals(found.frame().geometry)


@pytest.mark.parametrize("first,last", [(date(2023, 9, 19), date(2023, 9, 19)),
                                        (None, date(2023, 1, 1)), (date(2023, 9, 1), None)])
def test_overlapping_dates_as_the_date_filter(store_of, bundled, first, last):
    everything = store_of(bundled).select(FilterState())
    found = everything.overlapping(first, last).frame()
    frame = everything.frame()
    assert list(found["event_id"]) == list(frame[date_mask(frame, first, last)]["event_id"])


def test_an_event_is_found_only_among_the_selected(store_of, bundled):
    store = store_of(bundled)
    days, everything = store.select(STATES["days"]), store.select(FilterState())
    inside = days.frame()["event_id"].iloc[0]
    away = next(e for e in everything.frame()["event_id"] if e not in
                set(days.frame()["event_id"]))
    assert list(days.find(inside)["event_id"]) == [inside]
    assert days.find(away).empty and days.find("no such id").empty and days.find(None).empty


@pytest.mark.parametrize("state", [STATES["everything"], STATES["days"], STATES["search"],
                                   FilterState(categories=("protest",))],
                         ids=["everything", "days", "search", "one layer"])
def test_pages_are_the_selection_in_date_order_to_its_end(store_of, generated, state):
    """Page after page (the last one partial, the next empty): every selected event once,
    in the filters' date order, counted from the start or, nearer the end, from there."""
    expected = list(apply_filters(generated.events, state)["event_id"])
    found = store_of(generated).select(state)
    size = 70 if len(expected) % 70 else 71  # a last page that is partial
    starts = range(0, len(expected) + size, size)
    pages = [list(found.rows(start, size, ["event_id", "quote"])["event_id"])
             for start in starts]
    assert [e for page in pages for e in page] == expected
    assert pages[-1] == [] and 0 < len(pages[-2]) < size
    assert list(found.rows(len(expected) + 5, size, ["event_id"])["event_id"]) == []
    assert list(found.rows(3, 4)["event_id"]) == expected[3:7]  # every column
    assert list(found.rows(0, 5, ["event_id"])["event_id"]) == expected[:5]


def test_an_event_is_placed_in_date_order_only_among_the_selected(store_of, generated):
    store = store_of(generated)
    days, everything = store.select(STATES["days"]), store.select(FilterState())
    ids = list(everything.frame()["event_id"])
    for at in (0, 1, len(ids) // 2, len(ids) - 2, len(ids) - 1):
        assert everything.position(ids[at]) == at
    inside = list(days.frame()["event_id"])
    assert days.position(inside[-1]) == len(inside) - 1
    away = next(e for e in ids if e not in set(inside))
    assert days.position(away) is None
    assert days.position("no such id") is None and days.position(None) is None


def test_places_outside_a_view_as_the_exports_name_them(store_of, bundled):
    everything = store_of(bundled).select(FilterState())
    bounds = (39.0, 45.5, 40.5, 47.5)
    assert everything.outside(bounds) == outside(everything.frame(), bounds)


def test_few_events_are_drawn_one_by_one(store_of, generated):
    few = store_of(generated).select(STATES["days"])
    mode, drawn = few.for_map(None, limit=2000)
    assert mode == "events" and drawn is few


def test_many_events_are_aggregated_until_few_are_in_view(store_of, generated):
    everything = store_of(generated).select(FilterState())
    mode, drawn = everything.for_map(None, limit=1000)
    assert mode == "aggregates" and len(drawn) == len(generated.events)
    yerevan = (40.15, 44.47, 40.21, 44.56)  # zoomed in on one town
    mode, drawn = everything.for_map(yerevan, limit=1000)
    assert mode == "events" and 0 < len(drawn) < 1000
    assert drawn.frame().geometry.y.between(40.13, 40.23).all()


def test_the_key_names_the_events_not_the_state(store_of, bundled):
    store = store_of(bundled)
    everything = store.select(FilterState())
    same = store.select(FilterState(date(1900, 1, 1), date(2100, 1, 1)))
    assert everything.key == same.key != store.select(STATES["days"]).key
    if isinstance(store, EmbeddedStore):
        assert np.array_equal(everything.positions, np.arange(len(store)))
    assert len(store) == len(bundled.events)
    assert isinstance(everything.columns(["start"]), pd.DataFrame)


@pytest.mark.parametrize("state", list(STATES.values()), ids=list(STATES))
def test_the_timeline_counts_as_from_the_filtered_table(store_of, data, state):
    expected = apply_filters(data.events, state)
    found = store_of(data).select(state)
    first, last = date(2020, 1, 1), date(2024, 12, 31)
    for unit in ("day", "week", "month"):
        assert found.day_counts(first, last, unit).equals(
            binned_counts(expected, first, last, unit))
    assert found.reports().equals(displacement_reports(expected))
    assert found.precision_counts() == {
        str(k): int(v) for k, v in expected["date_precision"].value_counts().items()}
    span = found.span()
    assert span == (None if expected.empty else (expected["start"].min().date(),
                                                  expected["end"].max().date()))


@pytest.mark.parametrize("zoom", [4, 9, 13])
@pytest.mark.parametrize("state", ["everything", "days", "nothing"])
def test_map_cells_are_those_of_the_shown_events(store_of, generated, zoom, state):
    found = store_of(generated).select(STATES[state])
    shown = apply_filters(generated.events, STATES[state])
    expected = aggregate(pd.DataFrame({
        "lat": shown.geometry.y, "lon": shown.geometry.x, "category": shown["category"],
        "start": shown["start"], "end": shown["end"]}), zoom)
    cells = found.aggregates(zoom)
    assert list(cells.columns) == list(expected.columns) and len(cells) == len(expected)
    if len(expected):  # the database sums in another order: equal to the last bits
        pd.testing.assert_frame_equal(cells, expected, check_exact=False, rtol=1e-9,
                                      check_dtype=False)


def test_what_the_page_takes_from_all_the_events(store_of, data):
    """The slider's span, the opening range, the map's first view, the datasets and the
    count: from the store, as the page once took them from the loaded table."""
    store, events = store_of(data), data.events
    first, last = events["start"].min().date(), events["end"].max().date()
    assert store.span() == (first, last)
    assert store.opening(first, last) == opening_range(events, first, last)
    assert store.opening(last, last) == opening_range(events, last, last)
    assert store.extent() == events_extent(events)
    assert store.datasets() == list(dict.fromkeys(events["dataset"]))
    assert len(store) == len(events)


EPISODES = {
    "one": [("a", "2021-03-05", ""), ("b", "2022-02-01", "")],
    "busiest": [("old", "2001-05-01", ""), ("a", "2010-03-01", "2012-06-01"),
                ("b", "2013-04-01", ""), ("late", "2020-07-01", "")],
    "tie": [("a", "2001-05-01", ""), ("b", "2010-03-01", "")],
    "same day": [("a", "2001-05-01", "2001-05-01"), ("b", "2001-05-01", "2003-01-01"),
                 ("c", "2003-06-01", ""), ("d", "2009-01-01", ""), ("e", "2009-02-01", "")],
    "far": [("moscow", "2020-11-10", "")],
}


@pytest.mark.parametrize("rows", list(EPISODES.values()), ids=list(EPISODES))
def test_the_opening_range_is_the_busiest_episode_in_both_stores(store_of, make_dataset,
                                                                   rows):
    data = make_dataset(*(row(event_id=e, date_start=start, date_end=end,
                              place_id="moscow" if e == "moscow" else "stepanakert")
                          for e, start, end in rows))
    store, events = store_of(data), data.events
    first, last = events["start"].min().date(), events["end"].max().date()
    assert store.span() == (first, last)
    assert store.opening(first, last) == opening_range(events, first, last)
    assert store.extent() == events_extent(events)


def test_a_store_without_events_has_no_span_and_opens_on_what_it_is_given(store_of,
                                                                           make_dataset):
    store = store_of(make_dataset(row(date_start="not a date")))
    assert len(store) == 0 and store.span() is None and store.extent() is None
    assert store.opening(date(2023, 1, 1), date(2023, 1, 2)) == (date(2023, 1, 1),
                                                                  date(2023, 1, 2))

"""URL query parameters: every filter round-trips, defaults stay out, bad values are named."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from dashboard.filters import FilterState
from dashboard.schema import CATEGORIES
from dashboard.urlstate import (
    MAX_NOTICE_CHARS,
    MAX_NOTICES,
    MAX_SEARCH,
    NO_LAYERS,
    MapView,
    coerce_view,
    from_query,
    read_chapter,
    to_query,
    with_chapter,
)

FIRST, LAST = date(2020, 9, 27), date(2023, 10, 3)
SPAN = (FIRST, LAST)
REGIONS = ("nagorno_karabakh", "armenia", "syunik", "lachin", "outside_mapped_regions")
ALL = tuple(CATEGORIES)


def read(params) -> tuple[FilterState, MapView | None, list[str]]:
    return from_query(params, regions=REGIONS, first=FIRST, last=LAST)


def full(**changes) -> FilterState:
    """A state as the sidebar makes it: dates always set."""
    return FilterState(**{"date_from": FIRST, "date_to": LAST, **changes})


ROUND_TRIPS = {
    "defaults": full(),
    "from": full(date_from=date(2023, 9, 19)),
    "to": full(date_to=date(2023, 9, 20)),
    "one day": full(date_from=date(2023, 9, 19), date_to=date(2023, 9, 19)),
    "first day only": full(date_to=FIRST),
    "one region": full(regions=("syunik",)),
    "regions in order": full(regions=("lachin", "armenia", "outside_mapped_regions")),
    "one layer": full(categories=("displacement",)),
    "some layers": full(categories=("military", "blockade", "protest")),
    "no layer": full(categories=()),
    "search": full(search="Khankendi"),
    "search, unicode and symbols": full(search="Ханкенди & Xankəndi, 50% #1 a=b?"),
    "everything": full(date_from=date(2022, 12, 1), date_to=date(2023, 9, 28),
                       regions=("nagorno_karabakh", "syunik"),
                       categories=("civilian_harm", "displacement"), search="Hakari bridge"),
}


@pytest.mark.parametrize("state", ROUND_TRIPS.values(), ids=list(ROUND_TRIPS))
@pytest.mark.parametrize("span", [SPAN, None], ids=["span", "no span"])
def test_every_filter_round_trips(state, span):
    assert read(to_query(state, span=span)) == (state, None, [])


def random_state(rng: random.Random) -> FilterState:
    days = (LAST - FIRST).days
    start = FIRST + timedelta(days=rng.randint(0, days))
    end = start + timedelta(days=rng.randint(0, (LAST - start).days))
    regions = tuple(rng.sample(REGIONS, rng.randint(0, len(REGIONS))))
    categories = tuple(c for c in ALL if rng.random() < 0.5)
    words = ["Hakari", "Ханкенди", "a&b", "50%", "x=y", "#1", "+", "é"]
    search = " ".join(rng.sample(words, rng.randint(0, 3)))
    return FilterState(start, end, regions, categories, search)


def test_random_states_round_trip():
    rng = random.Random(20230919)
    for _ in range(300):
        state = random_state(rng)
        view = MapView(round(rng.uniform(-90, 90), 5), round(rng.uniform(-180, 180), 5),
                       rng.choice([3, 7.25, 15]))
        assert read(to_query(state, view, span=SPAN)) == (state, view, [])


def test_missing_dates_mean_the_data_span():
    state, _, notices = read(to_query(FilterState()))
    assert (state.date_from, state.date_to, notices) == (FIRST, LAST, [])


def test_defaults_are_left_out():
    assert to_query(full(categories=tuple(reversed(ALL)), search="  "), span=SPAN) == {}
    assert to_query(FilterState()) == {}


def test_parameter_format():
    state = full(date_from=date(2023, 9, 19), regions=("syunik", "armenia"),
                 categories=("protest", "military"), search=" Hakari ")
    assert to_query(state, MapView(39.5, 46.4, 9), span=SPAN) == {
        "from": "2023-09-19", "region": ["syunik", "armenia"],
        "layer": ["military", "protest"], "q": "Hakari", "view": "39.5,46.4,9"}


def test_no_layer_is_explicit():
    assert to_query(full(categories=()), span=SPAN) == {"layer": [NO_LAYERS]}
    assert read({"layer": "none"})[0].categories == ()
    assert read({"layer": ["none", "military"]})[0].categories == ("military",)


@pytest.mark.parametrize("params", [
    {"region": ["syunik", "armenia"]},
    {"region": "syunik,armenia"},
    {"region": ["syunik", "armenia,syunik", ""]},
    {"region": [" Syunik ", "ARMENIA"]},
], ids=["repeated", "comma-separated", "mixed, duplicated, blank", "case and spaces"])
def test_repeated_and_single_valued_params(params):
    assert read(params) == (full(regions=("syunik", "armenia")), None, [])


def test_single_and_one_element_list_are_the_same():
    assert read({"layer": "blockade", "q": "x"}) == read({"layer": ["blockade"], "q": ["x"]})


def test_blank_values_are_absent():
    assert read({"from": "", "to": [""], "region": "", "layer": "", "q": " ", "view": ""}) \
        == (full(), None, [])


@pytest.mark.parametrize(("params", "notice"), [
    ({"region": ["syunik", "atlantis"]}, "Dropped region 'atlantis': not a known region."),
    ({"from": "2023-02-30"}, "Dropped start date 2023-02-30: not a real date."),
    ({"to": "2023-13-01"}, "Dropped end date 2023-13-01: not a real date."),
    ({"from": "yesterday"}, "Dropped start date 'yesterday': not a date in YYYY-MM-DD form."),
    ({"to": "20230919"}, "Dropped end date '20230919': not a date in YYYY-MM-DD form."),
    ({"layer": ["tanks", "military"]}, "Dropped layer 'tanks': not a known layer"),
    ({"view": "91,46,9"}, "Dropped map view '91,46,9': latitude must be a number from -90 "
                          "to 90."),
    ({"view": "39,181,9"}, "Dropped map view '39,181,9': longitude must be"),
    ({"view": "39,46,40"}, "Dropped map view '39,46,40': zoom must be"),
    ({"view": "39,nan,9"}, "Dropped map view '39,nan,9': longitude must be"),
    ({"view": "39,46"}, "Dropped map view '39,46': not three numbers lat,lon,zoom."),
    ({"view": "here"}, "Dropped map view 'here': not three numbers lat,lon,zoom."),
    ({"zoom": "5"}, "Dropped unknown parameter 'zoom'."),
    ({"from": ["2023-01-01", "2023-09-19"]},
     "Dropped start date '2023-01-01': 'from' is given more than once"),
], ids=["region", "impossible day", "impossible month", "not a date", "not ISO form",
        "layer", "latitude", "longitude", "zoom", "nan", "two numbers", "garbage view",
        "unknown parameter", "repeated date"])
def test_each_bad_value_is_dropped_with_a_notice_naming_it(params, notice):
    _, view, notices = read(params)
    assert len(notices) == 1 and notices[0].startswith(notice), notices
    assert view is None


def test_the_rest_of_a_bad_url_still_applies():
    state, view, notices = read({"from": "2023-09-19", "to": "2023-02-30",
                                 "region": ["atlantis", "syunik"], "layer": ["x", "protest"],
                                 "q": "Goris", "view": "39.5,46.4,9", "utm": "1"})
    assert state == full(date_from=date(2023, 9, 19), regions=("syunik",),
                         categories=("protest",), search="Goris")
    assert view == MapView(39.5, 46.4, 9)
    assert len(notices) == 4


def test_only_unknown_layers_fall_back_to_every_layer():
    state, _, notices = read({"layer": ["tanks", "planes"]})
    assert state.categories == ALL and len(notices) == 2


def test_range_ending_before_it_starts_is_dropped():
    state, _, notices = read({"from": "2023-09-28", "to": "2023-09-19"})
    assert (state.date_from, state.date_to) == (FIRST, LAST)
    assert notices == ["Dropped dates 2023-09-28 to 2023-09-19: the range ends before it "
                       "starts."]


@pytest.mark.parametrize(("params", "expected", "notice"), [
    ({"from": "2019-01-01"}, (FIRST, LAST),
     "Moved start date 2019-01-01 to 2020-09-27, the first day of the data."),
    ({"to": "2030-01-01"}, (FIRST, LAST),
     "Moved end date 2030-01-01 to 2023-10-03, the last day of the data."),
    ({"from": "2030-01-01"}, (LAST, LAST), "Moved start date 2030-01-01 to 2023-10-03"),
    ({"from": "2019-01-01", "to": "2019-02-01"}, (FIRST, FIRST),
     "Moved start date 2019-01-01 to 2020-09-27"),
])
def test_dates_outside_the_data_are_clipped(params, expected, notice):
    state, _, notices = read(params)
    assert (state.date_from, state.date_to) == expected
    assert notices[0].startswith(notice)


def test_long_search_is_shortened_and_long_values_are_shortened_in_notices():
    state, _, notices = read({"q": "a" * 1000, "region": "b" * 1000})
    assert state.search == "a" * MAX_SEARCH
    assert all(len(n) < 200 for n in notices) and len(notices) == 2


def test_huge_values_give_short_notices():
    huge = "x" * 10_000
    _, _, notices = read({"from": huge, "to": huge, "region": huge, "layer": huge,
                          "view": huge, huge: "1", "q": [huge, huge]})
    assert len(notices) == 8 and all(len(n) <= 200 for n in notices)
    _, notices = read_chapter({"chapter": huge}, CHAPTERS)
    assert len(notices[0]) <= 200


def test_many_bad_values_give_a_few_notices_and_a_count():
    _, _, notices = read({"region": [f"nowhere-{i}" for i in range(1000)]})
    assert len(notices) == MAX_NOTICES + 1
    assert notices[-1] == f"Dropped {1000 - MAX_NOTICES:,} more values not listed here."
    assert all(len(n) <= MAX_NOTICE_CHARS for n in notices)


@pytest.mark.parametrize("params", [
    {"from": ["", "x", "9999-99-99"], "to": "-1", "region": [",,,"], "layer": [",none,"]},
    {"view": ["1e400,0,0"], "q": ["\x00\n\t"], "": "", "from": "2023-9-1"},
    {"region": 5, "layer": None, "view": ("1", "2", "3")},  # not strings at all
])
def test_garbage_never_raises(params):
    state, _, _ = read(params)
    assert isinstance(state, FilterState)


def test_view_is_rounded_and_helpers():
    view = MapView(39.123456789, 46.987654321, 8.25)
    assert to_query(FilterState(), view) == {"view": "39.12346,46.98765,8.25"}
    assert coerce_view({"center": {"lat": 39.5, "lng": 46.4}, "zoom": 9}) == \
        MapView(39.5, 46.4, 9)
    assert coerce_view({"lat": 1, "lon": 2, "zoom": 3}) == MapView(1, 2, 3)
    assert coerce_view((1, 2, 3)) == MapView(1, 2, 3)
    assert coerce_view({"center": None, "zoom": 3}) is None
    assert coerce_view({"lat": 100, "lon": 2, "zoom": 3}) is None
    assert coerce_view("nonsense") is None


def test_map_view_checks_ranges():
    with pytest.raises(ValueError, match="zoom"):
        MapView(0, 0, -1)
    assert to_query(FilterState(), MapView(-0.0, 0, 0)) == {"view": "0,0,0"}


# The story chapter in the URL (dashboard/story.py holds the chapters).

CHAPTERS = ("war-2020", "offensive", "exodus")


def test_chapter_is_written_and_read():
    query = to_query(full(), chapter="offensive", span=SPAN)
    assert query == {"chapter": "offensive"}
    assert read_chapter(query, CHAPTERS) == ("offensive", [])
    assert read(query)[2] == []  # a known parameter for the filters too
    assert "chapter" not in to_query(full(), span=SPAN)


@pytest.mark.parametrize(("params", "expected"), [
    ({}, None), ({"chapter": ""}, None), ({"chapter": "Exodus"}, "exodus"),
    ({"chapter": ["war-2020", "exodus"]}, "exodus"),
])
def test_chapter_values(params, expected):
    assert read_chapter(params, CHAPTERS)[0] == expected


def test_unknown_chapter_is_dropped_with_a_notice():
    chapter, notices = read_chapter({"chapter": "atlantis"}, CHAPTERS)
    assert chapter is None
    assert notices == ["Dropped chapter 'atlantis': not a known chapter "
                       "(war-2020, offensive, exodus)."]


def test_explicit_filters_win_over_the_chapter():
    chapter = FilterState(date(2023, 9, 19), date(2023, 9, 20), ("nagorno_karabakh",),
                          ("military",))
    params = {"chapter": "offensive", "to": "2023-09-28", "layer": "displacement"}
    state = with_chapter(read(params)[0], chapter, params)
    assert state == FilterState(date(2023, 9, 19), date(2023, 9, 28), ("nagorno_karabakh",),
                                ("displacement",))
    assert with_chapter(read({})[0], chapter, {"chapter": "offensive"}) == chapter
    early = {"to": "2021-01-01"}  # before the chapter's start: the URL's range instead
    assert with_chapter(read(early)[0], chapter, early).date_from == FIRST

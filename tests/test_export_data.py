"""CSV and GeoJSON exports: the same filtered events back, spreadsheet formulas defused."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from dashboard.export import snapshot
from dashboard.export.describe import title
from dashboard.export.tables import HEADER, neutralise
from dashboard.filters import FilterState, apply_filters
from dashboard.paths import DEFAULT_EVENTS
from dashboard.schema import COLUMNS
from tests.conftest import row

STATE = FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 10, 3),
                    regions=("nagorno_karabakh",))


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "spreadsheets need the BOM to see UTF-8"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def original(events, event_id: str) -> dict:
    return events[events["event_id"] == event_id].iloc[0].to_dict()


def as_text(value) -> str:
    return "" if value is None or value != value else str(value)


def test_csv_round_trips_to_the_filtered_events(bundled):
    expected = apply_filters(bundled.events, STATE)
    rows = read_csv(snapshot(bundled, STATE, "csv"))
    assert [r["event_id"] for r in rows] == list(expected["event_id"])
    assert list(rows[0]) == list(HEADER)
    for exported in rows:
        source = original(expected, exported["event_id"])
        for column in COLUMNS:
            value = exported[column]
            value = value[1:] if value.startswith("'") and value[1:2] in "=+-@" else value
            assert value == as_text(source[column]).removesuffix(".0") or (
                column in ("killed", "injured", "displaced")
                and value == str(int(source[column]))), (exported["event_id"], column)
        assert exported["place_name"] == source["place_name"]
        lon, lat = source["marker"].x, source["marker"].y
        assert (float(exported["latitude"]), float(exported["longitude"])) == (lat, lon)


def test_geojson_round_trips_to_the_filtered_events(bundled):
    expected = apply_filters(bundled.events, STATE)
    collection = json.loads(snapshot(bundled, STATE, "geojson"))
    features = collection["features"]
    assert [f["properties"]["event_id"] for f in features] == list(expected["event_id"])
    for feature in features:
        source = original(expected, feature["id"])
        props = feature["properties"]
        for column in COLUMNS:
            if column in ("killed", "injured", "displaced"):
                assert props[column] == (None if source[column] != source[column] or
                                         source[column] is None else int(source[column]))
            else:
                assert props[column] == source[column]
        assert feature["geometry"]["coordinates"] == [source["marker"].x, source["marker"].y]
        assert props["regions"] == list(source["regions"])


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formula_cells_are_neutralised(make_dataset, start):
    data = make_dataset(row(title=f"{start}HYPERLINK(\"http://x\")", notes=f"{start}1+1"))
    exported = read_csv(snapshot(data, FilterState(), "csv"))[0]
    assert exported["title"] == f"'{start}HYPERLINK(\"http://x\")"
    assert exported["notes"] == f"'{start}1+1"
    assert json.loads(snapshot(data, FilterState(), "geojson"))["features"][0][
        "properties"]["title"] == f"{start}HYPERLINK(\"http://x\")"


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    assert neutralise("Stepanakert") == "Stepanakert"
    assert neutralise("2023-09-19") == "2023-09-19"
    assert neutralise("-5") == "'-5"


def test_csv_keeps_non_latin_names(make_dataset):
    data = make_dataset(row(title="Ստեփանակերտ / Степанакерт"))
    assert read_csv(snapshot(data, FilterState(), "csv"))[0]["title"] == \
        "Ստեփանակերտ / Степанакерт"


def test_empty_selection_exports_a_header_only(bundled):
    state = FilterState(search="no such words anywhere")
    assert read_csv(snapshot(bundled, state, "csv")) == []
    assert json.loads(snapshot(bundled, state, "geojson"))["features"] == []


def test_csv_says_how_precisely_each_date_is_known_beside_it(bundled):
    state = FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 9, 28))
    content = snapshot(bundled, state, "csv").decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content)))
    dates = header.index("date_start")
    assert header[dates:dates + 4] == ["date_start", "date_end", "date_precision", "when"]
    rows = read_csv(snapshot(bundled, state, "csv"))
    with DEFAULT_EVENTS.open(encoding="utf-8") as handle:
        source = {r["event_id"]: r for r in csv.DictReader(handle)}
    month_only = [r for r in rows if source[r["event_id"]]["date_precision"] == "month"]
    assert month_only, "events.csv has events known only to September 2023"
    for exported in rows:
        assert exported["date_precision"] == source[exported["event_id"]]["date_precision"]
    assert {r["when"] for r in month_only if r["date_start"] == "2023-09-01"} == {
        "September 2023 (known to the month)"}
    assert all("known to" not in r["when"] for r in rows if r["date_precision"] == "day")


def test_precisely_dated_only_exports_day_dated_events_and_says_so(bundled):
    state = FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 9, 28),
                        precise_only=True)
    rows = read_csv(snapshot(bundled, state, "csv"))
    with_rough = read_csv(snapshot(bundled, FilterState(state.date_from, state.date_to), "csv"))
    assert {r["date_precision"] for r in rows} == {"day"}
    assert len(rows) == sum(r["date_precision"] == "day" for r in with_rough) < len(with_rough)
    assert title(state, bundled, apply_filters(bundled.events, state)).endswith(
        "precisely dated only")

"""CSV and GeoJSON exports: the same filtered events back, spreadsheet formulas defused."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from dashboard.export import snapshot
from dashboard.export.tables import EXTRA_COLUMNS, neutralise
from dashboard.filters import FilterState, apply_filters
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
    assert list(rows[0]) == [*COLUMNS, *EXTRA_COLUMNS]
    for exported in rows:
        source = original(expected, exported["event_id"])
        for column in COLUMNS:
            value = exported[column]
            value = value[1:] if value.startswith("'") and value[1:2] in "=+-@" else value
            assert value == as_text(source[column]).removesuffix(".0") or (
                column in ("killed", "injured", "displaced")
                and value == str(int(source[column]))), (exported["event_id"], column)
        assert exported["place_name"] == source["place_name"]
        lon, lat = source["marker"]["geometry"]["coordinates"]
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
        assert feature["geometry"]["coordinates"] == source["marker"]["geometry"]["coordinates"]
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

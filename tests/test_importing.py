"""Importers: formats detected and mapped, bad rows listed, bad files refused in a sentence."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.dataset import combine
from dashboard.importing import ImportRefused, Limits, import_bytes, import_path
from dashboard.layers.store import event_store
from dashboard.regions import OUTSIDE
from dashboard.schema import COLUMNS
from dashboard.settings import Settings
from tests.conftest import BASE_ROW, popup_as_shown

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def load(geodata, name: str, **kwargs):
    return import_path(FIXTURES / name, geodata, **kwargs)


def by_id(data) -> dict[str, dict]:
    return {r["event_id"]: r for r in data.events.to_dict("records")}


@pytest.mark.parametrize(("name", "fmt", "valid"), [
    ("acled.csv", "acled", {"ARM1", "AZE2", "ARM3", "ARM8"}),
    ("acled_semicolon.csv", "acled", {"ARM1", "AZE2", "ARM3"}),
    ("acled_tab.tsv", "acled", {"ARM1", "AZE2", "ARM3"}),
    ("acled.geojson", "acled", {"ARM1", "AZE2", "ARM3"}),
    ("ged.csv", "ged", {"ged-1001", "ged-1002"}),
])
def test_each_format_is_detected_and_its_valid_rows_load(geodata, name, fmt, valid):
    data = load(geodata, name)
    assert data.format == fmt
    assert set(data.events["event_id"]) == valid
    assert data.total_rows == len(valid) + len({p.line for p in data.skipped})


def test_acled_rows_map_onto_the_schema(geodata):
    events = by_id(load(geodata, "acled.csv"))
    protest = events["ARM1"]
    assert (protest["category"], protest["event_type"]) == ("protest", "protest")
    assert protest["start"].date() == date(2023, 9, 19) and protest["date_precision"] == "day"
    # "Yerevan" at Yerevan's coordinates is the gazetteer's Yerevan; the notes keep what
    # the file said of its location.
    assert protest["place_id"] == "yerevan" and protest["place_name"] == "Yerevan"
    assert "geo_precision 1" in protest["notes"]
    assert protest["regions"] == ("armenia", "yerevan")
    assert protest["quote"] == "Fixture: a test row describing a protest in Yerevan."
    shelling = events["AZE2"]  # "19 September 2023", time_precision 2: within a week
    assert shelling["date_precision"] == "range"
    assert (shelling["start"].date(), shelling["end"].date()) == (date(2023, 9, 16),
                                                                   date(2023, 9, 22))
    assert (shelling["killed"], shelling["figure_qualifier"]) == (3, "at_least")
    assert shelling["claimed_by"].startswith("ACLED")
    assert shelling["category"] == "military" and shelling["event_type"] == "shelling"
    month = events["ARM3"]  # "25-09-2023", time_precision 3
    assert month["start"].date() == date(2023, 9, 1) and month["date_precision"] == "month"
    assert events["ARM8"]["regions"] == (OUTSIDE,)


def test_ged_keeps_low_best_and_high_and_dates_known_to_a_week(geodata):
    events = by_id(load(geodata, "ged.csv"))
    fighting = events["ged-1001"]
    assert (fighting["killed"], fighting["figure_qualifier"]) == (12, "about")
    assert "low 10, best 12, high 15" in fighting["notes"]
    assert fighting["category"] == "military" and fighting["date_precision"] == "day"
    week = events["ged-1002"]
    assert week["category"] == "civilian_harm" and week["date_precision"] == "range"
    assert (week["start"].date(), week["end"].date()) == (date(2023, 9, 18),
                                                          date(2023, 9, 24))
    assert "where_prec 4" in week["notes"] or "GED where_prec 4" in week["location_precision"]


@pytest.mark.parametrize(("name", "line", "column", "reason"), [
    ("acled.csv", 5, "event_date", "is not a date"),
    ("acled.csv", 6, "latitude", "out of range"),
    ("acled.csv", 7, "fatalities", "is negative"),
    ("acled.csv", 8, "event_type", "is not an ACLED event type"),
    ("acled.csv", 10, "longitude", "missing coordinate"),
    ("ged.csv", 4, "date_end", "before date_start"),
    ("ged.csv", 5, "type_of_violence", "is not 1, 2 or 3"),
    ("ged.csv", 6, "best", "is negative"),
    ("acled.geojson", 2, "row", "is not a point"),
])
def test_bad_rows_are_listed_with_line_column_value_and_reason(geodata, name, line, column,
                                                               reason):
    found = [p for p in load(geodata, name).skipped if (p.line, p.column) == (line, column)]
    assert len(found) == 1 and reason in found[0].message


def test_our_format_with_coordinates_instead_of_place_ids(geodata):
    header = [c for c in COLUMNS if c != "place_id"] + ["latitude", "longitude", "place_name"]
    rows = [{**BASE_ROW, "event_id": "own-1", "latitude": "39.51", "longitude": "46.34",
             "place_name": "Goris"},
            {**BASE_ROW, "event_id": "own-2", "latitude": "north", "longitude": "46"}]
    text = ",".join(header) + "\n" + "\n".join(
        ",".join(r.get(c, "") for c in header) for r in rows) + "\n"
    data = import_bytes(text.encode(), "mine.csv", geodata)
    assert data.format == "events" and list(data.events["event_id"]) == ["own-1"]
    assert data.events["place_name"].iloc[0] == "Goris"
    assert "syunik" in data.events["regions"].iloc[0]
    assert [(p.line, p.column) for p in data.skipped] == [(3, "latitude")]


def test_a_bom_is_ignored_and_cp1252_is_read_with_a_notice(geodata):
    raw = (FIXTURES / "acled.csv").read_bytes()
    assert set(import_bytes(b"\xef\xbb\xbf" + raw, "bom.csv", geodata).events["event_id"]) \
        == set(load(geodata, "acled.csv").events["event_id"])
    accented = raw.decode().replace("Test Wire", "Agence Café").encode("cp1252")
    data = import_bytes(accented, "win.csv", geodata)
    assert "Windows-1252" in data.notices[0]
    assert data.events["source"].str.contains("Agence Café").all()


@pytest.mark.parametrize(("raw", "limits", "message"), [
    (b"", None, "x.csv is empty."),
    (b"\xef\xbb\xbf\r\n", None, "x.csv is empty."),
    (b"a,b\n" + b"1,2\n" * 11, Limits(max_rows=10), "more than 10 rows"),
    (b"a,b\n1,2\n", Limits(max_bytes=4), "more than the limit"),
    (b"event_id,date_start\x00,category\n", None, "NUL bytes"),
    (b'a,b\n"' + b"x" * 200 + b'",1\n', Limits(max_field_chars=100), "not readable CSV"),
    (b"a,a,b\n1,2,3\n", None, "repeats the columns a"),
    (b'{"type": "Feature"}', None, "not a GeoJSON FeatureCollection"),
    (b"[1, 2", None, "not valid JSON"),
    (b"x,y\n1,2\n", None, "columns are not those of"),
])
def test_unusable_files_are_refused_in_one_sentence(geodata, raw, limits, message):
    with pytest.raises(ImportRefused, match=message) as caught:
        import_bytes(raw, "x.csv", geodata, limits=limits)
    text = str(caught.value)
    assert text.count(". ") == 0 and "\n" not in text, f"more than one sentence: {text}"


def test_an_unknown_format_name_is_refused(geodata):
    with pytest.raises(ImportRefused, match="choose events, acled, ged"):
        load(geodata, "acled.csv", fmt="xlsx")


def test_a_repeated_id_keeps_the_first_row(geodata):
    raw = (FIXTURES / "acled.csv").read_bytes()
    first_row = raw.splitlines()[1]
    data = import_bytes(raw + first_row + b"\n", "twice.csv", geodata)
    assert list(data.events["event_id"]).count("ARM1") == 1
    assert any("duplicate id 'ARM1' (first on line 2)" in p.message for p in data.skipped)


def test_combined_datasets_keep_every_event_and_name(geodata, bundled):
    acled = load(geodata, "acled.csv")
    again = load(geodata, "acled.csv")
    data = combine([bundled, acled, again])
    assert len(data.events) == len(bundled.events) + 2 * len(acled.events)
    assert data.events["event_id"].is_unique
    assert list(dict.fromkeys(data.events["dataset"])) == ["events.csv", "acled.csv",
                                                            "acled.csv (2)"]
    store = event_store(data.events, data.geodata.gazetteer)
    assert "acled.csv (2):ARM1" in [record[0] for record in store.records]
    shown = data.events[data.events["event_id"] == "acled.csv (2):ARM1"].iloc[0]
    assert "Event acled.csv (2):ARM1 " in popup_as_shown(shown.to_dict(),
                                                         data.geodata.gazetteer)


@pytest.mark.parametrize(("name", "expected"), [
    ("acled.csv", "acled.csv:6: latitude: '140.5' is out of range"),
    ("ged.csv", "ged.csv:6: best: '-5' is negative"),
    ("acled.geojson", "acled.geojson:2: row: is not a point"),
])
def test_validate_reads_every_format(capsys, name, expected):
    path = FIXTURES / name
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert any(line.startswith(f"{FIXTURES}/{expected}") for line in out.splitlines()), out
    assert "valid" in err and "Traceback" not in err


def test_snapshot_takes_several_events_files(tmp_path, bundled):
    output = tmp_path / "both.csv"
    assert main(["snapshot", "--format", "csv", "-o", str(output), "--events",
                 str(bundled.path), "--events", str(FIXTURES / "ged.csv")]) == 0
    table = pd.read_csv(output, dtype=str, encoding="utf-8-sig")
    assert {"ged-1001", "ged-1002"} <= set(table["event_id"])
    assert len(table) == len(bundled.events) + 2


def test_geojson_features_carry_their_coordinates(geodata):
    data = load(geodata, "acled.geojson")
    features = json.loads((FIXTURES / "acled.geojson").read_text())["features"]
    # AZE2 is located only to 25 km (ACLED geo_precision 2): drawn at its own coordinates.
    lon, lat = features[2]["geometry"]["coordinates"]
    marker = data.events.set_index("event_id").loc["AZE2", "marker"]
    assert [marker.x, marker.y] == [round(lon, 5), round(lat, 5)]


@pytest.mark.parametrize(("environ", "max_bytes", "max_rows"), [
    ({}, Limits().max_bytes, Limits().max_rows),
    ({"DASHBOARD_MAX_UPLOAD_MB": "2", "DASHBOARD_MAX_ROWS": "50"}, 2 * 2**20, 50),
    ({"DASHBOARD_MAX_UPLOAD_MB": "lots"}, Limits().max_bytes, Limits().max_rows),
])
def test_limits_are_configurable(environ, max_bytes, max_rows):
    limits = Settings.from_env(environ).limits
    assert (limits.max_bytes, limits.max_rows) == (max_bytes, max_rows)


def test_a_row_limit_from_the_environment_refuses_larger_uploads(geodata, monkeypatch, capsys):
    limits = Settings.from_env({"DASHBOARD_MAX_ROWS": "3"}).limits
    with pytest.raises(ImportRefused, match="more than 3 rows"):
        load(geodata, "acled.csv", limits=limits)
    monkeypatch.setenv("DASHBOARD_MAX_ROWS", "3")  # a file on the command line has no limit
    assert main(["validate", str(FIXTURES / "acled.csv")]) == 1  # its bad rows
    err = capsys.readouterr().err
    assert "more than 3 rows" not in err and "9 rows, 4 valid, 6 errors" in err


def test_the_skipped_rows_download_names_line_column_and_problem(geodata):
    from dashboard.ui.imports import problems_csv

    data = load(geodata, "acled.csv")
    rows = list(csv.reader(io.StringIO(problems_csv(data).decode("utf-8-sig"))))
    assert rows[0] == ["line", "column", "problem"]
    assert ["7", "fatalities", "'-2' is negative"] in rows
    assert len(rows) - 1 == len(data.skipped)


def test_an_exported_import_imports_again_unchanged(geodata):
    from dashboard.export.tables import to_csv

    first = load(geodata, "acled.csv")
    again = import_bytes(to_csv(first.events), "exported.csv", geodata)
    assert again.format == "events" and not again.skipped
    columns = ["event_id", "start", "end", "date_precision", "category", "killed", "quote",
               "place_name", "location_precision", "regions"]
    assert again.events[columns].equals(first.events[columns])
    assert again.events.geometry.geom_equals(first.events.geometry).all()

"""The format registry: one record per format, detection from the parsed header, and one
pipeline for our own file and every import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.importing import (
    FORMATS,
    LAYOUTS,
    ImportRefused,
    detect,
    import_bytes,
    load_path,
    read_path,
)
from dashboard.importing.ours import EVENTS, OWN
from dashboard.schema import COLUMNS
from tests.conftest import row
from tests.fixtures_imports import ACLED_COLUMNS, GED_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def test_each_format_has_one_record_with_a_distinct_id():
    assert [f.id for f in FORMATS] == ["events", "acled", "ged"]
    assert all(f.label and f.required_columns and callable(f.convert) for f in FORMATS)


@pytest.mark.parametrize(("header", "expected"), [
    (ACLED_COLUMNS, "acled"), (GED_COLUMNS, "ged"), (list(COLUMNS), "events"),
    ([*COLUMNS, "event_id_cnty", "event_date"], "acled"),  # a specific format first
    (["id", "date_start", "date_end", "latitude", "longitude", "date_prec"], "ged"),
])
def test_detect_finds_the_format_of_a_header(header, expected):
    assert detect(header).id == expected


def test_detect_refuses_an_unknown_header_listing_every_format():
    with pytest.raises(ImportRefused) as caught:
        detect(["x", "y"], "x.csv")
    message = str(caught.value)
    assert message.startswith("x.csv's columns are not those of ")
    assert all(f.label in message for f in FORMATS)


def test_the_uploader_accepts_every_layout_and_offers_every_format():
    from dashboard.ui.imports import FORMAT_LABELS, UPLOAD_TYPES

    assert UPLOAD_TYPES == ["csv", "tsv", "txt", "geojson", "json"]
    assert set(UPLOAD_TYPES) == {s for layout in LAYOUTS for s in layout.suffixes}
    assert list(FORMAT_LABELS)[1:] == [f.id for f in FORMATS]


def _quoted(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), quoting=csv.QUOTE_ALL,
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_our_own_file_is_known_by_its_parsed_header_even_when_quoted(geodata, tmp_path,
                                                                     capsys):
    path = tmp_path / "quoted.csv"
    path.write_bytes(_quoted([row(), row(event_id="t-2", date_precision="")]))
    checked = read_path(path, geodata.gazetteer)
    assert checked.format is OWN  # checked strictly: an empty precision is an error
    assert [(p.line, p.column) for p in checked.events.errors] == [(3, "date_precision")]
    assert main(["validate", str(path)]) == 1
    assert "(events CSV): 2 rows, 1 valid" in capsys.readouterr().err


def test_an_upload_of_our_own_file_is_imported_not_checked_strictly(geodata):
    data = import_bytes(_quoted([row(), row(event_id="t-2", date_precision="")]),
                        "ours.csv", geodata)
    assert data.format == EVENTS.id and len(data.events) == 2  # precision defaults to day


def test_our_own_file_and_an_import_load_alike(geodata, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(_quoted([row()]))
    ours = load_path(path, geodata)
    imported = import_bytes(path.read_bytes(), "events.csv", geodata)
    assert (ours.path, ours.name, ours.unit) == (path, "events.csv", "line")
    columns = ["event_id", "start", "end", "place_id", "regions", "dataset"]
    assert ours.events[columns].equals(imported.events[columns])


def test_geojson_problems_count_features_whatever_the_file_is_called(geodata):
    raw = (FIXTURES / "acled.geojson").read_bytes()
    data = import_bytes(raw, "features.csv", geodata)
    assert data.unit == "feature"
    assert [(p.line, p.column) for p in data.skipped] == [(2, "row")]


def test_problems_are_listed_in_file_order(geodata):
    text = (FIXTURES / "acled.csv").read_text(encoding="utf-8").splitlines()
    text.append("too,few,fields")  # the last line: unreadable, after the bad rows
    data = import_bytes("\n".join(text).encode(), "mixed.csv", geodata)
    lines = [p.line for p in data.skipped]
    assert lines == sorted(lines) and lines[-1] == len(text)


def test_a_chosen_format_names_the_columns_a_geojson_file_lacks(geodata):
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "1"},
         "geometry": {"type": "Point", "coordinates": [44.5, 40.2]}}]}
    with pytest.raises(ImportRefused, match="read it as an ACLED export: event_id_cnty"):
        import_bytes(json.dumps(features).encode(), "f.geojson", geodata, fmt="acled")

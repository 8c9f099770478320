"""The column-wise importer gives what the row-by-row one gave: the same rows, values,
places, regions and problems (line, column, message, order), on the fixtures and on
generated files full of bad values."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import acled_frame
from dashboard.dataset import Dataset, combine
from dashboard.importing import ImportRefused, import_bytes, load_path, load_paths, read
from dashboard.importing.acled import ACLED
from dashboard.importing.common import RowProblems
from dashboard.importing.formats import FORMATS
from dashboard.importing.ours import OWN
from dashboard.paths import DEFAULT_EVENTS
from dashboard.schema import COLUMNS
from dashboard.settings import Limits
from dashboard.validation import DateRange
from tests import reference_import as reference
from tests.conftest import BASE_ROW
from tests.fixtures_imports import ACLED_COLUMNS, GED_COLUMNS
from tests.test_importing_properties import CELL

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
NARROW = Limits(dates=DateRange(date(2020, 1, 1), date(2023, 12, 31)))


def _plain(value: object) -> object:
    """A cell as comparable Python: None for every kind of missing, WKB (exact) for
    geometry."""
    if value is None or isinstance(value, tuple):
        return value
    if hasattr(value, "wkb"):
        return value.wkb  # type: ignore[attr-defined]
    return None if pd.isna(value) else value  # type: ignore[call-overload]


def assert_same(fast: Dataset, slow: Dataset) -> None:
    """Two datasets hold the same events, places, regions and problems."""
    assert fast.problems == slow.problems
    for name in ("total_rows", "format", "notices", "unit", "name", "path"):
        assert getattr(fast, name) == getattr(slow, name), name
    assert list(fast.events.columns) == list(slow.events.columns)
    assert fast.events.index.equals(slow.events.index)
    for column in slow.events.columns:
        mine = [_plain(v) for v in fast.events[column].tolist()]
        theirs = [_plain(v) for v in slow.events[column].tolist()]
        assert mine == theirs, column
    used = {p for c in ("place_id", "origin_place_id", "destination_place_id")
            for p in slow.events[c] if p}
    for place_id in used:
        mine, theirs = fast.geodata.gazetteer[place_id], slow.geodata.gazetteer[place_id]
        assert mine == theirs and mine.geometry.equals(theirs.geometry), place_id
        assert fast.geodata.place_regions[place_id] == slow.geodata.place_regions[place_id]
        assert place_id in fast.geodata.gazetteer


def both(raw: bytes, name: str, geodata, **kwargs) -> tuple[Dataset, Dataset]:
    return (import_bytes(raw, name, geodata, **kwargs),
            reference.import_bytes(raw, name, geodata, **kwargs))


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_each_fixture_loads_as_row_by_row(geodata, name):
    path = FIXTURES / name
    assert_same(load_path(path, geodata), reference.load_path(path, geodata))


def test_the_bundled_events_load_as_row_by_row(geodata):
    assert_same(load_path(DEFAULT_EVENTS, geodata), reference.load_path(DEFAULT_EVENTS, geodata))


BAD_ACLED = {  # values that break one rule or another, or sit on its edge
    "event_date": ["2023-02-30", "", "19 Septembre 2023", "2023-13-01", "1600-01-01",
                   "25-09-2023", "19 Sep 2023", "2023-09-19 10:00", "19 September 2023",
                   "2023-9-1", "2300-01-01", "2020-01-02", "2023-12-30", "١٢"],
    "latitude": ["91", "-90.0", "abc", "", "40,5", "nan", "inf", "1e1", "-0", "39.81530"],
    "longitude": ["-181", "180", "x", "", "44,5", "46.75190"],
    "event_type": ["Parades", "", "battles", "Riots"],
    "sub_event_type": ["Disrupted weapons use", "", "Change to group/activity", "Arrests"],
    "fatalities": ["-1", "1.5", "2.0", "1e9", "", "100000001", "007", "abc", "0"],
    "time_precision": ["4", "", "2", "3"],
    "geo_precision": ["", "9", "3", "2"],
    "location": ["", "Yerevan", "Khankendi", "Stepanakert", "Goris \u202egnp.exe\u202c",
                 "Lachin corridor", "\u3000Yerevan\xa0", "\x1c\x1f", " Goris\t"],
    "notes": ["", "Shelling, again; \"quoted\" words", "two\nlines"],
    "event_id_cnty": ["", "DUP1", "DUP1", "DUP2"],
    "admin1": ["", "Syunik"],
    "country": [""],
    "actor1": ["", "Someone", "\x85Someone\u2028", "\u200bZero width\u200b"],
    "tags": ["crowd size=no report"],
    "disorder_type": [""],
}


def _bad_acled(count: int, seed: int, *, line_end: str = "\n") -> bytes:
    """Generated ACLED rows, a third of them given bad values, plus blank and short rows."""
    rng = random.Random(seed)
    frame = acled_frame(count, seed=seed)
    rows = frame.to_dict("records")
    for row in rows:
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            column = rng.choice(list(BAD_ACLED))
            row[column] = rng.choice(BAD_ACLED[column])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(frame.columns)
    for i, row in enumerate(rows):
        writer.writerow([row[c] for c in frame.columns])
        if i % 97 == 5:
            buffer.write(line_end)  # a blank line
        if i % 131 == 7:
            buffer.write("only,three,fields" + line_end)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize(("seed", "line_end", "limits"), [
    (1, "\n", None), (2, "\r\n", None), (3, "\n", NARROW)])
def test_generated_acled_with_bad_values_loads_as_row_by_row(geodata, seed, line_end, limits):
    raw = _bad_acled(1500, seed, line_end=line_end)
    fast, slow = both(raw, f"generated-{seed}.csv", geodata, limits=limits)
    assert len(slow.events) > 500 and len(slow.problems) > 200  # the test tests something
    assert_same(fast, slow)


def _own_rows(count: int, seed: int, coordinates: bool) -> list[dict[str, str]]:
    """Rows of our own schema, varied field by field, good and bad."""
    rng = random.Random(seed)
    choices = {
        "event_id": ["", "dup", "dup", "x"],
        "date_start": ["2023-09-19", "2023-09-01", "2023-01-01", "2023-02-30", "19-09-2023", "",
                       "1650-01-01", "2020-01-05"],
        "date_end": ["", "", "2023-09-25", "2023-09-01", "bad"],
        "date_precision": ["day", "day", "month", "year", "range", "", "week"],
        "time": ["", "13:00", "25:00"],
        "place_id": ["stepanakert", "yerevan", "armenia", "lachin_corridor", "nowhere", "",
                     "at:40.18110,44.51360:000000"],
        "category": ["military", "displacement", "bogus"],
        "event_type": ["offensive", "shelling", "not_documented", ""],
        "title": ["A title", "", "   "],
        "killed": ["", "", "5", "-1", "1.5", "100000001", "007"],
        "displaced": ["", "", "1200", "x"],
        "figure_qualifier": ["", "about", "at_least", "bogus"],
        "claimed_by": ["", "Someone"],
        "origin_place_id": ["", "", "", "stepanakert", "nowhere"],
        "destination_place_id": ["", "", "", "goris", "armenia"],
        "source": ["A source", ""],
        "quote": ["a verbatim line", "", "  "],
    }
    located = {
        "latitude": ["", "39.81", "40.1811", "abc", "91", "40,18"],
        "longitude": ["", "46.75", "44.5136", "x"],
        "place_name": ["", "Yerevan", "Stepanakert", "Nowhere"],
        "location_precision": ["", "point: ±30,000 m", "a village"],
    }
    rows = []
    for i in range(count):
        row = {**BASE_ROW, "event_id": f"own-{i}"}
        for column in rng.sample(list(choices), rng.choice([0, 1, 1, 2, 3])):
            row[column] = rng.choice(choices[column])
        if coordinates:
            for column, values in located.items():
                row[column] = rng.choice(values)
            if rng.random() < 0.5:
                row["place_id"] = ""
        rows.append(row)
    return rows


def _csv_text(rows: list[dict[str, str]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_own_files_load_as_row_by_row(geodata, tmp_path, seed):
    strict = tmp_path / f"own-{seed}.csv"  # named on the command line: checked strictly
    strict.write_bytes(_csv_text(_own_rows(800, seed, False), list(COLUMNS)))
    assert_same(load_path(strict, geodata), reference.load_path(strict, geodata))
    header = [*COLUMNS, "latitude", "longitude", "place_name", "location_precision"]
    raw = _csv_text(_own_rows(800, seed, True), header)
    fast, slow = both(raw, f"located-{seed}.csv", geodata, limits=NARROW)
    assert len(slow.events) > 100 and len(slow.problems) > 100
    assert_same(fast, slow)


def test_own_files_of_a_few_columns_load_as_row_by_row(geodata):
    rows = _own_rows(300, 3, True)
    for header in (["event_id", "date_start", "category", "title", "source", "latitude",
                    "longitude"],
                   ["event_id", "date_start", "category", "title", "source", "place_id",
                    "date_precision", "killed", "figure_qualifier"]):
        assert_same(*both(_csv_text(rows, header), "few.csv", geodata))


def test_generated_ged_and_geojson_load_as_row_by_row(geodata):
    rng = random.Random(4)
    rows = [{"id": str(i), "date_start": rng.choice(["2023-09-19", "2023-09-25", "x"]),
             "date_end": rng.choice(["2023-09-19", "2023-09-24", "2023-09-30"]),
             "date_prec": rng.choice(["1", "3", "9", ""]), "where_prec": rng.choice("1234"),
             "latitude": rng.choice(["39.8", "40.18", "95"]),
             "longitude": rng.choice(["46.7", "44.51"]), "adm_1": "", "adm_2": "",
             "country": rng.choice(["Armenia", ""]), "side_a": "A", "side_b": "B",
             "type_of_violence": rng.choice("1234"), "best": rng.choice(["3", "", "-1"]),
             "low": "", "high": "", "deaths_civilians": "", "source_article": "",
             "source_office": "", "source_headline": rng.choice(["", "Headline"])}
            for i in range(300)]
    assert_same(*both(_csv_text(rows, GED_COLUMNS), "ged.csv", geodata))
    features = [{"type": "Feature", "properties": {**r, "best": r["best"]},
                 "geometry": {"type": "Point", "coordinates": [float(r["longitude"]),
                                                               float(r["latitude"])]}}
                for r in rows[:100]]
    raw = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    assert_same(*both(raw, "ged.geojson", geodata))


def test_combined_files_are_as_row_by_row(geodata, tmp_path):
    paths = []
    for seed in (5, 6):
        path = tmp_path / f"part-{seed}.csv"
        path.write_bytes(_bad_acled(300, 5))  # the same points: places shared
        paths.append(path)
    paths.append(DEFAULT_EVENTS)
    mine = load_paths(paths, geodata)
    theirs = combine([reference.load_path(p, geodata) for p in paths])
    assert_same(mine, theirs)


def test_clean_rows_never_go_through_convert(geodata):
    calls = []

    def counting(record, problems, dates):
        calls.append(record)
        return ACLED.convert(record, problems, dates)

    raw = _bad_acled(400, 7)
    counted = dataclasses.replace(ACLED, convert=counting)
    checked = read(raw, "x.csv", geodata.gazetteer, form=counted)
    bad_lines = {p.line for p in checked.events.problems}
    assert 0 < len(calls) <= len(bad_lines)  # only rows something is wrong with


@pytest.mark.parametrize("form", [*FORMATS, OWN], ids=lambda f: f"{f.id}-{f.strict}")
def test_each_format_reads_only_the_columns_it_declares(form):
    class Watching(dict):
        def get(self, key, default=None):
            read_columns.add(key)
            return super().get(key, default)

    read_columns: set[str] = set()
    rng = random.Random(8)
    for _ in range(300):
        record = Watching({c: rng.choice(["", "1", "2023-09-19", "40.1", "Battles", "x"])
                           for c in form.reads})
        form.convert(record, RowProblems(1), DateRange())
    assert read_columns <= set(form.reads)


def test_progress_is_told_a_few_dozen_times_in_order(geodata, tmp_path):
    told: list[tuple[float, str]] = []
    path = tmp_path / "acled.csv"
    path.write_bytes(_bad_acled(3000, 9))
    load_path(path, geodata, progress=lambda share, phrase: told.append((share, phrase)))
    shares = [s for s, _ in told]
    assert 5 <= len(told) <= 60
    assert shares == sorted(shares) and shares[0] >= 0 and shares[-1] == 1.0
    assert {"Reading rows", "Checking rows", "Placing events"} <= {p for _, p in told}


def test_names_in_many_texts_are_found_as_in_one(geodata):
    from dashboard.gazetteer import fold
    from dashboard.importing.searching import folded, named

    rng = random.Random(10)
    words = sorted({w for name in geodata.gazetteer.name_words() for w in name})
    filler = ["the", "in", "near", "and", "x1", "Ə", "ı", "–", ",", "(", ")", "\n", "-", "_"]
    texts = [" ".join(rng.choice(words + filler) for _ in range(rng.randint(0, 25)))
             for _ in range(3000)]
    texts += ["Lachin corridor new route via Mets Shen Hin Shen Hakari bridge near Goris",
              "lachin corridor lachin", "Xankəndi", "", "Stepanakert-Khankendi"]
    import pyarrow as pa

    told = folded(pa.array(texts, type=pa.large_string()))
    assert told.to_pylist() == [fold(t) for t in texts]
    codes, lists = named(told, geodata.gazetteer)
    for text, code in zip(told.to_pylist(), codes, strict=True):
        assert [p.id for p in lists[code]] == [p.id for p in geodata.gazetteer.named_in(text)]


def _either(load, raw: bytes, name: str, geodata):
    """The dataset ``load`` makes of ``raw``, or the sentence refusing it."""
    try:
        return load(raw, name, geodata)
    except ImportRefused as exc:
        return str(exc)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), delimiter=st.sampled_from([",", ";", "\t"]),
       columns=st.sampled_from([ACLED_COLUMNS, GED_COLUMNS, list(COLUMNS),
                                [*COLUMNS, "latitude", "longitude"]]))
def test_random_rows_load_as_row_by_row(geodata, data, delimiter, columns):
    rows = data.draw(st.lists(st.lists(CELL | st.sampled_from(["stepanakert", "military",
                                                               "day", "about", " x "]),
                                       min_size=len(columns), max_size=len(columns)),
                              max_size=12))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows([columns, *rows])
    raw = buffer.getvalue().encode("utf-8")
    mine = _either(import_bytes, raw, "rows.csv", geodata)
    theirs = _either(reference.import_bytes, raw, "rows.csv", geodata)
    if isinstance(theirs, str) or isinstance(mine, str):
        assert mine == theirs
    else:
        assert_same(mine, theirs)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=st.binary(max_size=1500))
def test_random_bytes_load_as_row_by_row(geodata, raw):
    mine = _either(import_bytes, raw, "random.csv", geodata)
    theirs = _either(reference.import_bytes, raw, "random.csv", geodata)
    if isinstance(theirs, str) or isinstance(mine, str):
        assert mine == theirs
    else:
        assert_same(mine, theirs)


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "é", "ə", "😀", "\n", "\r\n", "\r", ",", '"',
                                      "\u2028", "\x85", " "]), max_size=40).map("".join),
       block=st.integers(1, 9))
def test_lines_are_split_as_stringio_splits_them(text, block):
    from dashboard.importing import text as module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "BLOCK", block)  # blocks end inside lines and characters
        lines = list(module.Text(text.encode("utf-8")).lines())
    assert lines == list(io.StringIO(text, newline=""))

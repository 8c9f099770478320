"""Property-based: whatever bytes or rows arrive, the only exception is our own refusal,
and every row is either loaded or listed as skipped."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.importing import ImportRefused, import_bytes
from dashboard.importing.acled import CATEGORIES
from tests.fixtures_imports import ACLED_COLUMNS, GED_COLUMNS

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "1e9", "NaN", "inf", "2023-09-19", "19 September 2023",
                     "31-02-2023", "40.18", "44.51", "999", "1", "2", "3", "=1+1",
                     *CATEGORIES]),
)


def accounted_for(data) -> None:
    """Nothing lost: each row is loaded or named by a skipped-row problem."""
    skipped = {p.line for p in data.skipped}
    assert len(data.events) + len(skipped) == data.total_rows, (
        f"{data.total_rows} rows, {len(data.events)} loaded, {len(skipped)} skipped")


def try_import(raw: bytes, name: str, geodata):
    try:
        data = import_bytes(raw, name, geodata)
    except ImportRefused as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    accounted_for(data)
    return data


@SETTINGS
@given(raw=st.binary(max_size=2000))
def test_random_bytes_load_or_are_refused(geodata, raw):
    try_import(raw, "random.csv", geodata)


def _csv(columns: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@SETTINGS
@given(data=st.data(), delimiter=st.sampled_from([",", ";", "\t"]),
       columns=st.sampled_from([ACLED_COLUMNS, GED_COLUMNS]))
def test_random_rows_load_or_are_listed(geodata, data, delimiter, columns):
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(columns), max_size=len(columns)),
                              max_size=8))
    try_import(_csv(columns, rows, delimiter), "rows.csv", geodata)


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


@SETTINGS
@given(features=st.lists(st.fixed_dictionaries(
    {"type": st.just("Feature"), "geometry": JSON | st.fixed_dictionaries(
        {"type": st.just("Point"), "coordinates": st.lists(JSON, max_size=3)}),
     "properties": JSON}), max_size=5))
def test_random_geojson_loads_or_is_refused(geodata, features):
    raw = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    try_import(raw, "random.geojson", geodata)

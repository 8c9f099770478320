"""The shown events as data: CSV for spreadsheets, GeoJSON for GIS."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from dashboard.formatting import format_when
from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.sources import full_citation

EXTRA_COLUMNS = ("place_name", "location_precision", "latitude", "longitude", "regions",
                 "dataset", "citation")
# The date as a reader says it, precision included, right after the date columns.
WHEN = "when"
_AFTER = COLUMNS.index("date_precision") + 1
HEADER = (*COLUMNS[:_AFTER], WHEN, *COLUMNS[_AFTER:], *EXTRA_COLUMNS)
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a would-be formula with an apostrophe, so spreadsheets show it as text."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


def _when(row: dict) -> str:
    """``September 2023 (known to the month)``: the date with its precision, in words."""
    end = row["end"].date() if row["date_end"] else None
    return format_when(row["start"].date(), end, row["date_precision"], row["time"])


def records(events: pd.DataFrame) -> list[dict[str, object]]:
    """Each event's ``events.csv`` fields (the date also in words, ``when``) plus place name,
    precision, coordinates, regions; in the order of ``HEADER``."""
    out = []
    for row in events.to_dict("records"):
        lon, lat = row["marker"].x, row["marker"].y
        record: dict[str, object] = dict.fromkeys(HEADER)
        record.update({c: _cell(row[c]) for c in COLUMNS})
        record[WHEN] = _when(row)
        for column in FIGURE_COLUMNS:
            record[column] = None if pd.isna(row[column]) else int(row[column])
        record.update(place_name=row["place_name"],
                      location_precision=row["location_precision"],
                      latitude=lat, longitude=lon, regions=list(row["regions"]),
                      dataset=row.get("dataset") or "",
                      citation=full_citation(row["source"]))
        out.append(record)
    return out


def to_csv(events: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheets detect the encoding).

    Text cells that a spreadsheet would run as a formula are neutralised; figures and
    coordinates stay numbers; regions are joined with ``;``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in records(events):
        cells = []
        for column in HEADER:
            value = record[column]
            if column == "regions":
                value = ";".join(value)  # type: ignore[arg-type]
            if isinstance(value, str):
                value = neutralise(value)
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def to_geojson(events: pd.DataFrame) -> bytes:
    """A FeatureCollection: one point per event at its place, every field a property."""
    features = [{
        "type": "Feature",
        "id": record["event_id"],
        "geometry": {"type": "Point",
                     "coordinates": [record["longitude"], record["latitude"]]},
        "properties": {k: v for k, v in record.items() if k not in ("latitude", "longitude")},
    } for record in records(events)]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")

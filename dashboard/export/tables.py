"""The shown events as data: CSV for spreadsheets, GeoJSON for GIS.

Both are written in chunks of :data:`CHUNK` events straight to a binary file
(:func:`write_csv`, :func:`write_geojson`), so a million events never become one string;
each chunk's cells are made a column at a time. :func:`to_csv` and :func:`to_geojson` give
the same bytes in memory.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from dashboard.export.types import Progress
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
CHUNK = 50_000  # events per chunk written
NUMBERS = frozenset((*FIGURE_COLUMNS, "latitude", "longitude"))  # cells that are not text
QUOTE_PATTERN = '[,"\r\n]'  # csv.writer quotes a cell holding one of these
_encode = json.encoder.encode_basestring  # json's own string encoder (in C)


def neutralise(text: str) -> str:
    """Prefix a would-be formula with an apostrophe, so spreadsheets show it as text."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def neutralise_column(texts: pd.Series) -> pd.Series:
    """:func:`neutralise` of every text of ``texts`` at once (vectorised)."""
    texts = texts.astype(str)
    return texts.where(~texts.str.startswith(FORMULA_START), "'" + texts)


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


def _text(column: pd.Series) -> pd.Series:
    """A file column's cells as text: empty where missing (as :func:`_cell` says)."""
    if column.dtype != object and pd.api.types.is_string_dtype(column.dtype):
        return column.fillna("")
    return pd.Series([_cell(v) for v in column.tolist()], index=column.index, dtype="str")


def _by_value(column: pd.Series, make: Callable[[Any], object]) -> pd.Series:
    """``make`` of each distinct value of ``column``, spread back over its rows."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    made = np.asarray([make(v) for v in distinct], dtype=object)
    return pd.Series(made[codes], index=column.index, dtype=object)


def _when(events: pd.DataFrame) -> pd.Series:
    """``September 2023 (known to the month)``: each event's date with its precision."""
    parts = (events["start"], events["end"], events["date_end"].ne(""),
             events["date_precision"], events["time"])
    key = np.zeros(len(events), dtype=np.int64)
    for part in parts:  # one number per distinct combination
        codes, distinct = pd.factorize(part, use_na_sentinel=False)
        key = pd.factorize(key * len(distinct) + codes)[0]  # stays below len(events)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    start, end, has_end, precision, time = (p.to_numpy()[first] for p in parts)
    said = [format_when(pd.Timestamp(s).date(), pd.Timestamp(e).date() if h else None, p, t)
            for s, e, h, p, t in zip(start, end, has_end, precision, time, strict=True)]
    return pd.Series(np.asarray(said, dtype=object)[inverse.ravel()], index=events.index,
                     dtype=object)


def columns(events: pd.DataFrame) -> dict[str, pd.Series]:
    """Each event's ``events.csv`` fields (the date also in words, ``when``) plus place
    name, precision, coordinates, regions, dataset and citation, in the order of
    ``HEADER``: text as ``str``, figures as nullable integers, regions as tuples."""
    out = {c: _text(events[c]) for c in COLUMNS if c not in FIGURE_COLUMNS}
    out[WHEN] = _when(events)
    out.update({c: events[c] for c in FIGURE_COLUMNS})
    marker = events["marker"]
    dataset = (events["dataset"].fillna("") if "dataset" in events
               else pd.Series("", index=events.index, dtype=object))
    out.update(place_name=events["place_name"],
               location_precision=events["location_precision"],
               latitude=marker.y, longitude=marker.x, regions=events["regions"],
               dataset=_by_value(dataset, lambda v: v or ""),
               citation=_by_value(events["source"], full_citation))
    return {c: out[c] for c in HEADER}


def _chunks(events: pd.DataFrame, size: int, progress: Progress | None):
    for start in range(0, len(events), size):
        if progress:
            progress(start / len(events), f"Writing events {start + 1:,} to "
                                          f"{min(start + size, len(events)):,} of {len(events):,}")
        yield columns(events.iloc[start:start + size])
    if progress:
        progress(1.0, f"Written {len(events):,} events")


def csv_cells(texts: pd.Series) -> pd.Series:
    """Text cells as ``csv.writer`` writes them (minimal quoting), would-be formulas
    neutralised (see :func:`neutralise_column`)."""
    texts = neutralise_column(texts)
    quoted = '"' + texts.str.replace('"', '""', regex=False) + '"'
    return texts.where(~texts.str.contains(QUOTE_PATTERN, regex=True), quoted)


def _json_cells(values: pd.Series) -> list[bytes]:
    """Values as ``json.dumps(..., ensure_ascii=False, indent=1)`` writes them inside a
    feature's properties (a list of regions one level deeper)."""
    if values.dtype != object:  # text
        return [_encode(v).encode() for v in values.tolist()]

    def one(value: object) -> bytes:
        if isinstance(value, tuple):  # regions
            items = ",\n".join(f"     {_encode(t)}" for t in value)
            return (f"[\n{items}\n    ]" if value else "[]").encode()
        return (_encode(value) if isinstance(value, str)
                else json.dumps(value, ensure_ascii=False)).encode()
    return [one(v) for v in values.tolist()]


def _cells(values: pd.Series, texts: Callable[[pd.Series], Any]) -> list:
    """``texts`` of the distinct values of ``values`` (all at once), spread over the rows."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    made = np.asarray(texts(pd.Series(distinct, dtype=values.dtype)), dtype=object)
    return made[codes].tolist()


def _numbers(values: pd.Series, missing: str) -> list[str]:
    """Figures and coordinates as Python writes them (``repr``), ``missing`` for none."""
    return [missing if v is None or v is pd.NA else repr(v)
            for v in values.astype(object).tolist()]


def write_csv(events: pd.DataFrame, out: BinaryIO, progress: Progress | None = None,
              chunk: int = CHUNK) -> None:
    """UTF-8 CSV with a byte-order mark (so spreadsheets detect the encoding), laid out
    as ``csv.writer`` does.

    Text cells that a spreadsheet would run as a formula are neutralised; figures and
    coordinates stay numbers; regions are joined with ``;``.
    """
    out.write(("\ufeff" + ",".join(HEADER) + "\r\n").encode())
    for cells in _chunks(events, chunk, progress):
        cells["regions"] = _by_value(cells["regions"], ";".join)
        made = [_numbers(v, "") if c in NUMBERS else _cells(v.fillna(""), csv_cells)
                for c, v in cells.items()]
        lines = [",".join(row) for row in zip(*made, strict=True)]
        out.write(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def to_csv(events: pd.DataFrame) -> bytes:
    """:func:`write_csv` of ``events`` as bytes."""
    buffer = io.BytesIO()
    write_csv(events, buffer)
    return buffer.getvalue()


# One feature as json.dumps(indent=1) lays it out inside the collection's list.
_PROPERTIES = [c for c in HEADER if c not in ("latitude", "longitude")]
_FEATURE = ('  {\n   "type": "Feature",\n   "id": %s,\n   "geometry": {\n'
            '    "type": "Point",\n    "coordinates": [\n     %s,\n     %s\n    ]\n   },\n'
            '   "properties": {\n'
            + ",\n".join(f'    "{c}": %s' for c in _PROPERTIES) + "\n   }\n  }").encode()


def write_geojson(events: pd.DataFrame, out: BinaryIO, progress: Progress | None = None,
                  chunk: int = CHUNK) -> None:
    """A FeatureCollection: one point per event at its place, every field a property.

    The bytes are those of ``json.dumps(collection, ensure_ascii=False, indent=1)``.
    """
    if events.empty:
        out.write(b'{\n "type": "FeatureCollection",\n "features": []\n}')
        return
    out.write(b'{\n "type": "FeatureCollection",\n "features": [\n')
    for number, cells in enumerate(_chunks(events, chunk, progress)):
        text = {c: [n.encode() for n in _numbers(v, "null")] if c in NUMBERS
                else _cells(v, _json_cells) for c, v in cells.items()}
        rows = zip(text["event_id"], text["longitude"], text["latitude"],
                   *(text[c] for c in _PROPERTIES), strict=True)
        out.write((b",\n" if number else b"") + b",\n".join([_FEATURE % row for row in rows]))
    out.write(b"\n ]\n}")


def to_geojson(events: pd.DataFrame) -> bytes:
    """:func:`write_geojson` of ``events`` as bytes."""
    buffer = io.BytesIO()
    write_geojson(events, buffer)
    return buffer.getvalue()

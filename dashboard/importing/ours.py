"""This project's events schema: our own file as kept, and files with coordinates."""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
import pandas as pd

from dashboard.importing.arrow_text import as_text
from dashboard.importing.columns import Columns, Mapped, constant, flags, per_combo
from dashboard.importing.common import LIMITS, Draft, Format, RowProblems, coordinate, coordinates
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange

REQUIRED = ("event_id", "date_start", "category", "title", "source")
MADE_UP = "at:"  # the ids importing gives places made of coordinates (importing.places)
GIVEN = "point: coordinates as given in the file"  # a point's precision when none is said
LOCATING = ("latitude", "longitude", "place_name", "location_precision")


def convert(record: Mapping[str, str], problems: RowProblems,
            dates: DateRange) -> Draft | None:
    """Our own columns as they are; coordinates, when given, locate the event.

    Dates are checked against ``dates`` with the rest of the schema, after mapping.
    """
    draft = Draft()
    draft.row.update({c: record.get(c, "") for c in COLUMNS})
    draft.row["date_precision"] = record.get("date_precision", "") or "day"
    if draft.row["place_id"].startswith(MADE_UP) and record.get("latitude"):
        draft.row["place_id"] = ""  # exported from an import: its coordinates say where
    if not draft.row["place_id"]:
        draft.point = coordinates(record, problems)
        draft.place_name = record.get("place_name", "")
        draft.location_precision = record.get("location_precision", "") or GIVEN
        if draft.point is None:
            return None
    return draft


def _as_given(columns: Columns) -> pd.DataFrame:
    """The schema's columns as the file gives them, and no point."""
    frame = pd.DataFrame({c: as_text(columns[c]) for c in COLUMNS})
    frame["latitude"] = frame["longitude"] = frame["precision_m"] = np.nan
    frame["place_name"] = frame["location_precision"] = constant(len(columns))
    return frame


def convert_columns(columns: Columns, dates: DateRange) -> Mapped:
    """:func:`convert` of whole columns, for the rows whose coordinates (if any) are good."""
    place = columns["place_id"].astype("str")
    made_up = place.str.startswith(MADE_UP).to_numpy(dtype=bool)
    place = place.where(~(made_up & (columns["latitude"] != "").to_numpy(dtype=bool)), "")
    located = (place == "").to_numpy(dtype=bool)
    ok = np.ones(len(columns), dtype=bool)
    for name, limit in LIMITS.items():
        ok &= ~located | flags(lambda v, limit=limit: coordinate(v, limit)[0] is not None,
                               columns.coded(name))
    rows = np.flatnonzero(ok)
    part = columns if len(rows) == len(columns) else columns.take(rows)
    frame = _as_given(part)
    located, place = located[rows], place.iloc[rows].reset_index(drop=True)
    frame["place_id"] = place
    precision = frame["date_precision"]
    frame["date_precision"] = precision.where(precision != "", "day")
    for name, limit in LIMITS.items():
        codes, numbers = per_combo(lambda v, limit=limit: coordinate(v, limit)[0],
                                   part.coded(name))
        found = np.asarray([np.nan if n is None else n for n in numbers], dtype=float)
        frame[name] = np.where(located, found[codes], np.nan)
    frame["place_name"] = part["place_name"].astype("str").where(located, "")
    given = part["location_precision"].astype("str")
    frame["location_precision"] = given.where(given != "", GIVEN).where(located, "")
    return Mapped(rows, frame)


def verbatim_columns(columns: Columns, dates: DateRange) -> Mapped:
    """:func:`verbatim` of whole columns: every row."""
    return Mapped(np.arange(len(columns)), _as_given(columns))


def verbatim(record: Mapping[str, str], problems: RowProblems, dates: DateRange) -> Draft:
    """The schema's columns exactly as the file gives them (our own file); dates are
    checked against ``dates`` with the rest of the schema."""
    draft = Draft()
    draft.row.update({c: record.get(c, "") for c in COLUMNS})
    return draft


def is_own(columns: Set[str]) -> bool:
    """Whether a header is our own file's: every schema column, places by id only."""
    return set(COLUMNS) <= columns and "latitude" not in columns


EVENTS = Format(
    id="events", label="this project's events CSV", detail="place_id, or latitude/longitude",
    required_columns=REQUIRED, located_by=(("place_id",), ("latitude", "longitude")),
    detect=lambda columns: {"event_id", "date_start", "category"} <= columns,
    convert=convert, generic=True, vectorised=convert_columns,
    reads=(*COLUMNS, *LOCATING))
OWN = Format(  # a file named on the command line with this header: see formats.own_format
    id="events", label="events CSV", required_columns=COLUMNS, detect=is_own,
    convert=verbatim, strict=True, vectorised=verbatim_columns, reads=COLUMNS)

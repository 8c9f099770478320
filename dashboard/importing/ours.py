"""This project's events schema: our own file as kept, and files with coordinates."""

from __future__ import annotations

from collections.abc import Mapping, Set

from dashboard.importing.common import Draft, Format, RowProblems, coordinates
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange

REQUIRED = ("event_id", "date_start", "category", "title", "source")
MADE_UP = "at:"  # the ids importing gives places made of coordinates (importing.places)


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
        draft.location_precision = (record.get("location_precision", "")
                                    or "point: coordinates as given in the file")
        if draft.point is None:
            return None
    return draft


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
    convert=convert, generic=True)
OWN = Format(  # a file named on the command line with this header: see formats.own_format
    id="events", label="events CSV", required_columns=COLUMNS, detect=is_own,
    convert=verbatim, strict=True)

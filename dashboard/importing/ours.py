"""This project's events schema, with ``place_id`` or with ``latitude``/``longitude``."""

from __future__ import annotations

from dashboard.importing.common import Draft, RowProblems, coordinates
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange

REQUIRED = ("event_id", "date_start", "category", "title", "source")
MADE_UP = "at:"  # the ids importing gives places made of coordinates (importing.places)


def convert(record: dict[str, str], line: int,
            dates: DateRange) -> tuple[Draft | None, RowProblems]:
    """Our own columns as they are; coordinates, when given, locate the event.

    Dates are checked against ``dates`` with the rest of the schema, after mapping.
    """
    problems = RowProblems(line)
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
            return None, problems
    return draft, problems

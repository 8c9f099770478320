"""Records to checked rows: each mapped by its format, placed, checked against the schema.

One loop for every format, our own events file included: what it keeps, what it drops and
why, with the line (or feature) each problem is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.events import EventsFile
from dashboard.gazetteer import Gazetteer, Place
from dashboard.importing.common import Format, RowProblems
from dashboard.importing.places import locate
from dashboard.importing.reading import Table
from dashboard.validation import DateRange, Problem, check_row, repeated_id


@dataclass
class Checked:
    """A file read and checked: its valid rows and problems, before they are joined.

    ``places`` are those made up for coordinates that valid rows use; ``name`` is what the
    dataset is called (the file's name).
    """

    events: EventsFile
    format: Format
    places: list[Place]
    name: str
    notices: list[str]
    unit: str


class _Known:
    """Place ids of the gazetteer and of the places made up for this file."""

    def __init__(self, gazetteer: Gazetteer, places: dict[str, Place]):
        self.gazetteer, self.places = gazetteer, places

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.places or place_id in self.gazetteer


def check(table: Table, form: Format, gazetteer: Gazetteer, path: Path, name: str,
          dates: DateRange) -> Checked:
    """Map and check every record of ``table`` read from ``path``; problems in file order.

    A row is kept when neither its mapping nor the schema's checks find an error; problems
    name the file's own columns (``form.columns``). Places made up for coordinates say
    they come from ``name``. Dates must fall in ``dates``.
    """
    events = EventsFile(path, [], [], [*table.problems], table.count)
    events.problems += [Problem(line, "row", why) for line, why in table.broken]
    places: dict[str, Place] = {}
    seen: dict[str, int] = {}
    known = _Known(gazetteer, places)  # sees the places as they are added
    for line, record in table.records:
        problems = RowProblems(line)
        draft = form.convert(record, problems, dates)
        events.problems += problems
        if draft is None or any(p.severity == "error" for p in problems):
            continue
        row = draft.row
        if draft.point is not None:
            place = locate(draft, name, gazetteer)
            row["place_id"] = place.id
            places[place.id] = place
        found = check_row(row, line, known, dates)
        repeated = repeated_id(row, line, seen)
        if repeated:
            found.append(repeated)
        if form.columns:
            found = [Problem(p.line, form.columns.get(p.column, p.column), p.message,
                             p.severity) for p in found]
        events.problems += found
        if not any(p.severity == "error" for p in found):
            events.rows.append(row)
            events.lines.append(line)
    events.problems.sort(key=lambda p: p.line)  # stable: a row's problems keep their order
    used = {r["place_id"] for r in events.rows}
    return Checked(events, form, [p for i, p in places.items() if i in used], name,
                   table.notices, table.unit)

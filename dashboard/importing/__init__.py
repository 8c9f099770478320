"""Bring your own events: this project's CSV, ACLED, UCDP GED, or GeoJSON of any of them.

Files are untrusted. :func:`import_bytes` refuses a file it cannot use with one
:class:`ImportRefused` sentence; otherwise it loads the valid rows and lists every skipped
one (line, column, value, reason). Nothing is written anywhere.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from dashboard.dataset import Dataset, Geodata, combine, enrich, load_dataset
from dashboard.errors import DataFileError
from dashboard.events import EventsFile, open_regular, read_bytes
from dashboard.importing import acled, ged, ours
from dashboard.importing.places import extend, locate
from dashboard.importing.reading import ImportRefused, Limits, Table, read_table
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange, Problem, check_row, repeated_id

__all__ = ["FORMATS", "ImportRefused", "Limits", "detect", "import_bytes", "import_path",
           "load_paths"]

FORMATS: dict[str, str] = {
    "events": "this project's events CSV (place_id, or latitude/longitude)",
    "acled": "an ACLED export",
    "ged": "UCDP GED (Georeferenced Event Dataset)",
}
MAPPERS: dict[str, ModuleType] = {"events": ours, "acled": acled, "ged": ged}


def detect(header: list[str]) -> str | None:
    """The format whose tell-tale columns ``header`` has, or None."""
    columns = set(header)
    if {"event_id_cnty", "event_date"} <= columns:
        return "acled"
    if {"where_prec", "date_prec"} & columns or {"best", "type_of_violence"} <= columns:
        return "ged"
    if {"event_id", "date_start", "category"} <= columns:
        return "events"
    return None


def missing_columns(fmt: str, header: list[str]) -> list[str]:
    """Columns ``fmt`` needs that ``header`` lacks."""
    missing = [c for c in MAPPERS[fmt].REQUIRED if c not in header]
    if fmt == "events" and "place_id" not in header:
        missing += [c for c in ("latitude", "longitude") if c not in header]
    return missing


def _format_of(table: Table, fmt: str | None) -> str:
    if fmt is not None and fmt not in FORMATS:
        raise ImportRefused(f"{fmt!r} is not a format; choose {', '.join(FORMATS)}.")
    chosen = fmt or detect(table.header)
    if chosen is None:
        raise ImportRefused(
            f"{table.name}'s columns are not those of an ACLED export (event_id_cnty, "
            f"event_date, …), UCDP GED (id, date_start, date_end, best, …) or this "
            f"project's events file (event_id, date_start, category, …).")
    missing = missing_columns(chosen, table.header)
    if missing:
        raise ImportRefused(f"{table.name} lacks columns needed to read it as "
                            f"{FORMATS[chosen]}: {', '.join(missing)}.")
    return chosen


def _rows(table: Table, fmt: str, geodata: Geodata,
          dates: DateRange) -> tuple[EventsFile, list]:
    """Map and check every record; the valid rows, every problem and the new places."""
    events = EventsFile(Path(table.name), [], [], [], len(table.records) + len(table.broken))
    events.problems += [Problem(line, "row", why) for line, why in table.broken]
    places: dict = {}
    seen: dict[str, int] = {}
    known = _Known(geodata.gazetteer, places)  # sees the places as they are added
    mapper = MAPPERS[fmt]
    for line, record in table.records:
        draft, problems = mapper.convert(record, line, dates)
        events.problems += problems
        if draft is None or any(p.severity == "error" for p in problems):
            continue
        row = draft.row
        if draft.point is not None:
            place = locate(draft, table.name, geodata.gazetteer)
            row["place_id"] = place.id
            places[place.id] = place
        found = check_row(row, line, known, dates)
        repeated = repeated_id(row, line, seen)
        if repeated:
            found.append(repeated)
        found = [Problem(p.line, draft.columns.get(p.column, p.column), p.message, p.severity)
                 for p in found]
        events.problems += found
        if not any(p.severity == "error" for p in found):
            events.rows.append(row)
            events.lines.append(line)
    used = {r["place_id"] for r in events.rows}
    return events, [p for i, p in places.items() if i in used]


class _Known:
    """Place ids of the gazetteer and of the places made up for this file."""

    def __init__(self, gazetteer, places: dict):
        self.gazetteer, self.places = gazetteer, places

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.places or place_id in self.gazetteer


def import_bytes(raw: bytes, name: str, geodata: Geodata, *, fmt: str | None = None,
                 limits: Limits | None = None) -> Dataset:
    """An uploaded file as a :class:`Dataset` named ``name``; its skipped rows in ``problems``.

    Raises
    ------
    ImportRefused
        For an empty, oversized, unreadable or unrecognised file, in one sentence.
    """
    limits = limits or Limits()
    table = read_table(raw, name, limits)
    chosen = _format_of(table, fmt)
    events, places = _rows(table, chosen, geodata, limits.dates)
    extended = extend(geodata, places)
    frame = enrich(events, extended)
    frame["dataset"] = name
    return Dataset(Path(name), frame, extended, events.problems, events.total_rows,
                   name=name, format=chosen, notices=table.notices)


def import_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
                limits: Limits | None = None) -> Dataset:
    """:func:`import_bytes` of a file on disk."""
    path = Path(path)
    try:
        raw = read_bytes(path, limits.max_bytes if limits else None)
    except DataFileError as exc:
        raise ImportRefused(str(exc)) from None
    return import_bytes(raw, path.name, geodata, fmt=fmt, limits=limits)


def is_events_file(path: Path) -> bool:
    """Whether ``path`` is this project's events CSV with place ids (read strictly).

    Only a regular file's first line (at most 64 KB) is read.
    """
    try:
        with open_regular(path) as handle:
            first = handle.readline(2**16).split(b"\r")[0]
        header = first.decode("utf-8-sig")
    except (DataFileError, OSError, UnicodeDecodeError):
        return False
    columns = {c.strip() for c in header.strip().split(",")}
    return set(COLUMNS) <= columns and "latitude" not in columns


def load_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
              limits: Limits | None = None) -> Dataset:
    """A file on disk in any format; an events CSV with place ids is read as the bundled one."""
    path = Path(path)
    if fmt in (None, "events") and is_events_file(path):
        return load_dataset(path, geodata, limits)
    return import_path(path, geodata, fmt=fmt, limits=limits)


def load_paths(paths: list[Path | str], geodata: Geodata, *, fmt: str | None = None,
               limits: Limits | None = None) -> Dataset:
    """Several files shown together (see :func:`dashboard.dataset.combine`)."""
    return combine([load_path(p, geodata, fmt=fmt, limits=limits) for p in paths])

"""Reading an events file into validated rows with their line numbers."""

from __future__ import annotations

import calendar
import csv
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.errors import DataFileError
from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.validation import (
    Problem,
    check_columns,
    check_row,
    parse_date,
    repeated_id,
)


@dataclass
class EventsFile:
    """The rows of an events file that passed validation, and every problem found."""

    path: Path
    rows: list[dict[str, str]]
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the file invalid (warnings excluded)."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def skipped_lines(self) -> list[int]:
        """Lines of rows that were dropped, in file order."""
        return sorted({p.line for p in self.errors if p.line > 1})


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is a one-line :class:`DataFileError`."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"events file not found: {path}") from None
    except OSError as exc:
        raise DataFileError(f"cannot read events file {path}: {exc.strerror}") from None


def _read_text(path: Path) -> str:
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None


def read_events(path: Path | str, places: Container[str]) -> EventsFile:
    """Parse and check an events CSV; rows with errors are left out and reported.

    Raises
    ------
    DataFileError
        When the file cannot be read, is empty, or lacks required columns.
    """
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise DataFileError(f"{path} is empty")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        problems = check_columns(header)
        missing = [p.column for p in problems if p.message == "missing column"]
        if missing:
            raise DataFileError(f"{path} lacks the columns: {', '.join(missing)}")
        result = EventsFile(path, [], [], problems)
        index = {c: header.index(c) for c in COLUMNS}
        seen: dict[str, int] = {}
        end_of_previous = reader.line_num
        for values in reader:
            line = end_of_previous + 1
            end_of_previous = reader.line_num
            if not any(v.strip() for v in values):
                continue
            result.total_rows += 1
            if len(values) != len(header):
                result.problems.append(Problem(
                    line, "row", f"has {len(values)} fields, the header has {len(header)}"))
                continue
            row = {c: values[i].strip() for c, i in index.items()}
            row_problems = check_row(row, line, places)
            repeated = repeated_id(row, line, seen)
            if repeated:
                row_problems.append(repeated)
            result.problems.extend(row_problems)
            if not any(p.severity == "error" for p in row_problems):
                result.rows.append(row)
                result.lines.append(line)
    except csv.Error as exc:
        raise DataFileError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
    return result


def effective_end(start: date, end: str, precision: str) -> date:
    """Last day an event covers: its end, or the end of its month or year."""
    if end:
        return parse_date(end)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return start


def to_frame(events: EventsFile) -> pd.DataFrame:
    """The valid rows as a typed table: ``start``/``end`` dates, integer figures, ``line``."""
    frame = pd.DataFrame(events.rows, columns=list(COLUMNS))
    starts = [parse_date(r["date_start"]) for r in events.rows]
    ends = [effective_end(s, r["date_end"], r["date_precision"])
            for s, r in zip(starts, events.rows, strict=True)]
    frame["start"] = pd.to_datetime(pd.Series(starts, dtype="object"))
    frame["end"] = pd.to_datetime(pd.Series(ends, dtype="object"))
    for column in FIGURE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    frame["line"] = events.lines
    return frame

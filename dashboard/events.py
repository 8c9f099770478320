"""Reading an events file into validated rows with their line numbers."""

from __future__ import annotations

import calendar
import csv
import io
import os
import stat
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from dashboard.errors import DataFileError
from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.settings import MAX_BYTES, Limits
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


def too_large(name: str, size: int, limit: int) -> str:
    """The sentence refusing a file of ``size`` bytes over ``limit``."""
    return f"{name} is {size / 2**20:.1f} MB, more than the limit of {limit / 2**20:.0f} MB."


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file (never blocks on a pipe).

    Raises
    ------
    DataFileError
        When it is missing, unreadable, or not a regular file (a pipe, device, folder).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise DataFileError(f"events file not found: {path}") from None
    except OSError as exc:
        raise DataFileError(f"cannot read events file {path}: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataFileError(f"{path} is not a regular file (a pipe, device or folder); "
                            f"give the path of a saved file")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default ``MAX_BYTES``).

    Never reads more than ``limit + 1`` bytes. Everything that goes wrong is a one-line
    :class:`DataFileError`.
    """
    limit = MAX_BYTES if limit is None else limit
    with open_regular(Path(path)) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise DataFileError(too_large(Path(path).name, size, limit))
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise DataFileError(f"cannot read events file {path}: {exc.strerror}") from None
    if len(raw) > limit:
        raise DataFileError(too_large(Path(path).name, len(raw), limit))
    return raw


def is_utf16(raw: bytes) -> bool:
    """Whether ``raw`` looks like UTF-16: a UTF-16 byte-order mark, or NUL every other byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:1024]
    half = len(sample) // 2
    return half >= 2 and max(sample[0::2].count(0), sample[1::2].count(0)) > half * 0.6


def _read_text(path: Path, limit: int) -> str:
    raw = read_bytes(path, limit)
    if is_utf16(raw):
        raise DataFileError(f"{path} is UTF-16 text, not UTF-8; save it as UTF-8 CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None


def read_events(path: Path | str, places: Container[str],
                limits: Limits | None = None) -> EventsFile:
    """Parse and check an events CSV; rows with errors are left out and reported.

    Line numbers are the file's own: only ``\n``, ``\r\n`` and ``\r`` end a line, and a
    quoted field may hold any other character, line and page separators included.

    ``limits`` (default :class:`~dashboard.settings.Limits`) bound the file's size and
    its events' dates.

    Raises
    ------
    DataFileError
        When the file cannot be read, is empty, has no rows, or lacks required columns.
    """
    path = Path(path)
    limits = limits or Limits()
    text = _read_text(path, limits.max_bytes)
    if not text.strip():
        raise DataFileError(f"{path} is empty")
    dates = limits.dates
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
            row_problems = check_row(row, line, places, dates)
            repeated = repeated_id(row, line, seen)
            if repeated:
                row_problems.append(repeated)
            result.problems.extend(row_problems)
            if not any(p.severity == "error" for p in row_problems):
                result.rows.append(row)
                result.lines.append(line)
    except csv.Error as exc:
        raise DataFileError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
    if not result.total_rows:
        raise DataFileError(f"{path} has a header but no rows")
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

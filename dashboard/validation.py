"""Row-level checks of an events file against the schema and the gazetteer."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date

from dashboard.schema import (
    CATEGORIES,
    COLUMNS,
    DATE_PRECISIONS,
    EVENT_TYPES,
    FIGURE_COLUMNS,
    FIGURE_QUALIFIERS,
    REQUIRED_TEXT,
)

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_FIGURE = 100_000_000  # the largest killed/injured/displaced figure accepted
DATE_MIN, DATE_MAX = date(1700, 1, 1), date(2200, 12, 31)  # defaults of DateRange
# The widest range the dashboard can show: Streamlit's date slider counts microseconds
# from 1970 in a JavaScript number, exact for about 285 years either way.
HARD_MIN, HARD_MAX = date(1686, 1, 1), date(2254, 12, 31)
SHOWN_CHARS = 60  # longer values are shortened in messages
TOO_LARGE = f"is more than {MAX_FIGURE:,}, the largest figure accepted"


def shown(value: str) -> str:
    """``value`` quoted for a message, shortened with an ellipsis when long."""
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS - 1] + "…")


@dataclass(frozen=True)
class DateRange:
    """The dates an event may have; rows outside are bad rows (see the README)."""

    first: date = DATE_MIN
    last: date = DATE_MAX

    def problem(self, day: date) -> str | None:
        """Why ``day`` is outside the range, or None."""
        if self.first <= day <= self.last:
            return None
        return f"is outside the dates this dashboard accepts ({self.first} to {self.last})"


def figure_problem(value: str) -> str | None:
    """Why digits ``value`` are too large a figure, or None (checked without ``int``)."""
    digits = value.lstrip("0")
    if len(digits) > len(str(MAX_FIGURE)) or int(digits or "0") > MAX_FIGURE:
        return TOO_LARGE
    return None


@dataclass(frozen=True)
class Problem:
    """One finding: ``PATH:LINE: column: message``; errors drop the row, warnings do not."""

    line: int
    column: str
    message: str
    severity: str = "error"

    def format(self, path: str) -> str:
        """The ``PATH:LINE: column: problem`` form of the command line."""
        prefix = "" if self.severity == "error" else "warning: "
        return f"{path}:{self.line}: {self.column}: {prefix}{self.message}"


def check_columns(header: list[str]) -> list[Problem]:
    """Missing, extra, duplicate or out-of-order columns (all on line 1)."""
    problems = [Problem(1, c, "missing column") for c in COLUMNS if c not in header]
    problems += [Problem(1, c, "unexpected column") for c in header if c not in COLUMNS]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(1, name, "duplicate column"))
        seen.add(name)
    if not problems and list(header) != list(COLUMNS):
        problems.append(Problem(1, "header", "columns are not in the documented order"))
    return problems


def parse_date(value: str) -> date:
    """An ISO ``YYYY-MM-DD`` date; raises ``ValueError`` with a readable reason."""
    if not ISO_RE.match(value):
        raise ValueError(f"{shown(value)} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{shown(value)} is not a real date") from None


def _date_in(value: str, dates: DateRange) -> date:
    day = parse_date(value)
    why = dates.problem(day)
    if why:
        raise ValueError(f"{shown(value)} {why}")
    return day


def _check_dates(row: dict[str, str], line: int, dates: DateRange) -> Iterable[Problem]:
    start = end = None
    try:
        start = _date_in(row["date_start"], dates)
    except ValueError as exc:
        yield Problem(line, "date_start", "missing" if not row["date_start"] else str(exc))
    if row["date_end"]:
        try:
            end = _date_in(row["date_end"], dates)
        except ValueError as exc:
            yield Problem(line, "date_end", str(exc))
    if start and end and end < start:
        yield Problem(line, "date_end", f"{end} is before date_start {start}")
    precision = row["date_precision"]
    if precision not in DATE_PRECISIONS:
        yield Problem(line, "date_precision",
                      f"{shown(precision)} is not one of {', '.join(DATE_PRECISIONS)}")
    elif start and precision == "month" and start.day != 1:
        yield Problem(line, "date_start", "a month-precision date must be the 1st of the month")
    elif precision == "range" and not row["date_end"]:
        yield Problem(line, "date_end", "a range-precision date needs date_end")
    elif start and precision == "year" and (start.month, start.day) != (1, 1):
        yield Problem(line, "date_start", "a year-precision date must be January 1st")
    if row["time"] and not TIME_RE.match(row["time"]):
        yield Problem(line, "time", f"{shown(row['time'])} is not a 24-hour HH:MM time")


def _check_figures(row: dict[str, str], line: int) -> Iterable[Problem]:
    has_figure = False
    for column in FIGURE_COLUMNS:
        value = row[column]
        if not value:
            continue
        if not value.isdigit() or not value.isascii():
            reason = "is negative" if value.lstrip().startswith("-") else "is not a whole number"
            yield Problem(line, column, f"{shown(value)} {reason}")
        elif too_large := figure_problem(value):
            yield Problem(line, column, f"{shown(value)} {too_large}")
        has_figure = True
    qualifier = row["figure_qualifier"]
    if qualifier and qualifier not in FIGURE_QUALIFIERS:
        yield Problem(line, "figure_qualifier",
                      f"{shown(qualifier)} is not one of {', '.join(FIGURE_QUALIFIERS)}")
    if has_figure and not qualifier:
        yield Problem(line, "figure_qualifier", "a figure is given without its qualifier")
    if qualifier and not has_figure:
        yield Problem(line, "figure_qualifier", "a qualifier is given without a figure")
    if has_figure and not row["claimed_by"]:
        yield Problem(line, "claimed_by", "a figure is given without who claims it",
                      "warning")


def check_row(row: dict[str, str], line: int, places: Container[str],
              dates: DateRange | None = None) -> list[Problem]:
    """Every problem of one row; ``places`` holds the known place ids.

    ``dates`` defaults to :class:`DateRange`'s defaults (the settings can change them).
    """
    problems = [Problem(line, c, "empty") for c in REQUIRED_TEXT if not row[c].strip()]
    problems += _check_dates(row, line, dates or DateRange())
    problems += _check_figures(row, line)
    if not row["place_id"]:
        problems.append(Problem(line, "place_id", "empty"))
    for column in ("place_id", "origin_place_id", "destination_place_id"):
        if row[column] and row[column] not in places:
            problems.append(Problem(line, column, f"unknown place id {shown(row[column])}"))
    if bool(row["origin_place_id"]) != bool(row["destination_place_id"]):
        problems.append(Problem(line, "destination_place_id",
                                "a movement needs both origin and destination"))
    if row["category"] not in CATEGORIES:
        problems.append(Problem(line, "category",
                                f"{shown(row['category'])} is not one of {', '.join(CATEGORIES)}"))
    if not row["event_type"]:
        problems.append(Problem(line, "event_type", "empty"))
    elif row["event_type"] not in EVENT_TYPES:
        problems.append(Problem(line, "event_type", f"{shown(row['event_type'])} is not a "
                                "documented event type (see the README)", "warning"))
    if not row["quote"].strip():
        problems.append(Problem(line, "quote", "no verbatim quote supports this row", "warning"))
    return problems


def repeated_id(row: dict[str, str], line: int, seen: dict[str, int]) -> Problem | None:
    """A problem when ``row``'s id was first seen on another line; ``seen`` records ids."""
    first = seen.setdefault(row["event_id"], line) if row["event_id"] else line
    if first == line:
        return None
    return Problem(line, "event_id",
                   f"duplicate id {shown(row['event_id'])} (first on line {first})")

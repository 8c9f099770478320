"""What every format's mapping shares: the draft row, dates, coordinates and figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from dashboard.schema import COLUMNS
from dashboard.validation import MAX_FIGURE, TOO_LARGE, DateRange, Problem, shown

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%m-%Y")
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}")


@dataclass
class Draft:
    """One imported record mapped onto the events schema, before the schema's checks.

    ``point`` is ``(latitude, longitude)`` when the record locates itself by coordinates
    (its place is then made up at import); ``columns`` names, for each schema column, the
    column of the file it came from, so problems name what the user sees.
    """

    row: dict[str, str] = field(default_factory=lambda: dict.fromkeys(COLUMNS, ""))
    point: tuple[float, float] | None = None
    place_name: str = ""
    location_precision: str = ""
    precision_m: int | None = None
    columns: dict[str, str] = field(default_factory=dict)


class RowProblems(list[Problem]):
    """The problems of one record, collected while mapping it."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line

    def add(self, column: str, value: str, reason: str) -> None:
        self.append(Problem(self.line, column, f"{shown(value)} {reason}" if value else reason))


def parse_day(value: str) -> date:
    """``2023-09-19`` (a time after it is ignored), ``19 September 2023``, ``19-09-2023``."""
    text = value.strip()
    match = _ISO_PREFIX.match(text)
    if match:
        text = match.group(1)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("is not a date (YYYY-MM-DD, 19 September 2023 or 19-09-2023)")


def day(record: dict[str, str], column: str, problems: RowProblems,
        dates: DateRange) -> date | None:
    """The date in ``column`` within ``dates``, or None with a problem."""
    value = record.get(column, "")
    if not value:
        problems.add(column, "", "missing date")
        return None
    try:
        when = parse_day(value)
    except ValueError as exc:
        problems.add(column, value, str(exc))
        return None
    why = dates.problem(when)
    if why:
        problems.add(column, value, why)
        return None
    return when


def coordinates(record: dict[str, str], problems: RowProblems, lat: str = "latitude",
                lon: str = "longitude") -> tuple[float, float] | None:
    """``(latitude, longitude)`` within range, or None with a problem for each bad one."""
    values = []
    for column, limit in ((lat, 90.0), (lon, 180.0)):
        text = record.get(column, "")
        try:
            number = float(text.replace(",", ".")) if text else None
        except ValueError:
            problems.add(column, text, "is not a number")
            continue
        if number is None:
            problems.add(column, "", "missing coordinate")
        elif not -limit <= number <= limit:  # NaN fails this too
            problems.add(column, text, f"is out of range (-{limit:g} to {limit:g})")
        else:
            values.append(number)
    return (values[0], values[1]) if len(values) == 2 else None


def figure(record: dict[str, str], column: str, problems: RowProblems) -> str:
    """A count of people as the schema's digits ('' when empty); a problem if not one."""
    text = record.get(column, "").strip()
    if not text:
        return ""
    try:
        number = float(text)
    except ValueError:
        problems.add(column, text, "is not a number")
        return ""
    if number < 0:
        problems.add(column, text, "is negative")
    elif number > MAX_FIGURE:  # infinity too
        problems.add(column, text, TOO_LARGE)
    elif not number.is_integer():
        problems.add(column, text, "is not a whole number")
    else:
        return str(int(number))
    return ""


def slug(text: str) -> str:
    """``Shelling/artillery/missile attack`` -> ``shelling_artillery_missile_attack``."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def joined(*parts: str, sep: str = "; ") -> str:
    return sep.join(p for p in parts if p)

"""What every format shares: its :class:`Format` record, the draft row, dates, coordinates
and figures."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime

from dashboard.errors import DataFileError, ImportRefused
from dashboard.importing.columns import Columns, Mapped
from dashboard.schema import COLUMNS
from dashboard.validation import (
    MAX_FIGURE,
    TOO_LARGE,
    DateRange,
    Problem,
    check_columns,
    shown,
)

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%m-%Y")
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}")


@dataclass
class Draft:
    """One imported record mapped onto the events schema, before the schema's checks.

    ``point`` is ``(latitude, longitude)`` when the record locates itself by coordinates
    (its place is then made up at import).
    """

    row: dict[str, str] = field(default_factory=lambda: dict.fromkeys(COLUMNS, ""))
    point: tuple[float, float] | None = None
    place_name: str = ""
    location_precision: str = ""
    precision_m: int | None = None


class RowProblems(list[Problem]):
    """The problems of one record, collected while mapping it."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line

    def add(self, column: str, value: str, reason: str) -> None:
        self.append(Problem(self.line, column, f"{shown(value)} {reason}" if value else reason))


Converter = Callable[[Mapping[str, str], RowProblems, DateRange], Draft | None]
# A converter of whole columns (see dashboard.importing.columns): the rows it maps cleanly.
Vectorised = Callable[[Columns, DateRange], Mapped]


@dataclass(frozen=True, eq=False)
class Format:
    """One format of events file: how it is recognised, what it needs, how a row maps.

    ``detect`` tells from the set of a header's columns whether a file is in this format;
    ``convert`` maps one record (column -> text) onto the schema, its dates within the
    range it is given, adding what is wrong to the problems it is given and returning None
    when the row cannot be used. ``columns``
    names, for each schema column, the column of the file it comes from, so problems name
    what the user sees. ``located_by``: sets of columns any one of which places an event
    (when none is complete, the last one's columns are missing). A ``generic`` format is
    detected after the others: its columns are common ones. A ``strict`` one is our own
    file as ``validate`` checks it: UTF-8, commas, strict quoting, every column.
    ``reads``: every column ``convert`` looks at (the others are not kept; empty: all).
    ``vectorised`` maps whole columns at once, exactly as ``convert`` maps each row, for
    the rows it can prove clean; the others go through ``convert``.
    """

    id: str
    label: str
    required_columns: tuple[str, ...]
    detect: Callable[[Set[str]], bool]
    convert: Converter
    detail: str = ""
    located_by: tuple[tuple[str, ...], ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)
    generic: bool = False
    strict: bool = False
    reads: tuple[str, ...] = ()
    vectorised: Vectorised | None = None

    @property
    def title(self) -> str:
        """The label with its detail: ``UCDP GED (Georeferenced Event Dataset)``."""
        return f"{self.label} ({self.detail})" if self.detail else self.label

    def missing(self, header: Sequence[str]) -> list[str]:
        """Columns this format needs that ``header`` lacks."""
        missing = [c for c in self.required_columns if c not in header]
        if self.located_by and not any(set(g) <= set(header) for g in self.located_by):
            missing += [c for c in self.located_by[-1] if c not in header]
        return missing

    def header_problems(self, header: list[str], name: str) -> list[Problem]:
        """Problems of the header (line 1) that leave the rows readable.

        Raises
        ------
        DataFileError
            When columns this format needs are missing (an :class:`ImportRefused` sentence
            unless the format is strict).
        """
        missing = self.missing(header)
        if missing and self.strict:
            raise DataFileError(f"{name} lacks the columns: {', '.join(missing)}")
        if missing:
            raise ImportRefused(f"{name} lacks columns needed to read it as {self.title}: "
                                f"{', '.join(missing)}.")
        return check_columns(header) if self.strict else []


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


def day(record: Mapping[str, str], column: str, problems: RowProblems,
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


LIMITS = {"latitude": 90.0, "longitude": 180.0}  # coordinates lie within ± these


def coordinate(text: str, limit: float) -> tuple[float | None, str]:
    """A coordinate within ``±limit``, or None and why not (with the value, or empty)."""
    try:
        number = float(text.replace(",", ".")) if text else None
    except ValueError:
        return None, "is not a number"
    if number is None:
        return None, "missing coordinate"
    if not -limit <= number <= limit:  # NaN fails this too
        return None, f"is out of range (-{limit:g} to {limit:g})"
    return number, ""


def coordinates(record: Mapping[str, str], problems: RowProblems, lat: str = "latitude",
                lon: str = "longitude") -> tuple[float, float] | None:
    """``(latitude, longitude)`` within range, or None with a problem for each bad one."""
    values = []
    for column, limit in ((lat, LIMITS["latitude"]), (lon, LIMITS["longitude"])):
        text = record.get(column, "")
        number, why = coordinate(text, limit)
        if number is None:
            problems.add(column, text, why)
        else:
            values.append(number)
    return (values[0], values[1]) if len(values) == 2 else None


def figure_text(text: str) -> tuple[str, str]:
    """A count of people as the schema's digits ('' when empty), and why it is not one."""
    text = text.strip()
    if not text:
        return "", ""
    try:
        number = float(text)
    except ValueError:
        return "", "is not a number"
    if number < 0:
        return "", "is negative"
    if number > MAX_FIGURE:  # infinity too
        return "", TOO_LARGE
    if not number.is_integer():
        return "", "is not a whole number"
    return str(int(number)), ""


def figure(record: Mapping[str, str], column: str, problems: RowProblems) -> str:
    """A count of people as the schema's digits ('' when empty); a problem if not one."""
    digits, why = figure_text(record.get(column, ""))
    if why:
        problems.add(column, record.get(column, "").strip(), why)
    return digits


def slug(text: str) -> str:
    """``Shelling/artillery/missile attack`` -> ``shelling_artillery_missile_attack``."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def joined(*parts: str, sep: str = "; ") -> str:
    return sep.join(p for p in parts if p)

"""Absolute dates and times as reports write them, found by regular expressions.

Forms: ``September 19, 2023``, ``19 September``, ``19.09.2023``, ``2023-09-19``,
``19-20 September``, ``on the night of 19 to 20 September``, ``mid-September``,
``in December 2022``, ``in 2020``, ``2020-2023``; times ``around 1 pm``, ``at noon``,
``at 13:00``. A date without a year gets one later (:mod:`dashboard.extract.anchoring`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
          "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
          "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
          "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d"
_TO = r"\s*(?:-|–|—|to|and|until|till|through|into|/)\s*"
_COUNTED = (r"people|persons|civilians|soldiers|troops|servicemen|refugees|residents|"
            r"families|children|men|women|houses|homes|buildings|km|kilomet|met|tonnes|tons|"
            r"vehicles|trucks|%|percent")


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH})\.?"


def _year(name: str) -> str:
    return rf"(?:,?\s+(?P<{name}>{_YEAR})(?![\d,.]\d))?"


# (form, precision, pattern); earlier forms win where matches overlap.
_FORMS: tuple[tuple[str, str, str], ...] = (
    ("night", "day", rf"\b(?:on\s+)?the\s+night\s+of\s+(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}{_TO}"
     rf"(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_month('m2')}{_year('y2')}"),
    ("night", "day", rf"\b(?:on\s+)?the\s+night\s+of\s+{_month('m2')}\s+(?P<d1>\d{{1,2}}){_ORD}"
     rf"{_TO}(?P<d2>\d{{1,2}}){_ORD}(?!\d){_year('y2')}"),
    ("days", "day", rf"(?:\b(?P<between>between|from)\s+)?(?<![\d.,])(?P<d1>\d{{1,2}}){_ORD}"
     rf"{_TO}(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_month('m2')}{_year('y2')}"),
    ("days", "day", rf"(?:\b(?P<between>between|from)\s+)?{_month('m2')}\s+(?P<d1>\d{{1,2}})"
     rf"{_ORD}{_TO}(?P<d2>\d{{1,2}}){_ORD}(?![\d:]){_year('y2')}"),
    ("day", "day", rf"\b{_month('m1')}\s+(?P<d1>\d{{1,2}}){_ORD}(?![\d:]){_year('y1')}"),
    ("day", "day", rf"(?<![\d.,])(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_month('m1')}"
     rf"{_year('y1')}"),
    ("numeric", "day", rf"(?<![\d.,/])(?P<d1>\d{{1,2}})(?P<sep>[./])(?P<m1>\d{{1,2}})(?P=sep)"
     rf"(?P<y1>{_YEAR})(?![\d/]|[.,]\d)"),
    ("iso", "day", rf"(?<![\d-])(?P<y1>{_YEAR})-(?P<m1>\d\d)-(?P<d1>\d\d)(?![\d-])"),
    ("part", "range", rf"\b(?P<part>early|mid|late|the\s+(?:beginning|start|middle|end)\s+of)"
     rf"[\s-]*{_month('m1')}{_year('y1')}"),
    ("month", "month", rf"\b{_month('m1')},?\s+(?:of\s+)?(?P<y1>{_YEAR})(?![\d,.]\d)"),
    ("month", "month", rf"\b(?:in|since|during|until|till|by|from|throughout|of)\s+"
     rf"(?:the\s+month\s+of\s+)?{_month('m1')}\b(?!\s*\d)"),
    ("years", "year", rf"\b(?P<y1>{_YEAR}){_TO}(?P<y2>{_YEAR})\b"),
    ("year", "year", rf"\b(?:in|since|during|until|till|by|from|of|before|after|the|early|late|"
     rf"mid|around|circa)[\s-]+(?P<y1>{_YEAR})\b(?![,.]\d)(?!\s*(?:{_COUNTED}))"),
)
PATTERNS = tuple((form, precision, re.compile(p)) for form, precision, p in _FORMS)
_PARTS = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20),
          "middle": (11, 20), "late": (21, 31), "end": (21, 31)}
TIME = re.compile(
    r"(?P<approx>\b(?:at\s+)?(?:around|about|approximately|approx\.|circa|some)\s+)?"
    r"(?:\bat\s+)?(?:(?P<h>\d{1,2})(?::(?P<min>\d\d))?\s*(?P<ampm>[ap])\.?m\b\.?"
    r"|(?P<noon>\bnoon|\bmidday|\bmidnight)\b|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b)",
    re.IGNORECASE)


@dataclass(frozen=True)
class RawDate:
    """A date as written: fields it gives (the year may be missing) and its span."""

    start: int
    end: int
    text: str
    form: str
    precision: str
    first: tuple[int | None, int, int]  # (year, month, day); day 1 for a month or year
    last: tuple[int | None, int, int] | None = None  # the end of a span, if written

    def with_year(self, year: int) -> RawDate:
        """The same date with ``year`` where the text gave none."""
        first = (self.first[0] or year, *self.first[1:])
        last = None if self.last is None else (self.last[0] or first[0], *self.last[1:])
        return replace(self, first=first, last=last)


@dataclass(frozen=True)
class TimeMention:
    """A time of day: ``13:00``; ``approximate`` for "around 1 pm"."""

    start: int
    end: int
    text: str
    time: str
    approximate: bool


def find_dates(text: str, offset: int = 0) -> list[RawDate]:
    """The absolute dates in ``text`` (offsets shifted by ``offset``), in order."""
    found: list[RawDate] = []
    taken: list[tuple[int, int]] = []
    for form, precision, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            raw = _raw(match, form, precision, offset)
            if raw is not None:
                found.append(raw)
                taken.append(span)
    return sorted(found, key=lambda r: r.start)


def _raw(match: re.Match[str], form: str, precision: str, offset: int) -> RawDate | None:
    groups = match.groupdict()
    start, end = match.span()
    try:
        if form == "years":
            first, last = (int(groups["y1"]), 1, 1), (int(groups["y2"]), 12, 31)
            if last[0] <= first[0]:
                return None
        elif form == "year":
            start = match.start("y1")
            first, last = (int(groups["y1"]), 1, 1), None
        else:
            first, last, precision = _days(form, precision, groups)
    except (ValueError, KeyError, TypeError):
        return None
    if form == "month" and not match.group(0)[0].isupper():
        start = match.start("m1")
    if form == "days" and groups.get("between") and groups["between"].lower() == "between":
        precision = "range"
    return RawDate(start + offset, end + offset, match.string[start:end], form, precision,
                   first, last)


def _days(form: str, precision: str, groups: dict) -> tuple:
    """``(first, last, precision)`` of the forms that name months and days."""
    month = _month_number(groups.get("m2") or groups["m1"])
    year = int(groups["y2"] or 0) if "y2" in groups else int(groups.get("y1") or 0)
    year_or_none = year or None
    if form in ("night", "days"):
        d1, d2 = int(groups["d1"]), int(groups["d2"])
        first_month = month if d1 < d2 else month - 1 or 12
        _check_day(year or 2000, first_month, d1)
        _check_day(year or 2000, month, d2)
        return (year_or_none, first_month, d1), (year_or_none, month, d2), precision
    if form == "part":
        low, high = _PARTS[groups["part"].split()[-2] if " " in groups["part"]
                           else groups["part"].lower()]
        high = min(high, calendar.monthrange(year or 2001, month)[1])
        return (year_or_none, month, low), (year_or_none, month, high), precision
    if form == "month":
        return (year_or_none, month, 1), None, precision
    day = int(groups["d1"])
    _check_day(year or 2000, month, day)
    return (year_or_none, month, day), None, precision


def _month_number(text: str) -> int:
    if text.isdigit():
        number = int(text)
        if not 1 <= number <= 12:
            raise ValueError(text)
        return number
    return MONTHS[text.lower().rstrip(".")]


def _check_day(year: int, month: int, day: int) -> None:
    date(year, month, day)  # raises ValueError for 31 September


def find_times(text: str, offset: int = 0) -> list[TimeMention]:
    """Times of day in ``text``: ``around 1 pm`` → ``13:00`` (approximate)."""
    found = []
    for match in TIME.finditer(text):
        if match.group("noon"):
            hour, minute = (0, 0) if match.group("noon").lower() == "midnight" else (12, 0)
        elif match.group("h24"):
            if not re.search(r"\bat\s+$", text[max(0, match.start() - 4):match.start()]) and \
                    not match.group(0).lower().startswith(("at", "around", "about")):
                continue
            hour, minute = int(match.group("h24")), int(match.group("m24"))
        else:
            hour, minute = int(match.group("h")), int(match.group("min") or 0)
            if not 1 <= hour <= 12 or minute > 59:
                continue
            hour = hour % 12 + (12 if match.group("ampm").lower() == "p" else 0)
        found.append(TimeMention(match.start() + offset, match.end() + offset,
                                 match.group(0), f"{hour:02d}:{minute:02d}",
                                 bool(match.group("approx"))))
    return found

"""Dates written relative to something else, and how each is resolved.

Relative to the document's date: ``yesterday``, ``today``, ``two days ago``, ``last week``,
``on Thursday``, ``to date``, ``until now``, and present states (``are missing``).
Relative to the date mentioned before: ``two days later``, ``the next day``.
Relative to the document's main event: ``at the start of this new attack``, ``on the
first day of the conflict``, ``during the recent aggression``, ``after a day of military
actions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.extract.numbers import count_word

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = "|".join(WEEKDAYS)
_COUNT = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_CONFLICT = (r"(?:aggression|attacks?|offensive|operation|war|conflict|escalation|hostilities|"
             r"fighting|campaign|assault|invasion)")
_THE = r"(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?"

# (rule, pattern); the rule says how :func:`resolve` dates the match.
_RULES: tuple[tuple[str, str], ...] = (
    ("event_start", rf"\b(?:at|on|from)\s+the\s+(?:very\s+)?(?:start|beginning|outset|"
                    rf"first\s+day)\s+of\s+{_THE}{_CONFLICT}\b"),
    ("event_day", rf"\bon\s+the\s+(?P<nth>second|third|fourth|fifth)\s+day\s+of\s+{_THE}"
                  rf"{_CONFLICT}\b"),
    ("event_after", rf"\bafter\s+{_COUNT}\s+days?\s+of\s+(?:[\w-]+\s+){{0,2}}?"
                    rf"(?:fighting|military\s+actions?|hostilities|clashes|shelling|war|"
                    rf"combat|attacks?)\b"),
    ("event_during", rf"\b(?:during|throughout|in\s+the\s+course\s+of|amid)\s+{_THE}"
                     rf"{_CONFLICT}\b"),
    ("day_before_yesterday", r"\bthe\s+day\s+before\s+yesterday\b"),
    ("yesterday", r"\b(?:yesterday|last\s+night)\b"),
    ("tomorrow", r"\btomorrow\b"),
    ("ago", rf"\b{_COUNT}\s+(?P<unit>day|week)s?\s+ago\b"),
    ("later", rf"\b{_COUNT}\s+(?P<unit>day|week)s?\s+(?:later|afterwards|after\s+that)\b"),
    ("next_day", r"\b(?:the\s+(?:next|following)\s+(?:day|morning|evening|night)|"
                 r"the\s+day\s+after)\b"),
    ("previous_day", r"\bthe\s+(?:previous|preceding)\s+day\b"),
    ("period", r"\b(?P<which>last|this|past|previous)\s+(?P<unit>week|weekend|month|year)\b"),
    ("weekdays", rf"\b(?:(?P<which>last|this|next)\s+|on\s+|both\s+on\s+)?(?P<w1>{_WEEKDAY})"
                 rf"(?:\s*(?:and|to|-|–|through)\s*(?P<w2>{_WEEKDAY}))?\b"),
    ("present", r"\b(?:today|to\s+date|until\s+now|up\s+to\s+now|by\s+now|"
                r"so\s+far(?!\s+as)|currently|at\s+present|at\s+the\s+moment|as\s+of\s+(?:now|today)|this\s+morning|"
                r"this\s+evening|tonight)\b"),
    ("present_state", r"\b(?:is|are)\s+(?:still\s+)?(?:missing|detained|displaced|blocked|"
                      r"closed|cut\s+off|trapped|stranded|waiting|not\s+working|unaccounted)\b"),
)
PATTERNS = tuple((rule, re.compile(p, re.IGNORECASE if rule != "weekdays" else 0))
                 for rule, p in _RULES)
BACK_REFERENCE = re.compile(
    r"^(?:As\s+per|Under|Following|In\s+line\s+with|Per|According\s+to)\s+(?:the|this|that)\s+"
    r"(?:[\w-]+\s+){0,2}?(?P<noun>statement|agreement|deal|accord|decision|ceasefire|truce|"
    r"declaration|decree|treaty)\b")
_NTH = {"second": 1, "third": 2, "fourth": 3, "fifth": 4}


@dataclass(frozen=True)
class RelativeDate:
    """A relative date as written and the rule that resolves it."""

    start: int
    end: int
    text: str
    rule: str
    groups: tuple[tuple[str, str], ...]

    def group(self, name: str) -> str:
        """A captured part of the match ('' where absent)."""
        return dict(self.groups).get(name, "")

    @property
    def needs_event(self) -> bool:
        """Whether it is dated by the document's main event."""
        return self.rule.startswith("event_")

    @property
    def needs_anchor(self) -> bool:
        """Whether it is dated from the date mentioned before it."""
        return self.rule in ("later", "next_day", "previous_day")


def find_relative(text: str, offset: int = 0) -> list[RelativeDate]:
    """The relative dates in ``text`` (offsets shifted by ``offset``), in order."""
    found: list[RelativeDate] = []
    for rule, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < r.end - offset and r.start - offset < match.end()
                   for r in found):
                continue
            groups = tuple((k, v) for k, v in match.groupdict().items() if v)
            found.append(RelativeDate(match.start() + offset, match.end() + offset,
                                      match.group(0), rule, groups))
    return sorted(found, key=lambda r: r.start)


@dataclass(frozen=True)
class Resolved:
    """A resolved date: first day, last day of a span (or None), precision, how."""

    first: date
    last: date | None
    precision: str
    how: str


def resolve(relative: RelativeDate, today: date | None, anchor: date | None,
            event: tuple[date, date | None] | None) -> Resolved | None:
    """The date ``relative`` stands for, given the document's date (``today``), the date
    mentioned before it (``anchor``) and the main event's first and last days."""
    rule, n = relative.rule, count_word(relative.group("n") or "1") or 1
    if relative.needs_event:
        return None if event is None else _event(relative, event, n)
    if relative.needs_anchor:
        base = anchor or today
        if base is None:
            return None
        step = -1 if rule == "previous_day" else n * (7 if relative.group("unit") == "week"
                                                      else 1)
        origin = "the date before it" if anchor else "the document date"
        return Resolved(base + timedelta(days=step), None, "day", f"counted from {origin}")
    if today is None:
        return None
    if rule in ("present", "present_state"):
        return Resolved(today, None, "day", "the document date (written in the present)")
    days = {"yesterday": 1, "day_before_yesterday": 2, "tomorrow": -1}.get(rule)
    if days is not None:
        return Resolved(today - timedelta(days=days), None, "day", "from the document date")
    if rule == "ago":
        unit = 7 if relative.group("unit").lower() == "week" else 1
        return Resolved(today - timedelta(days=n * unit), None, "day", "from the document date")
    if rule == "period":
        return _period(relative, today)
    return _weekdays(relative, today)


def _event(relative: RelativeDate, event: tuple[date, date | None], n: int) -> Resolved:
    first, last = event
    how = "the document's main event"
    if relative.rule == "event_start":
        return Resolved(first, None, "day", f"the first day of {how}")
    if relative.rule == "event_day":
        return Resolved(first + timedelta(days=_NTH[relative.group("nth").lower()]), None,
                        "day", f"counted from the first day of {how}")
    if relative.rule == "event_after":
        return Resolved(first + timedelta(days=n), None, "day", f"counted from {how}")
    return Resolved(first, last, "range" if last else "day", f"during {how}")


def _period(relative: RelativeDate, today: date) -> Resolved:
    unit, which = relative.group("unit").lower(), relative.group("which").lower()
    current = which == "this"
    if unit in ("week", "weekend"):
        monday = today - timedelta(days=today.weekday()) - timedelta(days=0 if current else 7)
        first = monday + timedelta(days=5) if unit == "weekend" else monday
        last = min(monday + timedelta(days=6), today)
        return Resolved(first, last, "range", f"{which} {unit}, from the document date")
    if unit == "month":
        first = today.replace(day=1)
        if not current:
            first = (first - timedelta(days=1)).replace(day=1)
        return Resolved(first, None, "month", f"{which} month, from the document date")
    return Resolved(date(today.year - (0 if current else 1), 1, 1), None, "year",
                    f"{which} year, from the document date")


def _weekdays(relative: RelativeDate, today: date) -> Resolved:
    """The latest such weekday on or before the document date (``next``: after it)."""
    def day(name: str) -> date:
        back = (today.weekday() - WEEKDAYS.index(name)) % 7
        if relative.group("which") == "next":
            return today + timedelta(days=(7 - back) % 7 or 7)
        return today - timedelta(days=back + (7 if relative.group("which") == "last"
                                              and back == 0 else 0))
    first = day(relative.group("w1"))
    last = day(relative.group("w2")) if relative.group("w2") else None
    if last is not None and last < first:
        first -= timedelta(days=7)
    return Resolved(first, last, "day", "the weekday's latest date before the document date")

"""Dating a whole document: its own date, the year of dates written without one, its main
event, and every sentence's dates resolved (absolute, relative, spans, roles)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from dashboard.extract.dates import RawDate, TimeMention, find_dates, find_times
from dashboard.extract.relative import BACK_REFERENCE, find_relative, resolve
from dashboard.extract.sentences import Sentence

BACK_SENTENCES = 30  # "as per the statement" looks this many sentences back for its date
RECENT_DAYS = 92  # a main event starts at most this long before the document date
EVENT_SPAN_DAYS = 31  # and ends at most this long after it starts
LATE_DAYS = 31  # a date without a year further than this after the document date: last year
_DEADLINE = re.compile(r"\b(?:from|until|till|by|before|effective|starting|due)\s+(?:the\s+)?$",
                       re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+(?:of|at)\s+(?:the\s+)?$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?(?:month\s+of\s+)?$", re.IGNORECASE)
_COMPARISON = re.compile(r"(?:^|[,;(—–]\s*)(?:unlike|like|as\s+in|compared\s+(?:to|with)|"
                         r"similar\s+to)\b[^,;]*$", re.IGNORECASE)
_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—)\s*$")
_START_WORDS = re.compile(r"\b(?:started|starts|began|begins|launched|launches|broke\s+out|"
                          r"invaded|opened\s+fire)\b", re.IGNORECASE)
_END_WORDS = re.compile(r"\b(?:ended|ceasefire|truce|capitulat\w*|surrender\w*|halted|"
                        r"stopped|concluded)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date of a sentence, resolved: first day, last day of a span, precision, role."""

    start: int
    end: int
    text: str
    first: date
    last: date | None
    precision: str
    kind: str  # "absolute" or the relative rule ("yesterday", "event_start", ...)
    how: str  # how it was read, for the evidence
    role: str = "event"  # "event", "as_of" (a count's date), "comparison", "future"


@dataclass
class Dating:
    """The dates of a document, sentence by sentence."""

    document_date: date | None
    reason: str  # how the document date was chosen, stated to the user
    main_event: tuple[date, date | None] | None = None
    main_reason: str = ""
    main_sentence: int | None = None
    mentions: dict[int, list[DateMention]] = field(default_factory=dict)
    times: dict[int, list[TimeMention]] = field(default_factory=dict)


def date_document(text: str, sentences: list[Sentence], given: date | None = None,
                  metadata: date | None = None, metadata_origin: str = "") -> Dating:
    """Choose the document date, then resolve every prose sentence's dates."""
    raw = {s.index: find_dates(s.text, s.start) for s in sentences}
    if given is not None:
        dating = Dating(given, f"{given.isoformat()}, as given")
    elif metadata is not None:
        origin = metadata_origin or "its metadata"
        dating = Dating(metadata, f"{metadata.isoformat()}, from {origin}")
    else:
        dating = Dating(*_date_from_text(text, raw))
    prose = [s for s in sentences if s.is_prose]
    for sentence in prose:
        dating.mentions[sentence.index] = _absolute(text, sentence, raw[sentence.index], dating)
        dating.times[sentence.index] = find_times(sentence.text, sentence.start)
    _main_event(dating, prose)
    _relative(dating, prose)
    return dating


def _resolved_year(raw: RawDate, today: date | None, fallback: int | None) -> RawDate | None:
    if raw.first[0] is not None:
        return raw
    if today is None and fallback is None:
        return None
    year = today.year if today else fallback
    assert year is not None
    dated = raw.with_year(year)
    if today and date(*dated.first) > today + timedelta(days=LATE_DAYS):  # type: ignore[arg-type]
        dated = raw.with_year(year - 1)
    return dated


def _date_from_text(text: str, raw: dict[int, list[RawDate]]) -> tuple[date | None, str]:
    """The latest "as of" date, else the latest day written without "from/until/by"."""
    dated = [r for found in raw.values() for r in found if r.precision == "day"
             and not _DEADLINE.search(text[max(0, r.start - 20):r.start])]
    years = [r.first[0] for r in dated if r.first[0] is not None]
    if not dated or not years:
        return None, "no date found in the text or its metadata: relative dates stay unresolved"
    fallback = max(years)
    full = [(r, _resolved_year(r, None, fallback)) for r in dated]
    known = [(r, d) for r, d in full if d is not None]
    as_of = [(r, d) for r, d in known if _AS_OF.search(text[max(0, r.start - 12):r.start])]
    written, best = max(as_of or known, key=lambda p: _day(p[1].last or p[1].first))
    chosen = _day(best.last or best.first)
    kind = "the latest 'as of' date" if as_of else "the latest date"
    return chosen, f"{chosen.isoformat()}, {kind} in the text ('{written.text}')"


def _day(parts: tuple) -> date:
    return date(*parts)


def _absolute(text: str, sentence: Sentence, raws: list[RawDate],
              dating: Dating) -> list[DateMention]:
    today = dating.document_date
    mentions: list[DateMention] = []
    for raw in raws:
        dated = _resolved_year(raw, today, today.year if today else None)
        if dated is None:
            continue
        first = _day(dated.first)
        last = _day(dated.last) if dated.last else None
        how = "as written" if raw.first[0] else "year of the document date"
        before = text[max(sentence.start, raw.start - 160):raw.start]
        role = "event"
        if _AS_OF.search(before[-12:]):
            role = "as_of"
        elif _COMPARISON.search(before):
            role = "comparison"
        elif today and first > today + timedelta(days=1):
            role = "future"
        if _SINCE.search(before[-25:]) and today and last is None and first <= today:
            last, how = today, f"{how}; since then until the document date"
        mention = DateMention(raw.start, raw.end, raw.text, first, last, dated.precision,
                              "absolute", how, role)
        if mentions and _joins(text, mentions[-1], mention):
            mention = _merged(text, mentions.pop(), mention)
        mentions.append(mention)
    return mentions


def _joins(text: str, left: DateMention, right: DateMention) -> bool:
    opener = text[max(0, left.start - 9):left.start].lower()
    return bool(_JOIN.match(text[left.end:right.start])) and (
        "from" in opener or "between" in opener)


def _merged(text: str, left: DateMention, right: DateMention) -> DateMention:
    between = "between" in text[max(0, left.start - 9):left.start].lower()
    precision = "range" if between else left.precision
    return DateMention(left.start, right.end, text[left.start:right.end], left.first,
                       right.last or right.first, precision, "absolute", left.how, left.role)


def _main_event(dating: Dating, prose: list[Sentence]) -> None:
    """The earliest recent day-dated start ("started a war on ..."), and its end."""
    today = dating.document_date
    days = [(s, m) for s in prose for m in dating.mentions[s.index]
            if m.precision == "day" and m.role == "event" and m.last is None
            and (today is None or today - timedelta(days=RECENT_DAYS) <= m.first <= today)]
    if not days:
        return
    dated = {s.index: s for s, _ in days}
    starting = {i for i, s in dated.items() if _START_WORDS.search(s.text)}
    ending = {i for i, s in dated.items() if _END_WORDS.search(s.text)}
    starts = [(s, m) for s, m in days if s.index in starting] or days
    sentence, start = min(starts, key=lambda p: (p[1].first, p[0].index))
    ends = [m.first for s, m in days if s.index in ending
            and start.first < m.first <= start.first + timedelta(days=EVENT_SPAN_DAYS)]
    end = min(ends) if ends else None
    dating.main_event = (start.first, end)
    dating.main_sentence = sentence.index
    span = f"{start.first.isoformat()}" + (f" to {end.isoformat()}" if end else "")
    dating.main_reason = f"{span}: '{start.text}' in \"{_short(sentence.text)}\""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _relative(dating: Dating, prose: list[Sentence]) -> None:
    """Resolve relative dates in reading order; back-references take an earlier date."""
    anchor: date | None = None
    for position, sentence in enumerate(prose):
        mentions = dating.mentions[sentence.index]
        for relative in find_relative(sentence.text, sentence.start):
            if any(relative.start < m.end and m.start < relative.end for m in mentions):
                continue
            if relative.rule == "weekdays" and any(abs(m.start - relative.end) < 4 or
                                                   abs(relative.start - m.end) < 4
                                                   for m in mentions):
                continue
            found = resolve(relative, dating.document_date, anchor, dating.main_event)
            if found is not None:
                mentions.append(DateMention(relative.start, relative.end, relative.text,
                                            found.first, found.last, found.precision,
                                            relative.rule, found.how))
        mentions.sort(key=lambda m: m.start)
        if not mentions:
            inherited = _back_reference(dating, prose, position)
            if inherited:
                mentions.append(inherited)
        days = [m.first for m in mentions if m.precision == "day" and m.role == "event"]
        anchor = days[-1] if days else anchor


def _back_reference(dating: Dating, prose: list[Sentence],
                    position: int) -> DateMention | None:
    """"As per the statement, ..." takes the date of the sentence that dated the statement
    (among the :data:`BACK_SENTENCES` before it)."""
    sentence = prose[position]
    match = BACK_REFERENCE.match(sentence.text)
    if not match:
        return None
    noun = match.group("noun").lower()
    for earlier in reversed(prose[max(0, position - BACK_SENTENCES):position]):
        dated = [m for m in dating.mentions[earlier.index] if m.role == "event"]
        if dated and re.search(rf"\b{noun}\b", earlier.text, re.IGNORECASE):
            source = dated[0]
            return DateMention(sentence.start + match.start(), sentence.start + match.end(),
                               match.group(0), source.first, source.last, source.precision,
                               "back_reference", f"the {noun} dated '{source.text}' before")
    return None

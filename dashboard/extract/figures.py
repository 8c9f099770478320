"""Figures (what a number counts, its qualifier), who claims them, and footnote markers.

``at least 200 people dead and 400 wounded`` gives killed 200 and injured 400, both
``at_least`` (a qualifier before the first of two joined figures holds for both);
``killed 200 people`` reads the verb before the number; ``68.000`` is 68000.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from dashboard.extract.numbers import NUMBER, value_of
from dashboard.gazetteer import WORD

KINDS: dict[str, str] = {
    "killed": r"killed|killing|kill|dead|deaths?|died|lives|fatalities|bodies|perished|murdered|"
              r"executed|slain",
    "injured": r"injured|injuring|wounded|wounding|hurt|injuries",
    "displaced": r"displaced|refugees?|refuge|fled|flee|fleeing|evacuated|evacuees|crossed|"
                 r"crossing|arrived|arrivals?|entered|enter|left|leave|leaving|relocated|"
                 r"exodus",
    "missing": r"missing|disappeared|unaccounted",
    "detained": r"detained|arrested|captured|abducted|prisoners?|detainees|hostages",
}
_KIND = {kind: re.compile(rf"^(?:{words})$", re.IGNORECASE) for kind, words in KINDS.items()}
_COMBATANTS = re.compile(r"\b(?:soldiers?|servicemen|servicemembers|peacekeepers?|troops|"
                         r"military\s+personnel|fighters|combatants|militants|officers)\b",
                         re.IGNORECASE)
_QUALIFIERS = (
    ("more_than", r"more\s+than|over|above|in\s+excess\s+of|upwards\s+of|exceeding"),
    ("at_least", r"at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of"),
    ("about", r"about|around|nearly|almost|approximately|approx\.|some|roughly|close\s+to|"
              r"an\s+estimated|estimated|circa|up\s+to|~"),
)
_QUALIFIER = [(q, re.compile(rf"(?:^|[\s(])(?:{p})\s*$", re.IGNORECASE)) for q, p in _QUALIFIERS]
_QUALIFYING = {"at", "least", "more", "than", "over", "about", "around", "nearly", "almost",
               "approximately", "some", "roughly", "close", "to", "an", "estimated", "up",
               "no", "fewer", "less", "a", "minimum", "of", "circa"}
_NOT_A_COUNT = re.compile(r"\s*(?:-|–)?\s*(?:days?|weeks?|months?|years?|km|kilomet\w*|"
                          r"met(?:re|er)s?|%|percent|hours?|minutes?|st|nd|rd|th|[ap]\.?m\b)\b",
                          re.IGNORECASE)
_NOT_BEFORE = re.compile(r"(?:\bNo[.:]?|\bpopulation\s+of|\bnumber|\[|\bpage|\bp\.)\s*$",
                         re.IGNORECASE)
AFTER_WORDS, BEFORE_WORDS = 8, 2  # how far a number's counted word may stand
_SPEECH = (r"said|says|stated|states|reported|reports|announced|claimed|claims|told|noted|"
           r"confirmed|argued|added|underlined|stressed|declared|wrote|tweeted|accused|"
           r"condemned|denied|insisted|warned|called|describes|described|apologi[sz]ed|"
           r"contradicted|demanded|deplored|emphasi[sz]ed")
SPEECH = re.compile(rf"(?<![\w-])(?:{_SPEECH})\b")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+$")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?(?P<who>[^,.;:(]+)")
_BY = re.compile(rf"\b(?:{_SPEECH})\s+by\s+(?P<who>(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+)"
                 rf"?[A-Za-z][\w’'-]*){{0,5}})")
_RUN = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:(?:of|for|the|and)\s+)*[A-Z][\w’'.-]*)*")
_APPOSITION = re.compile(r"^\s*(?:the|a|an|who|which|spokesperson|head|chair\w*|member|"
                         r"minister|leader|president|deputy)\b", re.IGNORECASE)
_NOT_NOUN = {"also", "has", "have", "had", "was", "were", "is", "again", "then", "further",
             "who", "which", "that", "and", "but"}
_NOT_WHO = {"However", "Interestingly", "Meanwhile", "Later", "Additionally", "Moreover", "He",
            "She", "They", "It", "We", "I", "This", "That", "The", "Also", "Then", "When"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those",
             "who", "which", "there", "also", "then", "later"}
_TRAILING = re.compile(r"\s+(?:statement|report|data|figures|estimates?|which\b.*|that\b.*)$")


@dataclass(frozen=True)
class Figure:
    """A number and what it counts: killed, injured, displaced, missing or detained."""

    start: int
    end: int
    text: str  # from the qualifier to the counted word
    kind: str
    value: int
    qualifier: str  # an id of FIGURE_QUALIFIERS
    combatants: bool  # soldiers or peacekeepers, not civilians


def find_figures(text: str, offset: int = 0,
                 skip: list[tuple[int, int]] | None = None) -> list[Figure]:
    """The figures in sentence ``text``; numbers overlapping ``skip`` spans (dates, times,
    footnote markers; offsets as in the document) are not counts."""
    words = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
    starts = [w[0] for w in words]
    found: list[Figure] = []
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if any(s - offset < end and start < e - offset for s, e in skip or ()):
            continue
        value = value_of(match)
        if value is None or _NOT_A_COUNT.match(text, end) or _NOT_BEFORE.search(
                text[max(0, start - 20):start]):
            continue
        counted = _counted(text, words, bisect.bisect_left(starts, start), start, end)
        if counted is None:
            continue
        kind, lo, hi = counted
        qualifier, q_start = _qualifier(text, start, found)
        span_start, span_end = min(q_start, lo), max(end, hi)
        combatants = bool(_COMBATANTS.search(text[min(start, lo):max(end, hi)]))
        found.append(Figure(span_start + offset, span_end + offset, text[span_start:span_end],
                            kind, value, qualifier, combatants))
    return found


def _counted(text: str, words: list, at: int, start: int,
             end: int) -> tuple[str, int, int] | None:
    """The kind of the nearest counted word: after the number (``200 people dead``), or
    right before it (``killed 200``); ``None`` if neither is near. ``words[at]`` is the
    first word starting at or after the number."""
    while at < len(words) and words[at][0] < end:
        at += 1
    after = words[at:at + AFTER_WORDS]
    before: list = []
    for word in reversed(words[max(0, at - 12):at]):
        if len(before) == BEFORE_WORDS:
            break
        if word[1] <= start and word[2].lower() not in _QUALIFYING:
            before.insert(0, word)
    for position, word in enumerate(after):
        if ";" in text[end:word[0]] or NUMBER.fullmatch(word[2]):
            break
        kind = _kind_of(word[2])
        if kind:
            near_before = _before(before)
            if near_before and len(before) - near_before[1] <= position:
                return near_before[0], before[near_before[1]][0], end
            return kind, start, word[1]
    near_before = _before(before)
    if near_before and not re.search(r"[;.]", text[before[near_before[1]][1]:start]):
        return near_before[0], before[near_before[1]][0], end
    return None


def _before(before: list) -> tuple[str, int] | None:
    for index in range(len(before) - 1, -1, -1):
        kind = _kind_of(before[index][2])
        if kind in ("killed", "injured", "detained"):
            return kind, index
    return None


def is_count_word(word: str) -> bool:
    """Whether ``word`` says what a figure counts ("crossed", "dead")."""
    return _kind_of(word) is not None


def _kind_of(word: str) -> str | None:
    return next((kind for kind, pattern in _KIND.items() if pattern.match(word)), None)


def _qualifier(text: str, start: int, found: list[Figure]) -> tuple[str, int]:
    before = text[max(0, start - 30):start]
    for qualifier, pattern in _QUALIFIER:
        match = pattern.search(before)
        if match:
            return qualifier, start - len(before) + match.start() + (
                1 if match.group(0)[:1] in " (" else 0)
    reduced = re.match(r"[\d.,]+\s+(?:people\s+|persons\s+)?(\w+)", text[start:])
    if found and re.search(r"\band\s*$", before) and found[-1].qualifier != "exact" and \
            reduced and _kind_of(reduced.group(1)):
        return found[-1].qualifier, start  # "at least 200 dead and 400 wounded"
    return "exact", start


def claimant(text: str) -> tuple[str, str]:
    """Who makes the claim of sentence ``text``, and how that was read (``""`` if no one)."""
    match = _ACCORDING.search(text)
    if match:
        return _clean(match.group("who")), f"'according to {_clean(match.group('who'))}'"
    match = _BY.search(text)
    if match:
        return _clean(match.group("who")), f"'{match.group(0)}'"
    for verb in SPEECH.finditer(text):
        if _PASSIVE.search(text[:verb.start()]):
            continue
        who = _subject(text[:verb.start()])
        return (who, f"'{who} … {verb.group(0)}'") if who else ("", "")
    return "", ""


def _subject(before: str) -> str:
    """The named speaker before a speech verb, skipping appositions and adverbials."""
    segments = before.rstrip().rstrip(",").split(",")
    while len(segments) > 1 and _APPOSITION.match(segments[-1]) and re.search(
            r"[A-Z][\w’'.-]*\s*$", segments[-2]):
        segments.pop()
    last = segments[-1]
    runs = [r for r in _RUN.finditer(last) if r.group(0).split()[0] not in _NOT_WHO or
            len(r.group(0).split()) > 1]
    if not runs:  # "the foreign ministry condemned": the few words before the verb
        words = re.findall(r"[\w’'-]+", last)[-3:]
        if not words or any(w.lower() in _PRONOUNS or w.endswith("ly") for w in words):
            return ""
        return _clean(" ".join(words))
    tail = last[runs[-1].end():].split()
    if len(tail) > 2 or any(w in _NOT_NOUN or w.endswith("ly") for w in tail):
        tail = []
    if len(last[runs[-1].end():].split()) > 3:
        return ""
    return _clean(" ".join([runs[-1].group(0), *tail]))


def _clean(who: str) -> str:
    who = _TRAILING.sub("", who.strip())
    who = re.sub(r"^(?:The|the)\s+", "", who)
    words = who.split()
    return " ".join(words[:10])

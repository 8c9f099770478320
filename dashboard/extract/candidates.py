"""From a sentence's dates, places, figures and words to draft events.

A prose sentence whose words match a layer rule (or that gives figures) makes one draft
per distinct date it gives for an event. Dates of comparisons ("unlike the 2020 war") and
effective dates after the document ("from January 1, 2024") are not the event's; a
sentence without a date of its own takes the document's main event, saying so. A count
dated "as of" a day gets that day; what else the sentence tells (the shelling that caused
the count) is a second draft dated like an undated sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.extract.anchoring import DateMention, Dating
from dashboard.extract.dates import TimeMention
from dashboard.extract.figures import Figure, claimant, find_figures, is_count_word
from dashboard.extract.layers import Layer, classify
from dashboard.extract.places import PlaceIndex, PlaceMention, PlaceOption
from dashboard.extract.placing import Placing, choose
from dashboard.extract.sentences import FOOTNOTE, Sentence

PRECISE = {"day": 0, "range": 1, "month": 2, "year": 3}


@dataclass
class Reading:
    """What one sentence says: its dates, times, places, figures, claimant and layer."""

    sentence: Sentence
    dates: list[DateMention]
    times: list[TimeMention]
    places: list[PlaceMention]
    figures: list[Figure]
    claimant: tuple[str, str]
    layer: Layer | None


@dataclass
class Draft:
    """One candidate event before it becomes a row."""

    reading: Reading
    date: DateMention | None
    figures: list[Figure]
    layer: Layer
    placing: Placing
    time: TimeMention | None = None
    notes: list[str] = field(default_factory=list)


def read_sentence(sentence: Sentence, dating: Dating, index: PlaceIndex,
                  aliases: dict[str, tuple[PlaceOption, ...]]) -> Reading:
    """Find everything in one prose sentence."""
    dates = dating.mentions.get(sentence.index, [])
    times = dating.times.get(sentence.index, [])
    skip = [(m.start, m.end) for m in dates if m.kind == "absolute"]
    skip += [(t.start, t.end) for t in times]
    skip += [(sentence.start + m.start(), sentence.start + m.end())
             for m in FOOTNOTE.finditer(sentence.text)]
    figures = find_figures(sentence.text, sentence.start, skip)
    who = claimant(sentence.text)
    places = index.find(sentence.text, sentence.start, aliases)
    layer = classify(sentence.text, figures, who[0], sentence.start)
    return Reading(sentence, dates, times, places, figures, who, layer)


def main_event_date(dating: Dating, sentence: Sentence) -> DateMention | None:
    """The document's main event as the date of a sentence that gives none."""
    if dating.main_event is None:
        return None
    first, last = dating.main_event
    return DateMention(sentence.start, sentence.start, "", first, last,
                       "range" if last else "day", "main_event",
                       f"no date in the sentence: the document's main event, "
                       f"{dating.main_reason}")


def drafts(reading: Reading, dating: Dating, fallback: tuple[PlaceOption | None, str],
           home: PlaceOption | None = None) -> list[Draft]:
    """The draft events of one sentence (none without a layer); ``fallback`` is the place
    (and why) of a sentence naming none, ``home`` the main event's place."""
    layer = reading.layer
    if layer is None:
        return []
    sentence = reading.sentence
    placing = choose(reading.places, sentence.text, sentence.start,
                     layer.category == "displacement", *fallback, home=home)
    events = _distinct([m for m in reading.dates if m.role == "event"])
    as_of = [m for m in reading.dates if m.role == "as_of"]
    ignored = [m for m in reading.dates if m.role in ("comparison", "future")]
    notes = [_ignored(m) for m in ignored]
    found: list[Draft] = []
    if as_of and reading.figures:
        found.append(Draft(reading, as_of[0], reading.figures, layer, placing, notes=notes))
        rest = _without(sentence, reading.figures, as_of[0])
        other = classify(rest, [], "", sentence.start)
        if other is None or all(is_count_word(w) for _, _, w in other.words):
            return _timed(found, reading)
        layer, figures_left = other, []
    else:
        figures_left = reading.figures
    if not events:
        found.append(Draft(reading, main_event_date(dating, sentence), figures_left, layer,
                           placing, notes=notes))
        return _timed(found, reading)
    for mention in events:
        near = _nearest(mention, events, figures_left) if len(events) > 1 else figures_left
        found.append(Draft(reading, mention, near, layer, placing, notes=list(notes)))
    return _timed(found, reading)


def _distinct(mentions: list[DateMention]) -> list[DateMention]:
    """One mention per date; of the same date, the one written most precisely."""
    best: dict[tuple, DateMention] = {}
    for mention in mentions:
        key = (mention.first, mention.last)
        kept = best.get(key)
        if kept is None or (mention.kind == "absolute" and kept.kind != "absolute") or (
                PRECISE[mention.precision] < PRECISE[kept.precision]):
            best[key] = mention
    return sorted(best.values(), key=lambda m: m.start)


def _ignored(mention: DateMention) -> str:
    if mention.role == "comparison":
        return f"'{mention.text}' is in a comparison, not the event's date"
    return f"'{mention.text}' is after the document date: an effective date, not the event's"


def _without(sentence: Sentence, figures: list[Figure], as_of: DateMention) -> str:
    """The sentence with its figures and "as of" clause blanked out (offsets kept)."""
    chars = list(sentence.text)
    spans = [(f.start, f.end) for f in figures]
    clause = re.search(r"[(,;]?[^(,;]*$", sentence.text[:as_of.start - sentence.start])
    spans.append((sentence.start + (clause.start() if clause else 0), as_of.end))
    for start, end in spans:
        for i in range(max(start - sentence.start, 0), min(end - sentence.start, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _nearest(mention: DateMention, dated: list[DateMention],
             figures: list[Figure]) -> list[Figure]:
    """The figures closer to ``mention`` than to the sentence's other dates."""
    def closest(figure: Figure) -> DateMention:
        return min(dated, key=lambda m: abs(m.start - figure.start))
    return [f for f in figures if closest(f) is mention]


def _timed(found: list[Draft], reading: Reading) -> list[Draft]:
    """Give each draft dated to a day the time written nearest its date."""
    for draft in found:
        if draft.date is None or draft.date.precision != "day" or not reading.times:
            continue
        start = draft.date.start
        draft.time = min(reading.times, key=lambda t: abs(t.start - start))
    return found


def main_place(readings: list[Reading], dating: Dating
               ) -> tuple[PlaceOption | None, str]:
    """The place of the document's main event: the most specific place its sentence names."""
    for reading in readings:
        if reading.sentence.index == dating.main_sentence:
            placing = choose(reading.places, reading.sentence.text, reading.sentence.start,
                             False)
            if placing.place is not None:
                return placing.place, (f"no place in the sentence: the place of the "
                                       f"document's main event ({placing.place.name})")
    return None, ""


"""Candidates as rows of the events schema, with confidence, evidence and a title."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.extract.candidates import Draft
from dashboard.extract.places import PlaceMention
from dashboard.schema import COLUMNS, FIGURE_COLUMNS, FIGURE_QUALIFIERS

EXTRA_COLUMNS = ("confidence", "evidence")
CANDIDATE_COLUMNS = (*COLUMNS, *EXTRA_COLUMNS)
# How much each way of finding a date, a place, a layer is trusted (0 to 1).
DATE_TRUST = {"absolute": 1.0, "present": 0.8, "present_state": 0.7, "yesterday": 0.9,
              "weekdays": 0.8, "back_reference": 0.6, "main_event": 0.5}
PRECISION_TRUST = {"day": 1.0, "range": 0.85, "month": 0.85, "year": 0.7}
WEIGHTS = (0.4, 0.3, 0.3)  # date, place, layer


@dataclass(frozen=True)
class Evidence:
    """What in the text gave one field, and how it was read (offsets in the document)."""

    what: str  # "date", "time", "place", "figure", "layer", "claimant", "footnote", "note"
    text: str
    start: int | None = None
    end: int | None = None

    def __str__(self) -> str:
        return f"{self.what}: {self.text}"


@dataclass(frozen=True)
class Candidate:
    """One candidate event: its row, where its quote is, how sure and why."""

    row: dict[str, str]  # every column of the events schema
    start: int  # the quote is document_text[start:end]
    end: int
    confidence: float
    evidence: tuple[Evidence, ...]
    ambiguous: tuple[PlaceMention, ...] = ()  # place names standing for several places

    @property
    def quote(self) -> str:
        """The verbatim sentence."""
        return self.row["quote"]

    def as_dict(self) -> dict[str, str]:
        """The row plus ``confidence`` and ``evidence``, in :data:`CANDIDATE_COLUMNS` order."""
        return {**self.row, "confidence": f"{self.confidence:.2f}",
                "evidence": "; ".join(str(e) for e in self.evidence)}


def candidate(draft: Draft, number: int, source: str, prefix: str = "cand") -> Candidate:
    """The candidate of ``draft``, numbered ``number``."""
    reading, date = draft.reading, draft.date
    sentence = reading.sentence
    row = dict.fromkeys(COLUMNS, "")
    row.update(event_id=f"{prefix}-{number:04d}", category=draft.layer.category,
               event_type=draft.layer.event_type, source=source,
               source_ref=" ".join(sentence.footnotes), quote=sentence.text,
               claimed_by=reading.claimant[0])
    evidence: list[Evidence] = []
    if date is not None:
        row.update(date_start=date.first.isoformat(), date_precision=date.precision,
                   date_end=date.last.isoformat() if date.last else "")
        written = f"'{date.text}' → " if date.text else ""
        evidence.append(Evidence("date", f"{written}{_when(date)} ({date.precision}; "
                                         f"{date.how})", date.start, date.end))
    if draft.time is not None and date is not None:
        row["time"] = draft.time.time
        about = ", approximate" if draft.time.approximate else ""
        evidence.append(Evidence("time", f"'{draft.time.text}' → {draft.time.time}{about}",
                                 draft.time.start, draft.time.end))
    evidence += _places(draft, row)
    evidence += _figures(draft, row)
    evidence.append(Evidence("layer", f"{draft.layer.category}/{draft.layer.event_type} "
                                      f"decided by {draft.layer.decided_by}"))
    if reading.claimant[0]:
        evidence.append(Evidence("claimant", reading.claimant[1]))
    elif draft.figures:
        citing = f", citing footnote {row['source_ref']}" if row["source_ref"] else ""
        row["claimed_by"] = f"{source or 'the document'} (author){citing}"
        evidence.append(Evidence("claimant", "nobody named: the document's author"))
    evidence += [Evidence("note", note) for note in draft.notes]
    row["title"] = title(row, draft)
    row["notes"] = "Extracted automatically; " + (date.how if date else "no date found") + "."
    return Candidate(row, sentence.start, sentence.end, confidence(draft), tuple(evidence),
                     draft.placing.ambiguous)


def _when(date) -> str:
    return date.first.isoformat() + (f" to {date.last.isoformat()}" if date.last else "")


def _places(draft: Draft, row: dict[str, str]) -> list[Evidence]:
    placing = draft.placing
    evidence = []
    if placing.place is not None:
        row["place_id"] = placing.place.id
        evidence.append(Evidence("place", f"{placing.place.id} ({placing.how})"))
    for column, option in (("origin_place_id", placing.origin),
                           ("destination_place_id", placing.destination)):
        if option is not None:
            row[column] = option.id
            evidence.append(Evidence("place", f"{column.split('_')[0]} {option.id}"))
    evidence += [Evidence("place", note) for note in placing.notes]
    for mention in draft.reading.places:
        ids = " or ".join(o.id for o in mention.options)
        what = "ambiguous, choose one: " if mention.ambiguous else ""
        evidence.append(Evidence("place", f"'{mention.text}' → {what}{ids} ({mention.how})",
                                 mention.start, mention.end))
    return evidence


def _figures(draft: Draft, row: dict[str, str]) -> list[Evidence]:
    evidence, qualifiers, others = [], [], []
    for figure in draft.figures:
        evidence.append(Evidence("figure", f"'{figure.text}' → {figure.kind} {figure.value} "
                                           f"({figure.qualifier})", figure.start, figure.end))
        if figure.kind in FIGURE_COLUMNS and not row[figure.kind]:
            row[figure.kind] = str(figure.value)
            qualifiers.append(figure.qualifier)
        else:
            others.append(f"{figure.kind} {figure.value:,}")
    if qualifiers:
        row["figure_qualifier"] = qualifiers[0] if len(set(qualifiers)) == 1 else next(
            q for q in qualifiers if q != "exact")
    if others:
        draft.notes.append("figures without a column of their own: " + ", ".join(others))
    return evidence


def title(row: dict[str, str], draft: Draft) -> str:
    """A short generated title for a reviewer to edit: type, place, figures, speaker."""
    kind = row["event_type"].replace("_", " ").capitalize()
    place = draft.placing.place
    if row["event_type"] == "statement" and row["claimed_by"]:
        text = f"Statement by {row['claimed_by']}"
    else:
        text = kind + (f" {'at' if place.rank == 0 else 'in'} {place.name}" if place else "")
    counts = [f"{FIGURE_QUALIFIERS[row['figure_qualifier']]} {int(row[c]):,} {c}".strip()
              for c in FIGURE_COLUMNS if row[c]]
    if counts:
        text += ": " + ", ".join(counts)
    return text if len(text) <= 120 else text[:119] + "…"


def confidence(draft: Draft) -> float:
    """0 to 1: how directly the text gave the date, the place and the layer."""
    date = draft.date
    date_score = 0.2 if date is None else DATE_TRUST.get(date.kind, 0.7) * PRECISION_TRUST[
        date.precision]
    place = draft.placing.place
    if place is None:
        place_score = 0.4 if draft.placing.ambiguous else 0.2
    elif not any(m.options[0].id == place.id for m in draft.reading.places):
        place_score = 0.5
    else:
        place_score = 0.8 if place.rank >= 5 or place.source != "gazetteer" else 1.0
    layer_score = 0.9 if draft.figures or draft.layer.category == "protest" else 0.75
    score = sum(w * s for w, s in zip(WEIGHTS, (date_score, place_score, layer_score),
                                      strict=True))
    return round(score, 2)

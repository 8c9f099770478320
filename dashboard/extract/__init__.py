"""From a report to candidate events: dates, places, figures, layer, each with evidence.

The API the command line and a review page use::

    result = extract_text(text, document_date=None, source="citation")
    result.candidates    # Candidate: .row (events columns), .start/.end of the quote,
                         # .confidence, .evidence (with offsets), .ambiguous places
    result.highlights    # every date, place and figure found, with offsets, for display
    result.date_reason   # which document date was used, and why

:func:`extract_file` reads a report first (:mod:`dashboard.extract.reading`). No Streamlit
here; the place index (gazetteer plus GeoNames towns) is built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dashboard.extract.anchoring import Dating, date_document
from dashboard.extract.candidates import Draft, Reading, drafts, main_place, read_sentence
from dashboard.extract.places import PlaceIndex, PlaceOption
from dashboard.extract.placing import choose
from dashboard.extract.reading import MAX_DOCUMENT_BYTES, Document, read_bytes, read_document
from dashboard.extract.rows import CANDIDATE_COLUMNS, Candidate, Evidence, candidate
from dashboard.extract.sentences import split
from dashboard.extract.towns import DEFAULT_COUNTRIES, load_towns
from dashboard.gazetteer import Gazetteer
from dashboard.paths import GEODATA_DIR, PLACES_FILE

__all__ = ["CANDIDATE_COLUMNS", "MAX_DOCUMENT_BYTES", "Candidate", "Document", "Evidence",
           "Extraction", "Highlight", "extract_document", "extract_file", "extract_text",
           "place_index", "read_bytes", "read_document"]


@dataclass(frozen=True)
class Highlight:
    """A date, place or figure in the text, for showing it marked up."""

    start: int
    end: int
    kind: str  # "date", "place" or "figure"
    text: str
    detail: str  # what it was read as: "2023-09-19 (day)", "stepanakert", "killed 200"


@dataclass(frozen=True)
class Extraction:
    """Everything read from one document."""

    text: str
    document_date: date | None
    date_reason: str  # "2023-09-28, the latest 'as of' date in the text ('September 28')"
    main_event: str  # the main event undated sentences are dated by, or ""
    candidates: tuple[Candidate, ...]
    highlights: tuple[Highlight, ...]

    def rows(self) -> list[dict[str, str]]:
        """The candidates as dictionaries of :data:`CANDIDATE_COLUMNS`."""
        return [c.as_dict() for c in self.candidates]


@lru_cache(maxsize=4)
def place_index(geodata: Path = GEODATA_DIR,
                countries: tuple[str, ...] = DEFAULT_COUNTRIES) -> PlaceIndex:
    """The gazetteer of ``geodata`` plus the GeoNames towns of ``countries`` (ISO codes)."""
    towns = load_towns(tuple(countries)) if countries else None
    return PlaceIndex(Gazetteer.load(Path(geodata) / PLACES_FILE), towns)


def extract_text(text: str, document_date: date | None = None, source: str = "", *,
                 metadata_date: date | None = None, metadata_origin: str = "",
                 index: PlaceIndex | None = None, prefix: str = "cand") -> Extraction:
    """The candidate events of ``text``.

    Parameters
    ----------
    text
        The document's text; every offset refers to it.
    document_date
        The date the document was written; else ``metadata_date``; else its latest date.
    source
        The citation written into each candidate's ``source`` column.
    index
        Where places are looked up (default: :func:`place_index`).
    prefix
        Candidates are numbered ``{prefix}-0001``, ...
    """
    index = index or place_index()
    sentences = split(text)
    dating = date_document(text, sentences, document_date, metadata_date, metadata_origin)
    aliases = index.abbreviations(text)
    readings = [read_sentence(s, dating, index, aliases) for s in sentences if s.is_prose]
    found = [candidate(draft, n, source, prefix)
             for n, draft in enumerate(_drafts(readings, dating), start=1)]
    return Extraction(text, dating.document_date, dating.reason, dating.main_reason,
                      tuple(found), tuple(_highlights(readings)))


def _drafts(readings: list[Reading], dating: Dating) -> list[Draft]:
    """Every draft; a sentence naming no place takes the place of the last sentence of its
    paragraph that named one, else the main event's place."""
    main = main_place(readings, dating)
    context: dict[int, tuple[PlaceOption | None, str]] = {}
    found: list[Draft] = []
    for reading in readings:
        sentence = reading.sentence
        found += drafts(reading, dating, context.get(sentence.paragraph, main), main[0])
        named = choose(reading.places, sentence.text, sentence.start, False).place
        if named is not None:
            context[sentence.paragraph] = (named, "no place in the sentence: the place of "
                                                  f"the sentence before ({named.name})")
    return found


def _highlights(readings: list[Reading]) -> list[Highlight]:
    marks: list[Highlight] = []
    for reading in readings:
        marks += [Highlight(m.start, m.end, "date", m.text, f"{m.first.isoformat()}"
                            f"{' to ' + m.last.isoformat() if m.last else ''} ({m.precision})")
                  for m in reading.dates if m.end > m.start]
        marks += [Highlight(t.start, t.end, "date", t.text, t.time) for t in reading.times]
        marks += [Highlight(p.start, p.end, "place", p.text,
                            " or ".join(o.id for o in p.options)) for p in reading.places]
        marks += [Highlight(f.start, f.end, "figure", f.text, f"{f.kind} {f.value}")
                  for f in reading.figures]
    return sorted(marks, key=lambda h: (h.start, h.end))


def extract_document(document: Document, document_date: date | None = None,
                     source: str = "", **options) -> Extraction:
    """:func:`extract_text` of a document read by :mod:`~dashboard.extract.reading`."""
    return extract_text(document.text, document_date, source or document.title or
                        document.name, metadata_date=document.date,
                        metadata_origin=document.date_origin, **options)


def extract_file(path: str | Path, document_date: date | None = None, source: str = "",
                 **options) -> Extraction:
    """Read the report at ``path`` and extract its candidate events."""
    return extract_document(read_document(path), document_date, source, **options)

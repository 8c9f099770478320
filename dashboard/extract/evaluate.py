"""How well the extractor reads the two bundled documents, against the hand-curated rows.

``make eval`` (``python -m dashboard.extract.evaluate``) runs the extractor on each
document of ``sources/`` with its date and short name from ``sources/sources.json`` and
compares the candidates with ``events.csv``. A candidate and a curated row *match* when
the candidate's quote (its sentence) overlaps the row's quote in the document and:

- recall of dated rows (rows dated to the day): the same ``date_start``, and consistent
  places: the same place, or one inside the other (a country holds what the gazetteer
  says is in it; an area holds the points it covers and the areas it mostly covers). For
  a movement of people, the row's origin and destination count as its places too. The
  strict count (the candidate's place the same as the row's or containing it) is shown
  beside it;
- recall of figures: the same killed / injured / displaced value and the same qualifier;
- precision: a date interval overlapping the row's (a month-precision row covers its
  month). Candidates matching no row are listed for a person to judge.

Every quote must be the document's text between the candidate's offsets.
"""

from __future__ import annotations

import calendar
import csv
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dashboard.extract import Candidate, Extraction, extract_text, place_index
from dashboard.extract.places import PlaceIndex
from dashboard.paths import DEFAULT_EVENTS
from dashboard.schema import FIGURE_COLUMNS
from dashboard.sources import SOURCES_FILE, Source, load_sources

TARGETS = {"dated_recall": 0.85, "figure_recall": 0.90, "precision": 0.60, "verbatim": 1.0}
LABELS = {"dated_recall": "recall of rows dated to the day",
          "figure_recall": "recall of figures (value and qualifier)",
          "precision": "precision (candidates matching a curated row)",
          "verbatim": "quotes verbatim"}


@dataclass
class Document:
    """One source document: its text, extraction and curated rows (with quote offsets)."""

    source: Source
    text: str
    extraction: Extraction
    rows: list[tuple[dict[str, str], int, int]]


@dataclass
class Report:
    """The comparison of every document; shares and the lists behind them."""

    documents: list[Document]
    seconds: float
    dated: list[tuple[str, dict[str, str], Candidate | None, bool]] = field(default_factory=list)
    figures: list[tuple[str, dict[str, str], str, bool]] = field(default_factory=list)
    matched: list[tuple[str, Candidate, bool]] = field(default_factory=list)
    unmatched: list[tuple[str, Candidate]] = field(default_factory=list)
    verbatim: list[bool] = field(default_factory=list)

    def shares(self) -> dict[str, float]:
        """Each measure as a share from 0 to 1."""
        def share(hits: list[bool]) -> float:
            return sum(hits) / len(hits) if hits else 1.0
        return {"dated_recall": share([c is not None for _, _, c, _ in self.dated]),
                "figure_recall": share([hit for *_, hit in self.figures]),
                "precision": share([True] * len(self.matched) + [False] * len(self.unmatched)),
                "verbatim": share(self.verbatim)}

    def met(self) -> bool:
        """Whether every target is met."""
        return all(self.shares()[k] >= v for k, v in TARGETS.items())


def _interval(start: str, end: str, precision: str) -> tuple[date, date]:
    first = date.fromisoformat(start)
    if end:
        return first, date.fromisoformat(end)
    if precision == "month":
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if precision == "year":
        return first, first.replace(month=12, day=31)
    return first, first


def _overlaps(candidate: Candidate, start: int, end: int) -> bool:
    return candidate.start < end and start < candidate.end


def _places_agree(index: PlaceIndex, candidate: dict[str, str], row: dict[str, str],
                  strict: bool = False) -> bool:
    mine = index.option(candidate["place_id"]) if candidate["place_id"] else None
    if mine is None:
        return False
    ids = [row["place_id"]]
    if row["origin_place_id"] or row["destination_place_id"]:
        ids += [row["origin_place_id"], row["destination_place_id"]]
    for place_id in filter(None, ids):
        theirs = index.option(place_id)
        if theirs is None:
            continue
        if index.within(theirs, mine) or (not strict and index.within(mine, theirs)):
            return True
    return False


def _dates_overlap(candidate: dict[str, str], row: dict[str, str]) -> bool:
    if not candidate["date_start"]:
        return False
    a = _interval(candidate["date_start"], candidate["date_end"], candidate["date_precision"])
    b = _interval(row["date_start"], row["date_end"], row["date_precision"])
    return a[0] <= b[1] and b[0] <= a[1]


def load_documents(events: Path = DEFAULT_EVENTS, sources: Path = SOURCES_FILE,
                   index: PlaceIndex | None = None) -> tuple[list[Document], float]:
    """Each documented source with its extraction (timed) and its curated rows."""
    with open(events, encoding="utf-8", newline="") as handle:
        curated = list(csv.DictReader(handle))
    documents, seconds = [], 0.0
    for source in load_sources(sources):
        text = source.path.read_text(encoding="utf-8")
        started = time.perf_counter()
        extraction = extract_text(text, date.fromisoformat(source.date), source.short_name,
                                  index=index, prefix=f"{source.id}")
        seconds += time.perf_counter() - started
        rows = []
        for row in curated:
            if source.file in row["source"] and row["quote"] in text:
                start = text.index(row["quote"])
                rows.append((row, start, start + len(row["quote"])))
        documents.append(Document(source, text, extraction, rows))
    return documents, seconds


def evaluate(events: Path = DEFAULT_EVENTS, sources: Path = SOURCES_FILE) -> Report:
    """Run the extractor on every source document and compare with the curated rows."""
    index = place_index()
    documents, seconds = load_documents(events, sources, index)
    report = Report(documents, seconds)
    for document in documents:
        candidates = document.extraction.candidates
        name = document.source.id
        for row, start, end in document.rows:
            near = [c for c in candidates if _overlaps(c, start, end)]
            if row["date_precision"] == "day":
                hits = [c for c in near if c.row["date_start"] == row["date_start"]
                        and _places_agree(index, c.row, row)]
                strict = any(_places_agree(index, c.row, row, strict=True) for c in hits)
                report.dated.append((name, row, hits[0] if hits else None, strict))
            for column in FIGURE_COLUMNS:
                if row[column]:
                    hit = any(c.row[column] == row[column] and c.row["figure_qualifier"] ==
                              row["figure_qualifier"] for c in near)
                    report.figures.append((name, row, column, hit))
        for candidate in candidates:
            rows = [r for r, s, e in document.rows
                    if _overlaps(candidate, s, e) and _dates_overlap(candidate.row, r)]
            if rows:
                agree = any(_places_agree(index, candidate.row, r) for r in rows)
                report.matched.append((name, candidate, agree))
            else:
                report.unmatched.append((name, candidate))
            report.verbatim.append(
                document.text[candidate.start:candidate.end] == candidate.quote != "")
    return report


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def format_report(report: Report) -> str:
    """The table of measures against targets, then the misses and unmatched candidates."""
    shares = report.shares()
    counts = {"dated_recall": (sum(c is not None for _, _, c, _ in report.dated),
                               len(report.dated)),
              "figure_recall": (sum(h for *_, h in report.figures), len(report.figures)),
              "precision": (len(report.matched), len(report.matched) + len(report.unmatched)),
              "verbatim": (sum(report.verbatim), len(report.verbatim))}
    lines = ["| measure | found | share | target | met |", "|---|---|---|---|---|"]
    for key, target in TARGETS.items():
        hit, total = counts[key]
        lines.append(f"| {LABELS[key]} | {hit} of {total} | {shares[key]:.0%} | "
                     f"≥ {target:.0%} | {'yes' if shares[key] >= target else 'NO'} |")
    strict = sum(s for *_, s in report.dated)
    agree = sum(a for *_, a in report.matched)
    lines += ["", f"Dated rows matched with the candidate's place the same or containing "
                  f"(strict): {strict} of {len(report.dated)}.",
              f"Matched candidates whose place agrees with the row's: {agree} of "
              f"{len(report.matched)}.",
              f"Extraction of {len(report.documents)} documents: {report.seconds:.2f} s."]
    for document in report.documents:
        lines.append(f"Document {document.source.id}: {document.extraction.date_reason}; "
                     f"main event {document.extraction.main_event or 'none'}.")
    misses = [(n, r) for n, r, c, _ in report.dated if c is None]
    lines += ["", f"Missed dated rows ({len(misses)}):"]
    lines += [f"- {n} {r['event_id']} {r['date_start']} {r['place_id']}: "
              f"\"{_short(r['quote'])}\"" for n, r in misses] or ["- none"]
    missed = [(n, r, c) for n, r, c, h in report.figures if not h]
    lines += ["", f"Missed figures ({len(missed)}):"]
    lines += [f"- {n} {r['event_id']} {c} {r[c]} ({r['figure_qualifier']})"
              for n, r, c in missed] or ["- none"]
    lines += ["", f"Candidates matching no curated row ({len(report.unmatched)}), to judge:"]
    lines += [f"- {c.row['event_id']} {c.row['date_start']} {c.row['place_id'] or '-'} "
              f"{c.row['category']}/{c.row['event_type']}: \"{_short(c.quote)}\""
              for _, c in report.unmatched] or ["- none"]
    return "\n".join(lines)


def main() -> int:
    """Print the report; exit status 1 when a target is missed."""
    report = evaluate()
    print(format_report(report))
    return 0 if report.met() else 1


if __name__ == "__main__":
    sys.exit(main())

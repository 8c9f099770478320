"""The working set: the events and places a review adds to, never the bundled files.

A working set is a folder (the ``DASHBOARD_WORKING_DIR`` setting) holding ``reviewed-events.csv``
(the accepted rows), ``places.geojson`` (the bundled places plus the ones added while
reviewing), a copy of the bundled ``regions.geojson`` (so the folder is a geodata folder
the app can load the working events with), ``changes.jsonl`` (the change log) and
``reviews/`` (the saved review state of each document). Every file is written whole to a
temporary file and moved into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Container, Hashable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.files import write_atomic
from dashboard.gazetteer import Gazetteer
from dashboard.paths import GEODATA_DIR, PLACES_FILE, REGIONS_FILE
from dashboard.review.target import ACCEPTED, REJECTED, appended_problems
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange, Problem

if TYPE_CHECKING:
    from dashboard.review.session import Review

EVENTS_FILE = "reviewed-events.csv"
LOG_FILE = "changes.jsonl"
REVIEWS_DIR = "reviews"


def csv_text(rows: Iterable[dict[str, str]], header: bool) -> str:
    """Rows of the events columns as CSV text (values as they are: no formula guard)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows({c: row.get(c, "") for c in COLUMNS} for row in rows)
    return out.getvalue()


class WorkingSet:
    """The working events and places in ``folder``, made from the bundled geodata."""

    def __init__(self, folder: Path, geodata: Path = GEODATA_DIR):
        self.folder = Path(folder)
        self.geodata = Path(geodata)

    @property
    def events(self) -> Path:
        """The working events file."""
        return self.folder / EVENTS_FILE

    @property
    def places(self) -> Path:
        """The working places file: the bundled places and the added ones."""
        return self.folder / PLACES_FILE

    @property
    def log(self) -> Path:
        """The change log, one JSON object a line."""
        return self.folder / LOG_FILE

    @property
    def destination(self) -> str:
        """Where accepted events go, in words."""
        return f"the working events file {self.events}"

    def ensure(self) -> WorkingSet:
        """Create the folder's files that are missing; never overwrite one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.events.exists():
            write_atomic(self.events, csv_text([], header=True).encode())
        for name in (PLACES_FILE, REGIONS_FILE):
            if not (self.folder / name).exists():
                shutil.copyfile(self.geodata / name, self.folder / f".{name}.copy")
                os.replace(self.folder / f".{name}.copy", self.folder / name)
        return self

    def rows(self) -> list[dict[str, str]]:
        """The accepted rows, as written."""
        if not self.events.exists():
            return []
        with self.events.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def _places_file(self) -> Path:
        return self.places if self.places.exists() else self.geodata / PLACES_FILE

    def gazetteer(self) -> Gazetteer:
        """The working places."""
        return Gazetteer.load(self._places_file())

    def places_key(self) -> Hashable:
        """The working places file and when it last changed."""
        places = self._places_file()
        return str(places), places.stat().st_mtime_ns

    def place_ids(self) -> set[str]:
        """The ids of the working places."""
        return {p.id for p in self.gazetteer()}

    def problems(self, row: dict[str, str], places: Container[str] | None = None,
                 dates: DateRange | None = None, line: int | None = None) -> list[Problem]:
        """``validate``'s problems of ``row`` were it appended (its line in the file).

        ``places`` holds the known place ids (default: the working gazetteer's).
        """
        return self.problems_of([row], places, dates, line)[0]

    def problems_of(self, rows: list[dict[str, str]], places: Container[str] | None = None,
                    dates: DateRange | None = None, line: int | None = None
                    ) -> list[list[Problem]]:
        """:meth:`problems` of each of ``rows`` (each were it the only one appended), the
        file read once."""
        existing = self.rows()
        line = line or len(existing) + 2
        known = places if places is not None else {p.id for p in self.gazetteer()}
        seen = {r["event_id"]: n for n, r in enumerate(existing, start=2) if r["event_id"]}
        return [appended_problems(row, line, known, dates,
                                  seen.get(str(row.get("event_id") or ""))) for row in rows]

    def append(self, rows: list[dict[str, str]], document: str, digest: str) -> None:
        """Append ``rows`` (events columns; others dropped) atomically, and log each."""
        self.ensure()
        old = self.events.read_bytes()
        if old and not old.endswith(b"\n"):
            old += b"\n"
        write_atomic(self.events, old + csv_text(rows, header=False).encode())
        for row in rows:
            self.record("accept", document, digest, row.get("event_id", ""))

    def accept(self, review: Review, number: int, places: list[dict]) -> str:
        """Add ``places`` (GeoJSON features, those already there skipped), then append
        candidate ``number``; each logged."""
        for feature in places:
            self.add_place(feature, review.name, review.sha256)
        self.append([review.rows[number]], review.name, review.sha256)
        return ACCEPTED

    def reject(self, review: Review, number: int) -> str:
        """Log candidate ``number`` rejected."""
        self.record("reject", review.name, review.sha256, review.rows[number]["event_id"])
        return REJECTED

    def review_path(self, sha256: str) -> Path:
        """Where the review of the document with this hash is saved."""
        return self.folder / REVIEWS_DIR / f"{sha256}.json"

    def save_review(self, review: Review) -> None:
        """Save the review's rows and decisions atomically."""
        data = {"name": review.name, "sha256": review.sha256, "rows": review.rows,
                "status": review.status}
        write_atomic(self.review_path(review.sha256),
                     json.dumps(data, ensure_ascii=False).encode())

    def saved_review(self, sha256: str) -> dict[str, Any] | None:
        """The saved review of the document with this hash, if any."""
        path = self.review_path(sha256)
        if not path.exists():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def add_place(self, feature: dict, document: str, digest: str) -> bool:
        """Add a GeoJSON place feature to the working places atomically; False when a
        place of its id is there already."""
        self.ensure()
        collection = json.loads(self.places.read_text(encoding="utf-8"))
        pid = feature["properties"]["id"]
        if any(f["properties"]["id"] == pid for f in collection["features"]):
            return False
        collection["features"].append(feature)
        write_atomic(self.places, json.dumps(collection, ensure_ascii=False,
                                             indent=1).encode())
        self.record("add place", document, digest, pid)
        return True

    def record(self, action: str, document: str, digest: str, item: str) -> None:
        """One line of the change log: time, document, action and the event or place id."""
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"),
                 "document": document, "sha256": digest, "action": action, "id": item}
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def changes(self) -> list[dict[str, str]]:
        """The change log's entries, oldest first."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()
                if line.strip()]

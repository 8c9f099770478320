"""The review page's decisions kept in the events database of a team, with the reviewers'
login (``DASHBOARD_REVIEW_DATABASE_URL``): the same calls as a working set's files
(:class:`dashboard.review.ReviewTarget`).

Accepting a candidate is one transaction: its decision (taken once: the first reviewer to
save wins), the places it needs, the event in the dataset of reviewed events (unique by
dataset and event id) and the change log, with the document's name and SHA-256. The review
of each document (its candidates as edited and their decisions) is kept in the database, so
it resumes on any server; places placed by hand wait there for the first accepted event
that names them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Container, Hashable
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from dashboard.dataset import Geodata
from dashboard.db.connection import Database
from dashboard.db.geodata import PLACE_FIELDS, place_of
from dashboard.db.migrate import LATEST, applied
from dashboard.db.reviewed import REVIEWED, log, write_accepted
from dashboard.errors import DatabaseError
from dashboard.gazetteer import Gazetteer
from dashboard.paths import GEODATA_DIR
from dashboard.review import ACCEPTED, PENDING, REJECTED, Review
from dashboard.review.placing import LOCAL
from dashboard.review.session import GEONAMES, PLACE_COLUMNS
from dashboard.review.target import appended_problems
from dashboard.settings import Limits
from dashboard.validation import DateRange, Problem

OLD_SCHEMA = ("The events database's schema is older than this dashboard's: run "
              "`python -m dashboard db init` with a writer's login")
# The places added while reviewing (found by name in later reports), and those waiting.
ADDED_PLACES = f"""
    SELECT {PLACE_FIELDS} FROM places p
    WHERE starts_with(p.place_id, %s) OR starts_with(p.place_id, %s)
    ORDER BY p.place_id"""
PLACES_KEY = """SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM review_places),
                       (SELECT max(added_at) FROM review_places)"""
# The line an event added to the reviewed dataset takes, and those of the ids it holds.
_TAKEN = """
    SELECT coalesce(max(d.line), 1) + 1,
           coalesce(jsonb_object_agg(e.event_id, d.line) FILTER (WHERE e.event_id = ANY(%s)),
                    '{}')
    FROM events e JOIN event_details d USING (id) JOIN datasets s USING (dataset_id)
    WHERE s.name = %s"""
_ENSURE_REVIEW = """INSERT INTO reviews (sha256, name) VALUES (%s, %s)
                    ON CONFLICT (sha256) DO UPDATE SET saved_at = now()"""
_ENSURE_CANDIDATES = """
    INSERT INTO review_candidates (sha256, number, fields)
    SELECT %s, u.number - 1, u.fields FROM unnest(%s::jsonb[]) WITH ORDINALITY u(fields, number)
    ON CONFLICT (sha256, number) DO NOTHING"""
_DECIDE = """UPDATE review_candidates SET status = %s, fields = %s, decided_at = now()
             WHERE sha256 = %s AND number = %s AND status = 'pending' RETURNING number"""
_STATUS = "SELECT status FROM review_candidates WHERE sha256 = %s AND number = %s"
_EDITED = """
    UPDATE review_candidates c SET fields = u.fields
    FROM unnest(%s::integer[], %s::jsonb[]) u(number, fields)
    WHERE c.sha256 = %s AND c.number = u.number AND c.status = 'pending'
      AND c.fields IS DISTINCT FROM u.fields"""

class DatabaseReviews:
    """Reviews, accepted events and places added by hand, in the database.

    Parameters
    ----------
    database
        The reviewers' (read-write) database.
    geodata
        Folder of the bundled places and regions (places the database lacks come from it),
        read once; or what gives them (a server's cached copy).
    dataset
        The dataset accepted events go to.
    limits
        What an accepted event may hold (its dates).
    """

    def __init__(self, database: Database, geodata: Path | Callable[[], Geodata] = GEODATA_DIR,
                 dataset: str = REVIEWED, limits: Limits | None = None):
        self.database = database
        self.geodata = geodata
        self.dataset = dataset
        self.limits = limits
        self._lock = threading.Lock()
        self._base: Geodata | None = None
        self._places: tuple[Hashable, Gazetteer, frozenset[str]] | None = None
        self._checked = False

    def __repr__(self) -> str:
        return f"DatabaseReviews({self.database!r}, dataset={self.dataset!r})"

    @property
    def destination(self) -> str:
        """Where accepted events go, in words."""
        return f"the dataset “{self.dataset}” of the events database"

    def base(self) -> Geodata:
        """The bundled places and regions: the getter's, or the folder's read once."""
        if callable(self.geodata):
            return self.geodata()
        with self._lock:
            if self._base is None:
                self._base = Geodata.load(Path(self.geodata))
            return self._base

    def ensure(self) -> DatabaseReviews:
        """Check (once) that the database has this dashboard's schema.

        Raises
        ------
        DatabaseError
            When it is older (``db init`` has not run since the dashboard was updated).
        """
        if not self._checked:
            with self.database.connection() as connection:
                if applied(connection) < LATEST:
                    raise DatabaseError(OLD_SCHEMA)
            self._checked = True
        return self

    def places_key(self) -> Hashable:
        """How many places there are and which wait (places are added, never taken away):
        unchanged by events written, so a review's places are not read again for those."""
        return ("database", id(self), id(self.base()), *self.database.fetch(PLACES_KEY)[0])

    def _known(self) -> tuple[Gazetteer, frozenset[str]]:
        key = self.places_key()
        with self._lock:
            if self._places is not None and self._places[0] == key:
                return self._places[1], self._places[2]
        base = self.base().gazetteer
        added = [p for p in self._added() if p.id not in base]
        waiting = [f for (f,) in self.database.fetch(
            "SELECT feature FROM review_places ORDER BY place_id")]
        places = [*base, *added]
        have = {p.id for p in places}
        places += [p for p in Gazetteer.of_features(waiting) if p.id not in have]
        ids = {i for (i,) in self.database.fetch("SELECT place_id FROM places")}
        found = Gazetteer(places), frozenset(ids | {p.id for p in places})
        with self._lock:
            self._places = (key, *found)
        return found

    def _added(self) -> Gazetteer:
        rows = self.database.fetch(ADDED_PLACES, (GEONAMES, LOCAL))
        return Gazetteer([place_of(r) for r in rows])

    def gazetteer(self) -> Gazetteer:
        """The bundled places, those added while reviewing and those waiting."""
        return self._known()[0]

    def place_ids(self) -> frozenset[str]:
        """Every place of the database, the bundled ones and those waiting."""
        return self._known()[1]

    def problems(self, row: dict[str, str], places: Container[str] | None = None,
                 dates: DateRange | None = None) -> list[Problem]:
        """``validate``'s problems of ``row`` were it added to the reviewed events (on the
        line it would take in their CSV export)."""
        return self.problems_of([row], places, dates)[0]

    def problems_of(self, rows: list[dict[str, str]], places: Container[str] | None = None,
                    dates: DateRange | None = None) -> list[list[Problem]]:
        """:meth:`problems` of each of ``rows`` (each were it the only one added): the next
        line and the lines of the ids already taken read in one query."""
        ids = [str(r.get("event_id") or "") for r in rows]
        ((line, taken),) = self.database.fetch(_TAKEN, (ids, self.dataset))
        known = places if places is not None else self.place_ids()
        return [appended_problems(row, line, known, dates, taken.get(event_id))
                for row, event_id in zip(rows, ids, strict=True)]

    def add_place(self, feature: dict, document: str, digest: str) -> bool:
        """Keep a place placed by hand until an accepted event names it; False when a place
        of its id is there already."""
        place_id = feature["properties"]["id"]
        with self.database.connection() as connection, connection.transaction():
            if connection.execute("SELECT 1 FROM places WHERE place_id = %s",
                                  (place_id,)).fetchone():
                return False
            if not connection.execute("""
                    INSERT INTO review_places (place_id, feature, document, document_sha256)
                    VALUES (%s, %s, %s, %s) ON CONFLICT (place_id) DO NOTHING
                    RETURNING place_id""",
                                      (place_id, Jsonb(feature), document, digest)).fetchone():
                return False
            log(connection, "place by hand", document, digest, place_id)
        return True

    def _decide(self, connection: psycopg.Connection, review: Review, number: int,
                status: str) -> str | None:
        """Take the decision ``status`` on candidate ``number``: None when it was taken,
        else the decision taken before (by another reviewer)."""
        decision = (status, Jsonb(review.rows[number]), review.sha256, number)
        if connection.execute(_DECIDE, decision).fetchone():
            return None
        before = connection.execute(_STATUS, (review.sha256, number)).fetchone()
        if before is None:  # the review's first decision: its candidates are kept first
            self._keep(connection, review)
            if connection.execute(_DECIDE, decision).fetchone():
                return None
            before = connection.execute(_STATUS, (review.sha256, number)).fetchone()
        return str(before[0]) if before else PENDING

    def accept(self, review: Review, number: int, places: list[dict]) -> str:
        """Write candidate ``number``'s event, with the places it needs, in one transaction."""
        row = review.rows[number]
        self.ensure()
        with self.database.connection() as connection, connection.transaction():
            before = self._decide(connection, review, number, ACCEPTED)
            if before is not None:
                return before
            waiting = {f["properties"]["id"]: f for f in places}
            named = [row[c] for c in PLACE_COLUMNS if row[c] and row[c] not in waiting]
            for place_id, feature in connection.execute(
                    "SELECT place_id, feature FROM review_places WHERE place_id = ANY(%s)",
                    (named,)):
                waiting[place_id] = feature
            if write_accepted(connection, self.base(), row, waiting, review.name,
                              review.sha256, self.dataset, self.limits):
                connection.execute("DELETE FROM review_places WHERE place_id = ANY(%s)",
                                   (list(waiting),))
                return ACCEPTED
            raise psycopg.Rollback()  # its id was taken meanwhile: nothing is written
        return PENDING

    def reject(self, review: Review, number: int) -> str:
        """Mark candidate ``number`` rejected (unless decided already) and log it."""
        self.ensure()
        with self.database.connection() as connection, connection.transaction():
            before = self._decide(connection, review, number, REJECTED)
            if before is not None:
                return before
            log(connection, "reject", review.name, review.sha256,
                review.rows[number]["event_id"])
        return REJECTED

    def _keep(self, connection: psycopg.Connection, review: Review) -> None:
        """The review and its candidates, those not kept yet (as they are now)."""
        connection.execute(_ENSURE_REVIEW, (review.sha256, review.name))
        connection.execute(_ENSURE_CANDIDATES,
                           (review.sha256, [Jsonb(r) for r in review.rows]))

    def save_review(self, review: Review) -> None:
        """Keep the review's candidates; the pending ones' fields as edited (decisions are
        taken by :meth:`accept` and :meth:`reject` alone)."""
        self.ensure()
        pending = [n for n, s in enumerate(review.status) if s == PENDING]
        with self.database.connection() as connection, connection.transaction():
            self._keep(connection, review)
            connection.execute(_EDITED, (pending, [Jsonb(review.rows[n]) for n in pending],
                                         review.sha256))

    def saved_review(self, sha256: str) -> dict[str, Any] | None:
        """The kept review of the document with this hash, if any."""
        self.ensure()
        rows = self.database.fetch("""
            SELECT r.name, c.fields, c.status FROM reviews r
            JOIN review_candidates c USING (sha256)
            WHERE r.sha256 = %s ORDER BY c.number""", (sha256,))
        if not rows:
            return None
        return {"name": rows[0][0], "sha256": sha256, "rows": [r[1] for r in rows],
                "status": [r[2] for r in rows]}

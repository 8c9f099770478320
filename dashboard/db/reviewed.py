"""An event accepted on the review page, written into the dataset of reviewed events inside
a transaction the caller holds open: read as ``db load`` reads a file, with the places it
needs that the database lacks, their regions worked out in the database.

Accepts take turns on the dataset's row (locked first), so line numbers follow each other
and an event id taken by another reviewer meanwhile is seen, never overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping

import psycopg

from dashboard.dataset import Geodata
from dashboard.db.geodata import PLACE_FIELDS, place_of
from dashboard.db.load import (
    DETAILS,
    INCOMING,
    NARROW,
    UIDS,
    drawn_shapes,
    event_rows,
)
from dashboard.db.places import (
    INCOMING_REGIONS,
    copy_rows,
    place_memberships,
    write_places,
    write_regions,
)
from dashboard.errors import DatabaseError
from dashboard.gazetteer import Gazetteer, Place
from dashboard.importing import import_bytes
from dashboard.regions import place_regions
from dashboard.review.session import PLACE_COLUMNS
from dashboard.review.workset import csv_text
from dashboard.settings import Limits

REVIEWED = "reviewed"  # the dataset of the events accepted on the review page
FORMAT, SOURCE = "events", "the review page"
NAMED_PLACES = f"""SELECT {PLACE_FIELDS} FROM places p WHERE p.place_id = ANY(%s)"""
_NARROW = ", ".join(NARROW)
_DETAILS = ", ".join(DETAILS)
INSERT_EVENT = f"""
    INSERT INTO events (dataset_id, event_id, uid, {_NARROW}, marker)
    SELECT %s, event_id, event_id, {_NARROW}, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
    FROM incoming_events
    ON CONFLICT (dataset_id, event_id) DO NOTHING
    RETURNING id"""
INSERT_DETAILS = f"""
    INSERT INTO event_details (id, {_DETAILS})
    SELECT %s, {", ".join("ST_GeomFromWKB(arrow, 4326)" if c == "arrow" else c
                          for c in DETAILS)}
    FROM incoming_events"""


def reviewed_dataset(connection: psycopg.Connection, name: str = REVIEWED) -> int:
    """The id of the dataset of reviewed events, made when missing; its row stays locked
    until the transaction ends, so that accepts take turns."""
    row = connection.execute("""
        INSERT INTO datasets (name, format, source, total_rows) VALUES (%s, %s, %s, 0)
        ON CONFLICT (name) DO UPDATE SET loaded_at = now()
        RETURNING dataset_id""", (name, FORMAT, SOURCE)).fetchone()
    assert row is not None
    return int(row[0])


def next_line(connection: psycopg.Connection, dataset: int, event_id: str
              ) -> tuple[int, int | None]:
    """The line an event added to ``dataset`` takes (as in its CSV export), and that of
    the event already holding ``event_id``, if any."""
    row = connection.execute("""
        SELECT coalesce(max(d.line), 1) + 1, max(d.line) FILTER (WHERE e.event_id = %s)
        FROM events e JOIN event_details d USING (id) WHERE e.dataset_id = %s""",
                             (event_id, dataset)).fetchone()
    assert row is not None
    return int(row[0]), None if row[1] is None else int(row[1])


def _geodata(base: Geodata, extra: list[Place]) -> Geodata:
    """``base`` with the places ``extra`` (and the regions they lie in)."""
    if not extra:
        return base
    added = Gazetteer(extra)
    return Geodata(Gazetteer([*base.gazetteer, *extra]), base.regions, base.choices,
                   {**base.place_regions, **place_regions(added, base.regions)})


def write_accepted(connection: psycopg.Connection, base: Geodata, row: Mapping[str, str],
                   features: Mapping[str, dict], document: str, digest: str,
                   dataset: str = REVIEWED, limits: Limits | None = None) -> bool:
    """Write ``row`` (the events columns) into ``dataset`` in the open transaction, with the
    places it names that the database lacks: from ``features`` (GeoJSON, by id) or from
    ``base``; each logged with the document's name and hash. False when the dataset holds
    the event id already (the caller rolls back: the dataset's row was touched).
    ``limits``: the dates an event may have.

    Raises
    ------
    DatabaseError
        When the row names a place found nowhere, or is not a valid event.
    """
    dataset_id = reviewed_dataset(connection, dataset)
    line, taken = next_line(connection, dataset_id, row["event_id"])
    if taken is not None:
        return False
    named = sorted({row[c] for c in PLACE_COLUMNS if row.get(c)})
    have = {r[0]: place_of(r) for r in connection.execute(NAMED_PLACES, (named,))}
    new: list[Place] = []
    for place_id in (p for p in named if p not in have):
        if place_id in features:
            new.extend(Gazetteer.of_features([features[place_id]]))
        elif place_id in base.gazetteer:
            new.append(base.gazetteer[place_id])
        else:
            raise DatabaseError(f"The place {place_id} is in no gazetteer: add it first")
    extra = [p for p in [*have.values(), *new] if p.id not in base.gazetteer]
    data = import_bytes(csv_text([dict(row)], header=True).encode(), dataset,
                        _geodata(base, extra), fmt=FORMAT, limits=limits)
    if len(data.events) != 1:
        raise DatabaseError("The event was not written: "
                            + "; ".join(p.message for p in data.problems[:3]))
    events = data.events.copy()
    events["line"] = line
    if new:
        regions = connection.execute("SELECT EXISTS (SELECT 1 FROM regions)").fetchone()
        if not (regions and regions[0]):
            write_regions(connection, base.regions)
        write_places(connection, Gazetteer(new), drawn_shapes(events))
        place_memberships(connection, [p.id for p in new])
    copy_rows(connection, "incoming_events", INCOMING, event_rows(events))
    connection.execute('ALTER TABLE incoming_events ADD COLUMN regions text[] COLLATE "C"')
    connection.execute(INCOMING_REGIONS)
    found = connection.execute(INSERT_EVENT, (dataset_id,)).fetchone()
    if found is None:
        return False
    connection.execute(INSERT_DETAILS, (found[0],))
    connection.execute(UIDS, ([row["event_id"]],))
    connection.execute("UPDATE datasets SET total_rows = total_rows + 1 WHERE dataset_id = %s",
                       (dataset_id,))
    for place in new:
        log(connection, "add place", document, digest, place.id, dataset)
    log(connection, "accept", document, digest, row["event_id"], dataset)
    return True


def log(connection: psycopg.Connection, action: str, document: str, digest: str, item: str,
        dataset: str | None = None) -> None:
    """One change of a review in the change log: its action, the document's name and
    SHA-256 and the event or place id (the time and the role are the log's own)."""
    connection.execute("""
        INSERT INTO change_log (action, dataset, rows, detail, document, document_sha256, item)
        VALUES (%s, %s, %s, %s, %s, %s, %s)""",
                       (action, dataset, int(action == "accept"), f"{action} {item}",
                        document, digest, item))

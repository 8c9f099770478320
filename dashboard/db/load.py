"""A read events file written to the database: one transaction (all or nothing), keyed by
dataset and event id, so loading the same file again changes nothing.

The events keep the importer's fields and search text (titles, descriptions and every
place-name variant); their regions are worked out in the database
(:mod:`dashboard.db.places`). An event id that an earlier dataset already holds is shown as
``dataset:id``, as the app does when it shows several files together
(:func:`dashboard.dataset.combine`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace as replaced

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

from dashboard.dataset import Dataset
from dashboard.db.connection import Database
from dashboard.db.migrate import SYNCHRONOUS, vacuum
from dashboard.db.places import (
    INCOMING_REGIONS,
    copy_rows,
    other_regions,
    place_memberships,
    wkb,
    write_places,
    write_regions,
)
from dashboard.schema import COLUMNS, FIGURE_COLUMNS

TEXT_COLUMNS = tuple(c for c in COLUMNS if c not in FIGURE_COLUMNS)
# What an event row holds besides the file's fields, in the order of INCOMING.
DERIVED = ("start_day", "end_day", "line", "place_name", "location_precision", "search_text",
           "lon", "lat", "drawn_as", "shape_place")
INCOMING = ", ".join([*(f"{c} text" for c in TEXT_COLUMNS),
                      *(f"{c} bigint" for c in FIGURE_COLUMNS),
                      "start_day date, end_day date, line integer, place_name text, "
                      "location_precision text, search_text text, lon double precision, "
                      "lat double precision, drawn_as text, shape_place text, arrow bytea"])
# Where each goes: the narrow table the filters scan, or the details (see the schema).
NARROW = ("category", "date_precision", "start_day", "end_day", "regions", "lon", "lat",
          "place_name", "displaced", "drawn_as")
DETAILS = tuple(c for c in (*TEXT_COLUMNS, *FIGURE_COLUMNS, *DERIVED, "arrow")
                if c not in NARROW and c != "event_id")


@dataclass(frozen=True)
class Loaded:
    """What loading one file into a dataset did."""

    dataset: str
    new: int
    changed: int
    removed: int
    unchanged: int
    warning: str | None = None  # written, but the tables' vacuum failed (see vacuum)

    @property
    def summary(self) -> str:
        return (f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged"
                + (f", {self.removed} removed" if self.removed else ""))


def _texts(column: pd.Series) -> list[str]:
    return ["" if v is None or v != v else str(v) for v in column.tolist()]  # NaN: empty


def event_rows(events: pd.DataFrame) -> list[tuple]:
    """The rows COPY sends: the fields of :data:`INCOMING`, in its order."""
    columns: list[list] = [_texts(events[c]) for c in TEXT_COLUMNS]
    for name in FIGURE_COLUMNS:
        figures = events[name].astype(object).where(events[name].notna(), None)
        columns.append([None if v is None else int(v) for v in figures])
    for name in ("start", "end"):
        columns.append([pd.Timestamp(v).date() for v in events[name].to_numpy()])
    columns.append([int(v) for v in events["line"].to_numpy()])
    columns += [_texts(events[c]) for c in ("place_name", "location_precision", "search_text")]
    markers = events.geometry
    columns.append(np.asarray(markers.x, dtype=float).tolist())
    columns.append(np.asarray(markers.y, dtype=float).tolist())
    columns.append(_texts(events["drawn_as"]))
    places = [None if p is None or p != p else str(p) for p in events["shape_place"].tolist()]
    columns.append(places)
    columns.append([wkb(shape) if place is None and shape is not None else None
                    for shape, place in zip(events["shape"].tolist(), places, strict=True)])
    return list(zip(*columns, strict=True))


def drawn_shapes(events: pd.DataFrame) -> dict:
    """How each area or route is drawn, by place (one shape per place)."""
    named = events[events["shape_place"].notna()]
    return dict(zip(named["shape_place"].tolist(), named["shape"].tolist(), strict=True))


def _listed(template: str, names: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(sql.SQL(template).format(sql.Identifier(n)) for n in names)


def _changed(table: str, names: Sequence[str]) -> sql.Composed:
    """``(table.a, ...) IS DISTINCT FROM (EXCLUDED.a, ...)``."""
    return sql.SQL("({}) IS DISTINCT FROM ({})").format(
        sql.SQL(", ").join(sql.Identifier(table, n) for n in names),
        _listed("EXCLUDED.{}", names))


def _upsert_events() -> sql.Composed:
    """New events written in date order (their ids too), so that the events of a date range
    lie on neighbouring pages of the table."""
    names = list(NARROW)
    return sql.SQL("""
        INSERT INTO events (dataset_id, event_id, uid, {columns}, marker)
        SELECT %(dataset)s, event_id, event_id, {columns},
               ST_SetSRID(ST_MakePoint(lon, lat), 4326)
        FROM incoming_events ORDER BY start_day, event_id
        ON CONFLICT (dataset_id, event_id) DO UPDATE SET {updates}, marker = EXCLUDED.marker
        WHERE {changed}
        RETURNING id, (xmax = 0)""").format(
        columns=_listed("{}", names), updates=_listed("{0} = EXCLUDED.{0}", names),
        changed=_changed("events", names))


def _upsert_details() -> sql.Composed:
    """In the order of the events' ids: the details of a date range's events are on
    neighbouring pages too."""
    names = list(DETAILS)
    values = sql.SQL(", ").join(sql.SQL("ST_GeomFromWKB(i.arrow, 4326)") if n == "arrow"
                                else sql.Identifier("i", n) for n in names)
    return sql.SQL("""
        INSERT INTO event_details (id, {columns})
        SELECT e.id, {values} FROM incoming_events i
        JOIN events e ON e.dataset_id = %(dataset)s AND e.event_id = i.event_id
        ORDER BY e.id
        ON CONFLICT (id) DO UPDATE SET {updates}, loaded_at = now()
        WHERE {changed}
        RETURNING id""").format(
        columns=_listed("{}", names), values=values,
        updates=_listed("{0} = EXCLUDED.{0}", names), changed=_changed("event_details", names))


UIDS = """
    WITH wanted AS (
        SELECT e.id, CASE WHEN EXISTS (SELECT 1 FROM events o WHERE o.event_id = e.event_id
                                         AND o.dataset_id < e.dataset_id)
                          THEN d.name || ':' || e.event_id ELSE e.event_id END AS uid
        FROM events e JOIN datasets d USING (dataset_id)
        WHERE e.event_id = ANY(%s))
    UPDATE events e SET uid = wanted.uid FROM wanted
    WHERE e.id = wanted.id AND e.uid IS DISTINCT FROM wanted.uid"""


def _dataset(connection: psycopg.Connection, name: str, data: Dataset) -> int:
    row = connection.execute("""
        INSERT INTO datasets (name, format, source, total_rows) VALUES (%s, %s, %s, %s)
        ON CONFLICT (name) DO UPDATE SET format = EXCLUDED.format, source = EXCLUDED.source,
            total_rows = EXCLUDED.total_rows, loaded_at = now()
        RETURNING dataset_id""", (name, data.format, data.path.name, data.total_rows)
    ).fetchone()
    assert row is not None
    return int(row[0])


def write(connection: psycopg.Connection, data: Dataset, name: str,
          replace: bool = False) -> Loaded:
    """Write ``data`` as dataset ``name`` in the connection's open transaction."""
    events = data.events
    regions_changed = write_regions(connection, data.geodata.regions)
    changed_places = write_places(connection, data.geodata.gazetteer, drawn_shapes(events))
    scope = None if regions_changed else changed_places
    if scope is None or scope:
        place_memberships(connection, scope)
    dataset = _dataset(connection, name, data)
    ids = [str(v) for v in events["event_id"].tolist()]
    before = {i for (i,) in connection.execute(
        "SELECT event_id FROM events WHERE dataset_id = %s", (dataset,))}
    copy_rows(connection, "incoming_events", INCOMING, event_rows(events))
    connection.execute('ALTER TABLE incoming_events ADD COLUMN regions text[] COLLATE "C"')
    connection.execute(INCOMING_REGIONS)  # worked out before writing: each row written once
    # The search index's new entries gathered and merged at once rather than row by row.
    connection.execute("SET LOCAL gin_pending_list_limit = '256MB'")
    narrow = connection.execute(_upsert_events(), {"dataset": dataset}).fetchall()
    details = connection.execute(_upsert_details(), {"dataset": dataset}).fetchall()
    new = {i for i, inserted in narrow if inserted}
    changed = ({i for i, inserted in narrow if not inserted} | {i for (i,) in details}) - new
    removed: set[str] = set()
    if replace:
        removed = before - set(ids)
        connection.execute("DELETE FROM events WHERE dataset_id = %s AND event_id = ANY(%s)",
                           (dataset, list(removed)))
    if scope is None or scope:
        other_regions(connection, dataset, scope)
    connection.execute(UIDS, (sorted(set(ids) | removed),))
    loaded = Loaded(name, len(new), len(changed), len(removed),
                    len(ids) - len(new) - len(changed))
    connection.execute("INSERT INTO change_log (action, dataset, rows, detail) "
                       "VALUES (%s, %s, %s, %s)",
                       ("replace" if replace else "load", name, len(ids), loaded.summary))
    return loaded


def load(database: Database, data: Dataset, name: str | None = None,
         replace: bool = False) -> Loaded:
    """Write ``data`` as the dataset ``name`` (default: the file's name) in one transaction:
    its events added or updated by id, those the file no longer holds removed when
    ``replace``; nothing written when anything fails.

    The tables are vacuumed once the transaction committed; when that fails the events
    stay loaded and :attr:`Loaded.warning` says so.

    Raises
    ------
    DatabaseError
        When the database refuses (nothing of the file is written).
    """
    with database.connection() as connection:
        with connection.transaction():
            connection.execute(SYNCHRONOUS)  # vacuumed right after (see vacuum)
            loaded = write(connection, data, name or data.name, replace)
        if loaded.new or loaded.changed or loaded.removed:
            # The pages written: index-only scans again, fresh statistics.
            loaded = replaced(loaded, warning=vacuum(connection))
        return loaded

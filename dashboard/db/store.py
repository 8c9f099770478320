"""The database store: the same calls as the embedded store
(:class:`dashboard.query.EventStore`), answered by PostgreSQL/PostGIS; the app holds no copy
of the events, only the answers it asked for.

Every server compares the database's data version (one row, bumped by every write) at most
once per ``check_every`` seconds; when it changed, the selections and everything else
remembered are dropped, so each server shows another's writes on its next rerun.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import shapely

from dashboard.dataset import Geodata
from dashboard.db import overview
from dashboard.db.connection import Database
from dashboard.db.frames import NEEDS_LARGEST, NEEDS_SHAPES, Context
from dashboard.db.geodata import extended
from dashboard.db.selection import PostgisSelection
from dashboard.db.where import Where, search_query, search_words, state_conditions
from dashboard.filters import FilterState
from dashboard.periods import widened
from dashboard.query.store import Bounds

SELECTIONS_KEPT = 32  # per data version, each with the answers it was asked for
CHECK_EVERY_S = 1.0
SEARCHES_KEPT = 32  # per data version: the ids each search found
MAX_AWAY = 5_000  # events outside a view listed by id; more: each selection scans its own
AWAY_KEPT = 8  # per data version: the views whose events outside were listed


class PostgisStore:
    """The events of a PostgreSQL/PostGIS database (see ``python -m dashboard db``).

    Parameters
    ----------
    database
        Where the events are; the app's is read-only.
    check_every
        Seconds during which a data version read is trusted (0: read it every time).
    """

    def __init__(self, database: Database, check_every: float = CHECK_EVERY_S):
        self.database = database
        self.check_every = check_every
        self._lock = threading.Lock()
        self._version: int | None = None
        self._checked = 0.0
        self._kept: OrderedDict[FilterState, PostgisSelection] = OrderedDict()
        self._remembered: dict[str, Any] = {}
        self._name = secrets.token_hex(8)  # tells this store's data from another database's

    def __repr__(self) -> str:
        return f"PostgisStore({self.database!r})"

    def version(self) -> int:
        """The data version: read again once ``check_every`` seconds have passed."""
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._checked < self.check_every:
                return self._version
        found = int(self.database.fetch("SELECT version FROM data_version")[0][0])
        with self._lock:
            if found != self._version:
                self._kept.clear()
                self._remembered.clear()
            self._version, self._checked = found, now
        return found

    def key(self) -> str:
        """Names this database's data as they are now, for caches that several stores
        share: the store and its data version (two databases may be at the same version)."""
        return f"{self._name}:{self.version()}"

    def expire(self) -> None:
        """Read the data version again on the next call (after this server wrote)."""
        with self._lock:
            self._checked = float("-inf")

    def _remember(self, name: str, query: str | Callable[[Database], Any]) -> Any:
        """The answer of ``query`` (first row, first field; or what it returns when a
        function of the database) for this data version."""
        self.version()
        with self._lock:
            if name in self._remembered:
                return self._remembered[name]
        value = (self.database.fetch(query)[0][0] if isinstance(query, str)
                 else query(self.database))
        with self._lock:
            self._remembered[name] = value
        return value

    def __len__(self) -> int:
        return int(self._remember("count", "SELECT count(*) FROM events"))

    def longest(self) -> int:
        """The most days any event spans (for :func:`where.date_conditions`)."""
        return int(self._remember("longest",
                                  "SELECT coalesce(max(end_day - start_day), 0) FROM events"))

    def select(self, state: FilterState) -> PostgisSelection:
        """The events ``state`` selects (the last few states of this version remembered)."""
        version = self.version()
        with self._lock:
            kept = self._kept.get(state)
            if kept is not None and kept.version == version:
                self._kept.move_to_end(state)
                return kept
        asked, found = state, self._matching(state.search)
        if found is not None and len(found) == len(self):  # "a": every event, no condition
            asked, found = replace(state, search=""), None
        conditions = state_conditions(asked, self.longest(), found)
        selection = PostgisSelection(self, Where(tuple(conditions)), version)
        with self._lock:
            self._kept[state] = selection
            while len(self._kept) > SELECTIONS_KEPT:
                self._kept.popitem(last=False)
        return selection

    def _matching(self, text: str) -> list[int] | None:
        """The ids of the events the search ``text`` finds, looked up once per text and
        version (every query of a selection then compares ids instead of searching again);
        None when there is nothing to look up."""
        words = search_words(text)
        if not words or any("\x00" in word for word in words):
            return None
        query, values = search_query(words)
        return self._kept_few(f"search:{chr(0).join(words)}", SEARCHES_KEPT, lambda: [
            i for (i,) in self.database.fetch(query, values)])

    def away(self, bounds: Bounds) -> list[int] | None:
        """The ids of the events whose marker lies outside ``bounds``, looked up once per
        view and data version (the map's first view is one per version); None when there
        are more than :data:`MAX_AWAY`."""
        south, west, north, east = (float(v) for v in bounds)
        self.version()

        def look() -> list[int] | None:
            rows = self.database.fetch(
                "SELECT id FROM events WHERE NOT (lat BETWEEN %s AND %s AND lon BETWEEN %s "
                "AND %s) LIMIT %s", (south, north, west, east, MAX_AWAY + 1))
            return None if len(rows) > MAX_AWAY else [i for (i,) in rows]

        return self._kept_few(f"away:{south}:{west}:{north}:{east}", AWAY_KEPT, look)

    def _kept_few(self, key: str, limit: int, answer: Callable[[], Any]) -> Any:
        """``answer()``, remembered under ``key`` for this data version; of the answers whose
        keys start as ``key`` does (up to its first ``:``), the newest ``limit`` are kept."""
        with self._lock:
            if key in self._remembered:
                return self._remembered[key]
        found = answer()
        kind = key.split(":", 1)[0] + ":"
        with self._lock:
            same = [k for k in self._remembered if k.startswith(kind)]
            for old in same[:max(0, len(same) - limit + 1)]:
                del self._remembered[old]
            self._remembered[key] = found
        return found

    def span(self) -> tuple[date, date] | None:
        """The first day an event starts and the last day one covers; None when empty."""
        return self._remember("span", overview.span)

    def opening(self, first: date, last: date) -> tuple[date, date]:
        """The range the page opens on (:func:`dashboard.periods.opening_range`)."""
        return widened(self._remember("busiest", overview.busiest_episode), first, last)

    def extent(self) -> Bounds | None:
        """The events' own region (:func:`dashboard.export.extent.events_extent`)."""
        return self._remember("extent", overview.extent)

    def datasets(self) -> list[str]:
        """The names of the datasets that hold events, in the order they were first loaded
        (as the embedded store: a dataset left empty is not offered)."""
        return list(self._remember("datasets", lambda database: [
            name for (name,) in database.fetch(
                "SELECT name FROM datasets d WHERE EXISTS "
                "(SELECT 1 FROM events e WHERE e.dataset_id = d.dataset_id) "
                "ORDER BY dataset_id")]))

    def geodata(self, base: Geodata) -> Geodata:
        """``base`` with the database's other places (see :func:`geodata.extended`)."""
        self.version()
        key = f"geodata:{id(base)}"
        with self._lock:
            if key in self._remembered:
                return self._remembered[key][1]
        found = extended(base, self.database)
        with self._lock:
            self._remembered[key] = (base, found)  # base kept: its id is not reused
        return found

    def _shapes(self) -> dict[str, Any]:
        self.version()
        with self._lock:
            if "shapes" in self._remembered:
                return self._remembered["shapes"]
        rows = self.database.fetch(
            "SELECT place_id, ST_AsBinary(shape) FROM places WHERE shape IS NOT NULL")
        shapes = {place: shapely.from_wkb(bytes(found)) for place, found in rows}
        with self._lock:
            self._remembered["shapes"] = shapes
        return shapes

    def context(self, names: Sequence[str]) -> Context:
        """What the columns ``names`` need besides their rows (read once per version)."""
        shapes = self._shapes() if NEEDS_SHAPES & set(names) else {}
        largest = (self._remember("largest", "SELECT max(displaced) FROM events")
                   if NEEDS_LARGEST & set(names) else None)
        return Context(shapes, None if largest is None else float(largest))

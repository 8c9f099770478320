"""Filter states as SQL conditions on the ``events`` table (alias ``e``, its dataset ``d``;
the search text is in ``event_details``):
fixed statement text with ``%s`` placeholders, the values always passed apart, never
written into the statement.

The search is the app's (:func:`dashboard.filters.search_mask`): every folded word must be a
substring of the search text. Each word becomes a ``LIKE`` pattern with ``%``, ``_`` and
``\\`` escaped, which the trigram index answers; a word holding NUL (which no text holds and
PostgreSQL refuses) selects nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from psycopg import sql

from dashboard.filters import FilterState
from dashboard.gazetteer import fold
from dashboard.query.store import Bounds
from dashboard.schema import CATEGORIES

FROM = "FROM events e"
WITH_DATASETS = " JOIN datasets d USING (dataset_id)"  # only when a column or condition asks
WITH_DETAILS = " JOIN event_details t ON t.id = e.id"
USES_DATASETS = re.compile(r"\bd\.")
ORDER = ("e.start_day", "e.uid", "e.id")  # as dashboard.filters.DATE_ORDER
DATE_ORDER = "ORDER BY " + ", ".join(ORDER)
BACKWARDS = "ORDER BY " + ", ".join(f"{c} DESC" for c in ORDER)  # DATE_ORDER reversed

Condition = tuple[str, tuple[Any, ...]]  # a constant fragment and its values
MAX_COMPARED = 200  # words compared with each other to leave out those inside another


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards and escape character in ``word`` taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_words(text: str) -> list[str]:
    """The folded words of ``text`` an event must contain, each once, leaving out those
    inside another (an event holding "stepanakert" holds "stepan")."""
    words = list(dict.fromkeys(fold(text).split()))
    if len(words) <= MAX_COMPARED:
        words = [w for w in words if not any(w != o and w in o for o in words)]
    return words


def search_query(words: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """SQL for the ids of the events whose search text holds every one of ``words``, and
    its values (LIKE patterns; the trigram index answers it)."""
    likes = " AND ".join(["s.search_text LIKE %s"] * len(words))
    return (f"SELECT s.id FROM event_details s WHERE {likes}",
            tuple(like_pattern(w) for w in words))


def search_conditions(text: str, found: Sequence[int] | None = None) -> list[Condition]:
    """One condition: the search text holds every word of ``text``; ``found``: the ids of
    those events, when already looked up (:func:`search_query`)."""
    words = search_words(text)
    if not words:
        return []
    if any("\x00" in word for word in words):
        return [("false", ())]
    if found is not None:
        return [("e.id = ANY(%s)", (list(found),))]
    query, values = search_query(words)
    return [(f"e.id IN ({query})", values)]


def state_conditions(state: FilterState, longest: int | None = None,
                     found: Sequence[int] | None = None) -> list[Condition]:
    """What ``state`` asks of an event (as :func:`dashboard.filters.selection_mask`);
    ``longest``: see :func:`date_conditions`; ``found``: see :func:`search_conditions`."""
    conditions: list[Condition] = []
    if set(CATEGORIES) - set(state.categories):  # every event is of one of them (imports)
        conditions.append(("e.category = ANY(%s)", (list(state.categories),)))
    conditions += date_conditions(state.date_from, state.date_to, longest)
    if state.regions:
        conditions.append(("e.regions && %s::text[]", (list(state.regions),)))
    conditions += search_conditions(state.search, found)
    if state.precise_only:
        conditions.append(("e.date_precision = 'day'", ()))
    if state.datasets:
        conditions.append(("d.name = ANY(%s)", (list(state.datasets),)))
    return conditions


def date_conditions(first: date | None, last: date | None,
                    longest: int | None = None) -> list[Condition]:
    """Events whose span overlaps ``first``..``last`` (as :func:`dashboard.filters.date_mask`).

    ``longest``, the most days any event spans, adds a condition that changes nothing but
    lets the date-order index start near ``first``: an event ending on or after ``first``
    starts at most that many days before it.
    """
    found: list[Condition] = []
    if last is not None:
        found.append(("e.start_day <= %s", (last,)))
    if first is not None:
        found.append(("e.end_day >= %s", (first,)))
        if longest is not None:
            earliest = first - timedelta(days=min(longest, (first - date.min).days))
            found.append(("e.start_day >= %s", (earliest,)))
    return found


def bounds_conditions(bounds: Bounds, margin: float = 0.0) -> list[Condition]:
    """Markers in ``bounds`` widened by ``margin`` of its size on every side, edges included
    (the GiST index narrows, the exact test decides)."""
    south, west, north, east = (float(v) for v in bounds)
    dlat, dlon = (north - south) * margin, (east - west) * margin
    box = (south - dlat, west - dlon, north + dlat, east + dlon)
    return [("e.marker && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
             (box[1], box[0], box[3], box[2])),
            ("e.lat BETWEEN %s AND %s AND e.lon BETWEEN %s AND %s",
             (box[0], box[2], box[1], box[3]))]


@dataclass(frozen=True)
class Where:
    """Conditions that all hold: a selection's, in a statement's ``WHERE``."""

    conditions: tuple[Condition, ...] = ()

    def having(self, more: Sequence[Condition]) -> Where:
        """These conditions and ``more``."""
        return Where((*self.conditions, *more))

    @property
    def sql(self) -> sql.Composable:
        if not self.conditions:
            return sql.SQL("true")
        return sql.SQL(" AND ").join(sql.SQL(f"({text})")
                                     for text, _ in self.conditions)

    @property
    def params(self) -> list[Any]:
        return [value for _, values in self.conditions for value in values]


def tables(head: str, where: Where, details: bool = False) -> sql.SQL:
    """``FROM events e``, with ``event_details t`` joined for ``details`` and
    ``datasets d`` only when ``head`` or a condition of ``where`` names it."""
    found = FROM
    if USES_DATASETS.search(head) or any(USES_DATASETS.search(text)
                                         for text, _ in where.conditions):
        found += WITH_DATASETS
    return sql.SQL(found + (WITH_DETAILS if details else ""))

"""The table's pages in the database: a page of a selection in date order, and where an
event falls in that order (so the table can open the page holding it).

``OFFSET`` reads every row it skips: a page's ids are picked in ``events`` alone, along its
date-order index and from the nearer end, and only those rows are joined to their details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from psycopg import sql

from dashboard.db.frames import expressions, needs_details, to_frame, unknown
from dashboard.db.where import BACKWARDS, DATE_ORDER, Where, tables

if TYPE_CHECKING:
    from dashboard.db.selection import PostgisSelection

POSITION = ("(e.start_day, e.uid, e.id) <= (SELECT f.start_day, f.uid, f.id FROM events f "
            "WHERE f.uid = %s LIMIT 1)")  # the events up to one, in date order


def page(selection: PostgisSelection, names: list[str], start: int, count: int
         ) -> pd.DataFrame:
    """The columns ``names`` of ``count`` selected events from the ``start``-th (from 0) in
    date order: fewer at the end, none past it."""
    missing = unknown(names)
    if missing:
        raise KeyError(f"not a column of the events: {', '.join(missing)}")
    order, offset = DATE_ORDER, start
    if start and count:
        total = len(selection)  # known already: the page says it
        count = max(min(count, total - start), 0)
        if 2 * start + count > total:  # in the second half: counted from the end
            order, offset = BACKWARDS, total - start - count
    found: list[tuple[Any, ...]] = []
    if count:
        head = ", ".join(expressions(names))
        query = sql.SQL("SELECT {} {} WHERE e.id IN (SELECT e.id {} WHERE {} {} "
                        "LIMIT %s OFFSET %s) {}").format(
            sql.SQL(head), tables(head, Where(()), needs_details(names)),
            tables("", selection.where), selection.where.sql, sql.SQL(order),
            sql.SQL(DATE_ORDER))
        found = selection.store.database.fetch(query,
                                               [*selection.where.params, count, offset])
    return to_frame(names, found, selection.store.context(names))


def position(selection: PostgisSelection, event_id: str) -> int | None:
    """Where the selected event ``event_id`` is in date order: the selected events up to it,
    counted in one query; None when it is not selected."""
    [(count, found)] = selection.fetch("count(*), bool_or(e.uid = %s)",
                                       more=[(POSITION, (event_id,))],
                                       head_params=(event_id,))
    return int(count) - 1 if found else None

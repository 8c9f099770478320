"""The table of shown events under the map: every row traceable to its source."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import streamlit as st

from dashboard.export.tables import to_csv
from dashboard.formatting import days, figures_column, format_precision, format_when
from dashboard.query import Selection
from dashboard.schema import CATEGORIES, FIGURE_COLUMNS
from dashboard.sources import short_label
from dashboard.ui import cache, selection
from dashboard.ui import state as ui_state

PAGE_ROWS = 100  # rows a page of the table holds; the CSV has every shown event
SEEN = "_table_seen_event"  # session_state: the selected event the table last turned to


COLUMNS = ["Date", "Date precision", "Layer", "Event", "Place", "Location precision",
           "Figures", "Claimed by", "Source", "Quote", "ID"]
# What the table is made of: the page asks the store for these columns only.
TABLE_FIELDS = ["event_id", "start", "end", "date_end", "date_precision", "time", "category",
                "title", "place_name", "location_precision", *FIGURE_COLUMNS,
                "figure_qualifier", "claimed_by", "source", "source_ref", "quote"]


def table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The shown events as a reader sees them: dates with precision, figures, source.

    Made column by column (each date, layer and source formatted once), not row by row.
    """
    fields = {name: events[name].tolist() for name in TABLE_FIELDS
              if name not in ("start", "end")}
    ends = [e if flag else None for e, flag in zip(days(events["end"]), fields["date_end"],
                                                   strict=True)]
    when = lru_cache(maxsize=None)(format_when)
    label = lru_cache(maxsize=None)(short_label)
    return pd.DataFrame({
        "Date": [when(start, end, precision, time) for start, end, precision, time in zip(
            days(events["start"]), ends, fields["date_precision"], fields["time"],
            strict=True)],
        "Date precision": [format_precision(p) for p in fields["date_precision"]],
        "Layer": [CATEGORIES[c].label for c in fields["category"]],
        "Event": fields["title"],
        "Place": fields["place_name"],
        "Location precision": fields["location_precision"],
        "Figures": figures_column(fields),
        "Claimed by": fields["claimed_by"],
        "Source": [f"{label(src)} {ref}".strip()
                   for src, ref in zip(fields["source"], fields["source_ref"], strict=True)],
        "Quote": fields["quote"],
        "ID": fields["event_id"],
    }, columns=COLUMNS)


def table_page(events: Selection, chosen: str | None, page: pd.DataFrame) -> pd.DataFrame:
    """The table of a ``page`` of ``events`` (:func:`table_frame`), and of the ``chosen``
    one after it when it falls elsewhere."""
    if chosen is None or chosen in set(page["ID"]):
        return page
    extra = events.find(chosen)
    if extra.empty:
        return page
    return pd.concat([page, table_frame(extra)], ignore_index=True)


def _page_frame(events: Selection, start: int) -> pd.DataFrame:
    """The table of the page from the ``start``-th event: made once per set of events and
    page (shared)."""
    return cache.table((events.key, str(start), str(PAGE_ROWS)),
                       lambda: table_frame(events.rows(start, PAGE_ROWS, TABLE_FIELDS)))


def _page_number(events: Selection, key: str, pages: int) -> int:
    """The page shown: the picker's (``key``), within 1..``pages``; an event selected since
    the last run (on the map, in the story) opens the page holding it, if another."""
    asked = ui_state.value(key)
    page = min(max(int(asked or 1), 1), pages)
    chosen = selection.selected()
    if chosen != st.session_state.get(SEEN):
        st.session_state[SEEN] = chosen
        if pages > 1 and chosen is not None and chosen not in set(
                _page_frame(events, (page - 1) * PAGE_ROWS)["ID"]):
            at = events.position(chosen)  # one look-up
            page = page if at is None else at // PAGE_ROWS + 1
    if page != (asked or 1):
        ui_state.open_page(key, page)
    return page


def render_table(events: Selection) -> None:
    """Show the table (sortable, keyboard navigable, copyable); a row picked shows on the map.

    Beyond :data:`PAGE_ROWS` events the table shows a page at a time, in date order, with a
    page picker; the caption says which events the page holds, and the CSV (made only when
    the button is clicked) has all of them. The chosen event is added after a page that
    does not hold it.
    """
    st.subheader("Events shown")
    total = len(events)
    pages = max(-(-total // PAGE_ROWS), 1)
    key = ui_state.table_page_key(events.key)
    start = (_page_number(events, key, pages) - 1) * PAGE_ROWS
    rows = _page_frame(events, start)
    frame = table_page(events, selection.selected(), rows)
    if pages > 1:
        added = ", and the selected one after them" if len(frame) > len(rows) else ""
        st.caption(f"Events {start + 1:,}–{start + len(rows):,} of {total:,} shown, in date "
                   f"order{added}; all of them are in the CSV.")
        picker, download = st.columns([1, 3], vertical_alignment="bottom")
        picker.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1,
                            key=key)
        download.download_button(f"Download all {total:,} shown events (CSV)",
                                 data=lambda: to_csv(events.frame()), file_name="events.csv",
                                 mime="text/csv", key=ui_state.TABLE_DOWNLOAD)
    selection.table_selection(list(frame["ID"]))
    st.dataframe(frame, hide_index=True, width="stretch", key=ui_state.EVENTS_TABLE,
                 on_select=selection.row_picked, selection_mode="single-row",
                 column_config={"Quote": st.column_config.TextColumn(width="large"),
                                "Event": st.column_config.TextColumn(width="medium")})

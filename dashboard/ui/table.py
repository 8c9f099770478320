"""The table of shown events under the map: every row traceable to its source."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd
import streamlit as st

from dashboard.export.tables import to_csv
from dashboard.formatting import format_figures, format_precision, format_when
from dashboard.query import Selection
from dashboard.schema import CATEGORIES, FIGURE_COLUMNS
from dashboard.sources import short_label
from dashboard.ui import cache, selection
from dashboard.ui import state as ui_state

TABLE_ROWS = 1000  # rows the page's table holds; beyond, the CSV has them all


COLUMNS = ["Date", "Date precision", "Layer", "Event", "Place", "Location precision",
           "Figures", "Claimed by", "Source", "Quote", "ID"]
# What the table is made of: the page asks the store for these columns only.
TABLE_FIELDS = ["event_id", "start", "end", "date_end", "date_precision", "time", "category",
                "title", "place_name", "location_precision", *FIGURE_COLUMNS,
                "figure_qualifier", "claimed_by", "source", "source_ref", "quote"]


def _days(values: pd.Series) -> list[date]:
    """The days of a column of timestamps, as ``datetime.date`` objects."""
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").tolist()


def _figures(fields: dict[str, list]) -> list[str]:
    """Each row's figures (:func:`format_figures`), made only for rows that have one."""
    columns = [[None if v is pd.NA else v for v in fields[c]] for c in FIGURE_COLUMNS]
    return [format_figures(dict(zip(FIGURE_COLUMNS, values, strict=True),
                                figure_qualifier=qualifier))
            if any(v is not None for v in values) else ""
            for *values, qualifier in zip(*columns, fields["figure_qualifier"], strict=True)]


def table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The shown events as a reader sees them: dates with precision, figures, source.

    Made column by column (each date, layer and source formatted once), not row by row.
    """
    fields = {name: events[name].tolist() for name in TABLE_FIELDS
              if name not in ("start", "end")}
    ends = [e if flag else None for e, flag in zip(_days(events["end"]), fields["date_end"],
                                                   strict=True)]
    when = lru_cache(maxsize=None)(format_when)
    label = lru_cache(maxsize=None)(short_label)
    return pd.DataFrame({
        "Date": [when(start, end, precision, time) for start, end, precision, time in zip(
            _days(events["start"]), ends, fields["date_precision"], fields["time"],
            strict=True)],
        "Date precision": [format_precision(p) for p in fields["date_precision"]],
        "Layer": [CATEGORIES[c].label for c in fields["category"]],
        "Event": fields["title"],
        "Place": fields["place_name"],
        "Location precision": fields["location_precision"],
        "Figures": _figures(fields),
        "Claimed by": fields["claimed_by"],
        "Source": [f"{label(src)} {ref}".strip()
                   for src, ref in zip(fields["source"], fields["source_ref"], strict=True)],
        "Quote": fields["quote"],
        "ID": fields["event_id"],
    }, columns=COLUMNS)


def table_page(events: Selection, chosen: str | None, rows: int = TABLE_ROWS,
               first: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table (:func:`table_frame`) of the first ``rows`` events in date order (or
    ``first``, that table made before), and of the chosen one wherever it falls."""
    page = table_frame(events.head(rows, TABLE_FIELDS)) if first is None else first
    if chosen is None or chosen in set(page["ID"]):
        return page
    extra = events.find(chosen)
    if extra.empty:
        return page
    return pd.concat([page, table_frame(extra)], ignore_index=True)


def render_table(events: Selection) -> None:
    """Show the table (sortable, keyboard navigable, copyable); a row picked shows on the map.

    Beyond :data:`TABLE_ROWS` events the table holds the first ones by date, says so, and
    offers all of them as CSV (made only when the button is clicked).
    """
    st.subheader("Events shown")
    if len(events) > TABLE_ROWS:
        st.caption(f"The first {TABLE_ROWS:,} of {len(events):,} shown events by date "
                   "(and the selected one); all of them are in the CSV.")
        st.download_button(f"Download all {len(events):,} shown events (CSV)",
                           data=lambda: to_csv(events.frame()), file_name="events.csv",
                           mime="text/csv", key=ui_state.TABLE_DOWNLOAD)
    # The first page is made once per set of events (shared); the chosen event is added
    # after it when it falls beyond.
    first = cache.table((events.key, str(TABLE_ROWS)), lambda: table_frame(
        events.head(TABLE_ROWS, TABLE_FIELDS)))
    frame = table_page(events, selection.selected(), first=first)
    selection.table_selection(list(frame["ID"]))
    st.dataframe(frame, hide_index=True, width="stretch", key=ui_state.EVENTS_TABLE,
                 on_select=selection.row_picked, selection_mode="single-row",
                 column_config={"Quote": st.column_config.TextColumn(width="large"),
                                "Event": st.column_config.TextColumn(width="medium")})

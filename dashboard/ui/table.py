"""The table of shown events under the map: every row traceable to its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.export.tables import to_csv
from dashboard.formatting import format_figures, format_precision, format_when
from dashboard.query import Selection
from dashboard.schema import CATEGORIES
from dashboard.sources import short_label
from dashboard.ui import cache, selection
from dashboard.ui import state as ui_state

TABLE_ROWS = 1000  # rows the page's table holds; beyond, the CSV has them all


def table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The shown events as a reader sees them: dates with precision, figures, source."""
    rows = []
    for r in events.to_dict("records"):
        end = r["end"].date() if r["date_end"] else None
        rows.append({
            "Date": format_when(r["start"].date(), end, r["date_precision"], r["time"]),
            "Date precision": format_precision(r["date_precision"]),
            "Layer": CATEGORIES[r["category"]].label,
            "Event": r["title"],
            "Place": r["place_name"],
            "Location precision": r["location_precision"],
            "Figures": format_figures(r),
            "Claimed by": r["claimed_by"],
            "Source": f"{short_label(r['source'])} {r['source_ref']}".strip(),
            "Quote": r["quote"],
            "ID": r["event_id"],
        })
    return pd.DataFrame(rows, columns=["Date", "Date precision", "Layer", "Event", "Place",
                                       "Location precision", "Figures", "Claimed by",
                                       "Source", "Quote", "ID"])


def table_page(events: Selection, chosen: str | None,
               rows: int = TABLE_ROWS) -> pd.DataFrame:
    """The first ``rows`` events in date order, and the chosen one wherever it falls."""
    page = events.head(rows)
    if chosen is not None and chosen not in set(page["event_id"]):
        page = pd.concat([page, events.find(chosen)])
    return page


def render_table(events: Selection) -> None:
    """Show the table (sortable, keyboard navigable, copyable); a row picked shows on the map.

    Beyond :data:`TABLE_ROWS` events the table holds the first ones by date, says so, and
    offers all of them as CSV (made only when the button is clicked).
    """
    st.subheader("Events shown")
    page = table_page(events, selection.selected())
    if len(events) > TABLE_ROWS:
        st.caption(f"The first {TABLE_ROWS:,} of {len(events):,} shown events by date "
                   "(and the selected one); all of them are in the CSV.")
        st.download_button(f"Download all {len(events):,} shown events (CSV)",
                           data=lambda: to_csv(events.frame()), file_name="events.csv",
                           mime="text/csv", key=ui_state.TABLE_DOWNLOAD)
    frame = cache.table(tuple(page["event_id"]), lambda: table_frame(page))
    selection.table_selection(list(frame["ID"]))
    st.dataframe(frame, hide_index=True, width="stretch", key=ui_state.EVENTS_TABLE,
                 on_select=selection.row_picked, selection_mode="single-row",
                 column_config={"Quote": st.column_config.TextColumn(width="large"),
                                "Event": st.column_config.TextColumn(width="medium")})

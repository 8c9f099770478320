"""One selected event shared by the table, the map and the story; map focus requests.

The table's row, a marker clicked on the map and a story chapter's key event all select
an event here; the map opens its popup, the table marks its row. Choosing a chapter asks
the map to fit the chapter's events.
"""

from __future__ import annotations

from collections.abc import Callable, Container

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard.ui import state as ui_state
from dashboard.ui import widget_sync

SELECTED = "selected_event"
TOKEN = "focus_token"
FIT = "focus_fit"
OPEN = "focus_open"
FIT_PENDING = "focus_fit_pending"
TABLE_IDS = "events_table_ids"
HANDLED_CLICK = "map_click_handled"


def _request(fit: list[list[float]] | None, open_event: str | None) -> None:
    """Ask the map, once, to fit ``fit`` and open ``open_event``."""
    st.session_state[TOKEN] = st.session_state.get(TOKEN, 0) + 1
    st.session_state[FIT] = fit
    st.session_state[OPEN] = open_event


def select_event(event_id: str | None, on_map: bool = False) -> None:
    """Select ``event_id`` (None clears): its row is marked and the map opens it.

    ``on_map``: the user picked it on the map, where its popup is open already; the map
    is then left as it is.
    """
    if event_id == st.session_state.get(SELECTED):
        return
    st.session_state[SELECTED] = event_id
    if event_id and not on_map:
        _request(None, event_id)


def selected() -> str | None:
    """The selected event's id, if any."""
    return st.session_state.get(SELECTED)


def request_fit() -> None:
    """Ask the map to fit the events shown on the next run (a chapter was chosen); the
    selection is cleared now, so an event picked before the map fits stays selected."""
    st.session_state[FIT_PENDING] = True
    st.session_state[SELECTED] = None


def settle_fit(bounds: Callable[[], list[list[float]] | None]) -> None:
    """Turn a pending fit request into ``bounds()`` for the map, once the shown events are
    known (computed only when a fit is pending), opening the selected event if any."""
    if st.session_state.pop(FIT_PENDING, False):
        fit = bounds()
        if fit:
            _request(fit, selected())


def focus(shown_ids: Callable[[], Container[str]]
          ) -> tuple[int, list[list[float]] | None, str | None] | None:
    """The map's current request: token, bounds to fit, event to open (if it is among
    ``shown_ids()``, asked only then)."""
    token = st.session_state.get(TOKEN)
    if not token:
        return None
    event = st.session_state.get(OPEN)
    return token, st.session_state.get(FIT), (
        event if event is not None and event in shown_ids() else None)


def events_at(events: gpd.GeoDataFrame, point: dict | None) -> list[str]:
    """Ids of the events whose marker is at ``point`` ({lat, lng}), earliest first."""
    if not point or point.get("lat") is None or point.get("lng") is None:
        return []
    hits = [(start, event_id) for lon, lat, start, event_id in
            zip(events.geometry.x, events.geometry.y, events["start"], events["event_id"],
                strict=True)
            if abs(lon - point["lng"]) < 1e-6 and abs(lat - point["lat"]) < 1e-6]
    return [event_id for _, event_id in sorted(hits)]


def map_clicked(reported: dict | None, events: pd.DataFrame) -> bool:
    """Select the event of a marker the user clicked; True when the selection changed."""
    reported = reported or {}
    click = (reported.get("last_object_clicked_count"), reported.get("last_object_clicked"))
    if not click[0] or click == st.session_state.get(HANDLED_CLICK):
        return False
    st.session_state[HANDLED_CLICK] = click
    ids = events_at(events, click[1])
    if not ids or selected() in ids:
        return False
    select_event(ids[0], on_map=True)
    return True


def table_selection(ids: list[str]) -> None:
    """Mark the selected event's row in the table about to show ``ids``."""
    st.session_state[TABLE_IDS] = ids
    event = selected()
    ui_state.select_rows([ids.index(event)] if event in ids else [])


@widget_sync.page_callback()
def row_picked() -> None:
    """The table's selection changed: select that row's event.

    An emptied selection is not taken as a choice: the table also reports one when its rows
    change under it, which would drop an event just picked on the map or in the story.
    """
    rows = ui_state.table_rows()
    ids = st.session_state.get(TABLE_IDS) or []
    if rows and rows[0] < len(ids):
        select_event(ids[rows[0]])

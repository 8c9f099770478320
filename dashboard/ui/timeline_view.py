"""The linked timeline under the map; selecting an interval on it sets the date range."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.query import Selection
from dashboard.timeline import choose_bin, selected_interval, undated_counts, undated_note
from dashboard.timeline_spec import SELECTION, chart_range, timeline_specs
from dashboard.ui import cache
from dashboard.ui import state as ui_state
from dashboard.ui.sidebar import data_span

APPLIED = "_timeline_applied"  # the selection last proposed for the date widgets


def propose_selection(data: Dataset) -> None:
    """Propose a new interval selected on the chart for the date widgets, once.

    Call at the start of a run, before ``state.apply_pending``. The interval is clipped to
    the data's span.
    """
    raw = ui_state.value(ui_state.TIMELINE)
    interval = selected_interval(raw, SELECTION, *data_span(data))
    if interval is None:
        st.session_state[APPLIED] = None  # cleared: the same interval may be chosen again
        return
    if st.session_state.get(APPLIED) == interval:
        return
    st.session_state[APPLIED] = interval
    ui_state.propose_dates(interval, "timeline")


def selection_pending(data: Dataset) -> bool:
    """Whether the chart holds an interval not yet proposed for the date widgets.

    The chart is drawn inside a fragment, whose reruns cannot change the sidebar: the
    caller then reruns the whole page, which proposes it (:func:`propose_selection`).
    """
    interval = selected_interval(ui_state.value(ui_state.TIMELINE), SELECTION,
                                 *data_span(data))
    return interval is not None and interval != st.session_state.get(APPLIED)


def render_timeline(shown: Selection, state: FilterState,
                    marker: tuple[date, date] | None = None) -> None:
    """The timeline chart with its notes; dragging across it selects a date range."""
    st.subheader("Timeline")
    if shown.empty:
        st.caption("No events are shown, so the timeline is empty.")
        return
    unit = choose_bin(*chart_range(shown, state))
    bins = {"day": "day", "week": "week (Sunday to Saturday)", "month": "month"}
    st.caption(f"Bars count the shown events dated to the day in the {bins[unit]} they "
               "start, in the map's colours (days up to 120 days, weeks up to two years, "
               "months beyond); below, each report of how many people had crossed, with "
               "who reported it (reports are totals as of their date and are never added "
               "up). Drag across the chart to set the date range.")
    note = undated_note(undated_counts(shown.precision_counts()), unit)
    if note:
        st.caption(note)
    days, people = cache.timeline_specs(
        state, marker, lambda: timeline_specs(shown, state, marker))
    st.vega_lite_chart(days, on_select="rerun", key=ui_state.TIMELINE, width="stretch",
                       selection_mode=SELECTION)
    if people is None:
        st.caption("No report of people crossing falls in the shown events and dates.")
    else:
        st.vega_lite_chart(people, width="stretch")

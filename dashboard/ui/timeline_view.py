"""The linked timeline under the map; selecting an interval on it sets the date range."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.schema import CATEGORIES
from dashboard.timeline import (
    daily_counts,
    displacement_reports,
    selected_interval,
    undated_counts,
    undated_note,
)
from dashboard.ui.sidebar import data_span

KEY = "timeline"  # the chart's selection state in st.session_state
SELECTION = "span"  # the x-interval selection parameter
APPLIED = "_timeline_applied"  # the selection last put into the date widgets


def apply_selection(data: Dataset) -> None:
    """Put a new interval selected on the chart into the date widgets, once.

    Call at the start of a run, before the sidebar's widgets are created: they cannot
    change after that. The interval is clipped to the data's span.
    """
    raw = st.session_state.get(KEY)
    interval = selected_interval(raw, SELECTION, *data_span(data))
    if interval is None:
        st.session_state[APPLIED] = None  # cleared: the same interval may be chosen again
        return
    if st.session_state.get(APPLIED) == interval:
        return
    st.session_state[APPLIED] = interval
    st.session_state["dates"] = st.session_state["exact_dates"] = interval


def _utc(day: date) -> alt.DateTime:
    """Midnight UTC of ``day`` for a Vega-Lite scale domain."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def timeline_chart(shown: pd.DataFrame, state: FilterState,
                   marker: date | None = None) -> alt.VConcatChart:
    """Stacked bars of events per day by category over displacement reports, shared x."""
    start, end = state.date_from, state.date_to
    if start is None or end is None:
        start, end = shown["start"].min().date(), shown["end"].max().date()
    x_scale = alt.Scale(domain=[_utc(start), _utc(end + timedelta(days=1))])
    counts = daily_counts(shown, start, end)
    counts["rank"] = counts["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    shown_categories = [c for c in CATEGORIES.values() if c.id in state.categories]
    colour = alt.Color("label:N", title=None, sort=[c.label for c in shown_categories],
                       legend=alt.Legend(orient="top"),
                       scale=alt.Scale(domain=[c.label for c in shown_categories],
                                       range=[c.colour for c in shown_categories]))
    span = alt.selection_interval(encodings=["x"], name=SELECTION)
    x = alt.X("utcyearmonthdate(date):T", title=None, scale=x_scale)
    bars = alt.Chart(counts).mark_bar().encode(
        x=x,
        y=alt.Y("count:Q", title="Events starting that day", stack="zero"),
        color=colour,
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("utcyearmonthdate(date):T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("label:N", title="Category"),
                 alt.Tooltip("count:Q", title="Events")],
    ).add_params(span).properties(height=160, width="container", name="days")
    reports = displacement_reports(shown)
    reports = reports[(reports["date"] >= pd.Timestamp(start))
                      & (reports["date"] <= pd.Timestamp(end))]
    base = alt.Chart(reports).encode(
        x=alt.X("utcyearmonthdate(date):T", title=None, scale=x_scale, bandPosition=0.5),
        y=alt.Y("people:Q", title="People reported crossing"),
        tooltip=[alt.Tooltip("utcyearmonthdate(date):T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("label:N", title="Reported"),
                 alt.Tooltip("event_id:N", title="Event")])
    displaced = CATEGORIES["displacement"].colour
    people = alt.layer(
        base.mark_line(interpolate="step-after", color=displaced),
        base.mark_point(filled=True, shape="diamond", size=80, color=displaced),
        base.mark_text(align="left", dx=6, dy=-8, fontSize=11, limit=320).encode(
            text="claimed_by:N"),
    ).properties(height=120, width="container")
    panels = [bars, people]
    if marker is not None:
        rule = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(marker)]})).mark_rule(
            color="black", strokeDash=[4, 3]).encode(
            x=alt.X("utcyearmonthdate(date):T", scale=x_scale, bandPosition=0.5))
        panels = [alt.layer(bars, rule), alt.layer(people, rule)]
    return alt.vconcat(*panels).resolve_scale(x="shared")


def render_timeline(shown_events: pd.DataFrame, state: FilterState,
                    marker: date | None = None) -> None:
    """The timeline chart with its notes; dragging across it selects a date range."""
    st.subheader("Timeline")
    if shown_events.empty:
        st.caption("No events are shown, so the timeline is empty.")
        return
    st.caption("Bars count the shown events on the day they start, in the map's colours; "
               "below, each report of how many people had crossed, with who reported it "
               "(reports are totals as of their date and are never added up). Drag across "
               "the chart to set the date range.")
    note = undated_note(undated_counts(shown_events))
    if note:
        st.caption(note)
    chart = timeline_chart(shown_events, state, marker)
    st.altair_chart(chart, on_select="rerun", key=KEY, width="stretch",
                    selection_mode=SELECTION)

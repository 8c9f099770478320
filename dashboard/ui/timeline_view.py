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
    binned_counts,
    choose_bin,
    displacement_reports,
    selected_interval,
    undated_counts,
    undated_note,
)
from dashboard.ui import cache
from dashboard.ui import state as ui_state
from dashboard.ui.sidebar import data_span

SELECTION = "span"  # the x-interval selection parameter
APPLIED = "_timeline_applied"  # the selection last proposed for the date widgets
Y_AXIS_WIDTH = 64  # pixels, the same in both charts so their days line up
TIME_UNITS = {"day": "utcyearmonthdate", "week": "utcyearweek", "month": "utcyearmonth"}


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


def _utc(day: date) -> alt.DateTime:
    """Midnight UTC of ``day`` for a Vega-Lite scale domain."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _epoch_ms(day: date) -> int:
    return int(pd.Timestamp(day, tz="UTC").timestamp() * 1000)


def selection_pending(data: Dataset) -> bool:
    """Whether the chart holds an interval not yet proposed for the date widgets.

    The chart is drawn inside a fragment, whose reruns cannot change the sidebar: the
    caller then reruns the whole page, which proposes it (:func:`propose_selection`).
    """
    interval = selected_interval(ui_state.value(ui_state.TIMELINE), SELECTION,
                                 *data_span(data))
    return interval is not None and interval != st.session_state.get(APPLIED)


def _step_marks(marker: tuple[date, date], x_scale: alt.Scale) -> list[alt.Chart]:
    """The playback step: a shaded band over its days with a dashed line at its start."""
    step = pd.DataFrame({"date": [_epoch_ms(marker[0])],  # numbers: UTC, not local time
                         "end": [_epoch_ms(marker[1] + timedelta(days=1))]})
    x_step = alt.X("date:T", scale=x_scale)
    return [alt.Chart(step).mark_rect(color="black", opacity=0.12).encode(x=x_step,
                                                                          x2="end:T"),
            alt.Chart(step).mark_rule(color="black", strokeDash=[4, 3]).encode(x=x_step)]


def _range(shown: pd.DataFrame, state: FilterState) -> tuple[date, date]:
    """The chart's days: the state's date range, or the shown events' span."""
    if state.date_from is None or state.date_to is None:
        return shown["start"].min().date(), shown["end"].max().date()
    return state.date_from, state.date_to


def timeline_charts(shown: pd.DataFrame, state: FilterState,
                    marker: tuple[date, date] | None = None
                    ) -> tuple[alt.LayerChart, alt.LayerChart | None]:
    """Stacked bars of events per day, week or month by category, and the displacement
    reports (or None).

    The bin follows the range's length (:func:`dashboard.timeline.choose_bin`). Two single
    views, not one concatenation, so each fits the page's width; the same x domain and a
    fixed y-axis width keep their days aligned.
    """
    start, end = _range(shown, state)
    unit = choose_bin(start, end)
    x_scale = alt.Scale(domain=[_utc(start), _utc(end + timedelta(days=1))])
    y_axis = {"minExtent": Y_AXIS_WIDTH, "maxExtent": Y_AXIS_WIDTH}
    step = _step_marks(marker, x_scale) if marker is not None else []
    counts = binned_counts(shown, start, end, unit)
    counts["date"] = [_epoch_ms(d.date()) for d in counts["date"]]  # numbers: UTC
    counts["rank"] = counts["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    shown_categories = [c for c in CATEGORIES.values() if c.id in state.categories]
    colour = alt.Color("label:N", title=None, sort=[c.label for c in shown_categories],
                       legend=alt.Legend(orient="top"),
                       scale=alt.Scale(domain=[c.label for c in shown_categories],
                                       range=[c.colour for c in shown_categories]))
    span = alt.selection_interval(encodings=["x"], name=SELECTION)
    bars = alt.Chart(counts).mark_bar(clip=True).encode(
        x=alt.X(f"{TIME_UNITS[unit]}(date):T", title=None, scale=x_scale,
                axis=alt.Axis(format="%b %Y") if unit == "week" else alt.Undefined),
        y=alt.Y("count:Q", title=f"Events starting that {unit}", stack="zero",
                axis=alt.Axis(**y_axis)),
        color=colour,
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("bin:N", title=unit.capitalize()),
                 alt.Tooltip("label:N", title="Category"),
                 alt.Tooltip("count:Q", title="Events")],
    ).add_params(span)
    # fit-x: the width fits the page, the height is the plot's own (axes and legend added).
    fit_x = alt.AutoSizeParams(type="fit-x", contains="padding")
    days = alt.layer(*step, bars).properties(height=160, width="container", autosize=fit_x)
    reports = displacement_reports(shown)
    reports = reports[(reports["date"] >= pd.Timestamp(start))
                      & (reports["date"] <= pd.Timestamp(end))]
    if reports.empty:
        return days, None
    middle = pd.Timestamp(start) + (pd.Timestamp(end) - pd.Timestamp(start)) / 2
    reports = reports.assign(right=reports["date"] > middle)  # labels there point left
    base = alt.Chart(reports).encode(
        x=alt.X("utcyearmonthdate(date):T", title=None, scale=x_scale, bandPosition=0.5),
        y=alt.Y("people:Q", title="People reported crossing", axis=alt.Axis(**y_axis)),
        tooltip=[alt.Tooltip("utcyearmonthdate(date):T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("label:N", title="Reported"),
                 alt.Tooltip("event_id:N", title="Event")])
    displaced = CATEGORIES["displacement"].colour
    labels = [base.transform_filter(alt.datum.right == right).mark_text(
        align="right" if right else "left", dx=-6 if right else 6, dy=-8, fontSize=11,
        limit=320).encode(text="claimed_by:N") for right in (False, True)]
    people = alt.layer(
        *step,
        base.mark_line(interpolate="step-after", color=displaced),
        base.mark_point(filled=True, shape="diamond", size=80, color=displaced),
        *labels,
    ).properties(height=120, width="container", autosize=fit_x)
    return days, people


def render_timeline(shown_events: pd.DataFrame, state: FilterState,
                    marker: tuple[date, date] | None = None) -> None:
    """The timeline chart with its notes; dragging across it selects a date range."""
    st.subheader("Timeline")
    if shown_events.empty:
        st.caption("No events are shown, so the timeline is empty.")
        return
    unit = choose_bin(*_range(shown_events, state))
    bins = {"day": "day", "week": "week (Sunday to Saturday)", "month": "month"}
    st.caption(f"Bars count the shown events dated to the day in the {bins[unit]} they "
               "start, in the map's colours (days up to 120 days, weeks up to two years, "
               "months beyond); below, each report of how many people had crossed, with "
               "who reported it (reports are totals as of their date and are never added "
               "up). Drag across the chart to set the date range.")
    note = undated_note(undated_counts(shown_events), unit)
    if note:
        st.caption(note)
    days, people = cache.timeline_specs(
        state, marker, lambda: timeline_charts(shown_events, state, marker))
    st.vega_lite_chart(days, on_select="rerun", key=ui_state.TIMELINE, width="stretch",
                       selection_mode=SELECTION)
    if people is None:
        st.caption("No report of people crossing falls in the shown events and dates.")
    else:
        st.vega_lite_chart(people, width="stretch")

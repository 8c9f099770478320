"""Sidebar widgets, read into one frozen FilterState."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.layers.symbols import CHARS
from dashboard.periods import PERIODS, period_range
from dashboard.precision import HELP as PRECISE_HELP
from dashboard.schema import CATEGORIES
from dashboard.ui import cache
from dashboard.ui import state as ui_state
from dashboard.ui.share import copy_link_button
from dashboard.urlstate import MAX_SEARCH


def data_span(data: Dataset) -> tuple[date, date]:
    """The data's first and last day (the store's); at least two days, which a range
    slider needs.

    The URL state (``ui/urlsync.restore``) clips dates to this same span.
    """
    first, last = cache.store(data).span() or (date.today(), date.today())
    return first, max(last, first + timedelta(days=1))


def default_range(data: Dataset) -> tuple[date, date]:
    """The range the date widgets open on (and the URL leaves out): see ``opening_range``."""
    return cache.opening(data, data_span(data))


def date_widgets(data: Dataset) -> None:
    """Presets, a range slider over the data's span, and exact date inputs.

    The range opens on the busiest years (:func:`default_range`); the slider still spans
    all the data, and the *Everything* preset selects it.
    """
    first, last = data_span(data)
    st.subheader("When")
    columns = st.columns(2)
    for i, period in enumerate(PERIODS):
        bounds = period_range(period, first, last)
        columns[i % 2].button(period.label, key=ui_state.period_key(period.id),
                              help=period.basis, on_click=ui_state.preset_picked,
                              args=(bounds, "preset"), width="stretch")
    st.slider("Date range", min_value=first, max_value=last, key=ui_state.DATES,
              format="D MMM YYYY", on_change=ui_state.slider_moved,
              help="Events show while their span overlaps the range; a blockade that "
                   "began in December 2022 shows in any range that reaches into it, and an "
                   "event known only to September 2023 in any range that reaches into "
                   "September (drawn faded). The page opens on the years most events fall "
                   "in; *Everything* selects all the data.")
    st.date_input("Exact dates", key=ui_state.EXACT_DATES, min_value=first, max_value=last,
                  on_change=ui_state.dates_typed, format="YYYY-MM-DD")
    st.toggle("Precisely dated only", key=ui_state.PRECISE_ONLY, help=PRECISE_HELP)


def render_filters(data: Dataset, counts: dict[str, int] | None = None) -> FilterState:
    """Draw the sidebar and return what it selects; ``counts`` of events label the layers.

    The widgets' values come from their state (:mod:`dashboard.ui.state`), which
    ``state.apply_pending`` has set before this draws them.
    """
    with st.sidebar:
        date_widgets(data)
        st.subheader("Where")
        choices = {r.id: r.label for r in data.geodata.choices}
        st.multiselect(
            "Regions", options=list(choices), format_func=choices.__getitem__,
            key=ui_state.REGIONS, placeholder="All regions",
            help="An event belongs to every region its place (or route, or area) touches.")
        st.subheader("What")
        for c in CATEGORIES.values():
            st.checkbox(f"{CHARS[c.symbol]} {c.label}"
                        + (f" ({counts.get(c.id, 0)})" if counts is not None else ""),
                        key=ui_state.category_key(c.id), help=c.description)
        names = cache.store(data).datasets()
        picked = bool(data.parts) or len(names) > 1  # several files, or a database's
        if picked:
            st.multiselect(
                "Datasets", options=names, key=ui_state.DATASETS, placeholder="All datasets",
                help="Show the files together, or pick some.")
        st.text_input(
            "Search", key=ui_state.SEARCH, max_chars=MAX_SEARCH,
            placeholder="e.g. Khankendi, ombudsperson, Hakari",
            help="Searches titles, descriptions, actors and every variant of place names.")
        st.subheader("Share")
        copy_link_button()  # the page's URL holds the filters and the map view
    filters = ui_state.read_filters()
    return filters if picked else replace(filters, datasets=())

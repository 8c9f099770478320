"""Sidebar widgets, read into one frozen FilterState."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.periods import PERIODS, period_range
from dashboard.precision import HELP as PRECISE_HELP
from dashboard.schema import CATEGORIES
from dashboard.ui import cache
from dashboard.ui.share import copy_link_button
from dashboard.urlstate import MAX_SEARCH

SYMBOL_CHARS = {"triangle": "▲", "cross": "✚", "square": "■", "diamond": "◆", "star": "★",
                "circle": "●"}


def data_span(data: Dataset) -> tuple[date, date]:
    """The data's first and last day; at least two days, which a range slider needs.

    The URL state (``ui/urlsync.restore``) clips dates to this same span.
    """
    events = data.events
    if events.empty:
        first = last = date.today()
    else:
        first, last = events["start"].min().date(), events["end"].max().date()
    return first, max(last, first + timedelta(days=1))


def default_range(data: Dataset) -> tuple[date, date]:
    """The range the date widgets open on (and the URL leaves out): see ``opening_range``."""
    return cache.opening(data, data_span(data))


def _set_dates(value: tuple[date, date]) -> None:
    st.session_state["dates"] = value
    st.session_state["exact_dates"] = value


def _copy_exact() -> None:
    picked = st.session_state.get("exact_dates") or ()
    if len(picked) == 2:
        st.session_state["dates"] = tuple(picked)


def _copy_slider() -> None:
    st.session_state["exact_dates"] = st.session_state["dates"]


def date_widgets(data: Dataset) -> tuple[date, date]:
    """Presets, a range slider over the data's span, and exact date inputs.

    The range opens on the busiest years (:func:`default_range`); the slider still spans
    all the data, and the *Everything* preset selects it.
    """
    first, last = data_span(data)
    if "dates" not in st.session_state or not all(
            first <= d <= last for d in st.session_state["dates"]):
        _set_dates(default_range(data))
    st.subheader("When")
    columns = st.columns(2)
    for i, period in enumerate(PERIODS):
        bounds = period_range(period, first, last)
        columns[i % 2].button(period.label, key=f"period_{period.id}", help=period.basis,
                              on_click=_set_dates, args=(bounds,), width="stretch")
    st.slider("Date range", min_value=first, max_value=last, key="dates",
              format="D MMM YYYY", on_change=_copy_slider,
              help="Events show while their span overlaps the range; a blockade that "
                   "began in December 2022 shows in any range that reaches into it, and an "
                   "event known only to September 2023 in any range that reaches into "
                   "September (drawn faded). The page opens on the years most events fall "
                   "in; *Everything* selects all the data.")
    st.date_input("Exact dates", key="exact_dates", min_value=first, max_value=last,
                  on_change=_copy_exact, format="YYYY-MM-DD")
    st.toggle("Precisely dated only", key="precise_only", help=PRECISE_HELP)
    return st.session_state["dates"]


def read_filters(data: Dataset, counts: dict[str, int] | None = None) -> FilterState:
    """Draw the sidebar and return what it selects; ``counts`` of events label the layers."""
    with st.sidebar:
        date_from, date_to = date_widgets(data)
        st.subheader("Where")
        choices = {r.id: r.label for r in data.geodata.choices}
        regions = st.multiselect(
            "Regions", options=list(choices), format_func=choices.__getitem__, key="regions",
            placeholder="All regions",
            help="An event belongs to every region its place (or route, or area) touches.")
        st.subheader("What")
        for c in CATEGORIES.values():  # on by default, in session state: chapters and links
            st.session_state.setdefault(f"category_{c.id}", True)  # set them without warning
        categories = tuple(
            c.id for c in CATEGORIES.values()
            if st.checkbox(f"{SYMBOL_CHARS[c.symbol]} {c.label}"
                           + (f" ({counts.get(c.id, 0)})" if counts is not None else ""),
                           key=f"category_{c.id}", help=c.description))
        datasets: list[str] = []
        if data.parts:
            names = list(dict.fromkeys(data.events["dataset"]))
            datasets = st.multiselect(
                "Datasets", options=names, key="datasets", placeholder="All datasets",
                help="Show the files together, or pick some.")
        search = st.text_input(
            "Search", key="search", max_chars=MAX_SEARCH,
            placeholder="e.g. Khankendi, ombudsperson, Hakari",
            help="Searches titles, descriptions, actors and every variant of place names.")
        st.subheader("Share")
        copy_link_button()  # the page's URL holds the filters and the map view
    return FilterState(date_from=date_from, date_to=date_to, regions=tuple(regions),
                       categories=categories, search=search.strip(),
                       datasets=tuple(datasets),
                       precise_only=bool(st.session_state.get("precise_only", False)))

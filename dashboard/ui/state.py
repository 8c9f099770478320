"""Widget state: every widget's key, and the one place the filter widgets are written.

Streamlit lets a widget's value be set through its key only before the widget is created
in a run. So the link (on a session's first run), a story chapter, a date preset and a
selection on the timeline never write the filter widgets: they :func:`propose` a
:class:`FilterState`, and :func:`apply_pending`, called once at the top of ``app.main``
before any filter widget exists, writes the latest proposal (:func:`write_filters`). The
sidebar reads the widgets back into a ``FilterState`` with :func:`read_filters`. They are
written through :mod:`dashboard.ui.widget_sync`, which keeps the browser's late reports of
the values they replaced from undoing them (:func:`filter_keys` names them).

No other module reads or writes a widget's session state: they take their keys from here
and read other widgets' values with :func:`value` (``folium_args`` alone mirrors the map
component's value under the key it is given, as ``st_folium`` does, and ``widget_sync``
writes and puts back the keys this module hands it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import streamlit as st

from dashboard.filters import FilterState
from dashboard.schema import CATEGORIES
from dashboard.ui import widget_sync

# The filter widgets: one key per FilterState field (the dates have a slider and two inputs).
DATES = "dates"
EXACT_DATES = "exact_dates"
REGIONS = "regions"
DATASETS = "datasets"
SEARCH = "search"
PRECISE_ONLY = "precise_only"
CHAPTER = "story_chapter"  # the story picker: a chapter id, or FREE
FREE = ""  # the story picker's value for free exploration
# The other widgets.
STORY_PREVIOUS, STORY_NEXT = "story_previous", "story_next"
PLAY_TOGGLE, PLAY_BACK, PLAY_FORWARD, PLAY_STOP = ("play_toggle", "play_back",
                                                   "play_forward", "play_stop")
PLAY_STEP, PLAY_SPEED, PLAY_MODE, PLAY_SKIP = "play_step", "play_speed", "play_mode", "play_skip"
PLAY_DATE = "play_date"  # the container of playback's current date, above the map
TIMELINE = "timeline"  # the timeline chart's selection
EVENT_MAP = "event_map"
EVENTS_TABLE, TABLE_DOWNLOAD = "events_table", "table_download"
UPLOADS, UPLOAD_FORMAT, WITH_BUNDLED = "uploads", "upload_format", "with_bundled"
SNAP_AREA, SNAP_SIZE, SNAP_STEP = "snap_area", "snap_size", "snap_step"
SNAP_FORMAT, SNAP_DOWNLOAD = "snap_format", "snap_download"
# The "Add a report" section (dashboard.ui.review_view).
REPORT_FILE, REPORT_TEXT, REPORT_DATE = "report_file", "report_text", "report_date"
REPORT_SOURCE, REPORT_APPLY = "report_source", "report_apply"
PLACE_NAME, PLACE_VARIANTS, PLACE_PRECISION = "place_name", "place_variants", "place_precision"
PLACE_POINT, PLACE_ADD = "place_point", "place_add"
PLACING_MAP = "placing_map"  # the small map a new place is clicked on
REVIEWING = "_reviewing"  # session_state: a report is reviewed (its section stays open)
WIDGET_KEYS = frozenset({
    DATES, EXACT_DATES, REGIONS, DATASETS, SEARCH, PRECISE_ONLY, CHAPTER, STORY_PREVIOUS,
    STORY_NEXT, PLAY_TOGGLE, PLAY_BACK, PLAY_FORWARD, PLAY_STOP, PLAY_STEP, PLAY_SPEED,
    PLAY_MODE, PLAY_SKIP, PLAY_DATE, TIMELINE, EVENT_MAP, EVENTS_TABLE, TABLE_DOWNLOAD, UPLOADS,
    UPLOAD_FORMAT, WITH_BUNDLED, SNAP_AREA, SNAP_SIZE, SNAP_STEP, SNAP_FORMAT, SNAP_DOWNLOAD,
    REPORT_FILE, REPORT_TEXT, REPORT_DATE, REPORT_SOURCE, REPORT_APPLY, PLACE_NAME,
    PLACE_VARIANTS, PLACE_PRECISION, PLACE_POINT, PLACE_ADD, PLACING_MAP})
# Widgets made per item: the key is the prefix and the item's id.
CATEGORY, PERIOD, KEY_EVENT, SKIPPED = "category_", "period_", "key_event_", "skipped_"
REVIEW_EDITOR = "review_editor_"  # the candidates' table: a document and a version
TABLE_PAGE = "table_page_"  # the events table's page picker: per set of shown events
WIDGET_PREFIXES = (CATEGORY, PERIOD, KEY_EVENT, SKIPPED, REVIEW_EDITOR, TABLE_PAGE)
PENDING = "_filters_pending"  # session_state: a Proposal not yet in the widgets


def review_editor_key(sha256: str, version: int) -> str:
    """The key of a document's table of candidates; a new version starts with no edits."""
    return f"{REVIEW_EDITOR}{sha256[:16]}_{version}"


def category_key(category: str) -> str:
    """The key of a layer's check box."""
    return CATEGORY + category


def period_key(period: str) -> str:
    """The key of a date preset's button."""
    return PERIOD + period


def key_event_key(event_id: str) -> str:
    """The key of a story chapter's key-event button."""
    return KEY_EVENT + event_id


def skipped_key(name: str) -> str:
    """The key of the download button of a file's skipped rows."""
    return SKIPPED + name


@dataclass(frozen=True)
class Proposal:
    """Filters for the widgets of the next :func:`apply_pending`, and where they come from.

    ``origin`` is ``"link"``, ``"chapter"``, ``"preset"`` or ``"timeline"``; ``chapter``
    is the story picker's value to set with them (None: the picker is left as it is).
    """

    state: FilterState
    origin: str
    chapter: str | None = None


def read_filters() -> FilterState:
    """The filters the widgets hold: their values once drawn, their state before.

    A widget not drawn yet counts as its default (every layer on); dates are None until
    the date widgets have a range.
    """
    state = st.session_state
    dates = state.get(DATES)
    date_from, date_to = dates if isinstance(dates, tuple | list) and len(dates) == 2 else (
        None, None)
    return FilterState(
        date_from=date_from, date_to=date_to, regions=tuple(state.get(REGIONS) or ()),
        categories=tuple(c for c in CATEGORIES if state.get(category_key(c), True)),
        search=str(state.get(SEARCH) or "").strip(), datasets=tuple(state.get(DATASETS) or ()),
        precise_only=bool(state.get(PRECISE_ONLY, False)))


def filter_keys() -> list[str]:
    """The keys of the widgets the app writes: the filters and the story picker."""
    return [DATES, EXACT_DATES, REGIONS, DATASETS, SEARCH, PRECISE_ONLY, CHAPTER,
            *map(category_key, CATEGORIES)]


def _set_dates(value: tuple[date, date]) -> None:
    widget_sync.write(DATES, value)
    widget_sync.write(EXACT_DATES, value)


def write_filters(state: FilterState) -> None:
    """Put ``state`` into the filter widgets, writing only the keys whose value changes.

    Only before the widgets are created in a run: from :func:`apply_pending` or a callback.
    A state without both dates leaves the date widgets as they are.
    """
    now = read_filters()
    dates = (state.date_from, state.date_to)
    if None not in dates and (dates != (now.date_from, now.date_to)
                              or st.session_state.get(EXACT_DATES) != dates):
        _set_dates(dates)  # type: ignore[arg-type]
    if state.regions != now.regions:
        widget_sync.write(REGIONS, list(state.regions))
    if set(state.categories) != set(now.categories):
        for category in CATEGORIES:
            widget_sync.write(category_key(category), category in state.categories)
    if state.search.strip() != now.search:
        widget_sync.write(SEARCH, state.search)
    if state.datasets != now.datasets:
        widget_sync.write(DATASETS, list(state.datasets))
    if state.precise_only != now.precise_only:
        widget_sync.write(PRECISE_ONLY, state.precise_only)


def propose(state: FilterState, origin: str, chapter: str | None = None) -> None:
    """Ask for ``state`` in the filter widgets at the next :func:`apply_pending`.

    The latest proposal wins. ``chapter``: the story picker's value to set with it.
    """
    st.session_state[PENDING] = Proposal(state, origin, chapter)


def current() -> FilterState:
    """The filters about to be shown: the pending proposal's, else the widgets'."""
    proposal = st.session_state.get(PENDING)
    return proposal.state if proposal is not None else read_filters()


def propose_dates(value: tuple[date, date], origin: str) -> None:
    """Propose the current filters with the date range ``value``."""
    propose(replace(current(), date_from=value[0], date_to=value[1]), origin)


def apply_pending(span: tuple[date, date], default: tuple[date, date]) -> Proposal | None:
    """The one step that changes the filter widgets: call once, before they are created.

    Writes the pending proposal, if any, and returns it; then a date range that is missing
    or not within ``span`` (the data's first and last day) becomes ``default``.
    """
    proposal = st.session_state.pop(PENDING, None)
    if proposal is not None:
        write_filters(proposal.state)
        if proposal.chapter is not None:
            widget_sync.write(CHAPTER, proposal.chapter)
    for category in CATEGORIES:  # on by default, in session state: proposals set them
        st.session_state.setdefault(category_key(category), True)  # without a warning
    dates = st.session_state.get(DATES)
    if not dates or not all(span[0] <= d <= span[1] for d in dates):
        _set_dates(default)
    return proposal


preset_picked = widget_sync.page_callback()(propose_dates)  # a date preset's button


@widget_sync.page_callback(DATES)
def slider_moved() -> None:
    """The range slider's callback: the exact date inputs follow it."""
    widget_sync.write(EXACT_DATES, st.session_state[DATES])


@widget_sync.page_callback(EXACT_DATES)
def dates_typed() -> None:
    """The exact date inputs' callback: the slider follows once both dates are given."""
    picked = st.session_state.get(EXACT_DATES) or ()
    if len(picked) == 2:
        widget_sync.write(DATES, tuple(picked))


def chapter_id() -> str:
    """The story picker's value: a chapter id, or FREE."""
    return str(st.session_state.get(CHAPTER) or FREE)


def leave_chapter() -> None:
    """Set the story picker to free exploration; only before the picker is drawn."""
    widget_sync.write(CHAPTER, FREE)


def value(key: str, default: Any = None) -> Any:
    """The value of the widget with ``key`` (not a filter's: see :func:`read_filters`)."""
    return st.session_state.get(key, default)


def forget(key: str) -> None:
    """Drop what a map component reported under ``key`` (a click already used), so it
    counts as not clicked until it is clicked again."""
    st.session_state.pop(key, None)


def table_rows() -> list[int]:
    """The rows selected in the events table."""
    selected = st.session_state.get(EVENTS_TABLE) or {}
    return list((selected.get("selection") or {}).get("rows") or [])


def table_page_key(events_key: str) -> str:
    """The page picker's key for the shown events named ``events_key``: other events start
    on page 1 (and the picker of events no longer shown is forgotten)."""
    return f"{TABLE_PAGE}{events_key}"


def open_page(key: str, page: int) -> None:
    """Turn the table's page picker ``key`` to ``page``; only before the picker is drawn."""
    st.session_state[key] = page


def select_rows(rows: list[int]) -> None:
    """Mark ``rows`` selected in the events table about to be drawn."""
    st.session_state[EVENTS_TABLE] = {"selection": {"rows": rows, "columns": [], "cells": []}}

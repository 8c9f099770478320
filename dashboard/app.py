"""Streamlit entry point: ``streamlit run dashboard/app.py -- --events PATH``."""

from __future__ import annotations

import argparse
import functools
import sys
from dataclasses import replace
from pathlib import Path

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.errors import DashboardError, DatabaseError
from dashboard.filters import FilterState
from dashboard.map_focus import extent
from dashboard.precision import counted, precision_note
from dashboard.profile import ATTRIBUTION
from dashboard.query import Selection
from dashboard.schema import CATEGORIES
from dashboard.settings import SettingsError
from dashboard.story import Chapter
from dashboard.ui import cache, playback_view, review_view, selection, urlsync, widget_sync
from dashboard.ui import state as ui_state
from dashboard.ui.imports import render_uploader, show_problems
from dashboard.ui.map_view import render_map, shared_view
from dashboard.ui.sidebar import data_span, default_range, render_filters
from dashboard.ui.snapshot import render_snapshot_panel
from dashboard.ui.story_view import layer_counts, render_chapter, render_controls
from dashboard.ui.table import render_table
from dashboard.ui.timeline_view import propose_selection, render_timeline, selection_pending
from dashboard.ui.urlsync import md_escape

TITLE = "Nagorno-Karabakh 2020–2023: blockade, offensive, exodus"
INTRO = ("Every point is a dated event from the source documents, with its footnote and a "
         "verbatim quote. Contested claims name who makes them.")
# A compact heading and top margin, so the map starts within the first screen of a phone.
PAGE_CSS = """<style>
[data-testid=stMainBlockContainer] { padding-top: 4rem; }
[data-testid=stMain] h1 { font-size: 1.7rem; line-height: 1.2; padding: 0 0 0.25rem; }
[data-testid=stMetric] [data-testid=stMetricValue] { font-size: 1.6rem; }
@media (max-width: 640px) {
  [data-testid=stMain] h1 { font-size: 1.2rem; }
}
</style>"""
ABOUT = f"""
Each event is a row of the events file, taken from one of two documents (kept in the
repository's `sources/` folder): an analysis written about 28 September 2023 that is strongly
sympathetic to the Armenians of Nagorno-Karabakh (*Document A*), and *"Nagorno-Karabakh.
Military Offensive and Blurry Future"*, written about 22-24 September 2023, which quotes
each side's terms with attribution (*Document B*). Where both report the same figure there
are two rows: **do not add figures across rows**.

Dates carry their precision: many statements are undated in the documents and are known
only to the month. Locations carry theirs: the Hakari bridge point is an estimate (±2 km),
the Russian embassy in Yerevan is shown at the city centre, Nagorno-Karabakh is drawn with
the 1991 oblast outline, and the corridor routes are schematic. {ATTRIBUTION}.
"""


SHARED = ("This dashboard reads a shared database: files are added to it with "
          "`python -m dashboard db load FILE`.")
DATABASE_AWAY = ("{}. The page shows the events again as soon as the database answers: "
                 "change a filter or reload the page.")


def events_paths(argv: list[str], default: tuple[Path, ...]) -> list[Path]:
    """The events files: ``--events PATH`` (repeatable) after ``--``, else ``default``
    (the ``DASHBOARD_EVENTS`` setting, the bundled file unless set)."""
    given = _given(tuple(argv))
    return [Path(p) for p in given] if given else list(default)


@functools.lru_cache(maxsize=4)  # the same arguments every rerun: parsed once
def _given(argv: tuple[str, ...]) -> tuple[str, ...]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--events", action="append", default=[])
    return tuple(parser.parse_known_args(list(argv))[0].events)


def load_data() -> Dataset:
    """The served files and the uploaded ones, together; refusals shown, not raised.

    With a database (``DASHBOARD_DATABASE_URL``) no events file is read: the store answers
    for the events, and files are added to the database, not uploaded to the page.
    """
    try:
        served = events_paths(sys.argv[1:], cache.settings().events)
    except SettingsError as exc:
        st.error(md_escape(f"The dashboard's settings are wrong: {exc}"))
        st.stop()
    found = cache.database()
    if found is not None:
        st.sidebar.caption(SHARED)
        return cache.from_database(found)
    uploaded = render_uploader()
    parts = []
    if ui_state.value(ui_state.WITH_BUNDLED, True) or not uploaded:
        for path in served:
            try:
                parts.append(cache.dataset(path))
            except DashboardError as exc:
                st.error(md_escape(f"The events could not be loaded: {exc}"))
        parts += review_view.working_part()  # the events accepted from reports
    if not parts and not uploaded:
        st.stop()
    return cache.combined([*parts, *uploaded])


def live_view(data: Dataset, shown: Selection, state: FilterState,
              steps: playback_view.Steps, chapter: Chapter | None = None) -> None:
    """The current playback date, the map, the story chapter and the timeline.

    Run as a fragment that reruns by itself every step while playback runs: a database
    gone away meanwhile is said here (the page's own handler does not see a fragment's
    reruns), and the next step draws again once it is back.
    """
    # Alone, the fragment may get the browser's late values, or the user's sidebar change.
    if widget_sync.in_fragment_run() and widget_sync.reconcile():
        st.rerun()  # the whole page, which that change concerns
    try:
        _live_view(data, shown, state, steps, chapter)
    except DatabaseError as exc:
        st.error(md_escape(DATABASE_AWAY.format(exc)))


def _live_view(data: Dataset, shown: Selection, state: FilterState,
               steps: playback_view.Steps, chapter: Chapter | None) -> None:
    if selection_pending(data):  # an interval dragged on the chart: the sidebar must change
        st.rerun()
    frame = playback_view.current_frame(steps)
    on_map = playback_view.frame_events(shown, frame)
    # Always one element before the map, so the map keeps its place and is not remounted.
    with st.container(key=ui_state.PLAY_DATE):
        if frame is not None:
            playback_view.render_date(frame, steps(), len(on_map), len(shown))
    try:
        render_map(data, on_map)
    except DatabaseError:
        raise  # said once, for the whole fragment
    except DashboardError as exc:
        st.error(md_escape(f"The map could not be drawn: {exc}"))
    # After the map, which reports the view the user has moved it to.
    urlsync.publish(state, shared_view(), span=data_span(data),
                    default=default_range(data))
    render_chapter(data, chapter)  # the story chapter's text and key events, under the map
    render_timeline(shown, state, (frame.first, frame.last) if frame else None)


def settle_filters(data: Dataset) -> None:
    """The one step that changes the filter widgets, before any of them is drawn.

    The link (on a session's first run) and an interval picked on the timeline propose
    filters, as a story chapter or a date preset did in its callback; the latest proposal
    goes into the widgets (``state.apply_pending``).
    """
    widget_sync.reconcile()  # replaced values the browser has caught up with are forgotten
    span = data_span(data)
    urlsync.restore(data, *span)
    propose_selection(data)
    ui_state.apply_pending(span, default_range(data))


def main() -> None:
    """Render the page."""
    st.set_page_config(page_title="Conflict-event map", page_icon="🗺️", layout="wide")
    st.html(PAGE_CSS)
    st.title(TITLE)
    data = load_data()
    show_problems(data)
    settle_filters(data)  # the link, a chapter, a preset or the timeline: into the widgets
    chapter = render_controls(data)  # the Story picker, top of the sidebar
    state = render_filters(data, layer_counts(data))
    widget_sync.remember(ui_state.filter_keys())
    shown = cache.shown(data, state)
    # A chapter just chosen: the map fits its events.
    selection.settle_fit(lambda: extent(shown.columns(["geometry"])))
    left, right = st.columns([1, 3])
    left.metric("Events shown", len(shown), help=f"of {len(cache.store(data))} events loaded")
    # How many are dated to the day, and how many only overlap the range (hidden or not).
    selected = (cache.shown(data, replace(state, precise_only=False))
                if state.precise_only else shown)
    regions = {0: "all regions", 1: "1 region"}.get(len(state.regions),
                                                    f"{len(state.regions)} regions")
    right.caption(f"{state.date_from:%d %b %Y} – {state.date_to:%d %b %Y} · {regions} · "
                  f"{len(state.categories)} of {len(CATEGORIES)} layers"
                  + (f" · search: “{md_escape(state.search)}”" if state.search else ""))
    # Beside the count, on one line, so the map stays high on the page.
    right.caption(precision_note(counted(selected.precision_counts()), state.precise_only))
    # The map right under the title; the controls of playback, drawn first because the map
    # needs their steps, are placed below it.
    map_slot = st.container()
    steps = playback_view.render_controls(shown, state)
    with map_slot:
        st.fragment(live_view, run_every=playback_view.timer())(data, shown, state, steps,
                                                                 chapter)
    render_snapshot_panel(data, state, shown)
    render_table(shown)
    review_view.render_review()
    st.caption(INTRO)
    with st.expander("About these data"):
        st.markdown(ABOUT)
    cache.settle_heap()


try:
    main()
except DatabaseError as exc:  # the database went away: said once, tried again next rerun
    st.error(md_escape(DATABASE_AWAY.format(exc)))

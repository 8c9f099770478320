"""The guided story: a chapter picker at the top of the sidebar and the chapter above the map.

Choosing a chapter (or Previous / Next) proposes its filters in a callback
(``state.propose``); they reach the sidebar's widgets at ``state.apply_pending``. Changing a
filter afterwards leaves the chapter: the picker then shows "Free exploration".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.formatting import format_when
from dashboard.schema import CATEGORIES
from dashboard.story import (
    CHAPTERS,
    Chapter,
    chapter_state,
    get_chapter,
    next_chapter,
    previous_chapter,
    same_filters,
)
from dashboard.ui import cache, selection, widget_sync
from dashboard.ui import state as ui_state
from dashboard.ui.sidebar import data_span, default_range
from dashboard.ui.state import FREE
from dashboard.ui.urlsync import md_escape

LABELS = {FREE: "Free exploration",
          **{c.id: f"{i}. {c.title}" for i, c in enumerate(CHAPTERS, start=1)}}


def apply_chapter(chapter: Chapter | None, span: tuple[date, date]) -> None:
    """Propose ``chapter``'s filters for the sidebar widgets and select it (a callback).

    The date range, regions and layers are the chapter's and the search is emptied; the
    datasets and the precision switch stay as they are.
    """
    if chapter is None:
        return
    selection.request_fit()  # the map moves to the chapter's events
    state = chapter_state(chapter, span)
    ui_state.propose(replace(ui_state.current(), date_from=state.date_from,
                             date_to=state.date_to, regions=state.regions,
                             categories=state.categories, search=""),
                     "chapter", chapter=chapter.id)


@widget_sync.page_callback(ui_state.CHAPTER)
def _picked(span: tuple[date, date]) -> None:
    apply_chapter(get_chapter(ui_state.chapter_id()), span)


_step_chapter = widget_sync.page_callback()(apply_chapter)  # Previous and Next


def layer_counts(data: Dataset) -> dict[str, int]:
    """Per layer, the events the other filters (dates, regions, search, ...) leave.

    Shown next to the sidebar's layer check boxes, which are the map's only layer switch.
    Before the date widgets have a range, their opening range counts.
    """
    shown = ui_state.read_filters()
    if shown.date_from is None or shown.date_to is None:
        shown = replace(shown, date_from=default_range(data)[0], date_to=default_range(data)[1])
    return cache.shown(data, replace(shown, categories=tuple(CATEGORIES))).layer_counts()


def current_chapter(span: tuple[date, date]) -> Chapter | None:
    """The chapter shown, or None; a chapter whose filters were changed is left."""
    chapter = get_chapter(ui_state.chapter_id())
    if chapter is None:
        return None
    shown = ui_state.read_filters()
    if shown.date_from is None or not same_filters(shown, chapter_state(chapter, span)):
        ui_state.leave_chapter()
        return None
    return chapter


def render_controls(data: Dataset) -> Chapter | None:
    """The Story picker with Previous / Next, at the top of the sidebar.

    Call after ``state.apply_pending`` and before the sidebar's filters; returns the
    chapter shown, if any.
    """
    span = data_span(data)
    chapter = current_chapter(span)
    if ui_state.chapter_id() not in LABELS:
        ui_state.leave_chapter()
    before = previous_chapter(chapter.id if chapter else None)
    after = next_chapter(chapter.id if chapter else None)
    with st.sidebar:
        st.subheader("Story")
        st.selectbox("Story", options=list(LABELS), format_func=LABELS.__getitem__,
                     key=ui_state.CHAPTER, on_change=_picked, args=(span,),
                     label_visibility="collapsed",
                     help="A guided tour: each chapter sets the dates, regions and layers "
                          "and tells what the documents say. Changing a filter leaves it.")
        left, right = st.columns(2)
        left.button("◀ Previous", key=ui_state.STORY_PREVIOUS, disabled=before is None,
                    on_click=_step_chapter, args=(before, span), width="stretch")
        right.button("Next ▶", key=ui_state.STORY_NEXT, disabled=after is None,
                     on_click=_step_chapter, args=(after, span), width="stretch")
    return chapter


def render_chapter(data: Dataset, chapter: Chapter | None) -> None:
    """The chapter's title and text, and its key events as buttons that select them.

    A selected event opens on the map and is marked in the table. Nothing in free
    exploration.
    """
    if chapter is None:
        return
    number = CHAPTERS.index(chapter) + 1
    everything = cache.shown(data, FilterState())  # the key events the data hold, asked
    found = [everything.find(event_id) for event_id in chapter.key_events]
    listed = [(str(rows["event_id"].iloc[0]), rows.iloc[0]) for rows in found if len(rows)]
    st.info(f"**Chapter {number} of {len(CHAPTERS)}: {chapter.title}**\n\n{chapter.text}"
            + ("\n\n**Key events** (select one to show it on the map and in the table):"
               if listed else ""))
    for event_id, event in listed:
        end = event["end"].date() if event["date_end"] else None
        when = format_when(event["start"].date(), end, str(event["date_precision"]))
        if st.button(f"{when}: {md_escape(str(event['title']))}",
                     key=ui_state.key_event_key(event_id), on_click=selection.select_event,
                     args=(event_id,), type="tertiary",
                     icon=":material/location_on:" if selection.selected() == event_id
                     else ":material/arrow_right:"):
            st.rerun()  # the whole page, also when drawn in the map's fragment: the table too
    st.caption("Changing a filter leaves the chapter; pick it again under Story to come back.")

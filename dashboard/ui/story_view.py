"""The guided story: a chapter picker at the top of the sidebar and the chapter above the map.

Choosing a chapter (or Previous / Next) sets the sidebar widgets' session state in a
callback, which runs before the widgets are created. Changing a filter afterwards leaves
the chapter: the picker then shows "Free exploration".
"""

from __future__ import annotations

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
from dashboard.ui import cache, selection
from dashboard.ui.sidebar import data_span, default_range
from dashboard.ui.urlsync import CHAPTER_KEY, md_escape

FREE = ""  # the picker's value for free exploration
LABELS = {FREE: "Free exploration",
          **{c.id: f"{i}. {c.title}" for i, c in enumerate(CHAPTERS, start=1)}}


def apply_chapter(chapter: Chapter | None, span: tuple[date, date]) -> None:
    """Put ``chapter``'s filters into the sidebar widgets' state and select it."""
    st.session_state[CHAPTER_KEY] = chapter.id if chapter else FREE
    if chapter is None:
        return
    selection.request_fit()  # the map moves to the chapter's events
    state = chapter_state(chapter, span)
    st.session_state["dates"] = st.session_state["exact_dates"] = (state.date_from,
                                                                    state.date_to)
    st.session_state["regions"] = list(state.regions)
    for category in CATEGORIES:
        st.session_state[f"category_{category}"] = category in state.categories
    st.session_state["search"] = ""


def _picked(span: tuple[date, date]) -> None:
    apply_chapter(get_chapter(st.session_state.get(CHAPTER_KEY)), span)


def widget_state() -> FilterState | None:
    """The filters the sidebar widgets hold now, or None before they exist."""
    state = st.session_state
    dates = state.get("dates")
    try:
        date_from, date_to = dates  # type: ignore[misc]
        return FilterState(
            date_from=date_from, date_to=date_to, regions=tuple(state.get("regions") or ()),
            categories=tuple(c for c in CATEGORIES if state.get(f"category_{c}", True)),
            search=str(state.get("search") or "").strip())
    except (TypeError, ValueError):
        return None


def layer_counts(data: Dataset) -> dict[str, int]:
    """Per layer, the events the other filters (dates, regions, search, ...) leave.

    Shown next to the sidebar's layer check boxes, which are the map's only layer switch.
    Before the date widgets exist, their opening range counts.
    """
    shown = widget_state()
    date_from, date_to = (shown.date_from, shown.date_to) if shown else default_range(data)
    state = st.session_state
    events = cache.shown(data, FilterState(
        date_from=date_from, date_to=date_to, regions=tuple(state.get("regions") or ()),
        categories=tuple(CATEGORIES), search=str(state.get("search") or "").strip(),
        datasets=tuple(state.get("datasets") or ()),
        precise_only=bool(state.get("precise_only", False))))
    counts = events["category"].value_counts()
    return {c: int(counts.get(c, 0)) for c in CATEGORIES}


def current_chapter(span: tuple[date, date]) -> Chapter | None:
    """The chapter shown, or None; a chapter whose filters were changed is left."""
    chapter = get_chapter(st.session_state.get(CHAPTER_KEY))
    if chapter is None:
        return None
    shown = widget_state()
    if shown is None or not same_filters(shown, chapter_state(chapter, span)):
        st.session_state[CHAPTER_KEY] = FREE
        return None
    return chapter


def render_controls(data: Dataset) -> Chapter | None:
    """The Story picker with Previous / Next, at the top of the sidebar.

    Call after ``urlsync.restore`` and before the sidebar's filters; returns the chapter
    shown, if any.
    """
    span = data_span(data)
    chapter = current_chapter(span)
    if st.session_state.get(CHAPTER_KEY) not in LABELS:
        st.session_state[CHAPTER_KEY] = FREE
    before = previous_chapter(chapter.id if chapter else None)
    after = next_chapter(chapter.id if chapter else None)
    with st.sidebar:
        st.subheader("Story")
        st.selectbox("Story", options=list(LABELS), format_func=LABELS.__getitem__,
                     key=CHAPTER_KEY, on_change=_picked, args=(span,),
                     label_visibility="collapsed",
                     help="A guided tour: each chapter sets the dates, regions and layers "
                          "and tells what the documents say. Changing a filter leaves it.")
        left, right = st.columns(2)
        left.button("◀ Previous", key="story_previous", disabled=before is None,
                    on_click=apply_chapter, args=(before, span), width="stretch")
        right.button("Next ▶", key="story_next", disabled=after is None,
                     on_click=apply_chapter, args=(after, span), width="stretch")
    return chapter


def render_chapter(data: Dataset, chapter: Chapter | None) -> None:
    """The chapter's title and text, and its key events as buttons that select them.

    A selected event opens on the map and is marked in the table. Nothing in free
    exploration.
    """
    if chapter is None:
        return
    number = CHAPTERS.index(chapter) + 1
    events = data.events.set_index("event_id", drop=False)
    listed = [event_id for event_id in chapter.key_events if event_id in events.index]
    st.info(f"**Chapter {number} of {len(CHAPTERS)}: {chapter.title}**\n\n{chapter.text}"
            + ("\n\n**Key events** (select one to show it on the map and in the table):"
               if listed else ""))
    for event_id in listed:
        event = events.loc[event_id]
        end = event["end"].date() if event["date_end"] else None
        when = format_when(event["start"].date(), end, event["date_precision"])
        if st.button(f"{when}: {md_escape(str(event['title']))}", key=f"key_event_{event_id}",
                     on_click=selection.select_event, args=(event_id,), type="tertiary",
                     icon=":material/location_on:" if selection.selected() == event_id
                     else ":material/arrow_right:"):
            st.rerun()  # the whole page, also when drawn in the map's fragment: the table too
    st.caption("Changing a filter leaves the chapter; pick it again under Story to come back.")

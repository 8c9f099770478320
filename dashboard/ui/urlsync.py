"""The page URL holds the filters: restored into the widgets once, rewritten after each run."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.linkstate import read_link, write_link
from dashboard.periods import opening_range
from dashboard.schema import CATEGORIES
from dashboard.story import BY_ID, chapter_state
from dashboard.urlstate import (
    MapView,
    coerce_view,
    read_chapter,
    with_chapter,
)

RESTORED = "_urlsync_restored"  # session_state flag: the URL was read in this session
MAP_VIEW = "map_view"
CHAPTER_KEY = "story_chapter"  # the story selectbox: a chapter id, or "" for free exploration
_MARKDOWN = re.compile(r"([\\`*_\[\]{}<>#|~$])")


def md_escape(text: str) -> str:
    """``text`` shown literally by ``st.warning``'s Markdown (and its ``$`` math)."""
    return _MARKDOWN.sub(r"\\\1", text)


def current_params() -> dict[str, list[str]]:
    """The page's query parameters, every value as a list (repeated keys kept)."""
    return {key: st.query_params.get_all(key) for key in st.query_params.to_dict()}


def restore(data: Dataset, first: date, last: date) -> None:
    """On a session's first run, put the URL's filters into the widgets' session state.

    Call before the sidebar widgets are created. Dates are clipped to ``first``..``last``,
    the span the sidebar's slider uses, so the sidebar keeps them; a URL without dates
    opens on the sidebar's default range (``periods.opening_range``). Dropped values are
    listed in one warning; the map view goes to ``st.session_state["map_view"]``. A
    ``chapter`` gives its filters, except those the URL gives explicitly.
    """
    if st.session_state.get(RESTORED):
        return
    st.session_state[RESTORED] = True
    try:
        params = current_params()
        state, view, notices = read_link(
            params, regions=[r.id for r in data.geodata.choices], first=first, last=last,
            default=opening_range(data.events, first, last))
        chapter, dropped = read_chapter(params, list(BY_ID))
        notices += dropped
        if chapter:
            state = replace(with_chapter(state, chapter_state(BY_ID[chapter], (first, last)),
                                         params), precise_only=state.precise_only)
            st.session_state[CHAPTER_KEY] = chapter
    except Exception as exc:  # the URL must never stop the page
        st.warning(f"The link's filters could not be read and were ignored: "
                   f"{md_escape(str(exc))}", icon="⚠️")
        return
    st.session_state["dates"] = st.session_state["exact_dates"] = (state.date_from,
                                                                    state.date_to)
    if state.regions:
        st.session_state["regions"] = list(state.regions)
    if set(state.categories) != set(CATEGORIES):
        for category in CATEGORIES:
            st.session_state[f"category_{category}"] = category in state.categories
    if state.search:
        st.session_state["search"] = state.search
    if state.precise_only:
        st.session_state["precise_only"] = True
    if view is not None:
        st.session_state[MAP_VIEW] = view
    if notices:
        st.warning("Some of the link's filters could not be used and were dropped:\n"
                   + "\n".join(f"- {md_escape(n)}" for n in notices), icon="⚠️")


def publish(state: FilterState, view: MapView | object | None = None, *,
            span: tuple[date, date] | None = None,
            default: tuple[date, date] | None = None) -> None:
    """Write ``state`` and ``view`` into the page URL, only when that changes it.

    ``view`` may be a ``MapView`` or whatever :func:`coerce_view` accepts; ``span`` is the
    data's first and last day and ``default`` the range the page opens on (see
    :func:`dashboard.linkstate.write_link` for which dates are left out); the story chapter
    shown, if any, is read from ``st.session_state``.
    """
    chapter = st.session_state.get(CHAPTER_KEY)
    wanted = write_link(state, coerce_view(view), span=span, default=default,
                      chapter=chapter if chapter in BY_ID else None)
    lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if lists != current_params():
        st.query_params.from_dict(wanted)  # clears, keeps embed options, sets, in one message

"""The page URL holds the filters: proposed for the widgets once, rewritten after each run."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.linkstate import read_link, write_link
from dashboard.story import BY_ID, chapter_state
from dashboard.ui import cache
from dashboard.ui import state as ui_state
from dashboard.urlstate import (
    MapView,
    coerce_view,
    read_chapter,
    with_chapter,
)

RESTORED = "_urlsync_restored"  # session_state flag: the URL was read in this session
MAP_VIEW = "map_view"
_MARKDOWN = re.compile(r"([\\`*_\[\]{}<>#|~$])")


def md_escape(text: str) -> str:
    """``text`` shown literally by ``st.warning``'s Markdown (and its ``$`` math)."""
    return _MARKDOWN.sub(r"\\\1", text)


def current_params() -> dict[str, list[str]]:
    """The page's query parameters, every value as a list (repeated keys kept)."""
    return {key: st.query_params.get_all(key) for key in st.query_params.to_dict()}


def restore(data: Dataset, first: date, last: date) -> None:
    """On a session's first run, propose the URL's filters for the widgets.

    The proposal (``state.propose``) reaches the widgets at ``state.apply_pending``. Dates
    are clipped to ``first``..``last``, the span the sidebar's slider uses, so the sidebar
    keeps them; a URL without dates opens on the sidebar's default range
    (``periods.opening_range``). Dropped values are listed in one warning; the map view
    goes to ``st.session_state["map_view"]``. A ``chapter`` gives its filters, except those
    the URL gives explicitly, and is selected in the story picker.
    """
    if st.session_state.get(RESTORED):
        return
    st.session_state[RESTORED] = True
    try:
        params = current_params()
        state, view, notices = read_link(
            params, regions=[r.id for r in data.geodata.choices], first=first, last=last,
            default=cache.opening(data, (first, last)))
        chapter, dropped = read_chapter(params, list(BY_ID))
        notices += dropped
        if chapter:
            state = replace(with_chapter(state, chapter_state(BY_ID[chapter], (first, last)),
                                         params), precise_only=state.precise_only)
    except Exception as exc:  # the URL must never stop the page
        st.warning(f"The link's filters could not be read and were ignored: "
                   f"{md_escape(str(exc))}", icon="⚠️")
        return
    ui_state.propose(state, "link", chapter=chapter)
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
    shown, if any, is the story picker's.
    """
    chapter = ui_state.chapter_id()
    wanted = write_link(state, coerce_view(view), span=span, default=default,
                      chapter=chapter if chapter in BY_ID else None)
    lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if lists != current_params():
        st.query_params.from_dict(wanted)  # clears, keeps embed options, sets, in one message

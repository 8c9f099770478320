"""The sidebar's values against the browser's late reports of the ones the app replaced.

When the app sets a widget (a chapter's dates, regions and layers, the story picker), the
browser learns the new value a moment later. A request sent meanwhile, most often the map
reporting where it moved (a rerun of the map's fragment alone), still carries the old
value; Streamlit would take it as the user's and undo the chapter. Streamlit also delivers
a click on a sidebar button with such a fragment's rerun, which draws the map but not the
page the click changed.

So the app writes those widgets with :func:`write`, which remembers the value replaced;
:func:`remember` keeps what the sidebar drew; :func:`reconcile`, at the start of every run,
puts back a replaced value the browser sent again and says when the user really changed a
sidebar widget in a fragment's rerun; :func:`page_callback` wraps the sidebar's callbacks
alike. Only :mod:`dashboard.ui.state` names the widgets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

SHOWN = "_widgets_shown"  # key -> the value the sidebar drew in the last full run
REPLACED = "_widgets_replaced"  # key -> values the app replaced, until the browser has it
FRESH = "_widgets_fresh"  # keys written since the sidebar was last drawn
RESTORED = "_widgets_restored"  # keys a callback of this run put back (not the browser's)
KEEP = 4  # replaced values remembered per widget: chapters skipped through quickly
P = ParamSpec("P")


def in_fragment_run() -> bool:
    """True while only a fragment (the map and what is drawn with it) reruns."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def write(key: str, value: Any) -> None:
    """Set widget ``key`` to ``value``, remembering the value it replaces."""
    if key in st.session_state and st.session_state[key] != value:
        old = st.session_state.setdefault(REPLACED, {}).setdefault(key, [])
        now = st.session_state[key]
        old[:] = [*(v for v in old if v != now), now][-KEEP:]
    st.session_state.setdefault(FRESH, set()).add(key)
    st.session_state[key] = value


def remember(keys: Iterable[str]) -> None:
    """Keep the values of widgets ``keys`` as this full run drew them."""
    st.session_state[SHOWN] = {key: st.session_state[key] for key in keys
                               if key in st.session_state}
    st.session_state[FRESH] = set()


def is_stale(key: str) -> bool:
    """True when, in a fragment's rerun, widget ``key`` holds a value the app replaced: the
    browser sent it again. (A full run comes from the sidebar: its values are the user's.)"""
    shown = st.session_state.get(SHOWN) or {}
    if not in_fragment_run() or key not in shown or key in st.session_state.get(FRESH, ()):
        return False
    now = st.session_state.get(key)
    return now != shown[key] and now in (st.session_state.get(REPLACED) or {}).get(key, ())


def reconcile() -> bool:
    """Put back every replaced value the browser sent again; forget those it has caught up
    with. True when, in a fragment's rerun, the user changed a sidebar widget: the whole
    page must then run.

    Call at the start of a run, before the sidebar is drawn, or of a fragment's rerun.
    """
    replaced = st.session_state.get(REPLACED) or {}
    fresh = st.session_state.get(FRESH) or set()
    restored = st.session_state.pop(RESTORED, None) or set()
    changed = False
    for key, shown in (st.session_state.get(SHOWN) or {}).items():
        if key in fresh:
            continue  # the app's own value, set in a callback of this run
        if is_stale(key):
            st.session_state[key] = shown
            continue
        if key not in restored:
            replaced.pop(key, None)  # the browser's value: it has caught up
        changed = changed or st.session_state.get(key) != shown
    return changed and in_fragment_run()


def page_callback(*keys: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """Wrap the callback of a widget drawn outside the map's fragment.

    A stale value of ``keys`` is put back and the callback skipped; a callback run in a
    fragment's rerun then asks for the whole page.
    """
    def wrap(callback: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(callback)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
            stale = [key for key in keys if is_stale(key)]
            for key in stale:
                st.session_state[key] = st.session_state[SHOWN][key]
                st.session_state.setdefault(RESTORED, set()).add(key)
            if stale:
                return
            callback(*args, **kwargs)
            if in_fragment_run():
                st.rerun()
        return guarded
    return wrap

"""Playback: controls above the map, the current step, and the timer that advances it.

The map and the timeline are drawn inside one fragment (see ``app.py``) that Streamlit
reruns every step while playback runs, so only they update: the map's event layers are
swapped in place and the user's zoom stays. Buttons run callbacks that set the state
below; the fragment advances the step when the next one is due.
"""

from __future__ import annotations

import time
from datetime import date

import streamlit as st

from dashboard.filters import FilterState
from dashboard.playback import MODE_HELP, MODES, SPEEDS, STEPS, Frame, moved, step_window
from dashboard.query import Selection
from dashboard.ui import cache, widget_sync
from dashboard.ui import state as ui_state

DAY = "play_day"  # the first day of the current step; None: playback off, all shown
PLAYING = "play_running"
DUE = "play_due"  # time.monotonic() from which the next step may be shown; None: not yet
EARLY = 0.2  # a tick may come this fraction of the interval early (timer jitter)


def now() -> float:
    """The clock the timer reads."""
    return time.monotonic()


def interval() -> float:
    """Seconds between steps, as chosen."""
    return float(ui_state.value(ui_state.PLAY_SPEED, 1.0))


def playing() -> bool:
    return bool(st.session_state.get(PLAYING))


def timer() -> float | None:
    """How often the map's fragment reruns by itself: the interval while playing, else never."""
    return interval() if playing() else None


class Steps:
    """Playback's steps over the shown events' date range, worked out when first asked for:
    while a step is shown or a playback button is clicked, not on every rerun (over a
    database that reads every event's start).
    """

    def __init__(self, events: Selection, state: FilterState):
        self.events = events
        self.state = state
        self.step = int(ui_state.value(ui_state.PLAY_STEP, 1))
        self.skip = bool(ui_state.value(ui_state.PLAY_SKIP, True))
        self._steps: list[Frame] | None = None

    @property
    def ranged(self) -> bool:
        """Whether there are steps: a date range is set (``playback.frames`` makes at least
        the first step of any range)."""
        return self.state.date_from is not None and self.state.date_to is not None

    def __call__(self) -> list[Frame]:
        """The steps (none without a date range)."""
        if self._steps is None:
            first, last = self.state.date_from, self.state.date_to
            self._steps = ([] if first is None or last is None
                           else cache.steps(self.events, first, last, self.step, self.skip))
        return self._steps


def _go(frame: Frame | None) -> None:
    st.session_state[DAY] = frame.first if frame else None


def _toggle(lazy: Steps) -> None:
    if playing():
        st.session_state[PLAYING] = False
        return
    steps = lazy()
    day = st.session_state.get(DAY)
    if day is None or moved(steps, day, 1) is None:  # not started, or at the end: restart
        _go(steps[0] if steps else None)
    st.session_state[PLAYING] = bool(steps)
    st.session_state[DUE] = None  # the clock starts when the first step is drawn


def _step(steps: Steps, delta: int) -> None:
    st.session_state[PLAYING] = False
    target = moved(steps(), st.session_state.get(DAY), delta)
    if target is not None:
        _go(target)


def _show_all() -> None:
    st.session_state[PLAYING] = False
    st.session_state[DAY] = None


# The buttons' callbacks: the buttons are drawn outside the map's fragment.
_toggled = widget_sync.page_callback()(_toggle)
_stepped = widget_sync.page_callback()(_step)
_all_shown = widget_sync.page_callback()(_show_all)


def render_controls(events: Selection, state: FilterState) -> Steps:
    """The playback row above the map; returns the steps of the current date range (worked
    out only when needed: a step shown, a button clicked)."""
    steps = Steps(events, state)
    day = st.session_state.get(DAY)
    columns = st.columns([1.1, 1, 1, 1.1, 1.3, 1.6, 2.2], vertical_alignment="bottom")
    columns[0].button("⏸ Pause" if playing() else "▶ Play", key=ui_state.PLAY_TOGGLE,
                      type="primary", on_click=_toggled, args=(steps,), width="stretch",
                      disabled=not steps.ranged,
                      help="Play the date range step by step; the map keeps your zoom.")
    columns[1].button("◀ Back", key=ui_state.PLAY_BACK, on_click=_stepped, args=(steps, -1),
                      disabled=day is None or moved(steps(), day, -1) is None,
                      width="stretch", help="One step back (pauses).")
    columns[2].button("Forward ▶", key=ui_state.PLAY_FORWARD, on_click=_stepped, args=(steps, 1),
                      disabled=day is not None and moved(steps(), day, 1) is None,
                      width="stretch", help="One step forward (pauses).")
    columns[3].button("Show all", key=ui_state.PLAY_STOP, on_click=_all_shown, width="stretch",
                      disabled=day is None,
                      help="Leave playback: the map shows every event of the date range.")
    columns[4].selectbox("Step", list(STEPS), format_func=STEPS.__getitem__,
                         key=ui_state.PLAY_STEP)
    columns[5].selectbox("Speed", list(SPEEDS), format_func=SPEEDS.__getitem__, index=1,
                         key=ui_state.PLAY_SPEED)
    columns[6].radio("Playback shows", list(MODES), format_func=MODES.__getitem__,
                     key=ui_state.PLAY_MODE, horizontal=True, help=MODE_HELP)
    st.checkbox("Skip steps in which no event starts", value=True, key=ui_state.PLAY_SKIP,
                help="A range of years then plays in as many steps as it has eventful days.")
    return steps


def current_frame(lazy: Steps) -> Frame | None:
    """The step shown now, after advancing it if playback runs and the next is due.

    Reaching the last step stops playback there; a day outside the steps (the date range
    changed) leaves playback.
    """
    day: date | None = st.session_state.get(DAY)
    if day is None:
        return None
    steps = lazy()
    if not steps or not steps[0].first <= day <= steps[-1].last:
        _show_all()
        return None
    frame = moved(steps, day, 0)
    if playing() and st.session_state.get(DUE) is None:
        st.session_state[DUE] = now() + interval()
    elif playing() and now() >= st.session_state[DUE] - EARLY * interval():
        frame = moved(steps, day, 1) or frame
        _go(frame)
        st.session_state[DUE] = now() + interval()
        # The end: stop, and redraw the controls.
        if frame is None or moved(steps, frame.first, 1) is None:
            st.session_state[PLAYING] = False
            st.rerun()
    return frame


def frame_events(events: Selection, frame: Frame | None) -> Selection:
    """What the map shows: the step's events in the chosen mode, or all when not playing."""
    if frame is None:
        return events
    return events.overlapping(*step_window(frame, str(ui_state.value(ui_state.PLAY_MODE,
                                                                     "window"))))


def render_date(frame: Frame, steps: list[Frame], on_map: int, shown: int) -> None:
    """The current date, large, announced to screen readers as it changes."""
    mode = str(ui_state.value(ui_state.PLAY_MODE, "window"))
    index = steps.index(frame) + 1
    st.markdown(f'<p role="status" aria-live="polite" style="font-size:2.25rem;'
                f'font-weight:700;line-height:1.2;margin:0">{frame.label}</p>',
                unsafe_allow_html=True)  # a label made of digits and month names only
    st.caption(f"Step {index} of {len(steps)} · {MODES[mode].lower()} · {on_map} of "
               f"{shown} shown events on the map"
               + (" · playing" if playing() else " · paused"))

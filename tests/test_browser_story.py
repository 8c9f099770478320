"""A story chapter survives the browser's late messages.

When the app sets the sidebar (a chapter's dates, regions and layers, and the picker), the
browser learns the new values a moment later; a report of the map's moves sent meanwhile
still carries the old ones. The test replays such a report, as the page sent it, after the
next chapter is shown: the chapter, its filters and the event then selected must stay.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

import pytest

from dashboard.story import CHAPTERS
from tests.browser_support import (
    RERUN_TIMEOUT,
    map_frame,
    map_idle,
    open_dashboard,
    wait_until,
)

pytestmark = pytest.mark.browser

SELECTED_CAPTION = "[data-testid=stCaptionContainer]:has-text('Selected:')"


class StreamTap:
    """Passes the page's Streamlit messages through, keeping them; can hold them back for a
    while and send an earlier one again."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.sent: list[bytes] = []  # the page's messages to the server, in order
        self.finished = 0  # script runs the server said it finished
        self.hold_after: str | None = None  # hold what follows a click on this widget key
        self.held: list[str | bytes] = []
        self._holding = False
        self._server: Any = None
        page.route_web_socket(re.compile(r"/_stcore/stream$"), self._route)

    def _route(self, socket: Any) -> None:
        self._server = socket.connect_to_server()
        socket.on_message(self._from_page)
        self._server.on_message(lambda message: self._from_server(socket, message))

    def _from_page(self, message: str | bytes) -> None:
        if self._holding:
            self.held.append(message)
            return
        if isinstance(message, bytes):
            self.sent.append(message)
            if self.hold_after and self.hold_after in _clicked(message):
                self._holding = True
                self.finished_at_hold = self.finished
        self._server.send(message)

    def _from_server(self, socket: Any, message: str | bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(message, bytes):
            forward = ForwardMsg()
            forward.ParseFromString(message)
            self.finished += forward.WhichOneof("type") == "script_finished"
        socket.send(message)

    def pump(self) -> None:
        """Let Playwright hand over the messages (it does so only while it is called)."""
        self.page.wait_for_timeout(50)

    def map_reports(self, since: int = 0) -> list[bytes]:
        """The page's requests, from message ``since`` on, to rerun the map's fragment."""
        self.pump()
        return [m for m in self.sent[since:] if (_rerun(m) or {}).get("fragment")]

    def clicked_run_done(self) -> bool:
        """True once the click on ``hold_after`` was sent and the server finished its run."""
        self.pump()
        return self._holding and self.finished > self.finished_at_hold

    def send(self, message: bytes) -> None:
        self._server.send(message)

    def release(self) -> None:
        """Send what was held back, in order, and pass messages through again."""
        self._holding, self.hold_after = False, None
        for message in self.held:
            self._from_page(message)
        self.held = []


def _rerun(message: bytes) -> dict[str, Any] | None:
    """A rerun request's fragment and the keys of the buttons it clicks (None: other)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    back = BackMsg()
    back.ParseFromString(message)
    if back.WhichOneof("type") != "rerun_script":
        return None
    widgets = back.rerun_script.widget_states.widgets
    return {"fragment": back.rerun_script.fragment_id,
            "clicked": [w.id for w in widgets if w.WhichOneof("value") == "trigger_value"
                        and w.trigger_value]}


def _clicked(message: bytes) -> str:
    return " ".join((_rerun(message) or {}).get("clicked", []))


def _location(page: Any) -> str:
    return page.evaluate("() => location.search")


def _filters(page: Any) -> dict[str, list[str]]:
    """The link's filters and chapter (the view left out: the map is moved to an event)."""
    shown = parse_qs(_location(page).lstrip("?"))
    shown.pop("view", None)
    return shown


def test_a_late_map_report_leaves_the_chapter_and_its_selected_event(page, server, guard):
    tap = StreamTap(page)
    frame, _ = open_dashboard(page, server.url)
    for chapter in CHAPTERS[:3]:
        page.get_by_role("button", name="Next ▶").click()
        wait_until(lambda c=chapter: f"chapter={c.id}" in _location(page), RERUN_TIMEOUT,
                   f"chapter {chapter.id} to be shown")
    wait_until(lambda: map_idle(frame), RERUN_TIMEOUT, "the map to stop moving")
    # The user pans the map in chapter 3: the page reports it with chapter 3's sidebar.
    before = len(tap.sent)
    frame.evaluate("() => { window.map.panBy([200, 80], {animate: false}); }")
    stale = wait_until(lambda: tap.map_reports(before), RERUN_TIMEOUT,
                       "the page to report the map's move")[-1]
    fourth = CHAPTERS[3]
    # Next, and the page's requests after it are held until the server has drawn chapter 4:
    # the chapter 3 report then arrives first, as from a page that had not yet redrawn.
    tap.hold_after = "story_next"
    page.get_by_role("button", name="Next ▶").click()
    wait_until(tap.clicked_run_done, RERUN_TIMEOUT, "the server to draw the next chapter")
    finished = tap.finished
    tap.send(stale)
    wait_until(lambda: tap.pump() or tap.finished > finished, RERUN_TIMEOUT,
               "the late report's rerun")
    tap.release()
    wait_until(lambda: f"chapter={fourth.id}" in _location(page), RERUN_TIMEOUT,
               f"chapter {fourth.id} to be shown")
    frame = map_frame(page)
    wait_until(lambda: map_idle(frame), RERUN_TIMEOUT, "the map to fit the chapter")
    filters = _filters(page)
    assert filters["chapter"] == [fourth.id]

    # Then the user picks one of chapter 4's key events.
    page.locator("[class*=st-key-key_event_] button").filter(
        has_text="Zakharova: the Russian mission").click()
    caption = page.locator(SELECTED_CAPTION)
    wait_until(lambda: "the Russian mission" in " ".join(caption.all_inner_texts()),
               RERUN_TIMEOUT, "the key event named as selected")
    wait_until(lambda: map_idle(map_frame(page)), RERUN_TIMEOUT, "the map to open the event")
    assert _filters(page) == filters, "the late report changed the filters in the link"
    assert page.get_by_text(f"Chapter 4 of {len(CHAPTERS)}: {fourth.title}").is_visible()
    assert "the Russian mission" in caption.inner_text(), "the selection was dropped"
    picker = page.get_by_role("combobox", name="Story")
    assert fourth.title in picker.input_value(), "the story picker left the chapter"
    guard.assert_only_local()

"""The map from the keyboard and the pointer: Tab goes to labelled markers, never to bare
shapes, and a hover tooltip never covers an open popup."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    RERUN_TIMEOUT,
    map_frame,
    map_idle,
    open_dashboard,
    search_for,
    wait_until,
)

pytestmark = pytest.mark.browser

FOCUSED = """() => { const e = document.activeElement;
  return e ? [e.tagName.toLowerCase(), e.getAttribute('aria-label') || e.title || ''] : null; }"""


def test_tab_reaches_labelled_markers_and_no_bare_shape(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    frame.locator(".leaflet-container").focus()
    stops = []
    for _ in range(15):
        page.keyboard.press("Tab")
        stops.append(frame.evaluate(FOCUSED))
    on_map = [s for s in stops if s and s[0] in ("div", "path", "svg", "g")]
    assert on_map, f"Tab never reached the map's markers: {stops}"
    assert not [s for s in on_map if s[0] in ("path", "svg", "g")], (
        f"shapes take Tab before the markers: {stops}")
    unlabelled = [s for s in on_map if not s[1].strip()]
    assert not unlabelled, f"markers without a label for screen readers: {stops}"
    guard.assert_only_local()


def test_hover_tooltip_never_covers_an_open_popup(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    search_for(page, frame, "Taghaverd", 1)
    frame = map_frame(page)
    marker = frame.locator(".leaflet-marker-icon:not(.ev-cluster-icon)").first
    wait_until(lambda: marker.is_visible() and map_idle(frame), RERUN_TIMEOUT,
               "one marker on a still map")
    marker.hover(force=True)  # no scrolling: the page keeps its place, like a person's pointer
    tooltip = frame.locator(".leaflet-tooltip:not(.ev-place-label):not(.ev-arrow-label)")
    wait_until(lambda: tooltip.count() > 0, RERUN_TIMEOUT, "the hover tooltip")
    marker.click(force=True)
    frame.locator(".leaflet-popup-content").wait_for(state="visible")
    wait_until(lambda: tooltip.count() == 0, RERUN_TIMEOUT,
               "the tooltip to give way to the popup")
    frame.locator(".leaflet-control-zoom-in").hover(force=True)  # away from the marker
    marker.hover(force=True)  # and back: the tooltip would open over the popup
    wait_until(lambda: marker.evaluate("e => e.matches(':hover')"), RERUN_TIMEOUT,
               "the pointer back on the marker")
    assert frame.locator(".leaflet-popup-content").is_visible()
    # A closed tooltip fades out for 0.2 s; one opened over the popup would stay.
    wait_until(lambda: tooltip.count() == 0, 3, "the hover tooltip to stay off the popup")
    assert frame.locator(".leaflet-popup-content").is_visible()
    guard.assert_only_local()

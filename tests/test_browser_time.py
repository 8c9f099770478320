"""Time in a real browser: playback redraws the map in place, the chart sets the dates.

Debian's Chromium driven by Playwright against a real server, as in ``test_browser``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.browser_support import (
    MAP_IFRAME,
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    map_frame,
    map_idle,
    metric_count,
    open_dashboard,
    settled_ids,
    wait_until,
)

pytestmark = pytest.mark.browser

STATUS = "[role=status]"  # the large current date of playback


# Records (date shown, events on the map) in window.__steps at every change of the page or
# of the map's frame.
RECORD_STEPS = """() => {
  window.__steps = [];
  const observed = new Set();
  const record = () => {
    const status = document.querySelector('[role=status]');
    const frame = document.querySelector('iframe[src*="streamlit_folium"]');
    const win = frame && frame.contentWindow;
    if (win && win.document && win.document.body && !observed.has(win.document)) {
      observed.add(win.document);
      new MutationObserver(record).observe(win.document.body,
        {subtree: true, childList: true, characterData: true, attributes: true});
    }
    const ids = win && typeof win.dashboardEventIds === 'function' && win.map
      ? win.dashboardEventIds() : null;
    if (!status || !ids) { return; }
    const entry = [status.innerText.trim(), ids.length];
    const last = window.__steps[window.__steps.length - 1];
    if (!last || last[0] !== entry[0] || last[1] !== entry[1]) { window.__steps.push(entry); }
  };
  new MutationObserver(record).observe(document.body,
    {subtree: true, childList: true, characterData: true});
  record();
}"""


def _zoom(frame: Any) -> float:
    return frame.evaluate("() => window.map.getZoom()")


def _range_caption(page: Any) -> tuple[date, date]:
    """The date range the page says it shows (the caption beside "Events shown")."""
    text = page.get_by_text(re.compile(r"\d\d \w\w\w \d{4} – \d\d \w\w\w \d{4} ·")).first
    first, last = re.findall(r"\d\d \w\w\w \d{4}", text.inner_text(timeout=2000))[:2]
    return (datetime.strptime(first, "%d %b %Y").date(),
            datetime.strptime(last, "%d %b %Y").date())


def _zoom_in(page: Any, frame: Any) -> float:
    """Zoom the map in one level as a user would, mark its window, wait for the app to know."""
    wait_until(lambda: map_idle(frame), PAGE_TIMEOUT, "the map to stop moving")
    zoom = _zoom(frame) + 1
    frame.evaluate("z => { window.map.setZoom(z, {animate: false}); window.__sentinel = 1; }",
                   zoom)
    wait_until(lambda: _zoom(frame) == zoom and map_idle(frame), 10, f"zoom {zoom}")
    wait_until(lambda: page.evaluate("() => location.search").endswith(f"%2C{zoom:g}"),
               RERUN_TIMEOUT, f"the URL to carry the new zoom {zoom:g}")
    return zoom


def test_play_redraws_the_map_in_place_step_by_step(page, server, guard):
    frame, everything = open_dashboard(page, server.url)
    page.get_by_role("button", name="Exodus", exact=True).click()
    exodus = settled_ids(page, frame, lambda ids: ids != everything,
                         "the Exodus preset to change the events on the map")
    first, last = _range_caption(page)
    page.get_by_text("Skip steps in which no event starts").click()  # every day a step
    page.get_by_test_id("stSelectbox").filter(has_text="Speed").click()
    page.get_by_role("option", name="Slow · 2 s").click()  # time to see every step
    speed = page.get_by_test_id("stSelectbox").filter(has_text="Speed").locator("input")
    wait_until(lambda: speed.input_value() == "Slow · 2 s", RERUN_TIMEOUT, "the slow speed")
    # The app knows the new zoom only after a rerun later than the one taking the speed.
    zoom = _zoom_in(page, frame)
    center = frame.evaluate("() => window.map.getCenter()")

    # The page records every change of the date shown and of the map's events itself, so a
    # busy test process polling late misses nothing.
    page.evaluate(RECORD_STEPS)
    page.get_by_role("button", name="▶ Play").click()
    page.get_by_role("button", name="⏸ Pause").wait_for(timeout=RERUN_TIMEOUT * 1000)
    try:
        wait_until(lambda: page.get_by_role("button", name="▶ Play").count() == 1, 90,
                   "playback to end")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; steps seen: {page.evaluate('() => window.__steps')}"
                             ) from None
    seen = [tuple(step) for step in page.evaluate("() => window.__steps")]

    days = [f"{d.day} {d:%b %Y}" for d in
            (first + timedelta(days=i) for i in range((last - first).days + 1))]
    labels = list(dict.fromkeys(label for label, _ in seen))
    assert labels == days, (
        f"playback should go through every day of {first}..{last} in order: {seen}")
    counts = {count for _, count in seen}
    assert len(counts) >= 2, f"the number of events drawn never changed during play: {seen}"
    assert all(0 < count <= len(exodus) for count in counts), seen
    assert page.locator(MAP_IFRAME).count() == 1
    current = map_frame(page)
    assert current.evaluate("() => window.__sentinel") == 1, (
        "the map iframe was reloaded during playback: the map was remounted")
    assert _zoom(current) == zoom, "playback reset the zoom the user chose"
    assert current.evaluate("() => window.map.getCenter()") == pytest.approx(center)

    page.get_by_role("button", name="Show all").click()
    # The last step may already draw every event of the range: wait for the date to go,
    # the sign that Show all has been applied, before comparing the map.
    wait_until(lambda: page.locator(STATUS).count() == 0, RERUN_TIMEOUT,
               "Show all to remove the playback date")
    settled_ids(page, current, lambda ids: ids == exodus,
                "Show all to bring back every event of the range")
    assert page.get_by_role("button", name="Show all").is_disabled()
    guard.assert_only_local()


def test_dragging_across_the_timeline_sets_the_date_range(page, server, guard):
    frame, everything = open_dashboard(page, server.url)
    before = _range_caption(page)
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    # The plot area of the bars: the largest background of the chart's views.
    x, y, width, height = chart.evaluate("""el => {
        const boxes = Array.from(el.querySelectorAll('path.background'))
            .map(p => p.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
        const r = boxes.reduce((a, b) => a.width * a.height >= b.width * b.height ? a : b);
        return [r.x, r.y, r.width, r.height]; }""")
    assert x + width <= chart.bounding_box()["x"] + chart.bounding_box()["width"] + 1, (
        "the chart is wider than its place on the page: its last days are cut off")
    page.mouse.move(x + 0.80 * width, y + height / 2)
    page.mouse.down()
    page.mouse.move(x + 0.99 * width, y + height / 2, steps=8)
    page.mouse.up()

    after = wait_until(lambda: _range_caption(page) != before and _range_caption(page),
                       RERUN_TIMEOUT, "the dragged interval to become the date range")
    assert before[0] < after[0] < after[1] <= before[1], (
        f"the range {after} is not a part of {before} from its last fifth")
    ids = settled_ids(page, frame, lambda ids: ids != everything,
                      "the map to show the events of the dragged interval")
    assert 0 < len(ids) < len(everything) and set(ids) <= set(everything)
    assert metric_count(page) == len(ids)
    guard.assert_only_local()

"""Vaguely dated events in a real browser: drawn faded, said so in the legend, switchable.

Debian's Chromium driven by Playwright against a real server, as in ``test_browser``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser_support import (
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    open_dashboard,
    settled_ids,
    wait_until,
)
from tests.test_app import OPENING
from tests.test_app_precision import file_counts

pytestmark = pytest.mark.browser

# Each event marker's icon class, clustered or not (a cluster holds its markers as layers).
ICON_CLASSES = """() => {
  const found = {};
  function walk(layer) {
    const p = layer.feature && layer.feature.properties;
    if (p && p.kind === 'marker' && layer.options.icon) {
      found[p.event_id] = layer.options.icon.options.className;
    }
    if (layer.eachLayer && layer !== window.map) { layer.eachLayer(walk); }
  }
  window.map.eachLayer(walk);
  return found;
}"""


def icon_style(frame: Any, event_id: str) -> dict[str, str]:
    """Open the event's marker (spreading its cluster) and read its drawn look."""
    frame.evaluate("id => window.dashboardOpenEvent(id)", event_id)
    icon = frame.locator(f'.ev-marker[data-event-id="{event_id}"]')
    icon.wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    return icon.evaluate("""el => {
        const g = getComputedStyle(el.querySelector('svg g'));
        return {cls: el.className, fill: g.fillOpacity, dash: g.strokeDasharray}; }""")


def test_vaguely_dated_markers_look_different_and_the_switch_hides_them(page, server, guard):
    frame, ids = open_dashboard(page, server.url)
    day, rough, ranged = file_counts(*OPENING)
    vague = rough | ranged
    assert set(ids) == day | vague and rough, "the page opens on 2022-2023 with both kinds"
    classes = wait_until(lambda: frame.evaluate(ICON_CLASSES), PAGE_TIMEOUT, "the markers")
    faded = {i for i, c in classes.items() if "ev-imprecise" in c.split()}
    assert faded == vague, f"faded {sorted(faded)}, not dated to the day {sorted(vague)}"
    assert len(classes) == len(ids)

    legend = frame.locator(".ev-legend").text_content()
    assert "date known only to the month or year" in legend

    switch = page.get_by_test_id("stCheckbox").filter(has_text="Precisely dated only")
    switch.click()
    shown = settled_ids(page, frame, lambda now: set(now) == day,
                        "the switch to leave only the events dated to the day")
    assert len(shown) == len(day)
    wait_until(lambda: "precise=1" in page.evaluate("() => location.search"), RERUN_TIMEOUT,
               "the URL to carry the switch")
    classes = frame.evaluate(ICON_CLASSES)
    assert not [i for i, c in classes.items() if "ev-imprecise" in c]
    switch.click()
    settled_ids(page, frame, lambda now: set(now) == set(ids), "every event back")

    faint = icon_style(frame, sorted(rough)[0])
    precise = icon_style(frame, sorted(day)[0])
    assert "ev-imprecise" in faint["cls"] and "ev-imprecise" not in precise["cls"]
    assert float(faint["fill"]) < 0.5 <= float(precise["fill"]), (faint, precise)
    assert faint["dash"] not in ("none", "") and precise["dash"] in ("none", ""), (
        faint, precise)
    guard.assert_only_local()

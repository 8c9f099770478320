"""A large generated dataset in a real browser: aggregates at first, single events after
zooming into one, popups on them, and nothing fetched from outside this machine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.generate import write_acled
from tests.browser_support import MAP_IFRAME, PAGE_TIMEOUT, RERUN_TIMEOUT, map_frame, wait_until
from tests.conftest import serve

pytestmark = pytest.mark.browser
EVENTS = 3000

AGGREGATES = """() => {
  const found = [];
  window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (p && p.kind === 'aggregate') { found.push(p.count); } });
  return found;
}"""
MARKERS = """() => {
  let n = 0;
  window.map.eachLayer(function walk(l) {
    const p = l.feature && l.feature.properties;
    if (p && (p.kind === 'marker' || p.kind === 'group')) { n += 1; }
    if (l.eachLayer && l !== window.map) { l.eachLayer(walk); } });
  return n;
}"""


@pytest.fixture(scope="module")
def big_server(tmp_path_factory) -> Iterator:
    path = write_acled(tmp_path_factory.mktemp("scale") / "acled.csv", EVENTS, seed=3)
    with serve(path) as running:
        yield running


def test_aggregates_first_single_events_after_zooming_in(page, big_server, guard):
    page.goto(big_server.url + "?from=2018-01-01&to=2024-12-31",
              timeout=PAGE_TIMEOUT * 1000)
    page.locator(MAP_IFRAME).wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    frame = map_frame(page)
    counts = wait_until(lambda: frame.evaluate("() => window.map ? 1 : 0")
                        and frame.evaluate(AGGREGATES), PAGE_TIMEOUT,
                        "the map to draw aggregates")
    assert sum(counts) == EVENTS, "every event is counted in one circle"
    assert frame.evaluate(MARKERS) == 0, "no single event is sent at this zoom"
    page.get_by_text(f"{EVENTS:,} events are shown as circles").wait_for()
    legend = wait_until(lambda: sum(frame.evaluate("""() => {
        const per = {};  // one count per layer (the legend may be drawn more than once)
        document.querySelectorAll('.ev-legend [data-count-for]').forEach(s => {
          per[s.dataset.countFor] = parseInt(s.textContent.replace(/[()]/g, ''), 10) || 0; });
        return Object.values(per); }""")) or None,
        PAGE_TIMEOUT, "the legend to count the circles' events")
    assert legend == EVENTS, "the legend counts every event in the circles, per layer"

    # A click on a circle zooms into its area.
    before = frame.evaluate("() => window.map.getZoom()")
    frame.evaluate("""() => { let best = null;
      window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.kind === 'aggregate' && (!best || p.count > best.feature.properties.count))
          { best = l; } });
      best.fire('click'); }""")
    wait_until(lambda: frame.evaluate("() => window.map.getZoom()") > before, RERUN_TIMEOUT,
               "the map to zoom into the clicked circle")

    # Zoom in on Yerevan, as a reader would: single events come back.
    frame.evaluate("() => { window.map.setView([40.18, 44.51], 13); }")
    wait_until(lambda: frame.evaluate(MARKERS) > 0, RERUN_TIMEOUT,
               "single events after zooming in on a town")
    assert frame.evaluate(AGGREGATES) == []
    frame.evaluate("""() => { let done = false;
      window.map.eachLayer(function walk(l) {
        const p = l.feature && l.feature.properties;
        if (!done && p && (p.kind === 'marker' || p.kind === 'group') && l.openPopup
            && l._map) { l.openPopup(); done = true; }
        if (l.eachLayer && l !== window.map) { l.eachLayer(walk); } }); }""")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    assert "ACLED" in popup.inner_text()
    guard.assert_only_local()

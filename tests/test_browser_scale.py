"""A large generated dataset in a real browser: aggregates at first, single events after
zooming into one, popups on them, and nothing fetched from outside this machine.

At 3,000 events and at 100,000 (one server per size, shared by the module's tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.browser import NO_LIMITS
from bench.generate import write_acled
from tests.browser_support import (
    MAP_IFRAME,
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    StreamlitServer,
    map_frame,
    map_idle,
    wait_until,
)
from tests.conftest import serve

pytestmark = pytest.mark.browser
SIZES = (3000, 100_000)
# Nakhchivan: the generator's smallest town, so few enough events to draw one by one there.
TOWN = (39.2089, 45.4122)
OPEN_ONE = """() => {  // a single event's popup (a marker's, not a group's), opened if shut
  const shown = document.querySelector('.leaflet-popup-content');
  if (shown && shown.innerText.trim()) { return shown.innerText; }
  let done = false;
  window.map.eachLayer(function walk(l) {
    const p = l.feature && l.feature.properties;
    if (!done && p && p.kind === 'marker' && l.openPopup && l._map) {
      l.openPopup(); done = true; }
    if (l.eachLayer && l !== window.map) { l.eachLayer(walk); } });
  return null; }"""


@dataclass(frozen=True)
class Scale:
    """A server on ``events`` generated events, and how long its page may take."""

    events: int
    server: StreamlitServer
    slow: float  # the timeouts' factor: 100,000 events load and rerun slower

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


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}-events")
def scale(request, tmp_path_factory) -> Iterator[Scale]:
    events = request.param
    path: Path = (request.getfixturevalue("acled_100k") if events == 100_000 else
                  write_acled(tmp_path_factory.mktemp("scale") / "acled.csv", events, seed=3))
    with pytest.MonkeyPatch.context() as env:
        for name, value in NO_LIMITS.items():  # a file larger than uploads may be
            env.setenv(name, value)
        with serve(path) as running:
            yield Scale(events, running, slow=1.0 if events < 10_000 else 10.0)


def test_aggregates_first_single_events_after_zooming_in(page, scale, guard):
    total, load, rerun = scale.events, PAGE_TIMEOUT * scale.slow, RERUN_TIMEOUT * scale.slow
    page.set_default_timeout(load * 1000)
    page.goto(scale.server.url + "?from=2018-01-01&to=2024-12-31", timeout=load * 1000)
    page.locator(MAP_IFRAME).wait_for(state="visible", timeout=load * 1000)
    frame = map_frame(page)
    counts = wait_until(lambda: frame.evaluate("() => window.map ? 1 : 0")
                        and frame.evaluate(AGGREGATES), load, "the map to draw aggregates")
    assert sum(counts) == total, "every event is counted in one circle"
    assert frame.evaluate(MARKERS) == 0, "no single event is sent at this zoom"
    page.get_by_text(f"{total:,} events are shown as circles").wait_for()
    legend = wait_until(lambda: sum(frame.evaluate("""() => {
        const per = {};  // one count per layer (the legend may be drawn more than once)
        document.querySelectorAll('.ev-legend [data-count-for]').forEach(s => {
          per[s.dataset.countFor] = parseInt(s.textContent.replace(/[()]/g, ''), 10) || 0; });
        return Object.values(per); }""")) or None,
        load, "the legend to count the circles' events")
    assert legend == total, "the legend counts every event in the circles, per layer"

    # A click on a circle zooms into its area.
    before = frame.evaluate("() => window.map.getZoom()")
    frame.evaluate("""() => { let best = null;
      window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.kind === 'aggregate' && (!best || p.count > best.feature.properties.count))
          { best = l; } });
      best.fire('click'); }""")
    wait_until(lambda: frame.evaluate("() => window.map.getZoom()") > before, rerun,
               "the map to zoom into the clicked circle")

    # Zoom in on a town, as a reader would: single events come back. (Leaflet ignores a
    # new view while it still animates the last one.)
    wait_until(lambda: map_idle(frame), rerun, "the map to stop moving")
    frame.evaluate("town => { window.map.setView(town, 13, {animate: false}); }", list(TOWN))
    wait_until(lambda: frame.evaluate(MARKERS) > 0, rerun,
               "single events after zooming in on a town")
    assert frame.evaluate(AGGREGATES) == []
    # A rerun that brings the view's events replaces the layers (and an open popup): open
    # one once they are in, and again if a late rerun replaced them.
    opened = wait_until(lambda: frame.evaluate(OPEN_ONE), rerun, "a single event's popup")
    assert "ACLED" in opened
    guard.assert_only_local()

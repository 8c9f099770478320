"""Headless Chromium against the dashboard and against a naive folium app (the baseline,
:mod:`bench.naive_app`), on the same generated file in the same run: the time from a change
of the date range to the map's features redrawn, p50 and p95.

Each step drags the start of the sidebar's *Date range* slider to a new day, as a reader
would; every step's range differs from all before it, so nothing is served from a cache of
an earlier step. The page itself timestamps the pointer's release and every change of the
Leaflet panes in the map's frame (after the next animation frame: once drawn); a step ends
when the app has finished its run and the map has not changed for ``QUIET`` seconds.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.browser_support import (
    CHROMIUM,
    LAUNCH_ARGS,
    MAP_IFRAME,
    VIEWPORT,
    NetworkGuard,
    StreamlitServer,
    environment,
    metric_count,
)

STEPS = int(os.environ.get("BENCH_STEPS", "15"))
OPENING = (date(2023, 1, 1), date(2023, 12, 31))  # the range the page is opened on
QUIET = 1.0  # seconds without a change of the map after which a step counts as done
STEP_TIMEOUT = 120.0
LOAD_TIMEOUT = float(os.environ.get("BENCH_LOAD_TIMEOUT", "900"))
NAIVE_APP = Path(__file__).resolve().parent / "naive_app.py"
NAIVE_BUDGET = float(os.environ.get("BENCH_NAIVE_BUDGET", "240"))  # seconds of steps, ≥ 2 steps
# Files of any size and length: the benchmark's files are larger than an upload may be.
NO_LIMITS = {"DASHBOARD_MAX_UPLOAD_MB": "100000", "DASHBOARD_MAX_ROWS": "1000000000"}
PAINTED = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"

# Timestamps in the page (top window's clock): the pointer released on the slider, and the
# last change of the map's panes, taken after the frame that draws it.
INSTALL = """() => {
  if (window.__bench) { return; }
  const b = window.__bench = {t0: null, last: null, changes: 0, docs: new WeakSet()};
  document.addEventListener('pointerup', () => {
    b.t0 = performance.now(); b.last = null; b.changes = 0; }, true);
  b.attach = () => document.querySelectorAll('iframe[src*="streamlit_folium"]').forEach(f => {
    const w = f.contentWindow, d = w && w.document;
    if (!d || !d.body || b.docs.has(d)) { return; }
    b.docs.add(d);
    new w.MutationObserver(records => {
      if (!records.some(r => r.target.closest && r.target.closest('.leaflet-map-pane'))) {
        return; }
      b.changes += 1;
      w.requestAnimationFrame(() => setTimeout(() => { b.last = performance.now(); }, 0));
    }).observe(d.body, {subtree: true, childList: true});
  });
  b.attach();
}"""
STATE = """() => {
  const b = window.__bench; b.attach();
  const f = document.querySelector('iframe[src*="streamlit_folium"]');
  const w = f && f.contentWindow;
  const features = w && w.map ? Object.values(w.map._layers).filter(l => l.feature).length : 0;
  return {t0: b.t0, last: b.last, changes: b.changes, now: performance.now(), features,
          running: !!document.querySelector('[data-testid=stStatusWidget]')};
}"""


@dataclass
class Redraws:
    """What one app did in the browser: its first map and the redraws after each step."""

    app: str
    first_map: float | None = None  # seconds from opening the page to the first features
    times: list[float] = field(default_factory=list)  # seconds per step
    shown: list[int] = field(default_factory=list)  # the "Events shown" after each step
    problem: str = ""  # why it stopped early, or what it requested from outside
    failed_after: float = 0.0  # seconds the step that did not finish had run

    def percentile(self, share: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


class AppServer(StreamlitServer):
    """:class:`StreamlitServer` running ``script`` instead of the dashboard."""

    def __init__(self, events: Path, script: Path, timeout: float = 60.0):
        super().__init__(events, timeout=timeout)
        self.script = script

    def command(self) -> list[str]:
        return [str(self.script) if part == "dashboard/app.py" else part
                for part in super().command()]


def step_starts(count: int) -> list[date]:
    """The start of the range at each step: alternately about 20 and 10 months before the
    range's end, each step a little later than the one before, so no range repeats."""
    bases = (date(2022, 5, 1), date(2023, 3, 1))
    return [bases[i % 2] + timedelta(days=11 * i) for i in range(count)]


def available() -> str:
    """Empty when the browser measurement can run, else why not."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return ""


def _state(page: Any) -> dict[str, Any]:
    return page.evaluate(STATE)


def _settled(page: Any, timeout: float, what: str, need_change: bool = True) -> dict:
    """Wait until the run is over and the map has been still for ``QUIET`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        state = _state(page)
        drawn = state["changes"] > 0 and state["last"] is not None
        if ((drawn or not need_change) and not state["running"]
                and (not drawn or state["now"] - state["last"] > QUIET * 1000)):
            return state
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: nothing settled within {timeout:.0f} s")
        time.sleep(0.1)


def _drag_start(page: Any, day: date) -> None:
    """Drag the start thumb of the Date range slider to ``day`` (as near as a pixel gets)."""
    slider = page.get_by_test_id("stSlider").filter(has_text="Date range")
    start = slider.locator('input[aria-label$="start"]')
    end = slider.locator('input[aria-label$="end"]')
    low, high = float(start.get_attribute("min")), float(end.get_attribute("max"))
    thumb = start.locator("xpath=../..")
    box = thumb.bounding_box()
    track = thumb.locator("xpath=..").bounding_box()
    target = (day - date(1970, 1, 1)).days * 86_400e6  # the slider's unit: µs since 1970
    x = track["x"] + track["width"] * (target - low) / (high - low)
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(x, y, steps=4)
    page.mouse.up()


def measure(browser: Any, url: str, app: str, steps: list[date], budget: float = float("inf"),
            step_timeout: float = STEP_TIMEOUT) -> Redraws:
    """Open ``url`` on :data:`OPENING`, wait for the map, then move the range's start to
    each of ``steps``; no new step after ``budget`` seconds of steps (two at least)."""
    result = Redraws(app)
    guard = NetworkGuard()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    guard.attach(page)
    try:
        opened = time.monotonic()
        page.goto(f"{url}?from={OPENING[0]}&to={OPENING[1]}", timeout=LOAD_TIMEOUT * 1000)
        page.locator(MAP_IFRAME).wait_for(state="attached", timeout=LOAD_TIMEOUT * 1000)
        page.evaluate(INSTALL)
        deadline = opened + LOAD_TIMEOUT
        while not _state(page)["features"]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no map within {LOAD_TIMEOUT:.0f} s")
            time.sleep(0.1)
        page.locator(MAP_IFRAME).element_handle().content_frame().evaluate(PAINTED)
        result.first_map = time.monotonic() - opened
        _settled(page, LOAD_TIMEOUT, "the first map", need_change=False)
        begun = moved = time.monotonic()
        for number, day in enumerate(steps, 1):
            if number > 2 and time.monotonic() - begun > budget:
                break
            moved = time.monotonic()
            _drag_start(page, day)
            state = _settled(page, step_timeout, f"step {number}")
            result.times.append((state["last"] - state["t0"]) / 1000)
            result.shown.append(metric_count(page) or 0)
    except Exception as exc:  # a timeout or a page that broke: say it, keep what was measured
        result.problem = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        if result.first_map is not None:
            result.failed_after = time.monotonic() - moved
    finally:
        context.close()
    external = guard.external()
    if external:
        result.problem += f" requested {len(external)} non-local URL(s), e.g. {external[0]}"
    return result


def run_app(events: Path, tmp: Path, naive: bool, steps: list[date], **options: float
            ) -> Redraws:
    """Serve the dashboard (or a copy of the naive app in ``tmp``) on ``events`` and measure
    it in a fresh headless Chromium (``options`` go to :func:`measure`)."""
    from playwright.sync_api import sync_playwright

    script = None
    if naive:
        folder = tmp / "naive"
        folder.mkdir(exist_ok=True)
        script = Path(shutil.copy(NAIVE_APP, folder / "app.py"))
    server = AppServer(events, script) if script else StreamlitServer(events)
    # NO_LIMITS is read by the server started now.
    with environment(**NO_LIMITS), server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=LAUNCH_ARGS)
        try:
            return measure(browser, server.url, "naive" if naive else "ours", steps,
                           **options)
        finally:
            browser.close()


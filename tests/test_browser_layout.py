"""The first screen on a phone and a desktop: the map is in it, fitted to the events' region.

A journalist opening the dashboard at 390x844 or 1400x1000 sees the map without scrolling,
with the study area (the events' extent) filling most of it, and a layer list that does not
cover half a phone's map.
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.export.extent import in_study_area
from tests.browser_support import (
    MAP_IFRAME,
    PAGE_TIMEOUT,
    NetworkGuard,
    map_idle,
    open_dashboard,
    wait_until,
)

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 1000}}
MIN_SHARE = 0.6  # the region spans at least this share of the map's width or height


@pytest.fixture(params=list(SCREENS))
def sized(request, browser: Any) -> Any:
    """A page at the parameter's screen size, behind a network guard."""
    context = browser.new_context(viewport=SCREENS[request.param])
    context.set_default_timeout(PAGE_TIMEOUT * 1000)
    tab = context.new_page()
    guard = NetworkGuard().attach(tab)
    try:
        yield request.param, tab, guard
    finally:
        context.close()


def _region_on_screen(frame: Any, bundled) -> dict:
    """Pixel box of the shown events' markers in the study area, and the map's size."""
    points = zip(bundled.events.geometry.x, bundled.events.geometry.y, strict=True)
    near = [[lat, lon] for lon, lat in points if in_study_area(lon, lat)]
    return frame.evaluate("""points => {
        const xs = [], ys = [];
        points.forEach(p => { const c = window.map.latLngToContainerPoint(p);
                              xs.push(c.x); ys.push(c.y); });
        const size = window.map.getSize();
        return {left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys),
                bottom: Math.max(...ys), width: size.x, height: size.y};
    }""", near)


def test_map_is_in_the_first_screen_fitted_to_the_events(sized, server, bundled):
    name, page, guard = sized
    frame, _ = open_dashboard(page, server.url)
    wait_until(lambda: map_idle(frame), PAGE_TIMEOUT, "the map to stop moving")
    screen = SCREENS[name]
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box["y"] < screen["height"] * 0.4, (
        f"at {name} size the map starts {box['y']:.0f} px down a {screen['height']} px "
        f"screen: the reader must scroll to find it")
    region = _region_on_screen(frame, bundled)
    inside = (region["left"] >= 0 and region["top"] >= 0
              and region["right"] <= region["width"] and region["bottom"] <= region["height"])
    assert inside, f"some of the region's events are outside the first view: {region}"
    share = max((region["right"] - region["left"]) / region["width"],
                (region["bottom"] - region["top"]) / region["height"])
    assert share >= MIN_SHARE, (
        f"at {name} size the events' region fills only {share:.0%} of the map: {region}")
    control = frame.locator(".leaflet-control-layers")
    expanded = "leaflet-control-layers-expanded" in (control.get_attribute("class") or "")
    assert expanded == (name == "desktop"), (
        f"the layer list should be {'open' if name == 'desktop' else 'folded'} at {name} size")
    if name == "phone":
        folded = control.bounding_box()
        assert folded["width"] * folded["height"] < 0.05 * region["width"] * region["height"]
    guard.assert_only_local()

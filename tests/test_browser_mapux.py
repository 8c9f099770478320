"""Layers, places and selections in a real browser.

One layer switch (the sidebar's), one marker per place that opens the events there as a
list, cluster clicks that stop where their events separate, and table, map and story
selecting the same event.
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.story import CHAPTERS
from tests.browser_support import (
    MAP_IFRAME,
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    main_scroll,
    map_frame,
    map_idle,
    open_dashboard,
    settled_ids,
    wait_until,
)

pytestmark = pytest.mark.browser

POPUP = ".leaflet-popup-content"
SELECTED_CAPTION = "[data-testid=stCaptionContainer]:has-text('Selected:')"


def _idle(frame: Any) -> None:
    wait_until(lambda: map_idle(frame), RERUN_TIMEOUT, "the map to stop moving")


def _largest_group(frame: Any) -> Any:
    """The marker listing the most events (Nagorno-Karabakh's region-level events)."""
    counts = frame.evaluate("""() => [...document.querySelectorAll('.ev-group')]
        .map(e => e.dataset.eventIds.split(' ').length)""")
    assert counts, "no marker lists several events"
    return frame.locator(".ev-group").nth(counts.index(max(counts))), max(counts)


def test_layer_switcher_offers_no_event_layer(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    labels = frame.locator(".leaflet-control-layers label").all_inner_texts()
    assert [" ".join(t.split()) for t in labels] == [
        "Borders (offline vector map)", "OpenStreetMap (needs internet)", "Place names",
        "Heat map of events"]  # an overlay of the events shown, not a layer of them
    # The sidebar's check box is the layer switch: unticking it empties the map of the layer.
    political = frame.evaluate("""() => { const ids = new Set();
        function walk(l) { const p = l.feature && l.feature.properties;
            if (p && p.kind === 'marker' && p.category === 'political') ids.add(p.event_id);
            if (p && p.kind === 'group') p.categories.forEach((c, i) => {
                if (c === 'political') ids.add(p.event_ids[i]); });
            if (l.eachLayer && l !== window.map) l.eachLayer(walk); }
        window.map.eachLayer(walk); return [...ids]; }""")
    assert political
    before = settled_ids(page, frame, bool, "the map's events")
    label = page.get_by_test_id("stSidebar").get_by_text("Political (")
    assert label.inner_text().strip().endswith(f"({len(political)})")
    label.click()
    after = settled_ids(page, frame, lambda ids: len(ids) == len(before) - len(political),
                        "the political events to leave the map")
    assert not set(after) & set(political)
    legend = map_frame(page).locator(".ev-legend [data-count-for=political]")
    wait_until(lambda: legend.text_content() == "(0)", RERUN_TIMEOUT,
               "the legend to count no political event")
    guard.assert_only_local()


def test_region_events_open_as_one_list(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    _idle(frame)
    clusters = frame.locator(".ev-cluster-icon")
    if clusters.count():  # first spread the cluster holding the place
        zoom = frame.evaluate("() => window.map.getZoom()")
        texts = [int(t) for t in clusters.all_inner_texts()]
        cluster = clusters.nth(texts.index(max(texts)))
        split = frame.evaluate("""el => { let found = null;
            window.map.eachLayer(l => { if (l._icon === el) found = l; });
            let node = found; while (node._childClusters.length === 1 && !node._markers.length)
              node = node._childClusters[0];
            return node._zoom + 1; }""", cluster.element_handle())
        cluster.click()
        wait_until(lambda: frame.evaluate("() => window.map.getZoom()") != zoom and
                   map_idle(frame), RERUN_TIMEOUT, "the cluster click to zoom in")
        after = frame.evaluate("() => window.map.getZoom()")
        assert after <= split, (f"a cluster click zoomed to {after}, past zoom {split} where "
                                f"its events separate")
        assert frame.locator(".ev-marker:visible").count() >= 2, "nothing in view after zoom"
    group, count = _largest_group(frame)
    assert count >= 10
    group.click()
    popup = frame.locator(POPUP)
    popup.wait_for(state="visible", timeout=5000)
    items = popup.locator("details.ev-item")
    assert items.count() == count, "the popup does not list every event at the place"
    items.nth(1).locator("summary").click()
    assert "Source:" in items.nth(1).inner_text()
    guard.assert_only_local()


def test_open_event_expands_it_in_its_place_list(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    group, _ = _largest_group(frame)
    target = group.get_attribute("data-event-ids").split()[3]
    assert frame.evaluate("id => window.dashboardOpenEvent(id)", target)
    opened = frame.locator(f"{POPUP} details.ev-item[open]")
    wait_until(lambda: opened.count() == 1, RERUN_TIMEOUT, "the event expanded in the list")
    assert opened.get_attribute("data-event-id") == target
    guard.assert_only_local()


def test_marker_click_selects_the_event_and_story_events_open_on_the_map(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    _idle(frame)
    group, _ = _largest_group(frame)
    first = group.get_attribute("data-event-ids").split()
    scrolled = main_scroll(page)
    group.click()
    caption = page.locator(SELECTED_CAPTION)
    caption.wait_for(timeout=RERUN_TIMEOUT * 1000)
    assert any(f"({i})" in caption.inner_text() for i in first)
    assert map_frame(page).locator(POPUP).is_visible(), "the list closed after the click"
    assert main_scroll(page) == scrolled

    # A chapter moves the map to all of its events, Moscow and Berlin included.
    for chapter in CHAPTERS[:4]:
        page.get_by_role("button", name="Next ▶").click()
        wait_until(lambda c=chapter: f"chapter={c.id}" in page.evaluate("() => location.search"),
                   RERUN_TIMEOUT,
                   f"chapter {chapter.id} to be shown")
    frame = map_frame(page)
    wait_until(lambda: frame.evaluate("""() => window.map.getBounds()
        .contains([[52.52, 13.4], [55.75, 37.62]])"""), RERUN_TIMEOUT,
               "chapter 4 to fit Berlin and Moscow into the map")
    key = page.locator("[class*=st-key-key_event_] button").filter(
        has_text="Zakharova: the Russian mission")
    key.click()
    popup = frame.locator(f"{POPUP} details.ev-item[open], {POPUP} .ev-popup")
    wait_until(lambda: "the Russian mission was told" in " ".join(popup.all_inner_texts()),
               RERUN_TIMEOUT,
               "the key event's popup on the map")
    wait_until(lambda: "the Russian mission" in page.locator(SELECTED_CAPTION).inner_text(),
               RERUN_TIMEOUT, "the key event named as selected")
    assert page.locator(MAP_IFRAME).count() == 1
    wait_until(lambda: map_idle(frame), PAGE_TIMEOUT, "the map to stop moving")
    guard.assert_only_local()


def test_table_row_opens_its_event_on_the_map(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    grid = page.get_by_test_id("stDataFrame")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_height = 35  # the header row, then one row each; the first column selects the row
    page.mouse.click(box["x"] + 15, box["y"] + row_height * 4 + row_height / 2)
    caption = page.locator(SELECTED_CAPTION)
    caption.wait_for(timeout=RERUN_TIMEOUT * 1000)
    frame = map_frame(page)
    event_id = wait_until(lambda: frame.evaluate("""() => {
        const popup = document.querySelector('.leaflet-popup-content');
        if (!popup) return null;
        const item = popup.querySelector('details.ev-item[open]');
        if (item) return item.dataset.eventId;  // expanded in its place's list
        const single = popup.querySelector(':scope > .ev-popup');
        return single ? single.dataset.eventId : null; }"""),
        RERUN_TIMEOUT, "the row's event to open on the map")
    assert f"({event_id})" in caption.inner_text(), (
        f"the map opened {event_id}, the page names {caption.inner_text()!r}")
    assert page.locator(MAP_IFRAME).count() == 1
    guard.assert_only_local()

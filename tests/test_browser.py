"""The dashboard in a real browser: Debian's Chromium driven by Playwright, a real server.

What a user would notice: the map draws every shown event without internet, presets change
the events without resetting the map's view, markers open popups with their source (by
mouse and by keyboard), and text from the events file never runs as script. Every test
also fails if the page asked for anything but the local server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser_support import (
    EVENTS_CSV,
    MAP_IFRAME,
    PAGE_TIMEOUT,
    REPO_ROOT,
    RERUN_TIMEOUT,
    SCREENSHOT,
    blank_tiles,
    broken_image_handled,
    document_of,
    event_ids,
    main_scroll,
    map_frame,
    map_idle,
    metric_count,
    open_dashboard,
    painted,
    place_names,
    places,
    read_events,
    rows_matching,
    search_for,
    settled_ids,
    squash,
    wait_until,
    write_events,
)
from tests.conftest import serve

pytestmark = pytest.mark.browser

POPUP = ".leaflet-popup-content"
# Queries that leave one event each: a place-name variant (Taghaverd is Taghavard) and a
# village. The tests check against events.csv that they still match exactly one row.
POPUP_QUERY = "Taghaverd"
KEYBOARD_QUERY = "Taghavard"
XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _zoom(frame: Any) -> float:
    return frame.evaluate("() => window.map.getZoom()")


def _only_row(query: str, rows: list[dict[str, str]] | None = None) -> dict[str, str]:
    matches = rows_matching(read_events() if rows is None else rows, query)
    assert len(matches) == 1, (f"the test needs a query that matches exactly one row of "
                               f"events.csv; {query!r} matches "
                               f"{[r['event_id'] for r in matches]}")
    return matches[0]


def _click_single_marker(frame: Any, event_id: str) -> Any:
    """Click the one visible event marker (not a cluster) and return the open popup."""
    marker = frame.locator(".ev-marker")
    wait_until(lambda: marker.count() == 1 and marker.is_visible(), RERUN_TIMEOUT,
               "exactly one visible .ev-marker on the map")
    assert frame.locator(".ev-cluster-icon").count() == 0, "a cluster is drawn for one event"
    assert marker.get_attribute("data-event-id") == event_id
    wait_until(lambda: map_idle(frame), RERUN_TIMEOUT, "the map to stop moving")
    page = frame.page
    scrolled = main_scroll(page)
    marker.click()
    popup = frame.locator(POPUP)
    try:
        popup.wait_for(state="visible", timeout=5000)
    except Exception:
        jump = main_scroll(page) - scrolled
        raise AssertionError(
            f"clicking the marker of {event_id} did not open its popup"
            + (f"; the page scrolled {jump:.0f} px between mouse down and up, so the click "
               f"was lost (Leaflet focuses the map container on mousedown without "
               f"preventScroll)" if jump else "")) from None
    return popup


def test_network_guard_catches_external_requests(page, server, guard):
    """The guard itself: requests to other hosts, from the page and the map iframe, are
    recorded and aborted (so no test can pass while the map quietly uses a CDN)."""
    frame, _ = open_dashboard(page, server.url)
    assert guard.external() == [], f"requests before the probes: {guard.external()}"

    fetched = frame.evaluate("""() => fetch('https://example.org/x')
        .then(() => 'loaded', error => 'failed: ' + error)""")
    assert fetched.startswith("failed"), f"fetch from the map iframe was not aborted: {fetched}"
    image = frame.evaluate("""() => new Promise(resolve => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('failed');
        img.src = 'http://203.0.113.7/pixel.png';
    })""")
    assert image == "failed", "an image from another host loaded in the map iframe"
    top = page.evaluate("""() => fetch('https://example.org/top')
        .then(() => 'loaded', error => 'failed: ' + error)""")
    assert top.startswith("failed"), f"fetch from the page was not aborted: {top}"

    probes = ["https://example.org/x", "http://203.0.113.7/pixel.png",
              "https://example.org/top"]
    assert sorted(guard.blocked) == sorted(probes), f"aborted: {guard.blocked}"
    assert sorted(guard.external()) == sorted(probes), f"recorded: {guard.external()}"
    with pytest.raises(AssertionError, match=r"example\.org"):
        guard.assert_only_local()
    assert guard.websockets, "no websocket to the Streamlit server was seen"


def test_map_renders_all_events_offline(page, server, guard, tmp_path: Path):
    frame, ids = open_dashboard(page, server.url)
    rows = read_events()
    assert len(ids) == metric_count(page), "map and 'Events shown' metric disagree"
    assert set(ids) <= {r["event_id"] for r in rows}, (
        f"the map draws ids not in events.csv: {set(ids) - {r['event_id'] for r in rows}}")
    assert page.locator(MAP_IFRAME).count() == 1
    assert frame.locator(".leaflet-container").is_visible(), "no visible Leaflet map"
    drawn = frame.locator(".ev-marker:visible, .ev-cluster-icon:visible")
    assert drawn.count() >= 1, "no visible event marker or cluster on the map"
    vendored = [u for u in guard.requests if "/app/static/vendor/" in u]
    assert any(u.endswith("leaflet.js") for u in vendored), (
        f"Leaflet was not loaded from the local static route: {vendored}")

    wait_until(lambda: map_idle(frame), PAGE_TIMEOUT, "the map to stop moving")
    # Markers, clusters and labels painted in the map and the page.
    wait_until(lambda: painted(frame) and painted(page), PAGE_TIMEOUT, "the page to paint")
    # `make screenshot` updates the README's picture; a test run never touches it.
    shot = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "page.png"
    shot.parent.mkdir(parents=True, exist_ok=True)

    def complete_screenshot() -> bool:  # Chromium may not have rasterised every tile yet
        page.screenshot(path=str(shot), full_page=True)
        return not blank_tiles(page, shot)

    try:
        wait_until(complete_screenshot, 10, "a screenshot without blank tiles", interval=0.5)
    except AssertionError:
        raise AssertionError(f"{shot} is incomplete: Chromium left tiles blank at "
                             f"{blank_tiles(page, shot)} (raise "
                             f"--force-gpu-mem-available-mb in LAUNCH_ARGS)") from None
    guard.assert_only_local()


def test_date_preset_changes_features_without_remount(page, server, guard):
    frame, before = open_dashboard(page, server.url)
    wait_until(lambda: map_idle(frame), PAGE_TIMEOUT, "the map to stop moving")
    zoom = _zoom(frame) + 1
    frame.evaluate("z => { window.map.setZoom(z, {animate: false}); window.__sentinel = 1; }",
                   zoom)
    wait_until(lambda: _zoom(frame) == zoom and map_idle(frame), 10, f"zoom {zoom}")
    center = frame.evaluate("() => window.map.getCenter()")
    # The map reports its new view to the app (for the URL and snapshots of the view).
    wait_until(lambda: page.evaluate("() => location.search").endswith(f"%2C{zoom:g}"),
               RERUN_TIMEOUT, f"the URL to carry the new zoom {zoom:g}")

    page.get_by_role("button", name="Offensive", exact=True).click()
    after = settled_ids(page, frame, lambda ids: ids != before,
                        "the Offensive preset to change the events on the map")

    assert 0 < len(after) < len(before), (
        f"Offensive (19-20 Sept 2023) should show fewer events than everything: "
        f"{len(after)} vs {len(before)}")
    assert set(after) <= set(before)
    assert len(after) == metric_count(page)
    assert page.locator(MAP_IFRAME).count() == 1
    current = map_frame(page)
    assert current.evaluate("() => window.__sentinel") == 1, (
        "the map iframe was reloaded (its window lost the sentinel): the map was remounted")
    assert _zoom(current) == zoom, "the zoom the user chose was reset: the map was remounted"
    assert current.evaluate("() => window.map.getCenter()") == pytest.approx(center)
    guard.assert_only_local()


def test_popup_shows_source(page, server, guard):
    row = _only_row(POPUP_QUERY)
    frame, _ = open_dashboard(page, server.url)
    assert search_for(page, frame, POPUP_QUERY, 1) == [row["event_id"]]

    popup = _click_single_marker(frame, row["event_id"])
    text = squash(popup.inner_text())
    source = squash(popup.locator(".ev-source").inner_text())
    assert source.startswith("Source:"), f"no 'Source:' line in the popup: {text}"
    document = document_of(row)
    for part in ("short_name", "title", "author"):
        assert document[part].casefold() in source.casefold(), (
            f"the citation's {part} is missing: {source}")
    assert ".txt" not in source, f"the popup cites a file name, not the document: {source}"
    if row["source_ref"]:
        assert row["source_ref"] in source, f"footnote {row['source_ref']} missing: {source}"
    quote = squash(popup.locator(".ev-quote").inner_text())
    assert squash(row["quote"]) in quote, f"quote {row['quote']!r} missing: {quote}"
    assert squash(row["title"]) in text
    place = places()[row["place_id"]]
    for name in place_names(place):
        assert name in text, f"place name variant {name!r} missing from the popup: {text}"
    assert POPUP_QUERY in text

    link = popup.get_by_role("link", name="Read the source text")
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    with page.context.expect_page() as opened:
        link.click()
    reader = opened.value
    reader.wait_for_load_state()
    body = squash(reader.locator("body").inner_text())
    expected = (REPO_ROOT / "sources" / document["file"]).read_text(encoding="utf-8")
    assert squash(expected)[:300] in body, f"the source text did not open: {body[:300]!r}"
    assert row["quote"] in body
    assert urlsplit(reader.url).hostname == "127.0.0.1", reader.url
    guard.assert_only_local()


def test_keyboard_opens_popup(page, server, guard):
    row = _only_row(KEYBOARD_QUERY)
    frame, _ = open_dashboard(page, server.url)
    assert search_for(page, frame, KEYBOARD_QUERY, 1) == [row["event_id"]]
    marker = frame.locator(".ev-marker")
    wait_until(lambda: marker.count() == 1 and marker.is_visible(), RERUN_TIMEOUT,
               "exactly one visible .ev-marker on the map")
    assert frame.locator(POPUP).count() == 0

    def marker_focused() -> bool:
        return frame.evaluate("""() => document.hasFocus()
            && document.activeElement.classList.contains('ev-marker')""")

    page.get_by_role("heading", level=1).click()  # start from the top of the page
    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if marker_focused():
            break
        visited.append(page.evaluate("""() => { const a = document.activeElement;
            return a.tagName + ' ' + (a.getAttribute('aria-label') || ''); }"""))
    else:
        pytest.fail(f"40 presses of Tab never reached the event marker; focus went to "
                    f"{visited}")
    assert frame.evaluate("() => document.activeElement.dataset.eventId") == row["event_id"]

    page.keyboard.press("Enter")
    popup = frame.locator(POPUP)
    popup.wait_for(state="visible", timeout=5000)
    assert squash(row["title"]) in squash(popup.inner_text())
    assert "Source:" in popup.inner_text()
    guard.assert_only_local()


def test_no_script_from_data_runs(page, guard, tmp_path: Path):
    """Markup in the events file is shown as text in tooltips and popups, never run."""
    rows = read_events()
    target = _only_row(KEYBOARD_QUERY, rows)
    target["title"] = f"{XSS} {target['title']}"
    target["description"] = XSS
    events = write_events(tmp_path / "events.csv", rows)
    assert _only_row(KEYBOARD_QUERY, rows) is target

    with serve(events) as hostile:
        frame, _ = open_dashboard(page, hostile.url)
        assert search_for(page, frame, KEYBOARD_QUERY, 1) == [target["event_id"]]
        marker = frame.locator(".ev-marker")
        wait_until(lambda: marker.count() == 1 and marker.is_visible(), RERUN_TIMEOUT,
                   "exactly one visible .ev-marker on the map")
        marker.hover()
        tooltip = frame.locator(".leaflet-tooltip", has_text="window.__pwned")
        tooltip.wait_for(state="visible", timeout=5000)
        assert "<script>window.__pwned=2</script>" in tooltip.inner_text()

        popup = _click_single_marker(frame, target["event_id"])
        text = popup.inner_text()
        assert "<script>window.__pwned=2</script>" in text, f"markup not shown as text: {text}"
        assert '<img src=x onerror="window.__pwned=1">' in text
        assert popup.locator("img, script").count() == 0, "markup from the data became HTML"
        assert wait_until(lambda: broken_image_handled(frame), 5, "an image error handler")
        assert frame.evaluate("() => typeof window.__pwned") == "undefined", (
            "script from the events file ran in the map iframe")
        assert page.evaluate("() => typeof window.__pwned") == "undefined", (
            "script from the events file ran in the page")
        assert event_ids(frame) == [target["event_id"]]
        guard.assert_only_local()


def test_source_text_opens_under_a_base_url_path(page, guard):
    """Behind a reverse proxy at /nk/ the map, its assets and the source texts still load."""
    row = _only_row(POPUP_QUERY)
    with serve(EVENTS_CSV, base_path="nk") as proxied:
        frame, _ = open_dashboard(page, proxied.url)
        assert search_for(page, frame, POPUP_QUERY, 1) == [row["event_id"]]
        frame = map_frame(page)
        assert frame.evaluate("id => window.dashboardOpenEvent(id)", row["event_id"])
        link = frame.locator(POPUP).get_by_role("link", name="Read the source text")
        link.wait_for(timeout=RERUN_TIMEOUT * 1000)
        with page.context.expect_page() as opened:
            link.click()
        reader = opened.value
        reader.wait_for_load_state()
        assert urlsplit(reader.url).path.startswith("/nk/app/static/"), reader.url
        body = squash(reader.locator("body").inner_text())
        assert squash(row["quote"]) in body, f"the source text did not open: {body[:200]!r}"
    guard.assert_only_local()

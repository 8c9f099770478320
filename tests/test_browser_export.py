"""The exported page in Debian's Chromium with no network: it draws every event."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.export import snapshot
from dashboard.filters import FilterState, apply_filters
from tests.browser_support import PAGE_TIMEOUT, REPO_ROOT, wait_until

pytestmark = pytest.mark.browser
STATE = FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 9, 28),
                    regions=("nagorno_karabakh", "syunik"))


def test_exported_page_renders_offline_with_every_event(page, guard, bundled,
                                                         tmp_path: Path):
    path = tmp_path / "snapshot.html"
    path.write_bytes(snapshot(bundled, STATE, "html"))
    expected = sorted(apply_filters(bundled.events, STATE)["event_id"])
    page.goto(path.as_uri())
    wait_until(lambda: page.evaluate("() => typeof window.dashboardEventIds === 'function'"),
               PAGE_TIMEOUT, "the map script to run")
    assert page.evaluate("() => window.dashboardEventIds()") == expected
    assert page.locator(".leaflet-container").is_visible()
    assert page.locator(".ev-page-header h1").inner_text().startswith("Events 19 Sep 2023")
    # An arrow opens its event's popup, via the marker (spread out of its cluster if need be).
    arrow = apply_filters(bundled.events, STATE).query("drawn_as == 'arrow'")
    if len(arrow):
        opened = page.evaluate(f"() => window.dashboardOpenEvent({arrow.iloc[0]['event_id']!r})")
        assert opened
        popup = page.locator(".leaflet-popup-content")
        wait_until(lambda: popup.count() == 1, PAGE_TIMEOUT, "the arrow's popup")
        assert "Source:" in popup.inner_text()
    guard.assert_only_local()


def test_shared_url_restores_filters_and_view(page, server, guard, bundled):
    from tests.browser_support import open_dashboard

    state = FilterState(date_from=date(2023, 9, 24), date_to=date(2023, 9, 28),
                        categories=("displacement", "civilian_harm"))
    query = ("?from=2023-09-24&to=2023-09-28&layer=displacement&layer=civilian_harm"
             "&view=39.6,46.5,9")
    frame, ids = open_dashboard(page, server.url + query)
    assert ids == sorted(apply_filters(bundled.events, state)["event_id"])
    assert frame.evaluate("() => window.map.getZoom()") == 9
    center = frame.evaluate("() => window.map.getCenter()")
    assert (center["lat"], center["lng"]) == pytest.approx((39.6, 46.5), abs=1e-3)
    guard.assert_only_local()


def test_exported_page_opens_the_source_text_without_a_server(page, guard, bundled,
                                                             tmp_path: Path):
    path = tmp_path / "snapshot.html"
    path.write_bytes(snapshot(bundled, STATE, "html"))
    event = apply_filters(bundled.events, STATE).iloc[0]
    document = json.loads((REPO_ROOT / "sources" / "sources.json").read_text(encoding="utf-8"))
    [entry] = [s for s in document["sources"] if s["file"] in event["source"]]
    page.goto(path.as_uri())
    wait_until(lambda: page.evaluate("() => typeof window.dashboardOpenEvent === 'function'"),
               PAGE_TIMEOUT, "the map script to run")
    assert page.evaluate(f"() => window.dashboardOpenEvent({event['event_id']!r})")
    popup = page.locator(".leaflet-popup-content")
    wait_until(lambda: popup.count() == 1, PAGE_TIMEOUT, "the event's popup")
    assert entry["short_name"] in popup.inner_text()
    with page.context.expect_page() as opened:
        popup.get_by_role("link", name="Read the source text").click()
    reader = opened.value
    reader.wait_for_load_state()
    text = (REPO_ROOT / "sources" / entry["file"]).read_text(encoding="utf-8")
    assert " ".join(text.split())[:300] in " ".join(reader.locator("body").inner_text().split())
    guard.assert_only_local()


def test_one_click_downloads_the_shown_events(page, server, guard):
    from tests.browser_support import download_csv, metric_count, open_dashboard

    _, ids = open_dashboard(page, server.url)
    name, rows = download_csv(page)
    assert name.endswith(".csv")
    assert sorted(r["event_id"] for r in rows) == sorted(ids)
    assert len(rows) == metric_count(page)
    guard.assert_only_local()


AGGREGATE_COUNTS = """() => {
  const found = [];  // the circles on the map (a group's layers are the map's too)
  window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (p && p.kind === 'aggregate') { found.push(p.count); } });
  return found;
}"""


def test_exported_page_of_many_events_shows_sums_that_divide_on_zooming(page, guard, geodata,
                                                                        tmp_path: Path):
    from bench.generate import write_acled
    from dashboard.importing import load_path

    data = load_path(write_acled(tmp_path / "acled.csv", 3000, seed=3), geodata)
    path = tmp_path / "snapshot.html"
    path.write_bytes(snapshot(data, FilterState(), "html"))
    page.goto(path.as_uri())
    wait_until(lambda: page.evaluate("() => typeof window.dashboardEventIds === 'function'"),
               PAGE_TIMEOUT, "the map script to run")
    page.evaluate("() => { window.map = Object.values(window).find("
                  "v => v instanceof L.Map); }")
    first = wait_until(lambda: page.evaluate(AGGREGATE_COUNTS), PAGE_TIMEOUT, "the circles")
    assert sum(first) == 3000, "every event is counted once, in one circle"
    assert page.evaluate("() => window.dashboardEventIds()") == []
    assert "3,000 events are shown as circles" in page.locator(".ev-page-header").inner_text()
    page.evaluate("() => { window.map.setZoom(window.map.getZoom() + 2, {animate: false}); }")
    deeper = wait_until(lambda: (lambda c: c if len(c) > len(first) else None)(
        page.evaluate(AGGREGATE_COUNTS)), PAGE_TIMEOUT, "smaller circles after zooming in")
    assert sum(deeper) == 3000
    guard.assert_only_local()

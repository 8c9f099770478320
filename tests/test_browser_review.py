"""Adding a report in a real browser: upload it, accept two candidates in the table, see
them as markers with popups; place an unknown town by clicking the map."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    EVENTS_CSV,
    MAP_IFRAME,
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    event_ids,
    map_frame,
    metric_count,
    open_dashboard,
    settled_ids,
    wait_until,
)
from tests.conftest import serve

pytestmark = pytest.mark.browser
REPORT = ("On 19 September 2023 shelling in Stepanakert killed 27 people, officials said. "
          "The next day, 3 civilians were injured in Shusha. <script>window.__pwned=1</script>")
ROW_HEIGHT = 35  # Streamlit's data editor: header and rows
UNKNOWN = "On 19 September 2023 shelling in Kvarzhenik killed 2 people, officials said."
SAVED_AT = re.compile(r"saved at (-?[\d.]+), (-?[\d.]+), where the map was clicked")


def _choose(page: Any, grid: Any, row: int, value: str) -> None:
    """Set the decision (the first column) of ``row`` as a user does: open, type, Enter."""
    grid.evaluate("grid => grid.scrollIntoView({block: 'center'})")  # whole, not a sliver
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    x, y = box["x"] + 40, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2
    page.mouse.click(x, y)  # the first click selects the cell
    page.wait_for_timeout(300)
    page.mouse.dblclick(x, y)  # this opens its list
    page.wait_for_timeout(300)
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def _upload(page: Any, path: Path) -> Any:
    """Open the "Add a report" section, give a citation and upload ``path``; the section."""
    page.get_by_text("Add a report: review its events onto the map").click()
    page.get_by_label("Citation").fill("Test report, 2023")
    page.get_by_label("Citation").press("Enter")
    section = page.get_by_test_id("stExpander").filter(has_text="Add a report")
    section.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    section.locator(".report-text").wait_for(timeout=PAGE_TIMEOUT * 1000)
    return section


def test_an_uploaded_report_reaches_the_map(page, guard, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_WORKING_DIR", str(tmp_path / "work"))
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    with serve(EVENTS_CSV) as server:
        frame, before = open_dashboard(page, server.url)
        section = _upload(page, report)
        text = section.locator(".report-text")
        assert "<script>window.__pwned=1</script>" in text.inner_text()
        assert text.locator("mark.place").count() >= 2
        grid = section.get_by_test_id("stDataFrame")
        grid.wait_for(timeout=PAGE_TIMEOUT * 1000)
        _choose(page, grid, 0, "accept")
        _choose(page, grid, 1, "accept")
        section.get_by_role("button", name="Save these decisions").click()
        page.get_by_text("2 accepted, 0 rejected.").wait_for(timeout=RERUN_TIMEOUT * 1000)
        ids = settled_ids(page, map_frame(page), lambda ids: len(ids) == len(before) + 2,
                          "the two accepted events on the map")
        added = sorted(set(ids) - set(before))
        assert len(added) == 2 and all(i.startswith("r") for i in added), added
        assert metric_count(page) == len(before) + 2
        frame = map_frame(page)
        for event_id in added:
            assert frame.evaluate("id => window.dashboardOpenEvent(id)", event_id)
            popup = frame.locator(".leaflet-popup-content")
            popup.wait_for(state="visible", timeout=10_000)
            assert "Test report, 2023" in popup.inner_text()
            frame.evaluate("() => { window.map.closePopup(); }")
            popup.wait_for(state="detached", timeout=10_000)
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert event_ids(frame)
    guard.assert_only_local()


def _placing_frame(page: Any, section: Any) -> tuple[Any, Any]:
    """The placing map's iframe (in the section) and its Frame, once its map is drawn."""
    iframe = section.locator(MAP_IFRAME)
    iframe.wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    frame = iframe.element_handle().content_frame()
    wait_until(lambda: frame.evaluate("() => !!(window.map && window.map._loaded)"),
               PAGE_TIMEOUT, "the placing map to be drawn")
    return iframe, frame


def test_an_unknown_town_placed_by_a_click_reaches_the_map(page, guard, tmp_path: Path,
                                                           monkeypatch):
    work = tmp_path / "work"
    monkeypatch.setenv("DASHBOARD_WORKING_DIR", str(work))
    report = tmp_path / "report.txt"
    report.write_text(UNKNOWN, encoding="utf-8")
    with serve(EVENTS_CSV) as server:
        _, before = open_dashboard(page, server.url)
        section = _upload(page, report)
        iframe, frame = _placing_frame(page, section)
        assert page.locator(MAP_IFRAME).count() == 2  # the main map and the placing map
        iframe.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box = iframe.bounding_box()
        # A point right of and above the centre, clear of the controls in the corners.
        x, y = round(box["width"] * 0.6), round(box["height"] * 0.4)
        expected, step = frame.evaluate("""([x, y]) => {
            const rect = window.map.getContainer().getBoundingClientRect();
            const at = (dx) => window.map.containerPointToLatLng(
                [x - rect.left + dx, y - rect.top]);
            const here = at(0), next = at(3);
            return [[here.lat, here.lng], Math.abs(next.lng - here.lng)];
        }""", [x, y])
        page.mouse.click(box["x"] + x, box["y"] + y)
        said = section.get_by_text(SAVED_AT)
        said.wait_for(timeout=RERUN_TIMEOUT * 1000)
        lat, lon = (float(v) for v in SAVED_AT.search(said.inner_text()).groups())
        assert abs(lat - expected[0]) < step and abs(lon - expected[1]) < step, (lat, lon)
        # The clicked point is drawn on the placing map, and the map was not reloaded.
        drawn = wait_until(lambda: frame.evaluate("""() => (window.feature_group || [])
            .flatMap(g => g.getLayers()).map(l => [l.getLatLng().lat, l.getLatLng().lng])"""),
            RERUN_TIMEOUT, "the clicked point drawn on the placing map")
        assert all(abs(a - lat) < 1e-4 and abs(b - lon) < 1e-4 for a, b in drawn), drawn
        section.get_by_label("Name", exact=True).fill("Kvarzhenik")
        section.get_by_label("Name", exact=True).press("Enter")
        page.wait_for_timeout(500)
        section.get_by_role("button", name="Add this place").click()
        section.get_by_text("Added Kvarzhenik as local:kvarzhenik").wait_for(
            timeout=RERUN_TIMEOUT * 1000)
        places = json.loads((work / "places.geojson").read_text(encoding="utf-8"))
        [feature] = [f for f in places["features"]
                     if f["properties"]["id"] == "local:kvarzhenik"]
        saved_lon, saved_lat = feature["geometry"]["coordinates"]
        assert abs(saved_lat - expected[0]) < step and abs(saved_lon - expected[1]) < step
        # The report is read again with the new place: its candidate names it; accept it.
        grid = section.get_by_test_id("stDataFrame")
        _choose(page, grid, 0, "accept")
        section.get_by_role("button", name="Save these decisions").click()
        page.get_by_text("1 accepted, 0 rejected.").wait_for(timeout=RERUN_TIMEOUT * 1000)
        ids = settled_ids(page, map_frame(page), lambda ids: len(ids) == len(before) + 1,
                          "the accepted event on the main map")
        [added] = sorted(set(ids) - set(before))
        main = map_frame(page)
        assert main.evaluate("id => window.dashboardOpenEvent(id)", added)
        popup = main.locator(".leaflet-popup-content")
        popup.wait_for(state="visible", timeout=10_000)
        assert "Kvarzhenik" in popup.inner_text()
        where = main.evaluate("() => { const p = window.map._popup.getLatLng();"
                              " return [p.lat, p.lng]; }")
        assert abs(where[0] - saved_lat) < 1e-4 and abs(where[1] - saved_lon) < 1e-4, where
    guard.assert_only_local()

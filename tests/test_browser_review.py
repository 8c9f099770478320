"""Adding a report in a real browser: upload it, accept two candidates in the table, see
them as markers with popups; place an unknown town by clicking the map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    EVENTS_CSV,
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    event_ids,
    map_frame,
    metric_count,
    open_dashboard,
    settled_ids,
)
from tests.conftest import serve

pytestmark = pytest.mark.browser
REPORT = ("On 19 September 2023 shelling in Stepanakert killed 27 people, officials said. "
          "The next day, 3 civilians were injured in Shusha. <script>window.__pwned=1</script>")
ROW_HEIGHT = 35  # Streamlit's data editor: header and rows


def _choose(page: Any, grid: Any, row: int, value: str) -> None:
    """Set the decision (the first column) of ``row`` as a user does: open, type, Enter."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    x, y = box["x"] + 40, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2
    page.mouse.click(x, y)  # the first click selects the cell
    page.wait_for_timeout(300)
    page.mouse.dblclick(x, y)  # this opens its list
    page.wait_for_timeout(300)
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def test_an_uploaded_report_reaches_the_map(page, guard, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_WORKING_DIR", str(tmp_path / "work"))
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    with serve(EVENTS_CSV) as server:
        frame, before = open_dashboard(page, server.url)
        page.get_by_text("Add a report: review its events onto the map").click()
        page.get_by_label("Citation").fill("Test report, 2023")
        page.get_by_label("Citation").press("Enter")
        section = page.get_by_test_id("stExpander").filter(has_text="Add a report")
        section.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
            str(report))
        text = section.locator(".report-text")
        text.wait_for(timeout=PAGE_TIMEOUT * 1000)
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

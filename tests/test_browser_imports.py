"""Uploading in a real browser: the file's events appear on the map, its markup stays text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.browser_support import (
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    broken_image_handled,
    event_ids,
    map_frame,
    open_dashboard,
    wait_until,
)

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def _ids(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def test_uploaded_files_show_on_the_map_and_their_markup_never_runs(page, server, guard):
    frame, bundled = open_dashboard(page, server.url)
    page.get_by_text("Your events: add files").click()
    files = [FIXTURES / "hostile_acled.csv", FIXTURES / "ged.csv"]
    page.get_by_test_id("stSidebarUserContent").locator(
        "[data-testid=stFileUploader] input[type=file]").set_input_files(
        [str(f) for f in files])
    hostile = _ids(files[0], "event_id_cnty")
    frame = map_frame(page)
    drawn = wait_until(lambda: (set(event_ids(map_frame(page)) or ()) >= hostile
                                and event_ids(map_frame(page))),
                       RERUN_TIMEOUT * 2, "the uploaded events to be drawn on the map")
    assert set(bundled) <= set(drawn), "the bundled events went missing after the upload"
    assert {"ged-1001", "ged-1002"} <= set(drawn)
    warning = page.get_by_text("rows of ged.csv were skipped")
    warning.wait_for(timeout=PAGE_TIMEOUT * 1000)  # its three broken rows are named

    frame = map_frame(page)
    target = sorted(hostile)[0]
    assert frame.evaluate("id => window.dashboardOpenEvent(id)", target)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=10_000)
    text = popup.inner_text()
    assert "<script>window.__pwned='script'</script>" in text, text
    assert popup.locator("img, script, svg").count() == 0, "markup from the file became HTML"
    assert popup.locator("a[href^='javascript']").count() == 0
    # An image error handler queued now runs after any the popup's markup could have made.
    assert wait_until(lambda: broken_image_handled(frame), 5, "an image error handler")
    assert frame.evaluate("() => typeof window.__pwned") == "undefined", (
        "script from the uploaded file ran in the map iframe")
    assert page.evaluate("() => typeof window.__pwned") == "undefined", (
        "script from the uploaded file ran in the page")
    guard.assert_only_local()

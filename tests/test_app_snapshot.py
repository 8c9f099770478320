"""The Snapshot panel through AppTest: one click downloads the file of the current filters."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT

APP = str(REPO_ROOT / "dashboard" / "app.py")
pytestmark = pytest.mark.app


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_EVENTS", str(DEFAULT_EVENTS))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def downloads(at: AppTest) -> list:
    return at.get("download_button")


def test_one_button_downloads_the_file_of_the_current_view(app):
    app.slider(key="dates").set_value((date(2023, 9, 24), date(2023, 9, 28))).run()
    app.selectbox(key="snap_format").set_value("csv").run()
    assert not app.exception and not app.error
    [button] = downloads(app)  # no "Prepare" step first
    assert "events_2023-09-24_2023-09-28.csv" in button.proto.label
    assert app.get("button") == [] or all(b.key != "snap_prepare" for b in app.button)


def test_the_button_follows_the_filters(app):
    app.selectbox(key="snap_format").set_value("geojson").run()
    [before] = downloads(app)
    app.slider(key="dates").set_value((date(2023, 9, 20), date(2023, 9, 21))).run()
    [after] = downloads(app)
    assert before.proto.label != after.proto.label
    assert "events_2023-09-20_2023-09-21.geojson" in after.proto.label


def test_a_time_lapse_that_cannot_be_made_says_why_before_the_click(app):
    app.slider(key="dates").set_value((date(2023, 9, 19), date(2023, 9, 28))).run()
    app.selectbox(key="snap_format").set_value("gif").run()
    assert len(downloads(app)) == 1
    app.slider(key="dates").set_value((date(2020, 1, 1), date(2023, 10, 3))).run()
    assert downloads(app) == []
    assert any("frames" in e.value for e in app.error)


def test_the_file_made_on_click_is_the_filtered_export(bundled):
    from dashboard.export import SnapshotOptions, snapshot
    from dashboard.filters import FilterState, apply_filters
    from dashboard.query import EmbeddedStore
    from dashboard.ui.snapshot import maker, shown_text

    state = FilterState(date_from=date(2023, 9, 24), date_to=date(2023, 9, 28))
    shown = EmbeddedStore(bundled.events).select(state)
    make = maker(bundled, state, shown, "csv", SnapshotOptions())
    assert make() == snapshot(bundled, state, "csv")
    # The page's selection and the filters pick the same events, in the same order.
    assert make() == snapshot(bundled, state, "csv", events=apply_filters(bundled.events, state))
    assert shown_text(1).startswith("1 event,") and shown_text(2).startswith("2 events,")

"""The Snapshot panel through AppTest: a file is prepared for the current filters."""

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


def test_prepare_offers_the_file_of_the_current_view(app):
    app.slider(key="dates").set_value((date(2023, 9, 24), date(2023, 9, 28))).run()
    app.selectbox(key="snap_format").set_value("csv").run()
    assert downloads(app) == []
    app.button(key="snap_prepare").click().run()
    assert not app.exception and not app.error
    [button] = downloads(app)
    assert "events_2023-09-24_2023-09-28.csv" in button.proto.label


def test_changing_a_filter_asks_to_prepare_again(app):
    app.selectbox(key="snap_format").set_value("geojson").run()
    app.button(key="snap_prepare").click().run()
    assert len(downloads(app)) == 1
    app.checkbox(key="category_political").uncheck().run()
    assert downloads(app) == []
    assert any("prepare it again" in c.value for c in app.caption)

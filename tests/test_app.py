"""The Streamlit app through AppTest: it runs, widgets change what is shown, errors are clear."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import FilterState, apply_filters
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from tests.conftest import row

APP = str(REPO_ROOT / "dashboard" / "app.py")
pytestmark = pytest.mark.app


def run_app(monkeypatch, events=DEFAULT_EVENTS, params: dict | None = None) -> AppTest:
    """Run the app on ``events``, as if opened from a URL with query ``params``."""
    monkeypatch.setenv("DASHBOARD_EVENTS", str(events))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> int:
    return int(at.metric[0].value)


@pytest.fixture
def app(monkeypatch) -> AppTest:
    return run_app(monkeypatch)


OPENING = (date(2022, 1, 1), date(2023, 12, 31))  # the years the documents' events fall in


def test_app_runs_and_opens_on_the_busy_years_with_everything_one_click_away(app, bundled):
    assert not app.error and not app.warning
    assert app.title[0].value.startswith("Nagorno-Karabakh")
    assert app.slider(key="dates").value == OPENING
    slider_min = date(1970, 1, 1) + timedelta(microseconds=app.slider(key="dates").min)
    assert slider_min == bundled.events["start"].min().date()  # the slider spans all the data
    in_opening = apply_filters(bundled.events, FilterState(*OPENING))
    assert shown(app) == len(in_opening) < len(bundled.events)
    assert len(in_opening) >= 0.8 * len(bundled.events)  # most of them
    app.button(key="period_everything").click().run()
    assert shown(app) == len(bundled.events)


def test_date_range_changes_the_count(app):
    before = shown(app)
    app.slider(key="dates").set_value((date(2023, 9, 19), date(2023, 9, 20))).run()
    assert 0 < shown(app) < before


def test_presets_set_the_date_range(app):
    app.button(key="period_offensive").click().run()
    assert app.slider(key="dates").value == (date(2023, 9, 19), date(2023, 9, 20))
    offensive = shown(app)
    app.button(key="period_everything").click().run()
    assert shown(app) > offensive


def test_exact_dates_drive_the_slider(app):
    app.date_input(key="exact_dates").set_value((date(2023, 9, 24), date(2023, 9, 28))).run()
    assert app.slider(key="dates").value == (date(2023, 9, 24), date(2023, 9, 28))


def test_region_changes_the_count(app, bundled):
    before = shown(app)
    app.multiselect(key="regions").set_value(["syunik"]).run()
    in_range = apply_filters(bundled.events, FilterState(*app.slider(key="dates").value))
    in_syunik = sum("syunik" in r for r in in_range["regions"])
    assert shown(app) == in_syunik < before


def test_category_checkbox_changes_the_count(app, bundled):
    before = shown(app)
    app.checkbox(key="category_political").uncheck().run()
    in_range = apply_filters(bundled.events, FilterState(*app.slider(key="dates").value))
    political = (in_range["category"] == "political").sum()
    assert shown(app) == before - political


def test_search_matches_name_variants(app, bundled):
    app.text_input(key="search").input("Stepanakert").run()
    by_name = shown(app)
    app.text_input(key="search").input("Khankendi").run()
    events = bundled.events
    at_stepanakert = events["place_id"] == "stepanakert"
    named = (events["title"] + " " + events["description"]).str.contains("Stepanakert")
    assert shown(app) == by_name == (at_stepanakert | named).sum() > at_stepanakert.sum()


def test_table_lists_the_shown_events_with_sources(app):
    app.text_input(key="search").input("Taghavard").run()
    table = app.dataframe[0].value
    assert len(table) == shown(app)
    assert table["Source"].str.contains("Document A").all()
    assert table["Quote"].str.len().gt(0).all()


def test_bad_rows_warn_and_the_rest_still_load(monkeypatch, events_file):
    path = events_file(row(event_id="good-1"), row(event_id="bad", date_start="2023-02-30"),
                       row(event_id="good-2", place_id="yerevan"),
                       row(event_id="bad-2", place_id="atlantis"))
    at = run_app(monkeypatch, path)
    assert shown(at) == 2
    warning = at.warning[0].value
    assert "2 of 4 rows" in warning and "lines 3, 5" in warning
    [details] = [e for e in at.expander if e.label.startswith("What is wrong")]
    listed = details.dataframe[0].value
    assert listed["line"].tolist() == [3, 5]
    assert listed["column"].tolist() == ["date_start", "place_id"]
    assert "atlantis" in listed["problem"].iloc[1]


def test_unreadable_file_is_an_error_message_not_a_traceback(monkeypatch, tmp_path):
    at = AppTest.from_file(APP, default_timeout=120)
    monkeypatch.setenv("DASHBOARD_EVENTS", str(tmp_path / "missing.csv"))
    at.run()
    assert not at.exception
    assert "could not be loaded" in at.error[0].value and "not found" in at.error[0].value


def test_filter_that_matches_nothing_still_renders(app):
    app.text_input(key="search").input("no such thing anywhere").run()
    assert shown(app) == 0 and not app.exception


def test_file_with_no_valid_row_shows_an_empty_map_and_says_why(monkeypatch, events_file):
    at = run_app(monkeypatch, events_file(row(category="nope")))
    assert shown(at) == 0
    assert "1 of 1 rows" in at.warning[0].value


def test_an_edited_events_file_is_reloaded(monkeypatch, events_file):
    """The cache is keyed on the file's modification time: an edit shows on the next run."""
    path = events_file(row(event_id="t-1"))
    at = run_app(monkeypatch, path)
    assert shown(at) == 1
    events_file(row(event_id="t-1"), row(event_id="t-2", title="Added later"))
    stamp = path.stat().st_mtime + 5
    os.utime(path, (stamp, stamp))  # a later modification time, whatever the clock's grain
    at.run()
    assert shown(at) == 2

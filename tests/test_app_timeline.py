"""The linked timeline through AppTest: it draws the shown events, a selection sets the dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import FilterState, apply_filters
from dashboard.timeline import displacement_reports, undated_counts, undated_note
from dashboard.ui.state import TIMELINE as KEY
from dashboard.ui.timeline_view import SELECTION
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app


def ms(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp() * 1000)


def chart_data(at: AppTest) -> list[pd.DataFrame]:
    """The charts' datasets (bars first, then the displacement reports), as sent."""
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas()
            for chart in at.get("vega_lite_chart") for d in chart.proto.datasets]


def select(at: AppTest, first: date, last: date) -> AppTest:
    """What the browser sends when an interval is dragged across the bars."""
    at.session_state[KEY] = {"selection": {SELECTION: {
        "utcyearmonthdate_date": [ms(first), ms(last)]}}}
    return at.run()


@pytest.fixture
def app(monkeypatch) -> AppTest:
    return run_app(monkeypatch)


def test_chart_carries_the_shown_day_precision_events(app, bundled):
    app.button(key="period_everything").click().run()  # the page opens on fewer years
    events = bundled.events
    bars, reports = chart_data(app)
    day_precise = events[events["date_precision"] == "day"]
    assert bars["count"].sum() == len(day_precise) > 0
    assert set(bars["category"]) == set(day_precise["category"])
    assert list(reports["event_id"]) == list(displacement_reports(events)["event_id"])
    found = events["date_precision"].value_counts().to_dict()
    assert undated_note(undated_counts(found), "month") in [c.value for c in app.caption]


@pytest.mark.parametrize(("dates", "unit", "bars"), [
    ((date(2023, 9, 19), date(2023, 9, 28)), "day", ["19 Sep 2023", "20 Sep 2023"]),
    ((date(2023, 1, 1), date(2023, 12, 31)), "week", ["17–23 Sep 2023", "24–30 Sep 2023"]),
    ((date(2020, 1, 1), date(2023, 12, 31)), "month", ["September 2020", "November 2020"]),
])
def test_bars_count_days_weeks_or_months_by_the_range(app, dates, unit, bars):
    app.slider(key="dates").set_value(dates).run()
    counts = chart_data(app)[0]
    assert list(dict.fromkeys(counts["bin"]))[:2] == bars
    assert f"in the {unit}" in " ".join(c.value for c in app.caption)


def test_chart_follows_the_filters(app, bundled):
    app.slider(key="dates").set_value((date(2023, 9, 19), date(2023, 9, 20))).run()
    state = FilterState(date(2023, 9, 19), date(2023, 9, 20))
    expected = apply_filters(bundled.events, state)
    expected = expected[(expected["date_precision"] == "day")
                        & (expected["start"] >= pd.Timestamp(state.date_from))]
    [bars] = chart_data(app)  # no crossing was reported on those days: no second chart
    assert bars["count"].sum() == len(expected) > 0
    assert "No report of people crossing" in " ".join(c.value for c in app.caption)


def test_selecting_an_interval_sets_the_date_range(app, bundled):
    first, last = date(2023, 9, 19), date(2023, 9, 22)
    select(app, first, last)
    assert not app.exception, app.exception
    assert app.slider(key="dates").value == (first, last)
    assert app.date_input(key="exact_dates").value == (first, last)
    expected = apply_filters(bundled.events, FilterState(date_from=first, date_to=last))
    assert shown(app) == len(expected) < len(bundled.events)


def test_selection_is_clipped_to_the_data_and_applied_once(app, bundled):
    select(app, date(2023, 9, 25), date(2030, 1, 1))
    span_end = bundled.events["end"].max().date()
    assert app.slider(key="dates").value == (date(2023, 9, 25), span_end)
    app.button(key="period_offensive").click().run()  # the chart still holds the selection
    assert app.slider(key="dates").value == (date(2023, 9, 19), date(2023, 9, 20))


def test_an_empty_selection_leaves_the_dates_alone(app):
    app.slider(key="dates").set_value((date(2023, 9, 19), date(2023, 9, 20))).run()
    app.session_state[KEY] = {"selection": {SELECTION: {}}}
    app.run()
    assert app.slider(key="dates").value == (date(2023, 9, 19), date(2023, 9, 20))

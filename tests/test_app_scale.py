"""The app on 100,000 generated events through AppTest: it loads, and the count, the timeline
and the table's first page follow a change of the date range."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench.browser import NO_LIMITS
from dashboard.ui.table import PAGE_ROWS
from tests.test_app import APP, shown
from tests.test_app_timeline import chart_data

pytestmark = pytest.mark.app
LOAD_TIMEOUT = 900  # seconds: a first import of 100,000 rows on a busy machine
WEEK = (date(2023, 9, 19), date(2023, 9, 28))


def expected(path, first: date, last: date) -> tuple[int, int, int]:
    """From the file itself: the events dated in the range (all shown), those dated within a
    month of it (shown at most: ACLED's week and month precisions widen a date), and those
    dated to the day in the range (the timeline's bars)."""
    rows = pd.read_csv(path, usecols=["event_date", "time_precision"], dtype=str)
    day = pd.to_datetime(rows["event_date"]).dt.date
    inside = (day >= first) & (day <= last)
    near = (day >= first - timedelta(days=31)) & (day <= last + timedelta(days=31))
    return int(inside.sum()), int(near.sum()), int((inside & (rows["time_precision"] == "1"))
                                                   .sum())


def table_total(at: AppTest) -> tuple[int, str]:
    """The rows of the table and its Download-all button's label."""
    [download] = [b for b in at.get("download_button")
                  if b.proto.label.startswith("Download all")]
    return len(at.dataframe[0].value), download.proto.label


def test_100k_events_load_and_answer_a_date_change(monkeypatch, acled_100k):
    for name, value in NO_LIMITS.items():  # a file larger than uploads may be
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DASHBOARD_EVENTS", str(acled_100k))
    at = AppTest.from_file(APP, default_timeout=LOAD_TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    at.button(key="period_everything").click().run()
    assert not at.exception, at.exception
    assert shown(at) == 100_000
    rows, label = table_total(at)
    assert rows == PAGE_ROWS and "100,000" in label
    assert f"Events 1–{PAGE_ROWS} of 100,000 shown, in date order" in " ".join(
        c.value for c in at.caption)
    [component] = at.get("component_instance")  # what the map is sent: at most a megabyte
    assert len(component.proto.json_args.encode()) <= 2**20
    assert "aggregate" in component.proto.json_args  # circles per area, not 100,000 events

    at.slider(key="dates").set_value(WEEK).run()
    assert not at.exception, at.exception
    inside, near, precise = expected(acled_100k, *WEEK)
    count = shown(at)
    assert inside <= count <= near < 100_000, "the count follows the dates"
    bars = chart_data(at)[0]
    assert bars["count"].sum() == precise > 0, "the timeline counts the range's days"
    assert "in the day" in " ".join(c.value for c in at.caption)
    rows, label = table_total(at)
    assert rows == min(count, PAGE_ROWS) and f"{count:,}" in label
    captions = " ".join(c.value for c in at.caption)
    assert f"Events 1–{PAGE_ROWS} of {count:,} shown, in date order" in captions
    pages = -(-count // PAGE_ROWS)  # the last page: the last events of the range
    [picker] = [n for n in at.number_input if n.label.startswith("Page")]
    picker.set_value(pages).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == count - (pages - 1) * PAGE_ROWS
    assert f"Events {(pages - 1) * PAGE_ROWS + 1:,}–{count:,} of {count:,}" in " ".join(
        c.value for c in at.caption)
    [component] = at.get("component_instance")
    assert len(component.proto.json_args.encode()) <= 2**20

"""The browser benchmark's pieces: its steps, the naive app's map, and one short run of each
app in Chromium (offline), so ``make bench`` does not rot. Speeds are never asserted."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from bench import naive
from bench.browser import OPENING, STEPS, Redraws, available, run_app, step_starts
from bench.browser_rows import naive_row, ours_rows
from bench.generate import write_acled
from tests.conftest import _unavailable


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_acled(tmp_path_factory.mktemp("bench") / "acled.csv", 2000, seed=9)


def test_every_step_asks_for_a_range_not_asked_before():
    starts = step_starts(STEPS)
    assert len(set(starts)) == len(starts) == STEPS
    assert all(date(2018, 1, 1) < day < OPENING[1] for day in starts)
    assert starts[0] < OPENING[0] < starts[1]  # alternately longer and shorter than the first


def test_the_naive_map_has_one_point_per_event_of_the_range(generated):
    events = naive.read_events(generated)
    shown = naive.in_window(events, *OPENING)
    assert 0 < len(shown) < len(events)
    features = naive.feature_collection(shown)["features"]
    assert len(features) == len(shown)
    first = features[0]
    assert first["geometry"]["coordinates"] == [shown["longitude"].iloc[0],
                                                shown["latitude"].iloc[0]]
    assert set(first["properties"]) == set(naive.POPUP_FIELDS)
    assert naive.payload_bytes(shown) == len(json.dumps(naive.feature_collection(shown)))


def test_the_table_says_the_targets_and_a_lower_bound_where_the_naive_app_gave_up():
    ours = Redraws("ours", first_map=9.0, times=[0.2, 0.3, 0.2, 0.2], shown=[1200, 900])
    [first, redraw] = ours_rows(ours, 10_000)
    assert first[2] == "9.0 s"
    assert redraw[2] == "0.20 s" and "p95 0.30 s over 4 steps" in redraw[3]
    assert "900–1,200 events in range" in redraw[3] and "target ≤ 0.25 s: met" in redraw[3]
    slow = Redraws("naive", first_map=30.0, times=[3.0, 5.0])
    assert "ours 20x faster (target ≥ 10x: met)" in naive_row(slow, ours, 100_000, 12.0)[3]
    crashed = Redraws("naive", first_map=300.0, problem="Error: Target crashed",
                      failed_after=100.0)
    row = naive_row(crashed, ours, 100_000, 20.0)
    assert row[2] == "> 100 s" and "ours >500x faster (target ≥ 10x: met)" in row[3]
    assert "Target crashed" in row[3]


@pytest.mark.browser
@pytest.mark.parametrize("is_naive", [False, True], ids=["dashboard", "naive"])
def test_both_apps_redraw_after_each_step_without_the_internet(generated, tmp_path, is_naive):
    if available():
        _unavailable(available())  # skipped, or failed where browser tests are required
    # Its own thread: the session's browser fixture, when an earlier test file started it,
    # holds this thread's event loop, where a second sync Playwright cannot start.
    with ThreadPoolExecutor(1) as worker:
        result = worker.submit(run_app, generated, tmp_path, is_naive, step_starts(2)).result()
    assert not result.problem, result.problem  # nothing timed out, nothing fetched outside
    assert result.first_map and len(result.times) == 2
    assert all(0 < t < 60 for t in result.times)
    assert result.shown[0] != result.shown[1], "the two ranges show different events"

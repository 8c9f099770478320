"""The browser benchmark's pieces: its steps, the naive app's map, and one short run of each
app in Chromium (offline), so ``make bench`` does not rot. Speeds are never asserted."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bench import naive
from bench.browser import OPENING, STEPS, available, run_app, step_starts
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


@pytest.mark.browser
@pytest.mark.parametrize("is_naive", [False, True], ids=["dashboard", "naive"])
def test_both_apps_redraw_after_each_step_without_the_internet(generated, tmp_path, is_naive):
    if available():
        _unavailable(available())  # skipped, or failed where browser tests are required
    result = run_app(generated, tmp_path, is_naive, step_starts(2))
    assert not result.problem, result.problem  # nothing timed out, nothing fetched outside
    assert result.first_map and len(result.times) == 2
    assert all(0 < t < 60 for t in result.times)
    assert result.shown[0] != result.shown[1], "the two ranges show different events"

"""Time-lapse GIF: one frame per step, events appearing on their day and staying."""

from __future__ import annotations

import io
from datetime import date
from itertools import pairwise

import numpy as np
import pytest
from PIL import Image, ImageSequence

from dashboard.export import ExportError, SnapshotOptions, snapshot, timelapse
from dashboard.filters import FilterState, apply_filters
from dashboard.playback import Frame, started_by, step_window
from dashboard.query import EmbeddedStore
from dashboard.schema import CATEGORIES
from tests.conftest import row

PERIOD = FilterState(date_from=date(2023, 9, 18), date_to=date(2023, 10, 2))  # 15 days
TINY = SnapshotOptions(width=480, height=340, dpi=60)
ROWS = (
    row(event_id="t-1", date_start="2023-09-19", place_id="stepanakert", category="military"),
    row(event_id="t-2", date_start="2023-09-22", place_id="yerevan", category="protest",
        event_type="protest"),
    row(event_id="t-3", date_start="2023-09-20", date_end="2023-09-24", place_id="goris",
        category="displacement", event_type="arrival"),
    row(event_id="t-4", date_start="2023-09-26", place_id="baku", category="political",
        event_type="statement"),
)


@pytest.fixture
def small(make_dataset):
    """A dataset of four events of the test's own, and the period's events."""
    data = make_dataset(*ROWS)
    return data, apply_filters(data.events, PERIOD)


def gif_frames(gif: bytes) -> list[np.ndarray]:
    picture = Image.open(io.BytesIO(gif))
    assert picture.format == "GIF"
    return [np.asarray(f.convert("RGB")).astype(int) for f in ImageSequence.Iterator(picture)]


def has_colour(pixels: np.ndarray, xy: tuple[int, int], colour: str, radius: int = 3) -> bool:
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    x, y = xy
    patch = pixels[y - radius:y + radius + 1, x - radius:x + radius + 1]
    return bool((np.abs(patch - target).max(axis=2) <= 40).any())


@pytest.mark.parametrize("step", [1, 3])
def test_one_frame_per_step_over_the_period(small, step):
    data, events = small
    options = SnapshotOptions(TINY.width, TINY.height, TINY.dpi, step_days=step, frame_ms=250)
    days = timelapse.frame_days(PERIOD, events, options)
    assert days[0] == PERIOD.date_from and days[-1] == PERIOD.date_to
    assert all(0 < (b - a).days <= step for a, b in pairwise(days))
    gif = snapshot(data, PERIOD, "gif", options)
    picture = Image.open(io.BytesIO(gif))
    assert picture.n_frames == len(days)
    assert picture.info["duration"] == 250 and picture.info["loop"] == 0
    assert picture.size == (TINY.width, TINY.height)


def test_events_accumulate_and_spans_stay_as_in_cumulative_playback(small):
    _, events = small
    days = timelapse.frame_days(PERIOD, events, TINY)
    shown = [set(started_by(events, day)["event_id"]) for day in days]
    assert all(a <= b for a, b in pairwise(shown))  # never removed, spans included
    assert len(shown[0]) < len(shown[-1]) == 4
    span = [day for day, s in zip(days, shown, strict=True) if "t-3" in s]
    assert span == [d for d in days if d >= date(2023, 9, 20)]  # after its end on the 24th too
    everything = EmbeddedStore(events).select(FilterState())  # as the page's playback asks
    played = [set(everything.overlapping(*step_window(Frame(day, day), "cumulative")).frame()[
        "event_id"]) for day in days]
    assert played == shown


def test_an_event_appears_on_its_day_and_not_the_day_before(small):
    data, events = small
    days = timelapse.frame_days(PERIOD, events, TINY)
    frames = gif_frames(snapshot(data, PERIOD, "gif", TINY))
    colour = CATEGORIES["military"].colour
    drawn = timelapse.Frames(data, PERIOD, events, TINY)
    day = date(2023, 9, 19)
    drawn.draw(day)
    where = drawn.map.marker_pixel("stepanakert", "military")
    index = days.index(day)
    assert has_colour(frames[index], where, colour)
    assert not has_colour(frames[index - 1], where, colour, radius=8)
    span_start, span_end = days.index(date(2023, 9, 20)), days.index(date(2023, 9, 24))
    drawn.draw(days[span_end])
    goris = drawn.map.marker_pixel("goris", "displacement")
    blue = CATEGORIES["displacement"].colour
    assert not has_colour(frames[span_start - 1], goris, blue, radius=8)
    assert all(has_colour(f, goris, blue) for f in frames[span_start:])  # stays after its end


def test_progress_is_reported_up_to_done(small):
    data, _ = small
    seen: list[float] = []
    snapshot(data, PERIOD, "gif", TINY, progress=lambda fraction, message: seen.append(fraction))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 15


def test_too_many_frames_or_no_period_raise_export_error(bundled, make_dataset):
    everything = FilterState()
    with pytest.raises(ExportError, match="larger step or a shorter period"):
        timelapse.frame_days(everything, bundled.events, TINY)
    with pytest.raises(ExportError, match="larger step"):
        snapshot(bundled, everything, "gif", TINY)
    nothing = FilterState(search="no event has this text")
    with pytest.raises(ExportError, match="no events"):
        snapshot(bundled, nothing, "gif", TINY)

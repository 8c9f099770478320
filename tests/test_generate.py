"""The synthetic ACLED generator behind the scale benchmarks: real columns, clustered
around real towns, bursty in time, and read by the ACLED importer without a bad row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.generate import BURSTS, COLUMNS, TOWNS, acled_frame, write_acled
from dashboard.importing import import_path
from tests.fixtures_imports import ACLED_COLUMNS


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_acled(tmp_path_factory.mktemp("gen") / "acled.csv", 3000, seed=7, chunk=1000)


def test_it_writes_acleds_columns_and_unique_ids(generated):
    frame = pd.read_csv(generated, dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(COLUMNS) == ACLED_COLUMNS
    assert len(frame) == 3000 and frame["event_id_cnty"].is_unique
    assert set(frame["event_id_cnty"].str[:3]) == {"ARM", "AZE"}


def test_every_row_imports_as_an_acled_event(generated, geodata):
    data = import_path(generated, geodata)
    assert data.format == "acled"
    assert len(data.events) == 3000 and not data.skipped
    assert set(data.events["category"]) >= {"military", "civilian_harm", "protest",
                                             "political"}


def test_events_cluster_around_real_towns():
    frame = acled_frame(5000, seed=1)
    lat, lon = frame["latitude"].astype(float), frame["longitude"].astype(float)
    towns = np.array([(t[4], t[5]) for t in TOWNS])
    nearest_km = np.min(np.hypot(lat.to_numpy()[:, None] - towns[:, 0],
                                 (lon.to_numpy()[:, None] - towns[:, 1]) * 0.77), axis=1) * 111
    assert np.median(nearest_km) < 5  # most points within a few km of a town
    assert frame["location"].value_counts().index[0] in {"Yerevan", "Khankendi"}


def test_events_come_in_bursts():
    days = pd.to_datetime(acled_frame(20_000, seed=2)["event_date"])
    first, last, share = BURSTS[3]  # the 2023 offensive and exodus: 14 of ~2,500 days
    inside = days.between(pd.Timestamp(first), pd.Timestamp(last)).mean()
    assert inside >= share * 0.9  # uniform days would put ~0.6% there


def test_the_same_seed_gives_the_same_file():
    assert acled_frame(500, seed=3).equals(acled_frame(500, seed=3))
    assert not acled_frame(500, seed=3).equals(acled_frame(500, seed=4))


def test_search_text_does_not_grow_with_the_number_of_points_named_alike(tmp_path, geodata):
    """Thousands of imported points named "Yerevan" each become a place; an event's search
    text still holds its own place's names once, not every such place's (n² before)."""
    small = import_path(write_acled(tmp_path / "small.csv", 300, seed=4), geodata)
    large = import_path(write_acled(tmp_path / "large.csv", 3000, seed=4), geodata)
    longest = [data.events["search_text"].str.len().max() for data in (small, large)]
    assert longest[1] < 2 * longest[0]
    yerevan = large.events[large.events["place_name"] == "Yerevan"]
    assert len(yerevan) > 100 and yerevan["search_text"].str.contains("yerevan").all()
    assert len(yerevan.iloc[0]["search_text"]) < 1000

"""Aggregates by zoom: counts add up, cells follow the zoom, the dominant layer and span."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.generate import acled_frame
from dashboard.aggregate import (
    CELL_PX,
    aggregate,
    cell_ids,
    cells_area,
    cells_in,
    needs_aggregates,
    world_pixels,
    zoom_for,
)
from dashboard.schema import CATEGORIES

ACLED_LAYER = {"Battles": "military", "Explosions/Remote violence": "military",
               "Violence against civilians": "civilian_harm", "Protests": "protest",
               "Riots": "protest", "Strategic developments": "political"}


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    raw = acled_frame(20_000, seed=5)
    day = pd.to_datetime(raw["event_date"])
    return pd.DataFrame({"lat": raw["latitude"].astype(float),
                         "lon": raw["longitude"].astype(float),
                         "category": raw["event_type"].map(ACLED_LAYER),
                         "start": day, "end": day})


@pytest.mark.parametrize("zoom", [3, 6, 8, 10, 13])
def test_counts_add_up_to_the_events(events, zoom):
    cells = aggregate(events, zoom)
    assert cells["count"].sum() == len(events)
    assert (cells[list(CATEGORIES)].sum(axis=1) == cells["count"]).all()
    assert cells[list(CATEGORIES)].sum().to_dict() == {
        c: int((events["category"] == c).sum()) for c in CATEGORIES}


def test_zooming_in_splits_cells(events):
    sizes = [len(aggregate(events, z)) for z in (4, 7, 10, 13)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert sizes[0] <= 10  # the whole region in a handful of symbols when zoomed out


@pytest.mark.parametrize("zoom", [5, 9, 14])
def test_cells_are_the_same_screen_size_at_every_zoom(zoom):
    lat, lon = np.array([40.0]), np.array([44.0])
    x, _ = world_pixels(lat, lon, zoom)
    step_lon = CELL_PX / (256 * 2 ** zoom) * 360  # one cell's width in degrees
    assert cell_ids(lat, lon, zoom) != cell_ids(lat, lon + step_lon, zoom)
    assert cell_ids(lat, lon, zoom) == cell_ids(lat, lon - (x % CELL_PX) * step_lon / CELL_PX
                                                + step_lon * 0.99, zoom)


@pytest.mark.parametrize(("zoom", "centre"), [(9, (39.8, 46.7)), (11, (40.18, 44.51)),
                                               (13, (39.51, 46.34)), (4, (40.0, 45.0))])
def test_a_map_zoomed_in_is_sent_the_cells_around_its_view(events, zoom, centre):
    """A map zoomed in is sent the cells around its view, whole, sized among all cells."""
    from dashboard.layers.aggregates import ROW, aggregate_rows

    lat, lon = centre
    half_lat, half_lon = 340 * 180 / (256 * 2 ** zoom), 500 * 360 / (256 * 2 ** zoom)
    view = (lat - half_lat, lon - half_lon, lat + half_lat, lon + half_lon)
    south, west, north, east = area = cells_area(view, zoom)
    # Half a view more on every side, in screen pixels (what a pan shows before the map is
    # redrawn).
    (vx0, vx1), (vy0, vy1) = world_pixels(np.array([view[2], view[0]]),
                                          np.array([view[1], view[3]]), zoom)
    (ax0, ax1), (ay0, ay1) = world_pixels(np.array([north, south]), np.array([west, east]),
                                          zoom)
    width, height = vx1 - vx0, vy1 - vy0
    assert ax0 <= vx0 - width / 2 + 1e-6 and ax1 >= vx1 + width / 2 - 1e-6
    assert ay0 <= vy0 - height / 2 + 1e-6 and ay1 >= vy1 + height / 2 - 1e-6
    every = aggregate(events, zoom)
    near = cells_in(every, area)
    assert near["lat"].between(south, north).all() and near["lon"].between(west, east).all()
    if zoom >= 11:  # the region's other cells stay behind
        assert len(near) < len(every)
    # A cell's circle is as large as when every cell is sent.
    radius = ROW.index("radius")
    sized = {(r[0], r[1]): r[radius] for r in aggregate_rows(every)}
    assert all(sized[(r[0], r[1])] == r[radius]
               for r in aggregate_rows(near, int(every["count"].max())))


def test_a_cell_knows_its_dominant_layer_span_and_bounds():
    day = pd.Timestamp
    events = pd.DataFrame({
        "lat": [40.18, 40.181, 40.182], "lon": [44.51, 44.511, 44.512],
        "category": ["protest", "protest", "military"],
        "start": [day("2023-09-19"), day("2023-09-21"), day("2023-09-20")],
        "end": [day("2023-09-19"), day("2023-09-22"), day("2023-09-20")]})
    [cell] = aggregate(events, 8).to_dict("records")
    assert cell["count"] == 3 and cell["protest"] == 2 and cell["military"] == 1
    assert cell["dominant"] == "protest"
    assert (cell["first"], cell["last"]) == (day("2023-09-19"), day("2023-09-22"))
    assert (cell["south"], cell["north"]) == (40.18, 40.182)
    assert cell["lat"] == pytest.approx(40.181)


def test_a_tie_goes_to_the_first_layer_of_the_legend():
    day = pd.Timestamp("2023-01-01")
    events = pd.DataFrame({"lat": [40.0, 40.0], "lon": [44.0, 44.0],
                           "category": ["protest", "military"], "start": day, "end": day})
    assert aggregate(events, 8)["dominant"].tolist() == ["military"]


def test_no_events_no_cells():
    empty = pd.DataFrame(columns=["lat", "lon", "category", "start", "end"])
    assert aggregate(empty, 8).empty


def test_the_threshold_switches_between_events_and_aggregates():
    assert not needs_aggregates(63)
    assert not needs_aggregates(2000)
    assert needs_aggregates(2001)


def test_the_whole_region_fits_at_a_zoom_that_shows_it():
    assert zoom_for((38.8, 44.0, 41.2, 50.0)) == 7
    assert zoom_for((40.15, 44.47, 40.21, 44.56)) > 10
    assert zoom_for((-80, -180, 80, 180)) <= 2


@pytest.fixture(scope="module")
def located():
    """Generated events with marker points, as the loaded events table holds them."""
    import geopandas as gpd

    raw = acled_frame(3000, seed=9)
    day = pd.to_datetime(raw["event_date"])
    frame = pd.DataFrame({"event_id": raw["event_id_cnty"],
                          "category": raw["event_type"].map(ACLED_LAYER),
                          "start": day, "end": day})
    points = gpd.points_from_xy(raw["longitude"].astype(float), raw["latitude"].astype(float))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def test_aggregate_rows_count_every_event_and_give_the_tooltips_text(located):
    from dashboard.layers.aggregates import ROW, aggregate_rows

    cells = aggregate(pd.DataFrame({"lat": located.geometry.y, "lon": located.geometry.x,
                                    "category": located["category"],
                                    "start": located["start"], "end": located["end"]}), 7)
    rows = [dict(zip(ROW, row, strict=False)) | {"counts": row[len(ROW):]}
            for row in aggregate_rows(cells)]
    assert len(rows) == len(cells)
    assert sum(r["count"] for r in rows) == len(located)
    biggest = max(rows, key=lambda r: r["count"])
    assert biggest["radius"] == 26 and sum(biggest["counts"]) == biggest["count"]
    layers = list(CATEGORIES)
    assert layers[biggest["dominant"]] == layers[max(range(len(layers)),
                                                     key=biggest["counts"].__getitem__)]
    assert biggest["span"] and "<" not in biggest["span"]  # the browser writes the tooltip
    south, west, north, east = (biggest[k] for k in ("south", "west", "north", "east"))
    assert south <= north and west <= east

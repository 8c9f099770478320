"""What each event draws: markers, routes by date, areas, arrows scaled by people."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from dashboard.dataset import combine
from dashboard.layers import event_store, layer_collections
from dashboard.layers.features import MAX_ARROW_WEIGHT, MIN_ARROW_WEIGHT, arrow_weight
from dashboard.layers.places import place_markers
from dashboard.schema import CATEGORIES
from tests.conftest import row

CROSSING = dict(place_id="hakari_bridge", category="displacement", event_type="crossing",
                origin_place_id="nagorno_karabakh", destination_place_id="syunik",
                figure_qualifier="about", claimed_by="someone")


def only(dataset):
    return dataset.events.iloc[0]


def shapes_of(data, category: str) -> list[dict]:
    """The map's features of the routes, areas and arrows of a layer."""
    return layer_collections(data.events, data.geodata.gazetteer)[category]["shapes"][
        "features"]


def test_the_events_table_holds_geometry_and_plain_data(bundled):
    events = bundled.events
    assert isinstance(events, gpd.GeoDataFrame) and events.geometry.name == "marker"
    assert (events.geom_type == "Point").all() and events.crs == "EPSG:4326"
    assert all(s is None or isinstance(s, BaseGeometry) for s in events["shape"])
    assert set(events["drawn_as"]) == {"point", "line", "area", "arrow"}
    for column in events.columns.drop(["marker", "shape"]):  # no GeoJSON, HTML or styles
        assert not any(isinstance(v, dict) for v in events[column]), column
        assert not events[column].astype(str).str.contains("<[a-z/!]", case=False).any(), \
            column


def test_every_event_is_a_record_and_on_a_marker(bundled):
    store = event_store(bundled.events, bundled.geodata.gazetteer)
    assert [r[0] for r in store.records] == list(bundled.events["event_id"])
    numbers = [n for m in place_markers(bundled.events)
               for n in (m[2] if isinstance(m[2], list) else [m[2]])]
    assert sorted(numbers) == list(range(len(bundled.events)))
    assert set(layer_collections(bundled.events, bundled.geodata.gazetteer)) == set(CATEGORIES)


def test_point_place_draws_only_a_marker(make_dataset, geodata):
    event = only(make_dataset(row()))
    assert event["drawn_as"] == "point" and event["shape"] is None
    assert (event["marker"].x, event["marker"].y) == pytest.approx(
        geodata.gazetteer["stepanakert"].anchor)


@pytest.mark.parametrize(("day", "route"), [("2021-03-01", "lachin_corridor_old"),
                                            ("2023-01-15", "lachin_corridor_new")])
def test_corridor_events_draw_the_route_in_use(make_dataset, geodata, day, route):
    data = make_dataset(row(place_id="lachin_corridor", date_start=day,
                            category="blockade", event_type="blockade"))
    event = only(data)
    assert event["drawn_as"] == "line" and event["shape_place"] == route
    assert event["shape"].equals_exact(geodata.gazetteer[route].geometry, 1e-5)
    [drawn] = shapes_of(data, "blockade")
    assert drawn["properties"]["place_id"] == route


def test_region_events_draw_the_area(make_dataset, geodata):
    event = only(make_dataset(row(place_id="syunik")))
    assert event["drawn_as"] == "area"
    assert event["shape"].equals_exact(geodata.gazetteer["syunik"].geometry, 1e-5)


def test_movements_follow_the_corridor_route_in_use(make_dataset, geodata):
    data = make_dataset(row(**CROSSING, displaced="3000"))
    event = only(data)
    assert event["drawn_as"] == "arrow"
    arrow = event["shape"]
    shaft = list(arrow.geoms[0].coords)
    route = list(geodata.gazetteer["lachin_corridor_new"].geometry.coords)
    bridge = geodata.gazetteer["hakari_bridge"].anchor
    # From Stepanakert along the new route (via Mets Shen) to the bridge, then into Syunik.
    assert shaft[: route.index(bridge) + 1] == [pytest.approx(p) for p in
                                               route[: route.index(bridge) + 1]]
    assert pytest.approx(geodata.gazetteer["mets_shen"].anchor) in shaft
    assert geodata.gazetteer["syunik"].geometry.contains(Point(shaft[-1]))
    assert len(arrow.geoms) == 3  # the shaft and two strokes of the head
    [drawn] = shapes_of(data, "displacement")
    assert drawn["properties"]["event_id"] == event["event_id"]


def test_movements_without_a_known_route_are_straight(make_dataset, geodata):
    event = only(make_dataset(row(**{**CROSSING, "place_id": "kalbajar"}, displaced="10")))
    shaft = list(event["shape"].geoms[0].coords)
    assert shaft[0] == pytest.approx(geodata.gazetteer["nagorno_karabakh"].anchor)
    assert shaft[1] == pytest.approx(geodata.gazetteer["kalbajar"].anchor)


def test_arrow_width_grows_with_people(make_dataset):
    data = make_dataset(row(**CROSSING, event_id="small", displaced="3000"),
                        row(**CROSSING, event_id="large", displaced="68000"))
    weights = {a["properties"]["event_id"]: a["properties"]["style"]["weight"]
               for a in shapes_of(data, "displacement")}
    assert weights["large"] == MAX_ARROW_WEIGHT
    assert MIN_ARROW_WEIGHT < weights["small"] < weights["large"]


def test_arrow_widths_are_scaled_across_combined_datasets(make_dataset):
    small = make_dataset(row(**CROSSING, event_id="small", displaced="3000"))
    large = make_dataset(row(**CROSSING, event_id="large", displaced="68000"))
    [alone] = shapes_of(small, "displacement")
    assert alone["properties"]["style"]["weight"] == MAX_ARROW_WEIGHT
    both = combine([small, large])
    weights = {a["properties"]["event_id"]: a["properties"]["style"]["weight"]
               for a in shapes_of(both, "displacement")}
    assert weights["large"] == MAX_ARROW_WEIGHT
    assert MIN_ARROW_WEIGHT < weights["small"] < MAX_ARROW_WEIGHT
    # A map of the small arrow alone keeps the scale of everything loaded.
    shown = both.events[both.events["event_id"] == "small"]
    [arrow] = layer_collections(shown, both.geodata.gazetteer)["displacement"]["shapes"][
        "features"]
    assert arrow["properties"]["style"]["weight"] == weights["small"]


@pytest.mark.parametrize(("people", "largest", "expected"),
                         [(None, 100, MIN_ARROW_WEIGHT), (100, 100, MAX_ARROW_WEIGHT),
                          (25, 100, MIN_ARROW_WEIGHT + 0.5 * (MAX_ARROW_WEIGHT -
                                                              MIN_ARROW_WEIGHT))])
def test_arrow_weight_is_by_square_root(people, largest, expected):
    assert arrow_weight(people, largest) == pytest.approx(expected)


def test_shared_routes_are_drawn_once_with_all_their_events(make_dataset):
    data = make_dataset(*(row(event_id=f"b{i}", place_id="lachin_corridor",
                              date_start="2023-01-0" + str(i), category="blockade",
                              event_type="blockade") for i in (1, 2, 3)))
    shapes = shapes_of(data, "blockade")
    assert len(shapes) == 1
    assert shapes[0]["properties"]["event_ids"] == ["b1", "b2", "b3"]


def test_widest_arrow_is_drawn_first(make_dataset):
    data = make_dataset(row(**CROSSING, event_id="small", displaced="3000"),
                        row(**CROSSING, event_id="large", displaced="68000"))
    arrows = shapes_of(data, "displacement")
    assert [a["properties"]["event_id"] for a in arrows] == ["large", "small"]

"""What each event draws: markers, routes by date, areas, arrows scaled by people."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from dashboard.layers import layer_collections
from dashboard.layers.features import MAX_ARROW_WEIGHT, MIN_ARROW_WEIGHT, arrow_weight
from dashboard.schema import CATEGORIES
from tests.conftest import row

CROSSING = dict(place_id="hakari_bridge", category="displacement", event_type="crossing",
                origin_place_id="nagorno_karabakh", destination_place_id="syunik",
                figure_qualifier="about", claimed_by="someone")


def only(dataset):
    return dataset.events.iloc[0]


def test_every_event_is_a_marker_feature_with_its_id(bundled):
    collections = layer_collections(bundled.events)
    marker_ids = [f["properties"]["event_id"] for c in collections.values()
                  for f in c["markers"]["features"]]
    assert sorted(marker_ids) == sorted(bundled.events["event_id"])
    assert set(collections) == set(CATEGORIES)


def test_point_place_draws_only_a_marker(make_dataset, geodata):
    event = only(make_dataset(row()))
    assert event["drawn_as"] == "point" and event["shape"] is None
    lon, lat = event["marker"]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx(geodata.gazetteer["stepanakert"].anchor)


@pytest.mark.parametrize(("day", "route"), [("2021-03-01", "lachin_corridor_old"),
                                            ("2023-01-15", "lachin_corridor_new")])
def test_corridor_events_draw_the_route_in_use(make_dataset, geodata, day, route):
    event = only(make_dataset(row(place_id="lachin_corridor", date_start=day,
                                  category="blockade", event_type="blockade")))
    assert event["drawn_as"] == "line"
    drawn = shape(event["shape"]["geometry"])
    assert drawn.equals_exact(geodata.gazetteer[route].geometry, 1e-5)
    assert event["shape"]["properties"]["place_id"] == route


def test_region_events_draw_the_area(make_dataset, geodata):
    event = only(make_dataset(row(place_id="syunik")))
    assert event["drawn_as"] == "area"
    assert shape(event["shape"]["geometry"]).equals_exact(
        geodata.gazetteer["syunik"].geometry, 1e-5)


def test_movements_follow_the_corridor_route_in_use(make_dataset, geodata):
    event = only(make_dataset(row(**CROSSING, displaced="3000")))
    assert event["drawn_as"] == "arrow"
    arrow = shape(event["shape"]["geometry"])
    shaft = list(arrow.geoms[0].coords)
    route = list(geodata.gazetteer["lachin_corridor_new"].geometry.coords)
    bridge = geodata.gazetteer["hakari_bridge"].anchor
    # From Stepanakert along the new route (via Mets Shen) to the bridge, then into Syunik.
    assert shaft[: route.index(bridge) + 1] == [pytest.approx(p) for p in
                                               route[: route.index(bridge) + 1]]
    assert pytest.approx(geodata.gazetteer["mets_shen"].anchor) in shaft
    end = shape({"type": "Point", "coordinates": shaft[-1]})
    assert geodata.gazetteer["syunik"].geometry.contains(end)
    assert len(arrow.geoms) == 3  # the shaft and two strokes of the head
    assert event["shape"]["properties"]["event_id"] == event["event_id"]


def test_movements_without_a_known_route_are_straight(make_dataset, geodata):
    event = only(make_dataset(row(**{**CROSSING, "place_id": "kalbajar"}, displaced="10")))
    shaft = list(shape(event["shape"]["geometry"]).geoms[0].coords)
    assert shaft[0] == pytest.approx(geodata.gazetteer["nagorno_karabakh"].anchor)
    assert shaft[1] == pytest.approx(geodata.gazetteer["kalbajar"].anchor)


def test_arrow_width_grows_with_people(make_dataset):
    data = make_dataset(row(**CROSSING, event_id="small", displaced="3000"),
                        row(**CROSSING, event_id="large", displaced="68000"))
    weights = {e["event_id"]: e["shape"]["properties"]["style"]["weight"]
               for _, e in data.events.iterrows()}
    assert weights["large"] == MAX_ARROW_WEIGHT
    assert MIN_ARROW_WEIGHT < weights["small"] < weights["large"]


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
    shapes = layer_collections(data.events)["blockade"]["shapes"]["features"]
    assert len(shapes) == 1
    assert shapes[0]["properties"]["event_ids"] == ["b1", "b2", "b3"]


def test_widest_arrow_is_drawn_first(make_dataset):
    data = make_dataset(row(**CROSSING, event_id="small", displaced="3000"),
                        row(**CROSSING, event_id="large", displaced="68000"))
    arrows = layer_collections(data.events)["displacement"]["shapes"]["features"]
    assert [a["properties"]["event_id"] for a in arrows] == ["large", "small"]

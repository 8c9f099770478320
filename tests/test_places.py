"""Events at one point become one marker listing them all."""

from __future__ import annotations

from dashboard.layers.places import place_markers
from tests.conftest import row


def test_events_at_one_point_become_one_marker_with_all_ids(make_dataset):
    data = make_dataset(row(event_id="late", date_start="2023-09-20"),
                        row(event_id="early", category="political", event_type="statement"),
                        row(event_id="other", place_id="yerevan"))
    features = place_markers(data.events, data.geodata.gazetteer)["features"]
    assert len(features) == 2
    group = next(f for f in features if f["properties"]["kind"] == "group")
    assert group["properties"]["event_ids"] == ["early", "late"]  # by date
    assert group["properties"]["categories"] == ["political", "military"]
    single = next(f for f in features if f["properties"]["kind"] == "marker")
    assert single["properties"]["event_id"] == "other"


def test_the_bundled_region_centre_is_one_marker(bundled):
    features = place_markers(bundled.events, bundled.geodata.gazetteer)["features"]
    listed = [i for f in features
              for i in f["properties"].get("event_ids", [f["properties"].get("event_id")])]
    assert sorted(listed) == sorted(bundled.events["event_id"])
    points = [tuple(f["geometry"]["coordinates"]) for f in features]
    assert len(points) == len(set(points)), "two markers at one point"
    largest = max(len(f["properties"].get("event_ids", [])) for f in features)
    assert largest >= 10  # Nagorno-Karabakh's region-level events


def test_the_list_carries_escaped_text_only(make_dataset):
    hostile = '<img src=x onerror="alert(1)">'
    data = make_dataset(row(event_id="a", title=hostile), row(event_id="b"))
    [group] = place_markers(data.events, data.geodata.gazetteer)["features"]
    for item in group["properties"]["events"]:
        assert "<img" not in item["summary"] and "<img" not in item["popup"]
    assert "&lt;img" in group["properties"]["events"][0]["summary"]

"""Events at one point become one marker listing them all."""

from __future__ import annotations

from dashboard.layers.places import place_markers
from tests.conftest import row


def _ids(data, marker: list) -> list[str]:
    numbers = marker[2] if isinstance(marker[2], list) else [marker[2]]
    return [data.events["event_id"].iloc[n] for n in numbers]


def test_events_at_one_point_become_one_marker_with_all_ids(make_dataset):
    data = make_dataset(row(event_id="late", date_start="2023-09-20"),
                        row(event_id="early", category="political", event_type="statement"),
                        row(event_id="other", place_id="yerevan"))
    markers = place_markers(data.events)
    assert len(markers) == 2
    group = next(m for m in markers if isinstance(m[2], list))
    assert _ids(data, group) == ["early", "late"]  # by date
    assert [data.events["category"].iloc[n] for n in group[2]] == ["political", "military"]
    assert group[3] == "Stepanakert / Khankendi"  # the place name of its events, once
    single = next(m for m in markers if not isinstance(m[2], list))
    assert _ids(data, single) == ["other"]


def test_the_bundled_region_centre_is_one_marker(bundled):
    markers = place_markers(bundled.events)
    listed = [i for m in markers for i in _ids(bundled, m)]
    assert sorted(listed) == sorted(bundled.events["event_id"])
    points = [(m[0], m[1]) for m in markers]
    assert len(points) == len(set(points)), "two markers at one point"
    largest = max(len(m[2]) for m in markers if isinstance(m[2], list))
    assert largest >= 10  # Nagorno-Karabakh's region-level events


def test_the_markers_carry_no_markup(make_dataset):
    hostile = '<img src=x onerror="alert(1)">'
    data = make_dataset(row(event_id="a", title=hostile), row(event_id="b"))
    [group] = place_markers(data.events)
    assert "<" not in repr(group)  # numbers and place names; the browser writes the rest

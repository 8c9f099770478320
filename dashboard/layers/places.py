"""One marker per point on the map: an event's own, or one listing the events there."""

from __future__ import annotations

import pandas as pd


def place_markers(events: pd.DataFrame) -> list[list]:
    """The map's markers, compact: ``[lon, lat, n]`` for the point of one event (``n``
    its position in ``events``: its record's number in the map's event store), or
    ``[lon, lat, [n, ...], names]`` for several events at one point.

    Several events at one point (region-level events at a region's centre, statements at
    a capital) become one marker listing them, ordered by date; ``names`` joins their
    place names. The browser makes the markers (:mod:`dashboard.map_popups`).
    """
    points = zip(events.geometry.x.tolist(), events.geometry.y.tolist(), strict=True)
    by_point: dict[tuple[float, float], list[int]] = {}
    for number, point in enumerate(points):
        by_point.setdefault(point, []).append(number)
    # Starts as numbers (they only order the events at a point): quicker than Timestamps.
    starts = events["start"].to_numpy(dtype="datetime64[s]").view("int64").tolist()
    ids = events["event_id"].tolist()
    names = events["place_name"].tolist()
    markers: list[list] = []
    for (lon, lat), members in by_point.items():
        if len(members) == 1:
            markers.append([lon, lat, members[0]])
            continue
        members.sort(key=lambda n: (starts[n], ids[n]))
        markers.append([lon, lat, members,
                        " / ".join(dict.fromkeys(names[n] for n in members))])
    return markers

"""Events at one point on the map become one marker that opens them as a list."""

from __future__ import annotations

import pandas as pd

from dashboard.gazetteer import Gazetteer
from dashboard.layers.features import marker_features
from dashboard.layers.symbols import symbol_char, symbol_svg
from dashboard.safe_html import text as escape
from dashboard.schema import CATEGORIES


def group_icon(categories: list[str], count: int) -> str:
    """A badge with the symbols of the layers present and the number of events."""
    present = [c for c in CATEGORIES if c in categories]
    symbols = "".join(symbol_svg(c, 12) for c in present)
    return f"<div class='ev-group-badge'>{symbols}<b>{count}</b></div>"


def _item(marker: dict) -> dict:
    """One event of a place's list: its id, layer and escaped HTML pieces."""
    p = marker["properties"]
    summary = (f"{symbol_char(p['category'])} <span class='ev-item-date'>"
               f"{escape(p['when'])}</span> {p['title']}")
    return {"event_id": p["event_id"], "category": p["category"], "title": p["title"],
            "summary": summary, "popup": p["popup"], "precise": p.get("precise", True)}


def _span(members: list[tuple[pd.Timestamp, dict, str]]) -> str:
    first, last = (m[1]["properties"]["when"] for m in (members[0], members[-1]))
    return first if first == last else f"{first} – {last}"


def place_markers(events: pd.DataFrame, gazetteer: Gazetteer) -> dict:
    """A FeatureCollection with one marker per point: an event's own, or a list of several.

    A point holding one event keeps the event's marker feature. Several events at one
    point (region-level events at a region's centre, statements at a capital) become one
    ``group`` feature carrying every id, layer and popup, ordered by date.
    """
    by_point: dict[tuple[float, float], list[tuple[pd.Timestamp, dict, str]]] = {}
    for marker, start, place in zip(marker_features(events, gazetteer), events["start"],
                                    events["place_name"], strict=True):
        point = tuple(marker["geometry"]["coordinates"])
        by_point.setdefault(point, []).append((start, marker, place))
    features = []
    for point, members in by_point.items():
        if len(members) == 1:
            features.append(members[0][1])
            continue
        members.sort(key=lambda m: (m[0], m[1]["properties"]["event_id"]))
        items = [_item(m[1]) for m in members]
        names = " / ".join(dict.fromkeys(m[2] for m in members))
        categories = [i["category"] for i in items]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": {
                "kind": "group",
                "event_ids": [i["event_id"] for i in items],
                "categories": categories,
                "events": items,
                "place": escape(names),
                "title": escape(f"{len(items)} events at {names}"),
                "tooltip": escape(f"{_span(members)} · click for the list"),
                "icon": group_icon(categories, len(items)),
            },
        })
    return {"type": "FeatureCollection", "features": features}

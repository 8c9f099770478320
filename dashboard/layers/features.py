"""GeoJSON features of events, built once at load and grouped per layer on demand."""

from __future__ import annotations

import pandas as pd
from shapely.geometry import mapping

from dashboard.formatting import format_figures
from dashboard.gazetteer import Gazetteer
from dashboard.layers.geometry import event_shape
from dashboard.layers.symbols import icon_anchor, symbol_svg
from dashboard.popups import popup_body, title_html, tooltip_rest, when_short
from dashboard.safe_html import text as escape
from dashboard.schema import CATEGORIES

SHAPE_STYLE = {
    "line": {"weight": 5, "opacity": 0.85, "dashArray": "10 6"},
    "area": {"weight": 2, "opacity": 0.9, "dashArray": "6 4", "fillOpacity": 0.07,
             "interactive": False},
    "arrow": {"weight": 4, "opacity": 0.9, "lineCap": "round", "lineJoin": "round"},
}
# An event located only to a whole country: a faint outline, not a filled country.
COUNTRY_STYLE = {"fillOpacity": 0, "weight": 1.5, "opacity": 0.6}
MIN_ARROW_WEIGHT, MAX_ARROW_WEIGHT = 3, 12


def _round(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return round(value, 5) if isinstance(value, float) else value
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _is_country(place_id: str | None, gazetteer: Gazetteer) -> bool:
    return bool(place_id) and gazetteer[place_id].kind.startswith("country")


def arrow_weight(people: float | None, largest: float | None) -> float:
    """Stroke width of a movement arrow, by square root of the people it carries."""
    if not people or not largest:
        return MIN_ARROW_WEIGHT
    share = (float(people) / float(largest)) ** 0.5
    return round(MIN_ARROW_WEIGHT + share * (MAX_ARROW_WEIGHT - MIN_ARROW_WEIGHT), 1)


def build_features(frame: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """Add ``marker``, ``shape`` and ``shape_key`` columns: GeoJSON dicts per event."""
    largest = frame["displaced"].max() if len(frame) else None
    markers, shapes, keys, kinds = [], [], [], []
    shared: dict[str, dict] = {}  # GeoJSON of places, computed once per place
    for row in frame.to_dict("records"):
        drawn = event_shape(row, gazetteer)
        category = CATEGORIES[row["category"]]
        anchor = icon_anchor(row["category"])
        markers.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(drawn.marker.x, 5),
                                                          round(drawn.marker.y, 5)]},
            "properties": {
                "event_id": row["event_id"],
                "category": row["category"],
                "kind": "marker",
                "title": title_html(row),
                "when": when_short(row),
                "popup": popup_body(row, gazetteer),
                "tooltip": tooltip_rest(row, gazetteer),
                "icon": symbol_svg(row["category"], label=category.label),
                "anchor": list(anchor),
                "precise": row["date_precision"] == "day",  # else drawn faded
            },
        })
        kinds.append(drawn.kind)
        if drawn.shape is None:
            shapes.append(None)
            keys.append(None)
            continue
        style = {**SHAPE_STYLE[drawn.kind], "color": category.colour,
                 **(COUNTRY_STYLE if _is_country(drawn.shape_place, gazetteer) else {}),
                 "fillColor": category.colour, "className": f"ev-shape ev-{drawn.kind}"}
        props: dict = {"category": row["category"], "kind": drawn.kind, "style": style}
        if drawn.kind == "arrow":
            style["weight"] = arrow_weight(row["displaced"], largest)
            props.update(event_id=row["event_id"], tooltip=escape(
                f"{format_figures(row) or 'People moving'} · {when_short(row)}"))
            key = f"arrow:{row['event_id']}"
        else:
            place = gazetteer[drawn.shape_place]
            props.update(place_id=place.id, tooltip=escape(
                f"{place.display_name} — {place.precision_text}"))
            key = f"{drawn.kind}:{row['category']}:{place.id}"
        key_place = drawn.shape_place or f"arrow:{row['event_id']}"
        if key_place not in shared:
            shared[key_place] = _round(mapping(drawn.shape))
        geometry = shared[key_place]
        shapes.append({"type": "Feature", "geometry": geometry, "properties": props})
        keys.append(key)
    out = frame.copy()
    out["marker"], out["shape"], out["shape_key"], out["drawn_as"] = markers, shapes, keys, kinds
    return out


def layer_collections(events: pd.DataFrame) -> dict[str, dict[str, dict]]:
    """Per category: ``markers`` and ``shapes`` FeatureCollections of the given events.

    Routes and areas shared by several events of a layer are drawn once, carrying the
    ids of all of them; arrows are drawn widest first so thinner ones stay clickable.
    """
    result = {}
    for category in CATEGORIES:
        subset = events[events["category"] == category]
        markers = list(subset["marker"])
        shared: dict[str, dict] = {}
        arrows = []
        for feature, key, row_id in zip(subset["shape"], subset["shape_key"],
                                        subset["event_id"], strict=True):
            if feature is None:
                continue
            if key.startswith("arrow:"):
                arrows.append(feature)
                continue
            if key not in shared:
                shared[key] = {**feature, "properties": {**feature["properties"],
                                                         "event_ids": []}}
            shared[key]["properties"]["event_ids"].append(row_id)
        arrows.sort(key=lambda f: -f["properties"]["style"]["weight"])
        # Arrows along one road would stack their labels: offset each by a line of text.
        arrows = [{**f, "properties": {**f["properties"], "label_offset": [0, 16 * i]}}
                  for i, f in enumerate(arrows)]
        result[category] = {
            "markers": {"type": "FeatureCollection", "features": markers},
            "shapes": {"type": "FeatureCollection",
                       "features": [*shared.values(), *arrows]},
        }
    return result

"""GeoJSON features of events, drawn from their rows when a map is made.

The events table holds data: geometry (see :func:`dashboard.layers.geometry.locate`) and
plain fields. Popups, tooltips, icons and styles are made here, for the events a map shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from dashboard.formatting import format_figures
from dashboard.gazetteer import Gazetteer
from dashboard.layers.symbols import icon_anchor, symbol_svg
from dashboard.popups import popup_body, title_html, tooltip_rest, when_short
from dashboard.safe_html import text as escape
from dashboard.schema import CATEGORIES, COLUMNS, FIGURE_COLUMNS

SHAPE_STYLE = {
    "line": {"weight": 5, "opacity": 0.85, "dashArray": "10 6"},
    "area": {"weight": 2, "opacity": 0.9, "dashArray": "6 4", "fillOpacity": 0.07,
             "interactive": False},
    "arrow": {"weight": 4, "opacity": 0.9, "lineCap": "round", "lineJoin": "round"},
}
# An event located only to a whole country: a faint outline, not a filled country.
COUNTRY_STYLE = {"fillOpacity": 0, "weight": 1.5, "opacity": 0.6}
MIN_ARROW_WEIGHT, MAX_ARROW_WEIGHT = 3, 12
# What markers and shapes are made of: the file's fields, typed dates, the geometry.
MARKER_FIELDS = (*COLUMNS, "start", "end", "line", "marker")
SHAPE_FIELDS = ("event_id", "category", "start", "date_precision", "figure_qualifier",
                *FIGURE_COLUMNS, "drawn_as", "shape_place", "shape", "arrow_weight")


def arrow_weight(people: float | None, largest: float | None) -> float:
    """Stroke width of a movement arrow, by square root of the people it carries."""
    if not people or not largest:
        return MIN_ARROW_WEIGHT
    share = (float(people) / float(largest)) ** 0.5
    return round(MIN_ARROW_WEIGHT + share * (MAX_ARROW_WEIGHT - MIN_ARROW_WEIGHT), 1)


def arrow_weights(events: pd.DataFrame) -> pd.Series:
    """Each arrow's width, scaled by the largest ``displaced`` of all ``events``; NaN for
    events drawn without an arrow. Stored with the events: a map shows a subset of them."""
    largest = events["displaced"].max() if len(events) else None
    people = events["displaced"].astype(object).where(events["displaced"].notna(), None)
    return pd.Series([arrow_weight(n, largest) if kind == "arrow" else None
                      for n, kind in zip(people, events["drawn_as"], strict=True)],
                     index=events.index, dtype=float)


def records(events: pd.DataFrame, columns: Iterable[str] | None = None) -> list[dict]:
    """The rows as dicts of ``columns`` (all by default), as ``to_dict("records")`` gives
    them (a missing figure is None), several times quicker on Arrow-backed text columns."""
    values_of = {}
    for name in events.columns if columns is None else columns:
        values = events[name].tolist()
        if getattr(events[name].dtype, "na_value", None) is pd.NA:
            values = [None if v is pd.NA else v for v in values]
        values_of[name] = values
    return [dict(zip(values_of, row, strict=True))
            for row in zip(*values_of.values(), strict=True)]


@cache
def _icon(category: str) -> str:
    return symbol_svg(category, label=CATEGORIES[category].label)


def marker_feature(row: dict, gazetteer: Gazetteer) -> dict:
    """The GeoJSON point of one event (a row of the events table) with its popup, tooltip
    and icon; the title is carried once and set into popup and tooltip by the map."""
    point = row["marker"]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        "properties": {
            "event_id": row["event_id"],
            "category": row["category"],
            "kind": "marker",
            "title": title_html(row),
            "when": when_short(row),
            "popup": popup_body(row, gazetteer),
            "tooltip": tooltip_rest(row, gazetteer),
            "icon": _icon(row["category"]),
            "anchor": list(icon_anchor(row["category"])),
            "precise": row["date_precision"] == "day",  # else drawn faded
        },
    }


def marker_features(events: pd.DataFrame, gazetteer: Gazetteer) -> list[dict]:
    """:func:`marker_feature` of every event, in the order of ``events``."""
    return [marker_feature(row, gazetteer) for row in records(events, MARKER_FIELDS)]


def shape_style(kind: str, category: str, weight: float | None = None,
                country: bool = False) -> dict:
    """The Leaflet path style of a route, area or arrow of ``category``."""
    colour = CATEGORIES[category].colour
    style = {**SHAPE_STYLE[kind], "color": colour, **(COUNTRY_STYLE if country else {}),
             "fillColor": colour, "className": f"ev-shape ev-{kind}"}
    if weight is not None:
        style["weight"] = weight
    return style


def _geojson(geometry: BaseGeometry) -> dict:
    def walk(value):
        return [walk(v) for v in value] if isinstance(value, (list, tuple)) else value
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": walk(data["coordinates"])}


def _arrow(row: dict) -> dict:
    style = shape_style("arrow", row["category"], row["arrow_weight"])
    tooltip = escape(f"{format_figures(row) or 'People moving'} · {when_short(row)}")
    return {"type": "Feature", "geometry": _geojson(row["shape"]),
            "properties": {"category": row["category"], "kind": "arrow", "style": style,
                           "event_id": row["event_id"], "tooltip": tooltip}}


def _at_place(row: dict, gazetteer: Gazetteer, geometry: dict) -> dict:
    place = gazetteer[row["shape_place"]]
    style = shape_style(row["drawn_as"], row["category"],
                        country=place.kind.startswith("country"))
    return {"type": "Feature", "geometry": geometry,
            "properties": {"category": row["category"], "kind": row["drawn_as"],
                           "style": style, "place_id": place.id,
                           "tooltip": escape(f"{place.display_name} — {place.precision_text}"),
                           "event_ids": []}}


def layer_collections(events: pd.DataFrame, gazetteer: Gazetteer) -> dict[str, dict[str, dict]]:
    """Per category: a ``shapes`` FeatureCollection of the routes, areas and arrows of
    the given events.

    Routes and areas shared by several events of a layer are drawn once, carrying the
    ids of all of them; arrows are drawn widest first so thinner ones stay clickable.
    """
    shared: dict[str, dict[str, dict]] = {c: {} for c in CATEGORIES}
    arrows: dict[str, list[dict]] = {c: [] for c in CATEGORIES}
    geometries: dict[str, dict] = {}  # GeoJSON of places, made once per place
    for row in records(events, SHAPE_FIELDS):
        category = row["category"]
        if row["drawn_as"] == "point":
            continue
        if row["drawn_as"] == "arrow":
            arrows[category].append(_arrow(row))
            continue
        place = row["shape_place"]
        if place not in shared[category]:
            if place not in geometries:
                geometries[place] = _geojson(row["shape"])
            shared[category][place] = _at_place(row, gazetteer, geometries[place])
        shared[category][place]["properties"]["event_ids"].append(row["event_id"])
    result = {}
    for category in CATEGORIES:
        ordered = sorted(arrows[category], key=lambda f: -f["properties"]["style"]["weight"])
        # Arrows along one road would stack their labels: offset each by a line of text.
        for i, feature in enumerate(ordered):
            feature["properties"]["label_offset"] = [0, 16 * i]
        result[category] = {"shapes": {"type": "FeatureCollection",
                                       "features": [*shared[category].values(), *ordered]}}
    return result

"""GeoJSON features of events' shapes, drawn from their rows when a map is made.

The events table holds data: geometry (see :func:`dashboard.layers.geometry.locate`) and
plain fields. Styles are made here, for the events a map shows; what the tooltips of
shapes say is in the map's event store (:mod:`dashboard.layers.store`), and the browser
writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from dashboard.gazetteer import Gazetteer
from dashboard.schema import CATEGORIES

if TYPE_CHECKING:
    from dashboard.layers.store import EventStore

SHAPE_STYLE = {
    "line": {"weight": 5, "opacity": 0.85, "dashArray": "10 6"},
    "area": {"weight": 2, "opacity": 0.9, "dashArray": "6 4", "fillOpacity": 0.07,
             "interactive": False},
    "arrow": {"weight": 4, "opacity": 0.9, "lineCap": "round", "lineJoin": "round"},
}
# An event located only to a whole country: a faint outline, not a filled country.
COUNTRY_STYLE = {"fillOpacity": 0, "weight": 1.5, "opacity": 0.6}
MIN_ARROW_WEIGHT, MAX_ARROW_WEIGHT = 3, 12
# What shapes are made of: the geometry and what styles it.
SHAPE_FIELDS = ("event_id", "category", "drawn_as", "shape_place", "shape", "arrow_weight")


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


def values(events: pd.DataFrame, columns: Iterable[str] | None = None) -> dict[str, list]:
    """The values of ``columns`` (all by default) as lists, as ``to_dict("records")`` gives
    them (a missing figure is None), several times quicker on Arrow-backed text columns."""
    values_of = {}
    for name in events.columns if columns is None else columns:
        column = events[name]
        found = column.tolist()
        if getattr(column.dtype, "na_value", None) is pd.NA:
            found = [None if v is pd.NA else v for v in found]
        values_of[name] = found
    return values_of


def records(events: pd.DataFrame, columns: Iterable[str] | None = None) -> list[dict]:
    """The rows as dicts of ``columns`` (all by default), as :func:`values` gives them."""
    values_of = values(events, columns)
    return [dict(zip(values_of, row, strict=True))
            for row in zip(*values_of.values(), strict=True)]


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


def _arrow(row: dict, number: int) -> dict:
    style = shape_style("arrow", row["category"], row["arrow_weight"])
    return {"type": "Feature", "geometry": _geojson(row["shape"]),
            "properties": {"category": row["category"], "kind": "arrow", "style": style,
                           "event_id": row["event_id"], "ev": number}}


def _at_place(row: dict, gazetteer: Gazetteer, geometry: dict,
              store: EventStore | None) -> dict:
    place = gazetteer[row["shape_place"]]
    style = shape_style(row["drawn_as"], row["category"],
                        country=place.kind.startswith("country"))
    properties = {"category": row["category"], "kind": row["drawn_as"], "style": style,
                  "place_id": place.id, "event_ids": []}
    if store is not None:
        properties["pl"] = store.place(place.id)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def layer_collections(events: pd.DataFrame, gazetteer: Gazetteer,
                      store: EventStore | None = None) -> dict[str, dict[str, dict]]:
    """Per category: a ``shapes`` FeatureCollection of the routes, areas and arrows of
    the given events.

    Routes and areas shared by several events of a layer are drawn once, carrying the
    ids of all of them and (given the map's ``store``) the number of their place in it,
    for their tooltip; an arrow carries its event's position in ``events`` (its record's
    number in a store of ``events``). Arrows are drawn widest first so thinner ones stay
    clickable.
    """
    shared: dict[str, dict[str, dict]] = {c: {} for c in CATEGORIES}
    arrows: dict[str, list[dict]] = {c: [] for c in CATEGORIES}
    geometries: dict[str, dict] = {}  # GeoJSON of places, made once per place
    drawn = events["drawn_as"] != "point"
    numbers = [int(i) for i in drawn.to_numpy().nonzero()[0]]
    shapes = events.loc[drawn, list(SHAPE_FIELDS)] if len(numbers) else events.iloc[:0]
    for number, row in zip(numbers, records(shapes, SHAPE_FIELDS), strict=True):
        category = row["category"]
        if row["drawn_as"] == "arrow":
            arrows[category].append(_arrow(row, number))
            continue
        place = row["shape_place"]
        if place not in shared[category]:
            if place not in geometries:
                geometries[place] = _geojson(row["shape"])
            shared[category][place] = _at_place(row, gazetteer, geometries[place], store)
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

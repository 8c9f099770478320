"""The placing map of the "Add a report" section: a town the gazetteer lacks, clicked on.

A small map of its own, so the main map's clicks keep selecting events: the same offline
base map (borders and place names; no legend, events or layer switcher), opened where the
main map is, or on the study area. It reports only where it is clicked; that point is
drawn on it, as a dot and a circle as wide as the chosen precision.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import folium
import streamlit as st
import streamlit_folium as sf

from dashboard.assets import localise
from dashboard.gazetteer import Gazetteer
from dashboard.map_builder import base_map
from dashboard.ui import cache, folium_args
from dashboard.ui import state as ui_state
from dashboard.ui.static import asset_url, borders_url
from dashboard.ui.urlsync import MAP_VIEW
from dashboard.urlstate import MapView

PLACING_HEIGHT = 380
POINT_COLOUR = "#c0392b"


def build(gazetteer: Gazetteer) -> tuple[folium.Map, list[folium.FeatureGroup], None]:
    """The base map to click on, pointing at local assets, without layers or switcher."""
    fmap = base_map(gazetteer, legend=False, borders_url=borders_url())
    localise(fmap, asset_url)
    return fmap, [], None


def clicked_point() -> tuple[float, float] | None:
    """Where the placing map was last clicked, as ``(lon, lat)``; None before any click."""
    reported = ui_state.value(ui_state.PLACING_MAP) or {}
    click = reported.get("last_clicked") if isinstance(reported, dict) else None
    try:
        return (float(click["lng"]), float(click["lat"])) if click else None
    except (KeyError, TypeError, ValueError):
        return None


def forget_click() -> None:
    """Count the placing map as not clicked (its point was used), until it is clicked."""
    ui_state.forget(ui_state.PLACING_MAP)


def point_layer(point: tuple[float, float], radius_m: float) -> str:
    """The component's code of a feature group drawing ``point`` (lon, lat): a dot and a
    circle of ``radius_m`` metres (a click on them reaches the map: it moves the point)."""
    lon, lat = point
    group = folium.FeatureGroup(name="the clicked point", control=False)
    folium.Circle((lat, lon), radius=radius_m, color=POINT_COLOUR, weight=1, fill=True,
                  fill_opacity=0.08).add_to(group)
    folium.CircleMarker((lat, lon), radius=6, color="#ffffff", weight=2, fill=True,
                        fill_color=POINT_COLOUR, fill_opacity=1).add_to(group)
    # The map sends no feature group of its own: the point's is the first.
    return sf._get_feature_group_string(group, map=folium.Map(tiles=None), idx=0)


def render_placing_map(gazetteer: Callable[[], Gazetteer], places: Hashable,
                       point: tuple[float, float] | None, radius_m: float) -> None:
    """Draw the placing map with ``point`` (lon, lat; the one to be saved) on it.

    The map is built once per set of the reviewers' places (``places``: their
    ``places_key``) and borders (``cache.placing_args``; ``gazetteer()`` gives its place
    names then), not again when events are written; the point is a feature group sent with
    it, so a click does not reload the map. It opens on the main map's current view once
    the main map has reported one, else on the study area.
    """
    args = cache.placing_args(places, ("placing", borders_url()), ui_state.PLACING_MAP,
                              lambda: build(gazetteer()))
    if point is not None:
        args = {**args, "feature_group": args["feature_group"] + point_layer(point, radius_m)}
    view: MapView | None = st.session_state.get(MAP_VIEW)
    folium_args.show(args, key=ui_state.PLACING_MAP, height=PLACING_HEIGHT,
                     returned_objects=["last_clicked"],
                     center=(view.lat, view.lon) if view else None,
                     zoom=view.zoom if view else None)

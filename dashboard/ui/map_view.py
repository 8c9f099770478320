"""The map: a base map mounted once, event layers swapped in place on every rerun."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
import streamlit_folium as sf

from dashboard.aggregate import cells_area, cells_in, zoom_for
from dashboard.assets import localise
from dashboard.dataset import Dataset
from dashboard.layers.aggregates import aggregate_layers
from dashboard.layers.heat import cell_points, event_points, heat_layer
from dashboard.map_builder import EVENT_FIELDS, base_map, event_layers, layer_control
from dashboard.map_focus import focus_layer
from dashboard.popups import when_short
from dashboard.profile import STUDY_AREA
from dashboard.query import Bounds, Selection
from dashboard.ui import cache, folium_args, selection
from dashboard.ui import state as ui_state
from dashboard.ui.static import asset_url, borders_url
from dashboard.ui.urlsync import MAP_VIEW, md_escape
from dashboard.urlstate import MapView

FITTED_VIEW = "fitted_view"  # the first view the map reported, before anyone moved it
MAP_HEIGHT = 680
# The markers of a map of aggregates: none (what a click and a focus read of the markers).
NO_MARKERS = gpd.GeoDataFrame({"event_id": pd.Series([], dtype=str),
                               "start": pd.Series([], dtype="datetime64[s]")},
                              geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def outside_view(data: Dataset, events: Selection) -> list[str]:
    """Names of the places of shown events that lie outside the map's first view."""
    (south, west), (north, east) = cache.first_view(data) or STUDY_AREA
    return list(events.outside((south, west, north, east)))


def shared_view() -> MapView | None:
    """The map's view for the URL: None while the map is where the page fitted it."""
    view = st.session_state.get(MAP_VIEW)
    return None if view is None or view == st.session_state.get(FITTED_VIEW) else view


def remember_view(reported: dict | None) -> None:
    """Keep the view the browser reports: centre and zoom for the URL, bounds for exports."""
    reported = reported or {}
    center = reported.get("center")
    bounds = reported.get("bounds") or {}
    if not center or not bounds.get("_southWest") or reported.get("zoom") is None:
        return  # nothing reported by the browser yet
    try:
        view = MapView(round(center["lat"], 5), round(center["lng"], 5),
                       round(float(reported["zoom"]), 2))
    except (ValueError, TypeError, KeyError):
        return
    st.session_state[MAP_VIEW] = view
    if st.session_state.get("initial_view") is None:  # where the page fitted the map
        st.session_state.setdefault(FITTED_VIEW, view)
    sw, ne = bounds["_southWest"], bounds["_northEast"]
    st.session_state["map_bounds"] = (max(sw["lat"], -85.0), max(sw["lng"], -180.0),
                                      min(ne["lat"], 85.0), min(ne["lng"], 180.0))


def build_map(data: Dataset) -> tuple[folium.Map, folium.LayerControl]:
    """The base map (its borders fetched from the static route when served) and the layer
    switcher, pointing at local assets."""
    fmap = base_map(data.geodata.gazetteer, legend_open=False, borders_url=borders_url(),
                    view=cache.first_view(data))  # the data's region: one per data
    control = layer_control()
    for element in (fmap, control):
        localise(element, asset_url)
    return fmap, control


def local(layers: list[folium.FeatureGroup]) -> list[folium.FeatureGroup]:
    """``layers``, their scripts and stylesheets pointing at local assets."""
    for layer in layers:
        localise(layer, asset_url)
    return layers


def summed_layers(cells: pd.DataFrame, area: Bounds | None = None
                  ) -> list[folium.FeatureGroup]:
    """The circles of ``cells`` (those in ``area`` when given, sized among all of them) and
    the heat overlay of the same cells."""
    near = cells if area is None else cells_in(cells, area)
    largest = int(cells["count"].max()) if len(cells) else 0
    return local([*aggregate_layers(near, largest), heat_layer(cell_points(near))])


def focus_string(events: pd.DataFrame, index: int) -> str:
    """This session's request to move the map (fit a chapter, open an event), as the
    component's code of one more feature group; empty when there is none."""
    request = selection.focus(lambda: set(events["event_id"]))
    if not request:
        return ""
    token, fit, open_event = request
    return sf._get_feature_group_string(focus_layer(token, fit, open_event),
                                        map=folium.Map(tiles=None), idx=index)


def render_map(data: Dataset, events: Selection) -> None:
    """Draw the map; only the event layers change between reruns, so zoom is kept.

    What is sent is built once per data and set of shown events (``cache.map_args``).
    """
    remember_view(ui_state.value(ui_state.EVENT_MAP))  # where the map was moved: draw there
    view = st.session_state.get(MAP_VIEW)
    bounds = st.session_state.get("map_bounds")
    mode, chosen_events = events.for_map(bounds)
    # Only what the map reads of its events: over a database, no search text or regions.
    drawn = chosen_events.columns(EVENT_FIELDS) if mode == "events" else None
    if drawn is not None:
        args = cache.map_args(("events", chosen_events.key, borders_url()), ui_state.EVENT_MAP,
                              lambda: local([  # the events and their heat
                                  *event_layers(drawn, data.geodata.gazetteer),
                                  heat_layer(event_points(drawn))]), lambda: build_map(data))
    else:
        (south, west), (north, east) = cache.first_view(data) or STUDY_AREA
        zoom = int(view.zoom) if view is not None else zoom_for((south, west, north, east),
                                                              height_px=MAP_HEIGHT)
        # The cells around the view (all of them before the browser has said where it is).
        area = cells_area(bounds, zoom) if bounds is not None else None
        args = cache.map_args(("aggregates", zoom, area, events.key, borders_url()),
                              ui_state.EVENT_MAP,
                              lambda: summed_layers(events.aggregates(zoom), area),
                              lambda: build_map(data))
        st.caption(f"{len(events):,} events are shown as circles, one per area, sized by "
                   "their number and coloured by their most frequent layer; zoom in (or "
                   "click a circle) to see single events.")
    # An event is opened only where it is drawn as itself (not in view or in a circle: no).
    markers = drawn if drawn is not None else NO_MARKERS
    focus = focus_string(markers, args["feature_group"].count("window.feature_group.push"))
    if focus:  # per session, so not in the shared arguments
        args = {**args, "feature_group": args["feature_group"] + focus}
    # The view a shared URL asked for is applied once; later the map reports where the user
    # has moved it, for the URL and for snapshots of the current view.
    first = st.session_state.setdefault("initial_view", st.session_state.get(MAP_VIEW))
    reported = folium_args.show(
        args, key=ui_state.EVENT_MAP, height=MAP_HEIGHT,
        returned_objects=["bounds", "center", "zoom", "last_object_clicked",
                          "last_object_clicked_count"],
        center=(first.lat, first.lon) if first else None, zoom=first.zoom if first else None)
    remember_view(reported)
    if selection.map_clicked(reported, markers):
        st.rerun()  # the whole page, so the table marks the clicked event's row
    chosen = events.find(selection.selected())
    if len(chosen):
        event = chosen.iloc[0]
        st.caption(f"Selected: {md_escape(when_short(event.to_dict()))} · "
                   f"**{md_escape(str(event['title']))}** · {md_escape(event['place_name'])} "
                   f"({md_escape(event['event_id'])}), marked in the table below.")
    far = outside_view(data, events)
    if far:
        names = md_escape(", ".join(far))
        st.caption(f"Also on the map, outside this first view (zoom out): {names}.")

"""The map: a base map mounted once, event layers swapped in place on every rerun."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard.assets import localise
from dashboard.dataset import Dataset
from dashboard.map_builder import STUDY_AREA, base_map, event_layers, layer_control
from dashboard.ui.cache import asset_url

MAP_HEIGHT = 680


def outside_view(events: pd.DataFrame, data: Dataset) -> list[str]:
    """Names of the places of shown events that lie outside the map's first view."""
    (south, west), (north, east) = STUDY_AREA
    names = []
    for place_id in dict.fromkeys(events["place_id"]):
        lon, lat = data.geodata.gazetteer[place_id].anchor
        if not (south <= lat <= north and west <= lon <= east):
            names.append(data.geodata.gazetteer[place_id].display_name)
    return names


def render_map(data: Dataset, events: pd.DataFrame) -> None:
    """Draw the map; only the event layers change between reruns, so zoom is kept."""
    fmap = base_map(data.geodata.gazetteer, legend_open=False)
    layers = event_layers(events)
    control = layer_control()
    for element in (fmap, *layers, control):
        localise(element, asset_url)
    st_folium(fmap, key="event_map", height=MAP_HEIGHT, use_container_width=True,
              feature_group_to_add=layers, layer_control=control, returned_objects=[])
    far = outside_view(events, data)
    if far:
        st.caption(f"Also on the map, outside this first view (zoom out): {', '.join(far)}.")

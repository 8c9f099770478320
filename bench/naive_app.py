"""The baseline app of the browser benchmark: a typical streamlit-folium map of events.

A date slider filters the events; every event of the range becomes a point of one
``folium.GeoJson`` layer with its popup, sent with ``st_folium``'s ``feature_group_to_add``
(the library's way to swap layers without reloading the map, the fastest a naive app gets).
Leaflet comes from the installed packages (:mod:`dashboard.assets`) through Streamlit's
static route of the folder this script is in, so the page works offline; ``bench.browser``
runs a copy of it in a temporary folder, so nothing is written next to the sources.

``streamlit run naive_app.py -- --events FILE``; ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` sets
the first range.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from bench.naive import CENTER, POPUP_FIELDS, feature_collection, in_window, read_events
from dashboard.assets import localise, static_url, sync_static


@st.cache_resource
def static_files() -> None:
    sync_static(Path(__file__).resolve().parent / "static")


@st.cache_data
def load(path: str) -> pd.DataFrame:
    return read_events(Path(path))


def query_date(name: str, default: date) -> date:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return default


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", required=True)
    args, _ = parser.parse_known_args(sys.argv[1:])
    st.set_page_config(page_title="Naive event map", layout="wide")
    static_files()
    events = load(args.events)
    first, last = events["day"].min(), events["day"].max()
    start = min(max(query_date("from", first), first), last)
    end = max(min(query_date("to", last), last), start)
    with st.sidebar:
        window = st.slider("Date range", min_value=first, max_value=last, value=(start, end),
                           format="D MMM YYYY")
    shown = in_window(events, *window)
    st.metric("Events shown", len(shown))
    fmap = folium.Map(location=CENTER, zoom_start=7, tiles=None)
    group = folium.FeatureGroup(name="Events")
    folium.GeoJson(feature_collection(shown),
                   popup=folium.GeoJsonPopup(fields=list(POPUP_FIELDS))).add_to(group)
    for element in (fmap, group):
        localise(element, static_url())
    st_folium(fmap, key="map", feature_group_to_add=group, height=680,
              use_container_width=True, returned_objects=[])


main()

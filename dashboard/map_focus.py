"""Where the map looks: the first view, a chapter's events, a selected event.

Requests to move the map reach the browser as the properties of one small GeoJSON feature,
read by constant JavaScript (no data text in script): ``fit`` bounds and an event to
``open``, with a ``token`` so each request runs once, not again when layers are redrawn.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from dashboard.export.types import Bounds

MIN_SPAN_DEG = 0.3  # a view around one place still shows its surroundings
MARGIN = 0.08  # share of the span added on each side

FOCUS_TO_LAYER = folium.JsCode("""function(feature, latlng) {
  var p = feature.properties;
  setTimeout(function() { window.dashboardFocus(p); }, 0);  // once every layer is on the map
  return L.circleMarker(latlng, {radius: 0, opacity: 0, fillOpacity: 0, interactive: false});
}""")

def extent(events: gpd.GeoDataFrame) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` around every event's marker, far ones included."""
    if not len(events):
        return None
    west, south, east, north = (float(b) for b in events.total_bounds)  # the markers
    pad_lat = max(north - south, MIN_SPAN_DEG) * MARGIN + max(0, MIN_SPAN_DEG - north + south) / 2
    pad_lon = max(east - west, MIN_SPAN_DEG) * MARGIN + max(0, MIN_SPAN_DEG - east + west) / 2
    return [[round(south - pad_lat, 4), round(west - pad_lon, 4)],
            [round(north + pad_lat, 4), round(east + pad_lon, 4)]]


def view_of(bounds: Bounds | None) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of the events' ``extent`` (what
    :func:`dashboard.export.extent.events_extent` gives, or a store's ``extent()``)."""
    if bounds is None:
        return None
    south, west, north, east = (round(b, 4) for b in bounds)
    return [[south, west], [north, east]]


def focus_layer(token: int, fit: list[list[float]] | None = None,
                open_event: str | None = None) -> folium.FeatureGroup:
    """A feature group that, once added, fits the map to ``fit`` and opens ``open_event``."""
    where = fit or [[0.0, 0.0], [0.0, 0.0]]
    feature = {"type": "Feature",
               "geometry": {"type": "Point", "coordinates": [where[0][1], where[0][0]]},
               "properties": {"kind": "focus", "token": token, "fit": fit,
                              "open": open_event}}
    group = folium.FeatureGroup(name="focus", control=False, show=True)
    folium.GeoJson({"type": "FeatureCollection", "features": [feature]}, name="focus",
                   control=False, pointToLayer=FOCUS_TO_LAYER).add_to(group)
    return group

"""Folium maps that work offline: a vector base map, event shapes and one marker per place."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import cast

import folium
import folium.plugins
import pandas as pd
import xyzservices
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from dashboard.basemap import basemap_stamp, read_basemap
from dashboard.gazetteer import Gazetteer
from dashboard.layers import layer_collections
from dashboard.layers.aggregates import AGGREGATES_SCRIPT
from dashboard.layers.features import SHAPE_FIELDS
from dashboard.layers.places import place_markers
from dashboard.layers.store import FIELDS, event_store
from dashboard.layers.symbols import symbol_svg
from dashboard.map_css import MAP_CSS
from dashboard.map_popups import (
    ON_EACH_FEATURE,
    POINT_TO_LAYER,
    POPUP_SCRIPT,
    FeatureData,
    StoreData,
    empty_collection,
)
from dashboard.map_scripts import (
    CLUSTER_CLICK_SCRIPT,
    EVENT_IDS_SCRIPT,
    FIT_FUNCTION,
    FOCUS_SCRIPT,
    LEGEND_COUNT_SCRIPT,
    NO_SCROLL_FOCUS_SCRIPT,
    PLACE_LIST_SCRIPT,
    SOURCE_LINK_SCRIPT,
    ClusterClick,
    LayerControl,
    cluster_icon,
    fit_script,
)
from dashboard.paths import BASEMAP_FILE, GEODATA_DIR
from dashboard.profile import ATTRIBUTION, LABELLED_PLACES, PALETTE, STUDY_AREA
from dashboard.safe_html import text as escape
from dashboard.safe_template import dumps as safe_dumps
from dashboard.schema import CATEGORIES

MAX_ZOOM, MIN_ZOOM = 15, 3
BASE_STYLE = {
    "country": {"color": PALETTE.border, "weight": 1.4, "fillColor": PALETTE.land,
                "fillOpacity": 1},
    "province": {"color": PALETTE.province, "weight": 0.6, "fillOpacity": 0,
                 "dashArray": "2 3"},
    "disputed area": {"color": PALETTE.disputed, "weight": 1.6, "fillOpacity": 0,
                      "dashArray": "5 4"},
}

LABEL_TO_LAYER = folium.JsCode("""function(feature, latlng) {
  return L.circleMarker(latlng, {radius: 2.5, color: '#333', weight: 1, fillColor: '#fff',
      fillOpacity: 1, interactive: false})
    .bindTooltip(feature.properties.label, {permanent: true, direction: 'right',
      className: 'ev-place-label', offset: [4, 0]});
}""")


class _Script(MacroElement):
    """A snippet of JavaScript run once the map exists (``MAP`` names the map)."""

    _template = Template("""{% macro script(this, kwargs) %}
        {{ this.code.replace('MAP', this._parent.get_name()) }}
    {% endmacro %}""")

    def __init__(self, code: str):
        super().__init__()
        self._name = "Script"
        self.code = code


def legend_html(open_: bool = True) -> str:
    """The legend: every layer's symbol, colour and count, and what lines and arrows mean."""
    items = "".join(
        f"<li>{symbol_svg(c.id, 16)}<span><b>{escape(c.label)}</b></span>"
        f"<span class='ev-count' data-count-for='{c.id}'></span></li>"
        for c in CATEGORIES.values())
    return (
        f"<details{' open' if open_ else ''}><summary><b>Legend</b></summary><ul>"
        + items + f"<li><span class='ev-imprecise'>{symbol_svg('political', 16)}</span>"
        "<span>Faded, dashed outline: date known only to the month or year, not the day"
        "</span></li>"
        "</ul>"
        "<div class='ev-note'>Dashed line: the corridor route in use at the event's date. "
        "Dashed outline: an event located only to a region. Arrow: people moving, width by "
        "number. Boxed numbers: several events at one place (click for the list) or at "
        "places close together (click to zoom until they separate). "
        "Each popup shows date and location precision and its source.</div></details>"
    )


def _legend_script(open_: bool) -> str:
    return ("var legend = L.control({position: 'bottomleft'});"
            "legend.onAdd = function() { var div = L.DomUtil.create('div', 'ev-legend');"
            f"div.setAttribute('role', 'region'); div.setAttribute('aria-label', 'Legend');"
            f"div.innerHTML = {safe_dumps(legend_html(open_))};"
            "L.DomEvent.disableClickPropagation(div); return div; };"
            "legend.addTo(MAP);")


class _FetchData(MacroElement):
    """Fills its parent GeoJson layer from ``url`` (styled by each feature's ``style``)."""

    _template = Template("""{% macro script(this, kwargs) %}
        fetch({{ this.url|tojson }}).then(function(r) { return r.json(); })
          .then(function(data) {
            {{ this._parent.get_name() }}.options.style = function(f) {
              return f.properties.style; };
            {{ this._parent.get_name() }}.addData(data); });
    {% endmacro %}""")

    def __init__(self, url: str):
        super().__init__()
        self._name = "FetchData"
        self.url = url


def basemap_json(path: Path = GEODATA_DIR / BASEMAP_FILE) -> str:
    """The base map's borders as served to the browser: JSON with each shape's style."""
    path = Path(path)
    return _basemap_json(path, basemap_stamp(path))


@lru_cache(maxsize=4)
def _basemap_json(path: Path, mtime: float) -> str:
    """The base map as a JSON string with each shape's style in its properties.

    Passed to folium as a string, it is embedded as is: no parsing or re-encoding of
    ~100 KB of borders on every rerun.
    """
    data = read_basemap(path)  # a GeodataError, in one sentence, when unusable
    for feature in data["features"]:
        level = feature["properties"].get("level")
        feature["properties"]["style"] = BASE_STYLE.get(level, BASE_STYLE["province"])
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def base_map(gazetteer: Gazetteer, basemap: Path = GEODATA_DIR / BASEMAP_FILE,
             legend_open: bool = True, view: list[list[float]] | None = None,
             borders_url: str | None = None, legend: bool = True) -> folium.Map:
    """The map without events: vector borders, optional tiles, place labels, legend.

    The dashboard starts with the legend folded (the sidebar shows each layer's symbol
    and count); exported pages start with it open; a map without events (placing a town)
    has none (``legend=False``). The borders are inlined unless
    ``borders_url`` is given (a local copy of :func:`basemap_json`): then the browser
    fetches them once, and the map's script is ~100 KB smaller.
    """
    # With tiles=None folium sets no maxZoom on the map, which MarkerCluster requires.
    fmap = folium.Map(tiles=None, control_scale=True, zoom_control=True, prefer_canvas=False,
                      maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM, zoomSnap=0.25, zoomDelta=0.5)
    vector = folium.FeatureGroup(name="Borders (offline vector map)", overlay=False,
                                 control=True, show=True)
    borders = folium.GeoJson(
        basemap_json(basemap) if borders_url is None else {"type": "FeatureCollection",
                                                           "features": []},
        name="borders", interactive=False, renderer=folium.JsCode("L.canvas({padding: 0.5})"),
        attribution=ATTRIBUTION, control=False).add_to(vector)
    if borders_url is not None:
        borders.add_child(_FetchData(borders_url))
    vector.add_to(fmap)
    # The provider itself: looking "OpenStreetMap" up by name lists every provider each time.
    folium.TileLayer(xyzservices.providers.OpenStreetMap.Mapnik,
                     name="OpenStreetMap (needs internet)", overlay=False, show=False,
                     max_zoom=MAX_ZOOM).add_to(fmap)
    labels = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(p.anchor)},
         "properties": {"label": escape(p.display_name)}}
        for p in (gazetteer[i] for i in LABELLED_PLACES if i in gazetteer)]}
    folium.GeoJson(labels, name="Place names",
                   pointToLayer=LABEL_TO_LAYER, interactive=False).add_to(fmap)
    cast(Figure, fmap.get_root()).header.add_child(Element(f"<style>{MAP_CSS}</style>"))
    if legend:
        fmap.add_child(_Script(_legend_script(legend_open)))
    fmap.add_child(_Script(EVENT_IDS_SCRIPT))
    fmap.add_child(_Script(NO_SCROLL_FOCUS_SCRIPT))
    fmap.add_child(_Script(SOURCE_LINK_SCRIPT))
    for script in (POPUP_SCRIPT, AGGREGATES_SCRIPT, PLACE_LIST_SCRIPT, CLUSTER_CLICK_SCRIPT,
                   LEGEND_COUNT_SCRIPT, FIT_FUNCTION, FOCUS_SCRIPT):
        fmap.add_child(_Script(script))
    # Fitted in the browser, with a margin relative to the map's size (a phone or a desktop).
    fmap.add_child(_Script(fit_script(view or STUDY_AREA)))
    return fmap


# The columns event_layers reads (records, shapes, markers; ``geometry``: the marker).
EVENT_FIELDS = list(dict.fromkeys([*FIELDS, *SHAPE_FIELDS, "place_name", "geometry"]))


def event_layers(events: pd.DataFrame, gazetteer: Gazetteer) -> list[folium.FeatureGroup]:
    """The events on the map: each layer's shapes, and one marker per point in one cluster.

    The first group carries the map's event store (:mod:`dashboard.layers.store`): what
    every popup and tooltip shows, each text once; the browser writes them from it
    (:mod:`dashboard.map_popups`). Shapes carry their styles; markers are sent compact.

    Which layers show is chosen outside the map (the sidebar's check boxes drive the count,
    table, URL and exports too), so none of these groups is offered in the layer switcher;
    layers with no events in ``events`` add no group. ``events`` needs only the columns
    :data:`EVENT_FIELDS`.
    """
    if not len(events):
        return []
    store = event_store(events, gazetteer)
    groups = []
    for category, collections in layer_collections(events, gazetteer, store).items():
        if not collections["shapes"]["features"]:
            continue
        group = folium.FeatureGroup(name=f"{category} shapes", control=False, show=True)
        folium.GeoJson(collections["shapes"], name=f"{category} shapes", control=False,
                       on_each_feature=ON_EACH_FEATURE).add_to(group)
        groups.append(group)
    group = folium.FeatureGroup(name="events", control=False, show=True)
    cluster = folium.plugins.MarkerCluster(
        control=False, icon_create_function=cluster_icon(),
        options={"maxClusterRadius": 28, "showCoverageOnHover": False,
                 "spiderfyDistanceMultiplier": 1.8, "spiderfyOnMaxZoom": False,
                 "zoomToBoundsOnClick": False})
    cluster.add_child(ClusterClick())
    markers = folium.GeoJson(empty_collection(), name="event markers", control=False,
                             on_each_feature=ON_EACH_FEATURE, pointToLayer=POINT_TO_LAYER)
    markers.add_child(FeatureData("dashboardMarkers", place_markers(events)))
    markers.add_to(cluster)
    cluster.add_to(group)
    groups.append(group)
    # The store first: the groups after it read it as they are drawn.
    first = groups[0]
    first.add_child(StoreData(store.data()), index=0)
    return groups


def layer_control() -> folium.LayerControl:
    """The layer switcher: base maps and place names (event layers are the sidebar's)."""
    return LayerControl(collapsed=False, position="topright")


def full_map(events: pd.DataFrame, gazetteer: Gazetteer,
             view: list[list[float]] | None = None) -> folium.Map:
    """A self-contained map with the events' layers added, fitted to ``view``.

    ``view`` is ``[[south, west], [north, east]]``; the study area when None.
    """
    fmap = base_map(gazetteer, view=view)
    for group in event_layers(events, gazetteer):
        group.add_to(fmap)
    layer_control().add_to(fmap)
    return fmap

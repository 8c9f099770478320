"""st_folium in two steps: what it sends to its component, computed once and reused.

``st_folium`` renders the whole map to JavaScript on every call (templates, variable
renaming, bounds), which dominated a rerun. :func:`prepare` does that work once, so the
result can be cached per set of shown events; :func:`show` only sends it. Both follow
streamlit-folium 0.27 (``st_folium``), whose helpers they call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import folium
import streamlit as st
import streamlit_folium as sf
from folium.map import Layer
from folium.plugins import HeatMap
from jinja2.utils import htmlsafe_json_dumps

from dashboard.map_popups import FeatureData, StoreData

DEFAULTS = ("last_clicked", "last_object_clicked", "last_object_clicked_count",
            "last_object_clicked_tooltip", "last_object_clicked_popup", "all_drawings",
            "last_active_drawing", "last_circle_radius", "last_circle_polygon",
            "selected_layers", "selected_tags", "last_geocoder_result")


def prepare(fmap: folium.Map, layers: list[folium.FeatureGroup],
            control: folium.LayerControl | None, key: str) -> dict[str, Any]:
    """The component's arguments for ``fmap`` with ``layers`` swapped in place.

    Like ``st_folium``, this adds the layers and control to ``fmap``: use a fresh map.
    The layers' data (their event store and markers, megabytes of JSON; the points of
    GeoJSON and heat layers) are encoded once and set aside while their script is written
    (which renders each element twice), so that neither rendering nor streamlit-folium's
    renaming of variables and dedenting scan them, and put back in the finished script.
    """
    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    try:
        (south, west), (north, east) = fmap.get_bounds()
    except (AttributeError, TypeError, ValueError):
        south = west = north = east = None
    css, js = _links(fmap)  # the map's own, before its layers
    args = {
        "script": script, "header": header, "html": html, "id": sf.get_full_id(fmap),
        "key": sf.generate_js_hash(script, key, False),
        "map_css_links": css, "map_js_links": js,
        "bounds": {"_southWest": {"lat": south, "lng": west},
                   "_northEast": {"lat": north, "lng": east}},
        "zoom": fmap.options.get("zoom"),
    }
    args = _with_layers(args, layers, fmap)
    args["layer_control"] = (sf._get_layer_control_string(control, fmap)
                             if control is not None else None)
    return args


def shared(args: dict[str, Any]) -> dict[str, Any]:
    """Of :func:`prepare`'s ``args``, what maps of the same base and switcher share (not
    the layers' own script and assets, megabytes for a map of many events)."""
    return {k: v for k, v in args.items() if k not in ("feature_group", "css_links",
                                                        "js_links")}


def reuse(like: dict[str, Any], layers: list[folium.FeatureGroup]) -> dict[str, Any]:
    """The arguments of a map like the one of ``like`` (:func:`shared`'s), with ``layers``.

    Only the layers are written: the base map, its script and the layer switcher are
    ``like``'s, so its layers must be listed in the switcher alike (:func:`switchable`).
    """
    return _with_layers(like, layers, folium.Map(tiles=None))  # a map only to write into


def switchable(layers: list[folium.FeatureGroup]) -> tuple:
    """What the layer switcher lists of ``layers`` (as
    :class:`dashboard.map_scripts.LayerControl` finds them): maps of one base whose
    layers give the same have the same switcher."""
    found: list[tuple] = []
    for i, layer in enumerate(layers):
        if layer.control:
            found.append((i, -1, layer._name, layer.layer_name, layer.overlay))
            continue
        found += [(i, j, inner._name, inner.layer_name, True)
                  for j, inner in enumerate(layer._children.values())
                  if isinstance(inner, Layer) and inner.control and inner.overlay]
    return tuple(found)


def _with_layers(args: dict[str, Any], layers: list[folium.FeatureGroup],
                 fmap: folium.Map) -> dict[str, Any]:
    """``args`` with the script of ``layers`` (written into ``fmap``) and their assets."""
    aside = _set_aside(layers)
    feature_group = "".join(sf._get_feature_group_string(layer, map=fmap, idx=i)
                            for i, layer in enumerate(layers))
    if aside:  # in one pass, so no data put back is searched for a token
        feature_group = re.sub("|".join(map(re.escape, aside)), lambda m: aside[m.group()],
                               feature_group)
    links = [_links(layer) for layer in layers]
    return {**args, "feature_group": feature_group,
            "css_links": list(dict.fromkeys([*args["map_css_links"],
                                             *(c for css, _ in links for c in css)])),
            "js_links": list(dict.fromkeys([*args["map_js_links"],
                                            *(j for _, js in links for j in js)]))}


def _links(element: Any) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts of ``element`` and all inside it, in order."""
    css: list[str] = []
    js: list[str] = []
    for found in _walk(element):
        css.extend(href for _, href in getattr(found, "default_css", []))
        js.extend(src for _, src in getattr(found, "default_js", []))
    return css, js


# Elements whose ``json`` is data, written as it is.
DATA = (StoreData, FeatureData)
# Elements whose ``data`` their template writes with ``tojson`` (GeoJSON styled by a
# function reads its features while rendering: not these).
ENCODED = (folium.GeoJson, HeatMap)


def _set_aside(layers: list[folium.FeatureGroup]) -> dict[str, str]:
    """Replace the layers' data by tokens (letters and digits, which no step of the writing
    changes); the tokens, as written in the script, with the data they stand for."""
    aside: dict[str, str] = {}

    def visit(element: Any) -> None:
        token = f"DASHBOARDDATA{len(aside)}X{id(aside):x}"
        if isinstance(element, DATA):
            aside[token] = element.json
            element.json = token
        elif (isinstance(element, ENCODED) and not getattr(element, "style", False)
              and not getattr(element, "highlight", False)):
            aside[f'"{token}"'] = htmlsafe_json_dumps(element.data, sort_keys=True)  # as ``tojson``
            element.data = token
        for child in getattr(element, "_children", {}).values():
            visit(child)

    for layer in layers:
        visit(layer)
    return aside


def _walk(element: Any) -> Iterable[Any]:
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def show(args: dict[str, Any], key: str, height: int, returned_objects: list[str],
         center: tuple[float, float] | None = None, zoom: float | None = None) -> Any:
    """Send prepared arguments to the component (full width); what it returns."""
    hash_key = args["key"]
    defaults = {name: None for name in DEFAULTS} | {"bounds": args["bounds"],
                                                     "zoom": args["zoom"]}

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=args["script"], header=args["header"], html=args["html"], id=args["id"],
        key=hash_key, height=height, width=None, returned_objects=returned_objects,
        default={k: v for k, v in defaults.items() if k in returned_objects},
        zoom=zoom, center=center, feature_group=args["feature_group"],
        return_on_hover=False, layer_control=args["layer_control"], pixelated=False,
        css_links=args["css_links"], js_links=args["js_links"], on_change=on_change,
        wrap_longitude=False)

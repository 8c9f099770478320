"""What a rerun sends for the map: borders fetched once, arguments as st_folium makes them."""

from __future__ import annotations

import json

import pytest
import streamlit_folium

from bench.generate import write_acled
from dashboard.aggregate import MAX_EVENTS
from dashboard.assets import localise, static_url
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import load_path
from dashboard.layers.heat import event_points, heat_layer
from dashboard.map_builder import base_map, basemap_json, event_layers, layer_control
from dashboard.ui import folium_args

URL = "/app/static/vendor/basemap/borders-0123.json"


def parts(bundled, geodata, borders_url=None):
    events = apply_filters(bundled.events, FilterState())
    return (base_map(geodata.gazetteer, legend_open=False, borders_url=borders_url),
            [*event_layers(events, geodata.gazetteer), heat_layer(event_points(events))],
            layer_control())


def test_borders_from_a_url_are_fetched_not_inlined(bundled, geodata):
    inline = base_map(geodata.gazetteer).get_root().render()
    fetched = base_map(geodata.gazetteer, borders_url=URL).get_root().render()
    shapes = json.loads(basemap_json())["features"]
    assert all(f["properties"]["style"] for f in shapes)
    assert inline.count('"level"') == len(shapes) and URL not in inline
    assert '"level"' not in fetched and f"fetch({json.dumps(URL)})" in fetched
    assert len(inline) - len(fetched) > len(basemap_json()) * 0.9


@pytest.mark.parametrize("borders_url", [None, URL])
def test_prepared_arguments_are_what_st_folium_sends(bundled, geodata, monkeypatch,
                                                     borders_url):
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw))
    fmap, layers, control = parts(bundled, geodata, borders_url)
    streamlit_folium.st_folium(fmap, key="event_map", height=680, use_container_width=True,
                               feature_group_to_add=layers, layer_control=control,
                               returned_objects=["bounds", "center", "zoom"])
    prepared = folium_args.prepare(*parts(bundled, geodata, borders_url), key="event_map")
    for name in ("script", "header", "html", "feature_group", "layer_control", "css_links",
                 "js_links"):
        assert prepared[name] == sent[name], name
    assert prepared["key"] == sent["key"]  # the component keeps its identity across reruns
    assert "Heat map of events" in prepared["layer_control"]  # the overlay is offered
    sent.clear()
    folium_args.show(prepared, key="event_map", height=680,
                     returned_objects=["bounds", "center", "zoom"])
    assert sent["script"] == prepared["script"] and sent["width"] is None
    assert set(sent["default"]) == {"bounds", "zoom"}


def _sent(events, gazetteer) -> int:
    """Bytes of the component's arguments for ``events`` drawn one by one, as the app
    builds them (heat overlay and layer switcher included), JSON-encoded as Streamlit
    sends them."""
    fmap = base_map(gazetteer, legend_open=False, borders_url=URL)
    layers = [*event_layers(events, gazetteer), heat_layer(event_points(events))]
    control = layer_control()
    for element in (fmap, *layers, control):
        localise(element, static_url())
    return len(json.dumps(folium_args.prepare(fmap, layers, control, key="event_map")))


def test_two_thousand_drawn_events_send_at_most_a_megabyte(geodata, tmp_path):
    path = write_acled(tmp_path / "acled.csv", MAX_EVENTS, seed=1)
    data = load_path(path, geodata)
    assert len(data.events) == MAX_EVENTS
    assert _sent(data.events, data.geodata.gazetteer) <= 1_000_000


def test_the_bundled_events_send_half_what_html_popups_did(bundled, geodata):
    assert _sent(bundled.events, geodata.gazetteer) < 200_000  # 356 KB with HTML popups

"""The folium map: offline assets, one layer per category, legend, every event present."""

from __future__ import annotations

import re

import folium
import folium.plugins
import pytest
from branca.colormap import LinearColormap

from dashboard.assets import KNOWN, OfflineAssetError, inline_url, localise, static_url
from dashboard.layers.store import RECORD, event_store
from dashboard.map_builder import base_map, event_layers, full_map, legend_html
from dashboard.schema import CATEGORIES
from tests.conftest import page_store

ASSET_REF = re.compile(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)""")


@pytest.fixture(scope="module")
def page(bundled) -> str:
    fmap = full_map(bundled.events, bundled.geodata.gazetteer)
    localise(fmap, inline_url)
    return fmap.get_root().render()


def test_page_loads_no_script_or_style_from_the_internet(page):
    assert ASSET_REF.findall(page) == []
    assert "cdn." not in page and "unpkg" not in page and "d3js" not in page


def test_page_carries_leaflet_and_markercluster_inline(page):
    assert page.count("data:text/javascript;base64,") >= 2
    assert "data:text/css;base64," in page


def test_every_event_is_in_the_page(page, bundled):
    for event_id in bundled.events["event_id"]:
        assert f'"{event_id}"' in page


def test_event_layers_are_not_offered_in_the_layer_switcher(bundled):
    """The sidebar's check boxes are the one layer switch: the map's control offers none."""
    fmap = full_map(bundled.events, bundled.geodata.gazetteer)
    control = next(c for c in fmap._children.values() if isinstance(c, folium.LayerControl))
    control.render()
    assert set(control.overlays) == {"Place names"}
    layers = event_layers(bundled.events, bundled.geodata.gazetteer)
    assert all(not layer.control for layer in layers)


def test_layers_without_events_add_nothing(bundled):
    military = bundled.events[bundled.events["category"] == "military"]
    names = [layer.layer_name for layer in event_layers(military, bundled.geodata.gazetteer)]
    assert not any(c in " ".join(names) for c in CATEGORIES if c != "military")
    assert event_layers(bundled.events.iloc[0:0], bundled.geodata.gazetteer) == []


def test_legend_has_a_count_for_every_layer():
    legend = legend_html()
    for category in CATEGORIES:
        assert f"data-count-for='{category}'" in legend


def test_base_map_is_vector_and_tiles_are_optional(geodata):
    fmap = base_map(geodata.gazetteer)
    tiles = [c for c in fmap._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles and all(not t.show and not t.overlay for t in tiles)
    vector = [c for c in fmap._children.values()
              if isinstance(c, folium.FeatureGroup) and not c.overlay]
    assert vector and vector[0].show
    assert fmap.options["maxZoom"]  # MarkerCluster needs it when tiles=None


def test_legend_shows_every_layer_with_symbol(geodata):
    legend = legend_html()
    for category in CATEGORIES.values():
        assert category.label in legend and category.colour in legend


def test_static_urls_point_at_streamlit_static_route():
    url = static_url("/app/static")(KNOWN["leaflet"])
    assert url == "/app/static/vendor/leaflet/leaflet.js"


def test_localise_replaces_cdn_links_on_every_element(geodata):
    fmap = base_map(geodata.gazetteer)
    cluster = folium.plugins.MarkerCluster().add_to(fmap)
    used = localise(fmap, static_url("/s"))
    assert {a.file for a in used} >= {"leaflet.js", "leaflet.css",
                                      "leaflet.markercluster.js"}
    assert all(href.startswith("/s/") for _, href in fmap.default_js + cluster.default_css)


def test_awesome_marker_icons_are_refused(geodata):
    fmap = base_map(geodata.gazetteer)
    folium.Marker([40, 45], icon=folium.Icon()).add_to(fmap)
    with pytest.raises(OfflineAssetError, match="awesome-markers"):
        localise(fmap, inline_url)


def test_branca_colormaps_are_refused(geodata):
    fmap = base_map(geodata.gazetteer)
    fmap.add_child(LinearColormap(["red", "blue"]))
    with pytest.raises(OfflineAssetError, match="d3"):
        localise(fmap, inline_url)


def test_leaflet_stylesheet_images_are_inlined():
    css_url = inline_url(KNOWN["leaflet_css"])
    import base64

    css = base64.b64decode(css_url.split(",", 1)[1]).decode()
    assert "url(images/" not in css and "data:image/png;base64," in css


def test_markers_say_whether_the_date_is_known_to_the_day(bundled):
    events = bundled.events
    records = event_store(events, bundled.geodata.gazetteer).records
    for record, precision in zip(records, events["date_precision"], strict=True):
        assert record[RECORD.index("precise")] == (precision == "day")
    assert "date known only to the month or year" in legend_html()
    assert "ev-imprecise" in legend_html()  # its sample symbol is drawn as the map draws them


def test_an_exported_page_draws_vaguely_dated_events_faded(bundled):
    from datetime import date

    from dashboard.export import snapshot
    from dashboard.filters import FilterState, apply_filters

    offensive = FilterState(date(2023, 9, 19), date(2023, 9, 20))
    vague = (apply_filters(bundled.events, offensive)["date_precision"] != "day").sum()
    html = snapshot(bundled, offensive, "html").decode("utf-8")
    records = page_store(html)["e"]
    assert vague and sum(r[RECORD.index("precise")] == 0 for r in records) == vague
    assert "ev-imprecise" in html and "date known only to the month or year" in html

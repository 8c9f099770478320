"""A standalone page: the map with its layers, popups and sources, nothing to download."""

from __future__ import annotations

import json
from typing import cast

import folium
import pandas as pd
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from dashboard.aggregate import MAX_EVENTS, aggregate, needs_aggregates, zoom_for
from dashboard.assets import inline_url, localise
from dashboard.dataset import Dataset
from dashboard.export.describe import footer, title
from dashboard.export.extent import events_extent, lonlat, outside
from dashboard.export.types import Bounds, SnapshotOptions
from dashboard.filters import FilterState
from dashboard.gazetteer import Gazetteer
from dashboard.layers.aggregates import aggregate_layers
from dashboard.map_builder import MAX_ZOOM, base_map, full_map, layer_control
from dashboard.profile import STUDY_AREA
from dashboard.safe_html import text as escape
from dashboard.sources import cite, texts

FAR_PLACES = 10  # places outside the view named in the header of a page of sums
PAGE_CELLS = 6000  # circles a page of sums holds at most, over all its zooms (~3 MB)
HEADER_CSS = """
.ev-page-header { position: absolute; z-index: 1000; top: 10px; left: 60px; right: 300px;
  background: rgba(255,255,255,0.94); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 13px/1.35 system-ui, sans-serif; }
.ev-page-header h1 { font-size: 16px; margin: 0 0 2px; }
.ev-page-header p { margin: 0; color: #333; font-size: 11px; }
"""


def header_html(heading: str, foot: str, far: dict[str, int], summed: str = "") -> str:
    """The page's title bar: what is shown (``summed``: how, when as circles), what lies
    outside the view, the sources."""
    note = f"<p>{escape(summed)}</p>" if summed else ""
    if far:
        listed = ", ".join(f"{escape(name)} ({n})" for name, n in far.items())
        note += f"<p>Outside this view (zoom out): {listed}.</p>"
    return (f"<header class='ev-page-header' role='banner'><h1>{escape(heading)}</h1>"
            f"{note}<p>{escape(foot)}</p></header>")


class _Levels(MacroElement):
    """Shows the one group of sums made for the map's zoom (the deepest not beyond it)."""

    _template = Template("""{% macro script(this, kwargs) %}
    (function(map, levels) {
      function pick() {
        var zoom = map.getZoom(), chosen = levels[0][1];
        levels.forEach(function(l) { if (zoom >= l[0]) { chosen = l[1]; } });
        levels.forEach(function(l) {
          if (l[1] === chosen) { if (!map.hasLayer(l[1])) { map.addLayer(l[1]); } }
          else if (map.hasLayer(l[1])) { map.removeLayer(l[1]); }
        });
      }
      map.on('zoomend', pick);
      pick();
    })({{ this._parent.get_name() }}, [
      {%- for zoom, group in this.levels %}[{{ zoom }}, {{ group }}],{% endfor %}]);
    {% endmacro %}""")

    def __init__(self, levels: list[tuple[int, str]]):
        super().__init__()
        self._name = "Levels"
        self.levels = levels


def summed_map(events: pd.DataFrame, gazetteer: Gazetteer, view: list[list[float]] | None,
               bounds: Bounds | None) -> tuple[folium.Map, str]:
    """The map of more events than a browser draws one by one: their sums per grid cell,
    as the dashboard's map draws them, at the zoom that fits ``bounds`` and at the next
    zooms while the page holds at most :data:`PAGE_CELLS` cells; and what it says."""
    (south, west), (north, east) = view or STUDY_AREA
    first = zoom_for(bounds or (south, west, north, east))
    lon, lat = lonlat(events)
    located = pd.DataFrame({"lat": lat, "lon": lon, "category": events["category"],
                            "start": events["start"], "end": events["end"]})
    fmap = base_map(gazetteer, view=view)
    levels: list[tuple[int, str]] = []
    held = 0
    for zoom in range(first, MAX_ZOOM + 1):
        cells = aggregate(located, zoom)
        if levels and held + len(cells) > PAGE_CELLS:
            break
        held += len(cells)
        for group in aggregate_layers(cells):
            group.show = not levels
            group.add_to(fmap)
            levels.append((zoom, group.get_name()))
    fmap.add_child(_Levels(levels))
    layer_control().add_to(fmap)
    return fmap, (f"{len(events):,} events are shown as circles, one per area, sized by "
                  "their number and coloured by their most frequent layer (more than "
                  f"{MAX_EVENTS:,} are not drawn one by one); zooming in divides them. This "
                  "page holds the sums; the dashboard and the data exports have every event.")


# Popups link to the document texts on the app's server; a standalone page has none, so it
# carries the texts of the documents it cites and opens them from memory (a blob: URL).
SOURCE_TEXTS_JS = """
document.addEventListener('click', function (event) {
  var link = event.target.closest && event.target.closest('a.ev-source-text');
  if (!link) { return; }
  var texts = JSON.parse(document.getElementById('ev-source-texts').textContent);
  var text = texts[link.getAttribute('data-source-file')];
  if (typeof text !== 'string') { event.preventDefault(); return; }
  link.href = URL.createObjectURL(new Blob([text], {type: 'text/plain;charset=utf-8'}));
}, true);
"""


def raw_element(html: str) -> Element:
    """An element printing ``html`` as it is: not read as template text."""
    element = Element("{{ this.raw }}")
    element.raw = html  # type: ignore[attr-defined]  # read by the template above
    return element


def source_texts_html(events: pd.DataFrame) -> str:
    """The cited documents' texts as JSON in a script element, and the script opening them."""
    files = [s.file for s in map(cite, events["source"].unique()) if s is not None]
    payload = json.dumps(texts(files), ensure_ascii=True).replace("<", "\\u003c")
    return (f"<script type='application/json' id='ev-source-texts'>{payload}</script>"
            f"<script>{SOURCE_TEXTS_JS}</script>")


def render(data: Dataset, state: FilterState, events: pd.DataFrame,
           options: SnapshotOptions) -> bytes:
    """One HTML file that opens in any browser with no internet.

    Leaflet, MarkerCluster, styles and images are inlined as ``data:`` URLs; the
    OpenStreetMap layer is there for readers who are online but off by default, so the
    page makes no request at all until a reader picks it. More events than the map draws
    one by one (:data:`dashboard.aggregate.MAX_EVENTS`) are summed per area, as the map
    sums them, and the header says so.
    """
    bounds = options.bounds or events_extent(events)
    view = [[bounds[0], bounds[1]], [bounds[2], bounds[3]]] if bounds else None
    far = outside(events, bounds) if bounds else {}
    summed = needs_aggregates(len(events))
    if summed:  # no popups, so no source texts; of places outside, those with most events
        fmap, said = summed_map(events, data.geodata.gazetteer, view, bounds)
        far = dict(sorted(far.items(), key=lambda kv: -kv[1])[:FAR_PLACES])
    else:
        fmap, said = full_map(events, data.geodata.gazetteer, view=view), ""
    heading = title(state, data, events)
    root = cast(Figure, fmap.get_root())
    root.title = escape(heading)  # branca writes the title into <title> as it is
    root.header.add_child(Element(f"<style>{HEADER_CSS}</style>"))
    root.html.add_child(Element(header_html(heading, footer(events), far, said)))
    if not summed:
        root.html.add_child(raw_element(source_texts_html(events)))
    localise(fmap, inline_url)
    return root.render().encode("utf-8")

"""A standalone page: the map with its layers, popups and sources, nothing to download."""

from __future__ import annotations

import json
from typing import cast

import pandas as pd
from branca.element import Element, Figure

from dashboard.assets import inline_url, localise
from dashboard.dataset import Dataset
from dashboard.export.describe import footer, title
from dashboard.export.extent import events_extent, outside
from dashboard.export.types import SnapshotOptions
from dashboard.filters import FilterState
from dashboard.map_builder import full_map
from dashboard.safe_html import text as escape
from dashboard.sources import cite, texts

HEADER_CSS = """
.ev-page-header { position: absolute; z-index: 1000; top: 10px; left: 60px; right: 300px;
  background: rgba(255,255,255,0.94); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 13px/1.35 system-ui, sans-serif; }
.ev-page-header h1 { font-size: 16px; margin: 0 0 2px; }
.ev-page-header p { margin: 0; color: #333; font-size: 11px; }
"""


def header_html(heading: str, foot: str, far: dict[str, int]) -> str:
    """The page's title bar: what is shown, what lies outside the view, the sources."""
    note = ""
    if far:
        listed = ", ".join(f"{escape(name)} ({n})" for name, n in far.items())
        note = f"<p>Outside this view (zoom out): {listed}.</p>"
    return (f"<header class='ev-page-header' role='banner'><h1>{escape(heading)}</h1>"
            f"{note}<p>{escape(foot)}</p></header>")


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
    page makes no request at all until a reader picks it.
    """
    bounds = options.bounds or events_extent(events)
    view = [[bounds[0], bounds[1]], [bounds[2], bounds[3]]] if bounds else None
    fmap = full_map(events, data.geodata.gazetteer, view=view)
    heading = title(state, data, events)
    root = cast(Figure, fmap.get_root())
    root.title = escape(heading)  # branca writes the title into <title> as it is
    root.header.add_child(Element(f"<style>{HEADER_CSS}</style>"))
    root.html.add_child(Element(header_html(heading, footer(events),
                                            outside(events, bounds) if bounds else {})))
    root.html.add_child(raw_element(source_texts_html(events)))
    localise(fmap, inline_url)
    return root.render().encode("utf-8")

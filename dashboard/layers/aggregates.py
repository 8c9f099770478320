"""The map layer of aggregates: one circle per grid cell, sized by its events, coloured by
its dominant layer; its tooltip counts events per layer and gives the date span, and a
click zooms into the cell.

Used when a view holds more events than a browser should draw one by one
(:data:`dashboard.aggregate.MAX_EVENTS`); the cells come from :func:`aggregate`.
"""

from __future__ import annotations

import math
from datetime import date

import folium
import folium.plugins
import pandas as pd

from dashboard.formatting import format_day
from dashboard.safe_template import dumps as safe_dumps
from dashboard.schema import CATEGORIES

MIN_RADIUS, MAX_RADIUS = 6, 26  # pixels

# The tooltip and label are written here from the cell's counts (labels are the layers').
AGGREGATE_TO_LAYER = folium.JsCode("""function(feature, latlng) {
  var p = feature.properties, labels = LABELS;
  function n(count) { return String(count).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','); }
  var lines = ['<b>' + n(p.count) + ' events</b> (click to zoom in)'];
  ORDER.forEach(function(c) {
    if (p.counts[c]) { lines.push(window.dashboardEscape(labels[c]) + ': ' + n(p.counts[c])); }
  });
  lines.push(window.dashboardEscape(p.span));
  var label = n(p.count) + ' events, mostly ' + labels[p.dominant];
  var circle = L.circleMarker(latlng, {radius: p.radius, color: '#222', weight: 1,
      fillColor: p.colour, fillOpacity: 0.75, className: 'ev-aggregate',
      keyboard: true});
  circle.bindTooltip(lines.join('<br>'), {direction: 'top'});
  circle.on('click', function() {
    var map = circle._map;
    if (!map) { return; }
    var b = p.bounds;  // south, west, north, east
    if (b[0] === b[2] && b[1] === b[3]) { map.setView(latlng, map.getZoom() + 2); }
    else { map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {padding: [30, 30]}); }
  });
  circle.on('add', function() {
    var path = circle.getElement && circle.getElement();
    if (path) { path.setAttribute('aria-label', label); path.setAttribute('role', 'button'); }
  });
  return circle;
}""".replace("LABELS", safe_dumps({c.id: c.label for c in CATEGORIES.values()}))
    .replace("ORDER", safe_dumps(list(CATEGORIES))))


def radius(count: int, largest: int) -> float:
    """A circle's radius in pixels: its area grows with the events it stands for."""
    share = math.sqrt(count / largest) if largest else 0.0
    return round(MIN_RADIUS + share * (MAX_RADIUS - MIN_RADIUS), 1)


def span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The dates of a cell's events: ``19 Sep 2023`` or ``19 Sep 2023 – 2 Oct 2023``."""
    return _span(first.date(), last.date())


def _span(first: date, last: date) -> str:
    first_day, last_day = format_day(first), format_day(last)
    return first_day if first_day == last_day else f"{first_day} – {last_day}"


def aggregate_features(cells: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection of ``cells`` (:func:`dashboard.aggregate.aggregate`):
    what their circles, tooltips and labels show."""
    largest = int(cells["count"].max()) if len(cells) else 0
    names = ["lon", "lat", "count", "dominant", "first", "last", "south", "west", "north",
             "east", *CATEGORIES]
    # Column by column (quicker); the dates as days, all span shows, quicker than Timestamps.
    values = {name: cells[name].to_numpy(dtype="datetime64[D]").tolist()
              if name in ("first", "last") else cells[name].tolist() for name in names}
    spans: dict[tuple, str] = {}  # many cells share their first and last days
    features = []
    for row in zip(*values.values(), strict=True):
        cell = dict(zip(names, row, strict=True))
        days = (cell["first"], cell["last"])
        if days not in spans:
            spans[days] = _span(*days)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(cell["lon"], 5), round(cell["lat"], 5)]},
            "properties": {
                "kind": "aggregate", "count": int(cell["count"]),
                "counts": {c: int(cell[c]) for c in CATEGORIES if cell[c]},
                "radius": radius(int(cell["count"]), largest),
                "colour": CATEGORIES[cell["dominant"]].colour, "dominant": cell["dominant"],
                "span": spans[days],
                "bounds": [round(cell[k], 5) for k in ("south", "west", "north", "east")],
            },
        })
    return {"type": "FeatureCollection", "features": features}


def aggregate_layers(cells: pd.DataFrame) -> list[folium.FeatureGroup]:
    """The events summed per cell (:func:`dashboard.aggregate.aggregate`) as the map's one
    event layer (the dashboard adds the heat overlay of the same cells,
    :func:`dashboard.layers.heat.cell_points`).

    It carries an empty marker cluster: the map loads its plugins' scripts when it is first
    drawn, and the single events that zooming in brings back are clustered.
    """
    group = folium.FeatureGroup(name="aggregates", control=False, show=True)
    folium.plugins.MarkerCluster(control=False).add_to(group)
    folium.GeoJson(aggregate_features(cells), name="event aggregates", control=False,
                   pointToLayer=AGGREGATE_TO_LAYER).add_to(group)
    return [group]

"""The map layer of aggregates: one circle per grid cell, sized by its events, coloured by
its dominant layer; its tooltip counts events per layer and gives the date span, and a
click zooms into the cell.

Used when a view holds more events than a browser should draw one by one
(:data:`dashboard.aggregate.MAX_EVENTS`); the cells come from :func:`aggregate`.
"""

from __future__ import annotations

from datetime import date

import folium
import folium.plugins
import numpy as np
import pandas as pd

from dashboard.formatting import format_day
from dashboard.map_popups import FeatureData, empty_collection
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


def _span(first: date, last: date) -> str:
    first_day, last_day = format_day(first), format_day(last)
    return first_day if first_day == last_day else f"{first_day} – {last_day}"


# The fields of a cell as sent (:func:`aggregate_rows`), then its count per layer in
# :data:`CATEGORIES` order; the browser makes each cell's feature from them.
ROW = ("lon", "lat", "count", "radius", "dominant", "span", "south", "west", "north", "east")

# window.dashboardAggregates: the features aggregate_rows' rows stand for (the properties
# AGGREGATE_TO_LAYER reads: counts of the layers with events, colour of the dominant one).
AGGREGATES_SCRIPT = """window.dashboardAggregates = function(rows) {
  var order = ORDER, colours = COLOURS, n = NFIELDS;
  return {type: 'FeatureCollection', features: rows.map(function(r) {
    var counts = {};
    order.forEach(function(c, i) { if (r[n + i]) { counts[c] = r[n + i]; } });
    var dominant = order[r[4]];
    return {type: 'Feature', geometry: {type: 'Point', coordinates: [r[0], r[1]]},
      properties: {kind: 'aggregate', count: r[2], counts: counts, radius: r[3],
        colour: colours[dominant], dominant: dominant, span: r[5],
        bounds: [r[6], r[7], r[8], r[9]]}};
  })};
};""".replace("ORDER", safe_dumps(list(CATEGORIES))).replace(
    "COLOURS", safe_dumps({c.id: c.colour for c in CATEGORIES.values()})).replace(
    "NFIELDS", str(len(ROW)))


def aggregate_rows(cells: pd.DataFrame, largest: int | None = None) -> list[list]:
    """``cells`` (:func:`dashboard.aggregate.aggregate`) as the map sends them: one row per
    cell of :data:`ROW` and its count per layer, made column by column. Circles are sized
    against the ``largest`` cell (``cells``' own by default), so that the cells a map is
    sent of a larger set keep their sizes as it pans."""
    if not len(cells):
        return []
    counts = cells["count"].to_numpy(dtype=np.int64)
    largest = max(int(largest or 0), int(counts.max()))
    share = np.sqrt(counts / largest)  # a circle's area grows with its events
    radii = np.round(MIN_RADIUS + share * (MAX_RADIUS - MIN_RADIUS), 1)
    days = [cells[name].to_numpy(dtype="datetime64[D]").tolist() for name in ("first", "last")]
    spans: dict[tuple, str] = {}  # many cells share their first and last days
    for pair in zip(*days, strict=True):
        if pair not in spans:
            spans[pair] = _span(*pair)
    layer = {c: i for i, c in enumerate(CATEGORIES)}
    columns = [
        *(np.round(cells[k].to_numpy(dtype=float), 5).tolist() for k in ("lon", "lat")),
        counts.tolist(), radii.tolist(), [layer[c] for c in cells["dominant"].tolist()],
        [spans[pair] for pair in zip(*days, strict=True)],
        *(np.round(cells[k].to_numpy(dtype=float), 5).tolist()
          for k in ("south", "west", "north", "east")),
        *(cells[c].to_numpy(dtype=np.int64).tolist() for c in CATEGORIES),
    ]
    return [list(row) for row in zip(*columns, strict=True)]


def aggregate_layers(cells: pd.DataFrame,
                     largest: int | None = None) -> list[folium.FeatureGroup]:
    """The events summed per cell (:func:`dashboard.aggregate.aggregate`) as the map's one
    event layer (the dashboard adds the heat overlay of the same cells,
    :func:`dashboard.layers.heat.cell_points`); circles sized as :func:`aggregate_rows`.

    It carries an empty marker cluster: the map loads its plugins' scripts when it is first
    drawn, and the single events that zooming in brings back are clustered.
    """
    group = folium.FeatureGroup(name="aggregates", control=False, show=True)
    folium.plugins.MarkerCluster(control=False).add_to(group)
    cells_layer = folium.GeoJson(empty_collection(), name="event aggregates", control=False,
                                 pointToLayer=AGGREGATE_TO_LAYER)
    cells_layer.add_child(FeatureData("dashboardAggregates", aggregate_rows(cells, largest)))
    cells_layer.add_to(group)
    return [group]

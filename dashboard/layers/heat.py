"""The heat-map overlay: where events are dense, off until a reader turns it on.

Listed in the map's layer switcher. Its points are bounded like everything a map sends:
the events drawn one by one (at most :data:`dashboard.aggregate.MAX_EVENTS`), or the
cells of the aggregates drawn instead, each weighted by its count. leaflet-heat comes
from the installed folium package (see :mod:`dashboard.assets`).
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.plugins import HeatMap
from jinja2 import Template

HEAT_NAME = "Heat map of events"
DIGITS = 4  # about 10 m: finer than any heat blob
RADIUS, BLUR, MIN_OPACITY = 18, 14, 0.3


class _KeepState(MacroElement):
    """Hands the overlay's state to a new heat layer: a map redrawn with other events
    shows the new heat if the reader had turned the previous one on, and only then.

    The switcher adds the heat layer to the map itself, not to the group around it; the
    previous one is taken off here.
    """

    _template = Template("""{% macro script(this, kwargs) %}
        (function(heat) {
          var old = window.dashboardHeat, map = old && old._map;
          window.dashboardHeat = heat;
          if (map) { map.removeLayer(old); map.addLayer(heat); }
        })({{ this.heat.get_name() }});
    {% endmacro %}""")

    def __init__(self, heat: HeatMap):
        super().__init__()
        self._name = "KeepState"
        self.heat = heat


def heat_layer(points: list[list[float]]) -> folium.FeatureGroup:
    """A group holding the heat overlay of ``points`` (``[lat, lon]`` or ``[lat, lon,
    weight]``), off at first and offered in the layer switcher
    (:class:`dashboard.map_scripts.LayerControl` lists layers inside groups too)."""
    group = folium.FeatureGroup(name="heat", control=False, show=True)
    heat = HeatMap([], name=HEAT_NAME, overlay=True, control=True, show=False,
                   radius=RADIUS, blur=BLUR, min_opacity=MIN_OPACITY)
    # Given after: HeatMap checks its points one by one, and these are floats already.
    if points and np.isnan(np.asarray(points, dtype=float)).any():
        raise ValueError("data may not contain NaNs.")
    heat.data = points
    heat.add_to(group)
    group.add_child(_KeepState(heat))
    return group


def event_points(events: pd.DataFrame) -> list[list[float]]:
    """Each event's marker point as ``[lat, lon]``."""
    lat = events.geometry.y.round(DIGITS).tolist()
    lon = events.geometry.x.round(DIGITS).tolist()
    return [[y, x] for y, x in zip(lat, lon, strict=True)]


def cell_points(cells: pd.DataFrame) -> list[list[float]]:
    """Each aggregate cell (:func:`dashboard.aggregate.aggregate`) as ``[lat, lon, count]``."""
    lat = np.round(cells["lat"].to_numpy(dtype=float), DIGITS).tolist()
    lon = np.round(cells["lon"].to_numpy(dtype=float), DIGITS).tolist()
    counts = cells["count"].to_numpy(dtype=np.int64).tolist()
    return [[y, x, n] for y, x, n in zip(lat, lon, counts, strict=True)]

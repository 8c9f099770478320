"""Constant JavaScript of the map (place lists, cluster clicks, legend counts, first view)
and the folium elements that run it.

No data text is ever put into this code: events reach the browser only as JSON data (the
map's event store and GeoJSON properties), which the functions here read; their popups and
tooltips are written by :mod:`dashboard.map_popups`.
"""

from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from folium import LayerControl as FoliumLayerControl
from folium.map import Layer
from folium.template import Template as FoliumTemplate
from jinja2 import Template

from dashboard.layers.symbols import symbol_svg
from dashboard.safe_template import dumps as safe_dumps
from dashboard.schema import CATEGORIES
from dashboard.sources import TEXT_ROUTE

NARROW_PX = 600  # maps narrower than this fold the layer switcher
FIT_PADDING = 0.04  # the first view's margin, a share of the map's width and height

# Test and page hooks: the ids of the events on the map, and opening one's popup (or its
# item in the list of its place), spreading its cluster if need be.
EVENT_IDS_SCRIPT = """window.dashboardEventIds = function() {
  var ids = new Set();
  function walk(layer) {
    var p = layer.feature && layer.feature.properties;
    if (p && p.event_id) { ids.add(p.event_id); }
    if (p && p.event_ids) { p.event_ids.forEach(function(i) { ids.add(i); }); }
    if (layer.eachLayer && layer !== MAP) { layer.eachLayer(walk); }
  }
  MAP.eachLayer(walk);
  return Array.from(ids).sort();
};
window.dashboardOpenEvent = function(id) {
  var found = null, owner = null;
  function walk(layer, group) {
    var p = layer.feature && layer.feature.properties;
    if (found) { return; }
    if (p && ((p.kind === 'marker' && p.event_id === id)
              || (p.kind === 'group' && p.event_ids.indexOf(id) >= 0))) {
      found = layer; owner = group; return;
    }
    if (layer.eachLayer && layer !== MAP) {
      var inner = layer.zoomToShowLayer ? layer : group;
      layer.eachLayer(function(child) { walk(child, inner); });
    }
  }
  MAP.eachLayer(function(layer) { walk(layer, null); });
  if (!found) { return false; }
  function show() { found.openPopup(); window.dashboardExpandEvent(found, id); }
  if (owner) { owner.zoomToShowLayer(found, show); } else { show(); }
  return true;
};"""


# The marker of a point with several events; its popup lists them, one expandable item per
# event (dashboard.map_popups builds the list when it opens).
PLACE_LIST_SCRIPT = """window.dashboardGroupMarker = function(p, latlng) {
  var holder = document.createElement('div');
  holder.innerHTML = p.title;  // escaped: text only, no tags
  var label = holder.textContent;
  var marker = L.marker(latlng, {icon: L.divIcon({html: p.icon, className: 'ev-marker ev-group',
      iconSize: null, iconAnchor: [0, 0]}), title: label, keyboard: true, riseOnHover: true});
  marker.on('add', function() {
    if (this._icon) { this._icon.setAttribute('data-event-ids', p.event_ids.join(' '));
                      this._icon.setAttribute('aria-label', label); }
  });
  return marker;
};
window.dashboardExpandEvent = function(layer, id) {
  var popup = layer.getPopup && layer.getPopup();
  var element = popup && popup.getElement();
  if (!element) { return; }
  element.querySelectorAll('details.ev-item').forEach(function(item) {
    if (item.dataset.eventId === id) {
      item.open = true;  // scrolled within the list only: scrollIntoView would move the page
      var list = item.parentNode;
      list.scrollTop = item.offsetTop - list.offsetTop;
    }
  });
};"""

# A cluster click zooms to where its members separate, never further; members that never
# separate (a few metres apart) are spread around the cluster instead.
CLUSTER_CLICK_SCRIPT = """window.dashboardClusterClick = function(e) {
  if (e.type === 'clusterkeypress' && !(e.originalEvent && e.originalEvent.keyCode === 13)) {
    return;
  }
  var cluster = e.layer, map = e.target._map, node = cluster;
  while (node._childClusters.length === 1 && node._markers.length === 0) {
    node = node._childClusters[0];
  }
  var split = node._zoom + 1;
  if (split > map.getMaxZoom()) { cluster.spiderfy(); return; }
  map.setView(cluster.getBounds().getCenter(), split);
};"""

CATEGORY_SYMBOLS = safe_dumps({c: symbol_svg(c, 12) for c in CATEGORIES})
ORDER = safe_dumps(list(CATEGORIES))

# Per layer, how many of the events on the map it holds: kept in the legend.
LEGEND_COUNT_SCRIPT = """(function(map) {
  var pending = false;
  function count() {
    pending = false;
    var layerOf = {}, circles = {}, counts = {};
    function walk(layer) {
      var p = layer.feature && layer.feature.properties;
      // A circle for many events (met once per group it is in): its counts per layer.
      if (p && p.kind === 'aggregate') { circles[L.stamp(layer)] = p.counts; }
      if (p && p.kind === 'marker') { layerOf[p.event_id] = p.category; }
      if (p && p.kind === 'group') {
        p.event_ids.forEach(function(id, i) { layerOf[id] = p.categories[i]; });
      }
      if (layer.eachLayer && layer !== map) { layer.eachLayer(walk); }
    }
    map.eachLayer(walk);
    Object.keys(circles).forEach(function(k) {
      Object.keys(circles[k]).forEach(function(c) {
        counts[c] = (counts[c] || 0) + circles[k][c];
      });
    });
    Object.keys(layerOf).forEach(function(id) {
      counts[layerOf[id]] = (counts[layerOf[id]] || 0) + 1;
    });
    document.querySelectorAll('.ev-legend [data-count-for]').forEach(function(span) {
      var n = counts[span.dataset.countFor] || 0;
      span.textContent = '(' + n + ')';
      span.parentNode.classList.toggle('ev-empty', n === 0);
    });
  }
  map.on('layeradd layerremove', function() {
    if (!pending) { pending = true; setTimeout(count, 0); }
  });
  count();
})(MAP);"""


# Requests to move the map, from dashboard.map_focus.
FOCUS_SCRIPT = """window.dashboardFocus = function(p) {
  if (window.dashboardFocusToken === p.token) { return; }
  window.dashboardFocusToken = p.token;
  if (p.fit) { window.dashboardFit(MAP, p.fit); }
  if (p.open) { window.dashboardOpenEvent(p.open); }
};"""


def cluster_icon() -> str:
    """A cluster's badge: the symbols of the layers in it and how many events it holds."""
    return ("function(cluster) { var symbols = SYMBOLS, n = 0, present = {};"
            " cluster.getAllChildMarkers().forEach(function(m) {"
            "  var p = m.feature ? m.feature.properties : {};"
            "  if (p.kind === 'group') { n += p.event_ids.length;"
            "    p.categories.forEach(function(c) { present[c] = true; }); }"
            "  else { n += 1; present[p.category] = true; } });"
            # Leaflet gives the badge this title: its name for screen readers.
            " cluster.options.title = n + ' events close together: press Enter to zoom in"
            " or spread them';"
            " var html = ORDER.filter(function(c) { return present[c]; })"
            "  .map(function(c) { return symbols[c]; }).join('');"
            " return L.divIcon({html: '<div class=\"ev-cluster\">' + html + '<b>' + n +"
            " '</b></div>', className: 'ev-cluster-icon', iconSize: null,"
            " iconAnchor: [0, 0]}); }"
            ).replace("SYMBOLS", CATEGORY_SYMBOLS).replace("ORDER", ORDER)


FIT_FUNCTION = """window.dashboardFit = function(map, bounds) {
  var size = map.getSize(), x = Math.round(size.x * PAD), y = Math.round(size.y * PAD);
  var control = map.getContainer().querySelector('.leaflet-control-layers-expanded');
  var top = control ? control.offsetHeight + 10 : 0;  // keep clear of an open layer list
  map.fitBounds(bounds, {paddingTopLeft: [x, y + top], paddingBottomRight: [x, y],
                         animate: false});
};""".replace("PAD", str(FIT_PADDING))


def fit_script(bounds: list[list[float]]) -> str:
    """Fit ``bounds`` ([[south, west], [north, east]]) with a margin relative to the map."""
    return f"window.dashboardFit(MAP, {safe_dumps(bounds)});"


LAYER_CONTROL_TEMPLATE = """{% macro script(this, kwargs) %}
    var {{ this.get_name() }}_layers = {
        base_layers : {
            {%- for key, val in this.base_layers.items() %}
            {{ key|tojson }} : {{val}},
            {%- endfor %}
        },
        overlays :  {
            {%- for key, val in this.overlays.items() %}
            {{ key|tojson }} : {{val}},
            {%- endfor %}
        },
    };
    let {{ this.get_name() }} = L.control.layers(
        {{ this.get_name() }}_layers.base_layers,
        {{ this.get_name() }}_layers.overlays,
        Object.assign({{ this.options|tojavascript }},
                      {collapsed: {{ this._parent.get_name() }}.getSize().x < NARROW})
    ).addTo({{this._parent.get_name()}});
{% endmacro %}""".replace("NARROW", str(NARROW_PX))


class ClusterClick(MacroElement):
    """Route a cluster's clicks (and Enter) to ``window.dashboardClusterClick``."""

    _template = Template("""{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on('clusterclick clusterkeypress',
                                         window.dashboardClusterClick);
    {% endmacro %}""")


class LayerControl(FoliumLayerControl):
    """folium's layer switcher, folded on maps narrower than ``NARROW_PX``; it also offers
    the overlays inside groups the switcher does not list (the heat map, which is sent
    with the event layers)."""

    _template = FoliumTemplate(LAYER_CONTROL_TEMPLATE)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as folium's
        """Collect the map's layers as folium does, then the overlays inside groups."""
        self.reset()
        parent = self._parent
        assert parent is not None, "add the layer switcher to a map first"
        for item in parent._children.values():
            if not isinstance(item, Layer):
                continue
            if item.control:
                target = self.overlays if item.overlay else self.base_layers
                target[item.layer_name] = item.get_name()
                continue
            for inner in item._children.values():
                if isinstance(inner, Layer) and inner.control and inner.overlay:
                    self.overlays[inner.layer_name] = inner.get_name()
        MacroElement.render(self, **kwargs)


# Popups link a bundled document to the app's static route. Under a base URL path
# (server.baseUrlPath) that route starts with the base too; the map runs in the app's
# component frame, whose own address starts with the same base.
SOURCE_LINK_SCRIPT = """document.addEventListener('click', function(event) {
  var link = event.target.closest && event.target.closest('a.ev-source-text');
  var at = location.pathname.indexOf('/component/');
  if (!link || at < 0) { return; }
  link.href = location.pathname.slice(0, at) + ROUTE + '/'
    + encodeURIComponent(link.getAttribute('data-source-file'));
}, true);""".replace("ROUTE", safe_dumps(TEXT_ROUTE))


# Leaflet's keyboard handler focuses the map container on mousedown without preventScroll.
# Inside Streamlit's iframe that scrolls the page until the whole map is in view, so when the
# map reaches below the window the mouseup lands elsewhere and the click on a marker is lost.
NO_SCROLL_FOCUS_SCRIPT = """(function(kb) {
  if (!kb) { return; }
  kb.disable();
  kb._onMouseDown = function() {
    if (!this._focused) { this._map._container.focus({preventScroll: true}); }
  };
  kb.enable();
})(MAP.keyboard);"""

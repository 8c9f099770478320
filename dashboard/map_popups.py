"""Events' markers, popups and tooltips, made in the browser from the map's event store.

A map carries its events once, as compact data (:mod:`dashboard.layers.store`): each
text plain and once. One template here, sent once per map, writes every popup and
tooltip: the HTML of :func:`dashboard.popups.popup_body` with its title, every text
escaped as :func:`dashboard.safe_html.text` escapes it. Popups are written when opened.
No data text is ever put into this code: it reaches the browser only as JSON.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from dashboard.layers.store import RECORD, TEXT_FIELDS
from dashboard.layers.symbols import SIZE, icon_anchor, symbol_char, symbol_svg
from dashboard.safe_template import dumps as safe_dumps
from dashboard.schema import CATEGORIES

# Per layer: its marker, the symbol in badges, the glyph in lists, its label and anchor.
SYMBOLS = safe_dumps({
    "icon": {c.id: symbol_svg(c.id, label=c.label) for c in CATEGORIES.values()},
    "small": {c: symbol_svg(c, 12) for c in CATEGORIES},
    "char": {c: symbol_char(c) for c in CATEGORIES},
    "label": {c.id: c.label for c in CATEGORIES.values()},
    "anchor": {c: list(icon_anchor(c)) for c in CATEGORIES},
    "order": list(CATEGORIES),
})
FIELDS = safe_dumps([[name, name in TEXT_FIELDS] for name in RECORD])

POPUP_SCRIPT = r"""(function() {
var S = SYMBOLS, FIELDS = RECORD_FIELDS;
var CHANGED = /[&<>"'{}\u202a-\u202e\u2066-\u2069]/, BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
// dashboard.safe_html.text: the same escapes in the same order.
function esc(value) {
  var s = value === null || value === undefined ? '' : String(value);
  if (!CHANGED.test(s)) { return s; }
  s = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#x27;')
    .replace(/[{]/g, '&#123;').replace(/[}]/g, '&#125;');
  return s.replace(BIDI, function(c) {
    return '[U+' + ('000' + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) + ']';
  });
}
window.dashboardEscape = esc;
window.dashboardLoadStore = function(data) {
  function text(v) { return typeof v === 'number' ? data.t[v] : v; }
  function texts(list) { return list.map(text); }
  var places = data.p.map(texts), docs = data.d.map(texts);
  window.dashboardStore = {places: places, events: data.e.map(function(r) {
    var ev = {};
    FIELDS.forEach(function(f, i) { ev[f[0]] = f[1] ? text(r[i]) : r[i]; });
    ev.place = places[ev.place];
    ev.doc = ev.doc === null ? null : docs[ev.doc];
    ev.precise = ev.precise === 1;
    return ev;
  })};
};
function linked(value, link) {  // dashboard.safe_html.linked
  if (!link) { return esc(value); }
  var url = esc(value);
  return '<a href="' + url + '" target="_blank" rel="noopener noreferrer">' + url + '</a>';
}
function source(ev) {  // dashboard.sources.source_paragraph
  var d = ev.doc, note = ev.ref ? ', footnote ' + linked(ev.ref, ev.links & 2) : '';
  if (!d) {
    return "<p class='ev-source'><b>Source:</b> " + linked(ev.source, ev.links & 1) + note
      + '</p>';
  }
  return "<p class='ev-source'><b>Source:</b> <cite>" + esc(d[0]) + '</cite>' + note
    + "<br><span class='ev-source-detail'>" + esc(d[1]) + ', ' + esc(d[2]) + ', '
    + esc(d[3]) + "</span><br><a class='ev-source-text' href='" + esc(d[4])
    + "' data-source-file='" + esc(d[5]) + "' target='_blank' rel='noopener'>"
    + 'Read the source text</a></p>';
}
// The one popup template (dashboard.popups.popup_body), with its title or without.
window.dashboardPopup = function(ev, titled) {
  var p = ev.place, parts = [
    "<div class='ev-popup' data-event-id='" + esc(ev.event_id) + "'>",
    "<div class='ev-meta'>" + esc(S.label[ev.category]) + ' \u00b7 '
      + esc(String(ev.type).split('_').join(' ')) + '</div>',
    "<div class='ev-date'>" + esc(ev.when) + '</div>',
    titled ? "<h4 class='ev-title'>" + esc(ev.title) + '</h4>' : ''];
  if (ev.description) { parts.push("<p class='ev-desc'>" + esc(ev.description) + '</p>'); }
  if (ev.actors) { parts.push('<p><b>Actors:</b> ' + esc(ev.actors) + '</p>'); }
  if (ev.figures) {
    parts.push("<p class='ev-figures'><b>Figures:</b> " + esc(ev.figures)
      + (ev.claimed_by ? ' \u2014 <i>according to ' + esc(ev.claimed_by) + '</i>' : '')
      + '</p>');
  } else if (ev.claimed_by) {
    parts.push("<p class='ev-claim'><b>Claimed by:</b> " + esc(ev.claimed_by) + '</p>');
  }
  parts.push("<p class='ev-place'><b>Place:</b> " + esc(p[0])
    + (p[1] ? " <span class='ev-variants'>(also: " + esc(p[1]) + ')</span>' : '')
    + "<br><span class='ev-precision'>Location precision: " + esc(p[2]) + '</span></p>');
  if (ev.origin !== null) {
    parts.push('<p><b>Movement:</b> from ' + esc(ev.origin) + ' to ' + esc(ev.destination)
      + '</p>');
  }
  parts.push(source(ev));
  if (ev.quote) {
    parts.push("<blockquote class='ev-quote'>\u201c" + esc(ev.quote) + '\u201d</blockquote>');
  }
  if (ev.notes) { parts.push("<p class='ev-notes'><b>Notes:</b> " + esc(ev.notes) + '</p>'); }
  parts.push("<div class='ev-id'>Event " + esc(ev.event_id) + ' \u00b7 events file line '
    + esc(ev.line) + '</div></div>');
  return parts.join('');
};
window.dashboardTooltip = function(ev) {
  return '<b>' + esc(ev.title) + '</b><br>' + esc(ev.day) + ' \u00b7 ' + esc(ev.place[3]);
};
window.dashboardArrowLabel = function(ev) {
  return esc((ev.figures || 'People moving') + ' \u00b7 ' + ev.day);
};
window.dashboardAreaLabel = function(place) {
  return esc(place[3] + ' \u2014 ' + place[2]);
};
// The markers' features: [lon, lat, n] of one event, [lon, lat, [n, ...], names] of several.
window.dashboardMarkers = function(points) {
  var events = window.dashboardStore.events;
  return {type: 'FeatureCollection', features: points.map(function(m) {
    var props;
    if (typeof m[2] === 'number') {
      var ev = events[m[2]];
      props = {kind: 'marker', event_id: ev.event_id, category: ev.category,
               precise: ev.precise, event: ev};
    } else {
      var evs = m[2].map(function(n) { return events[n]; });
      var first = evs[0].day, last = evs[evs.length - 1].day;
      var categories = evs.map(function(ev) { return ev.category; });
      var symbols = S.order.filter(function(c) { return categories.indexOf(c) >= 0; })
        .map(function(c) { return S.small[c]; }).join('');
      props = {kind: 'group', event_ids: evs.map(function(ev) { return ev.event_id; }),
        categories: categories, events: evs, title: esc(evs.length + ' events at ' + m[3]),
        tooltip: esc((first === last ? first : first + ' \u2013 ' + last)
                     + ' \u00b7 click for the list'),
        icon: "<div class='ev-group-badge'>" + symbols + '<b>' + evs.length + '</b></div>'};
    }
    return {type: 'Feature', geometry: {type: 'Point', coordinates: [m[0], m[1]]},
            properties: props};
  })};
};
window.dashboardEventMarker = function(p, latlng) {
  var holder = document.createElement('div');
  holder.innerHTML = esc(p.event.title);
  var label = holder.textContent + ' (' + p.event.day + ')';
  var marker = L.marker(latlng, {icon: L.divIcon({html: S.icon[p.category], className:
      'ev-marker ev-' + p.category + (p.precise === false ? ' ev-imprecise' : ''),
      iconSize: [SIZE, SIZE], iconAnchor: S.anchor[p.category]}),
      title: label, keyboard: true, riseOnHover: true});
  marker.on('add', function() {
    if (this._icon) { this._icon.setAttribute('data-event-id', p.event_id);
                      this._icon.setAttribute('aria-label', label); }
  });
  return marker;
};
window.dashboardPlaceList = function(p) {
  var box = document.createElement('div');
  box.className = 'ev-list';
  var head = document.createElement('h4');
  head.className = 'ev-list-title';
  head.innerHTML = p.title;
  box.appendChild(head);
  p.events.forEach(function(ev) {
    var item = document.createElement('details');
    item.className = 'ev-item' + (ev.precise === false ? ' ev-imprecise' : '');
    item.dataset.eventId = ev.event_id;
    var summary = document.createElement('summary');
    summary.innerHTML = S.char[ev.category] + " <span class='ev-item-date'>" + esc(ev.day)
      + '</span> ' + esc(ev.title);
    var body = document.createElement('div');
    body.innerHTML = window.dashboardPopup(ev, false);  // the summary shows the title
    item.appendChild(summary);
    item.appendChild(body);
    box.appendChild(item);
  });
  return box;
};
})();""".replace("SYMBOLS", SYMBOLS).replace("RECORD_FIELDS", FIELDS).replace(
    "SIZE", str(SIZE))


def script_json(data: Any) -> str:
    """``data`` as compact JSON that is safe inside a page's script element and a
    template: no brace of data (:func:`dashboard.safe_template.dumps`), no ``<``, ``>``,
    ``&`` or ``'`` (``\\u`` escapes, as Jinja's ``tojson`` writes them)."""
    text = safe_dumps(data, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027"))


class StoreData(MacroElement):
    """Loads the map's event store (``window.dashboardStore``); first in the map's event
    layers, so that every layer after it finds the store."""

    _template = Template("""{% macro script(this, kwargs) %}
        window.dashboardLoadStore({{ this.json }});
    {% endmacro %}""")

    def __init__(self, data: dict):
        super().__init__()
        self._name = "StoreData"
        self.json = script_json(data)


class FeatureData(MacroElement):
    """Fills its parent GeoJson layer, before the layer is added to its parent (a marker
    cluster takes the markers its layer holds when it is added), with the features the
    page's ``window[builder]`` makes of compact ``data``: ``dashboardMarkers`` of
    :func:`dashboard.layers.places.place_markers`, ``dashboardAggregates`` of
    :func:`dashboard.layers.aggregates.aggregate_rows`."""

    _template = Template("""{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.addData(window.{{ this.builder }}({{ this.json }}));
    {% endmacro %}""")

    def __init__(self, builder: str, data: list[list]):
        super().__init__()
        self._name = "FeatureData"
        self.builder = builder
        self.json = script_json(data)


def empty_collection() -> dict:
    """A FeatureCollection without features, for a layer its children fill."""
    return {"type": "FeatureCollection", "features": []}


POINT_TO_LAYER = folium.JsCode("""function(feature, latlng) {
  var p = feature.properties;
  if (p.kind === 'group') { return window.dashboardGroupMarker(p, latlng); }
  return window.dashboardEventMarker(p, latlng);
}""")
# A hover tooltip never covers an open popup. Shapes stay out of the Tab order: each
# event they draw is reachable through its marker (or its place's list).
ON_EACH_FEATURE = folium.JsCode("""function(feature, layer) {
  var p = feature.properties, store = window.dashboardStore;
  layer.on('popupopen', function() { layer.closeTooltip(); });
  layer.on('tooltipopen', function() { if (layer.isPopupOpen()) { layer.closeTooltip(); } });
  if (p.kind !== 'group' && p.kind !== 'marker') {
    layer.on('add', function() {
      var path = layer.getElement && layer.getElement();
      if (path) { path.setAttribute('tabindex', '-1'); path.setAttribute('focusable', 'false'); }
    });
  }
  if (p.kind === 'group') {
    layer.bindPopup(function() { return window.dashboardPlaceList(p); },
                    {maxWidth: 400, minWidth: 280, autoPanPaddingTopLeft: [50, 10]});
    layer.bindTooltip('<b>' + p.title + '</b><br>' + p.tooltip, {direction: 'top'});
    return;
  }
  if (p.kind === 'marker') {
    layer.bindPopup(function() { return window.dashboardPopup(p.event, true); },
                    {maxWidth: 380, minWidth: 260});
    layer.bindTooltip(window.dashboardTooltip(p.event), {direction: 'top'});
    return;
  }
  if (p.kind === 'arrow') {
    // Labelled with its figure and date; a click opens the event's popup.
    layer.bindTooltip(window.dashboardArrowLabel(store.events[p.ev]),
                      {permanent: true, direction: 'right', className: 'ev-arrow-label',
                       offset: p.label_offset});
    layer.on('click', function() { window.dashboardOpenEvent(p.event_id); });
    return;
  }
  if (p.pl !== undefined) {
    layer.bindTooltip(window.dashboardAreaLabel(store.places[p.pl]), {sticky: true});
  }
}""")

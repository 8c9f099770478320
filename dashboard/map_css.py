"""Styles of the map's own elements: markers, clusters, popups, legend, labels."""

MAP_CSS = """
.ev-marker { background: none; border: none; }
.ev-marker svg { display: block; filter: drop-shadow(0 0 1px #fff); }
.ev-marker:focus-visible, .ev-cluster-icon:focus-visible { outline: 3px solid #000;
  outline-offset: 2px; border-radius: 3px; }
.ev-cluster-icon { background: none; border: none; }
.ev-cluster { display: flex; align-items: center; gap: 2px; padding: 1px 4px 1px 2px;
  background: #fff; border: 2px solid #1a1a1a; border-radius: 11px; font: 700 12px/16px
  system-ui, sans-serif; color: #1a1a1a; white-space: nowrap; }
.ev-cluster svg { flex: none; }
.ev-popup { font: 13px/1.4 system-ui, sans-serif; color: #1a1a1a; max-height: 340px;
  overflow-y: auto; }
.ev-popup h4 { margin: 4px 0; font-size: 15px; }
.ev-popup p { margin: 4px 0; }
.ev-meta, .ev-id, .ev-precision, .ev-variants { color: #444; font-size: 12px; }
.ev-date { font-weight: 600; }
.ev-quote { margin: 6px 0; padding: 4px 8px; border-left: 3px solid #666; background: #f4f4f4;
  font-style: italic; }
.ev-legend { background: rgba(255,255,255,0.95); padding: 6px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 12px/1.35 system-ui, sans-serif;
  color: #1a1a1a; max-width: 260px; }
.ev-legend summary { cursor: pointer; font-size: 13px; }
.ev-legend ul { list-style: none; margin: 0; padding: 0; }
.ev-legend li { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.ev-legend .ev-note { margin-top: 4px; color: #444; }
.ev-place-label { background: rgba(255,255,255,0.8); border: none; box-shadow: none;
  padding: 0 3px; font: 11px system-ui, sans-serif; color: #333; }
.ev-place-label::before { display: none; }
.leaflet-tooltip.ev-arrow-label { background: #0072B2; color: #fff; border: none; padding: 1px 5px;
  font: 700 11px system-ui, sans-serif; box-shadow: 0 0 0 1px #fff; }
.leaflet-tooltip.ev-arrow-label::before { display: none; }
.leaflet-control-layers-overlays label span svg { vertical-align: middle; }
.ev-imprecise svg g { fill-opacity: 0.3; stroke-dasharray: 3 1.6; stroke-width: 1.6; }
"""

"""Map layers: event geometry, GeoJSON features per category and their symbols."""

from dashboard.layers.features import build_features, layer_collections

__all__ = ["build_features", "layer_collections"]

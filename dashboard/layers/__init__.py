"""Map layers: event geometry, GeoJSON features per category and their symbols."""

from dashboard.layers.features import layer_collections, marker_features
from dashboard.layers.geometry import locate

__all__ = ["layer_collections", "locate", "marker_features"]

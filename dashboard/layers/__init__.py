"""Map layers: event geometry, GeoJSON features per category, the map's event store and
their symbols."""

from dashboard.layers.features import layer_collections
from dashboard.layers.geometry import locate
from dashboard.layers.store import event_store

__all__ = ["event_store", "layer_collections", "locate"]

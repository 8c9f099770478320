"""Data access: a :class:`~dashboard.filters.FilterState` (and the map's view) in; counts,
events, aggregates, timeline counts and table pages out.

The embedded store (:class:`EmbeddedStore`) answers from the loaded table in memory. The UI
asks a store for a :class:`Selection` and asks that for what it shows, never filtering the
table itself, so another store (a database server) can answer the same calls.
"""

from dashboard.query.embedded import EmbeddedStore
from dashboard.query.selection import EmbeddedSelection
from dashboard.query.store import Bounds, EventStore, Selection

__all__ = ["Bounds", "EmbeddedSelection", "EmbeddedStore", "EventStore", "Selection"]

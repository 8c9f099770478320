"""PostgreSQL/PostGIS as the events store of a team: several dashboard servers reading one
database, files loaded into it by ``python -m dashboard db load``.

:class:`PostgisStore` answers the same calls as the embedded store
(:class:`dashboard.query.EventStore`) with SQL; :func:`~dashboard.db.migrate.initialise`
creates the schema from numbered migrations; :func:`~dashboard.db.load.load` writes a read
file in one transaction. The database URL is kept inside :class:`Database` and never shown.
"""

from dashboard.db.connection import Database, describe
from dashboard.db.load import Loaded, load
from dashboard.db.migrate import LATEST, initialise
from dashboard.db.selection import PostgisSelection
from dashboard.db.store import PostgisStore

__all__ = ["LATEST", "Database", "Loaded", "PostgisSelection", "PostgisStore", "describe",
           "initialise", "load"]

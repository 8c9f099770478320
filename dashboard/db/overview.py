"""What the page takes from all of the database's events, each in one query: the span of
their dates, the busiest episode (the range the page opens on) and the region the map first
shows. The same answers as the embedded store's from the same events.
"""

from __future__ import annotations

from datetime import date

from dashboard.db.connection import Database
from dashboard.export.extent import padded
from dashboard.export.types import Bounds
from dashboard.periods import GAP
from dashboard.profile import STUDY_AREA

SPAN = "SELECT min(start_day), max(end_day) FROM events"

# As periods.opening_range: an episode starts where more than GAP days pass after the
# latest end of the events starting before (events starting the same day never split).
BUSIEST = """
WITH days AS (
    SELECT start_day, count(*) AS n, max(end_day) AS reach FROM events GROUP BY start_day
), marked AS (
    SELECT start_day, n, reach,
           CASE WHEN start_day - max(reach) OVER (ORDER BY start_day ROWS BETWEEN
                UNBOUNDED PRECEDING AND 1 PRECEDING) > %s THEN 1 ELSE 0 END AS new
    FROM days
), episodes AS (
    SELECT start_day, n, reach, sum(new) OVER (ORDER BY start_day) AS episode FROM marked
)
SELECT min(start_day), max(reach) FROM episodes
GROUP BY episode ORDER BY sum(n) DESC, episode DESC LIMIT 1
"""

# As export.extent.events_extent: the markers and every vertex of routes and arrows; those
# in the study area when there are any.
EXTENT = """
WITH points AS (
    SELECT lon, lat FROM events
    UNION ALL
    SELECT ST_X(v.geom), ST_Y(v.geom)
    FROM events e JOIN event_details t ON t.id = e.id
    LEFT JOIN places p ON p.place_id = t.shape_place
    CROSS JOIN LATERAL ST_DumpPoints(coalesce(t.arrow, p.shape)) v
    WHERE e.drawn_as IN ('arrow', 'line')
), marked AS (
    SELECT lon, lat, (lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s) AS near FROM points
)
SELECT min(lat) FILTER (WHERE near), min(lon) FILTER (WHERE near),
       max(lat) FILTER (WHERE near), max(lon) FILTER (WHERE near),
       min(lat), min(lon), max(lat), max(lon)
FROM marked
"""


def span(database: Database) -> tuple[date, date] | None:
    """The first day an event starts and the last day one covers; None without events."""
    first, last = database.fetch(SPAN)[0]
    return None if first is None else (first, last)


def busiest_episode(database: Database) -> tuple[date, date] | None:
    """The first start and last end of the episode holding most events (of two as busy,
    the later); None without events (see :func:`dashboard.periods.opening_range`)."""
    rows = database.fetch(BUSIEST, (GAP.days,))
    return (rows[0][0], rows[0][1]) if rows else None


def extent(database: Database) -> Bounds | None:
    """The events' own region with a margin (far ones left out when some are near); None
    without events."""
    (south, west), (north, east) = STUDY_AREA
    row = database.fetch(EXTENT, (south, north, west, east))[0]
    found = row[:4] if row[0] is not None else row[4:]
    if found[0] is None:
        return None
    return padded(tuple(float(v) for v in found))  # type: ignore[arg-type]

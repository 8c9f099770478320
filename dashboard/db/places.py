"""Places and region shapes written to the database, and which regions each place lies in,
computed there once when they are loaded (``ST_Intersects`` against the region shapes).

The rule is the app's (:func:`dashboard.regions.place_regions`): points and lines belong to
every region they touch, an area to the regions holding at least half of it; a point whose
gazetteer country is a region keeps only that country's regions (and the disputed area),
that country, and the nearest of its provinces within ``NEAR_BORDER_DEG`` when it is in none;
a place in no region is :data:`~dashboard.regions.OUTSIDE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import psycopg
import shapely
from psycopg import sql
from shapely.geometry.base import BaseGeometry

from dashboard.gazetteer import Gazetteer
from dashboard.regions import MIN_SHARED_AREA, NEAR_BORDER_DEG, OUTSIDE


def copy_rows(connection: psycopg.Connection, table: str, columns: str,
              rows: Iterable[Sequence[Any]]) -> None:
    """Rows into a temporary ``table`` (``columns``: its column definitions, a constant of
    this package), dropped at the end of the transaction; the values travel apart from the
    statement (COPY), never inside it."""
    connection.execute(sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(
        sql.Identifier(table), sql.SQL(columns)))
    names = sql.SQL(", ").join(sql.Identifier(c.split()[0]) for c in columns.split(","))
    with connection.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), names)) as copy:
        for row in rows:
            copy.write_row(row)


def wkb(geometry: BaseGeometry | None) -> bytes | None:
    """A geometry as well-known binary (exact coordinates), None for none."""
    return None if geometry is None else shapely.to_wkb(geometry)


def _text(value: Any) -> str | None:
    return None if value is None or value != value else str(value)  # NaN: none


def write_regions(connection: psycopg.Connection, regions: gpd.GeoDataFrame) -> bool:
    """Insert or update the region shapes; return whether any was new or changed."""
    rows = [(str(r.id), str(r.name), str(r.level), _text(r.country), position, wkb(r.geometry))
            for position, r in enumerate(regions.itertuples())]
    copy_rows(connection, "incoming_regions",
              "region_id text, name text, level text, country text, position integer, "
              "geom bytea", rows)
    changed = connection.execute("""
        INSERT INTO regions (region_id, name, level, country, position, geom)
        SELECT region_id, name, level, country, position, ST_GeomFromWKB(geom, 4326)
        FROM incoming_regions
        ON CONFLICT (region_id) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
            country = EXCLUDED.country, position = EXCLUDED.position, geom = EXCLUDED.geom
        WHERE (regions.name, regions.level, regions.country, regions.position)
              IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.country,
                                EXCLUDED.position)
           OR NOT regions.geom = EXCLUDED.geom
        RETURNING region_id""").fetchall()
    return bool(changed)


def write_places(connection: psycopg.Connection, gazetteer: Gazetteer,
                 shapes: dict[str, BaseGeometry]) -> list[str]:
    """Insert or update the places (``shapes``: how areas and routes are drawn, by place);
    return the ids of those new or changed."""
    rows = [(p.id, p.name, p.display_name, list(p.alt_names), p.kind, p.precision,
             p.precision_m, p.country, p.source, p.note, p.anchor[0], p.anchor[1],
             wkb(p.geometry), p.valid_from, p.valid_to, list(p.routes), wkb(shapes.get(p.id)))
            for p in gazetteer]
    copy_rows(connection, "incoming_places",
              "place_id text, name text, display_name text, alt_names text[], kind text, "
              "precision text, precision_m integer, country text, source text, note text, "
              "anchor_x double precision, anchor_y double precision, geom bytea, "
              "valid_from date, valid_to date, routes text[], shape bytea", rows)
    found = connection.execute("""
        INSERT INTO places AS p (place_id, name, display_name, alt_names, kind, precision,
            precision_m, country, source, note, anchor, geom, valid_from, valid_to, routes,
            shape)
        SELECT place_id, name, display_name, alt_names, kind, precision, precision_m,
            country, source, note, ST_SetSRID(ST_MakePoint(anchor_x, anchor_y), 4326),
            ST_GeomFromWKB(geom, 4326), valid_from, valid_to, routes,
            ST_GeomFromWKB(shape, 4326)
        FROM incoming_places
        ON CONFLICT (place_id) DO UPDATE SET name = EXCLUDED.name,
            display_name = EXCLUDED.display_name, alt_names = EXCLUDED.alt_names,
            kind = EXCLUDED.kind, precision = EXCLUDED.precision,
            precision_m = EXCLUDED.precision_m, country = EXCLUDED.country,
            source = EXCLUDED.source, note = EXCLUDED.note, anchor = EXCLUDED.anchor,
            geom = EXCLUDED.geom, valid_from = EXCLUDED.valid_from,
            valid_to = EXCLUDED.valid_to, routes = EXCLUDED.routes,
            shape = coalesce(EXCLUDED.shape, p.shape)
        WHERE (p.name, p.display_name, p.alt_names, p.kind, p.precision, p.precision_m,
               p.country, p.valid_from, p.valid_to, p.routes)
              IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.display_name, EXCLUDED.alt_names,
               EXCLUDED.kind, EXCLUDED.precision, EXCLUDED.precision_m, EXCLUDED.country,
               EXCLUDED.valid_from, EXCLUDED.valid_to, EXCLUDED.routes)
           OR NOT p.geom = EXCLUDED.geom OR NOT p.anchor = EXCLUDED.anchor
           OR (EXCLUDED.shape IS NOT NULL AND p.shape IS NULL)
           OR NOT p.shape = EXCLUDED.shape
        RETURNING place_id""").fetchall()
    return [place_id for (place_id,) in found]


# Which places a membership run covers: every one (NULL) or those listed.
_SCOPE = "(%(places)s::text[] IS NULL OR p.place_id = ANY(%(places)s::text[]))"
_TRUSTED = ("GeometryType(p.geom) IN ('POINT', 'MULTIPOINT') "
            "AND p.country IN (SELECT region_id FROM regions)")
MEMBERSHIP = [
    # Every region a place touches; of an area, those holding enough of it.
    f"""INSERT INTO membership
        SELECT p.place_id, r.region_id FROM places p JOIN regions r
            ON ST_Intersects(p.geom, r.geom)
        WHERE {_SCOPE} AND (GeometryType(p.geom) NOT IN ('POLYGON', 'MULTIPOLYGON')
            OR ST_Area(ST_Intersection(p.geom, r.geom)) / greatest(ST_Area(p.geom), 1e-12)
               >= %(shared)s)""",
    # A point's own country decides near generalised borders: other countries' regions go.
    f"""DELETE FROM membership m USING places p, regions r
        WHERE m.place_id = p.place_id AND r.region_id = m.region_id AND {_SCOPE}
          AND {_TRUSTED}
          AND r.level <> 'disputed area'
          AND (CASE WHEN r.level = 'country' THEN r.region_id ELSE coalesce(r.country, '')
               END) <> p.country""",
    f"""INSERT INTO membership SELECT p.place_id, p.country FROM places p
        WHERE {_SCOPE} AND {_TRUSTED} ON CONFLICT DO NOTHING""",
    # ...and, when it is in none of that country's provinces, the nearest one close enough.
    f"""INSERT INTO membership
        SELECT p.place_id, near.region_id FROM places p CROSS JOIN LATERAL (
            SELECT r.region_id, ST_Distance(r.geom, p.geom) AS distance FROM regions r
            WHERE r.level = 'province' AND r.country = p.country
            ORDER BY distance, r.position LIMIT 1) near
        WHERE {_SCOPE} AND {_TRUSTED} AND near.distance <= %(near)s
          AND NOT EXISTS (SELECT 1 FROM membership m JOIN regions r USING (region_id)
                          WHERE m.place_id = p.place_id AND r.level = 'province'
                            AND r.country = p.country)""",
    f"""INSERT INTO membership SELECT p.place_id, %(outside)s FROM places p
        WHERE {_SCOPE} AND NOT EXISTS (SELECT 1 FROM membership m
                                       WHERE m.place_id = p.place_id)""",
    f"DELETE FROM place_regions pr USING places p WHERE pr.place_id = p.place_id AND {_SCOPE}",
    "INSERT INTO place_regions SELECT place_id, region_id FROM membership "
    "ON CONFLICT DO NOTHING",
]


def place_memberships(connection: psycopg.Connection, places: list[str] | None) -> None:
    """Work out which regions ``places`` (None: every place) lie in, in the database."""
    connection.execute("CREATE TEMP TABLE membership (place_id text COLLATE \"C\", "
                       "region_id text COLLATE \"C\", PRIMARY KEY (place_id, region_id)) "
                       "ON COMMIT DROP")
    params = {"places": places, "shared": MIN_SHARED_AREA, "near": NEAR_BORDER_DEG,
              "outside": OUTSIDE}
    for statement in MEMBERSHIP:
        connection.execute(statement, params)
    connection.execute("DROP TABLE membership")


def regions_of(place: str, origin: str, destination: str, day: str) -> str:
    """SQL for an event's regions, sorted: those of its place (or the route of it in use on
    its first ``day``), its origin and its destination. The arguments name columns (this
    package's constants), never values."""
    return f"""coalesce((
        SELECT array_agg(DISTINCT pr.region_id ORDER BY pr.region_id)
        FROM (VALUES
            (coalesce((SELECT route.place_id
                       FROM places own, unnest(own.routes) WITH ORDINALITY AS u(id, n)
                       JOIN places route ON route.place_id = u.id
                       WHERE own.place_id = {place}
                         AND coalesce(route.valid_from, '-infinity') <= {day}
                         AND {day} < coalesce(route.valid_to, 'infinity')
                       ORDER BY u.n LIMIT 1), {place})),
            (nullif(nullif({origin}, ''), {place})),
            (nullif(nullif({destination}, ''), {place}))) AS at(id)
        JOIN place_regions pr ON pr.place_id = at.id), '{{}}')"""


# Worked out once per distinct combination of places (and day, for a place with routes).
INCOMING_REGIONS = f"""
    WITH routed AS (SELECT place_id FROM places WHERE routes <> '{{}}'),
    combos AS (
        SELECT DISTINCT place_id, origin_place_id, destination_place_id,
               CASE WHEN place_id IN (SELECT place_id FROM routed) THEN start_day END AS day
        FROM incoming_events),
    found AS (
        SELECT c.*, {regions_of("c.place_id", "c.origin_place_id", "c.destination_place_id",
                                "c.day")} AS ids
        FROM combos c)
    UPDATE incoming_events i SET regions = found.ids FROM found
    WHERE i.place_id = found.place_id AND i.origin_place_id = found.origin_place_id
      AND i.destination_place_id = found.destination_place_id
      AND (found.day IS NULL OR found.day = i.start_day)"""
OTHER_REGIONS = f"""
    UPDATE events e SET regions = found.ids FROM (
        SELECT o.id, {regions_of("t.place_id", "t.origin_place_id", "t.destination_place_id",
                                 "o.start_day")} AS ids
        FROM events o JOIN event_details t USING (id)
        WHERE o.dataset_id <> %(dataset)s
          AND (%(everything)s OR t.place_id = ANY(%(places)s)
               OR t.origin_place_id = ANY(%(places)s)
               OR t.destination_place_id = ANY(%(places)s))) found
    WHERE e.id = found.id AND e.regions IS DISTINCT FROM found.ids"""


def other_regions(connection: psycopg.Connection, dataset: int, places: list[str] | None
                  ) -> None:
    """Set again the regions of other datasets' events located by ``places`` (None: every
    place), after those places or the region shapes changed."""
    touched: list[str] = []
    if places:
        parents = connection.execute("SELECT place_id FROM places WHERE routes && %s::text[]",
                                     (places,)).fetchall()
        touched = [*places, *(p for (p,) in parents)]
    others = connection.execute("SELECT EXISTS (SELECT 1 FROM events WHERE dataset_id <> %s)",
                                (dataset,)).fetchone()
    if (places is None or touched) and others and others[0]:
        connection.execute(OTHER_REGIONS, {"dataset": dataset, "places": touched,
                                           "everything": places is None})

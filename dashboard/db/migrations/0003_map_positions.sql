-- What the counts, the timeline and the map read of the events of a date range, kept so
-- that they cost the database less on every rerun.

-- Each event's Web Mercator position as fractions of the world's width (mx, east of the
-- antimeridian) and height (my, south of the latitude limit): the map's cell at any zoom is
-- then floor(mx * size / cell), as dashboard.aggregate.cell_ids computes it (world_pixels at
-- zoom 0 over the tile size; 85.05112878 is its MAX_LAT). Worked out once when an event is
-- written, rather than with ln, tan and cos on every row of every query; the rows already
-- there are filled as the columns are added.
ALTER TABLE events
    ADD COLUMN mx double precision GENERATED ALWAYS AS ((lon + 180.0) / 360.0) STORED,
    ADD COLUMN my double precision GENERATED ALWAYS AS (
        (1.0 - ln(tan(radians(greatest(least(lat, 85.05112878), -85.05112878)))
                  + 1.0 / cos(radians(greatest(least(lat, 85.05112878), -85.05112878))))
               / pi()) / 2.0) STORED;

-- Everything the counts, the set's digest, the timeline's bars and the map's cells read of
-- an event, in date order: a date range is read from the index alone (an index-only scan,
-- once the table is vacuumed: `db load` does it), without visiting the table's pages.
CREATE INDEX events_by_day ON events (start_day)
    INCLUDE (end_day, category, date_precision, id, lat, lon, mx, my, marker);

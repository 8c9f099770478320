-- The events of every dataset, the places and regions they are located by, and what changed.
-- Identifiers compared with Python's order (event ids, place and region ids) use the "C"
-- collation, so that date order and sorted region lists are the same as the app's in memory.

CREATE TABLE datasets (
    dataset_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    format text NOT NULL,
    source text NOT NULL,                      -- the name of the file last loaded into it
    total_rows integer NOT NULL DEFAULT 0,     -- rows of that file, valid or not
    loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE places (
    place_id text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    display_name text NOT NULL,
    alt_names text[] NOT NULL DEFAULT '{}',
    kind text NOT NULL,
    precision text NOT NULL,
    precision_m integer,
    country text COLLATE "C",
    source text NOT NULL,
    note text NOT NULL DEFAULT '',
    anchor geometry(Point, 4326) NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL,
    valid_from date,
    valid_to date,
    routes text[] COLLATE "C" NOT NULL DEFAULT '{}',
    shape geometry(Geometry, 4326)             -- how an area or route is drawn (rounded)
);
CREATE INDEX places_geom ON places USING gist (geom);

CREATE TABLE regions (
    region_id text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    level text NOT NULL,
    country text COLLATE "C",
    position integer NOT NULL,                 -- order in the regions file
    geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX regions_geom ON regions USING gist (geom);

-- Which regions each place lies in: ST_Intersects, computed once when places are loaded.
CREATE TABLE place_regions (
    place_id text COLLATE "C" NOT NULL REFERENCES places ON DELETE CASCADE,
    region_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (place_id, region_id)
);

-- What filters, counts, the timeline and the map read: narrow, so that scanning every
-- event is quick; the rest of each event is in event_details.
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id integer NOT NULL REFERENCES datasets ON DELETE CASCADE,
    event_id text COLLATE "C" NOT NULL,        -- as in the file
    uid text COLLATE "C" NOT NULL,             -- as shown: prefixed by the dataset on a clash
    category text NOT NULL,
    date_precision text NOT NULL,
    start_day date NOT NULL,
    end_day date NOT NULL,
    regions text[] COLLATE "C" NOT NULL DEFAULT '{}',
    lon double precision NOT NULL,             -- the marker's
    lat double precision NOT NULL,
    marker geometry(Point, 4326) NOT NULL,
    place_name text NOT NULL,
    displaced bigint,
    drawn_as text NOT NULL,
    UNIQUE (dataset_id, event_id)
);
CREATE INDEX events_date_order ON events (start_day, uid, id);
CREATE INDEX events_end_day ON events (end_day);
CREATE INDEX events_category ON events (category, start_day);
CREATE INDEX events_uid ON events (uid);
CREATE INDEX events_event_id ON events (event_id);
CREATE INDEX events_marker ON events USING gist (marker);
CREATE INDEX events_regions ON events USING gin (regions);

-- The rest of each event: read for the rows a page shows, and searched.
CREATE TABLE event_details (
    id bigint PRIMARY KEY REFERENCES events ON DELETE CASCADE,
    date_start text NOT NULL,
    date_end text NOT NULL,
    time text NOT NULL,
    place_id text COLLATE "C" NOT NULL,
    event_type text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    actor1 text NOT NULL,
    actor2 text NOT NULL,
    killed bigint,
    injured bigint,
    figure_qualifier text NOT NULL,
    claimed_by text NOT NULL,
    origin_place_id text COLLATE "C" NOT NULL,
    destination_place_id text COLLATE "C" NOT NULL,
    source text NOT NULL,
    source_ref text NOT NULL,
    quote text NOT NULL,
    notes text NOT NULL,
    line integer NOT NULL,
    location_precision text NOT NULL,
    search_text text NOT NULL,                 -- folded text and every place-name variant
    shape_place text COLLATE "C",              -- the place whose shape is drawn, if any
    arrow geometry(Geometry, 4326),            -- a movement's own arrow, if any
    loaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_details_search ON event_details USING gin (search_text gin_trgm_ops);
CREATE INDEX event_details_places ON event_details (place_id);

-- One row, bumped by every statement that writes: servers compare it to know their caches
-- are stale.
CREATE TABLE data_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version (version) VALUES (1);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1, changed_at = now();
    RETURN NULL;
END
$$;

CREATE TRIGGER datasets_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON datasets
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER places_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON places
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER regions_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER place_regions_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON place_regions FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER events_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER event_details_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON event_details FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- What was written, when and by whom.
CREATE TABLE change_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    by_role text NOT NULL DEFAULT current_user,
    action text NOT NULL,
    dataset text,
    rows integer NOT NULL DEFAULT 0,
    detail text NOT NULL DEFAULT ''
);

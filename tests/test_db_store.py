"""The database store beyond the shared query tests (tests/test_query.py): the same table
as the importer's, regions worked out in SQL, hostile searches, read-only connections, data
versions seen by other servers, and a database that goes away and comes back."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from dashboard.aggregate import aggregate
from dashboard.db import Database, PostgisStore, load
from dashboard.db import store as store_module
from dashboard.errors import DatabaseError, DatabaseUnavailable
from dashboard.export.extent import outside
from dashboard.filters import FilterState, apply_filters
from dashboard.query import EmbeddedStore
from dashboard.settings import Settings
from dashboard.timeline import binned_counts
from tests.conftest import row
from tests.db_support import free_port


@pytest.fixture(params=["bundled", "generated"])
def data(request):
    return request.getfixturevalue(request.param)


def test_every_column_is_the_importers(loaded_database, data):
    found = PostgisStore(loaded_database(data)).select(FilterState()).frame()
    expected = EmbeddedStore(data.events).select(FilterState()).frame()
    # The same values; how each store holds repeated text (categories or not) may differ.
    pd.testing.assert_frame_equal(found, expected.reset_index(drop=True), check_dtype=False,
                                  check_categorical=False)


def test_places_lie_in_the_regions_the_app_works_out(loaded_database, data):
    database = loaded_database(data)
    rows = database.fetch("SELECT place_id, array_agg(region_id ORDER BY region_id) "
                          "FROM place_regions GROUP BY place_id")
    found = {place: tuple(regions) for place, regions in rows}
    assert found == {p: data.geodata.place_regions[p] for p in found}
    assert len(found) == len(data.geodata.place_regions)


HOSTILE = ["'", '"', "%", "_", "\\", "\\%", "%%", "_%_", "100%", "a\x00b", "\x00",
           "' OR '1'='1", "'; DROP TABLE events; --", "$1", "%s", "%(x)s", "{}", "\\x00",
           "stepanakert%", "stepan_kert", "Xankəndi\\", "x" * 10_000, "a " * 5_000,
           "🇦🇲", "\u202e", "\ufffd", "\t\n\r"]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_search_returns_results_or_nothing(loaded_database, bundled, text):
    store = PostgisStore(loaded_database(bundled))
    state = FilterState(search=text)
    found = store.select(state)
    expected = apply_filters(bundled.events, state)
    assert len(found) == len(expected)
    assert list(found.rows(0, 5)["event_id"]) == list(expected["event_id"].head(5))
    first, last = date(2020, 1, 1), date(2024, 12, 31)
    assert found.day_counts(first, last, "week").equals(
        binned_counts(expected, first, last, "week"))
    assert found.find(text).empty and found.outside((39.0, 45.5, 40.5, 47.5)) is not None
    assert len(store) == len(bundled.events)  # still all there


def test_a_search_with_like_wildcards_matches_them_literally(loaded_database, events_file,
                                                             geodata):
    from dashboard.importing import load_path

    odd = load_path(events_file(row(event_id="w-1", title="100% of 5_000 \\ done"),
                                row(event_id="w-2", title="1000 of 5000 done")), geodata)
    database = loaded_database(odd)
    for text, ids in (("100%", ["w-1"]), ("5_000", ["w-1"]), ("\\", ["w-1"]),
                      ("%", ["w-1"]), ("_", ["w-1"]), ("done", ["w-1", "w-2"])):
        found = PostgisStore(database).select(FilterState(search=text)).frame()
        assert list(found["event_id"]) == ids, text


def test_the_apps_connections_refuse_writes(loaded_database, bundled):
    database = loaded_database(bundled)
    for statement in ("DELETE FROM events", "UPDATE data_version SET version = 0",
                      "CREATE TABLE intruder (x int)"):
        with pytest.raises(DatabaseError, match="read-only"), \
                database.connection() as connection:
            connection.execute(statement)
    assert database.fetch("SELECT count(*) FROM events") == [(len(bundled.events),)]


def test_the_apps_reads_are_planned_for_their_values_without_parallel_workers(
        loaded_database, bundled):
    database = loaded_database(bundled)
    assert database.fetch("SELECT current_setting('plan_cache_mode'), "
                          "current_setting('max_parallel_workers_per_gather')") == [
        ("force_custom_plan", "0")]


def test_another_servers_store_sees_a_write_on_its_next_check(database_url, bundled,
                                                             events_file, geodata):
    from dashboard.importing import load_path

    writer = Database(database_url)
    load(writer, bundled)
    first = PostgisStore(Database(database_url, read_only=True), check_every=0)
    second = PostgisStore(Database(database_url, read_only=True), check_every=3600)
    before = first.select(FilterState())
    assert len(before) == len(second.select(FilterState())) == len(bundled.events)
    version = first.version()
    load(writer, load_path(events_file(row(event_id="new-1")), geodata), "review")
    assert first.version() > version
    after = first.select(FilterState())
    assert len(after) == len(bundled.events) + 1 and after.key != before.key
    assert len(second.select(FilterState())) == len(bundled.events)  # not checked yet
    second.check_every = 0
    assert len(second.select(FilterState())) == len(bundled.events) + 1


def test_the_store_recovers_when_the_database_comes_back(postgres, new_database, bundled):
    name = new_database()
    load(Database(postgres.url(name)), bundled)
    store = PostgisStore(Database(postgres.url(name), read_only=True), check_every=0)
    assert len(store.select(FilterState(search="hakari"))) > 0
    postgres.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    postgres.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     f"WHERE datname = '{name}'")
    with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
        store.select(FilterState(search="bridge"))
    postgres.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    assert len(store.select(FilterState(search="bridge"))) > 0


def test_no_error_or_repr_holds_the_url_or_its_password(postgres, database_url):
    secret = "S3cr3t-pa55"
    closed = f"postgresql://someone:{secret}@127.0.0.1:{free_port()}/events"
    wrong = postgres.url(conninfo_to_dict(database_url)["dbname"], "postgres", secret)
    for url, said in ((closed, "cannot be reached"), (wrong, "refused the login")):
        database = Database(url, read_only=True)
        with pytest.raises(DatabaseUnavailable, match=said) as raised:
            PostgisStore(database).select(FilterState())
        error = raised.value
        shown = " ".join([str(error), repr(error), repr(database), repr(PostgisStore(database)),
                          database.where])
        assert secret not in shown and "someone" not in shown, shown
        assert error.__cause__ is None and error.__suppress_context__
    settings = Settings.from_env({"DASHBOARD_DATABASE_URL": closed})
    assert settings.database_url == closed and secret not in repr(settings)
    assert Settings.from_env({"DASHBOARD_DATABASE_URL": "none"}).database_url is None


def test_writers_at_the_same_time_lose_nothing(database_url, events_file, geodata):
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.importing import load_path

    files = [load_path(events_file(*(row(event_id=f"r{n}-{i}") for i in range(20)),
                                   name=f"reviewer{n}.csv"), geodata) for n in range(4)]
    writer = Database(database_url, max_connections=4)
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda data: load(writer, data, "review"), files))
    assert [loaded.new for loaded in done] == [20] * 4
    ids = {uid for (uid,) in writer.fetch("SELECT uid FROM events")}
    assert ids == {f"r{n}-{i}" for n in range(4) for i in range(20)}
    assert writer.fetch("SELECT count(*) FROM change_log WHERE action = 'load'") == [(4,)]


def test_a_dataset_left_without_events_is_not_offered(database_url, bundled):
    writer = Database(database_url)
    load(writer, bundled)
    with writer.connection() as connection:
        connection.execute("INSERT INTO datasets (name, format, source) "
                           "VALUES ('emptied.csv', 'events', 'emptied.csv')")
        connection.commit()
    store = PostgisStore(Database(database_url, read_only=True), check_every=0)
    assert store.datasets() == EmbeddedStore(bundled.events).datasets()


# Markers at and beyond Web Mercator's latitude limit and on the antimeridian.
EDGES = [(85.05112878, 0.0), (85.0511287798, 179.99999999), (89.9, -180.0), (90.0, 180.0),
         (-85.05112878, -179.99999999), (-89.9, 180.0), (-90.0, 0.0), (84.9999, -180.0),
         (-84.9999, 179.9999)]


def test_map_cells_near_the_latitude_limit_and_the_antimeridian(database_url, bundled):
    writer = Database(database_url)
    load(writer, bundled)
    ids = [i for (i,) in writer.fetch("SELECT id FROM events ORDER BY id LIMIT %s",
                                      (len(EDGES),))]
    for (lat, lon), at in zip(EDGES, ids, strict=True):
        writer.fetch("UPDATE events SET lat = %s, lon = %s, marker = ST_SetSRID("
                     "ST_MakePoint(%s, %s), 4326) WHERE id = %s RETURNING id",
                     (lat, lon, lon, lat, at))
    writer.close()
    found = PostgisStore(Database(database_url, read_only=True)).select(FilterState())
    shown = found.frame()
    for zoom in (0, 5, 10, 18):
        expected = aggregate(pd.DataFrame({
            "lat": shown.geometry.y, "lon": shown.geometry.x, "category": shown["category"],
            "start": shown["start"], "end": shown["end"]}), zoom)
        pd.testing.assert_frame_equal(found.aggregates(zoom), expected, check_exact=False,
                                      rtol=1e-9, check_dtype=False)


def test_a_date_range_is_counted_from_the_index_alone(database_url, generated):
    """After a load, the counts, the digest and the dates of a range read the index only:
    the table's pages were vacuumed."""
    writer = Database(database_url)
    load(writer, generated)
    writer.close()
    asked: list[tuple] = []

    class Recording(Database):
        def fetch(self, query, params=()):
            asked.append((query, params))
            return super().fetch(query, params)

    reader = Recording(database_url, read_only=True)
    first = generated.events["start"].min().date()
    found = PostgisStore(reader).select(FilterState(first, first + timedelta(days=60)))
    assert len(found) > 0
    query, params = asked[-1]
    (plan,), = reader.fetch(sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) {}").format(query),
                            params)
    nodes, scans = [plan[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        scans += [node] if "Scan" in node["Node Type"] else []
    assert [(s["Node Type"], s["Heap Fetches"]) for s in scans] == [("Index Only Scan", 0)]


@pytest.mark.parametrize("most", [0, 3, 5_000])
def test_places_outside_the_first_view_listed_by_id_or_not(monkeypatch, loaded_database,
                                                           bundled, most):
    monkeypatch.setattr(store_module, "MAX_AWAY", most)
    store = PostgisStore(loaded_database(bundled))
    bounds = (39.0, 45.5, 40.5, 47.5)
    for state in (FilterState(), FilterState(date(2023, 9, 19), date(2023, 9, 28)),
                  FilterState(categories=("displacement",)), FilterState(search="x" * 9)):
        found = store.select(state)
        assert found.outside(bounds) == outside(found.frame(), bounds)
    assert store.select(FilterState()).outside((-90, -180, 90, 180)) == {}

"""``python -m dashboard db init|load|status|export`` against a real PostgreSQL/PostGIS."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from psycopg.conninfo import conninfo_to_dict

from dashboard.cli import main
from dashboard.dataset import Geodata
from dashboard.db import Database, PostgisStore
from dashboard.errors import DatabaseError
from dashboard.export.tables import to_csv
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import load_paths
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.query import EmbeddedStore
from tests.conftest import row

IMPORTS = REPO_ROOT / "tests" / "fixtures" / "imports"


@pytest.fixture
def db(monkeypatch, database_url):
    """``python -m dashboard db ...`` on an empty database with the schema."""
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", database_url)

    def run(*args: str) -> int:
        return main(["db", *map(str, args)])
    return run


def count(url: str, query: str = "SELECT count(*) FROM events") -> int:
    database = Database(url)
    try:
        return int(database.fetch(query)[0][0])
    finally:
        database.close()


def test_init_applies_the_migrations_once(monkeypatch, postgres, capsys):
    name = "bare"
    postgres.execute(f"CREATE DATABASE {name}")
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", postgres.url(name))
    assert main(["db", "status"]) == 1
    assert "schema version 0" in capsys.readouterr().out
    assert main(["db", "init"]) == 0
    err = capsys.readouterr().err
    assert "applied migration 0001 schema" in err and "applied migration 0002 reviews" in err
    assert "applied migration 0003 map_positions" in err
    assert main(["db", "init"]) == 0
    err = capsys.readouterr().err
    assert "applied" not in err and "schema version 3" in err
    assert count(postgres.url(name), "SELECT count(*) FROM schema_version") == 3


def test_init_brings_an_older_schema_up_to_date(monkeypatch, postgres, capsys):
    from dashboard.db import Database, initialise
    from dashboard.db import migrate as migrate_module

    name = "older"
    postgres.execute(f"CREATE DATABASE {name}")
    every = migrate_module.migrations()
    monkeypatch.setattr(migrate_module, "migrations", lambda: every[:1])
    assert initialise(Database(postgres.url(name))).version == 1  # as an earlier dashboard
    monkeypatch.undo()
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", postgres.url(name))
    assert main(["db", "status"]) == 0
    assert "schema version 1 (this dashboard's: 3)" in capsys.readouterr().out
    assert main(["db", "init"]) == 0
    err = capsys.readouterr().err
    assert "applied migration 0002 reviews" in err and "migration 0001" not in err
    assert "applied migration 0003 map_positions" in err and "schema version 3" in err
    postgres.drop_database(name)


def _at_version_2(monkeypatch, postgres, name: str, then=None) -> Database:
    """A new database ``name`` made by a dashboard of schema version 2 (and ``then`` done
    to it by that dashboard); the newer migrations are back on return."""
    from dashboard.db import initialise
    from dashboard.db import migrate as migrate_module

    postgres.execute(f"CREATE DATABASE {name}")
    every = migrate_module.migrations()
    monkeypatch.setattr(migrate_module, "migrations", lambda: every[:2])
    earlier = Database(postgres.url(name))
    assert initialise(earlier).version == 2
    if then is not None:
        then(earlier)
    monkeypatch.undo()
    return earlier


def test_init_gives_events_loaded_before_their_map_positions(monkeypatch, postgres,
                                                            generated):
    """Events loaded by an earlier dashboard get the positions the map's cells read when
    `db init` brings the schema up to date, and are vacuumed for index-only scans."""
    from dashboard.db import initialise, load

    name = "before_positions"
    writer = _at_version_2(monkeypatch, postgres, name, lambda earlier: load(earlier, generated))
    assert initialise(writer).version == 3
    assert writer.fetch("SELECT relpages > 0 AND relallvisible = relpages FROM pg_class "
                        "WHERE relname = 'events'") == [(True,)]
    writer.close()
    reader = Database(postgres.url(name), read_only=True)
    found = PostgisStore(reader).select(FilterState())
    for zoom in (3, 9, 14):
        expected = EmbeddedStore(generated.events).select(FilterState()).aggregates(zoom)
        pd.testing.assert_frame_equal(found.aggregates(zoom), expected, check_exact=False,
                                      rtol=1e-9, check_dtype=False)
    reader.close()
    postgres.drop_database(name)


def test_a_load_is_idempotent_by_dataset_and_event_id(db, database_url, tmp_path, capsys):
    assert db("load", DEFAULT_EVENTS) == 0
    assert "64 new, 0 changed, 0 unchanged" in capsys.readouterr().err
    assert db("load", DEFAULT_EVENTS) == 0
    assert "0 new, 0 changed, 64 unchanged" in capsys.readouterr().err
    assert count(database_url) == 64
    # One title changed and the file loaded again: that event is updated, none added.
    with DEFAULT_EVENTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["title"] = "A corrected title"
    changed = tmp_path / "events.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert db("load", changed) == 0
    assert "0 new, 1 changed, 63 unchanged" in capsys.readouterr().err
    titles = Database(database_url).fetch(
        "SELECT t.title FROM events e JOIN event_details t USING (id) WHERE e.event_id = %s",
        (rows[0]["event_id"],))
    assert titles == [("A corrected title",)] and count(database_url) == 64


def test_replace_removes_what_the_file_no_longer_holds(db, database_url, events_file, capsys):
    two = events_file(row(event_id="a-1"), row(event_id="a-2"), name="mine.csv")
    assert db("load", two) == 0
    one = events_file(row(event_id="a-1"), name="mine.csv")
    assert db("load", one) == 0 and count(database_url) == 2  # by default, added to
    assert db("load", one, "--replace") == 0
    assert "1 removed" in capsys.readouterr().err and count(database_url) == 1


def test_a_file_is_loaded_all_or_nothing(db, database_url, events_file, tmp_path, capsys):
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x00\x01 not an events file\n")
    assert db("load", broken) == 1
    assert capsys.readouterr().err.startswith("error: ")
    # The database refuses the second row: nothing of the file is written.
    with Database(database_url).connection() as connection:
        connection.execute("ALTER TABLE event_details ADD CONSTRAINT no_boom "
                           "CHECK (title <> 'boom')")
    version = count(database_url, "SELECT version FROM data_version")
    three = events_file(row(event_id="b-1"), row(event_id="b-2", title="boom"),
                        row(event_id="b-3"), name="three.csv")
    assert db("load", three) == 1
    err = capsys.readouterr().err
    assert "three.csv was not loaded" in err and "no_boom" in err
    assert count(database_url) == 0
    assert count(database_url, "SELECT count(*) FROM datasets") == 0
    assert count(database_url, "SELECT version FROM data_version") == version


def test_bad_rows_are_reported_as_validate_reports_them(db, capsys):
    path = IMPORTS / "acled.csv"
    assert main(["validate", str(path)]) == 1
    validated = capsys.readouterr()
    assert db("load", path) == 1  # the valid rows are loaded; the bad ones make it fail
    loaded = capsys.readouterr()
    assert loaded.out == validated.out and validated.out.count("\n") >= 5
    summary = validated.err.strip().splitlines()[-1]
    assert summary.endswith("6 errors, 0 warnings") and summary in loaded.err
    assert "loaded" in loaded.err and "4 new" in loaded.err


def test_strict_loads_nothing_of_a_file_with_errors(db, database_url, capsys):
    assert db("load", IMPORTS / "acled.csv", "--strict") == 1
    assert "not loaded" in capsys.readouterr().err and count(database_url) == 0


def test_status_names_the_datasets_counts_and_versions(db, capsys):
    assert db("load", DEFAULT_EVENTS, IMPORTS / "ged.csv", "--dataset", "team") == 1
    assert db("load", IMPORTS / "acled_tab.tsv") == 0
    capsys.readouterr()
    assert db("status") == 0
    out = capsys.readouterr().out
    assert "schema version 3 (this dashboard's: 3)" in out
    lines = out.splitlines()
    assert lines[1].split()[:4] == ["dataset", "format", "file", "events"]
    assert lines[2].split()[:4] == ["team", "ged", "ged.csv", "66"]  # two files, one dataset
    assert lines[3].split()[:4] == ["acled_tab.tsv", "acled", "acled_tab.tsv", "3"]
    assert "69 events in 2 datasets" in lines[-1]


def test_export_writes_the_snapshots_csv(db, tmp_path, capsys, geodata: Geodata):
    paths = [DEFAULT_EVENTS, *sorted(IMPORTS.glob("acled*"))]  # ids shared: prefixed
    for path in paths:
        db("load", path)
    out = tmp_path / "all.csv"
    assert db("export", "-o", out) == 0
    shown = load_paths(paths, geodata).events
    assert out.read_bytes() == to_csv(apply_filters(shown, FilterState()))
    assert db("export", "-o", tmp_path / "one.csv", "--dataset", "acled_tab.tsv") == 0
    assert (tmp_path / "one.csv").read_bytes() == to_csv(
        apply_filters(shown, FilterState(datasets=("acled_tab.tsv",))))
    capsys.readouterr()
    assert db("export", "-o", tmp_path / "x.csv", "--dataset", "nope") == 2
    assert "no dataset 'nope'" in capsys.readouterr().err


def test_the_database_url_is_a_setting_the_commands_need(monkeypatch, capsys):
    monkeypatch.delenv("DASHBOARD_DATABASE_URL", raising=False)
    assert main(["db", "status"]) == 2
    assert "set DASHBOARD_DATABASE_URL" in capsys.readouterr().err


def test_init_makes_a_reader_that_may_only_read(db, postgres, database_url, monkeypatch,
                                               capsys):
    monkeypatch.setenv("READER_SECRET", "r3ad-only pass")
    assert db("init", "--reader", "team_reader", "--reader-password-env",
              "READER_SECRET") == 0
    assert "team_reader" in capsys.readouterr().err
    assert db("load", DEFAULT_EVENTS) == 0
    name = conninfo_to_dict(database_url)["dbname"]
    reader = Database(postgres.url(name, "team_reader", "r3ad-only pass"))  # read-write!
    assert reader.fetch("SELECT count(*) FROM events") == [(64,)]
    for statement in ("DELETE FROM events", "UPDATE data_version SET version = 0",
                      "INSERT INTO change_log (action) VALUES ('x')", "DROP TABLE events"):
        with pytest.raises(DatabaseError, match=r"permission denied|must be owner"), \
                reader.connection() as connection:
            connection.execute(statement)
    assert count(database_url) == 64
    assert PostgisStore(reader).select(FilterState()).layer_counts()["military"] > 0


def test_the_command_line_never_prints_the_password(monkeypatch, postgres, capsys):
    url = postgres.url("postgres", "nobody_here", "Pa55-word-x")
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    for step in (["status"], ["init"], ["load", str(DEFAULT_EVENTS)], ["export", "-o", "-"]):
        assert main(["db", *step]) == 1
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "refused the login" in text
        assert "Pa55-word-x" not in text and "nobody_here" not in text, text
    for text, said in (("postgresql://u:Pa55-word-x@localhost:port/db", "cannot be reached"),
                       ("user=u password=Pa55-word-x nonsense", "not a PostgreSQL URL")):
        monkeypatch.setenv("DASHBOARD_DATABASE_URL", text)
        assert main(["db", "status"]) == 1
        err = capsys.readouterr().err
        assert said in err and "Pa55" not in err and err.count("\n") == 1, err


def slow_to_lock(url: str) -> str:
    """``url`` with statements giving up on a lock after half a second."""
    return f"{url}{'&' if '?' in url else '?'}options=-c%20lock_timeout%3D500"


def test_a_load_by_a_role_that_does_not_own_the_tables_is_loaded(postgres, database_url,
                                                                 monkeypatch, capsys):
    """A writer that may insert but not vacuum (it does not own the tables): the events
    are loaded and the command says the statistics are left to autovacuum."""
    name = conninfo_to_dict(database_url)["dbname"]
    postgres.execute("DO $$ BEGIN CREATE ROLE team_loader LOGIN; "
                     "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    for statement in ("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                      "TO team_loader",
                      "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public "
                      "TO team_loader"):
        postgres.execute(statement, name)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", postgres.url(name, "team_loader"))
    assert main(["db", "load", str(DEFAULT_EVENTS)]) == 0
    err = capsys.readouterr().err
    assert "64 new, 0 changed" in err
    assert "is loaded, but the tables were not vacuumed" in err and "autovacuum" in err
    assert count(database_url) == 64


def test_a_load_whose_vacuum_fails_is_loaded(database_url, monkeypatch, capsys):
    """The load committed, then VACUUM gave up (here: a lock held elsewhere): exit status
    0, the events there, and a warning instead of "not loaded"."""
    import psycopg

    with psycopg.connect(database_url) as holder:  # a transaction holding the lock
        holder.execute("LOCK TABLE event_details IN SHARE UPDATE EXCLUSIVE MODE")
        monkeypatch.setenv("DASHBOARD_DATABASE_URL", slow_to_lock(database_url))
        assert main(["db", "load", str(DEFAULT_EVENTS)]) == 0
    err = capsys.readouterr().err
    assert "not loaded" not in err and "error:" not in err
    assert "64 new" in err and "is loaded, but the tables were not vacuumed" in err
    assert "lock timeout" in err and "autovacuum will refresh" in err
    assert count(database_url) == 64


def test_init_whose_vacuum_fails_after_a_migration_warns(monkeypatch, postgres, capsys):
    import psycopg


    name = "vacuum_refused"
    _at_version_2(monkeypatch, postgres, name).close()
    with psycopg.connect(postgres.url(name)) as holder:
        holder.execute("LOCK TABLE event_details IN SHARE UPDATE EXCLUSIVE MODE")
        monkeypatch.setenv("DASHBOARD_DATABASE_URL", slow_to_lock(postgres.url(name)))
        assert main(["db", "init"]) == 0
    err = capsys.readouterr().err
    assert "applied migration 0003 map_positions" in err and "schema version 3" in err
    assert "warning: the schema is up to date, but the tables were not vacuumed" in err
    assert "lock timeout" in err
    postgres.drop_database(name)

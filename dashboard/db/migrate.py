"""The schema, as numbered migrations: ``migrations/NNNN_name.sql`` files applied in order,
each once, each in its own transaction, recorded in ``schema_version``.

``db init`` runs :func:`initialise`: the extensions (PostGIS, pg_trgm), every migration not
yet applied, and optionally a reader role for the app that may only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from dashboard.db.connection import Database
from dashboard.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
EXTENSIONS = ("postgis", "pg_trgm")
LOCK_ID = 0x6E6B6D6170  # pg_advisory_xact_lock: one `db init` at a time
# For a transaction that writes many rows vacuumed right after (loads, migrations).
SYNCHRONOUS = "SET LOCAL synchronous_commit = on"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass(frozen=True)
class Migration:
    """One schema change: its number, name and SQL."""

    version: int
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations in the package, by number."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append(Migration(int(number), name, path))
    return found


LATEST = migrations()[-1].version


def _extensions(connection: psycopg.Connection) -> None:
    have = {name for (name,) in connection.execute("SELECT extname FROM pg_extension")}
    for name in EXTENSIONS:
        if name in have:
            continue
        try:
            with connection.transaction():
                connection.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(
                    sql.Identifier(name)))
        except psycopg.errors.InsufficientPrivilege:
            raise DatabaseError(f"The extension {name} is missing and this role may not "
                                f"create it: ask an administrator to run "
                                f"CREATE EXTENSION {name}; in the database") from None
        except (psycopg.errors.UndefinedFile, psycopg.errors.FeatureNotSupported):
            raise DatabaseError(f"The extension {name} is not installed on the database "
                                "server (Debian: postgresql-15-postgis-3)") from None


def vacuum(connection: psycopg.Connection) -> str | None:
    """``VACUUM (ANALYZE)`` the events tables, outside any transaction: their statistics up
    to date and their pages marked all-visible, so that the counts read date ranges from
    the index alone (``events_by_day``).

    Run right after the writes committed (synchronously: see :data:`SYNCHRONOUS`), with
    its own commits synchronous too: a page is marked only once its rows are known to be
    committed, which waits for every commit near theirs to be flushed.

    Returns
    -------
    str or None
        A warning when the tables were not vacuumed (a role that does not own them skips
        them; the database may refuse or time out), else None. Never raises for that: the
        writes before stay committed, and autovacuum refreshes the statistics later.
    """
    said: list[str] = []

    def note(diagnostic: psycopg.errors.Diagnostic) -> None:
        if diagnostic.severity_nonlocalized == "WARNING" and diagnostic.message_primary:
            said.append(diagnostic.message_primary)

    connection.add_notice_handler(note)
    try:
        connection.execute("SET synchronous_commit = on")
        connection.execute("VACUUM (ANALYZE) events, event_details")
    except psycopg.Error as exc:
        lines = str(exc).splitlines()
        said.append(getattr(exc.diag, "message_primary", None) or (lines[0] if lines else
                                                                   type(exc).__name__))
    finally:
        connection.remove_notice_handler(note)
        if not (connection.closed or connection.broken):
            connection.execute("RESET synchronous_commit")
    if not said:
        return None
    return (f"the tables were not vacuumed ({'; '.join(said)}): autovacuum will refresh "
            "their statistics later")


def applied(connection: psycopg.Connection) -> int:
    """The schema version of the database: 0 before ``db init``."""
    exists = connection.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(connection: psycopg.Connection) -> list[Migration]:
    """Apply the migrations the database lacks; return them."""
    done: list[Migration] = []
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        connection.execute(SYNCHRONOUS)
        connection.execute("""CREATE TABLE IF NOT EXISTS schema_version (
            version integer PRIMARY KEY, name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())""")
        have = applied(connection)
        for migration in migrations():
            if migration.version <= have:
                continue
            connection.execute(migration.text)
            connection.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                               (migration.version, migration.name))
            done.append(migration)
    return done


def grant_reader(connection: psycopg.Connection, role: str, password: str | None) -> bool:
    """Let ``role`` (created when missing, with ``password`` if given) read the events and
    nothing else; return whether it was created."""
    if not ROLE_NAME.fullmatch(role):
        raise DatabaseError(f"{role[:40]!r} is not a role name (lower-case letters, digits, _)")
    name = sql.Identifier(role)
    with connection.transaction():
        found = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                   (role,)).fetchone()
        if not found:
            connection.execute(sql.SQL("CREATE ROLE {} LOGIN").format(name))
        if password is not None:
            # Hashed here (SCRAM), so the password itself never reaches the server or its log;
            # ALTER ROLE takes no parameters, so the hash goes in as a quoted literal.
            hashed = connection.pgconn.encrypt_password(password.encode(), role.encode(),
                                                        b"scram-sha-256")
            connection.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                name, sql.Literal(hashed.decode())))
        database = connection.execute("SELECT current_database()").fetchone()
        assert database is not None
        for statement in (
            "GRANT CONNECT ON DATABASE {db} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {role}",
        ):
            connection.execute(sql.SQL(statement).format(db=sql.Identifier(database[0]),
                                                         role=name))
    return not found


@dataclass(frozen=True)
class Initialised:
    """What ``db init`` did."""

    version: int
    applied: list[Migration]
    reader_created: bool | None = None
    warning: str | None = None  # the tables' vacuum after a migration failed (see vacuum)


def initialise(database: Database, reader: str | None = None,
               reader_password: str | None = None) -> Initialised:
    """Create the extensions and apply the migrations; grant ``reader`` read access."""
    with database.connection() as connection:
        _extensions(connection)
        done = migrate(connection)
        # A migration may rewrite the tables: what vacuum marked is lost.
        warning = vacuum(connection) if done else None
        created = (grant_reader(connection, reader, reader_password)
                   if reader is not None else None)
        with connection.transaction():
            connection.execute("INSERT INTO change_log (action, detail) VALUES (%s, %s)",
                               ("init", ", ".join(f"{m.version:04d} {m.name}" for m in done)
                                or "up to date"))
        return Initialised(applied(connection), done, created, warning)

"""What the load test runs against: a generated events file, a throwaway PostgreSQL with
PostGIS holding it, and dashboard servers on free 127.0.0.1 ports, embedded or on the
database. Everything is started here and stopped (and removed) at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.generate import write_acled
from tests.browser_support import REPO_ROOT, StreamlitServer, environment
from tests.db_support import PostgresServer, missing

DATABASE = "loadtest"
READER = "loadtest_reader"  # the app's role: it may only read, as in a deployment
READER_PASSWORD = "loadtest-reader-only"  # a throwaway server on 127.0.0.1
COMMAND_TIMEOUT = 1800  # seconds a `db init` or `db load` may take


@dataclass
class Loaded:
    """A database filled for the load test: the app's URL, how many events the load wrote
    and how long it took."""

    app_url: str
    events: int
    seconds: float


def generated(count: int, folder: Path) -> Path:
    """``count`` synthetic ACLED events (``bench.generate``) as a CSV in ``folder``."""
    path = folder / f"events-{count}.csv"
    if not path.exists():
        write_acled(path, count, seed=0)
    return path


@contextmanager
def postgres(server: PostgresServer | None = None) -> Iterator[PostgresServer]:
    """``server``, or a throwaway one started here and removed at the end.

    Raises
    ------
    SystemExit
        With the reason when no PostgreSQL with PostGIS can be started here.
    """
    if server is not None:
        yield server
        return
    reason = missing()
    if reason:
        raise SystemExit(f"the database part needs PostgreSQL: {reason}")
    started = PostgresServer()
    try:
        started.start()
        reason = started.postgis_missing()
        if reason:
            raise SystemExit(f"the database part needs PostGIS: {reason}")
        yield started
    finally:
        started.stop()


def _dashboard(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": url,
           "LOADTEST_READER_PASSWORD": READER_PASSWORD}
    done = subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    if done.returncode:
        raise RuntimeError(f"python -m dashboard {' '.join(args[:2])} failed: "
                           f"{done.stderr.strip()[-1500:]}")
    return done


@contextmanager
def loaded(server: PostgresServer, events: Path) -> Iterator[Loaded]:
    """A new database on ``server`` made with ``db init`` (and the app's read-only role)
    and filled with ``db load``, as the README says to; dropped at the end."""
    try:
        yield load_database(server, events)
    finally:
        server.drop_database(DATABASE)


def load_database(server: PostgresServer, events: Path) -> Loaded:
    """See :func:`loaded`; an old database of the same name is dropped first."""
    server.drop_database(DATABASE)
    server.create_database(DATABASE)
    writer = server.url(DATABASE)  # the superuser, over the socket
    _dashboard(writer, "db", "init", "--reader", READER,
               "--reader-password-env", "LOADTEST_READER_PASSWORD")
    start = time.monotonic()
    _dashboard(writer, "db", "load", str(events))
    seconds = time.monotonic() - start
    import psycopg

    with psycopg.connect(writer) as connection:
        (count,) = connection.execute("SELECT count(*) FROM events").fetchone() or (0,)
        connection.execute("ANALYZE")
    return Loaded(server.url(DATABASE, READER, READER_PASSWORD), int(count), seconds)


@contextmanager
def dashboards(events: Path, count: int, database_url: str | None = None,
               timeout: float = 300.0) -> Iterator[list[StreamlitServer]]:
    """``count`` dashboard servers on ``events`` (the embedded store), or on the database
    of ``database_url`` when given; started one after the other, stopped at the end."""
    with ExitStack() as stack:
        servers = []
        with environment(DASHBOARD_DATABASE_URL=database_url):  # copied by each start
            for _ in range(count):
                servers.append(stack.enter_context(StreamlitServer(events, timeout=timeout)))
        yield servers

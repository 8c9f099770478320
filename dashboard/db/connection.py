"""Connections to the events database, opened from its URL when first needed and kept for
reuse; no error, log line or message ever holds the URL or its password.

A connection that fails is dropped with every idle one (the server may have restarted), so
the next request opens fresh ones: the page recovers on its next rerun once the database is
back. Read-only databases (the app's) refuse writes even when given a writer's URL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from dashboard.errors import DatabaseError, DatabaseUnavailable

Query = str | sql.SQL | sql.Composed
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 60_000  # of the app's queries; loading has none
# How the app's reads are planned: many short queries from many sessions at once, on a few
# cores. No parallel workers (starting them costs more CPU than they save on queries of a
# few milliseconds), and each statement planned for its own values (a date range of a day
# and one of years want different plans; the statements psycopg prepares would otherwise
# switch to one generic plan for every value).
READER_SETTINGS = ("SET max_parallel_workers_per_gather = 0",
                   "SET plan_cache_mode = force_custom_plan")
UNREACHABLE = "The events database cannot be reached"
LOGIN_REFUSED = "The events database refused the login: check the user and password"


def checked_conninfo(url: str) -> dict[str, Any]:
    """The connection parameters of ``url`` (a ``postgresql://`` URL or ``key=value`` text).

    Raises
    ------
    DatabaseUnavailable
        For text that is not a database URL (without quoting it: it may hold a password).
    """
    try:
        return conninfo_to_dict(url)
    except psycopg.Error:
        raise DatabaseUnavailable("DASHBOARD_DATABASE_URL is not a PostgreSQL URL "
                                  "(postgresql://user@host:port/database)") from None


def describe(url: str) -> str:
    """``database events on db.example.org:5432``: where ``url`` points, without its login."""
    info = checked_conninfo(url)
    host = str(info.get("host") or "localhost")
    where = host if host.startswith("/") else f"{host}:{info.get('port') or 5432}"
    return f"database {info.get('dbname') or info.get('user') or '(default)'} on {where}"


def unavailable(exc: psycopg.Error) -> DatabaseUnavailable:
    """Our sentence for a failed connection: why, never where or as whom."""
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    if state.startswith("28") or "password" in text or "authentication" in text:
        return DatabaseUnavailable(LOGIN_REFUSED)
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return DatabaseUnavailable("The events database named in DASHBOARD_DATABASE_URL "
                                   "does not exist")
    return DatabaseUnavailable(UNREACHABLE)


def refused(exc: psycopg.Error) -> DatabaseError:
    """Our sentence for a refused statement: the server's first line (never the URL)."""
    if isinstance(exc, psycopg.errors.UndefinedTable):
        return DatabaseError("The events database has no events tables yet: run "
                             "`python -m dashboard db init`")
    lines = str(exc).splitlines()
    first = getattr(exc.diag, "message_primary", None) or (lines[0] if lines else "")
    return DatabaseError(f"The events database refused the request: {first}")


class Database:
    """Where the events are: a URL, and connections to it shared by threads.

    Parameters
    ----------
    url
        A ``postgresql://`` URL or ``key=value`` connection string. Kept private.
    read_only
        Every connection's transactions are read only (the app's).
    max_connections
        Connections open at once; more callers wait for one.
    """

    def __init__(self, url: str, *, read_only: bool = False, max_connections: int = 4):
        checked_conninfo(url)
        self.__url = url
        self.read_only = read_only
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_connections)

    def __repr__(self) -> str:
        return f"Database({'read only' if self.read_only else 'read-write'})"

    @property
    def where(self) -> str:
        """Where the database is, without user or password (for messages)."""
        return describe(self.__url)

    def _open(self) -> psycopg.Connection:
        try:
            connection = psycopg.connect(self.__url, connect_timeout=CONNECT_TIMEOUT_S,
                                         autocommit=True)
        except psycopg.Error as exc:
            raise unavailable(exc) from None
        if self.read_only:
            connection.execute("SET default_transaction_read_only = on")
            connection.execute(sql.SQL("SET statement_timeout = {}").format(
                sql.Literal(STATEMENT_TIMEOUT_MS)))
            for setting in READER_SETTINGS:
                connection.execute(setting)
        return connection

    def drop_idle(self) -> None:
        """Close every idle connection (after one failed: the server may be gone)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A connection in autocommit mode for the ``with`` block (``connection.transaction()``
        for several statements at once).

        Raises
        ------
        DatabaseUnavailable
            When the database cannot be reached or the connection broke.
        DatabaseError
            When a statement was refused.
        """
        if not self._slots.acquire(timeout=60):
            raise DatabaseUnavailable("The events database is busy: try again")
        connection = None
        try:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                connection = self._open()
            yield connection
        except psycopg.OperationalError as exc:
            if connection is not None and not (connection.broken or connection.closed):
                raise refused(exc) from None  # a statement timed out or was cancelled
            self.drop_idle()
            if connection is not None:
                connection.close()
                connection = None
            raise unavailable(exc) from None
        except psycopg.Error as exc:
            raise refused(exc) from None
        finally:
            if connection is not None:
                self._release(connection)
            self._slots.release()

    def _release(self, connection: psycopg.Connection) -> None:
        usable = (not connection.closed and not connection.broken
                  and connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE)
        if usable:
            with self._lock:
                self._idle.append(connection)
        else:
            connection.close()

    def fetch(self, query: Query, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read; retried once on a fresh connection when a kept one had
        gone stale (the server restarted since)."""
        with self._lock:
            stale = bool(self._idle)  # a kept connection may be: one more try if it fails
        try:
            with self.connection() as connection:
                return connection.execute(query, params).fetchall()
        except DatabaseUnavailable:
            if not stale:
                raise
        with self.connection() as connection:
            return connection.execute(query, params).fetchall()

    def close(self) -> None:
        """Close the idle connections (those in use close when given back)."""
        self.drop_idle()

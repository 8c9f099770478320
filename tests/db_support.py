"""A throwaway PostgreSQL server for the database tests: ``initdb`` and ``pg_ctl`` in a
temporary folder, on a free port of 127.0.0.1 and a Unix socket in that folder; removed at
the end. Nothing is mocked: the tests talk to a real server with PostGIS.

Debian's ``postgresql`` and ``postgresql-15-postgis-3`` packages provide what is needed
(``.ci/run`` installs them). As root, the server runs as the ``postgres`` user (PostgreSQL
refuses to run as root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "postgres"
TEMPLATE = "events_template"  # a database with the schema, copied for each test


def pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: ``$PG_BIN``, the newest Debian
    ``/usr/lib/postgresql/N/bin``, or the ``PATH``'s."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if versions:
        return versions[-1]
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing() -> str | None:
    """Why no test server can be started here, or None when one can."""
    folder = pg_bin()
    if folder is None or not (folder / "initdb").is_file() or not (folder / "pg_ctl").is_file():
        return "PostgreSQL is not installed (apt-get install postgresql postgresql-15-postgis-3)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One PostgreSQL server of the test session (superuser ``postgres``, no password over
    the socket; passwords over TCP)."""

    def __init__(self) -> None:
        folder = pg_bin()
        assert folder is not None
        self.bin = folder
        self.root = Path(tempfile.mkdtemp(prefix="dashpg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: str | None = SUPERUSER if os.geteuid() == 0 else None
        if self.as_user:
            entry = pwd.getpwnam(self.as_user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=self.root,
                              user=self.as_user, capture_output=True, text=True,
                              timeout=timeout, check=False)

    def start(self) -> None:
        """initdb and start; raises RuntimeError with the server's words when it fails."""
        done = self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--no-sync",
                         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                         "--locale=C.UTF-8")
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = (f"-k {self.root} -p {self.port} -h 127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                         "-w", "-t", "60", "-o", options, "start")
        if done.returncode:
            log = (self.root / "server.log").read_text(errors="replace")[-800:]
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()} {log}")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER,
            password: str | None = None) -> str:
        """A URL: over the socket without a password, over TCP with one."""
        if password is None:
            return f"postgresql://{user}@/{database}?host={quote(str(self.root))}" \
                   f"&port={self.port}"
        return (f"postgresql://{quote(user)}:{quote(password, safe='')}@127.0.0.1:"
                f"{self.port}/{database}")

    def execute(self, statement: str, database: str = "postgres") -> None:
        """One statement as the superuser, outside any transaction (CREATE DATABASE...)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def create_database(self, name: str, template: str | None = None) -> None:
        """A new database, copied from ``template`` file by file where the server can
        (quicker than through the WAL, PostgreSQL 15's default)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            version = connection.info.server_version
        statement = f"CREATE DATABASE {name}"
        if template:
            statement += f" TEMPLATE {template}"
            if version >= 150000:
                statement += " STRATEGY = FILE_COPY"
        self.execute(statement)

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def postgis_missing(self) -> str | None:
        """Why PostGIS or pg_trgm cannot be created on this server, or None."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            have = {name for (name,) in connection.execute(
                "SELECT name FROM pg_available_extensions")}
        lacking = [name for name in ("postgis", "pg_trgm") if name not in have]
        if lacking:
            return (f"the PostgreSQL server lacks the extension(s) {', '.join(lacking)} "
                    "(apt-get install postgresql-15-postgis-3)")
        return None

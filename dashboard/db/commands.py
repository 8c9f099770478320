"""``python -m dashboard db init|load|status|export``: the database of a team, from the
command line. The database is the ``DASHBOARD_DATABASE_URL`` setting: the writer's URL here
(the app's is a reader's), never printed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dashboard.dataset import Geodata
from dashboard.db.connection import Database
from dashboard.db.load import load
from dashboard.db.migrate import LATEST, applied, initialise
from dashboard.db.store import PostgisStore
from dashboard.errors import DashboardError, DatabaseUnavailable, DataFileError
from dashboard.export.tables import to_csv
from dashboard.filters import FilterState
from dashboard.importing import IDS, described, load_path
from dashboard.importing.formats import by_id
from dashboard.paths import GEODATA_DIR
from dashboard.settings import Settings

# What `validate` prints of a file: (path, kind, problems, total, valid, notices) → errors.
Report = Callable[[str, str, Sequence[Any], int, int, Sequence[str]], int]


class DbUsageError(DashboardError):
    """A ``db`` command that cannot run as asked (no database URL, an unknown dataset...):
    one line and exit status 2."""


def add_parser(commands: Any) -> None:
    """The ``db`` command and its subcommands, on the command line's subparsers."""
    db = commands.add_parser(
        "db", help="the shared PostgreSQL/PostGIS database (DASHBOARD_DATABASE_URL)",
        description="Create, fill and inspect the database named by DASHBOARD_DATABASE_URL "
                    "(a writer's URL; the app's may only read).")
    steps = db.add_subparsers(dest="step", required=True, metavar="STEP",
                              parser_class=type(db))
    init = steps.add_parser("init", help="create or update the schema (migrations)",
                            description="Create the extensions (PostGIS, pg_trgm) and apply "
                                        "the schema's migrations the database lacks.")
    init.add_argument("--reader", metavar="ROLE",
                      help="create (or update) ROLE, which may only read: the app's login")
    init.add_argument("--reader-password-env", metavar="VARIABLE",
                      help="environment variable holding ROLE's password")
    fill = steps.add_parser("load", help="load events files, one transaction per file",
                            description="Load each file (any format the app reads) into a "
                                        "dataset: events added or updated by id, bad rows "
                                        "reported as `validate` reports them.")
    fill.add_argument("paths", nargs="+", metavar="FILE", help=f"events file: {described()}")
    fill.add_argument("--dataset", metavar="NAME",
                      help="the dataset to load into (default: each file's name)")
    fill.add_argument("--format", dest="fmt", choices=list(IDS),
                      help="the files' format (default: detected from their columns)")
    fill.add_argument("--geodata", default=str(GEODATA_DIR),
                      help="folder with places.geojson and regions.geojson")
    fill.add_argument("--replace", action="store_true",
                      help="remove the dataset's events that the file no longer holds")
    fill.add_argument("--strict", action="store_true",
                      help="load nothing of a file that has any error")
    steps.add_parser("status", help="datasets, counts and the schema version")
    out = steps.add_parser("export", help="every event as the snapshot's CSV",
                           description="Write the database's events (date order) as the "
                                       "dashboard's CSV export.")
    out.add_argument("-o", "--output", required=True, help="file to write (- for stdout)")
    out.add_argument("--dataset", action="append", default=[], metavar="NAME",
                     help="only this dataset (repeatable)")


def database(settings: Settings, read_only: bool = False) -> Database:
    """The database of the ``DASHBOARD_DATABASE_URL`` setting."""
    if not settings.database_url:
        raise DbUsageError("set DASHBOARD_DATABASE_URL to the database's URL, e.g. "
                         "postgresql://writer@localhost/events (see the README)")
    return Database(settings.database_url, read_only=read_only, max_connections=1)


def run(args: argparse.Namespace, settings: Settings, report: Report) -> int:
    """Run one ``db`` step; return the exit status."""
    if args.step == "init":
        return init(args, settings)
    if args.step == "load":
        return load_files(args, settings, report)
    if args.step == "status":
        return status(settings)
    return export(args, settings)


def init(args: argparse.Namespace, settings: Settings) -> int:
    """Extensions, migrations and, with ``--reader``, the app's read-only role."""
    password = None
    if args.reader_password_env:
        password = os.environ.get(args.reader_password_env)
        if password is None:
            raise DbUsageError(f"the variable {args.reader_password_env} is not set")
    target = database(settings)
    done = initialise(target, args.reader, password)
    for migration in done.applied:
        print(f"applied migration {migration.version:04d} {migration.name}", file=sys.stderr)
    if done.reader_created is not None:
        print(f"reader role {args.reader} {'created' if done.reader_created else 'updated'}: "
              "it may only read", file=sys.stderr)
    print(f"{target.where}: schema version {done.version}", file=sys.stderr)
    if done.warning:
        print(f"warning: the schema is up to date, but {done.warning}", file=sys.stderr)
    return 0


def load_files(args: argparse.Namespace, settings: Settings, report: Report) -> int:
    """Each file read as the app reads it, its problems printed as ``validate`` prints
    them, then written in its own transaction."""
    target = database(settings)
    geodata = Geodata.load(Path(args.geodata))
    status = 0
    for path in args.paths:
        try:
            data = load_path(path, geodata, fmt=args.fmt, limits=settings.file_limits)
        except DataFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        errors = report(path, by_id(data.format).title, data.problems, data.total_rows,
                        len(data.events), data.notices)
        if errors:
            status = 1
            if args.strict:
                print(f"not loaded: {path} has errors (--strict)", file=sys.stderr)
                continue
        try:
            loaded = load(target, data, args.dataset, replace=args.replace)
        except DatabaseUnavailable:
            raise
        except DashboardError as exc:
            print(f"error: {path} was not loaded: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"loaded {path} into dataset {loaded.dataset}: {loaded.summary}",
              file=sys.stderr)
        if loaded.warning:
            print(f"warning: {path} is loaded, but {loaded.warning}", file=sys.stderr)
    return status


def status(settings: Settings) -> int:
    """The schema version, each dataset with its format, file, events and load time."""
    target = database(settings, read_only=True)
    with target.connection() as connection:
        version = applied(connection)
    print(f"{target.where}: schema version {version} (this dashboard's: {LATEST})")
    if version == 0:
        print("no schema yet: run python -m dashboard db init", file=sys.stderr)
        return 1
    rows = target.fetch("""
        SELECT d.name, d.format, d.source, count(e.id), to_char(d.loaded_at AT TIME ZONE
            'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
        FROM datasets d LEFT JOIN events e USING (dataset_id)
        GROUP BY d.dataset_id ORDER BY d.dataset_id""")
    table = [("dataset", "format", "file", "events", "loaded"),
             *((name, fmt, source, f"{count:,}", at) for name, fmt, source, count, at in rows)]
    widths = [max(len(str(row[i])) for row in table) for i in range(5)]
    for row in table:
        print("  ".join(str(v).rjust(w) if i == 3 else str(v).ljust(w)
                        for i, (v, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    (events, places, regions, data_version), = target.fetch(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM places), "
        "(SELECT count(*) FROM regions), (SELECT version FROM data_version)")
    print(f"{events:,} events in {len(rows)} datasets; {places:,} places; {regions} regions; "
          f"data version {data_version}")
    return 0


def export(args: argparse.Namespace, settings: Settings) -> int:
    """Every event (of the ``--dataset`` s) in date order, as the snapshot's CSV."""
    store = PostgisStore(database(settings, read_only=True))
    unknown = sorted(set(args.dataset) - set(store.datasets()))
    if unknown:
        raise DbUsageError(f"no dataset {', '.join(map(repr, unknown))}; the datasets are "
                         f"{', '.join(map(repr, store.datasets())) or 'none yet'}")
    events = store.select(FilterState(datasets=tuple(args.dataset))).frame()
    content = to_csv(events)
    if args.output == "-":
        sys.stdout.buffer.write(content)
    else:
        Path(args.output).write_bytes(content)
    print(f"wrote {args.output} ({len(events):,} events, {len(content):,} bytes)",
          file=sys.stderr)
    return 0

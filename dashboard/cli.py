"""The command line: ``python -m dashboard validate``, ``snapshot``, ``extract`` and ``db``.

The settings (``DASHBOARD_*``, see :mod:`dashboard.settings`) are read once, in :func:`main`.
Files named here have no size or row limit; what was imported from them is kept in the
cache folder (:mod:`dashboard.tablecache`), so an unchanged file is not imported again.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from dashboard.dataset import Geodata, combine
from dashboard.db import commands as db_commands
from dashboard.errors import DashboardError
from dashboard.export import EXPORTERS, ExportError, SnapshotOptions, save
from dashboard.extract import command as extract_command
from dashboard.filters import FilterState
from dashboard.gazetteer import Gazetteer
from dashboard.importing import IDS, described, read_path
from dashboard.importing.files import open_regular
from dashboard.importing.formats import by_id, own_format
from dashboard.paths import DEFAULT_EVENTS, GEODATA_DIR, PLACES_FILE
from dashboard.schema import CATEGORIES
from dashboard.settings import Limits, Settings, SettingsError
from dashboard.tablecache import TableCache, load_cached
from dashboard.validation import Problem

FRAME_MS = (50, 10_000)  # time-lapse frame duration, milliseconds


class UsageError(Exception):
    """Bad arguments: one line on stderr and exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments in one line instead of usage and exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date (YYYY-MM-DD)") from None


def within(low: int, high: int, unit: str):
    """An argparse type: a whole number from ``low`` to ``high`` (``unit`` names it)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{text[:40]!r} is out of range: {low:,} to {high:,} {unit}")
        return value
    return parse


def bounds(text: str) -> tuple[float, float, float, float]:
    try:
        south, west, north, east = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not SOUTH,WEST,NORTH,EAST") from None
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise argparse.ArgumentTypeError(f"{text!r} is not a real area (south<north, west<east)")
    return south, west, north, east


def _parser() -> Parser:
    parser = Parser(prog="python -m dashboard",
                    description="Conflict-event map: check event files, export snapshots.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=Parser)
    validate = commands.add_parser(
        "validate", help="check an events CSV; exit 1 on any error",
        description="Print PATH:LINE: column: problem for each problem; exit 1 on any "
                    "error, 0 when the file is clean (warnings do not fail it).")
    validate.add_argument("path", nargs="?", default=str(DEFAULT_EVENTS),
                          help=f"events file: {described()} (default: the bundled "
                               "events.csv)")
    validate.add_argument("--geodata", default=str(GEODATA_DIR),
                          help="folder with places.geojson (default: the bundled geodata/)")
    validate.add_argument("--format", dest="fmt", choices=list(IDS),
                          help="the file's format (default: detected from its columns)")
    snap = commands.add_parser(
        "snapshot", help="export what the dashboard shows for the given filters",
        description="Export the events the filters select, as the dashboard's Snapshot "
                    "panel does.")
    snap.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    snap.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    snap.add_argument("--region", action="append", default=[], metavar="ID",
                      help="region id (repeatable); see the error message for the ids")
    snap.add_argument("--category", action="append", default=[], choices=list(CATEGORIES),
                      metavar="CATEGORY", help=f"layer (repeatable): {', '.join(CATEGORIES)}")
    snap.add_argument("--search", default="", help="words every event must contain")
    snap.add_argument("--precise-only", action="store_true",
                      help="only events dated to the day (leave out those known only to "
                           "the month, the year or a range of days)")
    snap.add_argument("--format", required=True, choices=list(EXPORTERS), metavar="FORMAT",
                      help="; ".join(f"{e.id}: {e.label}" for e in EXPORTERS.values()))
    snap.add_argument("-o", "--output", required=True, help="file to write")
    snap.add_argument("--events", action="append", default=[], metavar="PATH",
                      help=f"events file: {described()} (repeatable; default: the "
                           "bundled events.csv)")
    snap.add_argument("--events-format", dest="fmt", choices=list(IDS),
                      help="format of the --events files (default: detected)")
    snap.add_argument("--width", type=int, default=1600, help="image width in pixels")
    snap.add_argument("--height", type=int, default=1130, help="image height in pixels")
    snap.add_argument("--dpi", type=int, default=200)
    snap.add_argument("--bounds", type=bounds, metavar="S,W,N,E",
                      help="area to show (default: the extent of the events)")
    snap.add_argument("--step", type=int, default=1, help="days per time-lapse frame")
    snap.add_argument("--frame-ms", type=within(*FRAME_MS, "ms"), default=800,
                      help=f"time-lapse frame duration ({FRAME_MS[0]} to {FRAME_MS[1]:,} ms)")
    extract_command.add_parser(commands, iso_date)
    db_commands.add_parser(commands)
    return parser


Findings = tuple[list[str], list[Problem], int, int, str]  # notices … total, valid, kind


def _checked(path: str, geodata: str, fmt: str | None, limits: Limits | None) -> Findings:
    checked = read_path(path, Gazetteer.load(Path(geodata) / PLACES_FILE), fmt=fmt,
                        limits=limits)
    events = checked.events
    return (checked.notices, events.problems, events.total_rows, len(events.table),
            checked.format.title)


def _kept(path: str, geodata: str, fmt: str | None, limits: Limits | None,
          cache: TableCache | None) -> Findings | None:
    """The findings of the same check, kept with the table the file was imported into."""
    key = cache.key(Path(path), Path(geodata), fmt, limits or Limits()) if cache else None
    found = cache.summary(key) if cache and key else None
    if found is None:
        return None
    with open_regular(Path(path)) as handle:  # our own file is checked strictly
        own = own_format(handle.read(2**16), fmt)
    kind = (own or by_id(found["format"])).title
    return found["notices"], found["problems"], found["total_rows"], found["rows"], kind


def validate(path: str, geodata: str, fmt: str | None = None,
             limits: Limits | None = None, cache: TableCache | None = None) -> int:
    """Print every problem of ``path`` (any format the app reads); return the exit status.

    A file imported before and unchanged (with the same geodata, format and limits) is not
    read again: its entry in ``cache`` holds what this check found then, and would find.
    """
    notices, problems, total, valid, kind = (_kept(path, geodata, fmt, limits, cache)
                                             or _checked(path, geodata, fmt, limits))
    return 1 if report(path, kind, problems, total, valid, notices) else 0


def report(path: str, kind: str, problems: Sequence[Problem], total: int, valid: int,
           notices: Sequence[str]) -> int:
    """Print a read file's notices, problems (stdout) and summary; return its errors."""
    for notice in notices:
        print(f"notice: {notice}", file=sys.stderr)
    for problem in sorted(problems, key=lambda p: (p.line, p.column)):
        print(problem.format(path))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    summary = (f"{path} ({kind}): {total} rows, {valid} valid, "
               f"{errors} errors, {warnings} warnings")
    print(summary, file=sys.stderr)
    return errors


def snapshot(args: argparse.Namespace, limits: Limits | None = None,
             cache: TableCache | None = None) -> int:
    """Write one export; bad filter values are usage errors naming the valid choices."""
    paths = args.events or [str(DEFAULT_EVENTS)]
    geodata = Geodata.load()
    data = combine([load_cached(p, geodata, cache, fmt=args.fmt, limits=limits)
                    for p in paths])
    known = [r.id for r in data.geodata.choices]
    unknown = [r for r in args.region if r not in known]
    if unknown:
        raise UsageError(f"unknown region {', '.join(map(repr, unknown))}; choose from: "
                         f"{', '.join(known)}")
    try:
        state = FilterState(date_from=args.date_from, date_to=args.date_to,
                            regions=tuple(args.region),
                            categories=tuple(args.category or CATEGORIES),
                            search=args.search.strip(), precise_only=args.precise_only)
        options = SnapshotOptions(width=args.width, height=args.height, dpi=args.dpi,
                                  bounds=args.bounds, step_days=args.step,
                                  frame_ms=args.frame_ms)
    except (ValueError, ExportError) as exc:
        raise UsageError(str(exc)) from None

    shown: list[str] = []  # progress lines printed, each over the one before

    def progress(fraction: float, message: str) -> None:
        width = max((len(m) for m in shown), default=0)
        print(f"\r{fraction:4.0%} {message:<{width}}", end="", file=sys.stderr, flush=True)
        shown.append(message)

    size = save(data, state, args.format, Path(args.output), options, progress)
    if shown:
        print(file=sys.stderr)
    for part in data.parts or [data]:
        for problem in part.skipped:
            print(f"warning: skipped {problem.format(str(part.path))}", file=sys.stderr)
    print(f"wrote {args.output} ({args.format}, {size:,} bytes)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; errors are one line on stderr (status 2 usage or an unknown
    setting, 1 otherwise)."""
    try:
        settings = Settings.from_env(os.environ)
        limits, cache = settings.file_limits, TableCache(settings.cache_dir)
        args = _parser().parse_args(argv)
        if args.command == "validate":
            return validate(args.path, args.geodata, args.fmt, limits, cache)
        if args.command == "extract":
            return extract_command.run(args)
        if args.command == "db":
            return db_commands.run(args, settings, report)
        return snapshot(args, limits, cache)
    except (UsageError, SettingsError, db_commands.DbUsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DashboardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1

"""The command line: ``python -m dashboard validate [PATH]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.errors import DashboardError
from dashboard.events import read_events
from dashboard.gazetteer import Gazetteer
from dashboard.paths import DEFAULT_EVENTS, GEODATA_DIR, PLACES_FILE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Conflict-event map: check event files against the gazetteer.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate", help="check an events CSV; exit 1 on any error",
        description="Print PATH:LINE: column: problem for each problem; exit 1 on any "
                    "error, 0 when the file is clean (warnings do not fail it).")
    validate.add_argument("path", nargs="?", default=str(DEFAULT_EVENTS),
                          help="events CSV (default: the bundled events.csv)")
    validate.add_argument("--geodata", default=str(GEODATA_DIR),
                          help="folder with places.geojson (default: the bundled geodata/)")
    return parser


def validate(path: str, geodata: str) -> int:
    """Print every problem of ``path``; return the exit status."""
    gazetteer = Gazetteer.load(Path(geodata) / PLACES_FILE)
    result = read_events(path, gazetteer)
    for problem in sorted(result.problems, key=lambda p: (p.line, p.column)):
        print(problem.format(path))
    errors, warnings = len(result.errors), len(result.problems) - len(result.errors)
    summary = (f"{path}: {result.total_rows} rows, {len(result.rows)} valid, "
               f"{errors} errors, {warnings} warnings")
    print(summary, file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; domain errors become one line on stderr and status 1."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.path, args.geodata)
    except DashboardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2

"""``python -m dashboard extract REPORT -o candidates.csv``: the command's arguments and run."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from dashboard.extract import extract_file, place_index
from dashboard.extract.output import write_csv
from dashboard.paths import GEODATA_DIR


def countries(text: str) -> tuple[str, ...]:
    """``AM,AZ`` as country codes; a usage error otherwise."""
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    if not all(len(c) == 2 and c.isalpha() for c in codes):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a list of ISO country codes "
                                         "such as AM,AZ")
    return codes


def add_parser(commands: Any, date_type: Callable[[str], date]) -> None:
    """The ``extract`` subcommand's arguments, on the command line's subparsers."""
    extract = commands.add_parser(
        "extract", help="candidate events of a report, with their evidence",
        description="Read a report (text, Markdown, HTML or a PDF with text) and write its "
                    "candidate events: rows of the events columns plus confidence and "
                    "evidence, for a person to review.")
    extract.add_argument("report", help="the report file, at most 50 MB")
    extract.add_argument("--date", type=date_type, metavar="YYYY-MM-DD",
                         help="when the report was written (default: its metadata, else "
                              "its latest date)")
    extract.add_argument("--source", default="",
                         help="citation for the source column (default: its title or name)")
    extract.add_argument("-o", "--output", required=True, help="CSV file to write")
    extract.add_argument("--countries", type=countries, default=("AM", "AZ"),
                         metavar="CODES", help="countries whose GeoNames towns are looked up "
                                               "besides the gazetteer (default: AM,AZ)")
    extract.add_argument("--geodata", default=str(GEODATA_DIR),
                         help="folder with places.geojson (default: the bundled geodata/)")


def run(args: argparse.Namespace) -> int:
    """Write the candidates of one report; say which document date was used."""
    index = place_index(Path(args.geodata), args.countries)
    found = extract_file(args.report, args.date, args.source, index=index)
    size = write_csv(found.candidates, args.output)
    print(f"document date: {found.date_reason}", file=sys.stderr)
    if found.main_event:
        print(f"main event: {found.main_event}", file=sys.stderr)
    names = {h.text: h.detail for h in found.highlights if h.kind == "place" and " or " in
             h.detail}
    for name, ids in names.items():
        print(f"ambiguous place {name!r}: {ids} (left for you to choose)", file=sys.stderr)
    print(f"wrote {args.output} ({len(found.candidates)} candidates, {size:,} bytes)",
          file=sys.stderr)
    return 0

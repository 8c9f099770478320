"""The formats read, in one registry: choosing one by name, or from a file's header.

Every reader of events files goes through here: ``validate``, ``snapshot --events``, the
app's ``--events`` files and its uploader (its choices and accepted files).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

from dashboard.errors import ImportRefused
from dashboard.importing.acled import ACLED
from dashboard.importing.common import Format
from dashboard.importing.ged import GED
from dashboard.importing.ours import EVENTS, OWN
from dashboard.importing.reading import LAYOUTS

FORMATS: tuple[Format, ...] = (EVENTS, ACLED, GED)  # as offered to choose from
IDS = tuple(f.id for f in FORMATS)


def _listed(items: Sequence[str]) -> str:
    return f"{', '.join(items[:-1])} or {items[-1]}" if len(items) > 1 else "".join(items)


def described() -> str:
    """The formats and layouts read, for help texts: ``…, an ACLED export or UCDP GED, as
    CSV or GeoJSON``."""
    return f"{_listed([f.label for f in FORMATS])}, as {_listed([x.label for x in LAYOUTS])}"


def by_id(fmt: str) -> Format:
    """The format called ``fmt``; refused in one sentence naming the choices."""
    for form in FORMATS:
        if form.id == fmt:
            return form
    raise ImportRefused(f"{fmt!r} is not a format; choose {', '.join(IDS)}.")


def detect(header: Sequence[str], name: str = "The file") -> Format:
    """The format whose tell-tale columns ``header`` has: a specific one before a generic.

    Raises
    ------
    ImportRefused
        When no format's columns are there; the sentence lists the formats read.
    """
    columns = frozenset(header)
    ordered = sorted(FORMATS, key=lambda f: f.generic)  # stable: the registry's order
    for form in ordered:
        if form.detect(columns):
            return form
    known = [f"{f.label} ({', '.join(f.required_columns[:4])}, …)" for f in ordered]
    raise ImportRefused(f"{name}'s columns are not those of {_listed(known)}.")


def own_format(raw: bytes, fmt: str | None = None) -> Format | None:
    """:data:`~dashboard.importing.ours.OWN` when ``raw`` is our own events file, else None.

    Our own file, named on the command line, is checked as ``validate`` always has: its
    first line holds every column of the schema and places are ids. Only that line (at
    most 64 KB) is looked at; a file whose first line is not UTF-8 is not ours.
    """
    if fmt not in (None, OWN.id):
        return None
    first = raw[:2**16].split(b"\n", 1)[0].split(b"\r", 1)[0]
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    try:
        header = next(csv.reader([line]), [])
    except csv.Error:  # a field beyond the size limit
        return None
    return OWN if OWN.detect(frozenset(h.strip() for h in header)) else None

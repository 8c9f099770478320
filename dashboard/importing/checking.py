"""Records to checked rows: each mapped by its format, placed, checked against the schema.

One pass for every format, our own events file included: what it keeps, what it drops and
why, with the line (or feature) each problem is on. Whole columns are mapped, placed and
checked at once where that gives the same result (a format's ``vectorised`` converter,
:mod:`~dashboard.importing.placing`, :mod:`~dashboard.importing.screening`); every row
those cannot vouch for goes through the format's ``convert`` and the schema's
``check_row`` one by one, so the problems, their wording and order, are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from dashboard.events import EventsFile
from dashboard.gazetteer import Gazetteer
from dashboard.importing.arrow_text import member, text_array
from dashboard.importing.columns import DRAFT_COLUMNS, Columns, stack
from dashboard.importing.common import Format, RowProblems
from dashboard.importing.placing import place
from dashboard.importing.progress import Steps
from dashboard.importing.reading import Table
from dashboard.importing.screening import Known, check_rows, passes
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange, Problem, shown


@dataclass
class Checked:
    """A file read and checked: its valid rows and problems, before they are joined.

    ``places`` are those made up for coordinates that valid rows use, one row each (see
    :data:`~dashboard.importing.placing.PLACE_COLUMNS`); ``name`` is what the dataset is
    called (the file's name).
    """

    events: EventsFile
    format: Format
    places: pd.DataFrame
    name: str
    notices: list[str]
    unit: str


def _drafts(form: Format, columns: Columns, rows: np.ndarray, dates: DateRange,
            problems: list[Problem]) -> pd.DataFrame:
    """``form.convert`` of the records at positions ``rows``: the drafts of those it maps,
    with their lines; what is wrong with the others added to ``problems``."""
    kept: list[dict] = []
    for line, record in columns.records(rows, form.reads or None):
        found = RowProblems(line)
        draft = form.convert(record, found, dates)
        problems.extend(found)
        if draft is None or any(p.severity == "error" for p in found):
            continue
        lat, lon = draft.point if draft.point is not None else (np.nan, np.nan)
        kept.append({**draft.row, "latitude": lat, "longitude": lon,
                     "place_name": draft.place_name,
                     "location_precision": draft.location_precision,
                     "precision_m": np.nan if draft.precision_m is None else draft.precision_m,
                     "line": line})
    frame = pd.DataFrame({c: text_array([r[c] for r in kept]) for c in COLUMNS})
    for name in DRAFT_COLUMNS:
        values = [r[name] for r in kept]
        frame[name] = (np.asarray(values, dtype=float) if name in ("latitude", "longitude",
                                                                  "precision_m")
                       else text_array(values))
    frame["line"] = np.asarray([r["line"] for r in kept], dtype=np.int64)
    return frame


def mapped(table: Table, form: Format, dates: DateRange,
           problems: list[Problem]) -> pd.DataFrame:
    """Every record mapped onto the schema (the draft columns besides), in file order; the
    problems of those that cannot be added to ``problems``."""
    columns = table.columns
    done = form.vectorised(columns, dates) if form.vectorised else None
    rest = np.arange(len(columns)) if done is None else np.setdiff1d(
        np.arange(len(columns)), done.rows, assume_unique=True)
    parts = [done.frame.assign(line=columns.lines[done.rows])] if done and len(done.rows) \
        else []
    if len(rest) or not parts:
        parts.append(_drafts(form, columns, rest, dates, problems))
    frame = stack(parts)
    lines = frame["line"].to_numpy()
    if len(parts) == 1 or (np.diff(lines) >= 0).all():
        return frame
    return frame.take(np.argsort(lines, kind="stable")).reset_index(drop=True)


def _repeated(frame: pd.DataFrame) -> dict[int, Problem]:
    """The duplicate-id problem of each row (by position) whose id an earlier row has."""
    ids = frame["event_id"].astype("str")
    given = (ids != "").to_numpy()
    repeated = np.flatnonzero(given & ids.duplicated(keep="first").to_numpy())
    if not len(repeated):
        return {}
    lines: list[int] = frame["line"].tolist()
    named: list[str] = ids.tolist()
    first: dict[str, int] = {}
    for row in np.flatnonzero(given).tolist():
        first.setdefault(named[row], lines[row])
    return {row: Problem(lines[row], "event_id", f"duplicate id {shown(named[row])} "
                         f"(first on line {first[named[row]]})") for row in repeated.tolist()}


def check(table: Table, form: Format, gazetteer: Gazetteer, path: Path, name: str,
          dates: DateRange, steps: Steps | None = None) -> Checked:
    """Map and check every record of ``table`` read from ``path``; problems in file order.

    A row is kept when neither its mapping nor the schema's checks find an error; problems
    name the file's own columns (``form.columns``). Places made up for coordinates say
    they come from ``name``. Dates must fall in ``dates``.
    """
    steps = steps or Steps()
    problems = [*table.problems, *(Problem(line, "row", why) for line, why in table.broken)]
    steps(0.0, "Checking rows")
    frame, count = mapped(table, form, dates, problems), table.count
    table.columns = Columns({}, table.columns.lines[:0])  # let the records go: mapped now
    steps(0.5, "Placing events")
    made_here = frame["latitude"].notna().to_numpy()
    frame, made = place(frame, gazetteer, name)
    steps(0.7, "Checking rows")
    ok = passes(frame, made_here, gazetteer, dates)
    suspect = np.flatnonzero(~ok)
    rows = cast(list[dict[str, str]], frame[list(COLUMNS)].iloc[suspect].to_dict("records"))
    lines = frame["line"].to_numpy()
    firsts = made.groupby("id")["line"].min() if len(made) else pd.Series(dtype=np.int64)
    found = check_rows(rows, lines[suspect].tolist(), Known(gazetteer, firsts), dates)
    dropped = np.zeros(len(frame), dtype=bool)
    later: list[Problem] = []
    repeated = _repeated(frame)
    by_row = dict(zip(suspect.tolist(), found, strict=True))
    for row in sorted({*by_row, *repeated}):
        these = by_row.get(row, [])
        if row in repeated:
            these = [*these, repeated[row]]
        if form.columns:
            these = [Problem(p.line, form.columns.get(p.column, p.column), p.message,
                             p.severity) for p in these]
        later += these
        dropped[row] = any(p.severity == "error" for p in these)
    problems += later
    problems.sort(key=lambda p: p.line)  # stable: a row's problems keep their order
    kept = frame[[*COLUMNS, "line"]]
    if dropped.any():
        kept = kept[~dropped].reset_index(drop=True)
    places = made.drop_duplicates("id", keep="last")
    places = places[member(places["id"], kept["place_id"])].reset_index(drop=True)
    places["source"] = f"coordinates from {name}"
    steps(1.0, "Checking rows")
    return Checked(EventsFile(path, kept, problems, count), form, places, name,
                   table.notices, table.unit)

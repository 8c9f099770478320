"""Candidates as a CSV file: the events columns plus ``confidence`` and ``evidence``.

Written like the dashboard's CSV export: UTF-8 with a byte-order mark, and every text cell
a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``...) prefixed with an
apostrophe by the export's own guard, so a hostile report stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from dashboard.export.tables import neutralise
from dashboard.extract.rows import CANDIDATE_COLUMNS, Candidate


def to_csv(candidates: Iterable[Candidate]) -> bytes:
    """The candidates as CSV bytes, formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CANDIDATE_COLUMNS)
    for found in candidates:
        row = found.as_dict()
        writer.writerow([neutralise(row[column]) for column in CANDIDATE_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(candidates: Iterable[Candidate], path: str | Path) -> int:
    """Write the candidates to ``path`` (through a temporary file); return the bytes."""
    content = to_csv(candidates)
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(content)
    partial.replace(target)
    return len(content)

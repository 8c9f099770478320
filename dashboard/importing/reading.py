"""Untrusted bytes to a table of text records: encoding, delimiter, GeoJSON, limits.

Every file, our own events file and every import alike, is read here: one loop numbers
the lines, skips blank rows and lists rows of the wrong width. A refusal is one
:class:`DataFileError` sentence (an :class:`ImportRefused` one for imports); nothing else
escapes.
"""

from __future__ import annotations

import csv
import gc
import json
import math
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.errors import ImportRefused
from dashboard.importing.arrow_text import from_arrow
from dashboard.importing.columns import Columns
from dashboard.importing.common import Format
from dashboard.importing.files import too_large
from dashboard.importing.progress import Steps
from dashboard.importing.text import Text, decode, refused
from dashboard.settings import Limits
from dashboard.validation import Problem

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
LAT, LON = "latitude", "longitude"
CHUNK = 50_000  # rows turned into columns at a time
# Which columns of a header to keep (None: all of them).
Keep = Callable[[list[str]], Collection[str] | None]


@dataclass
class Table:
    """Text records, as columns, with the line (CSV) or feature number (GeoJSON) of each.

    ``problems`` are the header's (line 1) that leave the rows readable; ``broken`` the
    rows that cannot be read at all, with why.
    """

    name: str
    header: list[str]
    columns: Columns = field(default_factory=lambda: Columns({}, np.zeros(0, np.int64)))
    unit: str = "line"  # what numbers the records: "line" or "feature" (its Layout's)
    notices: list[str] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Rows that are not blank, readable or not."""
        return len(self.columns) + len(self.broken)


Reader = Callable[[Text, str, Limits, Format | None, Keep | None, Steps], Table]


@dataclass(frozen=True)
class Layout:
    """How records lie in a file: its suffixes, what numbers them and how it is read."""

    label: str
    suffixes: tuple[str, ...]
    unit: str
    read: Reader


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a header line: the most frequent of comma, semicolon and tab."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_size(raw: bytes, name: str, limits: Limits, strict: bool) -> None:
    if len(raw) > limits.max_bytes:
        message = too_large(name, len(raw), limits.max_bytes)
        raise refused(strict, message, message)
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise refused(strict, f"{name} is empty", f"{name} is empty.")


def _too_many(name: str, limits: Limits) -> ImportRefused:
    return ImportRefused(f"{name} has more than {limits.max_rows:,} rows, the limit; split it "
                         f"or raise the limit.")


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: the rows read are no cycles, and looking for
    cycles among the many thousands of them piling up costs a quarter of the reading."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Rows:
    """Rows gathered a chunk at a time into text columns (each value stripped)."""

    def __init__(self, keep: list[tuple[str, int]], text: Text, steps: Steps):
        self.keep, self.text, self.steps = keep, text, steps
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.parts: dict[str, list] = {name: [] for name, _ in keep}

    def flush(self) -> None:
        """The rows gathered so far turned into columns, each value stripped (Arrow's
        white space is Python's)."""
        if self.rows:
            rows = pa.array(self.rows, type=pa.list_(pa.large_string()))
            for name, i in self.keep:
                self.parts[name].append(pc.utf8_trim_whitespace(pc.list_element(rows, i)))
            self.rows = []
        self.steps(self.text.position / max(self.text.size, 1), "Reading rows")

    def columns(self) -> Columns:
        self.flush()
        data = {name: from_arrow(pa.chunked_array(parts, type=pa.large_string()))
                for name, parts in self.parts.items()}
        return Columns(data, np.array(self.lines, dtype=np.int64))


def read_csv(text: Text, name: str, limits: Limits, form: Format | None = None,
             keep: Keep | None = None, steps: Steps | None = None) -> Table:
    """The header and rows of delimited text; rows with the wrong field count are listed.

    Lines are numbered as in the file: only ``\\n``, ``\\r\\n`` and ``\\r`` end one, and a
    quoted field may hold any other character, line and page separators included. The
    header is checked against ``form``, when known, before any row is read. A strict
    ``form`` (our own file) is read as ``validate`` reads it: commas, strict quoting, no
    row limit, a repeated column reported (:func:`~dashboard.validation.check_columns`)
    rather than refused. Only the columns ``keep`` names of the header are kept.
    """
    strict = bool(form and form.strict)
    if b"\x00" in text.raw and not strict:
        raise ImportRefused(f"{name} contains NUL bytes: it is not a text file.")
    header_line = next((x for x in text.lines() if x.strip()), "")
    delimiter = "," if strict else sniff_delimiter(header_line)
    csv.field_size_limit(max(limits.max_field_chars, 1))
    reader = csv.reader(text.lines(), delimiter=delimiter, strict=strict)
    table = Table(name, [])
    if delimiter != ",":
        table.notices.append(f"{name} is separated by {DELIMITERS[delimiter]}s.")
    rows: _Rows | None = None
    try:
        for values in reader:
            if any(v.strip() for v in values):
                table.header = [v.strip().lstrip("\ufeff") for v in values]
                break
        doubled = sorted({h for h in table.header if table.header.count(h) > 1})
        if doubled and not strict:
            raise ImportRefused(f"{name} repeats the columns {', '.join(doubled)}.")
        if form is not None and table.header:
            table.problems = form.header_problems(table.header, name)
        index: dict[str, int] = {}  # a repeated column's first place
        for i, column in enumerate(table.header):
            index.setdefault(column, i)
        wanted = keep(table.header) if keep else None
        rows = _Rows([(c, i) for c, i in index.items() if wanted is None or c in wanted],
                     text, steps or Steps())
        end, width, broken = reader.line_num, len(table.header), table.broken
        gathered, lines, most = rows.rows, rows.lines, math.inf if strict else limits.max_rows
        with _no_collection():
            for values in reader:
                line, end = end + 1, reader.line_num
                if not (values and values[0].strip()) and not any(v.strip() for v in values):
                    continue
                if len(lines) + len(broken) >= most:
                    raise _too_many(name, limits)
                if len(values) != width:
                    broken.append((line, f"has {len(values)} fields, the header has {width}"))
                    continue
                gathered.append(values)
                lines.append(line)
                if len(gathered) >= CHUNK:
                    rows.flush()
                    gathered = rows.rows
    except csv.Error as exc:
        raise refused(strict, f"{name}:{reader.line_num}: not valid CSV: {exc}",
                       f"{name} is not readable CSV near line {reader.line_num}: "
                       f"{exc}.") from None
    if not table.header:
        raise refused(strict, f"{name} is empty", f"{name} is empty.")
    assert rows is not None
    table.columns = rows.columns()
    if not table.count:
        raise refused(strict, f"{name} has a header but no rows",
                       f"{name} has a header but no rows.")
    return table


def _text(value: object) -> str:
    """A GeoJSON property as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def read_geojson(text: Text, name: str, limits: Limits, form: Format | None = None,
                 keep: Keep | None = None, steps: Steps | None = None) -> Table:
    """Point features of a FeatureCollection as records; their coordinates as lat/lon.

    The header, every property name, is checked against ``form`` when known.
    """
    try:
        data = json.loads(text.whole())
    except (ValueError, RecursionError) as exc:
        raise ImportRefused(f"{name} is not valid JSON ({str(exc)[:80]}).") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise ImportRefused(f"{name} is JSON but not a GeoJSON FeatureCollection.")
    if len(data["features"]) > limits.max_rows:
        raise _too_many(name, limits)
    if not data["features"]:
        raise ImportRefused(f"{name} has no features.")
    table = Table(name, [])
    records: list[tuple[int, dict[str, str]]] = []
    columns: dict[str, None] = {}
    for number, feature in enumerate(data["features"], start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        record = {str(k): _text(v) for k, v in props.items()}
        columns.update(dict.fromkeys(record))
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") != "Point" \
                or not isinstance(coords, list) or len(coords) < 2 \
                or not all(isinstance(c, int | float) and not isinstance(c, bool)
                           and math.isfinite(c) for c in coords[:2]):
            kind = geometry.get("type") if isinstance(geometry, dict) else "no geometry"
            table.broken.append((number, f"is not a point with two numbers ({kind})"))
            continue
        record[LON], record[LAT] = _text(float(coords[0])), _text(float(coords[1]))
        records.append((number, record))
    table.header = [*columns, *(c for c in (LAT, LON) if c not in columns)]
    if form is not None:
        table.problems = form.header_problems(table.header, name)
    wanted = keep(table.header) if keep else None
    table.columns = Columns.from_records(
        records, [c for c in table.header if wanted is None or c in wanted])
    return table


CSV = Layout("CSV", ("csv", "tsv", "txt"), "line", read_csv)
GEOJSON = Layout("GeoJSON", ("geojson", "json"), "feature", read_geojson)
LAYOUTS = (CSV, GEOJSON)  # what the uploader accepts


def read_table(raw: bytes, name: str, limits: Limits | None = None,
               form: Format | None = None, keep: Keep | None = None,
               steps: Steps | None = None) -> Table:
    """Bytes of a CSV (comma, semicolon or tab) or GeoJSON file as a :class:`Table`.

    ``form``: the file's format when known before reading (chosen, or our own file, which
    is read strictly as CSV); its header is then checked as soon as it is read. ``keep``
    chooses the columns kept of the header; ``steps`` hears how far reading got.
    """
    limits = limits or Limits()
    strict = bool(form and form.strict)
    _check_size(raw, name, limits, strict)
    text, notices = decode(raw, name, strict=strict)
    geojson = not strict and text.first_character() in ("{", "[")
    layout = GEOJSON if geojson else CSV
    table = layout.read(text, name, limits, form, keep, steps or Steps())
    table.unit = layout.unit
    table.notices[:0] = notices
    return table

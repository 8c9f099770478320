"""Untrusted bytes to a table of text records: encoding, delimiter, GeoJSON, limits.

Every file, our own events file and every import alike, is read here: one loop numbers
the lines, skips blank rows and lists rows of the wrong width. A refusal is one
:class:`DataFileError` sentence (an :class:`ImportRefused` one for imports); nothing else
escapes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from dashboard.errors import DataFileError, ImportRefused
from dashboard.importing.common import Format
from dashboard.importing.files import too_large
from dashboard.settings import Limits
from dashboard.validation import Problem

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
LAT, LON = "latitude", "longitude"


@dataclass
class Table:
    """Text records with the line (CSV) or feature number (GeoJSON) each came from.

    ``problems`` are the header's (line 1) that leave the rows readable; ``broken`` the
    rows that cannot be read at all, with why.
    """

    name: str
    header: list[str]
    records: list[tuple[int, dict[str, str]]]
    unit: str = "line"  # what numbers the records: "line" or "feature" (its Layout's)
    notices: list[str] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Rows that are not blank, readable or not."""
        return len(self.records) + len(self.broken)


Reader = Callable[[str, str, Limits, Format | None], Table]


@dataclass(frozen=True)
class Layout:
    """How records lie in a file: its suffixes, what numbers them and how it is read."""

    label: str
    suffixes: tuple[str, ...]
    unit: str
    read: Reader


def _refused(strict: bool, own: str, imported: str) -> DataFileError:
    """Our own file's terse refusal, or an import's sentence."""
    return DataFileError(own) if strict else ImportRefused(imported)


def is_utf16(raw: bytes) -> bool:
    """Whether ``raw`` looks like UTF-16: a UTF-16 byte-order mark, or NUL every other byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:1024]
    half = len(sample) // 2
    return half >= 2 and max(sample[0::2].count(0), sample[1::2].count(0)) > half * 0.6


def decode(raw: bytes, name: str, *, strict: bool = False) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else cp1252 with a notice; UTF-16 is refused.

    ``strict`` (our own file) refuses anything but UTF-8.
    """
    if is_utf16(raw):
        raise _refused(strict, f"{name} is UTF-16 text, not UTF-8; save it as UTF-8 CSV",
                       f"{name} is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8).")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        if strict:
            raise DataFileError(f"{name} is not UTF-8 text (byte {exc.start}); save it as "
                                f"UTF-8 CSV") from None
    text = raw.decode("cp1252", errors="replace")
    replaced = text.count("\ufffd")
    notice = (f"{name} is not UTF-8; it was read as Windows-1252 (cp1252)"
              + (f", and {replaced} bytes that are not text there were replaced by �"
                 if replaced else "")
              + ". Check accented names; save as UTF-8 to be sure.")
    return text, [notice]


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a header line: the most frequent of comma, semicolon and tab."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_size(raw: bytes, name: str, limits: Limits, strict: bool) -> None:
    if len(raw) > limits.max_bytes:
        message = too_large(name, len(raw), limits.max_bytes)
        raise _refused(strict, message, message)
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _refused(strict, f"{name} is empty", f"{name} is empty.")


def _too_many(name: str, limits: Limits) -> ImportRefused:
    return ImportRefused(f"{name} has more than {limits.max_rows:,} rows, the limit; split it "
                         f"or raise the limit.")


def read_csv(text: str, name: str, limits: Limits, form: Format | None = None) -> Table:
    """The header and rows of delimited text; rows with the wrong field count are listed.

    Lines are numbered as in the file: only ``\\n``, ``\\r\\n`` and ``\\r`` end one, and a
    quoted field may hold any other character, line and page separators included. The
    header is checked against ``form``, when known, before any row is read. A strict
    ``form`` (our own file) is read as ``validate`` reads it: commas, strict quoting, no
    row limit, a repeated column reported (:func:`~dashboard.validation.check_columns`)
    rather than refused.
    """
    strict = bool(form and form.strict)
    if "\x00" in text and not strict:
        raise ImportRefused(f"{name} contains NUL bytes: it is not a text file.")
    header_line = next((x for x in io.StringIO(text, newline="") if x.strip()), "")
    delimiter = "," if strict else sniff_delimiter(header_line)
    csv.field_size_limit(max(limits.max_field_chars, 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    table = Table(name, [], [])
    if delimiter != ",":
        table.notices.append(f"{name} is separated by {DELIMITERS[delimiter]}s.")
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
        end = reader.line_num
        for values in reader:
            line, end = end + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if not strict and table.count >= limits.max_rows:
                raise _too_many(name, limits)
            if len(values) != len(table.header):
                table.broken.append((line, f"has {len(values)} fields, the header has "
                                           f"{len(table.header)}"))
                continue
            table.records.append((line, {c: values[i].strip() for c, i in index.items()}))
    except csv.Error as exc:
        raise _refused(strict, f"{name}:{reader.line_num}: not valid CSV: {exc}",
                       f"{name} is not readable CSV near line {reader.line_num}: "
                       f"{exc}.") from None
    if not table.header:
        raise _refused(strict, f"{name} is empty", f"{name} is empty.")
    if not table.count:
        raise _refused(strict, f"{name} has a header but no rows",
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


def read_geojson(text: str, name: str, limits: Limits, form: Format | None = None) -> Table:
    """Point features of a FeatureCollection as records; their coordinates as lat/lon.

    The header, every property name, is checked against ``form`` when known.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ImportRefused(f"{name} is not valid JSON ({str(exc)[:80]}).") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise ImportRefused(f"{name} is JSON but not a GeoJSON FeatureCollection.")
    if len(data["features"]) > limits.max_rows:
        raise _too_many(name, limits)
    if not data["features"]:
        raise ImportRefused(f"{name} has no features.")
    table = Table(name, [], [])
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
        table.records.append((number, record))
    table.header = [*columns, *(c for c in (LAT, LON) if c not in columns)]
    if form is not None:
        table.problems = form.header_problems(table.header, name)
    return table


CSV = Layout("CSV", ("csv", "tsv", "txt"), "line", read_csv)
GEOJSON = Layout("GeoJSON", ("geojson", "json"), "feature", read_geojson)
LAYOUTS = (CSV, GEOJSON)  # what the uploader accepts


def read_table(raw: bytes, name: str, limits: Limits | None = None,
               form: Format | None = None) -> Table:
    """Bytes of a CSV (comma, semicolon or tab) or GeoJSON file as a :class:`Table`.

    ``form``: the file's format when known before reading (chosen, or our own file, which
    is read strictly as CSV); its header is then checked as soon as it is read.
    """
    limits = limits or Limits()
    strict = bool(form and form.strict)
    _check_size(raw, name, limits, strict)
    text, notices = decode(raw, name, strict=strict)
    geojson = not strict and text.lstrip().startswith(("{", "["))
    layout = GEOJSON if geojson else CSV
    table = layout.read(text, name, limits, form)
    table.unit = layout.unit
    table.notices[:0] = notices
    return table

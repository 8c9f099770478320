"""Untrusted bytes to a table of text records: encoding, delimiter, GeoJSON, limits.

Every refusal is an :class:`ImportRefused` with one sentence; nothing else escapes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field

from dashboard.errors import DashboardError
from dashboard.events import is_utf16, too_large
from dashboard.settings import Limits

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
LAT, LON = "latitude", "longitude"


class ImportRefused(DashboardError):
    """A file that cannot be imported at all; the message is one sentence saying why."""


@dataclass
class Table:
    """Text records with the line (CSV) or feature number (GeoJSON) each came from."""

    name: str
    header: list[str]
    records: list[tuple[int, dict[str, str]]]
    kind: str  # "csv" or "geojson"
    notices: list[str] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)  # (line, why) unreadable rows


def decode(raw: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else cp1252 with a notice; UTF-16 is refused."""
    if is_utf16(raw):
        raise ImportRefused(f"{name} is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8).")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
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


def _check_size(raw: bytes, name: str, limits: Limits) -> None:
    if len(raw) > limits.max_bytes:
        raise ImportRefused(too_large(name, len(raw), limits.max_bytes))
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ImportRefused(f"{name} is empty.")


def _too_many(name: str, limits: Limits) -> ImportRefused:
    return ImportRefused(f"{name} has more than {limits.max_rows:,} rows, the limit; split it "
                         f"or raise the limit.")


def read_csv(text: str, name: str, limits: Limits) -> Table:
    """The header and rows of delimited text; rows with the wrong field count are listed.

    Lines are numbered as in the file: only ``\n``, ``\r\n`` and ``\r`` end one.
    """
    if "\x00" in text:
        raise ImportRefused(f"{name} contains NUL bytes: it is not a text file.")
    header_line = next((x for x in io.StringIO(text, newline="") if x.strip()), "")
    delimiter = sniff_delimiter(header_line)
    csv.field_size_limit(max(limits.max_field_chars, 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = Table(name, [], [], "csv")
    if delimiter != ",":
        table.notices.append(f"{name} is separated by {DELIMITERS[delimiter]}s.")
    try:
        for values in reader:
            if any(v.strip() for v in values):
                table.header = [v.strip().lstrip("\ufeff") for v in values]
                break
        if len(set(table.header)) != len(table.header):
            doubled = sorted({h for h in table.header if table.header.count(h) > 1})
            raise ImportRefused(f"{name} repeats the columns {', '.join(doubled)}.")
        end = reader.line_num
        for values in reader:
            line, end = end + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(table.records) + len(table.broken) >= limits.max_rows:
                raise _too_many(name, limits)
            if len(values) != len(table.header):
                table.broken.append((line, f"has {len(values)} fields, the header has "
                                           f"{len(table.header)}"))
                continue
            table.records.append((line, dict(zip(table.header, (v.strip() for v in values),
                                                 strict=True))))
    except csv.Error as exc:
        raise ImportRefused(f"{name} is not readable CSV near line {reader.line_num}: "
                            f"{exc}.") from None
    if not table.header:
        raise ImportRefused(f"{name} is empty.")
    if not table.records and not table.broken:
        raise ImportRefused(f"{name} has a header but no rows.")
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


def read_geojson(text: str, name: str, limits: Limits) -> Table:
    """Point features of a FeatureCollection as records; their coordinates as lat/lon."""
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
    table = Table(name, [], [], "geojson")
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
    return table


def read_table(raw: bytes, name: str, limits: Limits | None = None) -> Table:
    """Bytes of a CSV (comma, semicolon or tab) or GeoJSON file as a :class:`Table`."""
    limits = limits or Limits()
    _check_size(raw, name, limits)
    text, notices = decode(raw, name)
    if text.lstrip().startswith(("{", "[")):
        table = read_geojson(text, name, limits)
    else:
        table = read_csv(text, name, limits)
    table.notices[:0] = notices
    return table

"""The importer as it was, row by row: the reference the column-wise importer must match.

Each record a dict, each row mapped by its format's ``convert``, placed by
:func:`dashboard.importing.places.locate` and checked by ``check_row``, one at a time; the
places made up a :class:`~dashboard.gazetteer.Place` each, joined and enriched row by row.
The tests load the same files both ways and compare everything.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.dataset import Dataset, Geodata
from dashboard.errors import DataFileError, ImportRefused
from dashboard.events import effective_end
from dashboard.gazetteer import IMPORTED, Gazetteer, Place
from dashboard.importing.common import Format, RowProblems
from dashboard.importing.files import read_bytes, too_large
from dashboard.importing.formats import by_id, detect, own_format
from dashboard.importing.joining import regions_of as _regions_of
from dashboard.importing.joining import search_text as _search_text
from dashboard.importing.places import locate as place_of
from dashboard.importing.text import is_utf16, refused
from dashboard.layers import locate
from dashboard.layers.features import arrow_weights
from dashboard.regions import place_regions
from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.settings import Limits
from dashboard.validation import DateRange, Problem, check_row, parse_date, repeated_id

LAT, LON = "latitude", "longitude"
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class Table:
    name: str
    header: list[str]
    records: list[tuple[int, dict[str, str]]]
    unit: str = "line"
    notices: list[str] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records) + len(self.broken)


@dataclass
class EventsFile:
    path: Path
    rows: list[dict[str, str]]
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0


@dataclass
class Checked:
    events: EventsFile
    format: Format
    places: list[Place]
    name: str
    notices: list[str]
    unit: str


class _Known:
    def __init__(self, gazetteer: Gazetteer, places: dict[str, Place]):
        self.gazetteer, self.places = gazetteer, places

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.places or place_id in self.gazetteer


def decode(raw: bytes, name: str, *, strict: bool = False) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else cp1252 with a notice; UTF-16 is refused.

    ``strict`` (our own file) refuses anything but UTF-8.
    """
    if is_utf16(raw):
        raise refused(strict, f"{name} is UTF-16 text, not UTF-8; save it as UTF-8 CSV",
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
        raise refused(strict, message, message)
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise refused(strict, f"{name} is empty", f"{name} is empty.")


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
        raise refused(strict, f"{name}:{reader.line_num}: not valid CSV: {exc}",
                       f"{name} is not readable CSV near line {reader.line_num}: "
                       f"{exc}.") from None
    if not table.header:
        raise refused(strict, f"{name} is empty", f"{name} is empty.")
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
    table = (read_geojson if geojson else read_csv)(text, name, limits, form)
    table.unit = "feature" if geojson else "line"
    table.notices[:0] = notices
    return table


def read(raw: bytes, name: str, gazetteer: Gazetteer, *, form: Format | None = None,
         fmt: str | None = None, limits: Limits | None = None, path: Path | None = None,
         ) -> Checked:
    """``raw`` read and checked: in ``form``, else the format ``fmt`` names, else detected.

    ``name`` names the file in refusals, and the dataset unless it was read from ``path``
    (then the path's last part).

    Raises
    ------
    DataFileError
        For a file that cannot be used at all (an :class:`ImportRefused` sentence unless
        ``form`` is strict).
    """
    form = form or (by_id(fmt) if fmt else None)
    table = read_table(raw, name, limits, form)
    if form is None:
        form = detect(table.header, name)
        table.problems = form.header_problems(table.header, name)
    return check(table, form, gazetteer, path or Path(name), path.name if path else name,
                 (limits or Limits()).dates)


def check(table: Table, form: Format, gazetteer: Gazetteer, path: Path, name: str,
          dates: DateRange) -> Checked:
    """Map and check every record of ``table`` read from ``path``; problems in file order.

    A row is kept when neither its mapping nor the schema's checks find an error; problems
    name the file's own columns (``form.columns``). Places made up for coordinates say
    they come from ``name``. Dates must fall in ``dates``.
    """
    events = EventsFile(path, [], [], [*table.problems], table.count)
    events.problems += [Problem(line, "row", why) for line, why in table.broken]
    places: dict[str, Place] = {}
    seen: dict[str, int] = {}
    known = _Known(gazetteer, places)  # sees the places as they are added
    for line, record in table.records:
        problems = RowProblems(line)
        draft = form.convert(record, problems, dates)
        events.problems += problems
        if draft is None or any(p.severity == "error" for p in problems):
            continue
        row = draft.row
        if draft.point is not None:
            place = place_of(draft, name, gazetteer)
            row["place_id"] = place.id
            places[place.id] = place
        found = check_row(row, line, known, dates)
        repeated = repeated_id(row, line, seen)
        if repeated:
            found.append(repeated)
        if form.columns:
            found = [Problem(p.line, form.columns.get(p.column, p.column), p.message,
                             p.severity) for p in found]
        events.problems += found
        if not any(p.severity == "error" for p in found):
            events.rows.append(row)
            events.lines.append(line)
    events.problems.sort(key=lambda p: p.line)  # stable: a row's problems keep their order
    used = {r["place_id"] for r in events.rows}
    return Checked(events, form, [p for i, p in places.items() if i in used], name,
                   table.notices, table.unit)


def extend(geodata: Geodata, places: list[Place]) -> Geodata:
    """``geodata`` with ``places`` added; their regions by one spatial join.

    Points outside every region shape belong to "outside the mapped regions".
    """
    new = [p for p in dict((p.id, p) for p in places).values() if p.id not in geodata.gazetteer]
    if not new:
        return geodata
    regions = dict(geodata.place_regions)
    regions.update(place_regions(Gazetteer(new), geodata.regions))
    return Geodata(Gazetteer([*geodata.gazetteer, *new]), geodata.regions, geodata.choices,
                   regions)


def to_frame(events: EventsFile) -> pd.DataFrame:
    """The valid rows as a typed table: ``start``/``end`` dates, integer figures, ``line``."""
    frame = pd.DataFrame(events.rows, columns=list(COLUMNS))
    starts = [parse_date(r["date_start"]) for r in events.rows]
    ends = [effective_end(s, r["date_end"], r["date_precision"])
            for s, r in zip(starts, events.rows, strict=True)]
    frame["start"] = pd.to_datetime(pd.Series(starts, dtype="object"))
    frame["end"] = pd.to_datetime(pd.Series(ends, dtype="object"))
    for column in FIGURE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    frame["line"] = events.lines
    return frame


def enrich(events: EventsFile, geodata: Geodata) -> gpd.GeoDataFrame:
    """The typed events table with place names, regions, search text and geometry."""
    frame = to_frame(events)
    gazetteer = geodata.gazetteer
    records = frame.to_dict("records")
    frame["place_name"] = [gazetteer[r["place_id"]].display_name for r in records]
    frame["location_precision"] = [gazetteer[r["place_id"]].precision_text for r in records]
    frame["regions"] = [_regions_of(r, geodata) for r in records]
    place_terms = {p.id: p.search_terms() for p in gazetteer}
    # Names in the text are looked up among the gazetteer's own places: an imported file
    # makes up a place per point, and a thousand points named "Yerevan" would each add
    # their names to every event that mentions Yerevan (time and memory grow as n²).
    known = Gazetteer([p for p in gazetteer if p.kind != IMPORTED])
    frame["search_text"] = [_search_text(r, place_terms, known) for r in records]
    located = locate(frame, gazetteer)
    located["arrow_weight"] = arrow_weights(located)
    return located




def load_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
              limits: Limits | None = None) -> Dataset:
    """The dataset of a file on disk, loaded row by row."""
    path = Path(path)
    raw = read_bytes(path, limits.max_bytes if limits else None)
    own = own_format(raw, fmt)
    if own is not None:
        checked = read(raw, str(path), geodata.gazetteer, form=own, limits=limits, path=path)
    else:
        checked = read(raw, path.name, geodata.gazetteer, fmt=fmt, limits=limits, path=path)
    return joined(checked, geodata)


def import_bytes(raw: bytes, name: str, geodata: Geodata, *, fmt: str | None = None,
                 limits: Limits | None = None) -> Dataset:
    """The dataset of an uploaded file, loaded row by row."""
    return joined(read(raw, name, geodata.gazetteer, fmt=fmt, limits=limits), geodata)


def joined(checked: Checked, geodata: Geodata) -> Dataset:
    extended = extend(geodata, checked.places)
    frame = enrich(checked.events, extended)
    frame["dataset"] = checked.name
    return Dataset(checked.events.path, frame, extended, checked.events.problems,
                   checked.events.total_rows, name=checked.name, format=checked.format.id,
                   notices=checked.notices, unit=checked.unit)

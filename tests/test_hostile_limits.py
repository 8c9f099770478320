"""Hostile values in every input format: each becomes a listed bad row or one sentence.

Figures beyond any real count, dates the date slider cannot show, line separators inside
fields, UTF-16, header-only files and template syntax, through ``validate`` (our events
CSV) and the importers (our CSV, ACLED, UCDP GED, GeoJSON) alike.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.errors import DataFileError
from dashboard.importing import ImportRefused, import_bytes, read_bytes, read_events
from dashboard.schema import COLUMNS
from dashboard.settings import Settings
from dashboard.validation import HARD_MAX, HARD_MIN, MAX_FIGURE
from tests.conftest import row

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
BIG = "99999999999999999999"  # more than 2**63


def csv_bytes(header: list[str], rows: list[dict[str, str]],
              quoting: int = csv.QUOTE_MINIMAL) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", quoting=quoting)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def changed(name: str, changes: dict[str, object], quoting: int = csv.QUOTE_MINIMAL) -> bytes:
    """A fixture with its first record (line 2, or feature 1) changed."""
    if name == "events.csv":
        return csv_bytes(list(COLUMNS), [row(**changes), row(event_id="t-2")], quoting)
    text = (FIXTURES / name).read_text(encoding="utf-8")
    if name.endswith(".geojson"):
        data = json.loads(text)
        data["features"][0]["properties"].update(changes)
        return json.dumps(data).encode("utf-8")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    records[0].update(changes)
    return csv_bytes(list(records[0]), records, quoting)


def skipped_at(data, line: int) -> dict[str, str]:
    return {p.column: p.message for p in data.skipped if p.line == line}


FIGURES = [  # (fixture, column of the file)
    ("events.csv", "killed"), ("events.csv", "injured"), ("events.csv", "displaced"),
    ("acled.csv", "fatalities"), ("acled.geojson", "fatalities"),
    ("ged.csv", "best"), ("ged.csv", "low"), ("ged.csv", "high"),
    ("ged.csv", "deaths_civilians"),
]


@pytest.mark.parametrize(("name", "column"), FIGURES)
@pytest.mark.parametrize("value", [BIG, str(MAX_FIGURE + 1), "1" * 5000])
def test_a_huge_figure_is_a_bad_row_in_every_format(geodata, name, column, value):
    extra = {"figure_qualifier": "exact", "claimed_by": "x"} if name == "events.csv" else {}
    data = import_bytes(changed(name, {column: value, **extra}), name, geodata)
    problems = skipped_at(data, 1 if name.endswith(".geojson") else 2)
    assert "100,000,000, the largest figure accepted" in problems[column]
    assert len(problems[column]) < 200  # the value is shortened
    assert len(data.events) > 0  # the other rows load


def test_a_huge_number_in_geojson_is_a_bad_row(geodata):
    data = import_bytes(changed("acled.geojson", {"fatalities": 1e20}), "a.geojson", geodata)
    assert "largest figure" in skipped_at(data, 1)["fatalities"]


@pytest.mark.parametrize("column", ["killed", "injured", "displaced"])
def test_validate_rejects_a_huge_figure(geodata, events_file, column):
    path = events_file(row(**{column: BIG, "figure_qualifier": "exact", "claimed_by": "x"}),
                       row(event_id="t-2", killed=str(MAX_FIGURE), figure_qualifier="exact",
                           claimed_by="x"))
    result = read_events(path, geodata.gazetteer)
    [problem] = result.errors
    assert (problem.line, problem.column) == (2, column)
    assert BIG in problem.message and "100,000,000" in problem.message
    assert result.lines == [3]  # the bound itself is accepted


DATES = [  # (fixture, column of the file, extra changes)
    ("events.csv", "date_start", {}), ("events.csv", "date_end", {}),
    ("acled.csv", "event_date", {}), ("acled.csv", "event_date", {"time_precision": "2"}),
    ("acled.geojson", "event_date", {}), ("ged.csv", "date_start", {}),
    ("ged.csv", "date_end", {}),
]


OUTSIDE = ["0001-01-01", "9999-12-31", "1699-12-31", "2201-01-01"]


@pytest.mark.parametrize(("name", "column", "extra", "value"), [
    (*case, value) for case in DATES for value in OUTSIDE
    if case[1] != "date_end" or value > "2000"])  # an early end is 'before date_start'
def test_a_date_outside_the_range_is_a_bad_row_in_every_format(geodata, name, column, extra,
                                                               value):
    data = import_bytes(changed(name, {column: value, **extra}), name, geodata)
    problems = skipped_at(data, 1 if name.endswith(".geojson") else 2)
    assert "outside the dates this dashboard accepts (1700-01-01 to 2200-12-31)" \
        in problems[column]
    assert value in problems[column] and len(data.events) > 0


@pytest.mark.parametrize("column", ["date_start", "date_end"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_validate_rejects_a_date_outside_the_range(geodata, events_file, column, value):
    changes = {column: value, "date_precision": "range"} if column == "date_end" \
        else {column: value}
    path = events_file(row(**changes), row(event_id="t-2"))
    result = read_events(path, geodata.gazetteer)
    messages = [p.message for p in result.errors if (p.line, p.column) == (2, column)]
    assert messages and "outside the dates" in messages[0]
    assert result.lines == [3]


def test_the_date_range_is_configurable(geodata, events_file, monkeypatch, capsys):
    environ = {"DASHBOARD_DATE_MIN": "2023-01-01", "DASHBOARD_DATE_MAX": "2023-12-31"}
    limits = Settings.from_env(environ).limits
    path = events_file(row(date_start="2022-12-31"), row(event_id="t-2"))
    result = read_events(path, geodata.gazetteer, limits)
    assert "(2023-01-01 to 2023-12-31)" in result.errors[0].message
    data = import_bytes(changed("acled.csv", {"event_date": "2024-01-01"}), "a.csv", geodata,
                        limits=limits)
    assert "(2023-01-01 to 2023-12-31)" in skipped_at(data, 2)["event_date"]
    for name, value in environ.items():  # read by the command line
        monkeypatch.setenv(name, value)
    assert main(["validate", str(path)]) == 1
    assert "(2023-01-01 to 2023-12-31)" in capsys.readouterr().out


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, (date(1700, 1, 1), date(2200, 12, 31))),
    ({"DASHBOARD_DATE_MIN": "1900-01-01", "DASHBOARD_DATE_MAX": "2100-12-31"},
     (date(1900, 1, 1), date(2100, 12, 31))),
    ({"DASHBOARD_DATE_MIN": "0001-01-01", "DASHBOARD_DATE_MAX": "9999-12-31"},
     (HARD_MIN, HARD_MAX)),  # never beyond what the date slider can show
    ({"DASHBOARD_DATE_MIN": "yesterday", "DASHBOARD_DATE_MAX": ""},
     (date(1700, 1, 1), date(2200, 12, 31))),
    ({"DASHBOARD_DATE_MIN": "2100-01-01", "DASHBOARD_DATE_MAX": "2000-01-01"},
     (date(1700, 1, 1), date(2200, 12, 31))),
])
def test_date_range_from_the_environment(environ, expected):
    dates = Settings.from_env(environ).limits.dates
    assert (dates.first, dates.last) == expected


BASE_DESCRIPTION = row()["description"]
SEPARATORS = ["\u2028", "\u2029", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85"]
TEXT_COLUMNS = {"events.csv": "description", "acled.csv": "notes", "ged.csv": "source_headline"}
SHOWN_AS = {"events.csv": "description", "acled.csv": "quote", "ged.csv": "quote"}


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("quoting", [csv.QUOTE_ALL, csv.QUOTE_MINIMAL])
def test_line_separators_inside_a_field_keep_the_row_and_the_line_numbers(
        geodata, events_file, separator, quoting):
    text = f"first{separator}second"
    raw = csv_bytes(list(COLUMNS), [row(description=text), row(event_id="t-2"),
                                    row(event_id="t-3", place_id="atlantis")], quoting)
    path = events_file()
    path.write_bytes(raw)
    result = read_events(path, geodata.gazetteer)
    assert [r["description"] for r in result.rows] == [text, BASE_DESCRIPTION]
    assert result.lines == [2, 3]
    assert [(p.line, p.column) for p in result.errors] == [(4, "place_id")]


@pytest.mark.parametrize("name", list(TEXT_COLUMNS))
@pytest.mark.parametrize("separator", SEPARATORS)
def test_line_separators_inside_a_field_in_every_csv_format(geodata, name, separator):
    column = TEXT_COLUMNS[name]
    plain = import_bytes(changed(name, {}), name, geodata)
    text = f"first{separator}second"
    data = import_bytes(changed(name, {column: text}, csv.QUOTE_ALL), name, geodata)
    assert len(data.events) == len(plain.events)
    assert [(p.line, p.column) for p in data.skipped] \
        == [(p.line, p.column) for p in plain.skipped]
    assert text in set(data.events[SHOWN_AS[name]])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_says_save_as_utf8(geodata, events_file, encoding):
    path = events_file(row())
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(DataFileError, match=r"UTF-16.*save it as UTF-8"):
        read_events(path, geodata.gazetteer)
    raw = (FIXTURES / "acled.csv").read_text(encoding="utf-8").encode(encoding)
    with pytest.raises(ImportRefused, match="UTF-16 text; save it as UTF-8") as caught:
        import_bytes(raw, "a.csv", geodata)
    assert "\n" not in str(caught.value) and str(caught.value).count(". ") == 0


def test_a_header_only_events_file_says_it_has_no_rows(geodata, events_file):
    with pytest.raises(DataFileError, match="has a header but no rows"):
        read_events(events_file(), geodata.gazetteer)


@pytest.mark.parametrize(("name", "raw"), [
    ("events.csv", (",".join(COLUMNS) + "\n").encode()),
    ("acled.csv", (FIXTURES / "acled.csv").read_bytes().split(b"\n")[0] + b"\n\n"),
    ("ged.csv", (FIXTURES / "ged.csv").read_bytes().split(b"\n")[0]),
    ("acled.geojson", b'{"type": "FeatureCollection", "features": []}'),
])
def test_a_header_only_import_says_it_has_no_rows(geodata, name, raw):
    with pytest.raises(ImportRefused, match=r"has a header but no rows|has no features"):
        import_bytes(raw, name, geodata)


@pytest.mark.parametrize("name", list(TEXT_COLUMNS))
def test_template_syntax_is_kept_verbatim(geodata, name):
    text = "{% raw %}{{ 7*7 }}{% endraw %} {# x #} {%"
    data = import_bytes(changed(name, {TEXT_COLUMNS[name]: text}), name, geodata)
    assert text in set(data.events[SHOWN_AS[name]])


def test_template_syntax_passes_validation(geodata, events_file):
    text = "{% raw %}{{ 7*7 }}{% endraw %}"
    result = read_events(events_file(row(title=text, quote=text)), geodata.gazetteer)
    assert not result.errors and result.rows[0]["title"] == text


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path):
    limits = Settings.from_env({"DASHBOARD_MAX_UPLOAD_MB": "0.001"}).limits  # 1,048 bytes
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(DataFileError, match="more than the limit of 0 MB"):
        read_bytes(path, limits.max_bytes)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_larger_than_its_size_says_is_read_bounded():
    # /proc files are regular files whose size is 0 whatever they hold.
    with pytest.raises(DataFileError, match="more than the limit"):
        read_bytes(Path("/proc/self/status"), limit=10)

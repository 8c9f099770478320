"""Validation of events files: each kind of error, on small files of the tests' own."""

from __future__ import annotations

import pytest

from dashboard.cli import main
from dashboard.errors import DataFileError
from dashboard.importing import read_events
from dashboard.schema import COLUMNS
from tests.conftest import row


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"event_id": ""}, "event_id", "empty"),
        ({"place_id": "atlantis"}, "place_id", "unknown place id 'atlantis'"),
        ({"place_id": ""}, "place_id", "empty"),
        ({"origin_place_id": "atlantis", "destination_place_id": "syunik"}, "origin_place_id",
         "unknown place id"),
        ({"origin_place_id": "nagorno_karabakh"}, "destination_place_id", "needs both"),
        ({"date_start": "19/09/2023"}, "date_start", "not an ISO date"),
        ({"date_start": "2023-02-30"}, "date_start", "not a real date"),
        ({"date_start": ""}, "date_start", "missing"),
        ({"date_end": "2023-09-01"}, "date_end", "before date_start"),
        ({"date_end": "2023-13-01"}, "date_end", "not a real date"),
        ({"date_precision": "week"}, "date_precision", "not one of"),
        ({"date_precision": "month"}, "date_start", "1st of the month"),
        ({"time": "25:00"}, "time", "HH:MM"),
        ({"category": "weather"}, "category", "not one of military"),
        ({"killed": "-5", "figure_qualifier": "exact"}, "killed", "is negative"),
        ({"injured": "many", "figure_qualifier": "exact"}, "injured", "not a whole number"),
        ({"displaced": "68.000", "figure_qualifier": "exact"}, "displaced",
         "not a whole number"),
        ({"killed": "6"}, "figure_qualifier", "without its qualifier"),
        ({"figure_qualifier": "about"}, "figure_qualifier", "without a figure"),
        ({"figure_qualifier": "roughly", "killed": "3"}, "figure_qualifier", "not one of"),
        ({"source": ""}, "source", "empty"),
        ({"title": "  "}, "title", "empty"),
        ({"event_type": ""}, "event_type", "empty"),
    ],
)
def test_each_error_kind_is_reported_and_drops_the_row(geodata, events_file, changes, column,
                                                       fragment):
    path = events_file(row(event_id="ok"), row(**changes))
    result = read_events(path, geodata.gazetteer)
    errors = [p for p in result.errors if p.line == 3]
    assert any(p.column == column and fragment in p.message for p in errors), errors
    assert [r["event_id"] for r in result.rows] == ["ok"]


def test_duplicate_id_names_the_first_line(geodata, events_file):
    result = read_events(events_file(row(), row(title="again")), geodata.gazetteer)
    assert [(p.line, p.column) for p in result.errors] == [(3, "event_id")]
    assert "first on line 2" in result.errors[0].message
    assert len(result.rows) == 1


def test_line_numbers_count_multiline_fields(geodata, events_file):
    path = events_file(row(event_id="a", description="two\nlines"), row(event_id="b",
                                                                        category="nope"))
    result = read_events(path, geodata.gazetteer)
    assert [p.line for p in result.errors] == [4]


@pytest.mark.parametrize(
    ("changes", "column"),
    [({"quote": ""}, "quote"), ({"event_type": "invented"}, "event_type"),
     ({"killed": "3", "figure_qualifier": "exact", "claimed_by": ""}, "claimed_by")],
)
def test_warnings_keep_the_row(geodata, events_file, changes, column):
    result = read_events(events_file(row(**changes)), geodata.gazetteer)
    assert [p.column for p in result.problems] == [column]
    assert result.problems[0].severity == "warning"
    assert len(result.rows) == 1


def test_missing_columns_refuse_the_file_naming_them(geodata, events_file):
    columns = [c for c in COLUMNS if c not in ("quote", "source")]
    with pytest.raises(DataFileError, match="lacks the columns: source, quote"):
        read_events(events_file(row(), columns=columns), geodata.gazetteer)


def test_extra_and_reordered_columns_are_reported(geodata, events_file):
    result = read_events(events_file(row(), columns=[*COLUMNS, "colour"]), geodata.gazetteer)
    assert [(p.line, p.column, p.message) for p in result.errors] == [
        (1, "colour", "unexpected column")]
    assert len(result.rows) == 1
    reordered = read_events(events_file(row(), columns=list(reversed(COLUMNS))),
                            geodata.gazetteer)
    assert [p.message for p in reordered.errors] == ["columns are not in the documented order"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\xff\xfe\x00bad", "not UTF-8"),
     (b'event_id,title\n"unterminated', "lacks the columns")],
)
def test_unreadable_files_raise_our_error(geodata, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message):
        read_events(path, geodata.gazetteer)


def test_missing_file_raises_our_error(geodata, tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        read_events(tmp_path / "nope.csv", geodata.gazetteer)


def test_bom_is_accepted(geodata, events_file):
    path = events_file(row())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(read_events(path, geodata.gazetteer).rows) == 1


def test_cli_prints_path_line_column_problem_and_exits_1(events_file, capsys):
    path = events_file(row(), row(event_id="t-2", date_start="2023-02-30", category="x"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"{path}:3: category: 'x' is not one of military, civilian_harm, blockade, "
        "displacement, political, protest",
        f"{path}:3: date_start: '2023-02-30' is not a real date",
    ]
    assert "2 rows, 1 valid, 2 errors" in out.err


def test_cli_exits_0_on_a_clean_file(events_file, capsys):
    assert main(["validate", str(events_file(row()))]) == 0
    assert capsys.readouterr().out == ""


def test_cli_unreadable_file_is_one_line_not_a_traceback(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: events file not found") and "Traceback" not in err


def test_cli_runs_as_a_module(repo_root):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "dashboard", "validate"], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stderr


def test_malformed_quoting_is_our_error_with_a_line(geodata, events_file):
    path = events_file(row())
    path.write_text(path.read_text(encoding="utf-8") + 'x,"broken"quote\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r":3: not valid CSV"):
        read_events(path, geodata.gazetteer)
